package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemIdMap;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * MineStream's step 4, "PruneShards": a shard's merged miner joined with the window's global counts
 * becomes that shard's {@link PrunedBaskets} — infrequent items dropped, the rest recoded to
 * frequency ranks, and only transactions with at least two frequent items kept (single items'
 * counts are known exactly from the global counts). With {@code maxLen} 1 no basket is kept at all:
 * the single items are the whole answer.
 */
final class PruneShardFn extends DoFn<KV<Integer, List<ShardPart>>, PrunedBaskets> {
  private static final long serialVersionUID = 1L;
  private final double minSupport;
  private final boolean keepBaskets;
  private final @Nullable Integer topK;
  private final int minLen;

  PruneShardFn(double minSupport, boolean keepBaskets, @Nullable Integer topK, int minLen) {
    this.topK = topK;
    this.minLen = minLen;
    this.minSupport = minSupport;
    this.keepBaskets = keepBaskets;
  }

  @ProcessElement
  public void processElement(
      @Element KV<Integer, List<ShardPart>> e, OutputReceiver<PrunedBaskets> out) {
    ItemCounts counts = null;
    for (ShardPart p : e.getValue()) {
      if (p.counts != null) {
        if (counts != null) {
          throw new IllegalStateException(
              "MineStream: shard " + e.getKey() + " has two global counts in its window");
        }
        counts = p.counts;
      }
    }
    if (counts == null) {
      throw new IllegalStateException(
          "MineStream: shard " + e.getKey() + " has no global counts in its window");
    }
    PrunedBaskets facts = PrunedBaskets.forCounts(counts, minSupport, topK, minLen);
    // Rank of each frequent item, -1 for the others: an array over the ids below the largest
    // frequent one (capped at DENSE_IDS), a map beyond.
    int denseLen = 0;
    for (int id : facts.rankToItem) {
      if (id < ItemIdMap.DENSE_IDS) {
        denseLen = Math.max(denseLen, id + 1);
      }
    }
    int[] rankOf = new int[denseLen];
    Arrays.fill(rankOf, -1);
    ItemIdMap sparseRank = new ItemIdMap();
    for (int r = 0; r < facts.rankToItem.length; r++) {
      int id = facts.rankToItem[r];
      if (id < denseLen) {
        rankOf[id] = r;
      } else {
        sparseRank.addTo(id, r);
      }
    }
    boolean anySparse = sparseRank.size() > 0;
    for (ShardPart p : e.getValue()) {
      FPMiner m = p.miner;
      if (m == null) {
        continue;
      }
      PrunedBaskets b = facts.withoutBaskets();
      if (keepBaskets) {
        int[][] scratch = {new int[16]};
        m.forEachTransaction(
            (txn, items, n) -> {
              if (n > scratch[0].length) {
                scratch[0] = new int[Math.max(n, 2 * scratch[0].length)];
              }
              int[] ranks = scratch[0];
              int k = 0;
              for (int i = 0; i < n; i++) {
                int item = items[i];
                int r =
                    item < rankOf.length
                        ? rankOf[item]
                        : anySparse ? (int) sparseRank.get(item, -1) : -1;
                if (r >= 0) {
                  ranks[k++] = r;
                }
              }
              if (k >= 2) {
                Arrays.sort(ranks, 0, k);
                b.add(ranks, k);
              }
            });
      }
      out.output(b);
    }
  }
}
