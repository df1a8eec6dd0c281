package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineStreamOptions;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: the pipeline commands' progress on stderr (the Spark UI address, a line every interval,
 * a summary), {@code --quiet}, and the memory knobs named when a run runs out of memory.
 */
class PipelineProgressTest {
  @TempDir static Path data;
  @TempDir Path dir;

  private static Path events;
  private static long numEvents;

  /** 600 receipts over 40 items. */
  @BeforeAll
  static void generate() throws IOException {
    var d = GenerateData.generate(Config.of(11).withStores(2).withTransactions(600).withItems(40));
    GenerateData.write(d, data, EnumSet.of(Layout.EVENTS), EnumSet.of(InputFormat.PARQUET));
    events = data.resolve("events.parquet");
    numEvents = d.numEvents();
  }

  private long interval;

  @BeforeEach
  void shortInterval() {
    interval = RunProgress.intervalMillis;
    RunProgress.intervalMillis = 20;
  }

  @AfterEach
  void restoreInterval() {
    RunProgress.intervalMillis = interval;
  }

  private String[] stream(String... more) {
    return streamTo("out", more);
  }

  private String[] streamTo(String output, String... more) {
    return Stream.concat(
            Stream.of(
                "stream",
                "--input=" + events,
                "--txnCol=transaction_id",
                "--itemCol=item_id",
                "--numItems=40",
                "--minSupport=0.05",
                "--shards=2",
                "--output=" + dir.resolve(output)),
            Stream.of(more))
        .toArray(String[]::new);
  }

  @Test
  void aRunPrintsProgressLinesAndASummaryAndQuietRemovesThem() {
    Cli r = Cli.run(stream("--runner=DirectRunner"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    List<String> lines = r.err().lines().toList();
    assertTrue(lines.size() >= 2, r::err);
    assertTrue(lines.get(0).startsWith("progress: "), r::err);
    for (String l : lines.subList(0, lines.size() - 1)) {
      assertTrue(l.matches("progress: \\d+s events=[\\d,]+ pairs=[\\d,]+ heap=[\\d,]+ MB"), l);
    }
    assertTrue(
        lines
            .get(lines.size() - 1)
            .matches(
                "done: "
                    + RunProgress.grouped(numEvents)
                    + " events in \\d+\\.\\d s \\(\\S+ events/s\\), peak heap [\\d,]+ MB of [\\d,]+"
                    + " MB"),
        r::err);
    // the result line stays on stdout, alone
    assertTrue(r.out().matches("runner=DirectRunner transactions=600 itemsets=\\d+ .*\\R"), r::out);

    Cli q = Cli.run(streamTo("q", "--runner=DirectRunner", "--quiet"));
    assertEquals(Main.EXIT_OK, q.exitCode(), q::err);
    assertEquals("", q.err());
    assertEquals(
        r.out().replace(dir.resolve("out").toString(), "X").replaceAll("millis=\\d+", ""),
        q.out().replace(dir.resolve("q").toString(), "X").replaceAll("millis=\\d+", ""));
  }

  /** On Spark: the UI address first, then lines that name the running stage by Beam step. */
  @Test
  void onSparkTheUiAddressAndTheStageAreShown() {
    SparkTestContext.stop();
    Cli r = Cli.run(stream("--sparkMaster=local[2]"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    List<String> lines = r.err().lines().toList();
    assertTrue(lines.get(0).matches("Spark UI: http://\\S+:\\d+"), r::err);
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("progress: .* stage=MineStream/\\S+.*")), r::err);
    assertTrue(
        lines
            .get(lines.size() - 1)
            .startsWith("done: " + RunProgress.grouped(numEvents) + " events in "),
        r::err);
  }

  @Test
  void quietIsAFlagOfThePipelineCommands() {
    PipelineRun.Args a = PipelineRun.takeQuiet(new String[] {"--a=1", "--quiet", "--b"});
    assertTrue(a.quiet());
    assertEquals(List.of("--a=1", "--b"), List.of(a.rest()));
    assertFalse(PipelineRun.takeQuiet(new String[] {"--quiet=false"}).quiet());
    assertThrows(UsageException.class, () -> PipelineRun.takeQuiet(new String[] {"--quiet=yes"}));
    Cli.run(stream("--quiet", "--quiet")).assertUsageError("--quiet is given more than once");
    for (String command : List.of("grouped", "stream", "demo")) {
      Cli h = Cli.run(command, "--help");
      assertTrue(h.out().lines().anyMatch(l -> l.startsWith("  --quiet ")), () -> command);
    }
  }

  /** The knobs an out-of-memory line names: the command's, and the heap or the executors'. */
  @Test
  void memoryKnobsAreTheCommandsOptions() {
    String[] common = {"--input=x", "--txnCol=t", "--itemCol=i", "--output=o"};
    MineStreamOptions local =
        RunnerSetup.optionsFrom(
            Stream.concat(Stream.of(common), Stream.of("--numItems=3")).toArray(String[]::new),
            MineStreamOptions.class);
    String knobs = PipelineRun.memoryKnobs(local);
    boolean hasMaxRam = OptionsHelp.optionNames(MineStreamOptions.class).contains("maxRamBytes");
    assertEquals(
        "give Java more heap with -Xmx (e.g. java -Xmx8g -jar rusket-beam.jar), "
            + (hasMaxRam ? "a lower --maxRamBytes, " : "")
            + "more --shards or a higher --minSupport",
        knobs);
    MineGroupedOptions cluster =
        RunnerSetup.optionsFrom(
            Stream.concat(
                    Stream.of(common), Stream.of("--groupCol=g", "--sparkMaster=spark://h:7077"))
                .toArray(String[]::new),
            MineGroupedOptions.class);
    String c = PipelineRun.memoryKnobs(cluster);
    assertTrue(c.startsWith("give the executors more memory (spark.executor.memory"), c);
    assertFalse(c.contains("--shards"), c);
    assertTrue(c.contains(", a lower --maxBundleBytes or a higher --minSupport"), c);
    assertTrue(c.endsWith("a higher --minSupport"), c);
  }
}
