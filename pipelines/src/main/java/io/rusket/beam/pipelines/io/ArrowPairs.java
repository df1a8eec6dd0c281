package io.rusket.beam.pipelines.io;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.transforms.MineStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

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
 *
 * <p>For pipelines, {@link #splits(long)} cuts Arrow IPC files into {@link Split}s of consecutive
 * record batches (from the footer's record blocks), which {@link ShardMinerSource} reads batch by
 * batch into shard miners ({@link #readShardMiners} is that source with the Arrow format).
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
    ShardedMiners.addSharded(
        shards, factory, shardOf, txn, item, n, new int[n], new long[n], new int[n]);
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
    signedInts(v, n, out);
  }

  /**
   * The first {@code n} values of a signed integer vector (Int 8/16/32/64) straight from its data
   * buffer, without a null check; the one such reader of the Arrow paths (also ArrowGroups').
   */
  static void signedInts(FieldVector v, int n, long[] out) {
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
   * Reads Arrow IPC files of {@code (txnCol, itemCol)} events straight into shard FPMiners, for
   * {@link MineStream#ofShardMiners()}: {@link ShardMinerSource} with the Arrow format, the default
   * RAM budget, and files split by runs of record batches.
   *
   * <pre>{@code
   * p.apply(ArrowPairs.readShardMiners("events-*.arrow", "session_id", "item_id", 2600, 16))
   *  .apply(MineStream.ofShardMiners().withNumItems(2600).withShards(16).withMinSupport(0.001));
   * }</pre>
   */
  public static PTransform<PBegin, PCollection<KV<Integer, FPMiner>>> readShardMiners(
      String filepattern, String txnCol, String itemCol, int nItems, int shards) {
    return ShardMinerSource.from(filepattern)
        .withFormat(InputFormat.ARROW)
        .withColumns(txnCol, itemCol)
        .withNumItems(nItems)
        .withShards(shards);
  }

  /**
   * A run of consecutive record batches of one Arrow IPC file: the file's resource id and size, the
   * first batch's index in the footer and the number of batches. A small value with a deterministic
   * coder ({@link #coder()}).
   */
  public static final class Split {
    private final String file;
    private final long fileBytes;
    private final int firstBatch;
    private final int batches;

    /**
     * @throws IllegalArgumentException for an empty file name, a negative size or index, or no
     *     batch
     */
    public Split(String file, long fileBytes, int firstBatch, int batches) {
      if (file == null || file.isEmpty() || fileBytes < 0 || firstBatch < 0 || batches < 1) {
        throw new IllegalArgumentException(
            "Invalid Arrow split: file="
                + file
                + ", fileBytes="
                + fileBytes
                + ", firstBatch="
                + firstBatch
                + ", batches="
                + batches);
      }
      this.file = file;
      this.fileBytes = fileBytes;
      this.firstBatch = firstBatch;
      this.batches = batches;
    }

    /** The file's resource id, as a string. */
    public String file() {
      return file;
    }

    /** The file's size in bytes. */
    public long fileBytes() {
      return fileBytes;
    }

    /** The index of the split's first record batch in the file's footer. */
    public int firstBatch() {
      return firstBatch;
    }

    /** The number of record batches. */
    public int batches() {
      return batches;
    }

    /** The coder of splits: deterministic, consistent with {@code equals}. */
    public static Coder<Split> coder() {
      return SplitCoder.INSTANCE;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof Split)) {
        return false;
      }
      Split s = (Split) o;
      return file.equals(s.file)
          && fileBytes == s.fileBytes
          && firstBatch == s.firstBatch
          && batches == s.batches;
    }

    @Override
    public int hashCode() {
      return Objects.hash(file, fileBytes, firstBatch, batches);
    }

    @Override
    public String toString() {
      return file + " batches [" + firstBatch + ", " + (firstBatch + batches) + ")";
    }
  }

  private static final class SplitCoder extends AtomicCoder<Split> {
    private static final long serialVersionUID = 1L;
    static final SplitCoder INSTANCE = new SplitCoder();

    @Override
    public void encode(Split s, OutputStream out) throws IOException {
      if (s == null) {
        throw new IllegalArgumentException("Cannot encode a null Arrow split");
      }
      StringUtf8Coder.of().encode(s.file, out);
      VarLongCoder.of().encode(s.fileBytes, out);
      VarIntCoder.of().encode(s.firstBatch, out);
      VarIntCoder.of().encode(s.batches, out);
    }

    @Override
    public Split decode(InputStream in) throws IOException {
      String file = StringUtf8Coder.of().decode(in);
      long bytes = VarLongCoder.of().decode(in);
      int first = VarIntCoder.of().decode(in);
      int n = VarIntCoder.of().decode(in);
      return new Split(file, bytes, first, n);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }

  /**
   * Expands each Arrow IPC file into {@link Split}s of consecutive record batches, about {@code
   * targetBytes} of batch bodies each (reads only the footer), then reshuffles them so that they
   * spread over the workers and cores.
   *
   * @throws IllegalArgumentException if {@code targetBytes < 1}; when the pipeline runs, for a file
   *     that is not an Arrow IPC file, naming it
   */
  public static PTransform<PCollection<FileIO.ReadableFile>, PCollection<Split>> splits(
      long targetBytes) {
    if (targetBytes < 1) {
      throw new IllegalArgumentException(
          "Invalid targetBytes: " + targetBytes + ". Valid range is [1, " + Long.MAX_VALUE + "].");
    }
    return new Splits(targetBytes);
  }

  private static final class Splits
      extends PTransform<PCollection<FileIO.ReadableFile>, PCollection<Split>> {
    private static final long serialVersionUID = 1L;
    private final long targetBytes;

    Splits(long targetBytes) {
      this.targetBytes = targetBytes;
    }

    @Override
    public PCollection<Split> expand(PCollection<FileIO.ReadableFile> files) {
      return files
          .apply("Batches", ParDo.of(new SplitFn(targetBytes)))
          .setCoder(Split.coder())
          .apply("SpreadBatches", Reshuffle.viaRandomKey())
          .setCoder(Split.coder());
    }
  }

  private static final class SplitFn extends DoFn<FileIO.ReadableFile, Split> {
    private static final long serialVersionUID = 1L;
    private final Counter files = Metrics.counter(TableSource.METRICS_NAMESPACE, "filesRead");
    private final long targetBytes;
    private transient BufferAllocator allocator;

    SplitFn(long targetBytes) {
      this.targetBytes = targetBytes;
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
    public void processElement(@Element FileIO.ReadableFile file, OutputReceiver<Split> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      long size = file.getMetadata().sizeBytes();
      List<ArrowBlock> blocks;
      try (SeekableByteChannel ch =
              SeekableChannels.wrap(
                  file.openSeekable(), file.getMetadata().resourceId().getScheme());
          ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
        blocks = reader.getRecordBlocks();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "Cannot read the Arrow footer of "
                + name
                + " (truncated, corrupt or not an Arrow IPC file?): "
                + e.getMessage(),
            e);
      }
      files.inc();
      for (Split s : group(name, size, blocks, targetBytes)) {
        out.output(s);
      }
    }
  }

  /** Consecutive blocks grouped into splits of about {@code targetBytes} of bodies each. */
  static List<Split> group(String file, long size, List<ArrowBlock> blocks, long targetBytes) {
    List<Split> splits = new ArrayList<>();
    int first = 0;
    long bytes = 0;
    for (int b = 0; b < blocks.size(); b++) {
      bytes += blocks.get(b).getBodyLength();
      if (bytes >= targetBytes || b == blocks.size() - 1) {
        splits.add(new Split(file, size, first, b + 1 - first));
        first = b + 1;
        bytes = 0;
      }
    }
    return splits;
  }

  /** Receives one record batch's pairs: {@code (txn[i], item[i])}, {@code i < n}. */
  @FunctionalInterface
  interface PairSink {
    void accept(long[] txn, int[] item, int n);
  }

  /**
   * Reads the split's record batches one at a time into primitive arrays and hands each to {@code
   * sink} (the arrays are reused from batch to batch).
   *
   * @throws IllegalArgumentException for a bad column or value (naming the file, the batch, the
   *     column, the row within the batch and the value), or a file that is not Arrow
   */
  static void readSplit(Split split, String txnCol, String itemCol, int nItems, PairSink sink)
      throws IOException {
    long[] txn = new long[0];
    int[] item = new int[0];
    int batch = split.firstBatch;
    try (BufferAllocator allocator = new RootAllocator();
        SeekableByteChannel ch =
            SeekableChannels.open(FileSystems.matchNewResource(split.file, false));
        ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
      List<ArrowBlock> blocks = reader.getRecordBlocks();
      if (split.firstBatch + split.batches > blocks.size()) {
        throw new IllegalArgumentException(
            "has "
                + blocks.size()
                + " record batches, fewer than the split's "
                + split
                + " (was the file replaced while the job ran?)");
      }
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      for (; batch < split.firstBatch + split.batches; batch++) {
        if (!reader.loadRecordBatch(blocks.get(batch))) {
          throw new IllegalArgumentException("record batch " + batch + " cannot be loaded");
        }
        int n = root.getRowCount();
        if (txn.length < n) {
          txn = new long[n];
          item = new int[n];
        }
        readLongs(column(root, txnCol), n, txn);
        readItems(column(root, itemCol), n, item, nItems);
        sink.accept(txn, item, n);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Arrow file " + split.file + ", record batch " + batch + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot read Arrow file " + split.file + ", record batch " + batch + ": " + e, e);
    }
  }
}
