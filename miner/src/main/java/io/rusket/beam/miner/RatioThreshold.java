package io.rusket.beam.miner;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The exact test {@code num / den >= t} for a ratio of non-negative counts against a threshold
 * {@code t}, decided on the integers: with {@code t = p / q} the exact decimal value of {@code t}
 * as {@link Double#toString} prints it ({@link BigDecimal#valueOf(double)}), reduced, the test is
 * {@code num × q >= p × den}. This is the decimal arithmetic of {@link
 * ItemsetMiner#thresholdCount}, so a confidence of exactly 4/5 passes the threshold 0.8 (where the
 * double quotient is 0.7999999999999999).
 *
 * <p>Built once per threshold; {@link #accepts} does two {@code long} multiplications and no
 * allocation as long as {@code max(p, q) × maxCount} fits in a long (true for any threshold of
 * up to 9 significant digits and counts below 2^33), and falls back to {@link BigInteger}
 * otherwise.
 */
final class RatioThreshold {
  private enum Mode {
    /** Every ratio passes ({@code t <= 0}, including −∞). */
    ALL,
    /** No finite ratio passes ({@code t = +∞}). */
    NONE,
    /** {@code num × q >= p × den} in long arithmetic. */
    LONG,
    /** The same in BigInteger arithmetic. */
    BIG
  }

  private final Mode mode;
  private final long p;
  private final long q;
  private final BigInteger bigP;
  private final BigInteger bigQ;

  /**
   * The test against {@code t} (not NaN) for counts of at most {@code maxCount}.
   *
   * @throws IllegalArgumentException if {@code t} is NaN or {@code maxCount} is negative
   */
  RatioThreshold(double t, long maxCount) {
    if (Double.isNaN(t) || maxCount < 0) {
      throw new IllegalArgumentException("threshold " + t + ", maxCount " + maxCount);
    }
    if (t <= 0) {
      mode = Mode.ALL;
      p = q = 0;
      bigP = bigQ = null;
      return;
    }
    if (t == Double.POSITIVE_INFINITY) {
      mode = Mode.NONE;
      p = q = 0;
      bigP = bigQ = null;
      return;
    }
    BigDecimal d = BigDecimal.valueOf(t);
    BigInteger num;
    BigInteger den;
    if (d.scale() > 0) {
      num = d.unscaledValue();
      den = BigInteger.TEN.pow(d.scale());
    } else {
      num = d.toBigIntegerExact();
      den = BigInteger.ONE;
    }
    BigInteger g = num.gcd(den);
    bigP = num.divide(g);
    bigQ = den.divide(g);
    BigInteger limit = BigInteger.valueOf(Long.MAX_VALUE / Math.max(1, maxCount));
    if (bigP.compareTo(limit) <= 0 && bigQ.compareTo(limit) <= 0) {
      mode = Mode.LONG;
      p = bigP.longValueExact();
      q = bigQ.longValueExact();
    } else {
      mode = Mode.BIG;
      p = q = 0;
    }
  }

  /**
   * Whether {@code num / den >= t}, exactly, for {@code 0 <= num <= maxCount} and {@code 0 < den
   * <= maxCount}.
   */
  boolean accepts(long num, long den) {
    assert num >= 0 && den > 0 : "num=" + num + ", den=" + den;
    switch (mode) {
      case ALL:
        return true;
      case NONE:
        return false;
      case LONG:
        return num * q >= p * den;
      case BIG:
      default:
        return BigInteger.valueOf(num)
                .multiply(bigQ)
                .compareTo(bigP.multiply(BigInteger.valueOf(den)))
            >= 0;
    }
  }

  @Override
  public String toString() {
    return mode == Mode.LONG || mode == Mode.BIG ? bigP + "/" + bigQ : mode.toString();
  }
}
