package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * The high-utility itemsets of one {@link UtilityMiner} run, collected compactly: the itemsets as
 * CSR arrays of item ids (ascending within each itemset), each with its utility (fixed-point
 * millionths) and count. Itemsets are in mining order.
 */
public final class HighUtilityItemsets {
  private final int size;
  private final int[] offsets;
  private final int[] items;
  private final long[] utilities;
  private final long[] counts;
  private final long nTransactions;
  private final String[] names;
  private final long threshold;

  private HighUtilityItemsets(
      int size,
      int[] offsets,
      int[] items,
      long[] utilities,
      long[] counts,
      long nTransactions,
      String[] names,
      long threshold) {
    this.size = size;
    this.offsets = offsets;
    this.items = items;
    this.utilities = utilities;
    this.counts = counts;
    this.nTransactions = nTransactions;
    this.names = names;
    this.threshold = threshold;
  }

  /** The number of itemsets. */
  public int size() {
    return size;
  }

  /** The number of transactions of the database mined (the denominator of support). */
  public long nTransactions() {
    return nTransactions;
  }

  /** The threshold applied, in millionths. */
  public long thresholdFixed() {
    return threshold;
  }

  /** The number of items of itemset {@code i}. */
  public int length(int i) {
    return offsets[i + 1] - offsets[i];
  }

  /** The item ids of itemset {@code i}, ascending. */
  public int[] items(int i) {
    return Arrays.copyOfRange(items, offsets[i], offsets[i + 1]);
  }

  /** The item names of itemset {@code i} (ids as strings without names), in item-id order. */
  public String[] names(int i) {
    String[] out = new String[length(i)];
    for (int k = 0; k < out.length; k++) {
      int item = items[offsets[i] + k];
      out[k] = names == null ? Integer.toString(item) : names[item];
    }
    return out;
  }

  /** The utility of itemset {@code i}. */
  public double utility(int i) {
    return UtilityDb.fromFixed(utilities[i]);
  }

  /** The utility of itemset {@code i} in millionths (exact). */
  public long utilityFixed(int i) {
    return utilities[i];
  }

  /** The number of transactions containing itemset {@code i}. */
  public long count(int i) {
    return counts[i];
  }

  /** {@code count / N}. */
  public double support(int i) {
    return nTransactions == 0 ? 0 : counts[i] / (double) nTransactions;
  }

  /** The bytes held. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + RamUsage.sizeOf(offsets)
        + RamUsage.sizeOf(items)
        + RamUsage.sizeOf(utilities)
        + RamUsage.sizeOf(counts);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < size; i++) {
      b.append(Arrays.toString(names(i)))
          .append(" u=")
          .append(utility(i))
          .append(" n=")
          .append(counts[i])
          .append('\n');
    }
    return b.toString();
  }

  static Collector collector(long nTransactions, String[] names, long threshold) {
    return new Collector(nTransactions, names, threshold);
  }

  /** A sink collecting into a {@link HighUtilityItemsets}, items sorted ascending per itemset. */
  static final class Collector implements UtilitySink {
    private final long nTransactions;
    private final String[] names;
    private final long threshold;
    private int size;
    private int[] offsets = new int[17];
    private int[] items = new int[64];
    private long[] utilities = new long[16];
    private long[] counts = new long[16];

    Collector(long nTransactions, String[] names, long threshold) {
      this.nTransactions = nTransactions;
      this.names = names;
      this.threshold = threshold;
    }

    @Override
    public void accept(int[] src, int length, long utilityFixed, long count) {
      if (size + 1 >= offsets.length) {
        offsets = ArrayUtil.grow(offsets, size + 2L);
      }
      if (size == utilities.length) {
        utilities = ArrayUtil.grow(utilities, size + 1L);
        counts = ArrayUtil.grow(counts, size + 1L);
      }
      int from = offsets[size];
      if (from + length > items.length) {
        items = ArrayUtil.grow(items, (long) from + length);
      }
      System.arraycopy(src, 0, items, from, length);
      Arrays.sort(items, from, from + length);
      utilities[size] = utilityFixed;
      counts[size] = count;
      size++;
      offsets[size] = from + length;
    }

    HighUtilityItemsets build() {
      return new HighUtilityItemsets(
          size, offsets, items, utilities, counts, nTransactions, names, threshold);
    }
  }
}
