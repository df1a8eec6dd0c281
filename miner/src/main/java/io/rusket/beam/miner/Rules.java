package io.rusket.beam.miner;

import java.util.Arrays;
import java.util.Objects;

/**
 * A collected, compact set of association rules: the antecedents and the consequents as two
 * compressed sparse rows of item ids, and the {@link RuleMetric metrics} as one flat {@code
 * double[]} of {@code size() × 12} values (row-major: rule {@code i}, metric {@code m} at {@code
 * 12·i + m.ordinal()}), plus the number of transactions N and the item names.
 *
 * <p>Rules are kept in the order {@link RuleMiner} produced them, which is deterministic. Memory:
 * about 96 bytes of metrics plus 8 bytes of offsets and 4 bytes per item, per rule.
 */
public final class Rules {
  private static final int M = RuleMetric.COUNT;

  private final int size;

  /** Invariant: length ≥ size+1, antOffsets[0] == 0, strictly increasing (no empty antecedent). */
  private final int[] antOffsets;

  private final int[] antItems;

  /** Invariant: as antOffsets. */
  private final int[] conOffsets;

  private final int[] conItems;

  /** Invariant: length ≥ size·M; rule i's metrics at [i·M, (i+1)·M). */
  private final double[] metrics;

  private final long nTransactions;

  /** Null when the items have no names. */
  private final String[] itemNames;

  private Rules(
      int size,
      int[] antOffsets,
      int[] antItems,
      int[] conOffsets,
      int[] conItems,
      double[] metrics,
      long nTransactions,
      String[] itemNames) {
    this.size = size;
    this.antOffsets = antOffsets;
    this.antItems = antItems;
    this.conOffsets = conOffsets;
    this.conItems = conItems;
    this.metrics = metrics;
    this.nTransactions = nTransactions;
    this.itemNames = itemNames;
  }

  /**
   * A collector for rules over itemsets of {@code nTransactions} transactions, whose item ids name
   * {@code itemNames} (null when the items have no names; the array is not copied).
   */
  public static Collector collector(long nTransactions, String[] itemNames) {
    return new Collector(nTransactions, itemNames);
  }

  /** Number of rules. */
  public int size() {
    return size;
  }

  /** Number of transactions N that supports are relative to. */
  public long nTransactions() {
    return nTransactions;
  }

  /** A copy of the antecedent's item ids of rule {@code i}, ascending. */
  public int[] antecedent(int i) {
    check(i);
    return Arrays.copyOfRange(antItems, antOffsets[i], antOffsets[i + 1]);
  }

  /** A copy of the consequent's item ids of rule {@code i}, ascending. */
  public int[] consequent(int i) {
    check(i);
    return Arrays.copyOfRange(conItems, conOffsets[i], conOffsets[i + 1]);
  }

  /** Metric {@code m} of rule {@code i}. */
  public double metric(int i, RuleMetric m) {
    check(i);
    if (m == null) {
      throw new IllegalArgumentException(
          "Invalid metric: null. Valid metrics are " + RuleMetric.validNames() + ".");
    }
    return metrics[i * M + m.ordinal()];
  }

  /** True if items carry names. */
  public boolean hasItemNames() {
    return itemNames != null;
  }

  /** The name of an item id, or the id in decimal when items carry no names. */
  public String itemName(int id) {
    if (itemNames == null) {
      return Integer.toString(id);
    }
    if (id < 0 || id >= itemNames.length) {
      throw new IllegalArgumentException(
          "Invalid item id: " + id + ". Valid range is [0, " + itemNames.length + ").");
    }
    return itemNames[id];
  }

  /** The names of rule {@code i}'s antecedent items, in item order. */
  public String[] antecedentNames(int i) {
    check(i);
    return names(antItems, antOffsets[i], antOffsets[i + 1]);
  }

  /** The names of rule {@code i}'s consequent items, in item order. */
  public String[] consequentNames(int i) {
    check(i);
    return names(conItems, conOffsets[i], conOffsets[i + 1]);
  }

  private String[] names(int[] src, int from, int to) {
    String[] out = new String[to - from];
    for (int k = 0; k < out.length; k++) {
      out[k] = itemName(src[from + k]);
    }
    return out;
  }

  /** Replays the rules, in order, into a sink (with fresh scratch arrays, as the generator). */
  public void forEach(RuleSink sink) {
    Objects.requireNonNull(sink, "sink");
    int maxLen = 1;
    for (int i = 0; i < size; i++) {
      maxLen = Math.max(maxLen, antOffsets[i + 1] - antOffsets[i]);
      maxLen = Math.max(maxLen, conOffsets[i + 1] - conOffsets[i]);
    }
    int[] ant = new int[maxLen];
    int[] con = new int[maxLen];
    double[] m = new double[M];
    for (int i = 0; i < size; i++) {
      int aLen = antOffsets[i + 1] - antOffsets[i];
      int cLen = conOffsets[i + 1] - conOffsets[i];
      System.arraycopy(antItems, antOffsets[i], ant, 0, aLen);
      System.arraycopy(conItems, conOffsets[i], con, 0, cLen);
      System.arraycopy(metrics, i * M, m, 0, M);
      sink.accept(ant, aLen, con, cLen, m);
    }
  }

  /** Approximate heap footprint in bytes. */
  public long ramBytesUsed() {
    return RamUsage.SMALL_OBJECT
        + RamUsage.sizeOf(antOffsets)
        + RamUsage.sizeOf(antItems)
        + RamUsage.sizeOf(conOffsets)
        + RamUsage.sizeOf(conItems)
        + RamUsage.sizeOf(metrics);
  }

  /**
   * Equal iff the same N and the same rules, with bit-identical metrics, in the same order. Item
   * names are not compared (as in {@link Itemsets#equals}).
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Rules)) {
      return false;
    }
    Rules other = (Rules) o;
    return size == other.size
        && nTransactions == other.nTransactions
        && Arrays.equals(antOffsets, 0, size + 1, other.antOffsets, 0, size + 1)
        && Arrays.equals(conOffsets, 0, size + 1, other.conOffsets, 0, size + 1)
        && Arrays.equals(antItems, 0, antOffsets[size], other.antItems, 0, antOffsets[size])
        && Arrays.equals(conItems, 0, conOffsets[size], other.conItems, 0, conOffsets[size])
        && Arrays.equals(metrics, 0, size * M, other.metrics, 0, size * M);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(nTransactions);
    for (int i = 0; i < size; i++) {
      h = 31 * h + (antOffsets[i + 1] - antOffsets[i]);
      h = 31 * h + (conOffsets[i + 1] - conOffsets[i]);
    }
    for (int k = 0; k < antOffsets[size]; k++) {
      h = 31 * h + antItems[k];
    }
    for (int k = 0; k < conOffsets[size]; k++) {
      h = 31 * h + conItems[k];
    }
    for (int k = 0; k < size * M; k++) {
      h = 31 * h + Double.hashCode(metrics[k]);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Rules{N=").append(nTransactions).append(", [");
    for (int i = 0; i < Math.min(size, 20); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(Arrays.toString(antecedentNames(i)))
          .append(" -> ")
          .append(Arrays.toString(consequentNames(i)))
          .append(" support=")
          .append(metrics[i * M + RuleMetric.SUPPORT.ordinal()])
          .append(" confidence=")
          .append(metrics[i * M + RuleMetric.CONFIDENCE.ordinal()])
          .append(" lift=")
          .append(metrics[i * M + RuleMetric.LIFT.ordinal()]);
    }
    if (size > 20) {
      sb.append(", … ").append(size - 20).append(" more");
    }
    return sb.append("]}").toString();
  }

  private void check(int i) {
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException(
          "Invalid rule index: " + i + ". Valid range is [0, " + size + ").");
    }
  }

  /** A {@link RuleSink} that collects rules into the compact form. */
  public static final class Collector implements RuleSink {
    private final long nTransactions;
    private final String[] itemNames;
    private int size;
    private int[] antOffsets = new int[64];
    private int[] antItems = new int[128];
    private int[] conOffsets = new int[64];
    private int[] conItems = new int[128];
    private double[] metrics = new double[64 * M];

    private Collector(long nTransactions, String[] itemNames) {
      this.nTransactions = nTransactions;
      this.itemNames = itemNames;
    }

    @Override
    public void accept(int[] antecedent, int aLen, int[] consequent, int cLen, double[] m) {
      assert aLen >= 1 && cLen >= 1 : "aLen=" + aLen + ", cLen=" + cLen;
      if (size + 2 > antOffsets.length) {
        int cap = ArrayUtil.grow(antOffsets.length, size + 2L);
        if ((long) cap * M > ArrayUtil.MAX_ARRAY_LENGTH) {
          cap = ArrayUtil.MAX_ARRAY_LENGTH / M;
          if (cap < size + 2) {
            throw new IllegalStateException(
                "More than "
                    + (cap - 1)
                    + " rules do not fit in one Rules; stream them to a"
                    + " RuleSink instead.");
          }
        }
        antOffsets = Arrays.copyOf(antOffsets, cap);
        conOffsets = Arrays.copyOf(conOffsets, cap);
        metrics = Arrays.copyOf(metrics, cap * M);
      }
      antItems = append(antItems, antOffsets, antecedent, aLen);
      conItems = append(conItems, conOffsets, consequent, cLen);
      System.arraycopy(m, 0, metrics, size * M, M);
      size++;
    }

    /** Appends {@code src[0, len)} as row {@code size} of (offsets, items); returns items. */
    private int[] append(int[] items, int[] offsets, int[] src, int len) {
      int fill = offsets[size];
      if (fill + len > items.length) {
        items = Arrays.copyOf(items, ArrayUtil.grow(items.length, (long) fill + len));
      }
      System.arraycopy(src, 0, items, fill, len);
      offsets[size + 1] = fill + len;
      return items;
    }

    /** Number of rules collected so far. */
    public int size() {
      return size;
    }

    /** The collected rules; the collector must not be used afterwards. */
    public Rules build() {
      return new Rules(
          size, antOffsets, antItems, conOffsets, conItems, metrics, nTransactions, itemNames);
    }
  }
}
