package io.rusket.beam.miner;

/** Growth of primitive arrays, in one place, with an overflow guard. */
final class ArrayUtil {
  /** Largest array length the JVM reliably allocates. */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 16;

  private ArrayUtil() {}

  /**
   * A new capacity of at least {@code minSize}, growing {@code current} by 1.5×.
   *
   * @throws IllegalStateException if {@code minSize} exceeds the largest array the JVM allows
   */
  static int grow(int current, long minSize) {
    if (minSize > MAX_ARRAY_LENGTH) {
      throw new IllegalStateException(
          "Array of " + minSize + " elements exceeds the maximum of " + MAX_ARRAY_LENGTH);
    }
    long next = Math.max(minSize, current + (current >> 1) + 8L);
    return (int) Math.min(next, MAX_ARRAY_LENGTH);
  }
}
