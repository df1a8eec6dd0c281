package io.rusket.beam.miner;

/**
 * Receives frequent itemsets one at a time, as the miner finds them, so that huge results need not
 * be held in memory.
 *
 * <p>The {@code items} array is a scratch buffer owned by the miner: only {@code items[0, length)}
 * is meaningful and it is overwritten after {@code accept} returns, so a sink that keeps an itemset
 * must copy it. Item values are the dense item ids of the {@link TransactionDb} that was mined
 * ({@link TransactionDb#itemName(int)} turns them back into names). Within one itemset the items
 * are distinct, in the order the miner found them; wrap a sink in {@link #sorted(ItemsetSink)} to
 * receive them in ascending item-id order (the collected {@link Itemsets} always are).
 *
 * <p>Calls come from a single thread, in an order that is deterministic for a given input,
 * configuration and method, whatever the number of mining threads: itemsets, and the order of items
 * inside each, are the same with 1 or many threads.
 */
@FunctionalInterface
public interface ItemsetSink {
  /**
   * Accepts one frequent itemset.
   *
   * @param items the item ids; only the first {@code length} entries are valid
   * @param length the number of items, at least 1
   * @param count the number of transactions containing every item
   */
  void accept(int[] items, int length, long count);

  /**
   * A sink that hands {@code downstream} each itemset with its items in ascending item-id order (an
   * insertion sort of a copy: itemsets are short).
   */
  static ItemsetSink sorted(ItemsetSink downstream) {
    return new ItemsetSink() {
      private int[] buf = new int[32];

      @Override
      public void accept(int[] items, int length, long count) {
        if (buf.length < length) {
          buf = new int[ArrayUtil.grow(buf.length, length)]; // scratch: nothing to copy
        }
        sortInto(items, length, buf);
        downstream.accept(buf, length, count);
      }
    };
  }

  /** Copies {@code src[0, length)} into {@code dst}, ascending. */
  private static void sortInto(int[] src, int length, int[] dst) {
    for (int k = 0; k < length; k++) {
      int v = src[k];
      int j = k - 1;
      while (j >= 0 && dst[j] > v) {
        dst[j + 1] = dst[j];
        j--;
      }
      dst[j + 1] = v;
    }
  }
}
