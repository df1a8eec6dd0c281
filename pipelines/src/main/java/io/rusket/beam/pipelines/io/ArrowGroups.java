package io.rusket.beam.pipelines.io;

import io.rusket.beam.pipelines.io.GroupChunks.AccumulateFn;
import io.rusket.beam.pipelines.io.GroupChunks.GroupIndex;
import io.rusket.beam.transforms.BundleAccumulators;
import io.rusket.beam.transforms.GroupBaskets;
import io.rusket.beam.transforms.GroupEvents;
import io.rusket.beam.transforms.KeyColumn;
import io.rusket.beam.transforms.KeyKind;
import io.rusket.beam.transforms.MineGrouped;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Arrow IPC files read column-wise into per-group accumulators for {@link MineGrouped}: events
 * {@code (group, transaction, item)} into {@link GroupEvents} ({@link #readEvents}, for {@link
 * MineGrouped#ofGroupEvents}), one-hot receipts into {@link GroupBaskets} through a bitmap per
 * record batch ({@link #readOneHot}, for {@link MineGrouped#ofGroupBaskets}) — no Row, boxed value
 * or object per event or receipt (string keys become Strings once per run of equal values, and
 * through a small per-reader cache otherwise).
 *
 * <p>Shape: the files are matched, each file's record batches listed from its footer
 * ("ListBatches"), the (file, batch) splits spread over the workers ({@link Reshuffle}), and each
 * read batch by batch ("ReadBatches"), so that every core reads. The accumulators of a bundle share
 * one byte budget ({@link #withMaxBundleBytes}, default {@link
 * MineGrouped#DEFAULT_MAX_BUNDLE_BYTES}); past it the largest are sent on, compact (metric {@code
 * bundleFlushes}), as {@link MineGrouped#events} does.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * Schema cols = TableSource.from("events-*.arrow")
 *     .withColumns("store_id", "transaction_id", "item_id").getSchema();
 * PCollection<Row> freq = p
 *     .apply(ArrowGroups.readEvents("events-*.arrow", cols, "store_id", "transaction_id", "item_id"))
 *     .apply(MineGrouped.ofGroupEvents(cols.getField("store_id"), KeyKind.INTEGER, KeyKind.INTEGER)
 *         .withMinSupport(0.01));
 * }</pre>
 *
 * <p>Column types: the group, transaction and item columns are Utf8/LargeUtf8 (STRING) or signed
 * Int 8/16/32/64; one-hot item columns Bool or signed Int holding 0/1 — as {@link TableSource}
 * reads them, and in every file as in the {@code schema} given. <b>Memory.</b> One record batch at
 * a time per reader (off-heap, Arrow's allocator) with its primitive columns, plus the bundle's
 * accumulators (the budget). A null, a one-hot value other than 0/1, a missing or mistyped column
 * is an {@link IllegalArgumentException} naming the file, the column, the record batch and the row.
 * Needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on Java 17, as all Arrow reading.
 */
public final class ArrowGroups {
  private ArrowGroups() {}

  /**
   * Reads events: the columns {@code groupCol}, {@code txnCol}, {@code itemCol} of {@code schema}
   * (the files' types, e.g. {@link TableSource#getSchema()}), each STRING or integer.
   *
   * @throws IllegalArgumentException if a column is not in {@code schema} or has another type
   */
  public static Read<GroupEvents> readEvents(
      String filepattern, Schema schema, String groupCol, String txnCol, String itemCol) {
    return new Read<>(
        filepattern,
        schema,
        groupCol,
        new String[] {txnCol, itemCol},
        true,
        MineGrouped.DEFAULT_MAX_BUNDLE_BYTES);
  }

  /**
   * Reads one-hot receipts: the group column {@code groupCol} and the item columns {@code
   * itemColumns} (Bool or 0/1 integers) of {@code schema}; item {@code j} of the baskets is {@code
   * itemColumns[j]}.
   *
   * @throws IllegalArgumentException if a column is not in {@code schema} or has another type
   */
  public static Read<GroupBaskets> readOneHot(
      String filepattern, Schema schema, String groupCol, String... itemColumns) {
    return new Read<>(
        filepattern,
        schema,
        groupCol,
        itemColumns.clone(),
        false,
        MineGrouped.DEFAULT_MAX_BUNDLE_BYTES);
  }

  /** The key kind of a STRING or integer column. */
  public static KeyKind keyKind(FieldType type) {
    return type.getTypeName() == TypeName.STRING ? KeyKind.STRING : KeyKind.INTEGER;
  }

  /**
   * The read: {@code PBegin → KV<group Row, A>}, the key a Row of the group column alone.
   *
   * @param <A> {@link GroupEvents} or {@link GroupBaskets}
   */
  public static final class Read<A> extends PTransform<PBegin, PCollection<KV<Row, A>>> {
    private static final long serialVersionUID = 1L;
    private final String filepattern;
    private final Schema schema;
    private final String groupCol;

    /** Events: transaction and item columns; one-hot: the item columns. */
    private final String[] columns;

    private final boolean events;
    private final long maxBundleBytes;

    private Read(
        String filepattern,
        Schema schema,
        String groupCol,
        String[] columns,
        boolean events,
        long maxBundleBytes) {
      this.filepattern = filepattern;
      this.schema = schema;
      this.groupCol = groupCol;
      this.columns = columns;
      this.events = events;
      this.maxBundleBytes = maxBundleBytes;
      checkColumns(schema, groupCol, columns, events);
    }

    /**
     * The byte budget of the accumulators of one bundle (default {@link
     * MineGrouped#DEFAULT_MAX_BUNDLE_BYTES}).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Read<A> withMaxBundleBytes(long maxBundleBytes) {
      checkBudget(maxBundleBytes);
      return new Read<>(filepattern, schema, groupCol, columns, events, maxBundleBytes);
    }

    /** The group field, as the key Rows hold it. */
    public Schema.Field groupField() {
      return schema.getField(groupCol);
    }

    @Override
    @SuppressWarnings("unchecked")
    public PCollection<KV<Row, A>> expand(PBegin input) {
      Schema keySchema = Schema.builder().addField(groupField()).build();
      PCollection<KV<String, Integer>> splits =
          input
              .apply("MatchFiles", FileIO.match().filepattern(filepattern))
              .apply("ListBatches", ParDo.of(new ListBatchesFn()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
              .apply("SpreadBatches", Reshuffle.viaRandomKey());
      if (events) {
        Schema.Field txn = schema.getField(columns[0]);
        Schema.Field item = schema.getField(columns[1]);
        return (PCollection<KV<Row, A>>)
            (PCollection<?>)
                splits
                    .apply(
                        "ReadBatches",
                        ParDo.of(
                            new ReadEventsFn(keySchema, maxBundleBytes, groupField(), txn, item)))
                    .setCoder(KvCoder.of(RowCoder.of(keySchema), GroupEvents.coder()));
      }
      return (PCollection<KV<Row, A>>)
          (PCollection<?>)
              splits
                  .apply(
                      "ReadBatches",
                      ParDo.of(
                          new ReadOneHotFn(
                              keySchema, maxBundleBytes, groupField(), schema, columns)))
                  .setCoder(KvCoder.of(RowCoder.of(keySchema), GroupBaskets.coder()));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("filepattern", filepattern).withLabel("Input files"))
          .add(DisplayData.item("layout", events ? "events" : "one-hot").withLabel("Input layout"))
          .add(DisplayData.item("groupCol", groupCol).withLabel("Group column"))
          .add(DisplayData.item("columns", String.join(", ", columns)).withLabel("Columns read"))
          .add(
              DisplayData.item("maxBundleBytes", maxBundleBytes)
                  .withLabel("Memory budget of the per-bundle accumulators (bytes)"));
    }
  }

  /**
   * Checks the columns of a grouped read: the group column and, for events, the transaction and
   * item columns STRING or integer; for one-hot, at least one item column, each BOOLEAN or integer.
   */
  static void checkColumns(Schema schema, String groupCol, String[] columns, boolean events) {
    checkType(schema, groupCol, "group", false);
    if (columns.length == 0) {
      throw new IllegalArgumentException("readOneHot needs at least one item column");
    }
    for (String c : columns) {
      checkType(schema, c, events ? "event" : "one-hot item", !events);
    }
  }

  /** Checks a bundle budget. */
  static void checkBudget(long maxBundleBytes) {
    if (maxBundleBytes < 1) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid maxBundleBytes: %s. Valid range is [1, %s].",
              maxBundleBytes, Long.MAX_VALUE));
    }
  }

  private static void checkType(Schema schema, String col, String role, boolean oneHotItem) {
    if (col == null || !schema.hasField(col)) {
      throw new IllegalArgumentException(
          String.format(
              "The %s column '%s' is not in the schema; columns are %s",
              role, col, schema.getFieldNames()));
    }
    TypeName t = schema.getField(col).getType().getTypeName();
    boolean ok =
        oneHotItem ? t == TypeName.BOOLEAN || GroupChunks.isInteger(t) : GroupChunks.isKeyType(t);
    if (!ok) {
      throw new IllegalArgumentException(
          String.format(
              "The %s column '%s' is %s; it must be %s",
              role,
              col,
              schema.getField(col).getType(),
              oneHotItem ? "BOOLEAN or a 0/1 integer" : "STRING or an integer"));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Splits

  /** A file → (file, batch index) per record batch of its footer. */
  private static final class ListBatchesFn extends DoFn<Metadata, KV<String, Integer>> {
    private static final long serialVersionUID = 1L;
    private final Counter files = Metrics.counter(TableSource.METRICS_NAMESPACE, "filesRead");

    @ProcessElement
    public void processElement(@Element Metadata md, OutputReceiver<KV<String, Integer>> out)
        throws IOException {
      String name = md.resourceId().toString();
      int blocks;
      try (SeekableByteChannel ch = SeekableChannels.open(md.resourceId());
          BufferAllocator alloc = new RootAllocator();
          ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
        blocks = reader.getRecordBlocks().size();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "Cannot read the Arrow IPC footer of " + name + ": " + e.getMessage(), e);
      }
      files.inc();
      for (int b = 0; b < blocks; b++) {
        out.output(KV.of(name, b));
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  /** The open file of a reader, kept across the splits of a bundle that name it. */
  private static final class OpenFile implements AutoCloseable {
    final String name;
    final SeekableByteChannel channel;
    final ArrowFileReader reader;
    final VectorSchemaRoot root;
    final List<ArrowBlock> blocks;

    OpenFile(String name, BufferAllocator allocator) throws IOException {
      this.name = name;
      this.channel = SeekableChannels.open(FileSystems.matchNewResource(name, false));
      this.reader = new ArrowFileReader(channel, allocator);
      this.root = reader.getVectorSchemaRoot();
      this.blocks = reader.getRecordBlocks();
    }

    /** The vector of column {@code col}, checked to have the type {@code want}. */
    FieldVector column(String col, FieldType want) {
      FieldVector v = root.getVector(col);
      List<String> present = new ArrayList<>();
      for (Field f : root.getSchema().getFields()) {
        present.add(f.getName());
      }
      FieldType got = v == null ? null : ArrowTable.arrowType(v.getField());
      boolean ok = got != null && got.getTypeName() == want.getTypeName();
      if (!ok) {
        throw new IllegalArgumentException(
            String.format(
                "Column '%s' of %s is %s; expected %s (the type in the first file). Columns"
                    + " present: %s",
                col,
                name,
                v == null ? "missing" : v.getField().getType(),
                Schemas.describe(want),
                present));
      }
      return v;
    }

    @Override
    public void close() throws IOException {
      reader.close();
      channel.close();
    }
  }

  /** Reads the splits' batches; subclasses turn a loaded batch into a chunk. */
  private abstract static class ReadBatchesFn<A> extends AccumulateFn<KV<String, Integer>, A> {
    private static final long serialVersionUID = 1L;
    private final Counter batches = Metrics.counter(TableSource.METRICS_NAMESPACE, "batchesRead");
    private final Counter rows = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");
    final Schema.Field group;
    private transient @Nullable BufferAllocator allocator;
    private transient @Nullable OpenFile file;
    transient @Nullable GroupIndex groupIndex;
    private transient @Nullable Utf8Column groupStrings;
    private transient long[] groupLongs;

    ReadBatchesFn(Schema keySchema, long maxBundleBytes, Schema.Field group) {
      super(keySchema, maxBundleBytes);
      this.group = group;
    }

    @Setup
    public void setup() {
      allocator = new RootAllocator();
      groupIndex = new GroupIndex(group.getType().getTypeName());
      groupStrings = new Utf8Column();
      groupLongs = new long[0];
    }

    @Teardown
    public void teardown() throws IOException {
      closeFile();
      if (allocator != null) {
        allocator.close();
      }
    }

    private void closeFile() throws IOException {
      if (file != null) {
        file.close();
        file = null;
      }
    }

    @ProcessElement
    public void processElement(@Element KV<String, Integer> split, OutputReceiver<KV<Row, A>> out)
        throws IOException {
      String name = split.getKey();
      int batch = split.getValue();
      try {
        if (file == null || !file.name.equals(name)) {
          closeFile();
          try {
            file = new OpenFile(name, allocator);
          } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                "Cannot read the Arrow IPC footer of " + name + ": " + e.getMessage(), e);
          }
        }
        if (batch >= file.blocks.size()) {
          throw new IllegalArgumentException(
              name + " has " + file.blocks.size() + " record batches, not " + (batch + 1));
        }
        if (!file.reader.loadRecordBatch(file.blocks.get(batch))) {
          throw new IllegalArgumentException(
              "Cannot load record batch " + batch + " of Arrow file " + name);
        }
        int n = file.root.getRowCount();
        batches.inc();
        if (n == 0) {
          return;
        }
        FieldVector g = file.column(group.getName(), group.getType());
        Object[] groups = readGroups(g, n, name, batch);
        afterChunk(addBatch(file, groups, groupIndex.ofRow(), n, name, batch), out);
        rows.inc(n);
      } catch (IllegalArgumentException e) {
        closeFile();
        throw e;
      } catch (RuntimeException e) {
        closeFile();
        throw new IllegalArgumentException(
            "Cannot read record batch " + batch + " of Arrow file " + name + ": " + e, e);
      }
    }

    @FinishBundle
    @Override
    public void finishBundle(FinishBundleContext c) {
      super.finishBundle(c);
      try {
        closeFile();
      } catch (IOException e) {
        throw new IllegalStateException("Cannot close " + e.getMessage(), e);
      }
    }

    private Object[] readGroups(FieldVector g, int n, String name, int batch) {
      checkNoNulls(g, n, name, batch, "group");
      if (g instanceof VarCharVector || g instanceof LargeVarCharVector) {
        return groupIndex.indexStrings(groupStrings.read(g, n), n);
      }
      if (groupLongs.length < n) {
        groupLongs = new long[n];
      }
      readLongs(g, n, groupLongs);
      return groupIndex.indexLongs(groupLongs, n);
    }

    /** Adds the loaded batch's {@code n} rows; returns true if the budget is now passed. */
    abstract boolean addBatch(
        OpenFile file, Object[] groups, int[] groupOfRow, int n, String name, int batch);
  }

  /** Events: (group, transaction, item) columns → GroupEvents per group. */
  private static final class ReadEventsFn extends ReadBatchesFn<GroupEvents> {
    private static final long serialVersionUID = 1L;
    private final Schema.Field txnField;
    private final Schema.Field itemField;
    private final KeyKind txnKind;
    private final KeyKind itemKind;
    private transient @Nullable KeyReader txn;
    private transient @Nullable KeyReader item;

    ReadEventsFn(
        Schema keySchema,
        long maxBundleBytes,
        Schema.Field group,
        Schema.Field txnField,
        Schema.Field itemField) {
      super(keySchema, maxBundleBytes, group);
      this.txnField = txnField;
      this.itemField = itemField;
      this.txnKind = keyKind(txnField.getType());
      this.itemKind = keyKind(itemField.getType());
    }

    @Override
    @Setup
    public void setup() {
      super.setup();
      txn = new KeyReader();
      item = new KeyReader();
    }

    @Override
    BundleAccumulators<GroupEvents> newPending() {
      return BundleAccumulators.ofEvents(txnKind, itemKind, maxBundleBytes);
    }

    @Override
    GroupEvents compact(GroupEvents a) {
      return a.trim();
    }

    @Override
    boolean addBatch(
        OpenFile file, Object[] groups, int[] groupOfRow, int n, String name, int batch) {
      FieldVector tv = file.column(txnField.getName(), txnField.getType());
      FieldVector iv = file.column(itemField.getName(), itemField.getType());
      checkNoNulls(tv, n, name, batch, "transaction");
      checkNoNulls(iv, n, name, batch, "item");
      KeyColumn t = txn.read(tv, n);
      KeyColumn i = item.read(iv, n);
      return pending.addChunk(
          groups,
          groupOfRow,
          n,
          org.apache.beam.sdk.transforms.windowing.GlobalWindow.INSTANCE,
          (events, rows, from, to) -> events.addChunk(t, i, rows, from, to));
    }
  }

  /** One-hot: the group column and Bool / 0-1 integer item columns → GroupBaskets per group. */
  private static final class ReadOneHotFn extends ReadBatchesFn<GroupBaskets> {
    private static final long serialVersionUID = 1L;
    private final String[] itemCols;
    private final FieldType[] itemTypes;
    private transient long[] words;

    ReadOneHotFn(
        Schema keySchema,
        long maxBundleBytes,
        Schema.Field group,
        Schema schema,
        String[] itemCols) {
      super(keySchema, maxBundleBytes, group);
      this.itemCols = itemCols;
      this.itemTypes = new FieldType[itemCols.length];
      for (int j = 0; j < itemCols.length; j++) {
        itemTypes[j] = schema.getField(itemCols[j]).getType();
      }
    }

    @Override
    @Setup
    public void setup() {
      super.setup();
      words = new long[0];
    }

    @Override
    BundleAccumulators<GroupBaskets> newPending() {
      return BundleAccumulators.ofBaskets(maxBundleBytes);
    }

    @Override
    GroupBaskets compact(GroupBaskets a) {
      return a.compact();
    }

    @Override
    boolean addBatch(
        OpenFile file, Object[] groups, int[] groupOfRow, int n, String name, int batch) {
      final int wpr = (itemCols.length + 63) >>> 6;
      if (words.length < (long) n * wpr) {
        words = new long[Math.multiplyExact(n, wpr)];
      } else {
        Arrays.fill(words, 0, n * wpr, 0L);
      }
      final long[] w = words;
      for (int j = 0; j < itemCols.length; j++) {
        FieldVector v = file.column(itemCols[j], itemTypes[j]);
        checkNoNulls(v, n, name, batch, "item");
        final int word = j >>> 6;
        final long bit = 1L << (j & 63);
        if (v instanceof BitVector) {
          ArrowBuf data = v.getDataBuffer();
          for (int r = 0; r < n; r++) {
            if (BitVectorHelper.get(data, r) != 0) {
              w[r * wpr + word] |= bit;
            }
          }
        } else {
          long[] vals = new long[n];
          readLongs(v, n, vals);
          for (int r = 0; r < n; r++) {
            long x = vals[r];
            if (x == 1) {
              w[r * wpr + word] |= bit;
            } else if (x != 0) {
              throw new IllegalArgumentException(
                  String.format(
                      "%s: one-hot item column '%s' holds %d at row %d of record batch %d; items"
                          + " must be 0 or 1 (or false/true); rows are never dropped",
                      name, itemCols[j], x, r, batch));
            }
          }
        }
      }
      return pending.addChunk(
          groups,
          groupOfRow,
          n,
          org.apache.beam.sdk.transforms.windowing.GlobalWindow.INSTANCE,
          (baskets, rows, from, to) -> baskets.addBitmapRows(w, wpr, rows, from, to));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Column helpers

  private static void checkNoNulls(FieldVector v, int n, String name, int batch, String role) {
    if (v.getNullCount() > 0) {
      for (int r = 0; r < n; r++) {
        if (v.isNull(r)) {
          throw new IllegalArgumentException(
              String.format(
                  "%s: %s column '%s' is null at row %d of record batch %d (rows are never"
                      + " dropped silently)",
                  name, role, v.getName(), r, batch));
        }
      }
    }
  }

  /** Reads a signed integer vector's first {@code n} values (nulls are checked apart). */
  private static void readLongs(FieldVector v, int n, long[] out) {
    ArrowPairs.signedInts(v, n, out);
  }

  /** Reads a key column (STRING or integer) into reused arrays. */
  private static final class KeyReader {
    private long[] longs = new long[0];
    private final Utf8Column strings = new Utf8Column();

    KeyColumn read(FieldVector v, int n) {
      if (v instanceof VarCharVector || v instanceof LargeVarCharVector) {
        return KeyColumn.ofStrings(strings.read(v, n));
      }
      if (longs.length < n) {
        longs = new long[n];
      }
      readLongs(v, n, longs);
      return KeyColumn.ofLongs(longs);
    }
  }

  /**
   * A Utf8 / LargeUtf8 column decoded into a reused {@code String[]}: a row equal to the previous
   * one reuses its String, other values come from a cache keyed by their bytes (cleared when it
   * holds {@value #MAX_CACHED} values), so a String is created once per distinct value, not per
   * row. Decoded as {@link ArrowTable} decodes (replacing malformed bytes), so both paths see the
   * same keys.
   */
  static final class Utf8Column {
    static final int MAX_CACHED = 1 << 16;
    private String[] out = new String[0];
    private byte[][] keys = new byte[1 << 10][];
    private String[] values = new String[1 << 10];
    private int[] hashes = new int[1 << 10];
    private int size;

    String[] read(FieldVector v, int n) {
      if (out.length < n) {
        out = new String[n];
      }
      final boolean large = v instanceof LargeVarCharVector;
      final ArrowBuf offsets = v.getOffsetBuffer();
      final ArrowBuf data = v.getDataBuffer();
      long prevStart = 0;
      long prevEnd = -1;
      for (int r = 0; r < n; r++) {
        long start = large ? offsets.getLong((long) r << 3) : offsets.getInt((long) r << 2);
        long end =
            large ? offsets.getLong((long) (r + 1) << 3) : offsets.getInt((long) (r + 1) << 2);
        if (prevEnd >= 0
            && ByteFunctionHelpers.equal(data, prevStart, prevEnd, data, start, end) == 1) {
          out[r] = out[r - 1];
        } else {
          out[r] = lookup(data, start, (int) (end - start));
        }
        prevStart = start;
        prevEnd = end;
      }
      return out;
    }

    private String lookup(ArrowBuf data, long start, int len) {
      int h = 1;
      for (int k = 0; k < len; k++) {
        h = 31 * h + data.getByte(start + k);
      }
      h ^= h >>> 16;
      int mask = keys.length - 1;
      for (int slot = h & mask; ; slot = (slot + 1) & mask) {
        byte[] key = keys[slot];
        if (key == null) {
          byte[] b = new byte[len];
          data.getBytes(start, b);
          String s = new String(b, StandardCharsets.UTF_8);
          insert(b, s, h);
          return s;
        }
        if (hashes[slot] == h && key.length == len && equal(data, start, key)) {
          return values[slot];
        }
      }
    }

    private static boolean equal(ArrowBuf data, long start, byte[] key) {
      for (int k = 0; k < key.length; k++) {
        if (data.getByte(start + k) != key[k]) {
          return false;
        }
      }
      return true;
    }

    private void insert(byte[] key, String value, int h) {
      if (size >= MAX_CACHED) {
        Arrays.fill(keys, null);
        Arrays.fill(values, null);
        size = 0;
      }
      if (2 * (size + 1) > keys.length) {
        byte[][] oldKeys = keys;
        String[] oldValues = values;
        int[] oldHashes = hashes;
        keys = new byte[oldKeys.length * 2][];
        values = new String[keys.length];
        hashes = new int[keys.length];
        size = 0;
        for (int s = 0; s < oldKeys.length; s++) {
          if (oldKeys[s] != null) {
            place(oldKeys[s], oldValues[s], oldHashes[s]);
          }
        }
      }
      place(key, value, h);
    }

    private void place(byte[] key, String value, int h) {
      int mask = keys.length - 1;
      int slot = h & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      values[slot] = value;
      hashes[slot] = h;
      size++;
    }
  }
}
