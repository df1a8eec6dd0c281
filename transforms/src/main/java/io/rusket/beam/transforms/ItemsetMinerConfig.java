package io.rusket.beam.transforms;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.Target;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A serializable copy of an {@link ItemsetMiner} configuration, rebuilt on the worker by {@link
 * #get()}. The thread count travels only when it was chosen: the miner's default (the core count of
 * the JVM that built the configuration) is not a decision about the worker, so it is left {@code
 * null} and {@link #get()} uses the worker's own {@code availableProcessors()}.
 */
final class ItemsetMinerConfig implements Serializable {
  private static final long serialVersionUID = 3L;
  private final double minSupport;
  private final long minCount;
  private final @Nullable Integer maxLen;
  private final Method method;
  private final @Nullable Integer threads;
  private final Target target;
  private final @Nullable Integer topK;
  private final int minLen;

  private ItemsetMinerConfig(
      double minSupport,
      long minCount,
      @Nullable Integer maxLen,
      Method method,
      @Nullable Integer threads,
      Target target,
      @Nullable Integer topK,
      int minLen) {
    this.minSupport = minSupport;
    this.minCount = minCount;
    this.maxLen = maxLen;
    this.method = method;
    this.threads = threads;
    this.target = target;
    this.topK = topK;
    this.minLen = minLen;
  }

  /**
   * The configuration of {@code m}; its thread count is kept unless it is the default, this JVM's
   * core count.
   */
  static ItemsetMinerConfig of(ItemsetMiner m) {
    boolean threadsChosen = m.getThreads() != Runtime.getRuntime().availableProcessors();
    return new ItemsetMinerConfig(
        m.getMinSupport(),
        m.getMinSupport() > 0 ? 0 : m.minCountFor(0),
        m.getMaxLen(),
        m.getMethod(),
        threadsChosen ? m.getThreads() : null,
        m.getTarget(),
        m.getTopK(),
        m.getMinLen());
  }

  /** The thread count shipped, or null: the worker's core count. */
  @Nullable Integer threads() {
    return threads;
  }

  /** The miner, with this JVM's core count unless a thread count was chosen. */
  ItemsetMiner get() {
    ItemsetMiner m =
        minSupport > 0 ? ItemsetMiner.minSupport(minSupport) : ItemsetMiner.minCount(minCount);
    m = m.withMethod(method).withTarget(target).withMinLen(minLen);
    if (topK != null) {
      m = m.withTopK(topK);
    }
    if (threads != null) {
      m = m.withThreads(threads);
    }
    return maxLen == null ? m : m.withMaxLen(maxLen);
  }
}
