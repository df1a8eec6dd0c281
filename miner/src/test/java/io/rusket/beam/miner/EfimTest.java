package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * EFIM's internals: the radix sort by ≻_T against a plain comparator, both first-level strategies
 * (bounds first or projection first) against brute force, and long transactions over many items
 * (keys that cannot hold a whole transaction, ties broken by full comparison, merged in place).
 */
class EfimTest {

  /** ≻_T by definition: the items read from the last one; a proper suffix first. */
  private static int reference(int[] a, int[] b) {
    for (int i = a.length - 1, j = b.length - 1; ; i--, j--) {
      if (i < 0 || j < 0) {
        return Integer.compare(i, j); // the one that ran out (-1) first is smaller
      }
      if (a[i] != b[j]) {
        return Integer.compare(a[i], b[j]);
      }
    }
  }

  @Test
  void radixSortOrdersByTheLastItemsAndBreaksTiesBeyondTheKey() {
    Random rnd = new Random(7);
    for (int round = 0; round < 40; round++) {
      int nRanks = 1 + rnd.nextInt(round % 2 == 0 ? 3000 : 20);
      int bits = 64 - Long.numberOfLeadingZeros(nRanks);
      int per = Math.max(1, 63 / bits);
      int n = rnd.nextInt(2000);
      List<int[]> txns = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        int[] prev = txns.isEmpty() ? null : txns.get(rnd.nextInt(txns.size()));
        TreeSet<Integer> s = new TreeSet<>();
        if (prev != null && rnd.nextBoolean()) {
          // a long shared tail (a tie of keys when it is at least per items), different heads
          int keep = Math.min(prev.length, per + rnd.nextInt(3));
          for (int k = prev.length - keep; k < prev.length; k++) {
            s.add(prev[k]);
          }
          int low = prev[prev.length - keep];
          for (int k = rnd.nextInt(4); k > 0 && low > 0; k--) {
            s.add(rnd.nextInt(low));
          }
        } else {
          int len = 1 + rnd.nextInt(Math.min(nRanks, per + 4));
          while (s.size() < len) {
            s.add(rnd.nextInt(nRanks));
          }
        }
        txns.add(s.stream().mapToInt(Integer::intValue).toArray());
      }
      int[] start = new int[n + 1];
      for (int t = 0; t < n; t++) {
        start[t + 1] = start[t] + txns.get(t).length;
      }
      int[] it = new int[start[n]];
      long[] keys = new long[n];
      for (int t = 0; t < n; t++) {
        System.arraycopy(txns.get(t), 0, it, start[t], txns.get(t).length);
        keys[t] = Efim.key(it, start[t], start[t + 1], bits, per);
        assertTrue(keys[t] >= 0, "key of " + Arrays.toString(txns.get(t)));
      }
      long[] before = keys.clone();
      int[] idx = Efim.sortTransactions(keys, n, it, start, per);
      boolean[] seen = new boolean[n];
      for (int k = 0; k < n; k++) {
        assertTrue(!seen[idx[k]], "round " + round + ": a permutation");
        seen[idx[k]] = true;
        assertEquals(before[idx[k]], keys[k], "round " + round + ": keys sorted along");
        if (k > 0) {
          int[] a = txns.get(idx[k - 1]);
          int[] b = txns.get(idx[k]);
          assertTrue(
              reference(a, b) <= 0,
              "round " + round + ": " + Arrays.toString(a) + " before " + Arrays.toString(b));
          assertEquals(
              Integer.signum(reference(a, b)),
              Integer.signum(Efim.compareT(idx[k - 1], idx[k], it, start)));
        }
      }
    }
  }

  /** One transaction: item ids and utilities in millionths. */
  private record Txn(int[] items, long[] utils) {}

  /** Every itemset of the transactions with its utility and count, by enumerating subsets. */
  private static TreeMap<String, long[]> bySubsets(List<Txn> txns, long threshold, int maxLen) {
    Map<String, long[]> all = new HashMap<>();
    for (Txn t : txns) {
      int len = t.items.length;
      for (int mask = 1; mask < (1 << len); mask++) {
        if (Integer.bitCount(mask) > maxLen) {
          continue;
        }
        StringBuilder b = new StringBuilder();
        long u = 0;
        for (int i = 0; i < len; i++) {
          if ((mask >> i & 1) != 0) {
            b.append(t.items[i]).append(',');
            u += t.utils[i];
          }
        }
        long[] v = all.computeIfAbsent(b.toString(), k -> new long[2]);
        v[0] += u;
        v[1]++;
      }
    }
    TreeMap<String, long[]> out = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (v[0] >= threshold) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static TreeMap<String, long[]> mine(
      UtilityDb db, long threshold, int maxLen, long projectFirst) {
    TreeMap<String, long[]> out = new TreeMap<>();
    new Efim(
            threshold,
            maxLen,
            (items, len, u, count) -> {
              int[] s = Arrays.copyOf(items, len);
              Arrays.sort(s);
              StringBuilder b = new StringBuilder();
              for (int i : s) {
                b.append(i).append(',');
              }
              long[] prev = out.put(b.toString(), new long[] {u, count});
              assertEquals(null, prev, "reported twice: " + b);
            },
            projectFirst)
        .mine(db);
    return out;
  }

  private static UtilityDb db(List<Txn> txns) {
    UtilityDb.Builder b = UtilityDb.builder();
    for (int t = 0; t < txns.size(); t++) {
      b.addTransaction(t);
      for (int i = 0; i < txns.get(t).items.length; i++) {
        b.addFixed(t, txns.get(t).items[i], txns.get(t).utils[i]);
      }
    }
    return b.build(null);
  }

  @Test
  void bothFirstLevelStrategiesMatchBruteForce() {
    for (int seed = 0; seed < 300; seed++) {
      Random rnd = new Random(seed);
      int nItems = 1 + rnd.nextInt(10);
      List<Txn> txns = new ArrayList<>();
      for (int t = rnd.nextInt(40); t > 0; t--) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int k = 1 + rnd.nextInt(nItems); k > 0; k--) {
          s.add(rnd.nextInt(nItems));
        }
        int[] items = s.stream().mapToInt(Integer::intValue).toArray();
        long[] utils = new long[items.length];
        for (int i = 0; i < utils.length; i++) {
          utils[i] = rnd.nextInt(6) == 0 ? 0 : (1 + rnd.nextInt(300)) * 10_000L;
        }
        txns.add(new Txn(items, utils));
        if (rnd.nextInt(4) == 0) { // an identical basket, other utilities: merged
          long[] u2 = new long[items.length];
          for (int i = 0; i < u2.length; i++) {
            u2[i] = (1 + rnd.nextInt(300)) * 10_000L;
          }
          txns.add(new Txn(items, u2));
        }
      }
      UtilityDb db = db(txns);
      int maxLen = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : Integer.MAX_VALUE;
      TreeMap<String, long[]> all = bySubsets(txns, 1, maxLen);
      List<Long> thresholds = new ArrayList<>(List.of(1L + rnd.nextInt(1_000_000)));
      if (!all.isEmpty()) {
        long u = new ArrayList<>(all.values()).get(rnd.nextInt(all.size()))[0];
        thresholds.add(Math.max(1, u)); // exactly an itemset's utility
        thresholds.add(u + 1);
      }
      for (long thr : thresholds) {
        String want = UtilityMinerTest.show(bySubsets(txns, thr, maxLen));
        for (long pf : new long[] {1, Efim.PROJECT_FIRST, Long.MAX_VALUE}) {
          assertEquals(
              want,
              UtilityMinerTest.show(mine(db, thr, maxLen, pf)),
              "seed " + seed + " threshold " + thr + " projectFirst " + pf);
        }
      }
    }
  }

  @Test
  void longTransactionsOverManyItems() {
    // 400 rarely used items (so a key holds only 7 items) and families of long baskets sharing
    // their hottest items: keys tie, the full comparison orders them, identical ones merge
    Random rnd = new Random(11);
    List<Txn> txns = new ArrayList<>();
    for (int f = 0; f < 12; f++) {
      TreeSet<Integer> base = new TreeSet<>();
      while (base.size() < 8) {
        base.add(rnd.nextInt(14));
      }
      for (int v = 0; v < 10; v++) {
        TreeSet<Integer> s = new TreeSet<>(base);
        if (v % 3 != 0) {
          s.remove(s.first());
          s.add(14 + rnd.nextInt(400));
        }
        if (v % 4 == 1) {
          s.add(14 + rnd.nextInt(400));
        }
        int[] items = s.stream().mapToInt(Integer::intValue).toArray();
        long[] utils = new long[items.length];
        for (int i = 0; i < utils.length; i++) {
          utils[i] = (1 + rnd.nextInt(50)) * 10_000L;
        }
        txns.add(new Txn(items, utils));
      }
    }
    for (int c = 14; c < 414; c++) { // every rare item in some basket
      int[] items = {rnd.nextInt(14), c};
      Arrays.sort(items);
      txns.add(new Txn(items, new long[] {10_000L, 5_000_000L}));
    }
    UtilityDb db = db(txns);
    for (long thr : new long[] {1_000_000L, 5_000_000L, 20_000_000L}) {
      String want = UtilityMinerTest.show(bySubsets(txns, thr, Integer.MAX_VALUE));
      for (long pf : new long[] {1, Efim.PROJECT_FIRST, Long.MAX_VALUE}) {
        assertEquals(
            want, UtilityMinerTest.show(mine(db, thr, Integer.MAX_VALUE, pf)), "threshold " + thr);
      }
    }
  }
}
