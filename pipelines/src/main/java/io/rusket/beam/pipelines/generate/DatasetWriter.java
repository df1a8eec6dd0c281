package io.rusket.beam.pipelines.generate;

import io.rusket.beam.pipelines.generate.Generator.Baskets;
import io.rusket.beam.pipelines.generate.Generator.Chunk;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.LocalFiles;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes generated data as Parquet, Arrow IPC or CSV files, for {@link GenerateData#write}: from a
 * {@link Dataset} in memory, or streamed from the model ({@link Baskets}) chunk by chunk, every
 * file of the transactions at once. Each file is written by a thread of its own, in transaction
 * order, so its bytes depend only on the data; what is held is one file writer each (a Parquet row
 * group, an Arrow batch) and a few chunks of {@value #CHUNK_TRANSACTIONS} transactions in flight.
 */
final class DatasetWriter {
  private DatasetWriter() {}

  /** Transactions per generated chunk. */
  static final int CHUNK_TRANSACTIONS = 1 << 15;

  /** Chunks queued per file writer before the generator waits. */
  private static final int QUEUE = 4;

  private static final Chunk END = new Chunk(0, 0, new int[0], new int[1], new int[0]);

  private static String extension(InputFormat f) {
    return f == InputFormat.ARROW ? ".arrow" : f == InputFormat.PARQUET ? ".parquet" : ".csv";
  }

  /** What {@link #write} did: the files, the counts and where the time went. */
  record Result(
      List<Path> files, long transactions, long events, long generateNanos, long totalNanos) {}

  /**
   * Writes the chosen layouts in the chosen formats under {@code dir} (created if needed; files
   * replaced), as {@code receipts|events|items.parquet|arrow|csv}, from data in memory.
   *
   * @return the files written
   */
  static List<Path> write(Dataset data, Path dir, Set<Layout> layouts, Set<InputFormat> formats)
      throws IOException {
    Chunk[] all = {Chunk.of(data)};
    Chunks once =
        max -> {
          Chunk c = all[0];
          all[0] = null;
          return c;
        };
    return write(data.config, data.storeIds, data.itemNames, dir, layouts, formats, once).files();
  }

  /**
   * As {@link #write(Dataset, Path, Set, Set)}, but the transactions are generated while they are
   * written, chunk by chunk: memory stays bounded whatever their number.
   */
  static Result write(Config config, Path dir, Set<Layout> layouts, Set<InputFormat> formats)
      throws IOException {
    Baskets b = new Baskets(config);
    return write(config, b.storeIds, b.itemNames, dir, layouts, formats, b::nextChunk);
  }

  /** A source of consecutive chunks; null after the last. */
  private interface Chunks {
    Chunk next(int max);
  }

  private static Result write(
      Config config,
      String[] storeIds,
      String[] itemNames,
      Path dir,
      Set<Layout> layouts,
      Set<InputFormat> formats,
      Chunks source)
      throws IOException {
    long t0 = System.nanoTime();
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    List<Path> sinkPaths = new ArrayList<>();
    List<Layout> sinkLayouts = new ArrayList<>();
    long sequenceVisits = 0; // the sequences layout's counts, reported when it is alone
    long sequenceEvents = 0;
    List<InputFormat> sinkFormats = new ArrayList<>();
    for (Layout layout : layouts) {
      for (InputFormat f : formats) {
        Path path = dir.resolve(layout.name().toLowerCase(Locale.ROOT) + extension(f));
        if (layout == Layout.SEQUENCES) {
          long[] counts = SequenceGenerator.write(config, path, f);
          sequenceVisits = counts[0];
          sequenceEvents = counts[1];
          written.add(path);
          continue;
        }
        if (layout == Layout.ITEMS) {
          try (Sink s = open(config, storeIds, itemNames, layout, f, path)) {
            s.items();
          }
        } else {
          sinkPaths.add(path);
          sinkLayouts.add(layout);
          sinkFormats.add(f);
        }
        written.add(path);
      }
    }
    long generate = 0;
    long transactions = 0;
    long events = 0;
    if (!sinkPaths.isEmpty()) {
      int nSinks = sinkPaths.size();
      List<BlockingQueue<Chunk>> queues = new ArrayList<>();
      List<Future<?>> futures = new ArrayList<>();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              nSinks,
              r -> {
                Thread t = new Thread(r, "generate-writer");
                t.setDaemon(true);
                return t;
              });
      try {
        for (int i = 0; i < nSinks; i++) {
          BlockingQueue<Chunk> q = new ArrayBlockingQueue<>(QUEUE);
          queues.add(q);
          Sink s =
              open(
                  config,
                  storeIds,
                  itemNames,
                  sinkLayouts.get(i),
                  sinkFormats.get(i),
                  sinkPaths.get(i));
          futures.add(pool.submit(() -> drain(s, q)));
        }
        while (true) {
          long g0 = System.nanoTime();
          Chunk c = source.next(CHUNK_TRANSACTIONS);
          generate += System.nanoTime() - g0;
          Chunk item = c == null ? END : c;
          for (int i = 0; i < nSinks; i++) {
            offer(queues.get(i), item, futures.get(i));
          }
          if (c == null) {
            break;
          }
          transactions += c.n;
          events += c.events();
        }
        for (Future<?> f : futures) {
          await(f);
        }
      } finally {
        pool.shutdownNow();
      }
    }
    if (sinkPaths.isEmpty() && sequenceVisits > 0) {
      transactions = sequenceVisits;
      events = sequenceEvents;
    }
    return new Result(written, transactions, events, generate, System.nanoTime() - t0);
  }

  /** Writes the queue's chunks to {@code s} until {@link #END}, then closes it. */
  private static Void drain(Sink s, BlockingQueue<Chunk> q)
      throws IOException, InterruptedException {
    try (Sink sink = s) {
      for (Chunk c = q.take(); c != END; c = q.take()) {
        sink.write(c);
      }
    }
    return null;
  }

  /**
   * Queues {@code c} for the writer {@code writer} that drains {@code q}, unless that writer
   * failed: then its failure is thrown. Only this queue's own writer is watched: another writer may
   * already have ended, legitimately, on the end marker queued to it just before.
   */
  private static void offer(BlockingQueue<Chunk> q, Chunk c, Future<?> writer) throws IOException {
    try {
      while (!q.offer(c, 50, TimeUnit.MILLISECONDS)) {
        if (writer.isDone()) {
          await(writer); // throws its failure; a writer never ends before its end marker otherwise
          throw new IllegalStateException("a file writer ended before the data did");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
  }

  private static void await(Future<?> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new UncheckedIOException(new IOException(c));
    }
  }

  private static Schema schema(Config config, String[] itemNames, Layout layout) {
    switch (layout) {
      case RECEIPTS:
        return GenerateData.receiptsSchema(itemNames);
      case EVENTS:
        return GenerateData.eventsSchema(config.itemNameColumn, config.utilityColumns);
      case ITEMS:
        return GenerateData.itemsSchema();
      default:
        throw new AssertionError(layout);
    }
  }

  private static Sink open(
      Config config, String[] storeIds, String[] itemNames, Layout layout, InputFormat f, Path path)
      throws IOException {
    Schema schema = schema(config, itemNames, layout);
    switch (f) {
      case PARQUET:
        return new ParquetSink(config, storeIds, itemNames, layout, schema, path);
      case ARROW:
        return new ArrowSink(config, storeIds, itemNames, layout, schema, path);
      case CSV:
        return new CsvSink(config, storeIds, itemNames, layout, schema, path);
      default:
        throw new AssertionError(f);
    }
  }

  /** One file: its layout's rows for each chunk in order ({@code items()} for the item table). */
  private abstract static class Sink implements Closeable {
    final Config config;
    final String[] storeIds;
    final String[] itemNames;
    final Layout layout;

    Sink(Config config, String[] storeIds, String[] itemNames, Layout layout) {
      this.config = config;
      this.storeIds = storeIds;
      this.itemNames = itemNames;
      this.layout = layout;
    }

    /** Writes the rows of the transactions of {@code c} (events or receipts). */
    abstract void write(Chunk c) throws IOException;

    /** Writes the item table. */
    abstract void items() throws IOException;
  }

  private static final class ParquetSink extends Sink {
    private final ParquetWriter<GenericRecord> w;
    private final GenericData.Record r;
    private final Utf8[] stores;
    private final Utf8[] names;

    /** The item ids boxed once: no allocation per event. */
    private final Integer[] ids;

    ParquetSink(
        Config config,
        String[] storeIds,
        String[] itemNames,
        Layout layout,
        Schema schema,
        Path path)
        throws IOException {
      super(config, storeIds, itemNames, layout);
      org.apache.avro.Schema avro = AvroUtils.toAvroSchema(schema);
      w = LocalFiles.parquetWriter(path, avro);
      // One record, refilled per row: the writer copies its values into the column stores.
      r = new GenericData.Record(avro);
      stores = utf8(storeIds);
      names = utf8(itemNames);
      ids = new Integer[itemNames.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i;
      }
      if (layout == Layout.RECEIPTS) {
        for (int i = 0; i < itemNames.length; i++) {
          r.put(1 + i, Boolean.FALSE);
        }
      }
    }

    private static Utf8[] utf8(String[] s) {
      Utf8[] u = new Utf8[s.length];
      for (int i = 0; i < s.length; i++) {
        u[i] = new Utf8(s[i]);
      }
      return u;
    }

    @Override
    void write(Chunk c) throws IOException {
      final int[] store = c.store;
      final int[] offsets = c.offsets;
      final int[] items = c.items;
      if (layout == Layout.EVENTS) {
        boolean withNames = config.itemNameColumn;
        for (int t = 0; t < c.n; t++) {
          r.put(0, stores[store[t]]);
          r.put(1, c.firstId + t);
          for (int p = offsets[t]; p < offsets[t + 1]; p++) {
            r.put(2, ids[items[p]]);
            if (withNames) {
              r.put(3, names[items[p]]);
            }
            if (config.utilityColumns) {
              int u = withNames ? 4 : 3;
              long id = c.firstId + t;
              r.put(u, GenerateData.quantity(config.seed, id, items[p]));
              r.put(u + 1, GenerateData.profitCents(config.seed, id, items[p]) / 100.0);
            }
            w.write(r);
          }
        }
      } else {
        for (int t = 0; t < c.n; t++) {
          r.put(0, stores[store[t]]);
          for (int p = offsets[t]; p < offsets[t + 1]; p++) {
            r.put(1 + items[p], Boolean.TRUE);
          }
          w.write(r);
          for (int p = offsets[t]; p < offsets[t + 1]; p++) {
            r.put(1 + items[p], Boolean.FALSE);
          }
        }
      }
    }

    @Override
    void items() throws IOException {
      for (int i = 0; i < itemNames.length; i++) {
        r.put(0, ids[i]);
        r.put(1, names[i]);
        w.write(r);
      }
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }

  private static final class ArrowSink extends Sink {
    private final BufferAllocator alloc;
    private final VectorSchemaRoot root;
    private final FileChannel ch;
    private final ArrowFileWriter w;
    private final byte[][] storeBytes;
    private final byte[][] nameBytes;
    private int rows;

    ArrowSink(
        Config config,
        String[] storeIds,
        String[] itemNames,
        Layout layout,
        Schema schema,
        Path path)
        throws IOException {
      super(config, storeIds, itemNames, layout);
      List<Field> fields = new ArrayList<>();
      for (Schema.Field f : schema.getFields()) {
        fields.add(Field.notNullable(f.getName(), LocalFiles.arrowType(f.getType())));
      }
      alloc = new RootAllocator();
      root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(fields), alloc);
      ch =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
      w = new ArrowFileWriter(root, null, ch);
      w.start();
      storeBytes = bytes(storeIds);
      nameBytes = bytes(itemNames);
      root.allocateNew();
    }

    private static byte[][] bytes(String[] s) {
      byte[][] b = new byte[s.length][];
      for (int i = 0; i < s.length; i++) {
        b[i] = s[i].getBytes(StandardCharsets.UTF_8);
      }
      return b;
    }

    /** Counts a row; a full batch is written. */
    private void row() throws IOException {
      if (++rows == LocalFiles.ARROW_BATCH_ROWS) {
        root.setRowCount(rows);
        w.writeBatch();
        root.allocateNew();
        rows = 0;
      }
    }

    @Override
    void write(Chunk c) throws IOException {
      final int[] store = c.store;
      final int[] offsets = c.offsets;
      final int[] items = c.items;
      if (layout == Layout.EVENTS) {
        VarCharVector s = (VarCharVector) root.getVector(0);
        BigIntVector txn = (BigIntVector) root.getVector(1);
        IntVector item = (IntVector) root.getVector(2);
        VarCharVector name = config.itemNameColumn ? (VarCharVector) root.getVector(3) : null;
        int u = config.itemNameColumn ? 4 : 3;
        IntVector qty = config.utilityColumns ? (IntVector) root.getVector(u) : null;
        Float8Vector profit = config.utilityColumns ? (Float8Vector) root.getVector(u + 1) : null;
        for (int t = 0; t < c.n; t++) {
          byte[] sb = storeBytes[store[t]];
          long id = c.firstId + t;
          for (int p = offsets[t]; p < offsets[t + 1]; p++) {
            s.setSafe(rows, sb);
            txn.setSafe(rows, id);
            item.setSafe(rows, items[p]);
            if (name != null) {
              name.setSafe(rows, nameBytes[items[p]]);
            }
            if (qty != null) {
              qty.setSafe(rows, GenerateData.quantity(config.seed, id, items[p]));
              profit.setSafe(rows, GenerateData.profitCents(config.seed, id, items[p]) / 100.0);
            }
            row();
          }
        }
      } else {
        VarCharVector s = (VarCharVector) root.getVector(0);
        int m = itemNames.length;
        BitVector[] cols = new BitVector[m];
        for (int i = 0; i < m; i++) {
          cols[i] = (BitVector) root.getVector(1 + i);
        }
        for (int t = 0; t < c.n; t++) {
          s.setSafe(rows, storeBytes[store[t]]);
          for (int i = 0; i < m; i++) {
            cols[i].setSafe(rows, 0);
          }
          for (int p = offsets[t]; p < offsets[t + 1]; p++) {
            cols[items[p]].setSafe(rows, 1);
          }
          row();
        }
      }
    }

    @Override
    void items() throws IOException {
      IntVector id = (IntVector) root.getVector(0);
      VarCharVector name = (VarCharVector) root.getVector(1);
      for (int i = 0; i < nameBytes.length; i++) {
        id.setSafe(rows, i);
        name.setSafe(rows, nameBytes[i]);
        row();
      }
    }

    @Override
    public void close() throws IOException {
      try (alloc;
          root;
          ch;
          w) {
        if (rows > 0) {
          root.setRowCount(rows);
          w.writeBatch();
        }
        w.end();
      }
    }
  }

  private static final class CsvSink extends Sink {
    private final BufferedWriter w;
    private final StringBuilder sb = new StringBuilder();
    private final boolean[] row;

    CsvSink(
        Config config,
        String[] storeIds,
        String[] itemNames,
        Layout layout,
        Schema schema,
        Path path)
        throws IOException {
      super(config, storeIds, itemNames, layout);
      w = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
      w.write(String.join(",", schema.getFieldNames()));
      w.write('\n');
      row = new boolean[itemNames.length];
    }

    @Override
    void write(Chunk c) throws IOException {
      final int[] offsets = c.offsets;
      final int[] items = c.items;
      if (layout == Layout.EVENTS) {
        for (int t = 0; t < c.n; t++) {
          for (int p = offsets[t]; p < offsets[t + 1]; p++) {
            sb.setLength(0);
            sb.append(storeIds[c.store[t]])
                .append(',')
                .append(c.firstId + t)
                .append(',')
                .append(items[p]);
            if (config.itemNameColumn) {
              sb.append(',').append(itemNames[items[p]]);
            }
            if (config.utilityColumns) {
              long id = c.firstId + t;
              long cents = GenerateData.profitCents(config.seed, id, items[p]);
              sb.append(',')
                  .append(GenerateData.quantity(config.seed, id, items[p]))
                  .append(',')
                  .append(cents / 100)
                  .append('.')
                  .append((char) ('0' + cents % 100 / 10))
                  .append((char) ('0' + cents % 10));
            }
            w.append(sb).append('\n');
          }
        }
      } else {
        int m = itemNames.length;
        for (int t = 0; t < c.n; t++) {
          Arrays.fill(row, false);
          for (int p = offsets[t]; p < offsets[t + 1]; p++) {
            row[items[p]] = true;
          }
          sb.setLength(0);
          sb.append(storeIds[c.store[t]]);
          for (int i = 0; i < m; i++) {
            sb.append(row[i] ? ",1" : ",0");
          }
          w.append(sb).append('\n');
        }
      }
    }

    @Override
    void items() throws IOException {
      for (int i = 0; i < itemNames.length; i++) {
        w.append(Integer.toString(i)).append(',').append(itemNames[i]).append('\n');
      }
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }
}
