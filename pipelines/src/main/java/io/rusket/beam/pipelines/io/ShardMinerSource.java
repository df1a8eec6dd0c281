package io.rusket.beam.pipelines.io;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.transforms.FPMinerCoder;
import io.rusket.beam.transforms.MineStream;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads Parquet or Arrow IPC files of {@code (transaction, item)} events column-wise straight into
 * shard {@link FPMiner}s, for {@link MineStream#ofShardMiners()}: no Beam {@code Row}, Avro record
 * or boxed value per event. The output is {@code KV<shard, FPMiner>}, every transaction's pairs in
 * the miners of shard {@link MineStream#shardOf shardOf(txn, shards)}.
 *
 * <p>Parquet files are split by row group, large row groups into ranges of rows ({@link
 * ParquetColumns#splits(long)}, {@link #withSplitRows}), and Arrow files by runs of record batches
 * (about {@value #ARROW_SPLIT_BYTES} bytes of batch bodies each), reshuffled so that every worker
 * and core reads. A split is read a slice at a time ({@value #SLICE_ROWS} rows of Parquet, one
 * record batch of Arrow): the two columns become primitive arrays, item ids are checked against
 * {@link #withNumItems}, and the pairs are spread over the shard miners with a counting sort. The
 * transaction column may be any integer column (INT32/INT64 in Parquet, signed Int 8–64 in Arrow),
 * the item column too, with values in {@code [0, numItems)}.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<Row> itemsets = p
 *     .apply(ShardMinerSource.from("events-*.parquet")
 *         .withColumns("transaction_id", "item_id")
 *         .withNumItems(2600)
 *         .withShards(16))
 *     .apply(MineStream.ofShardMiners().withNumItems(2600).withShards(16).withMinSupport(0.001));
 * }</pre>
 *
 * <p><b>Memory</b>, per DoFn instance (one per core): the shard miners it holds, together within
 * {@link #withMaxRamBytes the RAM budget} (each shard's miner within {@code maxRamBytes / shards};
 * a miner is emitted, compacted, when it reaches three quarters of that, so an emitted miner is at
 * most about one shard's budget); one slice decoded (about 40 bytes per row: two columns of longs
 * and the sort's scratch); and for Parquet the split's pages compressed, as in the file. The Spark
 * runner keeps all the outputs of one input element in memory until the element is done
 * (apache/beam#23852): for one Parquet or Arrow split, that is its pairs as compacted miners (delta
 * varints, typically 1 to 2.5 bytes per pair) for at most {@link #withSplitRows} rows (about
 * {@value #ARROW_SPLIT_BYTES} bytes of batches for Arrow), a few MiB.
 *
 * <p><b>Errors</b> (when the pipeline runs): a missing or non-integer column, a null, or an item id
 * outside {@code [0, numItems)} is an {@link IllegalArgumentException} naming the file, the column,
 * the row group (Parquet) or batch (Arrow), the row and the value.
 *
 * <p>Metrics (namespace {@value TableSource#METRICS_NAMESPACE}): counters {@code filesRead}, {@code
 * rowGroups} (Parquet), {@code batchesRead} (Arrow), {@code rowsRead} (updated per slice, so it
 * shows progress within a split) and {@code minersEmitted}.
 */
public final class ShardMinerSource extends PTransform<PBegin, PCollection<KV<Integer, FPMiner>>> {
  private static final long serialVersionUID = 1L;

  /** Parquet rows decoded per slice. */
  public static final int SLICE_ROWS = 1 << 18;

  /** Arrow record batches are grouped into splits of about this many body bytes. */
  public static final long ARROW_SPLIT_BYTES = 8L << 20;

  private final String filepattern;
  private final @Nullable InputFormat format;
  private final @Nullable String txnCol;
  private final @Nullable String itemCol;
  private final @Nullable Integer numItems;
  private final int shards;
  private final long maxRamBytes;
  private final long splitRows;

  private ShardMinerSource(Builder b) {
    this.filepattern = b.filepattern;
    this.format = b.format;
    this.txnCol = b.txnCol;
    this.itemCol = b.itemCol;
    this.numItems = b.numItems;
    this.shards = b.shards;
    this.maxRamBytes = b.maxRamBytes;
    this.splitRows = b.splitRows;
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** Makes copies with one setting changed: {@code toBuilder().x(v).build()}. */
  private static final class Builder {
    private final String filepattern;
    private @Nullable InputFormat format;
    private @Nullable String txnCol;
    private @Nullable String itemCol;
    private @Nullable Integer numItems;
    private int shards = MineStream.DEFAULT_SHARDS;
    private long maxRamBytes = MineStream.DEFAULT_MAX_RAM_BYTES;
    private long splitRows = ParquetColumns.DEFAULT_SPLIT_ROWS;

    private Builder(String filepattern) {
      this.filepattern = filepattern;
    }

    private Builder(ShardMinerSource s) {
      this(s.filepattern);
      format = s.format;
      txnCol = s.txnCol;
      itemCol = s.itemCol;
      numItems = s.numItems;
      shards = s.shards;
      maxRamBytes = s.maxRamBytes;
      splitRows = s.splitRows;
    }

    private Builder format(InputFormat f) {
      this.format = f;
      return this;
    }

    private Builder columns(String txn, String item) {
      this.txnCol = txn;
      this.itemCol = item;
      return this;
    }

    private Builder numItems(int n) {
      this.numItems = n;
      return this;
    }

    private Builder shards(int s) {
      this.shards = s;
      return this;
    }

    private Builder maxRamBytes(long b) {
      this.maxRamBytes = b;
      return this;
    }

    private Builder splitRows(long rows) {
      this.splitRows = rows;
      return this;
    }

    private ShardMinerSource build() {
      return new ShardMinerSource(this);
    }
  }

  /**
   * Reads the files matching {@code filepattern} (a path or glob, on any Beam file system).
   *
   * @throws IllegalArgumentException if it is null or blank
   */
  public static ShardMinerSource from(String filepattern) {
    if (filepattern == null || filepattern.isBlank()) {
      throw new IllegalArgumentException("ShardMinerSource needs an input path or glob, got none");
    }
    return new Builder(filepattern).build();
  }

  /**
   * The format, Parquet or Arrow (by default inferred from the file pattern's extension).
   *
   * @throws IllegalArgumentException for CSV or null
   */
  public ShardMinerSource withFormat(InputFormat format) {
    if (format != InputFormat.PARQUET && format != InputFormat.ARROW) {
      throw new IllegalArgumentException(
          "Invalid format for columnar reading: " + format + ". Valid formats are parquet, arrow.");
    }
    return toBuilder().format(format).build();
  }

  /**
   * Required: the transaction and item columns.
   *
   * @throws IllegalArgumentException if either is null or empty, or both are the same
   */
  public ShardMinerSource withColumns(String txnCol, String itemCol) {
    if (txnCol == null || txnCol.isEmpty() || itemCol == null || itemCol.isEmpty()) {
      throw new IllegalArgumentException(
          "withColumns needs a transaction and an item column, got txnCol="
              + txnCol
              + ", itemCol="
              + itemCol);
    }
    if (txnCol.equals(itemCol)) {
      throw new IllegalArgumentException(
          "The transaction and item columns must differ, both are '" + txnCol + "'");
    }
    return toBuilder().columns(txnCol, itemCol).build();
  }

  /**
   * Required: item ids lie in {@code [0, numItems)}, as {@link MineStream#withNumItems}.
   *
   * @throws IllegalArgumentException if {@code numItems < 1}
   */
  public ShardMinerSource withNumItems(int numItems) {
    if (numItems < 1) {
      throw new IllegalArgumentException(
          "Invalid numItems: " + numItems + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return toBuilder().numItems(numItems).build();
  }

  /**
   * The number of shards, equal to {@link MineStream#withShards} (default {@value
   * MineStream#DEFAULT_SHARDS}).
   *
   * @throws IllegalArgumentException if not in {@code [1, 65536]}
   */
  public ShardMinerSource withShards(int shards) {
    if (shards < 1 || shards > MineStream.MAX_SHARDS) {
      throw new IllegalArgumentException(
          "Invalid shards: " + shards + ". Valid range is [1, " + MineStream.MAX_SHARDS + "].");
    }
    return toBuilder().shards(shards).build();
  }

  /**
   * The RAM budget of the shard miners one DoFn instance holds (default {@link
   * MineStream#DEFAULT_MAX_RAM_BYTES}, as {@link MineStream#withMaxRamBytes}).
   *
   * @throws IllegalArgumentException if below {@link MineStream#MIN_MAX_RAM_BYTES}
   */
  public ShardMinerSource withMaxRamBytes(long bytes) {
    if (bytes < MineStream.MIN_MAX_RAM_BYTES) {
      throw new IllegalArgumentException(
          "Invalid maxRamBytes: "
              + bytes
              + ". Valid range is ["
              + MineStream.MIN_MAX_RAM_BYTES
              + ", "
              + Long.MAX_VALUE
              + "].");
    }
    return toBuilder().maxRamBytes(bytes).build();
  }

  /**
   * Parquet: row groups of more rows than this are read as several splits of consecutive rows
   * (default {@value ParquetColumns#DEFAULT_SPLIT_ROWS}), so that a large row group is read on
   * several cores and one element's outputs stay small.
   *
   * @throws IllegalArgumentException if {@code rows < 1}
   */
  public ShardMinerSource withSplitRows(long rows) {
    if (rows < 1) {
      throw new IllegalArgumentException(
          "Invalid splitRows: " + rows + ". Valid range is [1, " + Long.MAX_VALUE + "].");
    }
    return toBuilder().splitRows(rows).build();
  }

  /** The format, as given or inferred from the file pattern. */
  public InputFormat getFormat() {
    return format != null ? format : InputFormat.infer(filepattern);
  }

  /**
   * @throws IllegalStateException without columns or numItems
   * @throws IllegalArgumentException for a CSV file pattern
   */
  @Override
  public PCollection<KV<Integer, FPMiner>> expand(PBegin input) {
    if (txnCol == null || itemCol == null) {
      throw new IllegalStateException("ShardMinerSource needs withColumns(txnCol, itemCol)");
    }
    if (numItems == null) {
      throw new IllegalStateException(
          "ShardMinerSource needs withNumItems(n): item ids must lie in [0, n)");
    }
    InputFormat f = getFormat();
    PCollection<FileIO.ReadableFile> files =
        input
            .apply("MatchFiles", FileIO.match().filepattern(filepattern))
            .apply("OpenFiles", FileIO.readMatches());
    long perMiner = ShardedMiners.perMinerBytes(maxRamBytes, shards);
    PCollection<KV<Integer, FPMiner>> miners;
    switch (f) {
      case PARQUET:
        miners =
            files
                .apply("RowGroups", ParquetColumns.splits(splitRows))
                .apply(
                    "ReadParquetPairs",
                    ParDo.of(new ParquetPairsFn(txnCol, itemCol, numItems, shards, maxRamBytes)));
        break;
      case ARROW:
        miners =
            files
                .apply("RecordBatches", ArrowPairs.splits(ARROW_SPLIT_BYTES))
                .apply(
                    "ReadArrowPairs",
                    ParDo.of(new ArrowPairsFn(txnCol, itemCol, numItems, shards, maxRamBytes)));
        break;
      default:
        throw new IllegalArgumentException(
            "ShardMinerSource reads Parquet or Arrow files, not " + f.optionName());
    }
    return miners.setCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of(perMiner)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("filepattern", filepattern).withLabel("Input files"))
        .add(DisplayData.item("format", getFormat().optionName()).withLabel("Input format"))
        .addIfNotNull(DisplayData.item("txnCol", txnCol).withLabel("Transaction column"))
        .addIfNotNull(DisplayData.item("itemCol", itemCol).withLabel("Item column"))
        .addIfNotNull(DisplayData.item("numItems", numItems).withLabel("Item ids in [0, numItems)"))
        .add(DisplayData.item("shards", shards).withLabel("Transaction shards"))
        .add(DisplayData.item("maxRamBytes", maxRamBytes).withLabel("Shard miners' RAM budget"))
        .add(DisplayData.item("splitRows", splitRows).withLabel("Most rows per Parquet split"));
  }

  /**
   * The shard miners of one DoFn instance, held over its bundle: splits are read slice by slice
   * into them, full miners are emitted as they fill, and the rest at the end of the bundle.
   */
  abstract static class PairsFn<SplitT> extends DoFn<SplitT, KV<Integer, FPMiner>> {
    private static final long serialVersionUID = 1L;
    final Counter rows = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");
    final Counter emitted = Metrics.counter(TableSource.METRICS_NAMESPACE, "minersEmitted");
    final String txnCol;
    final String itemCol;
    final int nItems;
    final int shards;
    final long maxRamBytes;
    transient @Nullable ShardedMiners held;

    PairsFn(String txnCol, String itemCol, int nItems, int shards, long maxRamBytes) {
      this.txnCol = txnCol;
      this.itemCol = itemCol;
      this.nItems = nItems;
      this.shards = shards;
      this.maxRamBytes = maxRamBytes;
    }

    @StartBundle
    public void startBundle() {
      held = new ShardedMiners(nItems, shards, maxRamBytes);
    }

    @ProcessElement
    public void processElement(@Element SplitT split, OutputReceiver<KV<Integer, FPMiner>> out)
        throws IOException {
      ShardedMiners h = held;
      try {
        read(
            split,
            h,
            (k, m) -> {
              emitted.inc();
              out.output(KV.of(k, m));
            });
      } catch (RuntimeException | IOException e) {
        h.discard();
        throw e;
      }
    }

    /** Reads the split into {@code h}, emitting full miners to {@code out}. */
    abstract void read(SplitT split, ShardedMiners h, ShardedMiners.Emitter out) throws IOException;

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      held.flush(
          (k, m) -> {
            emitted.inc();
            c.output(KV.of(k, m), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
          });
      held = null;
    }
  }

  /** Parquet row groups, slice by slice. */
  static final class ParquetPairsFn extends PairsFn<ParquetColumns.Split> {
    private static final long serialVersionUID = 1L;

    ParquetPairsFn(String txnCol, String itemCol, int nItems, int shards, long maxRamBytes) {
      super(txnCol, itemCol, nItems, shards, maxRamBytes);
    }

    @Override
    void read(ParquetColumns.Split split, ShardedMiners h, ShardedMiners.Emitter out)
        throws IOException {
      int[] item = new int[(int) Math.min(SLICE_ROWS, split.rows())];
      try (ParquetColumns.Cursor c = ParquetColumns.open(split, List.of(txnCol, itemCol))) {
        for (ParquetColumns.Chunk chunk; (chunk = c.next(SLICE_ROWS)) != null; ) {
          long[] txn = chunk.longs(txnCol);
          long[] items = chunk.longs(itemCol);
          int n = chunk.rows();
          for (int i = 0; i < n; i++) {
            long x = items[i];
            if (x < 0 || x >= nItems) {
              throw new IllegalArgumentException(
                  "Parquet column '"
                      + itemCol
                      + "' = "
                      + x
                      + " in "
                      + split.file()
                      + ", row group "
                      + split.rowGroup()
                      + ", row "
                      + (chunk.firstRow() + i)
                      + " (transaction "
                      + txn[i]
                      + ") is out of range [0, "
                      + nItems
                      + "): raise withNumItems");
            }
            item[i] = (int) x;
          }
          h.add(txn, item, n, out);
          rows.inc(n);
        }
      }
    }
  }

  /** Arrow record batches, one at a time. */
  static final class ArrowPairsFn extends PairsFn<ArrowPairs.Split> {
    private static final long serialVersionUID = 1L;
    private final Counter batches = Metrics.counter(TableSource.METRICS_NAMESPACE, "batchesRead");

    ArrowPairsFn(String txnCol, String itemCol, int nItems, int shards, long maxRamBytes) {
      super(txnCol, itemCol, nItems, shards, maxRamBytes);
    }

    @Override
    void read(ArrowPairs.Split split, ShardedMiners h, ShardedMiners.Emitter out)
        throws IOException {
      ArrowPairs.readSplit(
          split,
          txnCol,
          itemCol,
          nItems,
          (txn, item, n) -> {
            h.add(txn, item, n, out);
            rows.inc(n);
            batches.inc();
          });
    }
  }
}
