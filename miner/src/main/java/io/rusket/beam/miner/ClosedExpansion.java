package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * Every frequent itemset with its count, recovered from the closed ones: the count of an itemset is
 * the largest count of a closed superset (that of its closure). Level by level from the longest
 * closed itemsets down, each level of length L-1 is the closed itemsets of that length and every
 * subset one item shorter of level L, keeping the largest count: an itemset that is not closed has
 * a superset one item larger with its count, so the maximum over one level up is exact. The work is
 * one hash update per frequent itemset and item, as rules from the full set cost anyway.
 */
final class ClosedExpansion {
  private ClosedExpansion() {}

  /**
   * The frequent itemsets that {@code closed} (every closed itemset of a database, with counts)
   * determines, in canonical order (by length, then lexicographically).
   *
   * @throws IllegalArgumentException if an itemset is not strictly ascending or is listed twice, or
   *     if a level of the recovered itemsets does not fit in an array
   */
  static Itemsets expand(Itemsets closed) {
    ItemsetIndex.of(closed); // validates: ascending, no duplicates
    final int maxLen = closed.maxLength();
    final int[] offsets = closed.rawOffsets();
    final int[] items = closed.rawItems();
    final long[] counts = closed.rawCounts();
    Level[] levels = new Level[maxLen + 1];
    Level above = null;
    for (int len = maxLen; len >= 1; len--) {
      Level level = new Level(len);
      for (int i = 0; i < closed.size(); i++) {
        if (offsets[i + 1] - offsets[i] == len) {
          level.merge(items, offsets[i], counts[i]);
        }
      }
      if (above != null) {
        final int[] sub = new int[len];
        for (int r = 0; r < above.size; r++) {
          final int from = r * above.width;
          for (int skip = 0; skip <= len; skip++) {
            for (int k = 0, q = 0; k <= len; k++) {
              if (k != skip) {
                sub[q++] = above.items[from + k];
              }
            }
            level.merge(sub, 0, above.counts[r]);
          }
        }
      }
      levels[len] = level;
      above = level;
    }
    Itemsets.Collector c = Itemsets.collector(closed.nTransactions(), closed.itemNames());
    for (int len = 1; len <= maxLen; len++) {
      Level l = levels[len];
      for (int r = 0; r < l.size; r++) {
        c.accept(Arrays.copyOfRange(l.items, r * len, r * len + len), len, l.counts[r]);
      }
    }
    return c.build().canonical();
  }

  /** Itemsets of one length in fixed-width rows, with an open-addressing index and max-merge. */
  private static final class Level {
    final int width;
    int size;
    int[] items = new int[64];
    long[] counts = new long[16];
    int[] table = new int[32]; // row + 1, or 0

    Level(int width) {
      this.width = width;
    }

    /** Adds {@code src[from, from+width)} with count c, or raises its count to c. */
    void merge(int[] src, int from, long c) {
      int mask = table.length - 1;
      int slot = ItemsetIndex.hash(src, from, width) & mask;
      int e;
      while ((e = table[slot]) != 0) {
        if (same(e - 1, src, from)) {
          if (counts[e - 1] < c) {
            counts[e - 1] = c;
          }
          return;
        }
        slot = (slot + 1) & mask;
      }
      long need = (long) (size + 1) * width;
      if (need > ArrayUtil.MAX_ARRAY_LENGTH || 2L * (size + 1) > (1 << 30)) {
        throw new IllegalArgumentException(
            "Too many frequent itemsets of length "
                + width
                + " to recover from the closed itemsets (more than "
                + size
                + "): raise minSupport");
      }
      if (need > items.length) {
        items = ArrayUtil.grow(items, need);
      }
      if (size == counts.length) {
        counts = Arrays.copyOf(counts, ArrayUtil.grow(counts.length, size + 1L));
      }
      System.arraycopy(src, from, items, size * width, width);
      counts[size] = c;
      table[slot] = ++size;
      if (size * 2 > table.length) {
        rehash();
      }
    }

    private boolean same(int row, int[] src, int from) {
      final int base = row * width;
      for (int k = 0; k < width; k++) {
        if (items[base + k] != src[from + k]) {
          return false;
        }
      }
      return true;
    }

    private void rehash() {
      int[] t = new int[table.length * 2];
      int mask = t.length - 1;
      for (int r = 0; r < size; r++) {
        int slot = ItemsetIndex.hash(items, r * width, width) & mask;
        while (t[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        t[slot] = r + 1;
      }
      table = t;
    }
  }
}
