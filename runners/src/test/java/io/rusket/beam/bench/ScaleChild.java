package io.rusket.beam.bench;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.pipelines.io.ArrowPairs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * The child JVMs of the {@code scale} suite ({@link ScaleSuite}), each run with {@code -Xmx2g}.
 * Prints one {@code result key=value ...} line on stdout.
 *
 * <pre>
 *   plain-stream  FILE FORMAT   the event log read column-wise into one FPMiner, mined at
 *                               minSupport 0.001 (the stream yardstick)
 *   plain-grouped FILE FORMAT   the same log read column-wise, each store's pairs into a
 *                               TransactionDb mined at minSupport 0.01 (the grouped yardstick)
 *   main ARGS...                io.rusket.beam.runners.Main with ARGS, exactly as the jar runs it,
 *                               reporting the heap pools' peaks when the JVM exits
 * </pre>
 *
 * <p>Every mode runs under a {@link GcWatchdog}: a JVM whose heap is full and that spends nearly
 * all its time collecting is ended as out of memory within a minute, instead of after the minutes
 * G1 can go on before it throws {@code OutOfMemoryError}.
 *
 * <p>FORMAT is {@code parquet} (read with parquet-mr's column API directly, one row group at a
 * time: this yardstick shares no code with the pipelines' readers) or {@code arrow} ({@link
 * ArrowPairs#addArrowBatch} for stream, the vectors' values for grouped). The columns are the
 * generator's: {@code store_id STRING, transaction_id INT64, item_id INT32}, grouped by store (a
 * store seen again after another is an error). Itemsets are folded into the same checksums as the
 * pipelines' output ({@link ItemsetChecksum}).
 */
public final class ScaleChild {
  static final String STORE = "store_id";
  static final String TXN = "transaction_id";
  static final String ITEM = "item_id";

  /** Item ids are below this (the generator's {@code --items}). */
  static final int ITEMS = 2600;

  static final double STREAM_SUPPORT = 0.001;
  static final double GROUPED_SUPPORT = 0.01;
  static final int CHUNK = 1 << 16;

  /** The plain stream loop's FPMiner budget. */
  static final long STREAM_RAM_BYTES = 64L << 20;

  private ScaleChild() {}

  public static void main(String[] args) throws Exception {
    GcWatchdog.start();
    if (args.length >= 1 && args[0].equals("main")) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      System.out.printf(
                          Locale.ROOT,
                          "result heapPeak=%d maxHeap=%d%n",
                          HeapProbe.poolPeaks(),
                          Runtime.getRuntime().maxMemory())));
      io.rusket.beam.runners.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "ScaleChild: expected plain-stream|plain-grouped FILE parquet|arrow, got "
              + Arrays.toString(args));
    }
    Path file = Path.of(args[1]);
    boolean parquet =
        switch (args[2]) {
          case "parquet" -> true;
          case "arrow" -> false;
          default -> throw new IllegalArgumentException("ScaleChild: unknown format " + args[2]);
        };
    long t0 = System.nanoTime();
    String r =
        switch (args[0]) {
          case "plain-stream" -> plainStream(file, parquet, t0);
          case "plain-grouped" -> plainGrouped(file, parquet, t0);
          default -> throw new IllegalArgumentException("ScaleChild: unknown mode " + args[0]);
        };
    System.out.println(
        "result "
            + r
            + String.format(
                Locale.ROOT,
                " heapPeak=%d maxHeap=%d",
                HeapProbe.poolPeaks(),
                Runtime.getRuntime().maxMemory()));
  }

  // -----------------------------------------------------------------------------------------
  // stream: one FPMiner

  static String plainStream(Path file, boolean parquet, long t0) throws IOException {
    ItemsetChecksum sum = new ItemsetChecksum();
    long events = 0;
    int rowGroups = -1;
    // Runs beyond 64 MiB spill to disk (FPMiner's spill path) instead of staying on the heap
    // while the frequent rows are mined: at 100M events the default 256 MiB budget keeps ~170 MB
    // of runs live beside the mining structures, and 2 GiB is then not always enough.
    try (FPMiner miner = new FPMiner(ITEMS).withMaxRamBytes(STREAM_RAM_BYTES)) {
      if (parquet) {
        long[] txn = new long[CHUNK];
        int[] item = new int[CHUNK];
        try (ParquetColumnsReader r = new ParquetColumnsReader(file, List.of(TXN, ITEM))) {
          rowGroups = r.rowGroups();
          while (r.nextRowGroup()) {
            ColumnReader tc = r.column(TXN);
            ColumnReader ic = r.column(ITEM);
            long rows = r.rows();
            for (long done = 0; done < rows; ) {
              int n = (int) Math.min(CHUNK, rows - done);
              for (int i = 0; i < n; i++) {
                txn[i] = tc.getLong();
                tc.consume();
                item[i] = ic.getInteger();
                ic.consume();
              }
              miner.addChunk(txn, item, 0, n);
              done += n;
            }
            events += rows;
          }
        }
      } else {
        try (ArrowIn in = new ArrowIn(file)) {
          VectorSchemaRoot root = in.reader.getVectorSchemaRoot();
          while (in.reader.loadNextBatch()) {
            events += ArrowPairs.addArrowBatch(miner, root, TXN, ITEM);
          }
        }
      }
      long t1 = System.nanoTime();
      // As MineStream's final step: the frequent rows as a database, the miner's runs released,
      // then mined in the database's own arrays (mineConsuming): the rows are in memory once.
      ItemsetMiner config = ItemsetMiner.minSupport(STREAM_SUPPORT);
      long nTransactions = miner.nTransactions();
      int spillFiles = miner.spillFileCount();
      long spilled = miner.spilledBytes();
      TransactionDb db = miner.toTransactionDb(config);
      miner.close();
      config.mineConsuming(db, sum.stream());
      long t2 = System.nanoTime();
      return String.format(
          Locale.ROOT,
          "events=%d transactions=%d itemsets=%d checksum=%d readNs=%d mineNs=%d rowGroups=%d"
              + " spillFiles=%d spilledBytes=%d",
          events,
          nTransactions,
          sum.itemsets(),
          sum.checksum(),
          t1 - t0,
          t2 - t1,
          rowGroups,
          spillFiles,
          spilled);
    }
  }

  // -----------------------------------------------------------------------------------------
  // grouped: the pairs of each store (contiguous in the file) into a TransactionDb

  /** The pairs of the current store, mined when the store changes. */
  static final class Stores {
    final ItemsetChecksum sum = new ItemsetChecksum();
    final ItemsetMiner config = ItemsetMiner.minSupport(GROUPED_SUPPORT);
    final Set<String> done = new HashSet<>();
    String store;
    long[] txn = new long[1 << 16];
    int[] item = new int[1 << 16];
    int n;
    long events;
    long transactions;
    long mineNanos;

    void add(long t, int i) {
      if (n == txn.length) {
        txn = ArrayUtil.grow(txn, n + 1L);
        item = ArrayUtil.grow(item, n + 1L);
      }
      txn[n] = t;
      item[n++] = i;
    }

    /** Mines the current store's pairs, then starts {@code next} (null: the end). */
    void switchTo(String next) {
      if (store != null && n > 0) {
        long t0 = System.nanoTime();
        TransactionDb db =
            TransactionDb.fromPairs(Arrays.copyOf(txn, n), Arrays.copyOf(item, n), null);
        // The buffers go before mining: the largest store's (a quarter of the log) would
        // otherwise stay live beside its TransactionDb and the miner's structures.
        txn = new long[1 << 16];
        item = new int[1 << 16];
        transactions += db.size();
        config.mine(db, sum.grouped(store));
        mineNanos += System.nanoTime() - t0;
        events += n;
      }
      if (next != null && !done.add(next)) {
        throw new IllegalArgumentException(
            "store_id " + next + " appears again after other stores: the file is not by store");
      }
      store = next;
      n = 0;
    }
  }

  static String plainGrouped(Path file, boolean parquet, long t0) throws IOException {
    Stores s = new Stores();
    int rowGroups = -1;
    if (parquet) {
      try (ParquetColumnsReader r = new ParquetColumnsReader(file, List.of(STORE, TXN, ITEM))) {
        rowGroups = r.rowGroups();
        Binary cur = null;
        while (r.nextRowGroup()) {
          ColumnReader sc = r.column(STORE);
          ColumnReader tc = r.column(TXN);
          ColumnReader ic = r.column(ITEM);
          long rows = r.rows();
          for (long i = 0; i < rows; i++) {
            Binary b = sc.getBinary();
            sc.consume();
            if (cur == null || !cur.equals(b)) {
              cur = b.copy();
              s.switchTo(cur.toStringUsingUTF8());
            }
            s.add(tc.getLong(), ic.getInteger());
            tc.consume();
            ic.consume();
          }
        }
      }
    } else {
      try (ArrowIn in = new ArrowIn(file)) {
        VectorSchemaRoot root = in.reader.getVectorSchemaRoot();
        VarCharVector sv = (VarCharVector) root.getVector(STORE);
        BigIntVector tv = (BigIntVector) root.getVector(TXN);
        IntVector iv = (IntVector) root.getVector(ITEM);
        byte[] cur = null;
        while (in.reader.loadNextBatch()) {
          int rows = root.getRowCount();
          ArrowBuf data = sv.getDataBuffer();
          for (int i = 0; i < rows; i++) {
            long start = sv.getStartOffset(i);
            int len = (int) (sv.getEndOffset(i) - start);
            if (cur == null || !sameBytes(cur, data, start, len)) {
              cur = new byte[len];
              data.getBytes(start, cur);
              s.switchTo(new String(cur, StandardCharsets.UTF_8));
            }
            s.add(tv.get(i), iv.get(i));
          }
        }
      }
    }
    long t1 = System.nanoTime();
    s.switchTo(null);
    long t2 = System.nanoTime();
    // readNs: reading and buffering (the stores' mining, interleaved with it, taken out).
    long mine = s.mineNanos;
    return String.format(
        Locale.ROOT,
        "events=%d transactions=%d stores=%d itemsets=%d checksum=%d readNs=%d mineNs=%d"
            + " rowGroups=%d",
        s.events,
        s.transactions,
        s.done.size(),
        s.sum.itemsets(),
        s.sum.checksum(),
        (t2 - t0) - mine,
        mine,
        rowGroups);
  }

  private static boolean sameBytes(byte[] cur, ArrowBuf data, long start, int len) {
    if (cur.length != len) {
      return false;
    }
    for (int j = 0; j < len; j++) {
      if (cur[j] != data.getByte(start + j)) {
        return false;
      }
    }
    return true;
  }

  /** An Arrow IPC file open for reading. */
  private static final class ArrowIn implements AutoCloseable {
    final BufferAllocator alloc = new RootAllocator();
    final FileChannel ch;
    final ArrowFileReader reader;

    ArrowIn(Path file) throws IOException {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      reader = new ArrowFileReader(ch, alloc);
    }

    @Override
    public void close() throws IOException {
      try (alloc;
          ch) {
        reader.close();
      }
    }
  }

  /**
   * The named top-level primitive columns of a local Parquet file, one row group at a time, through
   * parquet-mr's {@link ColumnReader}s (values decoded page by page; no records assembled).
   */
  static final class ParquetColumnsReader implements AutoCloseable {
    private final ParquetFileReader reader;
    private final MessageType projection;
    private final String createdBy;
    private ColumnReadStoreImpl store;
    private long rows;

    ParquetColumnsReader(Path file, List<String> columns) throws IOException {
      reader = ParquetFileReader.open(new LocalInputFile(file));
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      projection =
          new MessageType(
              schema.getName(),
              columns.stream().map(schema::getType).toArray(org.apache.parquet.schema.Type[]::new));
      reader.setRequestedSchema(projection);
      createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
    }

    int rowGroups() {
      return reader.getRowGroups().size();
    }

    /** Moves to the next row group; false at the end. */
    boolean nextRowGroup() throws IOException {
      PageReadStore pages = reader.readNextRowGroup();
      if (pages == null) {
        return false;
      }
      rows = pages.getRowCount();
      store = new ColumnReadStoreImpl(pages, new NoConverter(), projection, createdBy);
      return true;
    }

    long rows() {
      return rows;
    }

    /** The current row group's reader of {@code column}; a null value is an error. */
    ColumnReader column(String column) {
      ColumnDescriptor d = projection.getColumnDescription(new String[] {column});
      if (d.getMaxDefinitionLevel() > 0) {
        throw new IllegalArgumentException("column " + column + " is nullable: not generated data");
      }
      return store.getColumnReader(d);
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /** Column readers need a converter tree; values are read from the readers instead. */
  private static final class NoConverter extends GroupConverter {
    private final PrimitiveConverter leaf = new PrimitiveConverter() {};

    @Override
    public Converter getConverter(int fieldIndex) {
      return leaf;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }

  /** A Parquet {@link InputFile} on a local path. */
  private static final class LocalInputFile implements InputFile {
    private final Path path;

    LocalInputFile(Path path) {
      this.path = path;
    }

    @Override
    public long getLength() throws IOException {
      return java.nio.file.Files.size(path);
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
      return new DelegatingSeekableInputStream(Channels.newInputStream(ch)) {
        @Override
        public long getPos() throws IOException {
          return ch.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          ch.position(newPos);
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
          while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
              throw new java.io.EOFException("end of " + path);
            }
          }
        }

        @Override
        public void close() throws IOException {
          ch.close();
        }
      };
    }
  }
}
