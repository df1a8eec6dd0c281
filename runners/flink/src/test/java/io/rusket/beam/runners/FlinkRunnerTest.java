package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The jar's commands on Beam's Flink runner, embedded in this JVM (Flink's local cluster), in this
 * module's classpath, which holds no Spark: {@code grouped} (events and one-hot receipts from
 * Parquet, rules, every output format), {@code stream} (rules), {@code sequences} (MineSequences
 * per group and global) and {@code utility} (MineUtility per group and global) write the same rows
 * and print the same counts as on the DirectRunner.
 */
class FlinkRunnerTest {
  @TempDir static Path data;
  @TempDir Path dir;

  /** 4 stores, 2,000 receipts, 40 items: a few seconds per run. */
  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        GenerateData.generate(
            Config.of(19)
                .withStores(4)
                .withTransactions(2_000)
                .withItems(40)
                .withItemNameColumn(true)),
        data,
        EnumSet.of(Layout.EVENTS, Layout.RECEIPTS),
        EnumSet.of(InputFormat.PARQUET));
    // customers' visits (the sequences layout) and events with a profit per line, small
    GenerateData.write(
        Config.of(23)
            .withStores(3)
            .withTransactions(600)
            .withItems(30)
            .withItemNameColumn(true)
            .withUtilityColumns(true),
        data.resolve("mined"),
        EnumSet.of(Layout.SEQUENCES, Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
  }

  record Run(int exitCode, String out, String err) {
    /** The summary line without what differs between runners: the runner, output and time. */
    String counts() {
      assertEquals(Main.EXIT_OK, exitCode, () -> "exit code; stderr: " + err);
      assertEquals("", err, "stderr");
      assertEquals(1, out.lines().count(), out);
      return out.strip()
          .replaceFirst("^runner=\\S+( \\([^)]*\\))? ", "")
          .replaceFirst(" output=\\S+ millis=\\d+$", "");
    }
  }

  static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  /**
   * Runs {@code args} on the DirectRunner and on the FlinkRunner (each into its own directory) and
   * asserts the same summary counts and the same rows in {@code format}.
   */
  private void assertSameOnFlinkAndDirect(String format, String... args) {
    List<String> rows = sameOnFlinkAndDirect(format, List.of("itemsets", "rules"), args);
    assertTrue(rows.stream().filter(r -> r.startsWith("rules ")).count() >= 5, rows::toString);
  }

  /**
   * Runs {@code args} on the DirectRunner and on the FlinkRunner (each into its own directory),
   * asserts the same summary counts and the same rows of {@code results} in {@code format}, and
   * returns the rows (of the DirectRunner's run, prefixed by the result's name).
   */
  private List<String> sameOnFlinkAndDirect(String format, List<String> results, String... args) {
    String[] common = concat(args, "--outputFormat=" + format, "--quiet");
    String name = "run" + runs++;
    Path direct = dir.resolve(name + "-direct");
    Path flink = dir.resolve(name + "-flink");
    Run d = cli(concat(common, "--runner=DirectRunner", "--output=" + direct));
    Run f = cli(concat(common, "--runner=FlinkRunner", "--output=" + flink));
    assertTrue(f.out().startsWith("runner=FlinkRunner ([auto]) "), f::out);
    assertEquals(d.counts(), f.counts());
    String last = results.get(results.size() - 1);
    String count = last.equals("sequences") ? "patterns" : last;
    assertTrue(d.counts().matches(".* " + count + "=[1-9]\\d*"), d::out);
    List<String> rows = ResultRows.read(direct, format, results);
    assertEquals(rows, ResultRows.read(flink, format, results));
    return rows;
  }

  private int runs;

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "jsonl", "csv"})
  void groupedEventsFromParquetWriteTheSameRowsOnFlinkAndDirect(String format) {
    assertSameOnFlinkAndDirect(
        format,
        "grouped",
        "--input=" + data.resolve("events.parquet"),
        "--groupCol=store_id",
        "--txnCol=transaction_id",
        "--itemCol=item",
        "--minSupport=0.03",
        "--rules",
        "--metric=lift",
        "--minThreshold=1.0");
  }

  @Test
  void groupedOneHotReceiptsWriteTheSameRowsOnFlinkAndDirect() {
    assertSameOnFlinkAndDirect(
        "jsonl",
        "grouped",
        "--input=" + data.resolve("receipts.parquet"),
        "--groupCol=store_id",
        "--minSupport=0.05",
        "--maxLen=3",
        "--rules",
        "--metric=confidence",
        "--minThreshold=0.2");
  }

  @Test
  void streamWritesTheSameRowsOnFlinkAndDirect() {
    assertSameOnFlinkAndDirect(
        "jsonl",
        "stream",
        "--input=" + data.resolve("events.parquet"),
        "--txnCol=transaction_id",
        "--itemCol=item_id",
        "--numItems=40",
        "--shards=4",
        "--minSupport=0.02",
        "--rules",
        "--metric=lift",
        "--minThreshold=1.0");
  }

  /**
   * MineSequences per store and globally (no {@code --groupCol}) on customers' visits: the same
   * patterns on Flink as on the DirectRunner, and per store every store has some.
   */
  @Test
  void sequencesPerGroupAndGlobalWriteTheSameRowsOnFlinkAndDirect() {
    String[] sequences = {
      "sequences",
      "--input=" + data.resolve("mined/sequences.parquet"),
      "--sequenceCol=customer_id",
      "--timeCol=day",
      "--itemCol=item",
      "--maxPatternLength=3"
    };
    List<String> perStore =
        sameOnFlinkAndDirect(
            "jsonl",
            List.of("sequences"),
            concat(sequences, "--groupCol=store_id", "--minSupport=0.2"));
    for (String store : List.of("S001", "S002", "S003")) {
      assertTrue(
          perStore.stream().anyMatch(r -> r.contains("\"store_id\":\"" + store + "\"")),
          () -> store + " in " + perStore);
    }
    List<String> global =
        sameOnFlinkAndDirect("parquet", List.of("sequences"), concat(sequences, "--minCount=40"));
    assertTrue(
        global.stream().anyMatch(r -> r.contains("], [")), () -> "a 2-step pattern " + global);
  }

  /** MineUtility per store and globally on events with a profit column: the same on Flink. */
  @Test
  void utilityPerGroupAndGlobalWriteTheSameRowsOnFlinkAndDirect() {
    String[] utility = {
      "utility",
      "--input=" + data.resolve("mined/events.parquet"),
      "--txnCol=transaction_id",
      "--itemCol=item",
      "--utilityCol=profit",
      "--maxLen=3"
    };
    List<String> perStore =
        sameOnFlinkAndDirect(
            "csv",
            List.of("itemsets"),
            concat(utility, "--groupCol=store_id", "--minUtilityFraction=0.02"));
    assertTrue(perStore.size() > 10, perStore::toString);
    List<String> global =
        sameOnFlinkAndDirect(
            "jsonl", List.of("itemsets"), concat(utility, "--minUtilityFraction=0.01"));
    assertTrue(global.size() > 10, global::toString);
  }

  /** Without Spark on the classpath, no --runner means Flink, embedded unless --flinkMaster. */
  @Test
  void withoutSparkTheDefaultRunnerIsFlink() {
    assertThrows(
        ClassNotFoundException.class, () -> Class.forName("org.apache.spark.SparkContext"));
    assertThrows(ClassNotFoundException.class, () -> Class.forName(RunnerSetup.SPARK_RUNNER));
    assertEquals(FlinkRunner.class.getName(), RunnerSetup.FLINK_RUNNER);
    PipelineOptions o = RunnerSetup.optionsFrom(new String[0]);
    assertEquals(FlinkRunner.class, o.getRunner());
    assertEquals("FlinkRunner ([auto])", RunnerSetup.describe(o));
    assertTrue(RunnerSetup.isEmbeddedFlink(o));
    assertTrue(PipelineRun.memoryKnobs(o).startsWith("give Java more heap with -Xmx"));

    PipelineOptions remote = RunnerSetup.optionsFrom(new String[] {"--flinkMaster=jm:8081"});
    assertEquals("FlinkRunner (jm:8081)", RunnerSetup.describe(remote));
    assertTrue(
        PipelineRun.memoryKnobs(remote)
            .startsWith("give the task managers more memory (taskmanager.memory.process.size"),
        () -> PipelineRun.memoryKnobs(remote));

    PipelineOptions direct = RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner"});
    assertEquals("DirectRunner", RunnerSetup.describe(direct));
  }

  /** Spark's runner and options are not in the Flink jar: one error line naming them. */
  @Test
  void sparkRunnerAndOptionsAreUsageErrors() {
    String[] grouped = {
      "grouped",
      "--input=" + data.resolve("events.parquet"),
      "--groupCol=store_id",
      "--output=" + dir.resolve("out")
    };
    Run spark = cli(concat(grouped, "--runner=SparkRunner"));
    assertEquals(Main.EXIT_USAGE, spark.exitCode(), spark::err);
    assertTrue(
        spark.err().startsWith("error: ") && spark.err().contains("SparkRunner"), spark::err);
    assertEquals(1, spark.err().lines().count(), spark::err);
    Run master = cli(concat(grouped, "--sparkMaster=local[2]"));
    assertEquals(Main.EXIT_USAGE, master.exitCode(), master::err);
    assertTrue(master.err().contains("sparkMaster"), master::err);
    assertEquals(1, master.err().lines().count(), master::err);
  }

  /** Bad data met by a Flink task: one line naming the value, exit 2, as on Spark. */
  @Test
  void badDataOnFlinkIsOneLineAndExitCodeTwo() throws IOException {
    Path in = Files.writeString(dir.resolve("events.csv"), "txn,item\n1,0\n1,1\n2,5\n");
    Run r =
        cli(
            "stream",
            "--input=" + in,
            "--txnCol=txn",
            "--itemCol=item",
            "--numItems=3",
            "--minSupport=0.5",
            "--output=" + dir.resolve("out"),
            "--quiet");
    assertEquals(Main.EXIT_USAGE, r.exitCode(), r::err);
    assertEquals("", r.out());
    assertEquals(
        "error: MineStream: item = 5 in transaction 2 is out of range [0, 3): raise --numItems"
            + System.lineSeparator(),
        r.err());
  }

  /**
   * Embedded Flink divides its fixed managed memory (128 MB) and network buffers (64 MB) among its
   * slots, one per core by default: with 48 slots a task gets too few. One line naming Flink's
   * knobs, exit 1 (a resource failure, not a mistake in the input).
   */
  @Test
  void tooLittleFlinkMemoryIsOneLineNamingTheKnobs() {
    Run r =
        cli(
            "grouped",
            "--input=" + data.resolve("events.parquet"),
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item",
            "--minSupport=0.05",
            "--parallelism=48",
            "--output=" + dir.resolve("out"),
            "--quiet");
    assertEquals(Main.EXIT_FAILURE, r.exitCode(), r::err);
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r::err);
    assertTrue(
        r.err()
            .matches(
                "error: out of Flink's (managed memory \\(Too little memory provided to sorter"
                    + "|network memory \\(Insufficient number of network buffers)[^\\n]*\\R"),
        r::err);
    assertTrue(r.err().strip().endsWith(": " + ErrorReport.FLINK_MEMORY_KNOBS), r::err);
  }

  @Test
  void helpNamesTheFlinkRunner() {
    Run r = cli("grouped", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertTrue(r.out().contains("--runner=FlinkRunner"), r::out);
    assertTrue(r.out().contains("--flinkMaster=HOST:PORT"), r::out);
  }
}
