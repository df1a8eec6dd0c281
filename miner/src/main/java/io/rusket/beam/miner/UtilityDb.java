package io.rusket.beam.miner;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Transactions whose items carry a utility (e.g. profit = quantity × margin), the input of {@link
 * UtilityMiner}: CSR arrays ({@code offsets}, {@code items}, {@code utilities}), items as dense ids
 * {@code 0..nItems-1} with optional names, ascending and distinct within each transaction.
 *
 * <p><b>Utilities are fixed-point.</b> Each utility is held as a {@code long} number of millionths
 * ({@link #SCALE}): a {@code double} utility {@code u} becomes {@code Math.round(u × 10^6)}, which
 * is exactly the decimal value written for utilities with at most six decimals (and below 9·10^9);
 * from there on every sum is an exact integer sum, so an itemset's utility does not depend on the
 * order in which transactions are added or merged, and the threshold comparison is exact (0.1 + 0.2
 * reaches a threshold of 0.3, which it does not in {@code double}). Digits beyond the sixth decimal
 * are rounded away (half up). The database's total utility must stay below {@code Long.MAX_VALUE}
 * millionths (about 9.2·10^12 units); beyond that building fails with a message saying so.
 *
 * <p><b>Input contract.</b> Rows are {@code (transaction, item, utility)}; rows of one transaction
 * may come in any order. Duplicate {@code (transaction, item)} rows are <em>summed</em> (two lines
 * of one receipt for the same product add up). A negative, NaN or infinite utility is an {@link
 * IllegalArgumentException} naming the row (its 0-based index in the order added), the transaction,
 * the item and the value; nothing is dropped or clamped. A utility of 0 is allowed: the item is in
 * the transaction (it counts toward support) and adds nothing.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * UtilityDb.Builder b = UtilityDb.builder();
 * b.add(1L, 0, 5.0);   // receipt 1, item 0, profit 5
 * b.add(1L, 2, 1.5);
 * b.add(2L, 0, 2.25);
 * UtilityDb db = b.build(new String[] {"bread", "milk", "jam"});
 * }</pre>
 */
public final class UtilityDb {
  /** Fixed-point scale: utilities are held as {@code long} millionths. */
  public static final long SCALE = 1_000_000L;

  private static final double MAX_UTILITY = (double) Long.MAX_VALUE / SCALE;

  final int nTransactions;
  final int nItems;

  /** Transaction t holds positions {@code [offsets[t], offsets[t+1])} of items and utilities. */
  final int[] offsets;

  final int[] items;
  final long[] utilities;
  final String[] names;
  final long totalUtility;

  private UtilityDb(
      int nTransactions, int nItems, int[] offsets, int[] items, long[] utilities, String[] names) {
    this.nTransactions = nTransactions;
    this.nItems = nItems;
    this.offsets = offsets;
    this.items = items;
    this.utilities = utilities;
    this.names = names;
    long total = 0;
    for (int p = 0; p < offsets[nTransactions]; p++) {
      total = addExact(total, utilities[p]);
    }
    this.totalUtility = total;
  }

  private static long addExact(long a, long b) {
    long s = a + b;
    if (s < 0) {
      throw new IllegalArgumentException(
          "The total utility exceeds "
              + MAX_UTILITY
              + " (Long.MAX_VALUE millionths): utilities are summed exactly in fixed point; scale"
              + " the utility column down");
    }
    return s;
  }

  /**
   * The fixed-point value (millionths) of a utility, checked: finite, {@code >= 0} and below about
   * 9.2·10^12; {@code row}, {@code txn} and {@code item} only name the row in the error.
   */
  public static long toFixed(double utility, long row, Object txn, Object item) {
    if (!(utility >= 0) || utility > MAX_UTILITY) { // also NaN
      throw new IllegalArgumentException(
          "Invalid utility "
              + utility
              + " at row "
              + row
              + " (transaction "
              + txn
              + ", item "
              + item
              + "): utilities must be finite, >= 0 and at most "
              + MAX_UTILITY);
    }
    return Math.round(utility * SCALE);
  }

  /** A fixed-point value (millionths) as a {@code double}. */
  public static double fromFixed(long fixed) {
    return fixed / (double) SCALE;
  }

  /**
   * The smallest fixed-point utility that reaches {@code threshold}: {@code ceil(threshold × 10^6)}
   * in decimal arithmetic on the value written, so a threshold of 0.3 is 300000 millionths exactly.
   */
  public static long thresholdToFixed(double threshold) {
    if (!(threshold >= 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException(
          "Invalid minUtility: " + threshold + ". Valid range is [0, " + MAX_UTILITY + "].");
    }
    BigDecimal v = new BigDecimal(Double.toString(threshold)).movePointRight(6);
    BigDecimal c = v.setScale(0, RoundingMode.CEILING);
    if (c.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Long.MAX_VALUE;
    }
    return c.longValueExact();
  }

  /** The number of transactions (distinct transaction ids added). */
  public int nTransactions() {
    return nTransactions;
  }

  /** The number of item ids ({@code 1 +} the largest id added, or the number of names). */
  public int nItems() {
    return nItems;
  }

  /** The number of distinct (transaction, item) entries. */
  public int nEntries() {
    return offsets[nTransactions];
  }

  /** The sum of every utility, in millionths. */
  public long totalUtilityFixed() {
    return totalUtility;
  }

  /** The sum of every utility. */
  public double totalUtility() {
    return fromFixed(totalUtility);
  }

  /** Whether items have names. */
  public boolean hasItemNames() {
    return names != null;
  }

  /** The name of {@code item}, or its id as a string when there are no names. */
  public String itemName(int item) {
    return names == null ? Integer.toString(item) : names[item];
  }

  /** The item names (null without names); not a copy. */
  String[] itemNames() {
    return names;
  }

  /** The items of transaction {@code t}, ascending. */
  public int[] items(int t) {
    return Arrays.copyOfRange(items, offsets[t], offsets[t + 1]);
  }

  /** The utilities (millionths) of transaction {@code t}, in the order of {@link #items(int)}. */
  public long[] utilitiesFixed(int t) {
    return Arrays.copyOfRange(utilities, offsets[t], offsets[t + 1]);
  }

  /** The bytes held by the arrays. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + RamUsage.sizeOf(offsets)
        + RamUsage.sizeOf(items)
        + RamUsage.sizeOf(utilities)
        + (names == null ? 0 : RamUsage.sizeOf(names));
  }

  /** A builder of rows {@code (transaction, item, utility)}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A database of the given transactions: {@code items[t][k]} has utility {@code utilities[t][k]}
   * (duplicates summed; rows numbered in reading order).
   */
  public static UtilityDb of(int[][] items, double[][] utilities, String[] names) {
    if (items.length != utilities.length) {
      throw new IllegalArgumentException(
          items.length + " item rows but " + utilities.length + " utility rows");
    }
    Builder b = builder();
    for (int t = 0; t < items.length; t++) {
      if (items[t].length != utilities[t].length) {
        throw new IllegalArgumentException(
            "Transaction "
                + t
                + " has "
                + items[t].length
                + " items but "
                + utilities[t].length
                + " utilities");
      }
      b.addTransaction(t);
      for (int k = 0; k < items[t].length; k++) {
        b.add(t, items[t][k], utilities[t][k]);
      }
    }
    return b.build(names);
  }

  /**
   * Collects rows into primitive arrays (transaction id, item id, fixed-point utility), then sorts
   * them into CSR in {@link #build}: transaction ids are mapped to dense ids in order of first
   * appearance by an open-addressing {@code long → int} table.
   */
  public static final class Builder {
    private long[] txnOf = new long[64];
    private int[] itemOf = new int[64];
    private long[] utilOf = new long[64];
    private int size;
    private long rows;
    private int maxItem = -1;
    // open addressing: transaction id -> dense id; keys valid where denseOf >= 0
    private long[] keys = new long[64];
    private int[] dense = filled(64);
    private int nTxns;
    private int[] denseTxnOf = new int[64];

    private Builder() {}

    private static int[] filled(int n) {
      int[] a = new int[n];
      Arrays.fill(a, -1);
      return a;
    }

    private int denseId(long txn) {
      int mask = keys.length - 1;
      long h = txn * 0x9E3779B97F4A7C15L;
      for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
        if (dense[i] < 0) {
          keys[i] = txn;
          dense[i] = nTxns++;
          if (nTxns * 2L > keys.length) {
            rehash();
          }
          return nTxns - 1;
        }
        if (keys[i] == txn) {
          return dense[i];
        }
      }
    }

    private void rehash() {
      long[] oldKeys = keys;
      int[] oldDense = dense;
      keys = new long[oldKeys.length * 2];
      dense = filled(oldKeys.length * 2);
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldDense[j] >= 0) {
          long h = oldKeys[j] * 0x9E3779B97F4A7C15L;
          int i = (int) (h ^ (h >>> 32)) & mask;
          while (dense[i] >= 0) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          dense[i] = oldDense[j];
        }
      }
    }

    /** Declares a transaction (it counts even if it gets no rows: an empty receipt). */
    public Builder addTransaction(long txn) {
      denseId(txn);
      return this;
    }

    /** Adds one row; throws (naming the row) on a negative, NaN or infinite utility. */
    public Builder add(long txn, int item, double utility) {
      return addFixed(txn, item, toFixed(utility, rows, txn, item));
    }

    /** Adds one row whose utility is already fixed-point millionths ({@code >= 0}). */
    public Builder addFixed(long txn, int item, long utilityFixed) {
      long row = rows++;
      if (item < 0) {
        throw new IllegalArgumentException(
            "Invalid item id " + item + " at row " + row + " (transaction " + txn + "): ids >= 0");
      }
      if (utilityFixed < 0) {
        throw new IllegalArgumentException(
            "Invalid utility "
                + fromFixed(utilityFixed)
                + " at row "
                + row
                + " (transaction "
                + txn
                + ", item "
                + item
                + "): utilities must be >= 0");
      }
      if (size == txnOf.length) {
        txnOf = ArrayUtil.grow(txnOf, size + 1L);
        itemOf = ArrayUtil.grow(itemOf, size + 1L);
        utilOf = ArrayUtil.grow(utilOf, size + 1L);
        denseTxnOf = ArrayUtil.grow(denseTxnOf, size + 1L);
      }
      txnOf[size] = txn;
      itemOf[size] = item;
      utilOf[size] = utilityFixed;
      denseTxnOf[size] = denseId(txn);
      size++;
      maxItem = Math.max(maxItem, item);
      return this;
    }

    /** The number of rows added. */
    public long rows() {
      return rows;
    }

    /** The database, items without names. */
    public UtilityDb build() {
      return build(null);
    }

    /**
     * The database; {@code names} (may be null) names item ids {@code 0..names.length-1} and must
     * cover every id added.
     */
    public UtilityDb build(String[] names) {
      if (names != null && maxItem >= names.length) {
        throw new IllegalArgumentException(
            "Item id " + maxItem + " has no name: " + names.length + " names given");
      }
      int n = nTxns;
      // counting sort by dense transaction id
      int[] offsets = new int[n + 1];
      for (int r = 0; r < size; r++) {
        offsets[denseTxnOf[r] + 1]++;
      }
      for (int t = 0; t < n; t++) {
        offsets[t + 1] += offsets[t];
      }
      int[] fill = Arrays.copyOf(offsets, n);
      long[] packed = new long[size]; // item << 32 | row, sorted per transaction
      for (int r = 0; r < size; r++) {
        packed[fill[denseTxnOf[r]]++] = ((long) itemOf[r] << 32) | r;
      }
      int[] items = new int[size];
      long[] utils = new long[size];
      int out = 0;
      int[] newOffsets = new int[n + 1];
      for (int t = 0; t < n; t++) {
        int from = offsets[t];
        int to = offsets[t + 1];
        Arrays.sort(packed, from, to);
        int tStart = out;
        for (int p = from; p < to; p++) {
          int item = (int) (packed[p] >>> 32);
          int r = (int) packed[p];
          if (out > tStart && items[out - 1] == item) {
            utils[out - 1] = addExact(utils[out - 1], utilOf[r]); // duplicate row: summed
          } else {
            items[out] = item;
            utils[out] = utilOf[r];
            out++;
          }
        }
        newOffsets[t + 1] = out;
      }
      int nItems = names != null ? names.length : maxItem + 1;
      return new UtilityDb(
          n, nItems, newOffsets, Arrays.copyOf(items, out), Arrays.copyOf(utils, out), names);
    }
  }
}
