package io.rusket.beam.miner;

/**
 * The heap-size constants behind every {@code ramBytesUsed()} estimate of the project (the miner's
 * and the Beam accumulators'), named once (in the spirit of Lucene's {@code RamUsageEstimator}): a
 * 64-bit JVM, object and array headers rounded up to 16 bytes, references counted as 8 bytes
 * (uncompressed oops, an upper bound). Estimates for budgets and statistics, not measurements: they
 * count the capacity of every array, so a grown-but-unfilled array counts in full.
 */
public final class RamUsage {
  private RamUsage() {}

  /** An object's header. */
  public static final int OBJECT_HEADER = 16;

  /** An array's header (with its length). */
  public static final int ARRAY_HEADER = 16;

  /** A reference field or array slot. */
  public static final int REFERENCE = 8;

  /** A String object without its characters: header, hash, coder and the value reference. */
  public static final int STRING_SHALLOW = 24;

  /** A String's fixed part: the object and its byte array's header (then a byte per char). */
  public static final int STRING = STRING_SHALLOW + ARRAY_HEADER;

  /** A {@code (long transaction id, int item id)} pair held in two parallel arrays. */
  public static final int PAIR = Long.BYTES + Integer.BYTES;

  /** The fields of a small object holding a few arrays and counters. */
  public static final int SMALL_OBJECT = 64;

  /** An {@code int[]}, or 0 for null. */
  public static long sizeOf(int[] a) {
    return a == null ? 0 : ARRAY_HEADER + (long) Integer.BYTES * a.length;
  }

  /** A {@code long[]}, or 0 for null. */
  public static long sizeOf(long[] a) {
    return a == null ? 0 : ARRAY_HEADER + (long) Long.BYTES * a.length;
  }

  /** A {@code double[]}, or 0 for null. */
  public static long sizeOf(double[] a) {
    return a == null ? 0 : ARRAY_HEADER + (long) Double.BYTES * a.length;
  }

  /** An array of references, without what they point to; 0 for null. */
  public static long shallowSizeOf(Object[] a) {
    return a == null ? 0 : ARRAY_HEADER + (long) REFERENCE * a.length;
  }

  /** An {@code int[][]} with its rows; 0 for null. */
  public static long sizeOf(int[][] a) {
    long b = shallowSizeOf(a);
    if (a != null) {
      for (int[] row : a) {
        b += sizeOf(row);
      }
    }
    return b;
  }

  /** A {@code long[][]} with its rows; 0 for null. */
  public static long sizeOf(long[][] a) {
    long b = shallowSizeOf(a);
    if (a != null) {
      for (long[] row : a) {
        b += sizeOf(row);
      }
    }
    return b;
  }

  /** A {@code String[]} with its strings (Latin-1: a byte per char); 0 for null. */
  public static long sizeOf(String[] a) {
    long b = shallowSizeOf(a);
    if (a != null) {
      for (String s : a) {
        b += s == null ? 0 : STRING + s.length();
      }
    }
    return b;
  }

  /** An {@code int[]} of this length. */
  public static long ints(int length) {
    return ARRAY_HEADER + (long) Integer.BYTES * length;
  }

  /** A {@code long[]} of this length. */
  public static long longs(int length) {
    return ARRAY_HEADER + (long) Long.BYTES * length;
  }

  /** An array of references of this length (not counting what they point to). */
  public static long references(int length) {
    return ARRAY_HEADER + (long) REFERENCE * length;
  }

  /** A String with its characters (one byte each, as compact Latin-1 strings). */
  public static long string(String s) {
    return STRING + s.length();
  }
}
