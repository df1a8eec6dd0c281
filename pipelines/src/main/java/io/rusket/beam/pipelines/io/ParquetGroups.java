package io.rusket.beam.pipelines.io;

import io.rusket.beam.pipelines.io.GroupChunks.AccumulateFn;
import io.rusket.beam.pipelines.io.GroupChunks.GroupIndex;
import io.rusket.beam.transforms.BundleAccumulators;
import io.rusket.beam.transforms.GroupBaskets;
import io.rusket.beam.transforms.GroupEvents;
import io.rusket.beam.transforms.KeyColumn;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.MineSequences;
import io.rusket.beam.transforms.SequenceEvents;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Parquet files read column-wise into per-group accumulators for {@link MineGrouped}, as {@link
 * ArrowGroups} does for Arrow: events {@code (group, transaction, item)} into {@link GroupEvents}
 * ({@link #readEvents}, for {@link MineGrouped#ofGroupEvents}), one-hot receipts into {@link
 * GroupBaskets} through a bitmap per slice of a row group ({@link #readOneHot}, for {@link
 * MineGrouped#ofGroupBaskets}), and sequence events {@code (group or none, sequence, time, item)}
 * into {@link SequenceEvents} ({@link #readSequences}, for {@link MineSequences#ofSequenceEvents})
 * — no Avro record, Row or boxed value per event or receipt.
 *
 * <p>Shape: {@link ParquetColumns#splits(long)} (one split per row group, row groups of more than
 * {@value #SPLIT_ROWS} rows cut into ranges of rows, reshuffled so that every core reads), then
 * each split read a slice of {@value #SLICE_ROWS} rows at a time ({@link ParquetColumns#open}) into
 * the accumulators of the bundle, which share one byte budget ({@link #withMaxBundleBytes}, default
 * {@link MineGrouped#DEFAULT_MAX_BUNDLE_BYTES}); past it the largest are sent on (metric {@code
 * bundleFlushes}).
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * Schema cols = TableSource.from("events-*.parquet")
 *     .withColumns("store_id", "transaction_id", "item_id").getSchema();
 * PCollection<Row> freq = p
 *     .apply(ParquetGroups.readEvents("events-*.parquet", cols, "store_id", "transaction_id",
 *         "item_id"))
 *     .apply(MineGrouped.ofGroupEvents(cols.getField("store_id"), KeyKind.INTEGER, KeyKind.INTEGER)
 *         .withMinSupport(0.01));
 * }</pre>
 *
 * <p>Columns: group, transaction and item columns STRING (BINARY) or INT32/INT64; one-hot item
 * columns BOOLEAN or INT32/INT64 of 0/1. A null, another value in a one-hot column, or a missing or
 * mistyped column is an {@link IllegalArgumentException} naming the file, the column, the row group
 * and the row ({@link ParquetColumns}). <b>Memory.</b> Per reader, one slice of decoded columns and
 * the compressed column chunks of one split, plus the bundle's accumulators (the budget).
 */
public final class ParquetGroups {
  private ParquetGroups() {}

  /** Rows decoded at a time from a split. */
  public static final int SLICE_ROWS = 1 << 16;

  /**
   * Row groups of more rows are read as several splits of consecutive rows ({@link
   * ParquetColumns#splits(long)}): so that a file of one large row group is read on every core, and
   * what one split hands on at once (on the DirectRunner and Spark, an element's outputs are held
   * until it is done) stays small.
   */
  public static final long SPLIT_ROWS = 1L << 19;

  /**
   * Reads events: the columns {@code groupCol}, {@code txnCol}, {@code itemCol} of {@code schema}
   * (the files' Beam types, e.g. {@link TableSource#getSchema()}), each STRING or integer.
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
        Layout.EVENTS,
        MineGrouped.DEFAULT_MAX_BUNDLE_BYTES);
  }

  /**
   * Reads sequence events for {@link MineSequences#ofSequenceEvents}: the columns {@code groupCol}
   * (null: one global group, keyed as {@link MineSequences#keySchema}{@code (null)}), {@code
   * seqCol} and {@code itemCol} (STRING or integer) and {@code timeCol} (an integer) of {@code
   * schema}.
   *
   * @throws IllegalArgumentException if a column is not in {@code schema} or has another type
   */
  public static Read<SequenceEvents> readSequences(
      String filepattern,
      Schema schema,
      @Nullable String groupCol,
      String seqCol,
      String timeCol,
      String itemCol) {
    return new Read<>(
        filepattern,
        schema,
        groupCol,
        new String[] {seqCol, timeCol, itemCol},
        Layout.SEQUENCES,
        MineSequences.DEFAULT_MAX_BUNDLE_BYTES);
  }

  /** What a read makes of the rows. */
  enum Layout {
    /** (group, transaction, item) into {@link GroupEvents}. */
    EVENTS,
    /** group and one-hot item columns into {@link GroupBaskets}. */
    ONE_HOT,
    /** (group or none, sequence, time, item) into {@link SequenceEvents}. */
    SEQUENCES
  }

  /**
   * Whether {@link #readSequences} takes these columns of {@code schema}: group (if any), sequence
   * and item STRING or integer, time an integer (a DATETIME time needs the Row reader), all
   * distinct.
   */
  public static boolean readsSequences(
      Schema schema, @Nullable String groupCol, String seqCol, String timeCol, String itemCol) {
    return sequenceColumnsProblem(schema, groupCol, new String[] {seqCol, timeCol, itemCol})
        == null;
  }

  /**
   * Reads one-hot receipts: {@code groupCol} and the item columns {@code itemColumns} (BOOLEAN or
   * 0/1 integers); item {@code j} of the baskets is {@code itemColumns[j]}.
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
        Layout.ONE_HOT,
        MineGrouped.DEFAULT_MAX_BUNDLE_BYTES);
  }

  /**
   * The read: {@code PBegin → KV<group Row, A>}, the key a Row of the group column alone (for
   * sequences without a group column, {@link MineSequences#keySchema}{@code (null)}).
   *
   * @param <A> {@link GroupEvents}, {@link GroupBaskets} or {@link SequenceEvents}
   */
  public static final class Read<A> extends PTransform<PBegin, PCollection<KV<Row, A>>> {
    private static final long serialVersionUID = 1L;
    private final String filepattern;
    private final Schema schema;
    private final @Nullable String groupCol;
    private final String[] columns;
    private final Layout layout;
    private final long maxBundleBytes;

    private Read(
        String filepattern,
        Schema schema,
        @Nullable String groupCol,
        String[] columns,
        Layout layout,
        long maxBundleBytes) {
      this.filepattern = filepattern;
      this.schema = schema;
      this.groupCol = groupCol;
      this.columns = columns;
      this.layout = layout;
      this.maxBundleBytes = maxBundleBytes;
      if (layout == Layout.SEQUENCES) {
        String problem = sequenceColumnsProblem(schema, groupCol, columns);
        if (problem != null) {
          throw new IllegalArgumentException(problem);
        }
      } else {
        ArrowGroups.checkColumns(schema, groupCol, columns, layout == Layout.EVENTS);
      }
    }

    /**
     * The byte budget of the accumulators of one bundle (default {@link
     * MineGrouped#DEFAULT_MAX_BUNDLE_BYTES}, for sequences {@link
     * MineSequences#DEFAULT_MAX_BUNDLE_BYTES}).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Read<A> withMaxBundleBytes(long maxBundleBytes) {
      ArrowGroups.checkBudget(maxBundleBytes);
      return new Read<>(filepattern, schema, groupCol, columns, layout, maxBundleBytes);
    }

    /** The group field, as the key Rows hold it (null: sequences without a group column). */
    public Schema.@Nullable Field groupField() {
      return groupCol == null ? null : schema.getField(groupCol);
    }

    @Override
    @SuppressWarnings("unchecked")
    public PCollection<KV<Row, A>> expand(PBegin input) {
      Schema keySchema =
          groupCol == null
              ? MineSequences.keySchema(null)
              : Schema.builder().addField(groupField()).build();
      PCollection<ParquetColumns.Split> splits =
          input
              .apply("MatchFiles", FileIO.match().filepattern(filepattern))
              .apply("OpenFiles", FileIO.readMatches())
              .apply("RowGroups", ParquetColumns.splits(SPLIT_ROWS));
      switch (layout) {
        case EVENTS:
          return (PCollection<KV<Row, A>>)
              (PCollection<?>)
                  splits
                      .apply(
                          "ReadRowGroups",
                          ParDo.of(
                              new ReadEventsFn(
                                  keySchema,
                                  maxBundleBytes,
                                  groupField(),
                                  schema.getField(columns[0]),
                                  schema.getField(columns[1]))))
                      .setCoder(KvCoder.of(RowCoder.of(keySchema), GroupEvents.coder()));
        case SEQUENCES:
          return (PCollection<KV<Row, A>>)
              (PCollection<?>)
                  splits
                      .apply(
                          "ReadRowGroups",
                          ParDo.of(
                              new ReadSequencesFn(
                                  keySchema,
                                  maxBundleBytes,
                                  groupField(),
                                  schema.getField(columns[0]),
                                  columns[1],
                                  schema.getField(columns[2]))))
                      .setCoder(KvCoder.of(RowCoder.of(keySchema), SequenceEvents.coder()));
        default:
          return (PCollection<KV<Row, A>>)
              (PCollection<?>)
                  splits
                      .apply(
                          "ReadRowGroups",
                          ParDo.of(
                              new ReadOneHotFn(keySchema, maxBundleBytes, groupField(), columns)))
                      .setCoder(KvCoder.of(RowCoder.of(keySchema), GroupBaskets.coder()));
      }
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("filepattern", filepattern).withLabel("Input files"))
          .add(
              DisplayData.item("layout", layout.name().toLowerCase(java.util.Locale.ROOT))
                  .withLabel("Input layout"))
          .add(
              DisplayData.item("groupCol", groupCol == null ? "(none: one group)" : groupCol)
                  .withLabel("Group column"))
          .add(DisplayData.item("columns", String.join(", ", columns)).withLabel("Columns read"))
          .add(
              DisplayData.item("maxBundleBytes", maxBundleBytes)
                  .withLabel("Memory budget of the per-bundle accumulators (bytes)"));
    }
  }

  /**
   * What is wrong with {@link #readSequences}' columns (group if any, then sequence, time, item):
   * the first problem, or null if they are keys, an integer time and all distinct.
   */
  private static @Nullable String sequenceColumnsProblem(
      Schema schema, @Nullable String groupCol, String[] columns) {
    List<String> all = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    if (groupCol != null) {
      all.add(groupCol);
      roles.add("group");
    }
    all.addAll(Arrays.asList(columns));
    roles.addAll(List.of("sequence", "time", "item"));
    for (int k = 0; k < all.size(); k++) {
      String col = all.get(k);
      String role = roles.get(k);
      boolean time = role.equals("time");
      if (col == null || !schema.hasField(col)) {
        return String.format(
            "The %s column '%s' is not in the schema; columns are %s",
            role, col, schema.getFieldNames());
      }
      TypeName t = schema.getField(col).getType().getTypeName();
      if (time ? !GroupChunks.isInteger(t) : !GroupChunks.isKeyType(t)) {
        return String.format(
            "The %s column '%s' is %s; it must be %s",
            role,
            col,
            schema.getField(col).getType(),
            time ? "an integer (a DATETIME time is read as Rows)" : "STRING or an integer");
      }
    }
    if (all.stream().distinct().count() < all.size()) {
      return "The group, sequence, time and item columns must be distinct, got " + all;
    }
    return null;
  }

  /** Reads each split a slice at a time; subclasses add a slice to the accumulators. */
  private abstract static class ReadSplitsFn<A> extends AccumulateFn<ParquetColumns.Split, A> {
    private static final long serialVersionUID = 1L;
    private static final Object[] GLOBAL_GROUP = {0};
    private final Counter rows = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");

    /** The group field; null: every row is of one group, 0 (sequences without a group column). */
    final Schema.@Nullable Field group;

    private transient @Nullable GroupIndex groupIndex;
    private transient int @Nullable [] allZero;

    ReadSplitsFn(Schema keySchema, long maxBundleBytes, Schema.@Nullable Field group) {
      this(keySchema, maxBundleBytes, group, MineGrouped.METRICS_NAMESPACE);
    }

    ReadSplitsFn(
        Schema keySchema,
        long maxBundleBytes,
        Schema.@Nullable Field group,
        String metricsNamespace) {
      super(keySchema, maxBundleBytes, metricsNamespace);
      this.group = group;
    }

    @Setup
    public void setup() {
      if (group != null) {
        groupIndex = new GroupIndex(group.getType().getTypeName());
      } else {
        allZero = new int[SLICE_ROWS];
      }
    }

    /** The columns to read, the group column (if any) first. */
    abstract List<String> columns();

    /** Adds a slice; returns true if the budget is now passed. */
    abstract boolean addSlice(ParquetColumns.Chunk c, Object[] groups, int[] groupOfRow);

    @ProcessElement
    public void processElement(@Element ParquetColumns.Split split, OutputReceiver<KV<Row, A>> out)
        throws IOException {
      try (ParquetColumns.Cursor c = ParquetColumns.open(split, columns())) {
        for (ParquetColumns.Chunk chunk; (chunk = c.next(SLICE_ROWS)) != null; ) {
          int n = chunk.rows();
          if (n == 0) {
            continue;
          }
          if (group == null) {
            afterChunk(addSlice(chunk, GLOBAL_GROUP, allZero), out);
          } else {
            Object[] groups =
                group.getType().getTypeName() == TypeName.STRING
                    ? groupIndex.indexStrings(chunk.strings(group.getName()), n)
                    : groupIndex.indexLongs(chunk.longs(group.getName()), n);
            afterChunk(addSlice(chunk, groups, groupIndex.ofRow()), out);
          }
          rows.inc(n);
        }
      }
    }
  }

  private static KeyColumn keys(ParquetColumns.Chunk c, Schema.Field f) {
    return f.getType().getTypeName() == TypeName.STRING
        ? KeyColumn.ofStrings(c.strings(f.getName()))
        : KeyColumn.ofLongs(c.longs(f.getName()));
  }

  /** Events: (group, transaction, item) columns → GroupEvents per group. */
  private static final class ReadEventsFn extends ReadSplitsFn<GroupEvents> {
    private static final long serialVersionUID = 1L;
    private final Schema.Field txnField;
    private final Schema.Field itemField;

    ReadEventsFn(
        Schema keySchema,
        long maxBundleBytes,
        Schema.Field group,
        Schema.Field txnField,
        Schema.Field itemField) {
      super(keySchema, maxBundleBytes, group);
      this.txnField = txnField;
      this.itemField = itemField;
    }

    @Override
    List<String> columns() {
      return List.of(group.getName(), txnField.getName(), itemField.getName());
    }

    @Override
    BundleAccumulators<GroupEvents> newPending() {
      return BundleAccumulators.ofEvents(
          ArrowGroups.keyKind(txnField.getType()),
          ArrowGroups.keyKind(itemField.getType()),
          maxBundleBytes);
    }

    @Override
    GroupEvents compact(GroupEvents a) {
      return a.trim();
    }

    @Override
    boolean addSlice(ParquetColumns.Chunk c, Object[] groups, int[] groupOfRow) {
      KeyColumn t = keys(c, txnField);
      KeyColumn i = keys(c, itemField);
      return pending.addChunk(
          groups,
          groupOfRow,
          c.rows(),
          GlobalWindow.INSTANCE,
          (events, rows, from, to) -> events.addChunk(t, i, rows, from, to));
    }
  }

  /** Sequences: (group or none, sequence, time, item) columns → SequenceEvents per group. */
  private static final class ReadSequencesFn extends ReadSplitsFn<SequenceEvents> {
    private static final long serialVersionUID = 1L;
    private final Schema.Field seqField;
    private final String timeCol;
    private final Schema.Field itemField;

    ReadSequencesFn(
        Schema keySchema,
        long maxBundleBytes,
        Schema.@Nullable Field group,
        Schema.Field seqField,
        String timeCol,
        Schema.Field itemField) {
      super(keySchema, maxBundleBytes, group, MineSequences.METRICS_NAMESPACE);
      this.seqField = seqField;
      this.timeCol = timeCol;
      this.itemField = itemField;
    }

    @Override
    List<String> columns() {
      List<String> cols = new ArrayList<>();
      if (group != null) {
        cols.add(group.getName());
      }
      cols.addAll(List.of(seqField.getName(), timeCol, itemField.getName()));
      return cols;
    }

    @Override
    BundleAccumulators<SequenceEvents> newPending() {
      return BundleAccumulators.ofSequences(
          ArrowGroups.keyKind(seqField.getType()),
          ArrowGroups.keyKind(itemField.getType()),
          maxBundleBytes);
    }

    @Override
    SequenceEvents compact(SequenceEvents a) {
      return a.trim();
    }

    @Override
    boolean addSlice(ParquetColumns.Chunk c, Object[] groups, int[] groupOfRow) {
      KeyColumn s = keys(c, seqField);
      long[] t = c.longs(timeCol);
      KeyColumn i = keys(c, itemField);
      return pending.addChunk(
          groups,
          groupOfRow,
          c.rows(),
          GlobalWindow.INSTANCE,
          (events, rows, from, to) -> events.addChunk(s, t, i, rows, from, to));
    }
  }

  /** One-hot: the group column and BOOLEAN / 0-1 integer item columns → GroupBaskets per group. */
  private static final class ReadOneHotFn extends ReadSplitsFn<GroupBaskets> {
    private static final long serialVersionUID = 1L;
    private final String[] itemCols;
    private transient long[] words;

    ReadOneHotFn(Schema keySchema, long maxBundleBytes, Schema.Field group, String[] itemCols) {
      super(keySchema, maxBundleBytes, group);
      this.itemCols = itemCols;
    }

    @Override
    @Setup
    public void setup() {
      super.setup();
      words = new long[0];
    }

    @Override
    List<String> columns() {
      List<String> cols = new ArrayList<>();
      cols.add(group.getName());
      cols.addAll(Arrays.asList(itemCols));
      return cols;
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
    boolean addSlice(ParquetColumns.Chunk c, Object[] groups, int[] groupOfRow) {
      final int n = c.rows();
      final int wpr = (itemCols.length + 63) >>> 6;
      if (words.length < (long) n * wpr) {
        words = new long[Math.multiplyExact(n, wpr)];
      } else {
        Arrays.fill(words, 0, n * wpr, 0L);
      }
      final long[] w = words;
      for (int j = 0; j < itemCols.length; j++) {
        boolean[] set = c.booleans(itemCols[j]);
        final int word = j >>> 6;
        final long bit = 1L << (j & 63);
        for (int r = 0; r < n; r++) {
          if (set[r]) {
            w[r * wpr + word] |= bit;
          }
        }
      }
      return pending.addChunk(
          groups,
          groupOfRow,
          n,
          GlobalWindow.INSTANCE,
          (baskets, rows, from, to) -> baskets.addBitmapRows(w, wpr, rows, from, to));
    }
  }
}
