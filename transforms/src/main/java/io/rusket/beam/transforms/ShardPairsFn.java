package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * MineStream's step 1, "ShardPairs": each bundle adds its pairs to one {@link FPMiner} per window
 * and shard (the shard is {@link MineStream#shardOf} of the transaction id, so every transaction
 * ends up whole in one shard) and emits them at the end of the bundle, compacted.
 *
 * <p>Memory: all the miners of one DoFn instance, over every window of the bundle, stay within one
 * RAM budget ({@link PendingMiners}): when their total passes it, the largest miners are emitted at
 * once, to their own windows, until half the budget is free. The result is the same; only more,
 * smaller miners reach the merge.
 */
final class ShardPairsFn<T> extends DoFn<T, KV<Integer, FPMiner>> {
  private static final long serialVersionUID = 1L;
  private final Counter pairs = Metrics.counter(MineStream.METRICS_NAMESPACE, "pairs");
  private final Counter earlyFlushes =
      Metrics.counter(MineStream.METRICS_NAMESPACE, "earlyFlushes");
  private final PairReader<T> reader;
  private final int numItems;
  private final int shards;
  private final long perMinerBytes;
  private final long maxRamBytes;
  private transient @Nullable PendingMiners pending;
  private transient long bundlePairs;

  /**
   * Pairs read by {@code reader} with item ids in {@code [0, numItems)}, over {@code shards}
   * shards; each miner with budget {@code perMinerBytes}, all of them together within {@code
   * maxRamBytes}.
   */
  ShardPairsFn(
      PairReader<T> reader, int numItems, int shards, long perMinerBytes, long maxRamBytes) {
    this.reader = reader;
    this.numItems = numItems;
    this.shards = shards;
    this.perMinerBytes = perMinerBytes;
    this.maxRamBytes = maxRamBytes;
  }

  @StartBundle
  public void startBundle() {
    pending = new PendingMiners(numItems, shards, perMinerBytes, maxRamBytes);
    bundlePairs = 0;
  }

  @ProcessElement
  public void processElement(ProcessContext c, BoundedWindow window) {
    T element = c.element();
    long txn = reader.txn(element);
    long item = reader.item(element, txn);
    if (item < 0 || item >= numItems) {
      throw new IllegalArgumentException(
          "MineStream: "
              + reader.itemLabel()
              + " = "
              + item
              + " in transaction "
              + txn
              + " is out of range [0, "
              + numItems
              + "): raise withNumItems");
    }
    PendingMiners p = pending;
    if (p.add(window, txn, (int) item)) {
      earlyFlushes.inc(
          p.emitLargest(
              // Another window's miner may be emitted here: to its own window, as at finishBundle.
              (w, shard, miner) ->
                  c.outputWindowedValue(
                      KV.of(shard, miner), w.maxTimestamp(), List.of(w), PaneInfo.NO_FIRING)));
    }
    bundlePairs++;
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    pending.flushAll((w, shard, miner) -> c.output(KV.of(shard, miner), w.maxTimestamp(), w));
    pairs.inc(bundlePairs);
    pending = null;
  }

  /** Receives a miner leaving {@link PendingMiners}, compacted, with its window and shard. */
  @FunctionalInterface
  interface Emitter {
    void emit(BoundedWindow window, int shard, FPMiner miner);
  }

  /**
   * The miners one DoFn instance holds between emissions: per window, one per shard, all of them
   * within one RAM budget.
   *
   * <p>Invariant: {@code heldBytes} is the sum of {@link FPMiner#ramBytesUsed()} over the held
   * miners (kept by the difference around each {@code add}, the only call that changes a held
   * miner), and it is at most {@code maxRamBytes} between calls: an {@link #add} that passes the
   * budget asks for {@link #emitLargest}, which emits the largest miners until at most half the
   * budget is held (so emissions are rare, at most one round per half budget of growth).
   */
  static final class PendingMiners {
    private final int numItems;
    private final int shards;
    private final long perMinerBytes;
    private final long maxRamBytes;
    private final LinkedHashMap<BoundedWindow, FPMiner[]> byWindow = new LinkedHashMap<>();
    private @Nullable BoundedWindow lastWindow;
    private FPMiner @Nullable [] lastMiners;
    private long heldBytes;
    private long peakHeldBytes;
    private long emittedEarly;

    PendingMiners(int numItems, int shards, long perMinerBytes, long maxRamBytes) {
      this.numItems = numItems;
      this.shards = shards;
      this.perMinerBytes = perMinerBytes;
      this.maxRamBytes = maxRamBytes;
    }

    /**
     * Adds the pair to the miner of {@code window} and the transaction's shard.
     *
     * @return whether the held miners now exceed the budget: then call {@link #emitLargest}
     */
    boolean add(BoundedWindow window, long txn, int item) {
      // Consecutive elements usually share a window: skip the map.
      FPMiner[] miners = window == lastWindow ? lastMiners : byWindow.get(window);
      if (miners == null) {
        miners = new FPMiner[shards];
        byWindow.put(window, miners);
      }
      lastWindow = window;
      lastMiners = miners;
      int s = MineStream.shardOf(txn, shards);
      FPMiner m = miners[s];
      long before;
      if (m == null) {
        m = new FPMiner(numItems).withMaxRamBytes(perMinerBytes);
        miners[s] = m;
        before = 0;
      } else {
        before = m.ramBytesUsed();
      }
      m.add(txn, item);
      heldBytes += m.ramBytesUsed() - before;
      if (heldBytes > maxRamBytes) {
        return true;
      }
      peakHeldBytes = Math.max(peakHeldBytes, heldBytes);
      return false;
    }

    /** A held miner, while choosing which to emit. */
    private record Held(BoundedWindow window, int shard, FPMiner miner, long bytes) {}

    /**
     * Emits the largest miners, of any window, compacted, until at most half the budget is held.
     *
     * @return the number of miners emitted
     */
    int emitLargest(Emitter out) {
      List<Held> held = new ArrayList<>();
      for (Map.Entry<BoundedWindow, FPMiner[]> e : byWindow.entrySet()) {
        FPMiner[] miners = e.getValue();
        for (int s = 0; s < miners.length; s++) {
          if (miners[s] != null) {
            held.add(new Held(e.getKey(), s, miners[s], miners[s].ramBytesUsed()));
          }
        }
      }
      held.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
      long target = maxRamBytes / 2;
      int emitted = 0;
      for (Held h : held) {
        if (heldBytes <= target) {
          break;
        }
        byWindow.get(h.window())[h.shard()] = null;
        heldBytes -= h.bytes();
        emitted++;
        h.miner().compact();
        out.emit(h.window(), h.shard(), h.miner());
      }
      // Forget windows left without miners; the lookup cache may point at one.
      Iterator<FPMiner[]> it = byWindow.values().iterator();
      while (it.hasNext()) {
        if (isEmpty(it.next())) {
          it.remove();
        }
      }
      lastWindow = null;
      lastMiners = null;
      emittedEarly += emitted;
      peakHeldBytes = Math.max(peakHeldBytes, heldBytes);
      return emitted;
    }

    private static boolean isEmpty(FPMiner[] miners) {
      for (FPMiner m : miners) {
        if (m != null) {
          return false;
        }
      }
      return true;
    }

    /** Emits every held miner, window by window in order of arrival, and holds nothing. */
    void flushAll(Emitter out) {
      for (Map.Entry<BoundedWindow, FPMiner[]> e : byWindow.entrySet()) {
        FPMiner[] miners = e.getValue();
        for (int s = 0; s < miners.length; s++) {
          if (miners[s] != null) {
            miners[s].compact();
            out.emit(e.getKey(), s, miners[s]);
          }
        }
      }
      byWindow.clear();
      lastWindow = null;
      lastMiners = null;
      heldBytes = 0;
    }

    /** The bytes held, as accounted. */
    long heldBytes() {
      return heldBytes;
    }

    /** The bytes held, summed over the held miners now (to check the accounting). */
    long measuredHeldBytes() {
      long sum = 0;
      for (FPMiner[] miners : byWindow.values()) {
        for (FPMiner m : miners) {
          if (m != null) {
            sum += m.ramBytesUsed();
          }
        }
      }
      return sum;
    }

    /** The most bytes held between calls (after each {@link #add}, or its {@link #emitLargest}). */
    long peakHeldBytes() {
      return peakHeldBytes;
    }

    /** Miners emitted before {@link #flushAll} because the budget was exceeded. */
    long emittedEarly() {
      return emittedEarly;
    }

    /** Windows with at least one held miner. */
    int windows() {
      return byWindow.size();
    }
  }
}
