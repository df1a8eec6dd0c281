package io.rusket.beam.pipelines;

import io.rusket.beam.miner.FPMiner;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Arrow record batches into an {@link FPMiner}: the transaction and item columns are read straight
 * from the vectors' data buffers into primitive arrays (no boxing, no object per row) and added as
 * one chunk. Lives here, not in {@code miner/}, so that the miner keeps zero dependencies.
 *
 * <pre>{@code
 * try (ArrowFileReader reader = new ArrowFileReader(channel, allocator);
 *     FPMiner miner = new FPMiner(50_000)) {
 *   VectorSchemaRoot root = reader.getVectorSchemaRoot();
 *   while (reader.loadNextBatch()) {
 *     ArrowPairs.addArrowBatch(miner, root, "session_id", "item_id");
 *   }
 *   Itemsets freq = miner.mine(0.01, 3, Method.AUTO);
 * }
 * }</pre>
 *
 * <p>Accepted column types: {@code Int(64|32|16|8, signed)} for both columns (BigInt, Int,
 * SmallInt, TinyInt vectors). A batch is checked whole before anything is added: a missing column
 * (the columns present are listed), another type, a null, or an item id outside the miner's range
 * is an {@link IllegalArgumentException} naming the column, the value and its row in the batch;
 * the miner is then unchanged.
 */
public final class ArrowPairs {
  private ArrowPairs() {}

  /**
   * Adds every row of {@code root}'s current batch as a {@code (txnCol, itemCol)} pair.
   *
   * @return the number of pairs added (the batch's row count)
   */
  public static int addArrowBatch(
      FPMiner miner, VectorSchemaRoot root, String txnCol, String itemCol) {
    int n = root.getRowCount();
    long[] txn = new long[n];
    int[] item = new int[n];
    readLongs(column(root, txnCol), n, txn);
    readItems(column(root, itemCol), n, item, miner.nItems());
    miner.addChunk(txn, item, 0, n);
    return n;
  }

  /**
   * Adds every row of the batch to {@code shards[shard(txn)]}, creating shard miners with {@code
   * factory} on first use: for callers that spread transactions over several miners.
   *
   * @return the number of pairs added
   */
  public static int addArrowBatch(
      FPMiner[] shards,
      java.util.function.IntFunction<FPMiner> factory,
      java.util.function.LongToIntFunction shardOf,
      int nItems,
      VectorSchemaRoot root,
      String txnCol,
      String itemCol) {
    int n = root.getRowCount();
    long[] txn = new long[n];
    int[] item = new int[n];
    readLongs(column(root, txnCol), n, txn);
    readItems(column(root, itemCol), n, item, nItems);
    // Counting sort of the rows by shard, then one chunk per shard.
    int s = shards.length;
    int[] shardOfRow = new int[n];
    int[] start = new int[s + 1];
    for (int i = 0; i < n; i++) {
      int k = shardOf.applyAsInt(txn[i]);
      shardOfRow[i] = k;
      start[k + 1]++;
    }
    for (int k = 0; k < s; k++) {
      start[k + 1] += start[k];
    }
    long[] t2 = new long[n];
    int[] i2 = new int[n];
    int[] fill = java.util.Arrays.copyOf(start, s);
    for (int i = 0; i < n; i++) {
      int p = fill[shardOfRow[i]]++;
      t2[p] = txn[i];
      i2[p] = item[i];
    }
    for (int k = 0; k < s; k++) {
      if (start[k + 1] > start[k]) {
        if (shards[k] == null) {
          shards[k] = factory.apply(k);
        }
        shards[k].addChunk(t2, i2, start[k], start[k + 1] - start[k]);
      }
    }
    return n;
  }

  private static FieldVector column(VectorSchemaRoot root, String name) {
    FieldVector v = root.getVector(name);
    if (v == null) {
      List<String> present = new ArrayList<>();
      for (Field f : root.getSchema().getFields()) {
        present.add(f.getName());
      }
      throw new IllegalArgumentException(
          "Arrow batch has no column '" + name + "'; columns present: " + present);
    }
    return v;
  }

  private static void checkNoNulls(FieldVector v, int n) {
    if (v.getNullCount() > 0) {
      for (int i = 0; i < n; i++) {
        if (v.isNull(i)) {
          throw new IllegalArgumentException(
              "Arrow column '" + v.getName() + "' is null at row " + i
                  + " of the batch (pairs are never dropped)");
        }
      }
    }
  }

  private static void readLongs(FieldVector v, int n, long[] out) {
    checkNoNulls(v, n);
    ArrowBuf buf = v.getDataBuffer();
    if (v instanceof BigIntVector) {
      for (int i = 0; i < n; i++) {
        out[i] = buf.getLong((long) i << 3);
      }
    } else if (v instanceof IntVector) {
      for (int i = 0; i < n; i++) {
        out[i] = buf.getInt((long) i << 2);
      }
    } else if (v instanceof SmallIntVector) {
      for (int i = 0; i < n; i++) {
        out[i] = buf.getShort((long) i << 1);
      }
    } else if (v instanceof TinyIntVector) {
      for (int i = 0; i < n; i++) {
        out[i] = buf.getByte(i);
      }
    } else {
      throw wrongType(v);
    }
  }

  private static void readItems(FieldVector v, int n, int[] out, int nItems) {
    checkNoNulls(v, n);
    ArrowBuf buf = v.getDataBuffer();
    if (v instanceof IntVector) {
      for (int i = 0; i < n; i++) {
        out[i] = buf.getInt((long) i << 2);
      }
    } else if (v instanceof BigIntVector) {
      for (int i = 0; i < n; i++) {
        long x = buf.getLong((long) i << 3);
        out[i] = x < 0 || x >= nItems ? -1 : (int) x;
        if (out[i] < 0) {
          throw outOfRange(v, x, i, nItems);
        }
      }
    } else if (v instanceof SmallIntVector) {
      for (int i = 0; i < n; i++) {
        out[i] = buf.getShort((long) i << 1);
      }
    } else if (v instanceof TinyIntVector) {
      for (int i = 0; i < n; i++) {
        out[i] = buf.getByte(i);
      }
    } else {
      throw wrongType(v);
    }
    for (int i = 0; i < n; i++) {
      if (out[i] < 0 || out[i] >= nItems) {
        throw outOfRange(v, out[i], i, nItems);
      }
    }
  }

  private static IllegalArgumentException outOfRange(FieldVector v, long value, int row, int n) {
    return new IllegalArgumentException(
        "Arrow column '" + v.getName() + "' = " + value + " at row " + row
            + " of the batch is outside [0, " + n + ")");
  }

  private static IllegalArgumentException wrongType(FieldVector v) {
    return new IllegalArgumentException(
        "Arrow column '" + v.getName() + "' must be a signed integer (Int 8/16/32/64), but it is "
            + v.getField().getType());
  }
}
