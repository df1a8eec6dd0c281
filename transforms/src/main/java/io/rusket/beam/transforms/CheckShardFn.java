package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * MineStream's step 1 for {@link MineStream#ofShardMiners()}, "CheckShards": checks a caller-built
 * shard miner's key and item bound and counts its pairs. That its transactions belong to its shard
 * is checked after the merge, by {@link CountShardFn}, where every transaction is read anyway.
 */
final class CheckShardFn extends DoFn<KV<Integer, FPMiner>, KV<Integer, FPMiner>> {
  private static final long serialVersionUID = 1L;
  private final Counter pairs = Metrics.counter(MineStream.METRICS_NAMESPACE, "pairs");
  private final int numItems;
  private final int shards;

  CheckShardFn(int numItems, int shards) {
    this.numItems = numItems;
    this.shards = shards;
  }

  @ProcessElement
  public void processElement(
      @Element KV<Integer, FPMiner> e, OutputReceiver<KV<Integer, FPMiner>> out) {
    Integer shard = e.getKey();
    FPMiner m = e.getValue();
    if (shard == null || shard < 0 || shard >= shards || m == null) {
      throw new IllegalArgumentException(
          "MineStream.ofShardMiners: shard key "
              + shard
              + " is outside [0, "
              + shards
              + ") set by withShards (or the miner is null)");
    }
    if (m.nItems() != numItems) {
      throw new IllegalArgumentException(
          "MineStream.ofShardMiners: a miner of shard "
              + shard
              + " is over "
              + m.nItems()
              + " items, but numItems is "
              + numItems
              + ": build every miner with new FPMiner("
              + numItems
              + ") or set withNumItems to "
              + m.nItems());
    }
    pairs.inc(m.nRows());
    out.output(e);
  }
}
