package io.rusket.beam.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * MineStream's step 3, "ToEveryShard": the window's global counts keyed by every shard, to be
 * joined with the shards' miners by {@code CoGroupByKey} (which pairs them window by window for any
 * window function, sliding included).
 */
final class BroadcastFn extends DoFn<ItemCounts, KV<Integer, ItemCounts>> {
  private static final long serialVersionUID = 1L;
  private final int shards;

  BroadcastFn(int shards) {
    this.shards = shards;
  }

  @ProcessElement
  public void processElement(@Element ItemCounts c, OutputReceiver<KV<Integer, ItemCounts>> out) {
    for (int s = 0; s < shards; s++) {
      out.output(KV.of(s, c));
    }
  }
}
