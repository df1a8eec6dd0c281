package io.rusket.beam.miner;

/**
 * The rule behind {@link Method#AUTO}: Eclat on bitsets when the frequent items are dense, else
 * FP-Growth.
 *
 * <p>Dense means the frequent items' mean support is at least N/32, so a bitset ({@code N/8} bytes
 * per item) is no larger than a tid-list ({@code 4 × support} bytes), and the bitsets of all
 * frequent items fit in {@link #MAX_BITSET_BYTES}. On dense data, Eclat's word-parallel
 * intersections ({@code Long.bitCount(a[i] & b[i])}) beat walking tree paths; on sparse data
 * FP-Growth's prefix sharing and sequential first-level scans win by far. The measurements behind
 * the rule (the benchmark's {@code --time-methods}) are in README, "Choosing the method".
 */
final class AutoRule {
  /** Largest total size of Eclat's bitsets that AUTO accepts. */
  static final long MAX_BITSET_BYTES = 1L << 30;

  private AutoRule() {}

  static Method choose(TransactionDb db, long minCount) {
    int[] counts = db.itemCounts();
    long f = 0;
    long sum = 0;
    for (int c : counts) {
      if (c >= minCount) {
        f++;
        sum += c;
      }
    }
    long n = db.size();
    boolean dense = f > 0 && sum * 32 >= f * n;
    long bitsetBytes = f * ((n + 63) / 64) * 8;
    return dense && bitsetBytes <= MAX_BITSET_BYTES ? Method.ECLAT : Method.FPGROWTH;
  }
}
