package io.rusket.beam.bench;

import io.rusket.beam.miner.TransactionDb;

/**
 * Another frequent-itemset miner run in the same JVM on the same data, for comparison. Item ids
 * handed to a peer are the {@link TransactionDb}'s dense ids (transactions already de-duplicated),
 * so its itemsets can be fingerprinted with the same {@link Fingerprint} keys as ours.
 */
interface Peer extends AutoCloseable {
  /** Short name for the report. */
  String name();

  /** Loads {@code db} into the peer's own input form; untimed. */
  Loaded load(TransactionDb db, long[] itemKeys) throws Exception;

  /** A dataset in the peer's input form. */
  interface Loaded extends AutoCloseable {
    /**
     * The timed work of one mining run at relative support {@code minSupport} (whose exact count
     * threshold is {@code minCount}), as the peer's users would run it.
     */
    Measured.Run timed(double minSupport, long minCount);

    /** The same mining, consuming every itemset into a checksum; used as the warm-up. */
    Measured.Run withChecksum(double minSupport, long minCount);

    @Override
    default void close() {}
  }

  @Override
  default void close() {}
}
