package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.BruteForce;
import io.rusket.beam.testing.Datasets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ItemsetMinerTest {
  @Test
  void invalidParametersNameTheValueAndRange() {
    for (double bad : new double[] {0.0, -0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ItemsetMiner.minSupport(bad));
      assertEquals("Invalid minSupport: " + bad + ". Valid range is (0, 1].", e.getMessage());
    }
    assertEquals(
        "Invalid maxLen: 0. Valid range is [1, 2147483647].",
        assertThrows(
                IllegalArgumentException.class, () -> ItemsetMiner.minSupport(0.5).withMaxLen(0))
            .getMessage());
    assertEquals(
        "Invalid minCount: 0. Valid range is [1, 2147483647].",
        assertThrows(IllegalArgumentException.class, () -> ItemsetMiner.minCount(0)).getMessage());
    assertEquals(
        "Invalid threads: 0. Valid range is [1, 2147483647].",
        assertThrows(IllegalArgumentException.class, () -> ItemsetMiner.minCount(1).withThreads(0))
            .getMessage());
    assertEquals(
        "Invalid method: dfs. Valid values are auto, fpgrowth, eclat.",
        assertThrows(IllegalArgumentException.class, () -> Method.parse("dfs")).getMessage());
    assertEquals(Method.ECLAT, Method.parse(" Eclat "));
  }

  @Test
  void thresholdIsTheExactDecimalCeiling() {
    assertEquals(813, ItemsetMiner.thresholdCount(0.1, 8124)); // 812.4 -> 813
    assertEquals(7, ItemsetMiner.thresholdCount(0.07, 100)); // Math.ceil(0.07*100) is 8
    assertEquals(1625, ItemsetMiner.thresholdCount(0.2, 8124)); // 1624.8
    assertEquals(100, ItemsetMiner.thresholdCount(0.001, 100_000));
    assertEquals(45, ItemsetMiner.thresholdCount(0.0005, 88_162)); // 44.081
    assertEquals(88_162, ItemsetMiner.thresholdCount(1.0, 88_162));
    assertEquals(1, ItemsetMiner.thresholdCount(1e-9, 10), "at least one transaction");
    assertEquals(1, ItemsetMiner.thresholdCount(0.5, 0));
    assertEquals(30, ItemsetMiner.thresholdCount(0.3, 100)); // 0.3*100 = 30.000000000000004
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void edgeCases(Method method) {
    ItemsetMiner m = ItemsetMiner.minCount(1).withMethod(method);
    // empty input
    assertEquals(0, m.mine(TransactionDb.fromIntBaskets(new int[0][])).size());
    // only empty transactions
    assertEquals(0, m.mine(TransactionDb.fromIntBaskets(new int[3][0])).size());
    // one transaction of three items: 7 itemsets, each count 1
    Itemsets one = m.mine(TransactionDb.fromIntBaskets(new int[][] {{0, 1, 2}}));
    assertEquals(7, one.size());
    // one item
    Itemsets single = m.mine(TransactionDb.fromIntBaskets(new int[][] {{5}, {5}, {}}));
    assertEquals(1, single.size());
    assertEquals(2, single.count(0));
    assertEquals(2.0 / 3, single.support(0));
    // all items in every basket: every subset, each with count N
    int k = 10;
    int[][] all = new int[7][k];
    for (int[] row : all) {
      for (int j = 0; j < k; j++) {
        row[j] = j;
      }
    }
    Itemsets full = m.mine(TransactionDb.fromIntBaskets(all));
    assertEquals((1 << k) - 1, full.size());
    for (int i = 0; i < full.size(); i++) {
      assertEquals(7, full.count(i));
    }
    assertEquals(k, m.withMaxLen(1).mine(TransactionDb.fromIntBaskets(all)).size());
    assertEquals(
        k + k * (k - 1) / 2, m.withMaxLen(2).mine(TransactionDb.fromIntBaskets(all)).size());
    // minSupport exactly at a count boundary: count 3 of N=6 is support 0.5, frequent
    int[][] half = {{0, 1}, {0, 1}, {0, 1}, {0}, {1}, {}};
    Itemsets h =
        ItemsetMiner.minSupport(0.5).withMethod(method).mine(TransactionDb.fromIntBaskets(half));
    assertEquals(3, h.size(), h.toString());
    assertEquals(3, h.count(h.indexOf(0, 1)));
    // threshold above N: nothing
    assertEquals(
        0,
        ItemsetMiner.minCount(7)
            .withMethod(method)
            .mine(TransactionDb.fromIntBaskets(half))
            .size());
  }

  /** A sink that records every call, items in the order delivered. */
  private static final class Recorder implements ItemsetSink {
    final List<int[]> items = new ArrayList<>();
    final List<Long> counts = new ArrayList<>();
    final Thread thread = Thread.currentThread();

    @Override
    public void accept(int[] src, int length, long count) {
      if (Thread.currentThread() != thread) {
        throw new AssertionError("sink called from " + Thread.currentThread().getName());
      }
      items.add(java.util.Arrays.copyOf(src, length));
      counts.add(count);
    }
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void parallelOutputIsIdenticalToSequentialAndFromTheCallingThread(Method method)
      throws IOException {
    long saved = OrderedTasks.spawnAfterNanos;
    OrderedTasks.spawnAfterNanos = 0; // helpers join at once, even on these small jobs
    try {
      checkParallelIdentity(method);
    } finally {
      OrderedTasks.spawnAfterNanos = saved;
    }
  }

  /**
   * In a cold JVM (its first {@link OrderedTasks#COLD_MINING_NANOS} of mining) helpers join only
   * after {@link OrderedTasks#coldSpawnAfterNanos}; once warm, after {@link
   * OrderedTasks#spawnAfterNanos} again. Either way the output equals a one-thread run's.
   */
  @ParameterizedTest
  @EnumSource(Method.class)
  void coldJvmDelaysHelpersAndKeepsTheOutput(Method method) throws IOException {
    long savedSpawn = OrderedTasks.spawnAfterNanos;
    long savedCold = OrderedTasks.coldSpawnAfterNanos;
    long savedMined = OrderedTasks.minedNanos.get();
    TransactionDb db = TransactionDb.readBaskets(Datasets.require("chess.dat"));
    ItemsetMiner m =
        ItemsetMiner.minCount(ItemsetMiner.thresholdCount(0.8, db.size())).withMethod(method);
    Recorder seq = new Recorder();
    m.withThreads(1).mine(db, seq);
    try {
      OrderedTasks.spawnAfterNanos = 1; // warm: helpers join at the first task boundary
      long hour = 3_600_000_000_000L;
      // cold, helpers held back for an hour: the job is done on the calling thread alone
      OrderedTasks.coldSpawnAfterNanos = hour;
      OrderedTasks.minedNanos.set(0);
      long before = OrderedTasks.helpersStarted.get();
      assertSameOutput(seq, m.withThreads(4), db, "cold");
      assertEquals(before, OrderedTasks.helpersStarted.get(), "helpers started in a cold JVM");
      assertTrue(OrderedTasks.minedNanos.get() > 0, "mining time is counted");
      // cold, a delay shorter than the job: helpers join
      OrderedTasks.coldSpawnAfterNanos = 1;
      OrderedTasks.minedNanos.set(0);
      before = OrderedTasks.helpersStarted.get();
      assertSameOutput(seq, m.withThreads(4), db, "cold, short delay");
      assertEquals(before + 3, OrderedTasks.helpersStarted.get(), "helpers after the cold delay");
      // warm: the cold delay no longer applies
      OrderedTasks.coldSpawnAfterNanos = hour;
      OrderedTasks.minedNanos.set(OrderedTasks.COLD_MINING_NANOS);
      before = OrderedTasks.helpersStarted.get();
      assertSameOutput(seq, m.withThreads(4), db, "warm");
      assertEquals(before + 3, OrderedTasks.helpersStarted.get(), "helpers in a warm JVM");
    } finally {
      OrderedTasks.spawnAfterNanos = savedSpawn;
      OrderedTasks.coldSpawnAfterNanos = savedCold;
      OrderedTasks.minedNanos.set(Math.max(savedMined, OrderedTasks.minedNanos.get()));
    }
  }

  private static void assertSameOutput(Recorder seq, ItemsetMiner m, TransactionDb db, String at) {
    Recorder par = new Recorder();
    long n = m.mine(db, par);
    assertEquals(seq.items.size(), n, at);
    assertEquals(seq.counts, par.counts, at);
    for (int i = 0; i < seq.items.size(); i++) {
      assertArrayEquals(seq.items.get(i), par.items.get(i), at + " #" + i);
    }
  }

  private static void checkParallelIdentity(Method method) throws IOException {
    List<TransactionDb> dbs = new ArrayList<>();
    Random rnd = new Random(7);
    dbs.add(TransactionDb.fromIntBaskets(BruteForce.randomBaskets(rnd, 2000, 40, 15)));
    dbs.add(TransactionDb.readBaskets(Datasets.require("chess.dat")));
    for (TransactionDb db : dbs) {
      long minCount = ItemsetMiner.thresholdCount(db.size() > 3000 ? 0.8 : 0.02, db.size());
      Recorder seq = new Recorder();
      ItemsetMiner m = ItemsetMiner.minCount(minCount).withMethod(method);
      m.withThreads(1).mine(db, seq);
      for (int threads : new int[] {2, 3, 8}) {
        Recorder par = new Recorder();
        long n = m.withThreads(threads).mine(db, par);
        assertEquals(seq.items.size(), n);
        assertEquals(seq.counts, par.counts, "threads=" + threads);
        for (int i = 0; i < seq.items.size(); i++) {
          assertArrayEquals(seq.items.get(i), par.items.get(i), "threads=" + threads + " #" + i);
        }
      }
    }
  }

  /**
   * mineConsuming writes FP-Growth's ranked form over the database's own arrays: the same itemsets,
   * in the same order, as mining a copy, for every method and thread count, on random databases
   * with infrequent items (which the in-place compaction drops) and empty transactions.
   */
  @ParameterizedTest
  @EnumSource(Method.class)
  void mineConsumingEqualsMineOnACopy(Method method) {
    for (int seed = 0; seed < 60; seed++) {
      Random rnd = new Random(seed);
      int[][] baskets = BruteForce.randomBaskets(rnd, 1 + rnd.nextInt(400), 2 + rnd.nextInt(30), 9);
      long minCount = 1 + rnd.nextInt(20);
      for (int threads : new int[] {1, 3}) {
        ItemsetMiner m = ItemsetMiner.minCount(minCount).withMethod(method).withThreads(threads);
        Recorder expected = new Recorder();
        m.mine(TransactionDb.fromIntBaskets(baskets), expected);
        Recorder consumed = new Recorder();
        long n = m.mineConsuming(TransactionDb.fromIntBaskets(baskets), consumed);
        String at = "seed=" + seed + " threads=" + threads;
        assertEquals(expected.items.size(), n, at);
        assertEquals(expected.counts, consumed.counts, at);
        for (int i = 0; i < n; i++) {
          assertArrayEquals(expected.items.get(i), consumed.items.get(i), at + " #" + i);
        }
      }
    }
  }

  @Test
  void sortedSinkAndCollectorDeliverAscendingItems() {
    int[][] baskets = BruteForce.randomBaskets(new Random(3), 300, 12, 8);
    TransactionDb db = TransactionDb.fromIntBaskets(baskets);
    ItemsetMiner m = ItemsetMiner.minCount(5).withMethod(Method.FPGROWTH);
    List<int[]> sorted = new ArrayList<>();
    m.mine(
        db, ItemsetSink.sorted((items, len, c) -> sorted.add(java.util.Arrays.copyOf(items, len))));
    Itemsets collected = m.mine(db);
    assertEquals(sorted.size(), collected.size());
    for (int i = 0; i < sorted.size(); i++) {
      int[] s = sorted.get(i);
      for (int k = 1; k < s.length; k++) {
        if (s[k - 1] >= s[k]) {
          throw new AssertionError("not ascending: " + java.util.Arrays.toString(s));
        }
      }
      assertArrayEquals(s, collected.items(i));
    }
  }

  @Test
  void statsReportMethodAndMemory() throws IOException {
    TransactionDb chess = TransactionDb.readBaskets(Datasets.require("chess.dat"));
    MiningStats s =
        ItemsetMiner.minSupport(0.8).withThreads(2).mineWithStats(chess, (i, l, c) -> {});
    assertEquals(Method.ECLAT, s.method(), "chess is dense");
    assertEquals(8227, s.itemsets());
    assertEquals(2557, s.minCount());
    // 19 frequent items × ceil(3196/64) words × 8 bytes
    assertEquals(19L * 50 * 8, s.structureBytes());
    // Buffering depends on scheduling (the calling thread may mine every task itself).
    if (s.scratchBytes() <= 0 || s.peakBufferedBytes() < 0) {
      throw new AssertionError(s.toString());
    }
    TransactionDb retail = TransactionDb.readBaskets(Datasets.require("retail.dat"));
    MiningStats r =
        ItemsetMiner.minSupport(0.0005).withThreads(1).mineWithStats(retail, (i, l, c) -> {});
    assertEquals(Method.FPGROWTH, r.method(), "retail's 3926 frequent items are sparse");
    assertEquals(19242, r.itemsets());
    assertEquals(0, r.peakBufferedBytes(), "one thread buffers nothing");
  }

  @Test
  void collectedItemsetsCarryNamesAndSupport() {
    TransactionDb db =
        TransactionDb.fromStringBaskets(
            List.of(List.of("milk", "bread"), List.of("bread"), List.of("milk", "bread", "eggs")));
    Itemsets f = ItemsetMiner.minSupport(0.6).mine(db);
    assertEquals(3, f.size(), f.toString());
    int both = f.indexOf(0, 1);
    assertArrayEquals(new String[] {"milk", "bread"}, f.names(both));
    assertEquals(2.0 / 3, f.support(both));
    assertArrayEquals(new long[] {2, 1}, f.countsByLength());
    assertEquals(f.canonical(), f.canonical().canonical());
  }
}
