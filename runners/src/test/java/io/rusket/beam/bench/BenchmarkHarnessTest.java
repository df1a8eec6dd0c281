package io.rusket.beam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark harness itself: options, case selection, fingerprints, medians, a tiny run. */
class BenchmarkHarnessTest {

  @Test
  void defaultOptions() {
    BenchOptions o = BenchOptions.parse("", " ");
    assertEquals("miner", o.suite);
    assertTrue(o.cases.isEmpty());
    assertEquals(5, o.repeat);
    assertEquals(3, o.warmup);
    assertEquals(1000, o.warmupMillis);
    assertEquals(3, o.peerRepeat);
    assertEquals(Set.of("spark", "smile"), o.peers);
    assertFalse(o.timeMethods);
  }

  @Test
  void parsesOptions() {
    BenchOptions o =
        BenchOptions.parse(
            "--cases=mushroom:0.05, chess",
            "--repeat=2",
            "--warmup=0",
            "--peers=none",
            "--time-methods",
            "--datasets=/tmp/x");
    assertEquals(List.of("mushroom:0.05", "chess"), o.cases);
    assertEquals(2, o.repeat);
    assertEquals(0, o.warmup);
    assertTrue(o.peers.isEmpty());
    assertTrue(o.timeMethods);
    assertEquals(Path.of("/tmp/x"), o.datasets);
    assertEquals(Set.of("smile"), BenchOptions.parse("--peers=Smile").peers);
  }

  @Test
  void rejectsBadOptionsNamingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--repeat=0"));
    assertTrue(e.getMessage().contains("--repeat: 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--peers=weka"));
    assertTrue(e.getMessage().contains("weka"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--fast"));
    assertTrue(e.getMessage().contains("--fast"), e.getMessage());
  }

  @Test
  void defaultCasesAreThe13ExactReferenceRows() {
    List<MinerSuite.Case> cases = MinerSuite.selectCases(List.of());
    assertEquals(13, cases.size());
    assertTrue(cases.stream().allMatch(c -> c.ref() != null && c.ref().exact()));
    assertEquals("mushroom:0.2", cases.get(0).key());
    assertEquals("retail:0.0005", cases.get(9).key());
  }

  @Test
  void selectsCasesByNameAndSupport() {
    List<MinerSuite.Case> cases =
        MinerSuite.selectCases(List.of("chess", "t10i4d100k:0.001", "retail:0.002"));
    assertEquals(5, cases.size());
    assertEquals("T10I4D100K:0.001", cases.get(3).key());
    assertEquals(27532, cases.get(3).ref().itemsets);
    assertNull(cases.get(4).ref(), "a support outside the table has no reference");
    assertThrows(IllegalArgumentException.class, () -> MinerSuite.selectCases(List.of("nope")));
    assertThrows(IllegalArgumentException.class, () -> MinerSuite.selectCases(List.of("chess:x")));
    assertThrows(IllegalArgumentException.class, () -> MinerSuite.selectCases(List.of("chess:2")));
  }

  @Test
  void fingerprintIgnoresOrderButSeesItemsAndCounts() {
    long[] keys = Fingerprint.itemKeys(8);
    Fingerprint a = new Fingerprint(keys);
    a.accept(new int[] {1, 4}, 2, 10);
    a.accept(new int[] {2, 3, 99}, 2, 7);
    Fingerprint b = new Fingerprint(keys);
    b.accept(new int[] {2, 3}, 2, 7);
    b.accept(new int[] {4, 1}, 2, 10);
    assertEquals(a.checksum(), b.checksum());
    assertEquals(2, b.itemsets());

    Fingerprint swappedCounts = new Fingerprint(keys);
    swappedCounts.accept(new int[] {1, 4}, 2, 7);
    swappedCounts.accept(new int[] {2, 3}, 2, 10);
    assertNotEquals(a.checksum(), swappedCounts.checksum());
    Fingerprint sameIdSum = new Fingerprint(keys);
    sameIdSum.accept(new int[] {1, 4}, 2, 5);
    Fingerprint other = new Fingerprint(keys);
    other.accept(new int[] {2, 3}, 2, 5);
    assertNotEquals(sameIdSum.checksum(), other.checksum());
  }

  @Test
  void medianAndSpread() {
    Outcome o = Outcome.countOnly(1);
    assertEquals(
        2.0, new Measured(new long[] {3_000_000, 1_000_000, 2_000_000}, o, true, null).medianMs());
    Measured even =
        new Measured(new long[] {4_000_000, 1_000_000, 2_000_000, 3_000_000}, o, true, null);
    assertEquals(2.5, even.medianMs());
    assertEquals(3.0 / 2.5, even.spread(), 1e-12);
    assertTrue(Double.isNaN(Measured.failed(new RuntimeException("x")).medianMs()));
  }

  @Test
  void warmsUpByCountAndTimeThenTimesRepeatRuns() {
    int[] runs = new int[1];
    int[] checksumRuns = new int[1];
    Measured.Run counting =
        () -> {
          runs[0]++;
          return Outcome.countOnly(7);
        };
    Measured.Run withChecksum =
        () -> {
          checksumRuns[0]++;
          return new Outcome(7, 42, true);
        };
    Measured m = Measured.measure(2, 0, 3, counting, withChecksum);
    assertEquals(1, checksumRuns[0], "the checksum run replaces the first warm-up");
    assertEquals(1 + 3, runs[0], "one more warm-up, then 3 timed runs");
    assertEquals(3, m.nanos().length);
    assertTrue(m.consistent());
    assertEquals(42, m.outcome().checksum(), "the outcome with a checksum is kept");

    // Time-based warm-up: warm-ups go on until their run time reaches 50 ms, then 1 timed run.
    java.util.List<Long> took = new java.util.ArrayList<>();
    Measured.Run slow =
        () -> {
          long t0 = System.nanoTime();
          Thread.sleep(5);
          took.add(System.nanoTime() - t0);
          return Outcome.countOnly(7);
        };
    Measured.measure(1, 50, 1, slow, null);
    long warm = 0;
    for (int i = 0; i < took.size() - 1; i++) {
      warm += took.get(i);
    }
    long beforeLast = warm - took.get(took.size() - 2);
    // The harness times each run from outside; the lambda's own clock misses a little of it
    // (the call and the list add), so allow 1 ms per warm-up.
    assertTrue(
        warm + 1_000_000L * (took.size() - 1) >= 50_000_000L, "warm-ups ran " + warm + " ns");
    assertTrue(took.size() == 2 || beforeLast < 50_000_000L, "no warm-up past 50 ms: " + took);

    int[] n = new int[1];
    Measured bad = Measured.measure(0, 0, 2, () -> Outcome.countOnly(n[0]++), null);
    assertFalse(bad.consistent(), "different counts in different runs are flagged");
  }

  @Test
  void missingDatasetsFolderIsReportedAndExitsZero(@TempDir Path tmp) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Benchmark.run(
            new String[] {"--datasets=" + tmp.resolve("absent")},
            print(out),
            print(new ByteArrayOutputStream()));
    assertEquals(0, code);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("is absent"));
  }

  @Test
  void tinyRunAgainstSmileAgreesAndReportsTargets(@TempDir Path tmp) throws Exception {
    writeTiny(tmp);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Benchmark.run(
            new String[] {
              "--datasets=" + tmp,
              "--cases=tiny:0.4",
              "--peers=smile",
              "--repeat=1",
              "--warmup=0",
              "--warmup-ms=0",
              "--peer-repeat=1"
            },
            print(out),
            print(new ByteArrayOutputStream()));
    String report = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, report);
    assertTrue(report.contains("Correctness: PASS"), report);
    assertTrue(report.contains("all 5 equal"), report);
    assertTrue(report.matches("(?s).*tiny 0\\.4 +5 .*"), report);
    assertTrue(report.contains("≥3× faster than Smile on every case: "), report);
    assertTrue(report.contains("within 2× of Borgelt C: n/a"), report);
  }

  private static void writeTiny(Path dir) throws IOException {
    // 5 baskets (one with a repeated item, one with a trailing space); at minSupport 0.4
    // (minCount 2) the frequent itemsets are {1},{2},{3},{1,2},{2,3}. No reference row: the
    // report compares our methods and Smile with each other.
    Files.writeString(dir.resolve("tiny.dat"), "1 2 3\n1 2\n2 3\n3 4 \n1 2 2\n");
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  @Test
  void receiptChunksAreDeterministicAndCoverEveryReceipt() {
    int[] sizes = ReceiptGen.storeSizes(20_000);
    assertEquals(20_000, java.util.Arrays.stream(sizes).sum());
    assertTrue(sizes[0] > 10 * sizes[ReceiptGen.STORES - 1], "Zipf store sizes");
    int[] s1 = new int[1];
    int[] s2 = new int[1];
    int[] a = new int[ReceiptGen.ITEMS];
    int[] b = new int[ReceiptGen.ITEMS];
    ReceiptGen g1 = new ReceiptGen(7, 20_000);
    ReceiptGen g2 = new ReceiptGen(7, 20_000);
    int n;
    while ((n = g1.next(s1, a)) >= 0) {
      assertEquals(n, g2.next(s2, b));
      assertEquals(s1[0], s2[0]);
      assertTrue(n >= 1 && n <= ReceiptGen.MAX_DRAWS, "basket size " + n);
      for (int i = 0; i < n; i++) {
        assertEquals(a[i], b[i]);
        assertTrue(i == 0 || a[i - 1] < a[i], "distinct and ascending");
      }
    }
    assertEquals(-1, g2.next(s2, b));
  }

  @Test
  void sparkSuiteRejectsBadCasesBeforeStartingSpark() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new SparkSuite()
            .run(
                BenchOptions.parse("--suite=spark", "--cases=stream:abc"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("stream:abc"), err.toString());
    assertTrue(Benchmark.SUITES.containsKey("spark"));
  }

  /** The suites' peer timing: the warm-up untimed, each timed run printed, results compared. */
  @Test
  void timedRunsTimeEachRepeatAndCatchDifferencesAndFailures() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int[] calls = new int[1];
    TimedRuns<String> same =
        TimedRuns.measure("same", () -> "warm", () -> "r" + 0 * calls[0]++, 3, err);
    assertNull(same.error());
    assertEquals(3, same.nanos().length);
    assertEquals(3, calls[0]);
    assertEquals("r0", same.result());
    assertTrue(same.medianMs() >= 0, () -> "" + same.medianMs());
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("[bench] same: warm-up ..."), printed);
    assertEquals(
        3, printed.lines().filter(l -> l.matches("\\[bench\\] same: \\d+ ms, r0")).count());

    int[] n = new int[1];
    TimedRuns<Integer> differs = TimedRuns.measure("differs", () -> 0, () -> n[0]++ / 2, 4, err);
    assertEquals("run 3 differs from run 1", differs.error());
    assertEquals(0, differs.result());

    TimedRuns<Integer> fails =
        TimedRuns.measure(
            "fails",
            () -> {
              throw new IllegalStateException("no data");
            },
            () -> 1,
            2,
            err);
    assertEquals("IllegalStateException: no data", fails.error());
    assertEquals(0, fails.nanos().length);
    assertNull(fails.result());
    assertTrue(Double.isNaN(fails.medianMs()));
  }
}
