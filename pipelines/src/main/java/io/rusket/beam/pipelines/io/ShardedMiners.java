package io.rusket.beam.pipelines.io;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.RamUsage;
import io.rusket.beam.transforms.MineStream;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.LongToIntFunction;

/**
 * The shard miners one columnar reader (one DoFn instance) holds between emissions: one {@link
 * FPMiner} per shard ({@link MineStream#shardOf}), each with a budget of {@code maxRamBytes /
 * shards}, so that all of them together stay within {@code maxRamBytes}. A miner is emitted,
 * compacted, as soon as it holds three quarters of its budget (or has spilled), and a fresh one
 * takes its place: every emitted miner is at most about one shard's budget, whatever the size of
 * the file or row group being read.
 *
 * <p>Invariant: between calls, every held miner is below three quarters of its budget and has not
 * spilled (pairs are added to a shard in pieces of at most an eighth of its budget, checked after
 * each); the scratch arrays of {@link #add} (about 24 bytes per pair of the largest chunk) are the
 * only other memory held.
 */
final class ShardedMiners {
  /** Receives a miner leaving the holder, compacted, with its shard. */
  @FunctionalInterface
  interface Emitter {
    void emit(int shard, FPMiner miner);
  }

  private final int nItems;
  private final int shards;
  private final long perMinerBytes;
  private final FPMiner[] miners;
  private long emitted;

  // Scratch of the counting sort, grown to the largest chunk.
  private int[] shardOfRow = new int[0];
  private long[] txnByShard = new long[0];
  private int[] itemByShard = new int[0];

  ShardedMiners(int nItems, int shards, long maxRamBytes) {
    this.nItems = nItems;
    this.shards = shards;
    this.perMinerBytes = perMinerBytes(maxRamBytes, shards);
    this.miners = new FPMiner[shards];
  }

  /** One shard miner's budget: {@code maxRamBytes / shards}, at least FPMiner's minimum. */
  static long perMinerBytes(long maxRamBytes, int shards) {
    return Math.max(FPMiner.MIN_RAM_BYTES, maxRamBytes / shards);
  }

  /**
   * Adds the pairs {@code (txn[i], item[i])}, {@code i < n} (item ids already checked), then emits
   * the miners that reached three quarters of their budget.
   */
  void add(long[] txn, int[] item, int n, Emitter out) {
    if (shardOfRow.length < n) {
      shardOfRow = new int[n];
      txnByShard = new long[n];
      itemByShard = new int[n];
    }
    int[] start =
        sortByShard(
            shards,
            t -> MineStream.shardOf(t, shards),
            txn,
            item,
            n,
            shardOfRow,
            txnByShard,
            itemByShard);
    // Each shard's pairs in pieces of at most a buffer's worth (an eighth of the budget as
    // pairs): a piece grows a miner below three quarters of its budget by at most about an eighth,
    // so no miner reaches its budget (and spills) before it is emitted.
    long full = perMinerBytes / 4 * 3;
    int piece = (int) Math.max(64, Math.min(1 << 20, perMinerBytes / (8 * RamUsage.PAIR)));
    for (int k = 0; k < shards; k++) {
      for (int from = start[k]; from < start[k + 1]; from += piece) {
        if (miners[k] == null) {
          miners[k] = new FPMiner(nItems).withMaxRamBytes(perMinerBytes);
        }
        FPMiner m = miners[k];
        m.addChunk(txnByShard, itemByShard, from, Math.min(piece, start[k + 1] - from));
        if (m.ramBytesUsed() >= full || m.spillFileCount() > 0) {
          emit(k, out);
        }
      }
    }
  }

  /** Emits every held miner, by shard, and holds none. */
  void flush(Emitter out) {
    for (int k = 0; k < shards; k++) {
      if (miners[k] != null) {
        emit(k, out);
      }
    }
  }

  /** Closes the held miners without emitting them (after a failure). */
  void discard() {
    for (int k = 0; k < shards; k++) {
      if (miners[k] != null) {
        miners[k].close();
        miners[k] = null;
      }
    }
  }

  private void emit(int k, Emitter out) {
    FPMiner m = miners[k];
    miners[k] = null;
    m.compact();
    emitted++;
    out.emit(k, m);
  }

  /** The bytes the held miners use on the heap. */
  long heldBytes() {
    long b = 0;
    for (FPMiner m : miners) {
      if (m != null) {
        b += m.ramBytesUsed();
      }
    }
    return b;
  }

  /** One shard miner's budget. */
  long perMinerBytes() {
    return perMinerBytes;
  }

  /** Miners emitted so far. */
  long emitted() {
    return emitted;
  }

  /**
   * Adds pairs {@code i < n} to {@code shards[shardOf(txn[i])]}, creating miners with {@code
   * factory} on first use: {@link #sortByShard}, then one chunk per shard.
   */
  static void addSharded(
      FPMiner[] shards,
      IntFunction<FPMiner> factory,
      LongToIntFunction shardOf,
      long[] txn,
      int[] item,
      int n,
      int[] shardOfRow,
      long[] txnByShard,
      int[] itemByShard) {
    int s = shards.length;
    int[] start = sortByShard(s, shardOf, txn, item, n, shardOfRow, txnByShard, itemByShard);
    for (int k = 0; k < s; k++) {
      if (start[k + 1] > start[k]) {
        if (shards[k] == null) {
          shards[k] = factory.apply(k);
        }
        shards[k].addChunk(txnByShard, itemByShard, start[k], start[k + 1] - start[k]);
      }
    }
  }

  /**
   * A stable counting sort of pairs {@code i < n} by shard into {@code txnByShard} and {@code
   * itemByShard} (scratch arrays at least {@code n} long, as {@code shardOfRow}).
   *
   * @return {@code start}: shard {@code k}'s pairs are at {@code [start[k], start[k + 1])}
   */
  static int[] sortByShard(
      int shards,
      LongToIntFunction shardOf,
      long[] txn,
      int[] item,
      int n,
      int[] shardOfRow,
      long[] txnByShard,
      int[] itemByShard) {
    int[] start = new int[shards + 1];
    for (int i = 0; i < n; i++) {
      int k = shardOf.applyAsInt(txn[i]);
      shardOfRow[i] = k;
      start[k + 1]++;
    }
    for (int k = 0; k < shards; k++) {
      start[k + 1] += start[k];
    }
    int[] fill = Arrays.copyOf(start, shards);
    for (int i = 0; i < n; i++) {
      int p = fill[shardOfRow[i]]++;
      txnByShard[p] = txn[i];
      itemByShard[p] = item[i];
    }
    return start;
  }
}
