package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exact ratio test against an exact rational oracle, in its long and BigInteger modes. */
class RatioThresholdTest {
  /** num / den >= t, in BigDecimal on t's decimal value. */
  private static boolean oracle(long num, long den, double t) {
    if (t == Double.NEGATIVE_INFINITY) {
      return true;
    }
    if (t == Double.POSITIVE_INFINITY) {
      return false;
    }
    return BigDecimal.valueOf(num)
            .compareTo(new BigDecimal(Double.toString(t)).multiply(BigDecimal.valueOf(den)))
        >= 0;
  }

  @Test
  void fourFifthsIsAtLeastPointEight() {
    RatioThreshold t = new RatioThreshold(0.8, 6);
    assertTrue(t.accepts(4, 5));
    assertFalse(t.accepts(3, 4));
    assertEquals("4/5 (LONG)", t.toString());
    assertTrue(new RatioThreshold(0.7, 147).accepts(7, 10));
    assertTrue(new RatioThreshold(0.1, 12).accepts(1, 10));
    assertFalse(new RatioThreshold(Math.nextUp(0.1), 12).accepts(1, 10));
  }

  @Test
  void infinitiesZeroAndNegativeThresholds() {
    for (double t : new double[] {Double.NEGATIVE_INFINITY, -1, -0.0, 0.0}) {
      RatioThreshold r = new RatioThreshold(t, 10);
      assertTrue(r.accepts(0, 10), "t=" + t);
      assertTrue(r.accepts(10, 10), "t=" + t);
    }
    RatioThreshold inf = new RatioThreshold(Double.POSITIVE_INFINITY, 10);
    assertFalse(inf.accepts(10, 1));
    assertThrows(IllegalArgumentException.class, () -> new RatioThreshold(Double.NaN, 10));
  }

  @Test
  void manyDigitsWithLargeCountsTakeThe128BitPath() {
    double third = 1.0 / 3; // 0.3333333333333333: q = 10^16
    long n = 1L << 40;
    RatioThreshold r = new RatioThreshold(third, n);
    assertTrue(r.toString().endsWith("(WIDE)"), r.toString());
    long den = n - 7;
    long num = den / 3; // just below a third
    for (long k = num - 3; k <= num + 3; k++) {
      assertEquals(oracle(k, den, third), r.accepts(k, den), k + "/" + den);
    }
    // Products that exceed 2^64: counts near 2^62.
    long big = Long.MAX_VALUE / 2;
    RatioThreshold w = new RatioThreshold(0.7000000000000001, big);
    for (long k : new long[] {big / 10 * 7, big / 10 * 7 + 1, big - 1, 1, 0}) {
      assertEquals(oracle(k, big, 0.7000000000000001), w.accepts(k, big), k + "/" + big);
    }
  }

  @Test
  void hugeAndTinyThresholdsTakeTheBigIntegerPath() {
    long big = Long.MAX_VALUE / 2;
    // 1e-300 = 1 / 10^300: anything positive passes, zero does not.
    RatioThreshold tiny = new RatioThreshold(1e-300, big);
    assertTrue(tiny.toString().endsWith("(BIG)"), tiny.toString());
    assertTrue(tiny.accepts(1, big));
    assertFalse(tiny.accepts(0, 1));
    RatioThreshold min = new RatioThreshold(Double.MIN_VALUE, 10);
    assertTrue(min.accepts(1, 10));
    RatioThreshold huge = new RatioThreshold(1e300, big);
    assertFalse(huge.accepts(big, 1));
    RatioThreshold max = new RatioThreshold(Double.MAX_VALUE, 10);
    assertFalse(max.accepts(10, 1));
    // 17 significant digits with counts near 2^62 overflow a long product.
    double t = 0.12345678901234568;
    RatioThreshold r = new RatioThreshold(t, big);
    assertEquals(oracle(big / 8, big, t), r.accepts(big / 8, big));
    assertEquals(oracle(big / 8 - 1, big, t), r.accepts(big / 8 - 1, big));
  }

  @Test
  void matchesTheRationalOracleOnRandomRatiosAndThresholds() {
    for (int seed = 0; seed < 2000; seed++) {
      Random rnd = new Random(seed);
      long maxCount = rnd.nextBoolean() ? 1 + rnd.nextInt(1000) : 1 + (rnd.nextLong() >>> 2);
      long den = 1 + Math.floorMod(rnd.nextLong(), maxCount);
      long num = Math.floorMod(rnd.nextLong(), den + 1);
      double t;
      switch (rnd.nextInt(4)) {
        case 0: // a decimal rounding of the ratio itself: at or next to the boundary
          t =
              BigDecimal.valueOf(num)
                  .divide(
                      BigDecimal.valueOf(den), 1 + rnd.nextInt(18), java.math.RoundingMode.HALF_UP)
                  .doubleValue();
          break;
        case 1: // the double quotient and its neighbours
          double q = (double) num / den;
          t = rnd.nextBoolean() ? q : rnd.nextBoolean() ? Math.nextUp(q) : Math.nextDown(q);
          break;
        case 2: // a short decimal
          t = rnd.nextInt(101) / 100.0;
          break;
        default:
          t = rnd.nextDouble() * 1.2 - 0.1;
      }
      RatioThreshold r = new RatioThreshold(t, maxCount);
      assertEquals(
          oracle(num, den, t),
          r.accepts(num, den),
          "seed=" + seed + " " + num + "/" + den + " >= " + t + " (" + r + ")");
    }
  }
}
