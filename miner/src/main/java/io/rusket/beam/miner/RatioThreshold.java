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
 * <p>Built once per threshold; {@link #accepts} allocates nothing for any threshold whose {@code p}
 * and {@code q} fit in a long (every threshold from about 1e-18 to 9e18, whatever its digits): two
 * {@code long} multiplications when {@code max(p, q) × maxCount} fits in a long (any threshold of
 * up to 9 significant digits with counts below 2^33), else the same products in 128 bits ({@link
 * Math#multiplyHigh}). Only thresholds outside that range use {@link BigInteger}.
 */
final class RatioThreshold {
  private enum Mode {
    /** Every ratio passes ({@code t <= 0}, including −∞). */
    ALL,
    /** No finite ratio passes ({@code t = +∞}). */
    NONE,
    /** {@code num × q >= p × den} in long arithmetic (the products cannot overflow). */
    LONG,
    /** The same with 128-bit products. */
    WIDE,
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
    } else if (bigP.bitLength() < Long.SIZE && bigQ.bitLength() < Long.SIZE) {
      mode = Mode.WIDE;
      p = bigP.longValueExact();
      q = bigQ.longValueExact();
    } else {
      mode = Mode.BIG;
      p = q = 0;
    }
  }

  /**
   * Whether {@code num / den >= t}, exactly, for {@code 0 <= num <= maxCount} and {@code 0 < den <=
   * maxCount}.
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
      case WIDE:
        {
          // Non-negative 128-bit products: compare the high words, then the low ones unsigned.
          long hi = Math.multiplyHigh(num, q);
          long otherHi = Math.multiplyHigh(p, den);
          return hi != otherHi ? hi > otherHi : Long.compareUnsigned(num * q, p * den) >= 0;
        }
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
    return bigP != null ? bigP + "/" + bigQ + " (" + mode + ")" : mode.toString();
  }
}
