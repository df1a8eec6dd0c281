package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * MineStream's step 3, "CountItems": a shard's merged miner → its exact {@link ItemCounts} (N and
 * each item's support, sized by the largest item id seen), checking that every transaction belongs
 * to the shard it is keyed by ({@link ItemCounts#ofShard}).
 */
final class CountShardFn extends DoFn<KV<Integer, FPMiner>, ItemCounts> {
  private static final long serialVersionUID = 1L;
  private final Distribution shardBytes =
      Metrics.distribution(MineStream.METRICS_NAMESPACE, "shardBytes");
  private final int shards;

  CountShardFn(int shards) {
    this.shards = shards;
  }

  @ProcessElement
  public void processElement(@Element KV<Integer, FPMiner> e, OutputReceiver<ItemCounts> out) {
    FPMiner m = e.getValue();
    shardBytes.update(m.encodedSize());
    out.output(ItemCounts.ofShard(m, e.getKey(), shards));
  }
}
