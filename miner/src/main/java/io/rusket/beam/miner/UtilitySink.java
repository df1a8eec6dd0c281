package io.rusket.beam.miner;

/**
 * Receives high-utility itemsets one at a time, as {@link UtilityMiner} finds them, so that huge
 * results need not be held in memory.
 *
 * <p>As with {@link ItemsetSink}, {@code items} is a scratch buffer owned by the miner: only {@code
 * items[0, length)} is meaningful, it is overwritten after {@code accept} returns, and the items
 * are the dense item ids of the {@link UtilityDb}, distinct, in mining order (ascending TWU). Calls
 * come from the calling thread, in an order that is deterministic for a given database and
 * configuration.
 */
@FunctionalInterface
public interface UtilitySink {
  /**
   * Accepts one high-utility itemset.
   *
   * @param items the item ids; only the first {@code length} entries are valid
   * @param length the number of items, at least 1
   * @param utilityFixed the itemset's utility in millionths ({@link UtilityDb#SCALE}): the sum,
   *     over the transactions containing every item, of those items' utilities
   * @param count the number of transactions containing every item
   */
  void accept(int[] items, int length, long utilityFixed, long count);
}
