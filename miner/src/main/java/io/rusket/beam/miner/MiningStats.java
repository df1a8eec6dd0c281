package io.rusket.beam.miner;

/**
 * What one mining run did and the memory it used, from {@link
 * ItemsetMiner#mineWithStats(TransactionDb, ItemsetSink)}.
 */
public final class MiningStats {
  private final Method method;
  private final long minCount;
  private final long itemsets;
  private final int threads;
  private final long structureBytes;
  private final long scratchBytes;
  private final long peakBufferedBytes;

  MiningStats(
      Method method,
      long minCount,
      long itemsets,
      int threads,
      long structureBytes,
      long scratchBytes,
      long peakBufferedBytes) {
    this.method = method;
    this.minCount = minCount;
    this.itemsets = itemsets;
    this.threads = threads;
    this.structureBytes = structureBytes;
    this.scratchBytes = scratchBytes;
    this.peakBufferedBytes = peakBufferedBytes;
  }

  static MiningStats empty(Method method, long minCount, int threads) {
    return new MiningStats(method, minCount, 0, threads, 0, 0, 0);
  }

  /** The same figures with another number of itemsets delivered (after top-k or minLen). */
  MiningStats withItemsets(long n) {
    return new MiningStats(
        method, minCount, n, threads, structureBytes, scratchBytes, peakBufferedBytes);
  }

  /** The algorithm that ran ({@link Method#AUTO} resolved). */
  public Method method() {
    return method;
  }

  /** The absolute threshold applied. */
  public long minCount() {
    return minCount;
  }

  /** Number of itemsets delivered. */
  public long itemsets() {
    return itemsets;
  }

  /** Number of mining threads used. */
  public int threads() {
    return threads;
  }

  /**
   * Bytes of the shared mining structure: the recoded database with its occurrence lists
   * (FP-Growth), or the bitsets / tid-lists (Eclat).
   */
  public long structureBytes() {
    return structureBytes;
  }

  /** Bytes of per-thread scratch at its largest (conditional trees, tid-list pools), summed. */
  public long scratchBytes() {
    return scratchBytes;
  }

  /** Most bytes of results held at once for in-order delivery (0 with one thread). */
  public long peakBufferedBytes() {
    return peakBufferedBytes;
  }

  /** Total of the three memory figures. */
  public long totalBytes() {
    return structureBytes + scratchBytes + peakBufferedBytes;
  }

  @Override
  public String toString() {
    return "MiningStats{method="
        + method
        + ", minCount="
        + minCount
        + ", itemsets="
        + itemsets
        + ", threads="
        + threads
        + ", structureBytes="
        + structureBytes
        + ", scratchBytes="
        + scratchBytes
        + ", peakBufferedBytes="
        + peakBufferedBytes
        + "}";
  }
}
