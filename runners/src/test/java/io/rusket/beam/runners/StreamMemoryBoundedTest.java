package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.Dataset;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.ParquetColumns;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stream} in a deliberately small heap: a forked JVM with {@code -Xmx256m} mines about 3.1M
 * generated events from Parquet (10 MB, one row group) on the embedded Spark runner ({@code
 * local[2]}) and on the DirectRunner, and must give exactly the plain loop's itemsets (the file
 * read column-wise into one FPMiner and mined). Before the columnar path, the Spark run died with
 * an OutOfMemoryError in this heap (ParquetIO's Avro records and a Row per event).
 */
class StreamMemoryBoundedTest {
  private static final double MIN_SUPPORT = 0.001;
  private static final int ITEMS = 2600;

  @TempDir static Path data;
  @TempDir Path out;

  static Path events;
  static TreeSet<String> expected;

  @BeforeAll
  static void generateAndMineWithThePlainLoop() throws IOException {
    Dataset d =
        GenerateData.generate(
            Config.of(11).withStores(50).withTransactions(700_000).withItems(ITEMS));
    GenerateData.write(d, data, EnumSet.of(Layout.EVENTS), EnumSet.of(InputFormat.PARQUET));
    events = data.resolve("events.parquet");
    expected = plainLoop(events);
    assertTrue(expected.size() > 500, "enough itemsets: " + expected.size());
  }

  /** The file read column-wise into one FPMiner and mined, as {@code items:count} lines. */
  static TreeSet<String> plainLoop(Path file) throws IOException {
    TreeSet<String> sets = new TreeSet<>();
    long rows = 0;
    try (FPMiner m = new FPMiner(ITEMS)) {
      for (ParquetColumns.Split s :
          ParquetColumns.splitsOf(FileSystems.matchSingleFileSpec(file.toString()))) {
        ParquetColumns.Chunk c = ParquetColumns.read(s, List.of("transaction_id", "item_id"));
        long[] item = c.longs("item_id");
        int[] items = new int[c.rows()];
        for (int i = 0; i < items.length; i++) {
          items[i] = (int) item[i];
        }
        m.addChunk(c.longs("transaction_id"), items);
        rows += c.rows();
      }
      assertTrue(rows > 3_000_000, "a few million events: " + rows);
      Itemsets is = m.mine(ItemsetMiner.minSupport(MIN_SUPPORT));
      for (int i = 0; i < is.size(); i++) {
        int[] ids = is.items(i).clone();
        Arrays.sort(ids);
        sets.add(Arrays.toString(ids) + ":" + is.count(i));
      }
    }
    return sets;
  }

  /** Runs the CLI in a child JVM with {@code -Xmx256m}; returns its stdout, fails on exit != 0. */
  static String runSmallHeap(Path log, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    // Spark refuses to start a driver below 450 MiB of heap (it reserves 300 MiB for itself);
    // this test-only setting tells it how much memory to assume instead, so the 256 MiB heap is
    // real for everything the job allocates.
    command.add("-Dspark.testing.memory=" + (512L << 20));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")) {
        command.add(a);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the child JVM did not finish in 10 minutes");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), () -> "child JVM failed:\n" + tail(output));
    return output;
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }

  /** The itemsets written as JSON lines under {@code dir}, as {@code items:count} lines. */
  static TreeSet<String> itemsets(Path dir) throws IOException {
    TreeSet<String> sets = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          Map<String, Object> o = MiniJson.object(line);
          List<?> items = (List<?>) o.get("itemsets");
          int[] ids = items.stream().mapToInt(x -> ((Number) x).intValue()).sorted().toArray();
          String key = Arrays.toString(ids) + ":" + ((Number) o.get("count")).longValue();
          assertTrue(sets.add(key), "itemset written twice: " + key);
        }
      }
    }
    return sets;
  }

  private void minesInSmallHeap(String... runner) throws Exception {
    Path o = out.resolve("result");
    List<String> args =
        new ArrayList<>(
            List.of(
                "stream",
                "--input=" + events,
                "--txnCol=transaction_id",
                "--itemCol=item_id",
                "--numItems=" + ITEMS,
                "--minSupport=" + MIN_SUPPORT,
                "--outputFormat=jsonl",
                "--output=" + o));
    args.addAll(List.of(runner));
    String stdout = runSmallHeap(out.resolve("child.log"), args.toArray(String[]::new));
    assertTrue(stdout.contains("transactions=700000 itemsets=" + expected.size()), stdout);
    assertEquals(expected, itemsets(o.resolve("itemsets")));
  }

  @Test
  void sparkLocal2InA256MiBHeapGivesThePlainLoopsItemsets() throws Exception {
    minesInSmallHeap("--sparkMaster=local[2]");
  }

  @Test
  void directRunnerInA256MiBHeapGivesThePlainLoopsItemsets() throws Exception {
    minesInSmallHeap("--runner=DirectRunner");
  }
}
