package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * The k best itemsets seen so far, by {@link #better}: higher count first, then fewer items, then
 * the lexicographically smaller ascending item ids. A bounded heap whose root is the worst kept
 * itemset; once it holds k, the root's count is the mining threshold ({@link Threshold}), since an
 * itemset of lower count can no longer enter and neither can its supersets. The order is total, so
 * the k kept are the same whatever the order itemsets arrive in.
 */
final class TopK implements ItemsetSink {
  private final int k;
  private final int minLen;
  private final Threshold threshold;
  private int size;
  private int[][] sets;
  private long[] counts;
  private int[] scratch = new int[32]; // guarded by this

  TopK(int k, int minLen, Threshold threshold) {
    this.k = k;
    this.minLen = minLen;
    this.threshold = threshold;
    int cap = Math.min(k, 1024);
    sets = new int[cap][];
    counts = new long[cap];
  }

  /**
   * Offers an itemset; thread-safe (mining threads call it directly). Below the threshold it
   * returns without taking the lock.
   */
  @Override
  public void accept(int[] items, int length, long count) {
    if (length < minLen || count < threshold.get()) {
      return;
    }
    synchronized (this) {
      offer(items, length, count);
    }
  }

  private void offer(int[] items, int length, long count) {
    if (size == k && count < counts[0]) {
      return; // the common case: not even as frequent as the worst kept
    }
    if (scratch.length < length) {
      scratch = new int[ArrayUtil.grow(scratch.length, length)];
    }
    System.arraycopy(items, 0, scratch, 0, length);
    Arrays.sort(scratch, 0, length);
    if (size == k) {
      if (!better(scratch, length, count, sets[0], counts[0])) {
        return;
      }
      sets[0] = Arrays.copyOf(scratch, length);
      counts[0] = count;
      siftDown(0);
    } else {
      if (size == sets.length) {
        int cap = Math.min(k, ArrayUtil.grow(sets.length, size + 1L));
        sets = Arrays.copyOf(sets, cap);
        counts = Arrays.copyOf(counts, cap);
      }
      sets[size] = Arrays.copyOf(scratch, length);
      counts[size] = count;
      siftUp(size++);
    }
    if (size == k) {
      threshold.raise((int) Math.min(Integer.MAX_VALUE, counts[0]));
    }
  }

  synchronized int size() {
    return size;
  }

  /** Delivers the kept itemsets to {@code sink}, best first; returns their number. */
  synchronized long deliver(ItemsetSink sink) {
    Integer[] order = new Integer[size]; // at most k entries, once
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            better(sets[a], sets[a].length, counts[a], sets[b], counts[b])
                ? -1
                : (better(sets[b], sets[b].length, counts[b], sets[a], counts[a]) ? 1 : 0));
    for (int i : order) {
      sink.accept(sets[i], sets[i].length, counts[i]);
    }
    return size;
  }

  /** The order of top-k: count descending, then length ascending, then items ascending. */
  static boolean better(int[] a, int aLen, long aCount, int[] b, long bCount) {
    if (aCount != bCount) {
      return aCount > bCount;
    }
    if (aLen != b.length) {
      return aLen < b.length;
    }
    for (int i = 0; i < aLen; i++) {
      if (a[i] != b[i]) {
        return a[i] < b[i];
      }
    }
    return false;
  }

  private boolean worse(int i, int j) {
    return better(sets[j], sets[j].length, counts[j], sets[i], counts[i]);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (!worse(i, p)) {
        break;
      }
      swap(i, p);
      i = p;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int w = l + 1 < size && worse(l + 1, l) ? l + 1 : l;
      if (!worse(w, i)) {
        return;
      }
      swap(i, w);
      i = w;
    }
  }

  private void swap(int i, int j) {
    int[] s = sets[i];
    sets[i] = sets[j];
    sets[j] = s;
    long c = counts[i];
    counts[i] = counts[j];
    counts[j] = c;
  }
}
