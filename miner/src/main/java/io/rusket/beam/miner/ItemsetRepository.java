package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * The closed or maximal itemsets found so far in one first-level task of FP-Growth (FPClose and
 * FPMax, Grahne and Zhu, FIMI 2003), for the superset checks that stand in for the items a
 * conditional tree no longer holds.
 *
 * <p>Each itemset is a bitset over the task's ranks (one row of {@code words} longs) with its
 * count; itemsets of one count are chained from a small open-addressing table, so the closed check
 * ("a superset with the same count?") reads one chain. Reset for each task, keeping its arrays.
 */
final class ItemsetRepository {
  private int words;
  private int size;
  private long[] bits = new long[64];
  private int[] counts = new int[16];

  /** Next itemset of the same count, or -1. */
  private int[] next = new int[16];

  /** Open addressing: count keys (0 = empty) and the newest itemset of that count. */
  private int[] keys = new int[64];

  private int[] heads = new int[64];
  private int used;

  /** Empties the repository for itemsets over ranks {@code 0 .. nRanks-1}. */
  void reset(int nRanks) {
    words = (nRanks >>> 6) + 1;
    size = 0;
    if (used > 0) {
      Arrays.fill(keys, 0);
      used = 0;
    }
  }

  int size() {
    return size;
  }

  /** Adds the itemset of ranks {@code ranks[0, len)} with count {@code count} (≥ 1). */
  void add(int[] ranks, int len, int count) {
    if (size == counts.length) {
      counts = ArrayUtil.grow(counts, size + 1L);
      next = ArrayUtil.grow(next, size + 1L);
    }
    long need = (long) (size + 1) * words;
    if (need > bits.length) {
      bits = ArrayUtil.grow(bits, need);
    }
    final int base = size * words;
    Arrays.fill(bits, base, base + words, 0L);
    for (int k = 0; k < len; k++) {
      bits[base + (ranks[k] >>> 6)] |= 1L << ranks[k];
    }
    counts[size] = count;
    int slot = slot(count);
    if (keys[slot] == 0) {
      keys[slot] = count;
      heads[slot] = -1;
      used++;
    }
    next[size] = heads[slot];
    heads[slot] = size;
    size++;
    if (used * 2 > keys.length) {
      rehash();
    }
  }

  /** Whether an itemset of count {@code count} holds every rank of {@code ranks[0, len)}. */
  boolean hasSupersetWithCount(int[] ranks, int len, int count) {
    int slot = slot(count);
    if (keys[slot] == 0) {
      return false;
    }
    for (int s = heads[slot]; s >= 0; s = next[s]) {
      if (contains(s, ranks, len)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some itemset holds every rank of {@code ranks[0, len)}. */
  boolean hasSuperset(int[] ranks, int len) {
    for (int s = size - 1; s >= 0; s--) {
      if (contains(s, ranks, len)) {
        return true;
      }
    }
    return false;
  }

  /** Words of the bitsets {@link #hasSuperset(long[])} takes: one bit per rank of the reset. */
  int words() {
    return words;
  }

  /**
   * Whether some itemset holds every rank set in {@code query} ({@link #words()} longs, a bitset
   * over ranks): a word-parallel test per itemset, for few ranks (dense data).
   */
  boolean hasSuperset(long[] query) {
    final long[] b = bits;
    final int w = words;
    for (int s = size - 1; s >= 0; s--) {
      final int base = s * w;
      int k = 0;
      while (k < w && (b[base + k] & query[k]) == query[k]) {
        k++;
      }
      if (k == w) {
        return true;
      }
    }
    return false;
  }

  private boolean contains(int s, int[] ranks, int len) {
    final long[] b = bits;
    final int base = s * words;
    for (int k = 0; k < len; k++) {
      int r = ranks[k];
      if ((b[base + (r >>> 6)] & (1L << r)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** The table slot of {@code count}: its own, or the empty one where it would go. */
  private int slot(int count) {
    final int mask = keys.length - 1;
    int i = (count * 0x9E3779B9) >>> 7 & mask;
    while (keys[i] != 0 && keys[i] != count) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void rehash() {
    int[] oldKeys = keys;
    int[] oldHeads = heads;
    keys = new int[oldKeys.length * 2];
    heads = new int[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int s = slot(oldKeys[i]);
        keys[s] = oldKeys[i];
        heads[s] = oldHeads[i];
      }
    }
  }

  long ramBytesUsed() {
    return RamUsage.SMALL_OBJECT
        + RamUsage.sizeOf(bits)
        + RamUsage.sizeOf(counts)
        + RamUsage.sizeOf(next)
        + RamUsage.sizeOf(keys)
        + RamUsage.sizeOf(heads);
  }
}
