package io.rusket.beam.transforms;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.SequenceMiner;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Frequent sequential patterns per group (what customers buy after what, per store): takes a {@code
 * PCollection<Row>} of long-format events {@code (group, sequence, time, item)} — a sequence is
 * e.g. a customer or a session — and returns, for every group, one Row per frequent pattern of that
 * group's sequences, with its support relative to the group's number of sequences; or, {@link
 * #globally}, the patterns of all sequences together.
 *
 * <p><b>Sequences.</b> The events of one sequence with the same time form one step (an itemset:
 * Spark MLlib's model, a sequence of itemsets); with {@link #withSingleItemSteps()} every event is
 * a step of its own (rusket's model), events of one time ordered by item. A repeated item inside a
 * step counts once; steps follow ascending time; the events of one sequence may be anywhere in the
 * input. A pattern {@code <P1 … Pk>} is contained in a sequence if its steps are subsets of steps
 * of the sequence in the same order (with {@link #withMaxGap maxGap} g, consecutive ones at most g
 * steps apart); its count is the number of the group's sequences containing it, and it is frequent
 * iff {@code count / sequences >= minSupport}, the integer threshold computed exactly as {@link
 * ItemsetMiner#thresholdCount(double, long)} does (Spark MLlib computes {@code ceil} in floating
 * point, rusket floors), or iff {@code count >= minCount} with {@link #withMinCount}. Patterns have
 * at most {@link #withMaxPatternLength maxPatternLength} items (default {@value
 * #DEFAULT_MAX_PATTERN_LENGTH}, as Spark).
 *
 * <p><b>Input fields:</b> group (STRING or integer), sequence (STRING or integer), time (an integer
 * type or DATETIME, compared as milliseconds), item (STRING or integer). A null in any of them is
 * an error naming the field (rows are never dropped silently).
 *
 * <p><b>Output</b>, one Row per pattern, with the schema {@link SequenceSchema}: the group field
 * (same name and type; absent for the global form), {@code support DOUBLE}, {@code count INT64},
 * {@code sequences INT64} (N, the group's number of sequences) and {@code sequence
 * ARRAY<ARRAY<STRING>>}: the pattern's steps, each its item names ascending (integer items in
 * ascending numeric order, written in decimal).
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // events: store_id STRING | customer_id INT64 | day INT32 | sku STRING
 * PCollection<Row> patterns = events.apply(
 *     MineSequences.events("store_id", "customer_id", "day", "sku")
 *         .withMinSupport(0.05)          // 5% of each store's customers
 *         .withMaxPatternLength(4)
 *         .withMaxGap(3));               // consecutive steps at most 3 visits apart
 * // patterns: store_id STRING | support DOUBLE | count INT64 | sequences INT64
 * //           | sequence ARRAY<ARRAY<STRING>>   e.g. S1 | 0.08 | 12 | 150 | [[bread, milk], [eggs]]
 * PCollection<Row> all =
 *     events.apply(MineSequences.globally("customer_id", "day", "sku").withMinCount(100));
 * }</pre>
 *
 * <p><b>Shape.</b> As {@link MineGrouped}'s events: the events of each group are gathered first per
 * bundle ("KeyByGroup") into a compact {@link SequenceEvents} — a sequence dictionary, an item
 * dictionary and primitive arrays of (sequence id, time, item id) — then merged by one {@link
 * Combine#perKey} keyed by the group ("AccumulateGroups", {@link MergeSequenceEventsFn}, which
 * runners can combine map-side), and each group is mined by one DoFn call ("MineEachGroup") on
 * {@link #withThreadsPerGroup one thread} by default, with {@link SequenceMiner} (PrefixSpan over
 * vertical step bitmaps), emitting rows as it finds them. Groups are mined in parallel by the
 * runner. Works per window. Readers that build the per-group {@link SequenceEvents} themselves,
 * column-wise from files (e.g. the pipelines' Parquet reader), feed them to {@link
 * #ofSequenceEvents} instead: the same settings and output, no Row per event.
 *
 * <p><b>Memory.</b> All the events of one group, as compact arrays (16 bytes per event plus the
 * sequence and item keys), must fit in the memory of one worker, and while mining the recoded
 * database and the miner's projections (of the same order); the raw Rows of a group are never held
 * together and the patterns are emitted one by one. A heavily skewed input works as long as its
 * largest group fits: that group is mined by one worker. Before the shuffle, the per-bundle
 * accumulators hold at most about {@link #withMaxBundleBytes maxBundleBytes} (default 64 MiB) in
 * all: past it, the largest are sent on early.
 *
 * <p><b>Reference.</b> J. Pei, J. Han, B. Mortazavi-Asl, H. Pinto, Q. Chen, U. Dayal, M.-C. Hsu,
 * "PrefixSpan: Mining Sequential Patterns Efficiently by Prefix-Projected Pattern Growth", ICDE
 * 2001.
 *
 * <p>Metrics (namespace {@value #METRICS_NAMESPACE}): counters {@code events}, {@code groupsMined},
 * {@code sequences}, {@code patternsEmitted}, {@code bundleFlushes}; distributions {@code
 * miningMillis} (per group) and {@code bundleBytes}.
 */
public final class MineSequences extends PTransform<PCollection<Row>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  /** Default minimum support, as Spark MLlib's {@code PrefixSpan}: 0.1. */
  public static final double DEFAULT_MIN_SUPPORT = 0.1;

  /** Default maximum pattern length in items, as Spark MLlib's {@code PrefixSpan}: 10. */
  public static final int DEFAULT_MAX_PATTERN_LENGTH = 10;

  /** By default each group is mined on one thread: the runner parallelises across groups. */
  public static final int DEFAULT_THREADS_PER_GROUP = 1;

  /** By default the per-bundle accumulators hold at most 64 MiB before the largest are sent on. */
  public static final long DEFAULT_MAX_BUNDLE_BYTES = 64L << 20;

  /** Namespace of the Beam metrics. */
  public static final String METRICS_NAMESPACE = "MineSequences";

  private static final Set<TypeName> KEY_TYPES =
      EnumSet.of(TypeName.STRING, TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);

  private static final Set<TypeName> TIME_TYPES =
      EnumSet.of(TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64, TypeName.DATETIME);

  private final @Nullable String groupField;
  private final String sequenceField;
  private final String timeField;
  private final String itemField;
  private final double minSupport; // NaN when minCount is set
  private final long minCount; // -1 when minSupport is set
  private final int maxPatternLength;
  private final @Nullable Integer maxGap;
  private final boolean singleItemSteps;
  private final int threadsPerGroup;
  private final long maxBundleBytes;

  private MineSequences(Builder b) {
    this.groupField = b.groupField;
    this.sequenceField = b.sequenceField;
    this.timeField = b.timeField;
    this.itemField = b.itemField;
    this.minSupport = b.minSupport;
    this.minCount = b.minCount;
    this.maxPatternLength = b.maxPatternLength;
    this.maxGap = b.maxGap;
    this.singleItemSteps = b.singleItemSteps;
    this.threadsPerGroup = b.threadsPerGroup;
    this.maxBundleBytes = b.maxBundleBytes;
  }

  /** A copy with the settings {@code change} makes: {@code with(b -> b.maxGap = 2)}. */
  private MineSequences with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return new MineSequences(b);
  }

  /** The settings of a {@link MineSequences} being made: the defaults, or a copy's. */
  private static final class Builder {
    private final @Nullable String groupField;
    private final String sequenceField;
    private final String timeField;
    private final String itemField;
    private double minSupport = DEFAULT_MIN_SUPPORT;
    private long minCount = -1;
    private int maxPatternLength = DEFAULT_MAX_PATTERN_LENGTH;
    private @Nullable Integer maxGap;
    private boolean singleItemSteps;
    private int threadsPerGroup = DEFAULT_THREADS_PER_GROUP;
    private long maxBundleBytes = DEFAULT_MAX_BUNDLE_BYTES;

    private Builder(
        @Nullable String groupField, String sequenceField, String timeField, String itemField) {
      this.groupField = groupField;
      this.sequenceField = sequenceField;
      this.timeField = timeField;
      this.itemField = itemField;
    }

    private Builder(MineSequences t) {
      this(t.groupField, t.sequenceField, t.timeField, t.itemField);
      minSupport = t.minSupport;
      minCount = t.minCount;
      maxPatternLength = t.maxPatternLength;
      maxGap = t.maxGap;
      singleItemSteps = t.singleItemSteps;
      threadsPerGroup = t.threadsPerGroup;
      maxBundleBytes = t.maxBundleBytes;
    }
  }

  /**
   * Patterns per group of long-format events {@code (group, sequence, time, item)}.
   *
   * @throws IllegalArgumentException if a field name is null or blank
   */
  public static MineSequences events(
      String groupField, String sequenceField, String timeField, String itemField) {
    return new MineSequences(
        new Builder(
            checkName(groupField, "group"),
            checkName(sequenceField, "sequence"),
            checkName(timeField, "time"),
            checkName(itemField, "item")));
  }

  /**
   * Patterns of all sequences together, from events {@code (sequence, time, item)}: the output has
   * no group field. All events are mined on one worker.
   */
  public static MineSequences globally(String sequenceField, String timeField, String itemField) {
    return new MineSequences(
        new Builder(
            null,
            checkName(sequenceField, "sequence"),
            checkName(timeField, "time"),
            checkName(itemField, "item")));
  }

  private static String checkName(String name, String role) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Invalid " + role + " field name: '" + name + "'");
    }
    return name;
  }

  /**
   * Frequent iff {@code count / sequences >= minSupport} (per group; replaces a minCount).
   *
   * @throws IllegalArgumentException if not in (0, 1]
   */
  public MineSequences withMinSupport(double minSupport) {
    ItemsetMiner.checkMinSupport(minSupport);
    return with(
        b -> {
          b.minSupport = minSupport;
          b.minCount = -1;
        });
  }

  /**
   * Frequent iff {@code count >= minCount} (in every group; replaces a minSupport).
   *
   * @throws IllegalArgumentException if not in [1, 2^31-1]
   */
  public MineSequences withMinCount(long minCount) {
    SequenceMiner.minCount(minCount); // validates, naming the value
    return with(
        b -> {
          b.minSupport = Double.NaN;
          b.minCount = minCount;
        });
  }

  /**
   * Patterns of at most {@code maxPatternLength} items (default {@value
   * #DEFAULT_MAX_PATTERN_LENGTH}).
   *
   * @throws IllegalArgumentException if below 1
   */
  public MineSequences withMaxPatternLength(int maxPatternLength) {
    SequenceMiner.minCount(1).withMaxPatternLength(maxPatternLength);
    return with(b -> b.maxPatternLength = maxPatternLength);
  }

  /**
   * Consecutive steps of a pattern at most {@code maxGap} steps apart in the sequence (1:
   * adjacent); none by default.
   *
   * @throws IllegalArgumentException if below 1
   */
  public MineSequences withMaxGap(int maxGap) {
    SequenceMiner.minCount(1).withMaxGap(maxGap);
    return with(b -> b.maxGap = maxGap);
  }

  /**
   * Every event is a step of its own (rusket's model), events of one time ordered by item; by
   * default the events of one time form one step.
   */
  public MineSequences withSingleItemSteps() {
    return with(b -> b.singleItemSteps = true);
  }

  /**
   * Mining threads per group (default 1: the runner parallelises across groups).
   *
   * @throws IllegalArgumentException if below 1
   */
  public MineSequences withThreadsPerGroup(int threads) {
    SequenceMiner.minCount(1).withThreads(threads);
    return with(b -> b.threadsPerGroup = threads);
  }

  /**
   * The byte budget of the per-bundle accumulators (default 64 MiB).
   *
   * @throws IllegalArgumentException if below 1
   */
  public MineSequences withMaxBundleBytes(long maxBundleBytes) {
    BundleAccumulators.checkMaxBytes(maxBundleBytes);
    return with(b -> b.maxBundleBytes = maxBundleBytes);
  }

  /** The group field, or null for the global form. */
  public @Nullable String getGroupField() {
    return groupField;
  }

  /** The relative threshold, or NaN when a minCount is set. */
  public double getMinSupport() {
    return minSupport;
  }

  /** The absolute threshold, or -1 when a minSupport is set. */
  public long getMinCount() {
    return minCount;
  }

  /** The maximum pattern length in items. */
  public int getMaxPatternLength() {
    return maxPatternLength;
  }

  /** The maximum gap in steps, or null. */
  public @Nullable Integer getMaxGap() {
    return maxGap;
  }

  /** Whether every event is a step of its own. */
  public boolean isSingleItemSteps() {
    return singleItemSteps;
  }

  /** The output schema for a group field (null: the global form). */
  public static Schema outputSchema(@Nullable Field groupField) {
    return SequenceSchema.of(groupField);
  }

  private static Field requireField(Schema schema, String name, String role, Set<TypeName> ok) {
    if (!schema.hasField(name)) {
      throw new IllegalArgumentException(
          String.format(
              "MineSequences: %s field '%s' is not in the input schema; fields: %s",
              role, name, schema.getFieldNames()));
    }
    Field f = schema.getField(name);
    if (!ok.contains(f.getType().getTypeName())) {
      throw new IllegalArgumentException(
          String.format(
              "MineSequences: %s field '%s' has type %s; expected one of %s",
              role, name, f.getType().getTypeName(), ok));
    }
    return f;
  }

  private static KeyKind kind(Field f) {
    return f.getType().getTypeName() == TypeName.STRING ? KeyKind.STRING : KeyKind.INTEGER;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    if (!input.hasSchema()) {
      throw new IllegalArgumentException(
          String.format(
              "MineSequences needs a PCollection<Row> with a schema (e.g. setRowSchema), got one"
                  + " with coder %s",
              input.getCoder()));
    }
    Schema schema = input.getSchema();
    Field group = groupField == null ? null : requireField(schema, groupField, "group", KEY_TYPES);
    Field seq = requireField(schema, sequenceField, "sequence", KEY_TYPES);
    Field time = requireField(schema, timeField, "time", TIME_TYPES);
    Field item = requireField(schema, itemField, "item", KEY_TYPES);
    Schema keySchema = keySchema(group);
    PCollection<KV<Row, SequenceEvents>> parts =
        input
            .apply(
                "KeyByGroup",
                ParDo.of(
                    new KeySequenceEventsFn(
                        groupField,
                        group == null ? -1 : schema.indexOf(groupField),
                        sequenceField,
                        schema.indexOf(sequenceField),
                        timeField,
                        schema.indexOf(timeField),
                        itemField,
                        schema.indexOf(itemField),
                        kind(seq),
                        kind(item),
                        keySchema,
                        maxBundleBytes)))
            .setCoder(KvCoder.of(RowCoder.of(keySchema), SequenceEvents.coder()));
    return mineParts(parts, group, kind(seq), kind(item));
  }

  /** "AccumulateGroups" and "MineEachGroup": per-group parts merged, each group mined. */
  private PCollection<Row> mineParts(
      PCollection<KV<Row, SequenceEvents>> parts,
      @Nullable Field group,
      KeyKind seqKind,
      KeyKind itemKind) {
    Schema outSchema = outputSchema(group);
    return parts
        .apply("AccumulateGroups", Combine.perKey(new MergeSequenceEventsFn(seqKind, itemKind)))
        .apply(
            "MineEachGroup",
            ParDo.of(
                new MineEachSequenceGroupFn(
                    outSchema,
                    group != null,
                    minSupport,
                    minCount,
                    maxPatternLength,
                    maxGap,
                    singleItemSteps,
                    threadsPerGroup)))
        .setRowSchema(outSchema);
  }

  /**
   * The key of the per-group accumulators: a Row of the group field alone, or for the global form a
   * Row of one INT32 field {@code global} (always 0). Readers that build {@link SequenceEvents}
   * themselves key them so ({@link #ofSequenceEvents}).
   */
  public static Schema keySchema(@Nullable Field groupField) {
    return groupField == null
        ? Schema.builder().addInt32Field(GLOBAL_KEY).build()
        : Schema.builder().addField(groupField).build();
  }

  /** The key field of the global form's accumulators ({@link #keySchema}). */
  public static final String GLOBAL_KEY = "global";

  /**
   * These settings over per-group {@link SequenceEvents} the caller built (e.g. a columnar reader
   * filling them with {@link SequenceEvents#addChunk} under a {@link BundleAccumulators} budget),
   * as many per group as it made: {@code KV<key Row, SequenceEvents>}, the key {@link #keySchema}'s
   * (the group field, named as this transform's, or {@value #GLOBAL_KEY} for {@link #globally}).
   * The output, validation, display data and metrics are this transform's for the same events (the
   * {@code events} counter and the bundle metrics are the reader's to keep).
   *
   * <p>Example of use:
   *
   * <pre>{@code
   * PCollection<KV<Row, SequenceEvents>> parts = p.apply(ParquetGroups.readSequences(...));
   * PCollection<Row> patterns = parts.apply(
   *     MineSequences.events("store_id", "customer_id", "day", "sku")
   *         .withMinSupport(0.05)
   *         .ofSequenceEvents(KeyKind.INTEGER, KeyKind.STRING));
   * }</pre>
   *
   * @throws IllegalArgumentException if a kind is null
   */
  public OfSequenceEvents ofSequenceEvents(KeyKind seqKind, KeyKind itemKind) {
    if (seqKind == null || itemKind == null) {
      throw new IllegalArgumentException(
          "Invalid key kinds: " + seqKind + ", " + itemKind + ". Give INTEGER or STRING for each.");
    }
    return new OfSequenceEvents(this, seqKind, itemKind);
  }

  /**
   * {@link MineSequences} over caller-built per-group {@link SequenceEvents} ({@link
   * #ofSequenceEvents}).
   */
  public static final class OfSequenceEvents
      extends PTransform<PCollection<KV<Row, SequenceEvents>>, PCollection<Row>> {
    private static final long serialVersionUID = 1L;
    private final MineSequences settings;
    private final KeyKind seqKind;
    private final KeyKind itemKind;

    private OfSequenceEvents(MineSequences settings, KeyKind seqKind, KeyKind itemKind) {
      this.settings = settings;
      this.seqKind = seqKind;
      this.itemKind = itemKind;
    }

    @Override
    public PCollection<Row> expand(PCollection<KV<Row, SequenceEvents>> input) {
      Field group = checkKeyCoder(input.getCoder());
      return settings.mineParts(input, group, seqKind, itemKind);
    }

    /** The group field of the input's keys (null for the global form), checked. */
    private @Nullable Field checkKeyCoder(org.apache.beam.sdk.coders.Coder<?> coder) {
      String groupField = settings.groupField;
      String expected =
          "KvCoder(RowCoder of one field "
              + (groupField == null ? "'" + GLOBAL_KEY + "' INT32" : "'" + groupField + "'")
              + ", SequenceEvents)";
      if (coder instanceof KvCoder
          && ((KvCoder<?, ?>) coder).getKeyCoder() instanceof RowCoder
          && ((KvCoder<?, ?>) coder).getValueCoder() instanceof SequenceEvents.Coder) {
        Schema key = ((RowCoder) ((KvCoder<?, ?>) coder).getKeyCoder()).getSchema();
        if (groupField == null ? key.equivalent(keySchema(null)) : isGroupKey(key, groupField)) {
          return groupField == null ? null : key.getField(0);
        }
      }
      throw new IllegalArgumentException(
          "MineSequences over SequenceEvents needs the input coder " + expected + ", got " + coder);
    }

    private static boolean isGroupKey(Schema key, String groupField) {
      return key.getFieldCount() == 1
          && key.getField(0).getName().equals(groupField)
          && KEY_TYPES.contains(key.getField(0).getType().getTypeName());
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      settings.populateDisplayData(builder);
      builder
          .add(
              DisplayData.item("format", "sequence events")
                  .withLabel("Input format (accumulators built by the reader)"))
          .add(DisplayData.item("sequenceKind", seqKind.name()).withLabel("Sequence keys"))
          .add(DisplayData.item("itemKind", itemKind.name()).withLabel("Item keys"));
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    if (groupField != null) {
      builder.add(DisplayData.item("groupField", groupField).withLabel("Group field"));
    }
    builder
        .add(DisplayData.item("sequenceField", sequenceField).withLabel("Sequence field"))
        .add(DisplayData.item("timeField", timeField).withLabel("Time field"))
        .add(DisplayData.item("itemField", itemField).withLabel("Item field"));
    if (minCount >= 1) {
      builder.add(DisplayData.item("minCount", minCount).withLabel("Minimum count"));
    } else {
      builder.add(DisplayData.item("minSupport", minSupport).withLabel("Minimum support"));
    }
    builder.add(
        DisplayData.item("maxPatternLength", maxPatternLength)
            .withLabel("Maximum pattern length (items)"));
    if (maxGap != null) {
      builder.add(DisplayData.item("maxGap", maxGap).withLabel("Maximum gap (steps)"));
    }
    builder
        .add(
            DisplayData.item("stepModel", singleItemSteps ? "single item" : "itemset")
                .withLabel("Step model"))
        .add(DisplayData.item("threadsPerGroup", threadsPerGroup).withLabel("Threads per group"))
        .add(
            DisplayData.item("maxBundleBytes", maxBundleBytes)
                .withLabel("Per-bundle accumulator budget (bytes)"));
  }
}
