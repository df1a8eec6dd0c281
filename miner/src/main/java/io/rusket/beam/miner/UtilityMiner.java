package io.rusket.beam.miner;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Mines high-utility itemsets from a {@link UtilityDb}: every itemset whose utility — the sum, over
 * the transactions containing all its items, of those items' utilities in that transaction —
 * reaches the threshold, with that utility and its count (the number of transactions containing
 * it). The algorithm is EFIM (Zida et al., "EFIM: a fast and memory efficient algorithm for
 * high-utility itemset mining", Knowledge and Information Systems 51(2), 2017): TWU ordering and
 * pruning, sub-tree and local utility bounds, transaction merging in projected databases.
 *
 * <p>Configuration is immutable: each {@code withX} returns a copy. Example of use:
 *
 * <pre>{@code
 * UtilityDb db = ...;                                   // (transaction, item, profit) rows
 * HighUtilityItemsets hui = UtilityMiner.minUtility(500.0).withMaxLen(3).mine(db);
 * for (int i = 0; i < hui.size(); i++) {
 *   System.out.println(Arrays.toString(hui.names(i)) + " " + hui.utility(i) + " " + hui.count(i));
 * }
 * // or a share of the database's total utility, streamed:
 * UtilityMiner.minUtilityFraction(0.01).mine(db, (items, len, utilityFixed, count) -> { ... });
 * }</pre>
 *
 * <p><b>Threshold.</b> {@link #minUtility(double)} is absolute, in units of the utility; {@link
 * #minUtilityFraction(double)} is a share of the database's total utility. Both become one exact
 * fixed-point threshold ({@link UtilityDb}: millionths): {@code ceil(minUtility × 10^6)}, or {@code
 * ceil(f × total)} in decimal arithmetic on the value written, and never below one millionth, so an
 * itemset of zero utility is never reported. An itemset qualifies iff its exact utility is {@code
 * >=} that threshold.
 *
 * <p><b>Threads and order.</b> The search runs on the calling thread; itemsets arrive in
 * depth-first order of ascending TWU, deterministic for a given database and configuration (Beam
 * parallelism is across groups).
 *
 * <p>Serializable (plain configuration), so it can travel inside a pipeline's DoFns.
 *
 * <p><b>Memory.</b> The database (12 bytes per distinct (transaction, item) entry), a copy revised
 * to the promising items, and along one search path the merged projected transactions; results need
 * not fit when streamed to a {@link UtilitySink}.
 */
public final class UtilityMiner implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double minUtility; // NaN when a fraction is given
  private final double fraction; // NaN when minUtility is given
  private final int maxLen; // Integer.MAX_VALUE = unlimited

  private UtilityMiner(double minUtility, double fraction, int maxLen) {
    this.minUtility = minUtility;
    this.fraction = fraction;
    this.maxLen = maxLen;
  }

  /**
   * A miner with an absolute threshold: an itemset is reported iff its utility {@code >=
   * minUtility}.
   *
   * @throws IllegalArgumentException unless {@code minUtility} is finite and {@code > 0}
   */
  public static UtilityMiner minUtility(double minUtility) {
    if (!(minUtility > 0) || Double.isInfinite(minUtility)) {
      throw new IllegalArgumentException(
          "Invalid minUtility: " + minUtility + ". Valid range is (0, +inf) (finite).");
    }
    return new UtilityMiner(minUtility, Double.NaN, Integer.MAX_VALUE);
  }

  /**
   * A miner with a relative threshold: an itemset is reported iff its utility {@code >= fraction ×}
   * the database's total utility.
   *
   * @throws IllegalArgumentException unless {@code fraction} is in (0, 1]
   */
  public static UtilityMiner minUtilityFraction(double fraction) {
    checkFraction(fraction);
    return new UtilityMiner(Double.NaN, fraction, Integer.MAX_VALUE);
  }

  /** Checks a {@code minUtilityFraction}: in (0, 1]. */
  public static void checkFraction(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "Invalid minUtilityFraction: " + fraction + ". Valid range is (0, 1].");
    }
  }

  /**
   * A copy reporting itemsets of at most {@code maxLen} items.
   *
   * @throws IllegalArgumentException if {@code maxLen < 1}
   */
  public UtilityMiner withMaxLen(int maxLen) {
    if (maxLen < 1) {
      throw new IllegalArgumentException(
          "Invalid maxLen: " + maxLen + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return new UtilityMiner(minUtility, fraction, maxLen);
  }

  /** The absolute threshold, or NaN when a fraction was given. */
  public double minUtility() {
    return minUtility;
  }

  /** The fraction of the total utility, or NaN when an absolute threshold was given. */
  public double minUtilityFraction() {
    return fraction;
  }

  /** The maximum itemset length ({@code Integer.MAX_VALUE}: unlimited). */
  public int maxLen() {
    return maxLen;
  }

  /** The exact threshold for {@code db}, in millionths (at least 1). */
  public long thresholdFixed(UtilityDb db) {
    return thresholdFixed(db.totalUtilityFixed());
  }

  /** The exact threshold for a database of total utility {@code totalFixed}, in millionths. */
  public long thresholdFixed(long totalFixed) {
    long t;
    if (Double.isNaN(fraction)) {
      t = UtilityDb.thresholdToFixed(minUtility);
    } else {
      t =
          new BigDecimal(Double.toString(fraction))
              .multiply(BigDecimal.valueOf(totalFixed))
              .setScale(0, RoundingMode.CEILING)
              .longValueExact(); // fraction <= 1: at most totalFixed
    }
    return Math.max(1, t);
  }

  /** Mines {@code db} and collects the result. */
  public HighUtilityItemsets mine(UtilityDb db) {
    long threshold = thresholdFixed(db);
    HighUtilityItemsets.Collector c =
        HighUtilityItemsets.collector(db.nTransactions(), db.itemNames(), threshold);
    new Efim(threshold, maxLen, c).mine(db);
    return c.build();
  }

  /** Mines {@code db}, streaming every high-utility itemset to {@code sink}. */
  public void mine(UtilityDb db, UtilitySink sink) {
    new Efim(thresholdFixed(db), maxLen, sink).mine(db);
  }

  @Override
  public String toString() {
    return "UtilityMiner{"
        + (Double.isNaN(fraction) ? "minUtility=" + minUtility : "minUtilityFraction=" + fraction)
        + (maxLen == Integer.MAX_VALUE ? "" : ", maxLen=" + maxLen)
        + "}";
  }
}
