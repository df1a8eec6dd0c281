package io.rusket.beam.miner;

/**
 * A minimum count that may rise while mining (top-k: once k itemsets are held, nothing below the
 * k-th count can enter). Raised only by the thread that delivers itemsets; read by every mining
 * thread at each node of the search, which prunes the subtree of an itemset below it (counts only
 * fall down the search tree, so the pruning is exact whenever it happens).
 */
final class Threshold {
  private volatile int value;

  Threshold(int value) {
    this.value = value;
  }

  int get() {
    return value;
  }

  /** Raises the threshold to {@code v} if that is higher. */
  void raise(int v) {
    if (v > value) {
      value = v;
    }
  }
}
