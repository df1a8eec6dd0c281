package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * A collected, compact set of frequent itemsets: compressed sparse rows of item ids with one count
 * per itemset, plus the number of transactions mined (N) and the item names.
 *
 * <p>Itemset {@code i} holds {@code items(i)}, ascending item ids, and {@code count(i)}; its
 * support is {@code count(i) / N}. Itemsets are kept in the order the miner delivered them, which
 * is deterministic; {@link #canonical()} sorts them by length, then lexicographically, for
 * comparisons across methods.
 */
public final class Itemsets {
  private final int size;

  /** Invariant: length size+1, offsets[0] == 0, strictly increasing (no empty itemset). */
  private final int[] offsets;

  private final int[] items;
  private final long[] counts;
  private final long nTransactions;

  /** Null when the items have no names. */
  private final String[] itemNames;

  private Itemsets(
      int size, int[] offsets, int[] items, long[] counts, long nTransactions, String[] names) {
    this.size = size;
    this.offsets = offsets;
    this.items = items;
    this.counts = counts;
    this.nTransactions = nTransactions;
    this.itemNames = names;
  }

  /** A collector for itemsets of a database with {@code nTransactions} transactions. */
  public static Collector collector(long nTransactions, String[] itemNames) {
    return new Collector(nTransactions, itemNames);
  }

  /** Number of itemsets. */
  public int size() {
    return size;
  }

  /** Number of transactions N that supports are relative to. */
  public long nTransactions() {
    return nTransactions;
  }

  /** Number of items in itemset {@code i}. */
  public int length(int i) {
    check(i);
    return offsets[i + 1] - offsets[i];
  }

  /** Item {@code k} of itemset {@code i}. */
  public int item(int i, int k) {
    check(i);
    if (k < 0 || k >= offsets[i + 1] - offsets[i]) {
      throw new IllegalArgumentException(
          "Invalid position " + k + " in itemset " + i + " of length " + length(i));
    }
    return items[offsets[i] + k];
  }

  /** A copy of the items of itemset {@code i}, ascending. */
  public int[] items(int i) {
    check(i);
    return Arrays.copyOfRange(items, offsets[i], offsets[i + 1]);
  }

  /** Number of transactions containing itemset {@code i}. */
  public long count(int i) {
    check(i);
    return counts[i];
  }

  /** Support of itemset {@code i}: count / N. */
  public double support(int i) {
    check(i);
    return counts[i] / (double) nTransactions;
  }

  /** True if items carry names. */
  public boolean hasItemNames() {
    return itemNames != null;
  }

  /** The name of an item id, or the id in decimal when items carry no names. */
  public String itemName(int item) {
    return itemNames == null ? Integer.toString(item) : itemNames[item];
  }

  /** A copy of the item names (index = item id), or null. */
  public String[] itemNames() {
    return itemNames == null ? null : itemNames.clone();
  }

  /** The names of itemset {@code i}'s items, in item order. */
  public String[] names(int i) {
    check(i);
    String[] out = new String[offsets[i + 1] - offsets[i]];
    for (int k = 0; k < out.length; k++) {
      out[k] = itemName(items[offsets[i] + k]);
    }
    return out;
  }

  /** Largest itemset length, 0 when empty. */
  public int maxLength() {
    int max = 0;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, offsets[i + 1] - offsets[i]);
    }
    return max;
  }

  /** Number of itemsets of each length: element {@code k-1} counts itemsets of length k. */
  public long[] countsByLength() {
    long[] byLen = new long[maxLength()];
    for (int i = 0; i < size; i++) {
      byLen[offsets[i + 1] - offsets[i] - 1]++;
    }
    return byLen;
  }

  /** Index of the itemset with exactly these items (ascending), or -1. Linear; for tests. */
  public int indexOf(int... sortedItems) {
    outer:
    for (int i = 0; i < size; i++) {
      int from = offsets[i];
      if (offsets[i + 1] - from != sortedItems.length) {
        continue;
      }
      for (int k = 0; k < sortedItems.length; k++) {
        if (items[from + k] != sortedItems[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Replays the itemsets, in order, into a sink. */
  public void forEach(ItemsetSink sink) {
    int[] buf = new int[Math.max(1, maxLength())];
    for (int i = 0; i < size; i++) {
      int len = offsets[i + 1] - offsets[i];
      System.arraycopy(items, offsets[i], buf, 0, len);
      sink.accept(buf, len, counts[i]);
    }
  }

  /** A copy sorted by length, then lexicographically by item ids. */
  public Itemsets canonical() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> compareItemsets(a, b));
    Collector c = new Collector(nTransactions, itemNames);
    for (int idx : order) {
      c.acceptSorted(items, offsets[idx], offsets[idx + 1] - offsets[idx], counts[idx]);
    }
    return c.build();
  }

  private int compareItemsets(int a, int b) {
    int la = offsets[a + 1] - offsets[a];
    int lb = offsets[b + 1] - offsets[b];
    if (la != lb) {
      return Integer.compare(la, lb);
    }
    for (int k = 0; k < la; k++) {
      int c = Integer.compare(items[offsets[a] + k], items[offsets[b] + k]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Approximate heap footprint in bytes. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + RamUsage.sizeOf(offsets)
        + RamUsage.sizeOf(items)
        + RamUsage.sizeOf(counts);
  }

  /** Equal iff the same N and the same itemsets with the same counts in the same order. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Itemsets)) {
      return false;
    }
    Itemsets other = (Itemsets) o;
    return size == other.size
        && nTransactions == other.nTransactions
        && Arrays.equals(offsets, 0, size + 1, other.offsets, 0, size + 1)
        && Arrays.equals(items, 0, offsets[size], other.items, 0, offsets[size])
        && Arrays.equals(counts, 0, size, other.counts, 0, size);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(nTransactions);
    for (int i = 0; i < offsets[size]; i++) {
      h = 31 * h + items[i];
    }
    for (int i = 0; i < size; i++) {
      h = 31 * h + Long.hashCode(counts[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Itemsets{N=").append(nTransactions).append(", [");
    for (int i = 0; i < Math.min(size, 20); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(Arrays.toString(names(i))).append(':').append(counts[i]);
    }
    if (size > 20) {
      sb.append(", … ").append(size - 20).append(" more");
    }
    return sb.append("]}").toString();
  }

  // Package-private raw views for rule generation; never mutated. The arrays may be longer than
  // needed: only offsets[0, size], items[0, offsets[size]) and counts[0, size) are meaningful.
  int[] rawOffsets() {
    return offsets;
  }

  int[] rawItems() {
    return items;
  }

  long[] rawCounts() {
    return counts;
  }

  private void check(int i) {
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException(
          "Invalid itemset index: " + i + ". Valid range is [0, " + size + ").");
    }
  }

  /** An {@link ItemsetSink} that collects itemsets into the compact form. */
  public static final class Collector implements ItemsetSink {
    private final long nTransactions;
    private final String[] itemNames;
    private int size;
    private int[] offsets = new int[64];
    private int[] items = new int[256];
    private long[] counts = new long[64];

    private Collector(long nTransactions, String[] itemNames) {
      this.nTransactions = nTransactions;
      this.itemNames = itemNames;
    }

    /** Copies the itemset, sorting its items ascending. */
    @Override
    public void accept(int[] src, int length, long count) {
      if (size + 2 > offsets.length) {
        offsets = Arrays.copyOf(offsets, ArrayUtil.grow(offsets.length, size + 2L));
        counts = Arrays.copyOf(counts, offsets.length);
      }
      int fill = offsets[size];
      if (fill + length > items.length) {
        items = Arrays.copyOf(items, ArrayUtil.grow(items.length, (long) fill + length));
      }
      // insertion sort straight into place
      for (int k = 0; k < length; k++) {
        int v = src[k];
        int j = fill + k - 1;
        while (j >= fill && items[j] > v) {
          items[j + 1] = items[j];
          j--;
        }
        items[j + 1] = v;
      }
      counts[size] = count;
      offsets[++size] = fill + length;
    }

    private void acceptSorted(int[] src, int from, int length, long count) {
      if (size + 2 > offsets.length) {
        offsets = Arrays.copyOf(offsets, ArrayUtil.grow(offsets.length, size + 2L));
        counts = Arrays.copyOf(counts, offsets.length);
      }
      int fill = offsets[size];
      if (fill + length > items.length) {
        items = Arrays.copyOf(items, ArrayUtil.grow(items.length, (long) fill + length));
      }
      System.arraycopy(src, from, items, fill, length);
      counts[size] = count;
      offsets[++size] = fill + length;
    }

    /** Number of itemsets collected so far. */
    public int size() {
      return size;
    }

    /** The collected itemsets; the collector must not be used afterwards. */
    public Itemsets build() {
      return new Itemsets(size, offsets, items, counts, nTransactions, itemNames);
    }
  }
}
