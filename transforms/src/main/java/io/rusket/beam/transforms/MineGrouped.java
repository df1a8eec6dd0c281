package io.rusket.beam.transforms;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
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
 * Frequent itemsets per group (store, region, customer segment): takes a {@code PCollection<Row>}
 * of transactions that each belong to a group, and returns, for every group, one Row per frequent
 * itemset of that group's transactions, with its support relative to the group.
 *
 * <p><b>Input</b>, in one of two formats:
 *
 * <ul>
 *   <li>{@link #byColumn(String) one-hot}: one Row per transaction, with the group field and one
 *       BOOLEAN (or 0/1 integer: INT8, INT16, INT32, INT64) field per item; the item is named by
 *       its field. Every field other than the group field is an item unless the items are listed
 *       with {@link #withItemColumns(String...)}.
 *   <li>{@link #events(String, String, String) long format}: one Row per (group, transaction, item)
 *       event; transaction and item fields are STRING or integer. A repeated (transaction, item)
 *       pair counts once, and the events of one transaction may be anywhere in the input.
 * </ul>
 *
 * <p><b>Output</b>, one Row per frequent itemset of each group, with the schema: the group field
 * (same name and type), {@code support DOUBLE}, {@code itemsets ARRAY<STRING>} (the item names;
 * {@code ARRAY<INT32>} item ids with {@link #withItemNames(boolean) withItemNames(false)}), {@code
 * count INT64} (the group's transactions containing the itemset) and {@code transactions INT64} (N,
 * the group's number of transactions), so that {@code support = count / transactions}. An itemset
 * is frequent iff {@code support >= minSupport}, with the integer threshold computed exactly as
 * {@link ItemsetMiner#thresholdCount(double, long)} does. A group with no frequent itemset (for
 * example one whose transactions are all empty) has no output rows.
 *
 * <p>The items of an itemset come in a deterministic order, the same for any input order and
 * sharding: one-hot items in the order of their fields in the input schema (the item id is the
 * field's index among the item fields); string items in {@link String#compareTo} order; integer
 * items in ascending numeric order (with names off, the id is the item value itself, which must
 * then fit in an INT32).
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // receipts: store_id INT32 | milk BOOLEAN | bread BOOLEAN | eggs BOOLEAN | ...
 * PCollection<Row> freq = receipts.apply(
 *     MineGrouped.byColumn("store_id")
 *         .withMinSupport(0.05)          // 5% of each store's transactions
 *         .withMethod(Method.AUTO)
 *         .withMaxLen(3)
 *         .withItemNames(true));
 * // freq: store_id INT32 | support DOUBLE | itemsets ARRAY<STRING> | count INT64 | transactions INT64
 *
 * // events: store_id STRING | receipt_id INT64 | sku STRING
 * PCollection<Row> freq2 =
 *     events.apply(MineGrouped.events("store_id", "receipt_id", "sku").withMinSupport(0.05));
 * }</pre>
 *
 * <p><b>Shape.</b> The Rows of each group are accumulated by one {@link Combine#perKey} keyed by
 * the group alone ("AccumulateGroups"), which runners can build map-side and merge: one-hot Rows
 * become {@link Basket baskets} ("ToBaskets") gathered by {@link BasketToGroupFn} into a compact
 * {@link GroupBaskets}; events are gathered into a {@link GroupEvents} per group — a transaction
 * dictionary, an item dictionary and the (transaction, item) id pairs — first per bundle
 * ("KeyByGroup", so that runners without combiner lifting do not shuffle every event), then merged
 * by {@link EventsToGroupFn}, which assembles the transactions only at the end: the events of one
 * transaction may be anywhere in the input and in any shard. Each group is then mined by a DoFn
 * ("MineEachGroup") that emits its rows as the miner finds them, without collecting them. Groups
 * are mined in parallel by the runner; each group on {@link #withThreadsPerGroup(int) one thread}
 * by default (a count set here, never the launching machine's cores). Works per window.
 *
 * <p><b>Memory.</b> All the data of one group, as compact int arrays, must fit in the memory of one
 * worker: for one-hot input roughly 4 bytes per item occurrence plus 4 bytes per transaction; for
 * events roughly 8 bytes per event (repeats included until the accumulator is compacted) plus the
 * transaction keys, with a lookup table per distinct transaction and item key while events are
 * added, and 8 more bytes per event while the group's transactions are assembled; in both cases
 * plus the item names (or 8 bytes per integer item), and while mining, the miner's structures for
 * that group (of the same order). The raw Rows of a group are never held together, and the itemsets
 * are emitted one by one, so a huge result need not fit. Readers that build the accumulators
 * themselves, column-wise from files, feed them to {@link #ofGroupEvents} / {@link #ofGroupBaskets}
 * instead (the same settings and output). A heavily skewed input (one group far larger than the
 * others) works as long as its largest group fits; that group is mined by one worker. Before the
 * shuffle, the per-bundle accumulators of events, all groups and windows together, hold at most
 * about {@link #withMaxBundleBytes(long) maxBundleBytes} (default {@value
 * #DEFAULT_MAX_BUNDLE_BYTES} bytes, 64 MiB): past it, the largest are sent on early. After the
 * shuffle, a runner's combine may hold the accumulators of many groups at once until it spills
 * them: on Spark the reduce side of "AccumulateGroups" is a {@code combineByKey} whose map holds a
 * partition's groups until its share of Spark's execution memory ({@code spark.memory.fraction}) is
 * used, then spills them and merges the spills back one key at a time. That share must leave room
 * for the mining of a group beside it (the commands set {@code spark.memory.fraction=0.15} and
 * {@code spark.serializer.objectStreamReset=1} on embedded Spark; at 100M events in {@code -Xmx2g},
 * Spark's defaults held all 200 stores' accumulators, 1.2 GB).
 *
 * <p><b>References.</b> J. Han, J. Pei, Y. Yin, "Mining Frequent Patterns without Candidate
 * Generation", SIGMOD 2000 (FP-Growth). M. J. Zaki, "Scalable Algorithms for Association Mining",
 * IEEE TKDE 12(3), 2000 (Eclat). H. Li, Y. Wang, D. Zhang, M. Zhang, E. Y. Chang, "PFP: Parallel
 * FP-Growth for Query Recommendation", RecSys 2008 (mining independent partitions — here the groups
 * — in parallel).
 *
 * <p>Metrics (namespace {@value #METRICS_NAMESPACE}): counters {@code groupsMined}, {@code
 * transactions}, {@code itemsetsEmitted}; distribution {@code miningMillis}, per group; for events,
 * counter {@code bundleFlushes} (accumulators sent on early by the bundle budget) and distribution
 * {@code bundleBytes} (the per-bundle accumulators' estimated size at its peaks).
 */
public final class MineGrouped extends PTransform<PCollection<Row>, PCollection<Row>> {
  /** Default minimum support, as mlxtend's {@code fpgrowth}: 0.5. */
  public static final double DEFAULT_MIN_SUPPORT = 0.5;

  /** Default target: every frequent itemset ({@link Target#ALL}). */
  public static final Target DEFAULT_TARGET = Target.ALL;

  /** Default mining method: {@link Method#AUTO}. */
  public static final Method DEFAULT_METHOD = Method.AUTO;

  /** By default itemsets hold item names ({@code ARRAY<STRING>}). */
  public static final boolean DEFAULT_ITEM_NAMES = true;

  /** By default each group is mined on one thread: the runner parallelises across groups. */
  public static final int DEFAULT_THREADS_PER_GROUP = 1;

  /**
   * By default the per-bundle accumulators of events (all groups and windows of a bundle together)
   * hold at most 64 MiB before the largest are sent on.
   */
  public static final long DEFAULT_MAX_BUNDLE_BYTES = 64L << 20;

  /** Output field: the itemset's support within its group, {@code DOUBLE}. */
  public static final String SUPPORT_FIELD = ItemsetSchema.SUPPORT;

  /** Output field: the itemset's items, {@code ARRAY<STRING>} or {@code ARRAY<INT32>}. */
  public static final String ITEMSETS_FIELD = ItemsetSchema.ITEMSETS;

  /** Output field: the number of the group's transactions containing the itemset, INT64. */
  public static final String COUNT_FIELD = ItemsetSchema.COUNT;

  /** Output field: the group's number of transactions N, INT64. */
  public static final String TRANSACTIONS_FIELD = ItemsetSchema.TRANSACTIONS;

  /** Namespace of the Beam metrics. */
  public static final String METRICS_NAMESPACE = "MineGrouped";

  private static final List<String> OUTPUT_FIELDS = ItemsetSchema.FIELDS;

  private enum Format {
    ONE_HOT,
    EVENTS
  }

  private final Format format;
  private final String groupField;

  /** One-hot only: the item fields, or null for every field but the group field. */
  private final @Nullable List<String> itemColumns;

  /** Events only. */
  private final @Nullable String transactionField;

  /** Events only. */
  private final @Nullable String itemField;

  private final double minSupport;
  private final Method method;

  /** Null: itemsets of any length. */
  private final @Nullable Integer maxLen;

  private final Target target;

  /** Null: every itemset. */
  private final @Nullable Integer topK;

  private final int minLen;

  /** Whether withMinSupport was called (with topK, the default threshold does not apply). */
  private final boolean minSupportSet;

  private final boolean itemNames;
  private final int threadsPerGroup;

  /** Events only: the byte budget of the per-bundle accumulators. */
  private final long maxBundleBytes;

  private MineGrouped(Builder b) {
    this.format = b.format;
    this.groupField = b.groupField;
    this.itemColumns = b.itemColumns;
    this.transactionField = b.transactionField;
    this.itemField = b.itemField;
    this.minSupport = b.minSupport;
    this.method = b.method;
    this.maxLen = b.maxLen;
    this.target = b.target;
    this.topK = b.topK;
    this.minLen = b.minLen;
    this.minSupportSet = b.minSupportSet;
    this.itemNames = b.itemNames;
    this.threadsPerGroup = b.threadsPerGroup;
    this.maxBundleBytes = b.maxBundleBytes;
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** Makes copies with one setting changed: {@code toBuilder().x(v).build()}. */
  private static final class Builder {
    private final Format format;
    private final String groupField;
    private @Nullable List<String> itemColumns;
    private @Nullable String transactionField;
    private @Nullable String itemField;
    private double minSupport = DEFAULT_MIN_SUPPORT;
    private Method method = DEFAULT_METHOD;
    private @Nullable Integer maxLen;
    private Target target = DEFAULT_TARGET;
    private @Nullable Integer topK;
    private int minLen = 1;
    private boolean minSupportSet;
    private boolean itemNames = DEFAULT_ITEM_NAMES;
    private int threadsPerGroup = DEFAULT_THREADS_PER_GROUP;
    private long maxBundleBytes = DEFAULT_MAX_BUNDLE_BYTES;

    private Builder(Format format, String groupField) {
      this.format = format;
      this.groupField = groupField;
    }

    private Builder(MineGrouped t) {
      this(t.format, t.groupField);
      itemColumns = t.itemColumns;
      transactionField = t.transactionField;
      itemField = t.itemField;
      minSupport = t.minSupport;
      method = t.method;
      maxLen = t.maxLen;
      target = t.target;
      topK = t.topK;
      minLen = t.minLen;
      minSupportSet = t.minSupportSet;
      itemNames = t.itemNames;
      threadsPerGroup = t.threadsPerGroup;
      maxBundleBytes = t.maxBundleBytes;
    }

    private Builder eventFields(String transactionField, String itemField) {
      this.transactionField = transactionField;
      this.itemField = itemField;
      return this;
    }

    private Builder itemColumns(@Nullable List<String> itemColumns) {
      this.itemColumns = itemColumns;
      return this;
    }

    private Builder topK(@Nullable Integer topK, int minLen) {
      this.topK = topK;
      this.minLen = minLen;
      return this;
    }

    private Builder minSupport(double minSupport) {
      this.minSupport = minSupport;
      this.minSupportSet = true;
      return this;
    }

    private Builder method(Method method) {
      this.method = method;
      return this;
    }

    private Builder maxLen(@Nullable Integer maxLen) {
      this.maxLen = maxLen;
      return this;
    }

    private Builder target(Target target) {
      this.target = target;
      return this;
    }

    private Builder itemNames(boolean itemNames) {
      this.itemNames = itemNames;
      return this;
    }

    private Builder threadsPerGroup(int threadsPerGroup) {
      this.threadsPerGroup = threadsPerGroup;
      return this;
    }

    private Builder maxBundleBytes(long maxBundleBytes) {
      this.maxBundleBytes = maxBundleBytes;
      return this;
    }

    private MineGrouped build() {
      return new MineGrouped(this);
    }
  }

  /**
   * Mines one-hot transactions grouped by {@code groupField}: each input Row is one transaction of
   * the group named by that field, every other field (or those of {@link
   * #withItemColumns(String...)}) one BOOLEAN or 0/1 integer item.
   *
   * @throws IllegalArgumentException if {@code groupField} is null or empty
   */
  public static MineGrouped byColumn(String groupField) {
    checkFieldName(groupField, "groupField");
    return new Builder(Format.ONE_HOT, groupField).build();
  }

  /**
   * Mines long-format events: each input Row says that the transaction in {@code transactionField}
   * of the group in {@code groupField} holds the item in {@code itemField}.
   *
   * @throws IllegalArgumentException if a field name is null or empty, or two are the same
   */
  public static MineGrouped events(String groupField, String transactionField, String itemField) {
    checkFieldName(groupField, "groupField");
    checkFieldName(transactionField, "transactionField");
    checkFieldName(itemField, "itemField");
    if (groupField.equals(transactionField)
        || groupField.equals(itemField)
        || transactionField.equals(itemField)) {
      throw new IllegalArgumentException(
          String.format(
              "The group, transaction and item fields must differ, got '%s', '%s', '%s'",
              groupField, transactionField, itemField));
    }
    return new Builder(Format.EVENTS, groupField).eventFields(transactionField, itemField).build();
  }

  /**
   * Mines per-group {@link GroupEvents} built by the caller — for readers that fill the
   * accumulators straight from a file's columns ({@link GroupEvents#addChunk}, under one budget per
   * DoFn with {@link BundleAccumulators}) instead of creating a Row per event. The input is {@code
   * KV<group Row, GroupEvents>}, the key a Row of the one field {@code groupField} (its coder a
   * {@code RowCoder}); any number of partial accumulators per group, from any shard. The output,
   * the settings, their validation, display data and metrics are those of {@link #events}: the same
   * rows for the same events.
   *
   * <pre>{@code
   * PCollection<KV<Row, GroupEvents>> parts = ...;   // e.g. ArrowGroups.readEvents(...)
   * PCollection<Row> freq = parts.apply(
   *     MineGrouped.ofGroupEvents(storeField, KeyKind.INTEGER, KeyKind.INTEGER).withMinSupport(0.01));
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code groupField} is null, has an empty name or clashes
   *     with an output field, or a kind is null
   */
  public static MineGroupedAccumulators<GroupEvents> ofGroupEvents(
      Field groupField, KeyKind txnKind, KeyKind itemKind) {
    checkAccumulatorGroup(groupField);
    if (txnKind == null || itemKind == null) {
      throw new IllegalArgumentException(
          "Invalid key kinds: " + txnKind + ", " + itemKind + ". Give INTEGER or STRING for each.");
    }
    return MineGroupedAccumulators.events(groupField, txnKind, itemKind);
  }

  /**
   * Mines per-group one-hot {@link GroupBaskets} built by the caller (e.g. from bitmaps with {@link
   * GroupBaskets#addBitmapRows}), whose integer keys are indices into {@code itemColumns}: the item
   * names, as {@link #byColumn} takes them from the input's fields. The input is {@code KV<group
   * Row, GroupBaskets>}, the key a Row of the one field {@code groupField}. The output, settings,
   * validation, display data and metrics are those of {@link #byColumn}.
   *
   * @throws IllegalArgumentException if {@code groupField} is null, has an empty name or clashes
   *     with an output field, or the item columns are missing, repeated, empty or the group field
   */
  public static MineGroupedAccumulators<GroupBaskets> ofGroupBaskets(
      Field groupField, String... itemColumns) {
    checkAccumulatorGroup(groupField);
    MineGrouped settings = settings(false, groupField.getName()).withItemColumns(itemColumns);
    return MineGroupedAccumulators.baskets(groupField, settings);
  }

  private static void checkAccumulatorGroup(Field groupField) {
    if (groupField == null) {
      throw new IllegalArgumentException("Invalid groupField: null. Give the group Row's field.");
    }
    checkFieldName(groupField.getName(), "groupField");
    checkGroupField(groupField.getName());
  }

  /**
   * Minimum support within each group, in (0, 1]; default {@value #DEFAULT_MIN_SUPPORT}.
   *
   * @throws IllegalArgumentException if not in (0, 1]
   */
  public MineGrouped withMinSupport(double minSupport) {
    ItemsetMiner.checkMinSupport(minSupport);
    return toBuilder().minSupport(minSupport).build();
  }

  /** The mining algorithm; default {@link Method#AUTO}. */
  public MineGrouped withMethod(Method method) {
    if (method == null) {
      throw new IllegalArgumentException(
          "Invalid method: null. Valid values are auto, fpgrowth, eclat.");
    }
    return toBuilder().method(method).build();
  }

  /**
   * Only itemsets of at most {@code maxLen} items (by default, any length).
   *
   * @throws IllegalArgumentException if {@code maxLen < 1}
   */
  public MineGrouped withMaxLen(int maxLen) {
    if (maxLen < 1) {
      throw new IllegalArgumentException(
          "Invalid maxLen: " + maxLen + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return toBuilder().maxLen(maxLen).build();
  }

  /**
   * Which itemsets each group yields: {@link Target#ALL} (default), {@link Target#CLOSED} (no
   * superset of the same count in the group) or {@link Target#MAXIMAL} (no frequent superset in the
   * group), mined directly (see {@link ItemsetMiner#withTarget}); the output schema is the same.
   * Closed itemsets feed {@link RulesGrouped}, which recovers the other supports.
   */
  public MineGrouped withTarget(Target target) {
    if (target == null) {
      throw new IllegalArgumentException(
          "Invalid target: null. Valid values are all, closed, maximal.");
    }
    if (topK != null) {
      ItemsetMiner.topK(topK).withTarget(target); // top-k does not apply to MAXIMAL
    }
    return toBuilder().target(target).build();
  }

  /**
   * Only the {@code k} itemsets of highest count in each group (ties: fewer items, then item values
   * in ascending order), mined with a rising threshold ({@link ItemsetMiner#withTopK}). Without
   * {@link #withMinSupport} no support threshold applies (the default one does not); with it, the k
   * best of those reaching it. Works with {@link Target#ALL} and {@link Target#CLOSED}.
   *
   * @throws IllegalArgumentException if {@code k < 1} or the target is MAXIMAL
   */
  public MineGrouped withTopK(int k) {
    ItemsetMiner.topK(k).withTarget(target); // validates k and the target
    return toBuilder().topK(k, minLen).build();
  }

  /**
   * Only itemsets of at least {@code minLen} items (default 1), e.g. 2 to skip single items; with
   * top-k, the k best among those.
   *
   * @throws IllegalArgumentException if {@code minLen < 1}
   */
  public MineGrouped withMinLen(int minLen) {
    ItemsetMiner.minCount(1).withMinLen(minLen); // validates
    return toBuilder().topK(topK, minLen).build();
  }

  /** Itemsets of any length (the default). */
  public MineGrouped withoutMaxLen() {
    return toBuilder().maxLen(null).build();
  }

  /**
   * True (the default): itemsets as item names, {@code ARRAY<STRING>}; false: item ids, {@code
   * ARRAY<INT32>} — the item field's index among the item fields for one-hot input, the item value
   * itself for events (whose item field must then be an integer field).
   */
  public MineGrouped withItemNames(boolean itemNames) {
    return toBuilder().itemNames(itemNames).build();
  }

  /**
   * Threads mining one group (default {@value #DEFAULT_THREADS_PER_GROUP}: the runner already mines
   * different groups in parallel). More helps when a few groups dominate.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public MineGrouped withThreadsPerGroup(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid threadsPerGroup: %s. Valid range is [1, %s].", threads, Integer.MAX_VALUE));
    }
    return toBuilder().threadsPerGroup(threads).build();
  }

  /**
   * Events input only: the memory budget, in bytes, of the accumulators that gather events per
   * group before the shuffle, for all the groups and windows of a bundle together (default {@value
   * #DEFAULT_MAX_BUNDLE_BYTES}, 64 MiB). When the estimate of their size passes it, the largest are
   * sent on early, which costs only more, smaller partial accumulators for the combine to merge;
   * the result is the same. The estimate counts array capacities and keys, not Java's own overhead
   * of the rows being read.
   *
   * @throws IllegalArgumentException for one-hot input or a budget below 1
   */
  public MineGrouped withMaxBundleBytes(long maxBundleBytes) {
    if (format != Format.EVENTS) {
      throw new IllegalArgumentException(
          "withMaxBundleBytes applies to events input (MineGrouped.events): one-hot rows are"
              + " combined one basket at a time");
    }
    BundleAccumulators.checkMaxBytes(maxBundleBytes);
    return toBuilder().maxBundleBytes(maxBundleBytes).build();
  }

  /**
   * One-hot input only: the item fields, in the order that gives their ids (by default every field
   * but the group field, in schema order). Other fields of the input are ignored.
   *
   * @throws IllegalArgumentException for events input, no columns, a null or empty name, a repeated
   *     name or the group field
   */
  public MineGrouped withItemColumns(String... columns) {
    if (format != Format.ONE_HOT) {
      throw new IllegalArgumentException(
          String.format(
              "withItemColumns applies to one-hot input (MineGrouped.byColumn), not to events;"
                  + " the item field of events is '%s'",
              itemField));
    }
    if (columns == null || columns.length == 0) {
      throw new IllegalArgumentException("withItemColumns needs at least one item column");
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      checkFieldName(c, "item column");
      if (c.equals(groupField)) {
        throw new IllegalArgumentException(
            "The group field '" + groupField + "' cannot also be an item column");
      }
      if (!seen.add(c)) {
        throw new IllegalArgumentException("Item column '" + c + "' is listed twice");
      }
    }
    return toBuilder().itemColumns(List.of(columns)).build();
  }

  /** The minimum support. */
  public double getMinSupport() {
    return minSupport;
  }

  /** The target: all, closed or maximal itemsets. */
  public Target getTarget() {
    return target;
  }

  /** The mining method. */
  public Method getMethod() {
    return method;
  }

  /** The maximum itemset length, or null for any length. */
  public @Nullable Integer getMaxLen() {
    return maxLen;
  }

  /** Whether itemsets hold item names. */
  public boolean getItemNames() {
    return itemNames;
  }

  /** Threads mining one group. */
  public int getThreadsPerGroup() {
    return threadsPerGroup;
  }

  /** The byte budget of the per-bundle event accumulators (events input). */
  public long getMaxBundleBytes() {
    return maxBundleBytes;
  }

  /**
   * The output schema for a group field: the group field, {@code support DOUBLE}, {@code itemsets
   * ARRAY<STRING>} (or {@code ARRAY<INT32>} when {@code itemNames} is false), {@code count INT64},
   * {@code transactions INT64}.
   */
  public static Schema outputSchema(Field groupField, boolean itemNames) {
    return ItemsetSchema.of(groupField, itemNames);
  }

  // ------------------------------------------------------------------------------------------
  // Expansion

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    if (!input.hasSchema()) {
      throw new IllegalArgumentException(
          String.format(
              "MineGrouped needs a PCollection<Row> with a schema (e.g. setRowSchema), got one"
                  + " with coder %s",
              input.getCoder()));
    }
    Schema schema = input.getSchema();
    Field group = requireField(schema, groupField, "Group");
    checkGroupField(groupField);
    Schema keySchema = Schema.builder().addField(group).build();
    Coder<Row> keyCoder = RowCoder.of(keySchema);

    PCollection<KV<Row, GroupBaskets>> groups;
    KeyKind kind;
    String[] columnNames = null;
    if (format == Format.ONE_HOT) {
      List<String> columns = resolveItemColumns(schema);
      columnNames = columns.toArray(new String[0]);
      int[] indices = new int[columnNames.length];
      for (int j = 0; j < indices.length; j++) {
        indices[j] = schema.indexOf(columnNames[j]);
      }
      kind = KeyKind.INTEGER;
      groups =
          input
              .apply(
                  "ToBaskets",
                  ParDo.of(
                      new OneHotToBasketsFn(
                          groupField, schema.indexOf(groupField), columnNames, indices, keySchema)))
              .setCoder(KvCoder.of(keyCoder, Basket.coder()))
              .apply("AccumulateGroups", Combine.perKey(new BasketToGroupFn(kind)));
    } else {
      Field txn = requireField(schema, transactionField, "Transaction");
      Field item = requireField(schema, itemField, "Item");
      checkIdType(txn, "transaction");
      checkIdType(item, "item");
      boolean stringItems = item.getType().getTypeName() == TypeName.STRING;
      if (stringItems && !itemNames) {
        throw new IllegalArgumentException(
            String.format(
                "withItemNames(false) outputs item values as ARRAY<INT32> ids, so it needs an"
                    + " integer item field, but item field '%s' is STRING",
                itemField));
      }
      kind = stringItems ? KeyKind.STRING : KeyKind.INTEGER;
      KeyKind txnKind =
          txn.getType().getTypeName() == TypeName.STRING ? KeyKind.STRING : KeyKind.INTEGER;
      groups =
          input
              .apply(
                  "KeyByGroup",
                  ParDo.of(
                      new KeyEventsByGroupFn(
                          groupField,
                          schema.indexOf(groupField),
                          transactionField,
                          schema.indexOf(transactionField),
                          itemField,
                          schema.indexOf(itemField),
                          kind,
                          !itemNames,
                          keySchema,
                          txnKind,
                          maxBundleBytes)))
              .setCoder(KvCoder.of(keyCoder, GroupEvents.coder()))
              .apply("AccumulateGroups", Combine.perKey(new EventsToGroupFn(txnKind, kind)));
    }
    return mineEach(groups, group, columnNames);
  }

  /** Mines each group's baskets with these settings ("MineEachGroup"). */
  PCollection<Row> mineEach(
      PCollection<KV<Row, GroupBaskets>> groups, Field group, String @Nullable [] columnNames) {
    Schema outSchema = outputSchema(group, itemNames);
    return groups
        .apply(
            "MineEachGroup",
            ParDo.of(
                new MineEachGroupFn(
                    outSchema,
                    columnNames,
                    minSupport,
                    method,
                    maxLen,
                    target,
                    topK,
                    minLen,
                    topK == null || minSupportSet,
                    itemNames,
                    threadsPerGroup)))
        .setRowSchema(outSchema);
  }

  /**
   * The settings of {@link MineGroupedAccumulators}: a MineGrouped of the format that takes the
   * same knobs ({@code withMaxBundleBytes} for events, {@code withItemColumns} for one-hot).
   */
  static MineGrouped settings(boolean events, String groupField) {
    return new Builder(events ? Format.EVENTS : Format.ONE_HOT, groupField).build();
  }

  /** The item columns set by {@link #withItemColumns}, or null. */
  @Nullable List<String> itemColumns() {
    return itemColumns;
  }

  /**
   * Checks that a group field may name the groups of the output.
   *
   * @throws IllegalArgumentException if it clashes with an output field
   */
  static void checkGroupField(String groupField) {
    if (OUTPUT_FIELDS.contains(groupField)) {
      throw new IllegalArgumentException(
          String.format(
              "The group field '%s' clashes with an output field; output fields are %s. Rename"
                  + " it first.",
              groupField, OUTPUT_FIELDS));
    }
  }

  /** The mining settings' display data (shared with {@link MineGroupedAccumulators}). */
  void populateMiningData(DisplayData.Builder builder) {
    builder
        .add(
            DisplayData.item("minSupport", minSupport)
                .withLabel("Minimum support (fraction of the group's transactions)"))
        .add(DisplayData.item("method", method.name()).withLabel("Mining method"))
        .addIfNotNull(DisplayData.item("maxLen", maxLen).withLabel("Maximum itemset length"))
        .add(DisplayData.item("target", target.name()).withLabel("Itemsets mined"))
        .addIfNotNull(DisplayData.item("topK", topK).withLabel("Top-k itemsets per group"))
        .add(DisplayData.item("minLen", minLen).withLabel("Minimum itemset length"))
        .add(DisplayData.item("itemNames", itemNames).withLabel("Itemsets as item names"))
        .add(
            DisplayData.item("threadsPerGroup", threadsPerGroup)
                .withLabel("Mining threads per group"));
  }

  private List<String> resolveItemColumns(Schema schema) {
    List<String> columns = new ArrayList<>();
    if (itemColumns != null) {
      for (String c : itemColumns) {
        if (!schema.hasField(c)) {
          throw new IllegalArgumentException(
              String.format(
                  "Item column '%s' is not in the input schema; fields are %s",
                  c, schema.getFieldNames()));
        }
        columns.add(c);
      }
    } else {
      for (String f : schema.getFieldNames()) {
        if (!f.equals(groupField)) {
          columns.add(f);
        }
      }
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException(
          "No item columns: the input has only the group field '" + groupField + "'");
    }
    for (String c : columns) {
      TypeName t = schema.getField(c).getType().getTypeName();
      if (t != TypeName.BOOLEAN && !isInteger(t)) {
        throw new IllegalArgumentException(
            String.format(
                "Item field '%s' has type %s; one-hot item fields must be BOOLEAN or 0/1 integers"
                    + " (INT8, INT16, INT32, INT64). List the item fields with"
                    + " withItemColumns(...) to leave other fields out.",
                c, schema.getField(c).getType()));
      }
    }
    return columns;
  }

  private static Field requireField(Schema schema, @Nullable String name, String role) {
    if (name == null || !schema.hasField(name)) {
      throw new IllegalArgumentException(
          String.format(
              "%s field '%s' is not in the input schema; fields are %s",
              role, name, schema.getFieldNames()));
    }
    return schema.getField(name);
  }

  private static void checkIdType(Field field, String role) {
    TypeName t = field.getType().getTypeName();
    if (t != TypeName.STRING && !isInteger(t)) {
      throw new IllegalArgumentException(
          String.format(
              "The %s field '%s' has type %s; it must be STRING or an integer (INT8, INT16, INT32,"
                  + " INT64)",
              role, field.getName(), field.getType()));
    }
  }

  private static boolean isInteger(TypeName t) {
    return t == TypeName.BYTE || t == TypeName.INT16 || t == TypeName.INT32 || t == TypeName.INT64;
  }

  private static void checkFieldName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid %s: %s. Give a field name.", what, name == null ? "null" : "an empty name"));
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(
            DisplayData.item("format", format == Format.ONE_HOT ? "one-hot" : "events")
                .withLabel("Input format"))
        .add(DisplayData.item("groupField", groupField).withLabel("Group field"))
        .addIfNotNull(
            DisplayData.item(
                    "itemColumns", itemColumns == null ? null : String.join(", ", itemColumns))
                .withLabel("Item columns"))
        .addIfNotNull(
            DisplayData.item("transactionField", transactionField).withLabel("Transaction field"))
        .addIfNotNull(DisplayData.item("itemField", itemField).withLabel("Item field"));
    populateMiningData(builder);
    if (format == Format.EVENTS) {
      builder.add(
          DisplayData.item("maxBundleBytes", maxBundleBytes)
              .withLabel("Memory budget of the per-bundle event accumulators (bytes)"));
    }
  }

  // ------------------------------------------------------------------------------------------
  // CombineFns, exposed for reuse

  /**
   * The CombineFn that accumulates the baskets of one group into a {@link GroupBaskets}; its output
   * is the {@link GroupBaskets#canonical() canonical} form.
   */
  public static BasketToGroupFn groupCombineFn(KeyKind kind) {
    return new BasketToGroupFn(kind);
  }

  /**
   * The CombineFn that accumulates the long-format events of one group into a {@link GroupEvents}
   * and outputs its transactions as {@link GroupBaskets} ({@link GroupEvents#toBaskets()}: the same
   * for any order and sharding of the events). Its inputs are partial {@link GroupEvents} of the
   * group (as many as wanted, down to one per event), with keys of the given kinds.
   */
  public static EventsToGroupFn eventsCombineFn(KeyKind txnKind, KeyKind itemKind) {
    return new EventsToGroupFn(txnKind, itemKind);
  }
}
