package io.rusket.beam.pipelines.io;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.transforms.FPMinerCoder;
import io.rusket.beam.transforms.MineStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

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
 * is an {@link IllegalArgumentException} naming the column, the value and its row in the batch; the
 * miner is then unchanged.
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
              "Arrow column '"
                  + v.getName()
                  + "' is null at row "
                  + i
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
        "Arrow column '"
            + v.getName()
            + "' = "
            + value
            + " at row "
            + row
            + " of the batch is outside [0, "
            + n
            + ")");
  }

  private static IllegalArgumentException wrongType(FieldVector v) {
    return new IllegalArgumentException(
        "Arrow column '"
            + v.getName()
            + "' must be a signed integer (Int 8/16/32/64), but it is "
            + v.getField().getType());
  }

  /**
   * Reads Arrow IPC files of {@code (txnCol, itemCol)} events straight into one {@link FPMiner} per
   * shard and file, for {@link MineStream#ofShardMiners()}: each record batch's column buffers go
   * into primitive arrays, split by {@link MineStream#shardOf}, and are added as chunks — no Row or
   * boxed value per event.
   *
   * <pre>{@code
   * p.apply(ArrowPairs.readShardMiners("events-*.arrow", "session_id", "item_id", 2600, 16))
   *  .apply(MineStream.ofShardMiners().withNumItems(2600).withShards(16).withMinSupport(0.001));
   * }</pre>
   */
  public static PTransform<PBegin, PCollection<KV<Integer, FPMiner>>> readShardMiners(
      String filepattern, String txnCol, String itemCol, int nItems, int shards) {
    return new ReadShardMiners(
        filepattern, txnCol, itemCol, nItems, shards, MineStream.DEFAULT_MAX_RAM_BYTES / shards);
  }

  private static final class ReadShardMiners
      extends PTransform<PBegin, PCollection<KV<Integer, FPMiner>>> {
    private static final long serialVersionUID = 1L;
    private final String filepattern;
    private final String txnCol;
    private final String itemCol;
    private final int nItems;
    private final int shards;
    private final long perMinerBytes;

    ReadShardMiners(
        String filepattern,
        String txnCol,
        String itemCol,
        int nItems,
        int shards,
        long perMinerBytes) {
      if (nItems < 1 || shards < 1) {
        throw new IllegalArgumentException(
            "readShardMiners needs nItems >= 1 and shards >= 1, got " + nItems + ", " + shards);
      }
      this.filepattern = filepattern;
      this.txnCol = txnCol;
      this.itemCol = itemCol;
      this.nItems = nItems;
      this.shards = shards;
      this.perMinerBytes = Math.max(FPMiner.MIN_RAM_BYTES, perMinerBytes);
    }

    @Override
    public PCollection<KV<Integer, FPMiner>> expand(PBegin input) {
      return input
          .apply("MatchFiles", FileIO.match().filepattern(filepattern))
          .apply("OpenFiles", FileIO.readMatches())
          .apply(
              "ReadArrowPairs",
              ParDo.of(new ReadFn(txnCol, itemCol, nItems, shards, perMinerBytes)))
          .setCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of(perMinerBytes)));
    }
  }

  private static final class ReadFn extends DoFn<FileIO.ReadableFile, KV<Integer, FPMiner>> {
    private static final long serialVersionUID = 1L;
    private final Counter batches = Metrics.counter(TableSource.METRICS_NAMESPACE, "batchesRead");
    private final Counter rows = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");
    private final Counter files = Metrics.counter(TableSource.METRICS_NAMESPACE, "filesRead");
    private final String txnCol;
    private final String itemCol;
    private final int nItems;
    private final int shards;
    private final long perMinerBytes;
    private transient BufferAllocator allocator;

    ReadFn(String txnCol, String itemCol, int nItems, int shards, long perMinerBytes) {
      this.txnCol = txnCol;
      this.itemCol = itemCol;
      this.nItems = nItems;
      this.shards = shards;
      this.perMinerBytes = perMinerBytes;
    }

    @Setup
    public void setup() {
      allocator = new RootAllocator();
    }

    @Teardown
    public void teardown() {
      if (allocator != null) {
        allocator.close();
      }
    }

    @ProcessElement
    public void processElement(
        @Element FileIO.ReadableFile file, OutputReceiver<KV<Integer, FPMiner>> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      FPMiner[] miners = new FPMiner[shards];
      try (SeekableByteChannel ch = file.openSeekable();
          ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        files.inc();
        while (reader.loadNextBatch()) {
          int n =
              addArrowBatch(
                  miners,
                  k -> new FPMiner(nItems).withMaxRamBytes(perMinerBytes),
                  t -> MineStream.shardOf(t, shards),
                  nItems,
                  root,
                  txnCol,
                  itemCol);
          batches.inc();
          rows.inc(n);
        }
      } catch (IllegalArgumentException e) {
        for (FPMiner m : miners) {
          if (m != null) {
            m.close();
          }
        }
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("Cannot read Arrow file " + name + ": " + e, e);
      }
      for (int k = 0; k < shards; k++) {
        if (miners[k] != null) {
          miners[k].compact();
          out.output(KV.of(k, miners[k]));
        }
      }
    }
  }
}
