package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rusket.beam.testing.BruteForce;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closed and maximal itemsets of every method against a brute-force oracle (every frequent itemset,
 * filtered by the definitions) on many random small databases, at count boundaries, with and
 * without maxLen, on 1 to 3 threads (helpers joining at once).
 */
class CondensedOracleTest {
  private static final int SEEDS = 400;
  private static long savedSpawn;

  @BeforeAll
  static void helpersAtOnce() {
    savedSpawn = OrderedTasks.spawnAfterNanos;
    OrderedTasks.spawnAfterNanos = 0;
  }

  @AfterAll
  static void restore() {
    OrderedTasks.spawnAfterNanos = savedSpawn;
  }

  /**
   * Mines with a method name, Eclat forced onto one layout (ECLAT_BITSET / ECLAT_TIDLIST), or
   * FP-Growth without pair counts (FPGROWTH_SCAN: the path taken with more than {@link
   * FpGrowth.RankedDb#MAX_PAIR_RANKS} frequent items).
   */
  static Itemsets mine(
      String variant, TransactionDb db, long minCount, int maxLen, int threads, Target target) {
    if (variant.equals("FPGROWTH_SCAN")) {
      Itemsets.Collector c = Itemsets.collector(db.size(), db.itemNames());
      if (db.size() > 0 && minCount <= db.size()) {
        new FpGrowth(db, (int) minCount, maxLen, threads, false, target).withoutPairCounts().run(c);
      }
      return c.build();
    }
    if (variant.startsWith("ECLAT_")) {
      Itemsets.Collector c = Itemsets.collector(db.size(), db.itemNames());
      if (db.size() > 0 && minCount <= db.size()) {
        Eclat.Layout layout =
            variant.endsWith("BITSET") ? Eclat.Layout.BITSET : Eclat.Layout.TIDLIST;
        new Eclat(db, (int) minCount, maxLen, threads, layout, target).run(c);
      }
      return c.build();
    }
    ItemsetMiner m =
        ItemsetMiner.minCount(minCount)
            .withMethod(Method.valueOf(variant))
            .withThreads(threads)
            .withTarget(target);
    return (maxLen == Integer.MAX_VALUE ? m : m.withMaxLen(maxLen)).mine(db);
  }

  /**
   * The closed or maximal itemsets among {@code all} (every frequent itemset), of ≤ maxLen items.
   */
  static List<BruteForce.Counted> condensed(
      List<BruteForce.Counted> all, Target target, int maxLen) {
    List<BruteForce.Counted> out = new ArrayList<>();
    for (BruteForce.Counted x : all) {
      if (x.items.length > maxLen) {
        continue;
      }
      boolean keep = true;
      for (BruteForce.Counted y : all) {
        if (y.items.length > x.items.length
            && isSubset(x.items, y.items)
            && (target == Target.MAXIMAL || y.count == x.count)) {
          keep = false;
          break;
        }
      }
      if (keep) {
        out.add(x);
      }
    }
    return out;
  }

  static boolean isSubset(int[] a, int[] b) {
    int j = 0;
    for (int v : a) {
      while (j < b.length && b[j] < v) {
        j++;
      }
      if (j == b.length || b[j] != v) {
        return false;
      }
      j++;
    }
    return true;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"AUTO", "FPGROWTH", "FPGROWTH_SCAN", "ECLAT", "ECLAT_BITSET", "ECLAT_TIDLIST"})
  void closedAndMaximalMatchBruteForce(String method) {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      int nItems = 1 + rnd.nextInt(12);
      int n = rnd.nextInt(60);
      int[][] baskets = BruteForce.randomBaskets(rnd, n, nItems, 1 + rnd.nextInt(nItems + 2));
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      long minCount = 1 + (n == 0 ? 0 : rnd.nextInt(Math.max(1, n / 2)));
      int maxLen = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(4) : Integer.MAX_VALUE;
      int threads = 1 + rnd.nextInt(3);
      List<BruteForce.Counted> all =
          BruteForce.frequent(baskets, Math.max(db.nItems(), 0), minCount, Integer.MAX_VALUE);
      for (Target target : new Target[] {Target.CLOSED, Target.MAXIMAL}) {
        String ctx =
            "seed="
                + seed
                + " method="
                + method
                + " target="
                + target
                + " n="
                + n
                + " items="
                + nItems
                + " minCount="
                + minCount
                + " maxLen="
                + maxLen
                + " threads="
                + threads;
        Itemsets got = mine(method, db, minCount, maxLen, threads, target).canonical();
        assertSame(condensed(all, target, maxLen), got, ctx);
      }
    }
  }

  /** Larger skewed data (supports differing by far more than 16×), deep trees. */
  @ParameterizedTest
  @ValueSource(strings = {"FPGROWTH", "FPGROWTH_SCAN", "ECLAT_BITSET", "ECLAT_TIDLIST"})
  void closedAndMaximalOnSkewedData(String method) {
    for (int seed = 0; seed < 12; seed++) {
      Random rnd = new Random(2000 + seed);
      int nItems = 14;
      int n = 300 + rnd.nextInt(600);
      int[][] baskets = new int[n][];
      for (int t = 0; t < n; t++) {
        int size = 1 + rnd.nextInt(9);
        baskets[t] = new int[size];
        for (int k = 0; k < size; k++) {
          baskets[t][k] =
              Math.min(nItems - 1, Integer.numberOfTrailingZeros(rnd.nextInt() | (1 << 20)));
        }
      }
      long minCount = 1 + rnd.nextInt(4);
      List<BruteForce.Counted> all =
          BruteForce.frequent(baskets, nItems, minCount, Integer.MAX_VALUE);
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      for (Target target : new Target[] {Target.CLOSED, Target.MAXIMAL}) {
        String ctx = "seed=" + (2000 + seed) + " method=" + method + " target=" + target;
        assertSame(
            condensed(all, target, Integer.MAX_VALUE),
            mine(method, db, minCount, Integer.MAX_VALUE, 1 + seed % 3, target).canonical(),
            ctx);
      }
    }
  }

  /** The delivery order, not only the set, is the same on 1 and 2 threads. */
  @ParameterizedTest
  @ValueSource(strings = {"FPGROWTH", "FPGROWTH_SCAN", "ECLAT_BITSET", "ECLAT_TIDLIST"})
  void orderIndependentOfThreads(String method) {
    for (int seed = 0; seed < 40; seed++) {
      Random rnd = new Random(5000 + seed);
      int[][] baskets = BruteForce.randomBaskets(rnd, 200, 14, 9);
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      for (Target target : new Target[] {Target.CLOSED, Target.MAXIMAL}) {
        Itemsets one = mine(method, db, 2, Integer.MAX_VALUE, 1, target);
        Itemsets two = mine(method, db, 2, Integer.MAX_VALUE, 2, target);
        assertEquals(one, two, "seed=" + (5000 + seed) + " " + method + " " + target);
      }
    }
  }

  @Test
  void edgeCases() {
    for (Method m : Method.values()) {
      for (Target t : new Target[] {Target.CLOSED, Target.MAXIMAL}) {
        ItemsetMiner miner = ItemsetMiner.minCount(1).withMethod(m).withTarget(t);
        assertEquals(0, miner.mine(TransactionDb.fromIntBaskets(new int[0][])).size());
        // every item in every basket: one closed and maximal itemset
        Itemsets all = miner.mine(TransactionDb.fromIntBaskets(new int[][] {{0, 1, 2}, {2, 1, 0}}));
        assertEquals(1, all.size(), m + " " + t);
        assertArrayEquals(new int[] {0, 1, 2}, all.canonical().items(0));
        assertEquals(2, all.count(0));
        // maxLen below the only closed itemset's length: nothing
        assertEquals(
            0,
            miner
                .withMaxLen(2)
                .mine(TransactionDb.fromIntBaskets(new int[][] {{0, 1, 2}, {2, 1, 0}}))
                .size());
      }
    }
  }

  private static void assertSame(List<BruteForce.Counted> want, Itemsets got, String ctx) {
    assertEquals(want.size(), got.size(), ctx + ": number of itemsets " + got);
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).items, got.items(i), ctx + ": itemset " + i);
      assertEquals(want.get(i).count, got.count(i), ctx + ": count of itemset " + i);
    }
  }
}
