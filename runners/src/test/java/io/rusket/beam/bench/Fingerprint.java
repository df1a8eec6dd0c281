package io.rusket.beam.bench;

import io.rusket.beam.miner.ItemsetSink;
import java.util.SplittableRandom;

/**
 * An order-independent fingerprint of a collection of frequent itemsets, so that every miner's full
 * output is consumed (nothing can be optimised away) and outputs can be compared without holding
 * them.
 *
 * <p>Each item id gets a fixed random 64-bit key (same seed for every miner); an itemset's key is
 * the sum of its items' keys (so the order of items inside an itemset does not matter, and unlike a
 * sum of raw ids {1,4} and {2,3} differ), mixed with its count; the checksum is the sum over
 * itemsets (so the order in which itemsets arrive does not matter). Per item the cost is one array
 * load and one add, per itemset two multiplies: small next to mining, and the same for us and for
 * Smile.
 */
final class Fingerprint implements ItemsetSink {
  private static final long SEED = 0x5EED_BA5CE7L;

  private final long[] itemKeys;
  private long checksum;
  private long itemsets;

  Fingerprint(long[] itemKeys) {
    this.itemKeys = itemKeys;
  }

  /** The random keys of item ids {@code 0 .. nItems-1}; every miner of a dataset uses these. */
  static long[] itemKeys(int nItems) {
    SplittableRandom r = new SplittableRandom(SEED);
    long[] keys = new long[nItems];
    for (int i = 0; i < nItems; i++) {
      keys[i] = r.nextLong();
    }
    return keys;
  }

  /** Mixes one itemset's key and count into a checksum term. */
  static long term(long setKey, long count) {
    return (setKey ^ (count * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
  }

  @Override
  public void accept(int[] items, int length, long count) {
    final long[] keys = itemKeys;
    long k = 0;
    for (int i = 0; i < length; i++) {
      k += keys[items[i]];
    }
    checksum += term(k, count);
    itemsets++;
  }

  long checksum() {
    return checksum;
  }

  long itemsets() {
    return itemsets;
  }
}
