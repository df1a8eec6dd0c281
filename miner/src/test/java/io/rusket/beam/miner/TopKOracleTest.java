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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Top-k against brute force: every frequent itemset (of the target, of minLen..maxLen items) sorted
 * by count descending, then length, then items, cut at k; both methods, 1-3 threads.
 */
class TopKOracleTest {
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

  static List<BruteForce.Counted> expected(
      int[][] baskets, int nItems, long floor, Target target, int k, int minLen, int maxLen) {
    List<BruteForce.Counted> all = BruteForce.frequent(baskets, nItems, floor, Integer.MAX_VALUE);
    List<BruteForce.Counted> pool =
        target == Target.ALL ? all : CondensedOracleTest.condensed(all, target, Integer.MAX_VALUE);
    List<BruteForce.Counted> out = new ArrayList<>();
    for (BruteForce.Counted c : pool) {
      if (c.items.length >= minLen && c.items.length <= maxLen) {
        out.add(c);
      }
    }
    out.sort(
        (a, b) -> {
          if (a.count != b.count) {
            return Long.compare(b.count, a.count);
          }
          if (a.items.length != b.items.length) {
            return Integer.compare(a.items.length, b.items.length);
          }
          for (int i = 0; i < a.items.length; i++) {
            if (a.items[i] != b.items[i]) {
              return Integer.compare(a.items[i], b.items[i]);
            }
          }
          return 0;
        });
    return out.subList(0, Math.min(k, out.size()));
  }

  @ParameterizedTest
  @EnumSource(
      value = Method.class,
      names = {"FPGROWTH", "ECLAT", "AUTO"})
  void topKMatchesBruteForce(Method method) {
    for (int seed = 0; seed < 400; seed++) {
      Random rnd = new Random(seed);
      int nItems = 1 + rnd.nextInt(12);
      int n = rnd.nextInt(60);
      int[][] baskets = BruteForce.randomBaskets(rnd, n, nItems, 1 + rnd.nextInt(nItems + 2));
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      int k = 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 40);
      int minLen = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : 1;
      int maxLen = rnd.nextInt(3) == 0 ? minLen + rnd.nextInt(3) : Integer.MAX_VALUE;
      boolean floor = rnd.nextBoolean();
      long minCount = floor ? 1 + rnd.nextInt(4) : 1;
      Target target = rnd.nextBoolean() ? Target.ALL : Target.CLOSED;
      int threads = 1 + rnd.nextInt(3);
      ItemsetMiner m =
          (floor ? ItemsetMiner.minCount(minCount).withTopK(k) : ItemsetMiner.topK(k))
              .withMethod(method)
              .withThreads(threads)
              .withTarget(target)
              .withMinLen(minLen);
      if (maxLen != Integer.MAX_VALUE) {
        m = m.withMaxLen(maxLen);
      }
      String ctx = "seed=" + seed + " " + m + " n=" + n;
      List<int[]> items = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      long delivered =
          m.mine(
              db,
              (its, len, count) -> {
                items.add(java.util.Arrays.copyOf(its, len));
                counts.add(count);
              });
      List<BruteForce.Counted> want =
          expected(baskets, Math.max(db.nItems(), 0), minCount, target, k, minLen, maxLen);
      assertEquals(want.size(), items.size(), ctx + ": number");
      assertEquals(want.size(), delivered, ctx + ": returned");
      for (int i = 0; i < want.size(); i++) {
        assertArrayEquals(want.get(i).items, items.get(i), ctx + ": itemset " + i);
        assertEquals(want.get(i).count, (long) counts.get(i), ctx + ": count " + i);
      }
    }
  }

  /** On a real dataset: the top 100 of length ≥ 2 equal the head of the full set, sorted. */
  @Test
  void topHundredOnMushroomEqualsTheSortedFullSet() throws IOException {
    TransactionDb db = TransactionDb.readBaskets(Datasets.require("mushroom.dat"));
    Itemsets all = ItemsetMiner.minSupport(0.2).mine(db);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (all.length(i) >= 2) {
        order.add(i);
      }
    }
    order.sort(
        (a, b) ->
            TopK.better(all.items(a), all.length(a), all.count(a), all.items(b), all.count(b))
                ? -1
                : 1);
    for (Method m : Method.values()) {
      Itemsets top = ItemsetMiner.topK(100).withMinLen(2).withMethod(m).mine(db);
      assertEquals(100, top.size());
      for (int i = 0; i < 100; i++) {
        assertArrayEquals(all.items(order.get(i)), top.items(i), m + " rank " + i);
        assertEquals(all.count(order.get(i)), top.count(i));
      }
    }
  }

  /**
   * Chess without any threshold: mining every itemset (count ≥ 1) would not end, so this only
   * finishes because the threshold rises as the top 20 fill. Equal to the head of chess 0.8.
   */
  @Test
  void risingThresholdMinesChessWithoutAThreshold() throws IOException {
    TransactionDb db = TransactionDb.readBaskets(Datasets.require("chess.dat"));
    Itemsets all = ItemsetMiner.minSupport(0.8).withMinLen(3).mine(db);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      order.add(i);
    }
    order.sort(
        (a, b) ->
            TopK.better(all.items(a), all.length(a), all.count(a), all.items(b), all.count(b))
                ? -1
                : 1);
    for (Target t : new Target[] {Target.ALL, Target.CLOSED}) {
      for (Method m : Method.values()) {
        Itemsets top = ItemsetMiner.topK(20).withMinLen(3).withTarget(t).withMethod(m).mine(db);
        assertEquals(20, top.size());
        if (t == Target.ALL) {
          for (int i = 0; i < 20; i++) {
            assertArrayEquals(all.items(order.get(i)), top.items(i), m + " rank " + i);
          }
        }
        assertTrue(top.count(19) >= 0.8 * db.size(), t + " " + m);
      }
    }
  }

  @Test
  void validationNamesTheBadValue() {
    assertEquals(
        "Invalid topK: 0. Valid range is [1, 2147483647].",
        assertThrows(IllegalArgumentException.class, () -> ItemsetMiner.topK(0)).getMessage());
    assertEquals(
        "Invalid minLen: 0. Valid range is [1, 2147483647].",
        assertThrows(IllegalArgumentException.class, () -> ItemsetMiner.topK(3).withMinLen(0))
            .getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ItemsetMiner.topK(3).withTarget(Target.MAXIMAL))
            .getMessage()
            .startsWith("topK does not apply to maximal"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ItemsetMiner.topK(3)
                .withMinLen(3)
                .withMaxLen(2)
                .mine(TransactionDb.fromIntBaskets(new int[][] {{0}})));
    assertEquals(0, ItemsetMiner.topK(5).mine(TransactionDb.fromIntBaskets(new int[0][])).size());
  }
}
