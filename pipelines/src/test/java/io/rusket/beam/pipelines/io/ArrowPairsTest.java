package io.rusket.beam.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class ArrowPairsTest {
  private static VectorSchemaRoot batch(
      BufferAllocator a, long[] txn, int[] item, int from, int to) {
    BigIntVector t = new BigIntVector("session_id", a);
    IntVector i = new IntVector("item_id", a);
    t.allocateNew(to - from);
    i.allocateNew(to - from);
    for (int k = from; k < to; k++) {
      t.set(k - from, txn[k]);
      i.set(k - from, item[k]);
    }
    t.setValueCount(to - from);
    i.setValueCount(to - from);
    return new VectorSchemaRoot(List.<FieldVector>of(t, i));
  }

  @Test
  void batchesGiveTheSameMinerAsArraysAlsoSharded() {
    Random r = new Random(5);
    int n = 20_000;
    long[] txn = new long[n];
    int[] item = new int[n];
    for (int k = 0; k < n; k++) {
      txn[k] = r.nextInt(4_000) - 2_000L;
      item[k] = (int) (50 * Math.pow(r.nextDouble(), 2));
    }
    FPMiner expected = new FPMiner(50);
    expected.addChunk(txn, item);
    FPMiner got = new FPMiner(50);
    FPMiner[] shards = new FPMiner[3];
    try (BufferAllocator a = new RootAllocator()) {
      for (int from = 0; from < n; from += 4096) {
        try (VectorSchemaRoot root = batch(a, txn, item, from, Math.min(n, from + 4096))) {
          assertEquals(
              root.getRowCount(), ArrowPairs.addArrowBatch(got, root, "session_id", "item_id"));
          ArrowPairs.addArrowBatch(
              shards,
              k -> new FPMiner(50),
              t -> (int) Math.floorMod(t, 3),
              50,
              root,
              "session_id",
              "item_id");
        }
      }
    }
    assertEquals(expected, got);
    FPMiner merged = new FPMiner(50);
    for (FPMiner s : shards) {
      merged.merge(s);
    }
    assertEquals(expected, merged);
    ItemsetMiner cfg = ItemsetMiner.minSupport(0.02);
    assertEquals(expected.mine(cfg), got.mine(cfg));
    // Every transaction landed whole in one shard.
    long sum = 0;
    for (FPMiner s : shards) {
      sum += s.nTransactions();
    }
    assertEquals(expected.nTransactions(), sum);
  }

  @Test
  void badBatchesAreRejectedNamingColumnRowAndValue() {
    try (BufferAllocator a = new RootAllocator()) {
      FPMiner m = new FPMiner(10);
      try (VectorSchemaRoot root = batch(a, new long[] {1, 2, 3}, new int[] {1, 12, 3}, 0, 3)) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> ArrowPairs.addArrowBatch(m, root, "session_id", "item_id"));
        assertTrue(e.getMessage().contains("'item_id' = 12 at row 1"), e.getMessage());
        e =
            assertThrows(
                IllegalArgumentException.class,
                () -> ArrowPairs.addArrowBatch(m, root, "txn", "item_id"));
        assertTrue(
            e.getMessage().contains("'txn'") && e.getMessage().contains("[session_id, item_id]"),
            e.getMessage());
        assertEquals(0, m.nRows(), "nothing added");
      }
      IntVector t = new IntVector("t", a);
      t.allocateNew(2);
      t.set(0, 7);
      t.setNull(1);
      t.setValueCount(2);
      SmallIntVector i = new SmallIntVector("i", a);
      i.allocateNew(2);
      i.set(0, 1);
      i.set(1, 2);
      i.setValueCount(2);
      try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(t, i))) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class, () -> ArrowPairs.addArrowBatch(m, root, "t", "i"));
        assertTrue(e.getMessage().contains("'t' is null at row 1"), e.getMessage());
        root.setRowCount(1);
        assertEquals(1, ArrowPairs.addArrowBatch(m, root, "t", "i"), "Int32 txn, Int16 item");
        assertArrayEquals(new int[] {1}, m.toTransactionDb().transaction(0));
      }
      VarCharVector s = new VarCharVector("s", a);
      s.allocateNew(1);
      s.set(0, "x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      s.setValueCount(1);
      IntVector i2 = new IntVector("i", a);
      i2.allocateNew(1);
      i2.set(0, 1);
      i2.setValueCount(1);
      try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(s, i2))) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class, () -> ArrowPairs.addArrowBatch(m, root, "s", "i"));
        assertTrue(e.getMessage().contains("'s' must be a signed integer"), e.getMessage());
      }
    }
  }
}
