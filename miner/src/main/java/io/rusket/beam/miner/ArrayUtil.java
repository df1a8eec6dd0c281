package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * Growth of primitive arrays, in one place for the whole project, with an overflow guard (as
 * Lucene's {@code ArrayUtil.grow}/{@code oversize}). Every growable buffer in rusket-beam sizes
 * itself through {@link #grow(int, long)} or one of the array overloads.
 */
public final class ArrayUtil {
  /** Largest array length the JVM reliably allocates. */
  public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 16;

  private ArrayUtil() {}

  /**
   * A new capacity of at least {@code minSize}, growing {@code current} by 1.5×.
   *
   * @throws IllegalStateException if {@code minSize} exceeds the largest array the JVM allows
   */
  public static int grow(int current, long minSize) {
    if (minSize > MAX_ARRAY_LENGTH) {
      throw new IllegalStateException(
          "Array of " + minSize + " elements exceeds the maximum of " + MAX_ARRAY_LENGTH);
    }
    long next = Math.max(minSize, current + (current >> 1) + 8L);
    return (int) Math.min(next, MAX_ARRAY_LENGTH);
  }

  /** {@code a} itself if it holds {@code minSize} elements, else a grown copy. */
  public static int[] grow(int[] a, long minSize) {
    return minSize <= a.length ? a : Arrays.copyOf(a, grow(a.length, minSize));
  }

  /** {@code a} itself if it holds {@code minSize} elements, else a grown copy. */
  public static long[] grow(long[] a, long minSize) {
    return minSize <= a.length ? a : Arrays.copyOf(a, grow(a.length, minSize));
  }

  /** {@code a} itself if it holds {@code minSize} elements, else a grown copy. */
  public static byte[] grow(byte[] a, long minSize) {
    return minSize <= a.length ? a : Arrays.copyOf(a, grow(a.length, minSize));
  }

  /** {@code a} itself if it holds {@code minSize} elements, else a grown copy. */
  public static <T> T[] grow(T[] a, long minSize) {
    return minSize <= a.length ? a : Arrays.copyOf(a, grow(a.length, minSize));
  }
}
