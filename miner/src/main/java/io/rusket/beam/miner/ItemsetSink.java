package io.rusket.beam.miner;

/**
 * Receives frequent itemsets one at a time, as the miner finds them, so that huge results need
 * not be held in memory.
 *
 * <p>The {@code items} array is a scratch buffer owned by the miner: only {@code items[0, length)}
 * is meaningful and it is overwritten after {@code accept} returns, so a sink that keeps an itemset
 * must copy it. Item values are the dense item ids of the {@link TransactionDb} that was mined
 * ({@link TransactionDb#itemName(int)} turns them back into names). Within one itemset the items
 * are distinct and in ascending item-id order.
 *
 * <p>Calls come from a single thread, in an order that is deterministic for a given input,
 * configuration and method, whatever the number of mining threads.
 */
@FunctionalInterface
public interface ItemsetSink {
  /**
   * Accepts one frequent itemset.
   *
   * @param items the item ids, ascending; only the first {@code length} entries are valid
   * @param length the number of items, at least 1
   * @param count the number of transactions containing every item
   */
  void accept(int[] items, int length, long count);
}
