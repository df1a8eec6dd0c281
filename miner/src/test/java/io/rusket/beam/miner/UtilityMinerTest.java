package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** EFIM against a brute-force oracle, the EFIM paper's example, thresholds and input contract. */
class UtilityMinerTest {

  /** One input row: utility in cents (exact), so the oracle needs no fixed point of its own. */
  private record Row(long txn, int item, long cents) {}

  /** itemset (ascending, as a string key) -> {utility in millionths, count}. */
  private static TreeMap<String, long[]> oracle(
      List<Row> rows, int nItems, long thresholdFixed, int maxLen) {
    TreeMap<Long, long[]> txns = new TreeMap<>(); // txn -> cents per item (-1 absent)
    for (Row r : rows) {
      long[] t =
          txns.computeIfAbsent(
              r.txn,
              k -> {
                long[] a = new long[nItems];
                Arrays.fill(a, -1);
                return a;
              });
      t[r.item] = Math.max(t[r.item], 0) + r.cents; // duplicates summed
    }
    TreeMap<String, long[]> out = new TreeMap<>();
    for (int mask = 1; mask < (1 << nItems); mask++) {
      if (Integer.bitCount(mask) > maxLen) {
        continue;
      }
      long u = 0;
      long count = 0;
      for (long[] t : txns.values()) {
        long s = 0;
        boolean all = true;
        for (int i = 0; i < nItems && all; i++) {
          if ((mask >> i & 1) != 0) {
            if (t[i] < 0) {
              all = false;
            } else {
              s += t[i];
            }
          }
        }
        if (all) {
          u += s;
          count++;
        }
      }
      long fixed = u * (UtilityDb.SCALE / 100);
      if (count > 0 && fixed >= thresholdFixed) {
        out.put(key(mask, nItems), new long[] {fixed, count});
      }
    }
    return out;
  }

  private static String key(int mask, int nItems) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < nItems; i++) {
      if ((mask >> i & 1) != 0) {
        b.append(i).append(',');
      }
    }
    return b.toString();
  }

  private static TreeMap<String, long[]> asMap(HighUtilityItemsets h) {
    TreeMap<String, long[]> out = new TreeMap<>();
    for (int i = 0; i < h.size(); i++) {
      StringBuilder b = new StringBuilder();
      for (int item : h.items(i)) {
        b.append(item).append(',');
      }
      long[] prev = out.put(b.toString(), new long[] {h.utilityFixed(i), h.count(i)});
      assertEquals(null, prev, "itemset reported twice: " + b);
    }
    return out;
  }

  /** The itemsets with their [utility, count], for assertion messages. */
  static String show(TreeMap<String, long[]> m) {
    StringBuilder b = new StringBuilder();
    m.forEach(
        (k, v) -> b.append('{').append(k).append("}=").append(Arrays.toString(v)).append(' '));
    return b.toString();
  }

  private static UtilityDb build(List<Row> rows) {
    UtilityDb.Builder b = UtilityDb.builder();
    for (Row r : rows) {
      b.add(r.txn, r.item, r.cents / 100.0);
    }
    return b.build();
  }

  @Test
  void matchesBruteForceOnRandomData() {
    for (int seed = 0; seed < 400; seed++) {
      Random rnd = new Random(seed);
      int nItems = 1 + rnd.nextInt(9);
      int nTxns = rnd.nextInt(30);
      List<Row> rows = new ArrayList<>();
      for (int t = 0; t < nTxns; t++) {
        long txnId = rnd.nextInt(3) == 0 ? rnd.nextLong() : t * 7L;
        int len = 1 + rnd.nextInt(nItems);
        for (int k = 0; k < len; k++) {
          int item = rnd.nextInt(nItems); // repeats: duplicate rows, summed
          long cents = rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 500 : 20);
          rows.add(new Row(txnId, item, cents));
        }
      }
      Collections.shuffle(rows, rnd);
      UtilityDb db = build(rows);
      int maxLen = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : Integer.MAX_VALUE;
      // thresholds at a boundary: exactly some itemset's utility, one cent above, tiny, huge
      TreeMap<String, long[]> all = oracle(rows, nItems, 1, maxLen);
      List<Long> candidates = new ArrayList<>();
      candidates.add(1L + rnd.nextInt(100));
      if (!all.isEmpty()) {
        List<long[]> vals = new ArrayList<>(all.values());
        long u = vals.get(rnd.nextInt(vals.size()))[0];
        if (u > 0) {
          candidates.add(u / 10_000);
          candidates.add(u / 10_000 + 1);
        }
      }
      for (long cents : candidates) {
        if (cents <= 0) {
          continue;
        }
        UtilityMiner miner = UtilityMiner.minUtility(cents / 100.0);
        if (maxLen != Integer.MAX_VALUE) {
          miner = miner.withMaxLen(maxLen);
        }
        long thr = cents * 10_000;
        assertEquals(thr, miner.thresholdFixed(db), "seed " + seed);
        TreeMap<String, long[]> want = oracle(rows, nItems, thr, maxLen);
        TreeMap<String, long[]> got = asMap(miner.mine(db));
        assertEquals(show(want), show(got), "seed " + seed + " minUtility " + cents / 100.0);
      }
      // a fraction k/1000 of the total: threshold ceil(k * total / 1000), at least 1
      int k = 1 + rnd.nextInt(400);
      long total = db.totalUtilityFixed();
      long thr = Math.max(1, (k * total + 999) / 1000);
      UtilityMiner frac = UtilityMiner.minUtilityFraction(k / 1000.0);
      assertEquals(thr, frac.thresholdFixed(db), "seed " + seed + " fraction " + k / 1000.0);
      assertEquals(
          show(oracle(rows, nItems, thr, Integer.MAX_VALUE)),
          show(asMap(frac.mine(db))),
          "seed " + seed + " fraction " + k / 1000.0);
    }
  }

  @Test
  void resultDoesNotDependOnRowOrder() {
    Random rnd = new Random(42);
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t < 300; t++) {
      for (int k = 0; k < 1 + rnd.nextInt(6); k++) {
        rows.add(new Row(t, rnd.nextInt(12), 1 + rnd.nextInt(1000)));
      }
    }
    UtilityMiner miner = UtilityMiner.minUtility(40.0);
    String first = show(asMap(miner.mine(build(rows))));
    Collections.shuffle(rows, rnd);
    assertEquals(first, show(asMap(miner.mine(build(rows)))));
    assertEquals(show(oracle(rows, 12, 40 * UtilityDb.SCALE, Integer.MAX_VALUE)), first);
  }

  /**
   * The running example of Zida et al. (KAIS 2017), Tables 1-2: quantities × unit profits (a 5, b
   * 2, c 1, d 2, e 3, f 1, g 1); with minutil 30 the paper lists seven high-utility itemsets.
   * Hand-checked: {b,d} = T3 (4 + 12) + T4 (8 + 6) = 30; {b,c,d,e} = T3 (4+1+12+3) + T4 (8+3+6+3).
   */
  @Test
  void efimPaperExample() {
    String[] names = {"a", "b", "c", "d", "e", "f", "g"};
    int[][] items = {
      {0, 2, 3}, {0, 2, 4, 6}, {0, 1, 2, 3, 4, 5}, {1, 2, 3, 4}, {1, 2, 4, 6},
    };
    double[][] utils = {
      {5, 1, 2}, {10, 6, 6, 5}, {5, 4, 1, 12, 3, 5}, {8, 3, 6, 3}, {4, 2, 3, 2},
    };
    UtilityDb db = UtilityDb.of(items, utils, names);
    assertEquals(8 + 27 + 30 + 20 + 11, db.totalUtility(), 0);
    HighUtilityItemsets h = UtilityMiner.minUtility(30).mine(db);
    TreeMap<String, String> got = new TreeMap<>();
    for (int i = 0; i < h.size(); i++) {
      got.put(String.join("", h.names(i)), h.utility(i) + "/" + h.count(i));
    }
    TreeMap<String, String> want = new TreeMap<>();
    want.put("bd", "30.0/2");
    want.put("ace", "31.0/2");
    want.put("bcd", "34.0/2");
    want.put("bce", "31.0/3");
    want.put("bde", "36.0/2");
    want.put("bcde", "40.0/2");
    want.put("abcdef", "30.0/1");
    assertEquals(want, got);
    // maxLen 3 keeps the ones of up to three items
    HighUtilityItemsets h3 = UtilityMiner.minUtility(30).withMaxLen(3).mine(db);
    assertEquals(5, h3.size());
  }

  @Test
  void fixedPointThresholdIsExactAtTheBoundary() {
    // 0.1 + 0.2 is 0.30000000000000004 in double, but exactly 0.3 here: it reaches 0.3 and not
    // 0.300001
    UtilityDb db = UtilityDb.builder().add(1, 0, 0.1).add(1, 1, 0.2).build();
    HighUtilityItemsets h = UtilityMiner.minUtility(0.3).mine(db);
    assertEquals(1, h.size());
    assertEquals(300_000, h.utilityFixed(0));
    assertEquals(0.3, h.utility(0));
    assertEquals(0, UtilityMiner.minUtility(0.300001).mine(db).size());
    // a fraction: 3/10 of a total of 1.0 is 0.3 exactly
    UtilityDb db2 = UtilityDb.builder().add(1, 0, 0.7).add(2, 1, 0.3).build();
    assertEquals(300_000, UtilityMiner.minUtilityFraction(0.3).thresholdFixed(db2));
    assertEquals(2, UtilityMiner.minUtilityFraction(0.3).mine(db2).size());
    // digits beyond the sixth decimal are rounded
    assertEquals(1_234_568, UtilityDb.toFixed(1.2345675, 0, 0, 0));
  }

  @Test
  void duplicateRowsAreSummed() {
    UtilityDb db =
        UtilityDb.builder().add(9, 3, 1.5).add(9, 3, 2.5).add(9, 1, 1).add(4, 3, 1).build();
    assertEquals(2, db.nTransactions());
    assertEquals(3, db.nEntries());
    HighUtilityItemsets h = UtilityMiner.minUtility(4).mine(db);
    TreeMap<String, long[]> got = asMap(h);
    assertEquals(5_000_000, got.get("3,")[0]); // 1.5 + 2.5 + 1
    assertEquals(2, got.get("3,")[1]);
    assertEquals(5_000_000, got.get("1,3,")[0]);
    assertFalse(got.containsKey("1,"));
  }

  @Test
  void badUtilitiesNameTheRow() {
    UtilityDb.Builder b = UtilityDb.builder().add(1, 0, 1.0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.add(77, 5, -0.5));
    assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    assertTrue(e.getMessage().contains("transaction 77"), e.getMessage());
    assertTrue(e.getMessage().contains("item 5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.add(1, 0, Double.NaN));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.add(1, 0, Double.POSITIVE_INFINITY));
    assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.add(1, -1, 1.0));
    // total beyond Long.MAX_VALUE millionths
    UtilityDb.Builder big = UtilityDb.builder().add(1, 0, 9e12).add(2, 0, 9e12);
    e = assertThrows(IllegalArgumentException.class, big::build);
    assertTrue(e.getMessage().contains("total utility"), e.getMessage());
  }

  @Test
  void configurationIsValidated() {
    assertThrows(IllegalArgumentException.class, () -> UtilityMiner.minUtility(0));
    assertThrows(IllegalArgumentException.class, () -> UtilityMiner.minUtility(-1));
    assertThrows(IllegalArgumentException.class, () -> UtilityMiner.minUtility(Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> UtilityMiner.minUtility(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> UtilityMiner.minUtilityFraction(0));
    assertThrows(IllegalArgumentException.class, () -> UtilityMiner.minUtilityFraction(1.5));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> UtilityMiner.minUtility(1).withMaxLen(0));
    assertTrue(e.getMessage().contains("maxLen: 0"), e.getMessage());
  }

  @Test
  void edgeCases() {
    // empty database, an empty transaction, one item in every transaction
    assertEquals(0, UtilityMiner.minUtility(1).mine(UtilityDb.builder().build()).size());
    UtilityDb db = UtilityDb.builder().addTransaction(5).add(1, 0, 2).add(2, 0, 2).build();
    assertEquals(3, db.nTransactions());
    HighUtilityItemsets h = UtilityMiner.minUtility(4).mine(db);
    assertEquals(1, h.size());
    assertEquals(2, h.count(0));
    assertEquals(2 / 3.0, h.support(0), 1e-12);
    // zero utilities: present (they count) but never reach a threshold on their own
    UtilityDb zeros = UtilityDb.builder().add(1, 0, 0).add(1, 1, 3).build();
    HighUtilityItemsets hz = UtilityMiner.minUtilityFraction(1).mine(zeros);
    assertEquals("{0,1,}=[3000000, 1] {1,}=[3000000, 1] ", show(asMap(hz)));
  }

  @Test
  void mergingManyIdenticalTransactions() {
    // many identical baskets: merged into one, counts and utilities still exact
    UtilityDb.Builder b = UtilityDb.builder();
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t < 2000; t++) {
      int v = t % 3;
      rows.add(new Row(t, v, 101));
      rows.add(new Row(t, 5, 7));
      rows.add(new Row(t, 3 + (t % 2), 13));
    }
    for (Row r : rows) {
      b.add(r.txn, r.item, r.cents / 100.0);
    }
    UtilityDb db = b.build();
    assertEquals(
        show(oracle(rows, 6, 500 * UtilityDb.SCALE, Integer.MAX_VALUE)),
        show(asMap(UtilityMiner.minUtility(500).mine(db))));
  }
}
