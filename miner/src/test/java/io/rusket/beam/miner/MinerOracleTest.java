package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rusket.beam.testing.BruteForce;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every method against the brute-force oracle on many random small databases. */
class MinerOracleTest {
  private static final int SEEDS = 300;

  @ParameterizedTest
  @EnumSource(Method.class)
  void matchesBruteForceOnRandomData(Method method) {
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
      ItemsetMiner miner =
          ItemsetMiner.minCount(minCount).withMethod(method).withThreads(threads);
      if (maxLen != Integer.MAX_VALUE) {
        miner = miner.withMaxLen(maxLen);
      }
      String ctx =
          "seed=" + seed + " method=" + method + " n=" + n + " items=" + nItems + " minCount="
              + minCount + " maxLen=" + maxLen + " threads=" + threads;
      Itemsets got = miner.mine(db).canonical();
      List<BruteForce.Counted> want =
          BruteForce.frequent(baskets, Math.max(dbItems, 0), minCount, maxLen);
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
        ItemsetMiner.minSupport(0.07).withMethod(method).mine(TransactionDb.fromIntBaskets(baskets));
    assertEquals(7, got.count(got.indexOf(0, 1)));
    assertEquals(-1, got.indexOf(1, 2), "{1,2} has count 6 < 7");
    assertEquals(4, got.size(), got.toString()); // {0} {1} {3} {0,1}; {2} has 6
  }
}
