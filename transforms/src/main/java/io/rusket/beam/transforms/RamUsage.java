package io.rusket.beam.transforms;

/**
 * Heap-size estimates for the accumulators of this package ({@code ramBytesUsed()}), in one style
 * and with the JVM constants named once (as Lucene's {@code RamUsageEstimator}, for a 64-bit JVM
 * with compressed references). Estimates, not measurements: they count the capacity of every array,
 * so a grown-but-unfilled array counts in full.
 */
final class RamUsage {
  /** Object header. */
  static final long OBJECT_HEADER = 16;

  /** Array header (object header plus length, aligned). */
  static final long ARRAY_HEADER = 16;

  /** A reference field or array slot. */
  static final long REFERENCE = 4;

  /** A String object without its characters: header, hash, coder and the value reference. */
  static final long STRING_SHALLOW = 24;

  private RamUsage() {}

  /** An {@code int[]} of this length. */
  static long ints(int length) {
    return ARRAY_HEADER + 4L * length;
  }

  /** A {@code long[]} of this length. */
  static long longs(int length) {
    return ARRAY_HEADER + 8L * length;
  }

  /** An array of references of this length (not counting what they point to). */
  static long references(int length) {
    return ARRAY_HEADER + REFERENCE * length;
  }

  /** A String with its characters (one byte each, as compact Latin-1 strings; two otherwise). */
  static long string(String s) {
    return STRING_SHALLOW + ARRAY_HEADER + s.length();
  }
}
