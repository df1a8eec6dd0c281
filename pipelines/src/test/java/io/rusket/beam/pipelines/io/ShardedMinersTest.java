package io.rusket.beam.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.transforms.MineStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardedMinersTest {
  @Test
  void heldMinersStayWithinTheBudgetAndLoseNoPair() {
    Random r = new Random(3);
    int n = 1 << 12;
    int shards = 4;
    long budget = 64 << 10;
    ShardedMiners held = new ShardedMiners(100, shards, budget);
    FPMiner all = new FPMiner(100);
    List<FPMiner> emitted = new ArrayList<>();
    List<Integer> emittedShard = new ArrayList<>();
    ShardedMiners.Emitter out =
        (k, m) -> {
          emitted.add(m);
          emittedShard.add(k);
        };
    long[] txn = new long[n];
    int[] item = new int[n];
    for (int round = 0; round < 100; round++) {
      for (int i = 0; i < n; i++) {
        txn[i] = r.nextInt(1 << 20);
        item[i] = r.nextInt(100);
      }
      all.addChunk(txn, item);
      held.add(txn, item, n, out);
      assertTrue(held.heldBytes() <= budget, "held " + held.heldBytes() + " > " + budget);
    }
    assertTrue(emitted.size() > shards * 3, "miners emitted as they fill: " + emitted.size());
    held.flush(out);
    assertEquals(0, held.heldBytes());
    FPMiner merged = new FPMiner(100);
    for (int j = 0; j < emitted.size(); j++) {
      FPMiner m = emitted.get(j);
      assertEquals(0, m.spillFileCount(), "emitted before spilling");
      // Every transaction of an emitted miner is of its shard.
      int k = emittedShard.get(j);
      m.forEachTransaction((t, items, len) -> assertEquals(k, MineStream.shardOf(t, shards)));
      merged.merge(m);
    }
    assertEquals(all, merged);
  }
}
