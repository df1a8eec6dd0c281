package io.rusket.beam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.bench.ChildJvm.Status;
import io.rusket.beam.bench.ScaleSuite.Case;
import io.rusket.beam.bench.ScaleSuite.Kind;
import io.rusket.beam.bench.ScaleSuite.Measure;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.Dataset;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code scale} suite's parts, without timing: its options, case selection, checksums of miners
 * and of pipeline output, the comparison, the plain loops, and how child JVMs end.
 */
class ScaleSuiteTest {
  @TempDir Path dir;

  @Test
  void parsesEventCountsWithSuffixes() {
    assertEquals(10_000_000L, BenchOptions.parseCount("--events", "10m"));
    assertEquals(2_500_000L, BenchOptions.parseCount("--events", "2.5M"));
    assertEquals(300_000L, BenchOptions.parseCount("--events", "300k"));
    assertEquals(1_000_000_000L, BenchOptions.parseCount("--events", "1g"));
    assertEquals(2_345_678L, BenchOptions.parseCount("--events", "2345678"));
    for (String bad : List.of("0", "-1m", "1.5", "ten", "10x", "1000g", "")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> BenchOptions.parseCount("--events", bad), bad);
      assertTrue(e.getMessage().startsWith("Invalid --events: " + bad + "."), e.getMessage());
    }
  }

  @Test
  void parsesTheSuitesOptions() {
    BenchOptions d = BenchOptions.parse("--suite=scale");
    assertTrue(d.events.isEmpty());
    assertEquals(1, d.repeats);
    assertNull(d.dataDir);
    assertFalse(d.keepData);
    assertEquals(BenchOptions.DEFAULT_TIMEOUT_SECONDS, d.timeoutSeconds);
    BenchOptions o =
        BenchOptions.parse(
            "--suite=scale",
            "--events=10m, 30m,100m",
            "--repeats=3",
            "--dataDir=/tmp/x",
            "--keepData",
            "--timeout=60");
    assertEquals(List.of(10_000_000L, 30_000_000L, 100_000_000L), o.events);
    assertEquals(3, o.repeats);
    assertEquals(Path.of("/tmp/x"), o.dataDir);
    assertTrue(o.keepData);
    assertEquals(60, o.timeoutSeconds);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--events=10m,x"));
    assertTrue(e.getMessage().contains("--events: x"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--repeats=0"));
    assertTrue(e.getMessage().contains("--repeats: 0"), e.getMessage());
  }

  @Test
  void selectsCasesParquetFirst() {
    assertEquals(
        List.of(
            new Case(Kind.STREAM, "parquet"),
            new Case(Kind.GROUPED, "parquet"),
            new Case(Kind.STREAM, "arrow"),
            new Case(Kind.GROUPED, "arrow")),
        ScaleSuite.selectCases(List.of()));
    assertEquals(
        List.of(
            new Case(Kind.STREAM, "parquet"),
            new Case(Kind.STREAM, "arrow"),
            new Case(Kind.GROUPED, "arrow")),
        ScaleSuite.selectCases(List.of("stream", "Grouped:arrow")));
    for (String bad : List.of("mine", "stream:csv", "grouped:arrow:x")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ScaleSuite.selectCases(List.of(bad)));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    assertEquals(2_272_727, ScaleSuite.transactionsFor(10_000_000));
    assertEquals(ScaleSuite.STORES, ScaleSuite.transactionsFor(5));
  }

  @Test
  void pipelineArgumentsAreTheCommandLines() {
    List<String> s =
        ScaleSuite.pipelineArgs(
            new Case(Kind.STREAM, "parquet"), Path.of("/d/e.parquet"), Path.of("/o"));
    assertEquals(
        List.of(
            "main",
            "stream",
            "--input=/d/e.parquet",
            "--inputFormat=parquet",
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--numItems=2600",
            "--minSupport=0.001",
            "--output=/o",
            "--outputFormat=jsonl",
            "--sparkMaster=local[2]"),
        s);
    List<String> g =
        ScaleSuite.pipelineArgs(
            new Case(Kind.GROUPED, "arrow"), Path.of("/d/e.arrow"), Path.of("/o"));
    assertTrue(g.contains("--groupCol=store_id") && g.contains("--minSupport=0.01"), g::toString);
    assertFalse(g.stream().anyMatch(a -> a.startsWith("--numItems")), g::toString);
  }

  /** The checksum of a miner's sink equals that of the same itemsets written as JSON lines. */
  @Test
  void checksumOfJsonLinesEqualsTheMinersInAnyOrder() throws IOException {
    TransactionDb db =
        TransactionDb.fromIntBaskets(
            new int[][] {{0, 1, 2}, {0, 1}, {1, 2}, {0, 2, 7}, {0, 1, 2}, {7}});
    Itemsets freq = ItemsetMiner.minSupport(0.3).mine(db);
    ItemsetChecksum miner = new ItemsetChecksum();
    ItemsetMiner.minSupport(0.3).mine(db, miner.stream());
    assertEquals(freq.size(), miner.itemsets());

    // stream: item ids as numbers, lines reversed, over two files
    Path s = Files.createDirectories(dir.resolve("stream/itemsets"));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < freq.size(); i++) {
      lines.add(
          "{\"support\":0.5,\"itemsets\":"
              + java.util.Arrays.toString(freq.items(i)).replace(" ", "")
              + ",\"count\":"
              + freq.count(i)
              + ",\"transactions\":6}");
    }
    java.util.Collections.reverse(lines);
    int half = lines.size() / 2;
    Files.write(s.resolve("part-00000-of-00002.jsonl"), lines.subList(0, half));
    Files.write(s.resolve("part-00001-of-00002.jsonl"), lines.subList(half, lines.size()));
    ItemsetChecksum read = ItemsetChecksum.ofJsonLines(s, null);
    assertTrue(ScaleSuite.same(miner, read));

    // grouped: item ids as strings, a store field; the store is part of the checksum
    ItemsetChecksum perStore = new ItemsetChecksum();
    ItemsetMiner.minSupport(0.3).mine(db, perStore.grouped("S001"));
    ItemsetMiner.minSupport(0.3).mine(db, perStore.grouped("S002"));
    Path g = Files.createDirectories(dir.resolve("grouped/itemsets"));
    List<String> gl = new ArrayList<>();
    for (String store : List.of("S002", "S001")) {
      for (int i = 0; i < freq.size(); i++) {
        StringBuilder items = new StringBuilder();
        for (int item : freq.items(i)) {
          items.append(items.length() == 0 ? "" : ",").append('"').append(item).append('"');
        }
        gl.add(
            "{\"store_id\":\""
                + store
                + "\",\"support\":0.5,\"itemsets\":["
                + items
                + "],\"count\":"
                + freq.count(i)
                + ",\"transactions\":6}");
      }
    }
    Files.write(g.resolve("part-00000-of-00001.jsonl"), gl);
    assertTrue(ScaleSuite.same(perStore, ItemsetChecksum.ofJsonLines(g, "store_id")));

    // another count, another store, a missing field: different or an error
    ItemsetChecksum a = new ItemsetChecksum();
    a.add(0, new int[] {1, 2}, 2, 3);
    ItemsetChecksum b = new ItemsetChecksum();
    b.add(0, new int[] {1, 2}, 2, 4);
    assertFalse(ScaleSuite.same(a, b));
    ItemsetChecksum c = new ItemsetChecksum();
    c.add(ItemsetChecksum.groupKey("S001"), new int[] {1, 2}, 2, 3);
    assertFalse(ScaleSuite.same(a, c));
    assertNotEquals(ItemsetChecksum.groupKey("S001"), ItemsetChecksum.groupKey("S010"));
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(bad.resolve("x.jsonl"), "{\"itemsets\":[1]}\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ItemsetChecksum.ofJsonLines(bad, null));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  private static ChildJvm.Result result(Status status, long itemsets, long checksum) {
    return new ChildJvm.Result(
        status,
        status == Status.OK ? 0 : 1,
        1_000_000_000L,
        -1,
        1L << 20,
        status == Status.OK
            ? List.of(Map.of("itemsets", "" + itemsets, "checksum", "" + checksum))
            : List.of(),
        List.of(),
        Path.of("x.log"));
  }

  private static Measure measure(Case c, boolean plain, Status status, long itemsets, long sum) {
    Measure m = new Measure(c, plain);
    m.runs.add(result(status, itemsets, sum));
    if (status == Status.OK) {
      ItemsetChecksum s = new ItemsetChecksum();
      s.set(itemsets, sum);
      m.sums.add(s);
    }
    return m;
  }

  /** A pipeline whose itemsets differ from its plain loop's is a problem; an OOM is not. */
  @Test
  void comparesPipelinesWithTheirPlainLoop() {
    Case sp = new Case(Kind.STREAM, "parquet");
    Case gp = new Case(Kind.GROUPED, "parquet");
    List<Measure> rows =
        List.of(
            measure(sp, true, Status.OK, 10, 99),
            measure(sp, false, Status.OK, 10, 99),
            measure(gp, true, Status.OK, 20, 5),
            measure(gp, false, Status.OOM, 0, 0));
    List<String> problems = new ArrayList<>();
    ScaleSuite.check(rows, problems);
    assertEquals(List.of(), problems);
    assertTrue(ScaleSuite.finishedRight(rows, rows.get(1)));
    assertFalse(ScaleSuite.finishedRight(rows, rows.get(3)));
    assertEquals(1.0, ScaleSuite.ratio(rows, rows.get(1)), 1e-9);
    assertTrue(Double.isNaN(ScaleSuite.ratio(rows, rows.get(3))));

    List<Measure> wrong =
        List.of(measure(sp, true, Status.OK, 10, 99), measure(sp, false, Status.OK, 10, 98));
    ScaleSuite.check(wrong, problems);
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains("checksum 98"), problems::toString);
    assertFalse(ScaleSuite.finishedRight(wrong, wrong.get(1)));

    List<String> noYardstick = new ArrayList<>();
    ScaleSuite.check(
        List.of(measure(sp, true, Status.OOM, 0, 0), measure(sp, false, Status.OK, 10, 99)),
        noYardstick);
    assertEquals(1, noYardstick.size(), noYardstick::toString);
    assertTrue(noYardstick.get(0).contains("no yardstick"), noYardstick::toString);

    Measure twice = measure(sp, false, Status.OK, 10, 99);
    ItemsetChecksum other = new ItemsetChecksum();
    other.set(10, 97);
    twice.sums.add(other);
    assertFalse(twice.consistent());
  }

  @Test
  void classifiesHowChildrenEnd() {
    assertEquals(Status.OK, ChildJvm.classify(0, false, false));
    assertEquals(Status.OK, ChildJvm.classify(0, false, true));
    assertEquals(Status.OOM, ChildJvm.classify(1, false, true));
    assertEquals(Status.OOM, ChildJvm.classify(137, true, true));
    assertEquals(Status.TIMEOUT, ChildJvm.classify(137, true, false));
    assertEquals(Status.FAILED, ChildJvm.classify(2, false, false));
    assertTrue(
        ChildJvm.isOomLine(
            "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"));
    assertTrue(ChildJvm.isOomLine("error: out of memory (max heap 2048 MB): give Java more"));
    assertFalse(ChildJvm.isOomLine("runner=SparkRunner (local[2]) transactions=5"));
    assertEquals(Map.of("a", "1", "b", "x"), ChildJvm.parseResult("result a=1  b=x"));
    assertNull(ChildJvm.parseResult("transactions=3"));
  }

  @Test
  void gcWatchdogCallsAFullHeapCollectingNearlyAllTheTimeOutOfMemory() {
    assertTrue(GcWatchdog.overLimit(30_000, 29_000, 0.99));
    assertFalse(GcWatchdog.overLimit(30_000, 20_000, 0.99), "time left to work");
    assertFalse(GcWatchdog.overLimit(30_000, 29_000, 0.5), "collections free the heap");
    assertFalse(GcWatchdog.overLimit(10_000, 10_000, 0.99), "too short a window");
  }

  /** Real child JVMs: a result line is read, an exhausted heap is OOM, a hang is killed. */
  @Test
  void runsChildJvmsAndTellsHowTheyEnded() throws Exception {
    String main = HarnessChild.class.getName();
    ChildJvm.Result ok =
        ChildJvm.run(List.of("-Xmx64m"), main, List.of("ok"), dir.resolve("ok.log"), 60);
    assertEquals(Status.OK, ok.status(), ok.tail()::toString);
    assertEquals(7, ok.getLong("itemsets", -1));
    assertEquals(-12, ok.getLong("checksum", 0));
    if (Files.isDirectory(Path.of("/proc/self"))) {
      assertTrue(ok.peakRssBytes() > 1 << 20, "VmHWM sampled: " + ok.peakRssBytes());
    }
    ChildJvm.Result oom =
        ChildJvm.run(List.of("-Xmx32m"), main, List.of("oom"), dir.resolve("oom.log"), 60);
    assertEquals(Status.OOM, oom.status(), oom.tail()::toString);
    assertTrue(oom.oomAtNanos() >= 0 && oom.oomAtNanos() <= oom.wallNanos());
    assertTrue(Files.readString(oom.log()).contains("OutOfMemoryError"));
    ChildJvm.Result exit3 =
        ChildJvm.run(List.of("-Xmx32m"), main, List.of("exit3"), dir.resolve("exit3.log"), 60);
    assertEquals(Status.FAILED, exit3.status());
    assertEquals(3, exit3.exitCode());
    ChildJvm.Result hang =
        ChildJvm.run(List.of("-Xmx32m"), main, List.of("sleep"), dir.resolve("sleep.log"), 1);
    assertEquals(Status.TIMEOUT, hang.status());
  }

  /** The plain loops read Parquet and Arrow alike and mine what the miner mines in memory. */
  @Test
  void plainLoopsAgreeAcrossFormatsWithTheMinerInMemory() throws IOException {
    Config c = Config.of(9).withStores(4).withTransactions(40_000).withItems(300);
    Dataset d = GenerateData.generate(c);
    GenerateData.write(
        d, dir, EnumSet.of(Layout.EVENTS), EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW));
    long[] txn = new long[d.numEvents()];
    for (int t = 0; t < d.numTransactions(); t++) {
      for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
        txn[p] = d.transactionId(t);
      }
    }
    ItemsetChecksum global = new ItemsetChecksum();
    ItemsetMiner.minSupport(ScaleChild.STREAM_SUPPORT)
        .mine(TransactionDb.fromPairs(txn, d.items, null), global.stream());
    ItemsetChecksum perStore = new ItemsetChecksum();
    int from = 0;
    for (int t = 1; t <= d.numTransactions(); t++) {
      if (t == d.numTransactions() || d.store[t] != d.store[from]) {
        int a = d.offsets[from];
        int b = d.offsets[t];
        ItemsetMiner.minSupport(ScaleChild.GROUPED_SUPPORT)
            .mine(
                TransactionDb.fromPairs(
                    java.util.Arrays.copyOfRange(txn, a, b),
                    java.util.Arrays.copyOfRange(d.items, a, b),
                    null),
                perStore.grouped(d.storeIds[d.store[from]]));
        from = t;
      }
    }
    for (String f : List.of("parquet", "arrow")) {
      Path file = dir.resolve("events." + f);
      Map<String, String> s =
          ChildJvm.parseResult("result " + ScaleChild.plainStream(file, f.equals("parquet"), 0));
      assertEquals(d.numEvents(), Long.parseLong(s.get("events")), f);
      assertEquals(d.numTransactions(), Long.parseLong(s.get("transactions")), f);
      assertEquals(global.itemsets(), Long.parseLong(s.get("itemsets")), f);
      assertEquals(global.checksum(), Long.parseLong(s.get("checksum")), f);
      Map<String, String> g =
          ChildJvm.parseResult("result " + ScaleChild.plainGrouped(file, f.equals("parquet"), 0));
      assertEquals(d.numEvents(), Long.parseLong(g.get("events")), f);
      assertEquals("4", g.get("stores"), f);
      assertEquals(perStore.itemsets(), Long.parseLong(g.get("itemsets")), f);
      assertEquals(perStore.checksum(), Long.parseLong(g.get("checksum")), f);
    }
  }
}
