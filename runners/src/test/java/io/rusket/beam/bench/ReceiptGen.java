package io.rusket.beam.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generated one-hot receipts for the {@code spark} suite: {@value #STORES} stores with Zipf sizes
 * (store {@code s} gets a share proportional to {@code 1/(s+1)}, ~200× between the largest and the
 * smallest), {@value #ITEMS} items with Zipf popularity (exponent {@value #ZIPF}), 1 + geometric
 * item draws per receipt (mean {@value #MEAN_DRAWS} before a cap of {@value #MAX_DRAWS}, about 3.8
 * after it; an item drawn twice is one item, so a receipt holds a little fewer distinct items). As
 * {@link EventGen}, the receipts are {@link #CHUNKS} chunks, each generated alone from its own
 * seed, so that each system can generate them in parallel and every system sees the same receipts.
 */
final class ReceiptGen {
  static final int STORES = 200;
  static final int ITEMS = 150;
  static final double ZIPF = 1.0;
  static final double MEAN_DRAWS = 4.0;

  /**
   * At most this many draws per receipt: without a cap, the geometric tail's rare 20-item receipts
   * make every subset (10^6) frequent in the smallest stores, where the threshold is a few
   * receipts.
   */
  static final int MAX_DRAWS = 10;

  static final int CHUNKS = 100;
  static final long SEED = 0x0E_4071L;

  private static final double[] ITEM_CDF = EventGen.zipfCdf(ITEMS, ZIPF);
  private static final double[] STORE_CDF = EventGen.zipfCdf(STORES, 1.0);

  private final SplittableRandom rnd;
  private long remaining;

  /** Chunk {@code k} of {@code totalReceipts} receipts. */
  ReceiptGen(int k, long totalReceipts) {
    this.rnd = new SplittableRandom(SEED * 31 + k);
    this.remaining = totalReceipts * (k + 1) / CHUNKS - totalReceipts * k / CHUNKS;
  }

  /**
   * The next receipt: its store, and its distinct items ascending in {@code items[0 .. n)}, n
   * returned; -1 at the end of the chunk. {@code items} must hold {@link #ITEMS} ids.
   */
  int next(int[] store, int[] items) {
    if (remaining == 0) {
      return -1;
    }
    remaining--;
    store[0] = draw(STORE_CDF, STORES);
    final double p = 1.0 / MEAN_DRAWS; // 1 + geometric(p) has mean 1/p
    int n = 0;
    int draws = MAX_DRAWS;
    do {
      int item = draw(ITEM_CDF, ITEMS);
      boolean seen = false;
      for (int i = 0; i < n; i++) {
        seen |= items[i] == item;
      }
      if (!seen) {
        items[n++] = item;
      }
    } while (--draws > 0 && rnd.nextDouble() >= p);
    Arrays.sort(items, 0, n);
    return n;
  }

  private int draw(double[] cdf, int n) {
    int j = Arrays.binarySearch(cdf, rnd.nextDouble());
    return j < 0 ? Math.min(-j - 1, n - 1) : j;
  }

  /** Receipts per store of the whole data set (for the report). */
  static int[] storeSizes(long totalReceipts) {
    int[] sizes = new int[STORES];
    int[] store = new int[1];
    int[] items = new int[ITEMS];
    for (int k = 0; k < CHUNKS; k++) {
      ReceiptGen g = new ReceiptGen(k, totalReceipts);
      while (g.next(store, items) >= 0) {
        sizes[store[0]]++;
      }
    }
    return sizes;
  }
}
