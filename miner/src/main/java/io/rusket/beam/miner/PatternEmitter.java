package io.rusket.beam.miner;

/**
 * The output side shared by the miners' workers: the current itemset (a stack of item ids), the
 * perfect extensions of the current conditional base (a stack of item ids that occur in every
 * transaction of that base, so each may be added to any itemset found below it without changing its
 * count), and delivery of itemsets to a sink straight from the prefix stack (no copy, no sort:
 * items arrive in mining order).
 */
abstract class PatternEmitter implements OrderedTasks.Worker {
  final int maxLen;

  /** The minimum count in force; refreshed from {@link #rising} at each node when top-k. */
  int minCount;

  /** Top-k: the rising threshold; null when the threshold is fixed. */
  private final Threshold rising;

  /** The items of the current itemset (database item ids), a stack. */
  int[] prefix = new int[32];

  /** Perfect extensions in force (database item ids), a stack. */
  int[] pe = new int[32];

  int peLen;
  private ItemsetSink sink;
  private long emitted;

  PatternEmitter(int maxLen, int minCount, Threshold rising) {
    this.maxLen = maxLen;
    this.minCount = minCount;
    this.rising = rising;
  }

  /**
   * Refreshes {@link #minCount} from the rising threshold (top-k) and tells whether {@code count}
   * is below it: then the node and its whole subtree are skipped.
   */
  final boolean belowThreshold(int count) {
    if (rising != null) {
      minCount = rising.get();
    }
    return count < minCount;
  }

  @Override
  public final long mine(int task, ItemsetSink sink) {
    this.sink = sink;
    this.emitted = 0;
    this.peLen = 0;
    mineTask(task);
    this.sink = null;
    return emitted;
  }

  /** Mines one first-level task, emitting through {@link #emitWithExtensions}. */
  abstract void mineTask(int task);

  /** Emits prefix[0, plen) combined with every subset of the perfect extensions in force. */
  final void emitWithExtensions(int plen, int count) {
    if (peLen == 0 || plen >= maxLen) {
      emit(plen, count);
      return;
    }
    ensurePrefix(plen + peLen);
    emitSubsets(plen, 0, count);
  }

  /**
   * Emits the one itemset prefix[0, plen) ∪ the perfect extensions in force (closed and maximal
   * targets: the node's closure, not its subsets). Overwrites prefix[plen, plen + peLen).
   */
  final void emitNode(int plen, int count) {
    ensurePrefix(plen + peLen);
    System.arraycopy(pe, 0, prefix, plen, peLen);
    emit(plen + peLen, count);
  }

  private void emitSubsets(int plen, int from, int count) {
    emit(plen, count);
    if (plen >= maxLen) {
      return;
    }
    for (int q = from; q < peLen; q++) {
      prefix[plen] = pe[q];
      emitSubsets(plen + 1, q + 1, count);
    }
  }

  /** Emits prefix[0, len) as it stands (the caller filled it). */
  final void emitPrefix(int len, int count) {
    emit(len, count);
  }

  private void emit(int len, int count) {
    sink.accept(prefix, len, count);
    emitted++;
  }

  final void pushPe(int item) {
    if (peLen == pe.length) {
      pe = ArrayUtil.grow(pe, peLen + 1L);
    }
    pe[peLen++] = item;
  }

  final void ensurePrefix(int len) {
    prefix = ArrayUtil.grow(prefix, len);
  }

  /** Bytes of the emitter's stacks; subclasses add their own scratch. */
  long emitterBytes() {
    return 2 * RamUsage.OBJECT_HEADER + RamUsage.sizeOf(prefix) + RamUsage.sizeOf(pe);
  }

  /** A reusable per-depth int array of at least {@code size} entries. */
  static int[] scratch(int[][] pool, int d, int size) {
    int[] a = pool[d];
    if (a == null || a.length < size) {
      a = pool[d] = new int[ArrayUtil.grow(a == null ? 0 : a.length, size)];
    }
    return a;
  }
}
