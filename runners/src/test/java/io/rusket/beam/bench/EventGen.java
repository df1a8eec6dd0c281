package io.rusket.beam.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generated click-stream / order-line events for the {@code stream} suite, in the shape of the
 * seed's published 300M-row run: {@value #ITEMS} items with Zipf popularity (exponent {@value
 * #ZIPF}), baskets of 1 + geometric items (mean {@value #MEAN_BASKET}), an item drawn twice being a
 * repeated event. The log is {@link #CHUNKS} chunks; chunk {@code k} is generated alone from its
 * own seed (so a pipeline can generate chunks in parallel, and everyone sees the same events), its
 * transactions numbered from {@code k << 40} in log order.
 */
final class EventGen {
  static final int ITEMS = 2600;
  static final double ZIPF = 1.0;
  static final double MEAN_BASKET = 4.4;
  static final int CHUNKS = 100;
  static final long SEED = 0x5_7EA3L;

  private static final double[] CDF = zipfCdf(ITEMS, ZIPF);

  private final SplittableRandom rnd;
  private long remaining;
  private long nextTxn;
  private int basketLeft;

  /** Chunk {@code k} of a log of {@code totalEvents} events. */
  EventGen(int k, long totalEvents) {
    this.rnd = new SplittableRandom(SEED * 31 + k);
    this.remaining = chunkEvents(k, totalEvents);
    this.nextTxn = (long) k << 40;
  }

  static long chunkEvents(int k, long total) {
    return total * (k + 1) / CHUNKS - total * k / CHUNKS;
  }

  /** Fills the arrays from the start; returns the number of events written (0 at the end). */
  int next(long[] txn, int[] item) {
    int n = (int) Math.min(txn.length, remaining);
    final double p = 1.0 / MEAN_BASKET; // 1 + geometric(p) has mean 1/p
    for (int i = 0; i < n; i++) {
      if (basketLeft == 0) {
        nextTxn++;
        int len = 1;
        while (rnd.nextDouble() >= p) {
          len++;
        }
        basketLeft = len;
      }
      basketLeft--;
      txn[i] = nextTxn;
      int j = Arrays.binarySearch(CDF, rnd.nextDouble());
      item[i] = j < 0 ? Math.min(-j - 1, ITEMS - 1) : j;
    }
    remaining -= n;
    return n;
  }

  /** The whole log of {@code total} events in two arrays, chunk after chunk. */
  static long[][] all(long total, int[] itemsOut) {
    long[] txn = new long[Math.toIntExact(total)];
    int fill = 0;
    long[] t = new long[1 << 16];
    int[] it = new int[1 << 16];
    for (int k = 0; k < CHUNKS; k++) {
      EventGen g = new EventGen(k, total);
      int n;
      while ((n = g.next(t, it)) > 0) {
        System.arraycopy(t, 0, txn, fill, n);
        System.arraycopy(it, 0, itemsOut, fill, n);
        fill += n;
      }
    }
    return new long[][] {txn};
  }

  /** The cumulative distribution of a Zipf law over {@code n} ranks (shared by the generators). */
  static double[] zipfCdf(int n, double exponent) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.pow(i + 1, -exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }
}
