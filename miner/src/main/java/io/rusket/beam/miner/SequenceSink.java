package io.rusket.beam.miner;

/**
 * Receives frequent sequential patterns one at a time, as {@link SequenceMiner} finds them.
 *
 * <p>A pattern is written as tokens: the item ids of its first step, then {@link #STEP_END}, the
 * items of the second step, and so on (no trailing separator). For example {@code [3, 7, -1, 2]} is
 * the pattern {@code <(3 7)(2)>}. Within a step the item ids are ascending. The {@code tokens}
 * array is a scratch buffer owned by the miner: only {@code tokens[0, length)} is meaningful and it
 * is overwritten after {@code accept} returns.
 *
 * <p>Calls come from a single thread, in an order that is deterministic for a given database and
 * configuration, whatever the number of mining threads.
 */
@FunctionalInterface
public interface SequenceSink {
  /** The token that ends a step inside a pattern. */
  int STEP_END = -1;

  /**
   * Accepts one frequent pattern.
   *
   * @param tokens item ids and {@link #STEP_END} separators; only the first {@code length} are
   *     valid
   * @param length number of tokens, at least 1
   * @param count number of sequences containing the pattern
   */
  void accept(int[] tokens, int length, long count);
}
