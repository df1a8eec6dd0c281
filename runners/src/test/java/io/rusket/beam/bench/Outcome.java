package io.rusket.beam.bench;

/**
 * What one mining run produced: the number of itemsets and, when the run consumed every itemset,
 * their {@link Fingerprint} checksum ({@code hasChecksum} false for a count-only run, e.g. Spark's
 * timed {@code freqItemsets().count()}).
 */
record Outcome(long itemsets, long checksum, boolean hasChecksum) {
  static Outcome of(Fingerprint f) {
    return new Outcome(f.itemsets(), f.checksum(), true);
  }

  static Outcome countOnly(long itemsets) {
    return new Outcome(itemsets, 0, false);
  }

  /** True if both agree on everything both know. */
  boolean consistentWith(Outcome o) {
    return itemsets == o.itemsets && (!hasChecksum || !o.hasChecksum || checksum == o.checksum);
  }
}
