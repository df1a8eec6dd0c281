package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rusket.beam.testing.BruteForce;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every method against the brute-force oracle on many random small databases. */
class MinerOracleTest {
  private static final int SEEDS = 300;

  /** Mines with a method name, or Eclat forced onto one vertical layout (ECLAT_BITSET/TIDLIST). */
  static Itemsets mine(String variant, TransactionDb db, long minCount, int maxLen, int threads) {
    if (variant.startsWith("ECLAT_")) {
      Itemsets.Collector c = Itemsets.collector(db.size(), db.itemNames());
      if (db.size() > 0 && minCount <= db.size()) {
        Eclat.Layout layout =
            variant.endsWith("BITSET") ? Eclat.Layout.BITSET : Eclat.Layout.TIDLIST;
        new Eclat(db, (int) minCount, maxLen, threads, layout).run(c);
      }
      return c.build();
    }
    ItemsetMiner m =
        ItemsetMiner.minCount(minCount).withMethod(Method.valueOf(variant)).withThreads(threads);
    return (maxLen == Integer.MAX_VALUE ? m : m.withMaxLen(maxLen)).mine(db);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AUTO", "FPGROWTH", "ECLAT", "ECLAT_BITSET", "ECLAT_TIDLIST"})
  void matchesBruteForceOnRandomData(String method) {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      int nItems = 1 + rnd.nextInt(12);
      int n = rnd.nextInt(60);
      int[][] baskets = BruteForce.randomBaskets(rnd, n, nItems, 1 + rnd.nextInt(nItems + 2));
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      int dbItems = db.nItems();
      // Thresholds at exact count boundaries: every count 1..n is tried over the seeds.
      long minCount = 1 + (n == 0 ? 0 : rnd.nextInt(Math.max(1, n / 2)));
      int maxLen = rnd.nextBoolean() ? Integer.MAX_VALUE : 1 + rnd.nextInt(4);
      int threads = 1 + rnd.nextInt(3);
      String ctx =
          "seed="
              + seed
              + " method="
              + method
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
      Itemsets got = mine(method, db, minCount, maxLen, threads).canonical();
      List<BruteForce.Counted> want =
          BruteForce.frequent(baskets, Math.max(dbItems, 0), minCount, maxLen);
      assertEquals(want.size(), got.size(), ctx + ": number of itemsets");
      for (int i = 0; i < want.size(); i++) {
        assertArrayEquals(want.get(i).items, got.items(i), ctx + ": itemset " + i);
        assertEquals(want.get(i).count, got.count(i), ctx + ": count of itemset " + i);
      }
    }
  }

  /**
   * Larger, heavily skewed data: item supports differ by far more than 16×, which drives Eclat's
   * galloping intersections and deep, wide FP-trees.
   */
  @ParameterizedTest
  @ValueSource(strings = {"AUTO", "FPGROWTH", "ECLAT", "ECLAT_BITSET", "ECLAT_TIDLIST"})
  void matchesBruteForceOnSkewedData(String method) {
    for (int seed = 0; seed < 20; seed++) {
      Random rnd = new Random(1000 + seed);
      int nItems = 14;
      int n = 400 + rnd.nextInt(800);
      int[][] baskets = new int[n][];
      for (int t = 0; t < n; t++) {
        int size = 1 + rnd.nextInt(8);
        baskets[t] = new int[size];
        for (int k = 0; k < size; k++) {
          // P(item i) ~ 2^-i: item 0 in most baskets, item 13 in a handful
          baskets[t][k] =
              Math.min(nItems - 1, Integer.numberOfTrailingZeros(rnd.nextInt() | (1 << 20)));
        }
      }
      long minCount = 1 + rnd.nextInt(3);
      String ctx =
          "seed=" + (1000 + seed) + " method=" + method + " n=" + n + " minCount=" + minCount;
      Itemsets got =
          mine(
                  method,
                  TransactionDb.fromIntBaskets(baskets),
                  minCount,
                  Integer.MAX_VALUE,
                  1 + seed % 2)
              .canonical();
      List<BruteForce.Counted> want =
          BruteForce.frequent(baskets, nItems, minCount, Integer.MAX_VALUE);
      assertEquals(want.size(), got.size(), ctx + ": number of itemsets");
      for (int i = 0; i < want.size(); i++) {
        assertArrayEquals(want.get(i).items, got.items(i), ctx + ": itemset " + i);
        assertEquals(want.get(i).count, got.count(i), ctx + ": count of itemset " + i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Method.class)
  void relativeSupportAtExactBoundary(Method method) {
    // N = 100, minSupport 0.07 must mean count >= 7 (floating point would make it 8).
    int[][] baskets = new int[100][];
    for (int t = 0; t < 100; t++) {
      baskets[t] = t < 7 ? new int[] {0, 1} : (t < 13 ? new int[] {1, 2} : new int[] {3});
    }
    Itemsets got =
        ItemsetMiner.minSupport(0.07)
            .withMethod(method)
            .mine(TransactionDb.fromIntBaskets(baskets));
    assertEquals(7, got.count(got.indexOf(0, 1)));
    assertEquals(-1, got.indexOf(1, 2), "{1,2} has count 6 < 7");
    assertEquals(4, got.size(), got.toString()); // {0} {1} {3} {0,1}; {2} has 6
  }
}
