package io.rusket.beam.testing;

import io.rusket.beam.miner.ItemsetSink;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.Target;
import java.util.Arrays;

/**
 * The baseline that mining closed and maximal itemsets directly replaces: keep, from every frequent
 * itemset, those without a one-item-larger superset of the same count (closed: a superset of the
 * same count implies one that is one item larger) or without a frequent one (maximal). Every
 * itemset of length k+1 marks its k+1 subsets of length k through an open-addressing hash of the
 * sorted itemsets: linear in the size of the full set, which is what makes it expensive on dense
 * data.
 */
public final class PostFilter {
  private PostFilter() {}

  /** The closed or maximal itemsets among {@code all}, which must hold every frequent itemset. */
  public static Itemsets of(Itemsets all, Target target) {
    final int n = all.size();
    int cap = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
    int[] table = new int[cap];
    Arrays.fill(table, -1);
    int[][] sets = new int[n][];
    for (int i = 0; i < n; i++) {
      sets[i] = all.items(i); // ascending
      int s = slot(table, sets, sets[i], sets[i].length);
      table[s] = i;
    }
    boolean[] drop = new boolean[n];
    int[] sub = new int[64];
    for (int i = 0; i < n; i++) {
      int[] y = sets[i];
      if (y.length < 2) {
        continue;
      }
      for (int skip = 0; skip < y.length; skip++) {
        int len = 0;
        for (int k = 0; k < y.length; k++) {
          if (k != skip) {
            sub[len++] = y[k];
          }
        }
        int j = table[slot(table, sets, sub, len)];
        if (j >= 0 && (target == Target.MAXIMAL || all.count(j) == all.count(i))) {
          drop[j] = true;
        }
      }
    }
    Itemsets.Collector c = Itemsets.collector(all.nTransactions(), all.itemNames());
    ItemsetSink sink = c;
    for (int i = 0; i < n; i++) {
      if (target == Target.ALL || !drop[i]) {
        sink.accept(sets[i], sets[i].length, all.count(i));
      }
    }
    return c.build();
  }

  /** The slot holding {@code key[0, len)}, or the empty slot where it would go. */
  private static int slot(int[] table, int[][] sets, int[] key, int len) {
    int h = 1;
    for (int k = 0; k < len; k++) {
      h = 31 * h + key[k];
    }
    h *= 0x9E3779B9;
    final int mask = table.length - 1;
    int s = (h ^ (h >>> 16)) & mask;
    while (table[s] >= 0 && !equal(sets[table[s]], key, len)) {
      s = (s + 1) & mask;
    }
    return s;
  }

  private static boolean equal(int[] a, int[] b, int len) {
    if (a.length != len) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (a[k] != b[k]) {
        return false;
      }
    }
    return true;
  }
}
