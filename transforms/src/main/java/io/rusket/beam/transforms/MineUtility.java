package io.rusket.beam.transforms;

import io.rusket.beam.miner.UtilityDb;
import io.rusket.beam.miner.UtilityMiner;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * High-utility itemsets per group (store, region, segment) or globally: takes a {@code
 * PCollection<Row>} of long-format events {@code (group, transaction, item, utility)} — utility
 * being e.g. the line's profit, quantity × unit margin — and returns, for every group, one Row per
 * itemset whose <em>utility</em> (the sum, over the group's transactions containing every item of
 * the itemset, of those items' utilities in the transaction) reaches the threshold.
 *
 * <p><b>Input.</b> Transaction and item fields are STRING or integer; the utility field is DOUBLE,
 * FLOAT, an integer or DECIMAL, {@code >= 0}; the group field is STRING, an integer or BOOLEAN.
 * Duplicate (transaction, item) events are <em>summed</em> (two lines of one receipt for the same
 * product). A null key, or a null, negative, NaN or infinite utility fails the pipeline with a
 * message naming the field, the value, the event's transaction and item, and the group: nothing is
 * dropped or clamped. Utilities are summed exactly in fixed point (millionths: see {@link
 * UtilityDb}), so results do not depend on the order or sharding of the events.
 *
 * <p><b>Threshold.</b> {@link #withMinUtility(double)}, absolute in units of the utility field, or
 * {@link #withMinUtilityFraction(double)}, a share of each group's total utility (the last one set
 * applies); one of them is required. Both are exact (see {@link UtilityMiner}); {@link
 * #withMaxLen(int)} bounds the itemsets' length.
 *
 * <p><b>Output</b>, one Row per high-utility itemset: the group field (same name and type; absent
 * in the {@link #globalEvents global form}), {@code utility DOUBLE}, {@code count INT64} (the
 * group's transactions containing the itemset), {@code support DOUBLE} ({@code count} / the group's
 * number of transactions), {@code itemsets ARRAY<STRING>} (item keys in ascending order: by {@link
 * String#compareTo}, or numerically for integer items, written in decimal).
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // lines: store_id STRING | receipt_id INT64 | sku STRING | profit DOUBLE
 * PCollection<Row> hui = lines.apply(
 *     MineUtility.events("store_id", "receipt_id", "sku", "profit")
 *         .withMinUtilityFraction(0.01)   // 1% of each store's total profit
 *         .withMaxLen(3));
 * // hui: store_id STRING | utility DOUBLE | count INT64 | support DOUBLE | itemsets ARRAY<STRING>
 *
 * PCollection<Row> all = lines.apply(
 *     MineUtility.globalEvents("receipt_id", "sku", "profit").withMinUtility(5000));
 * }</pre>
 *
 * <p><b>Shape.</b> As {@link MineGrouped}'s events: the events of each group are gathered first per
 * bundle ("KeyByGroup", within one byte budget for all groups and windows of the bundle, {@link
 * #withMaxBundleBytes(long)}), then by a {@link Combine#perKey} ("AccumulateGroups", {@link
 * UtilityEventsFn}) into one compact {@link UtilityEvents} per group, and each group is mined by
 * EFIM on one worker ("MineEachGroup"), which emits the rows as it finds them. Works per window.
 *
 * <p><b>Memory.</b> All the events of one group must fit in the memory of one worker: about 16
 * bytes per event plus the keys (and a lookup table per distinct key while events are added), then
 * while mining the group's database (12 bytes per distinct (transaction, item) entry, twice) and
 * EFIM's projected transactions along one search path. The output is streamed, so a huge result
 * need not fit. In the global form everything is one group.
 *
 * <p><b>Reference.</b> S. Zida, P. Fournier-Viger, J. C.-W. Lin, C.-W. Wu, V. S. Tseng, "EFIM: a
 * fast and memory efficient algorithm for high-utility itemset mining", Knowledge and Information
 * Systems 51(2), 2017.
 *
 * <p>Metrics (namespace {@value #METRICS_NAMESPACE}): counters {@code events}, {@code groupsMined},
 * {@code transactions}, {@code itemsetsEmitted}, {@code bundleFlushes}; distributions {@code
 * miningMillis} (per group) and {@code bundleBytes}.
 */
public final class MineUtility extends PTransform<PCollection<Row>, PCollection<Row>> {
  /** Namespace of the Beam metrics. */
  public static final String METRICS_NAMESPACE = "MineUtility";

  /** Output field: the itemset's utility, {@code DOUBLE}. */
  public static final String UTILITY_FIELD = "utility";

  /** Output field: the number of the group's transactions containing the itemset, INT64. */
  public static final String COUNT_FIELD = "count";

  /** Output field: count / the group's number of transactions, DOUBLE. */
  public static final String SUPPORT_FIELD = "support";

  /** Output field: the itemset's items, {@code ARRAY<STRING>}. */
  public static final String ITEMSETS_FIELD = "itemsets";

  /** By default the per-bundle accumulators hold at most 64 MiB before the largest are sent on. */
  public static final long DEFAULT_MAX_BUNDLE_BYTES = 64L << 20;

  private static final String GLOBAL_KEY = "all";

  private final @Nullable String groupField;
  private final String txnField;
  private final String itemField;
  private final String utilityField;
  private final @Nullable Double minUtility;
  private final @Nullable Double minUtilityFraction;
  private final @Nullable Integer maxLen;
  private final long maxBundleBytes;

  private MineUtility(Builder b) {
    this.groupField = b.groupField;
    this.txnField = b.txnField;
    this.itemField = b.itemField;
    this.utilityField = b.utilityField;
    this.minUtility = b.minUtility;
    this.minUtilityFraction = b.minUtilityFraction;
    this.maxLen = b.maxLen;
    this.maxBundleBytes = b.maxBundleBytes;
  }

  /** A copy with the settings {@code change} makes: {@code with(b -> b.maxLen = 3)}. */
  private MineUtility with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return new MineUtility(b);
  }

  /** The settings of a {@link MineUtility} being made: the defaults, or a copy's. */
  private static final class Builder {
    private final @Nullable String groupField;
    private final String txnField;
    private final String itemField;
    private final String utilityField;
    private @Nullable Double minUtility;
    private @Nullable Double minUtilityFraction;
    private @Nullable Integer maxLen;
    private long maxBundleBytes = DEFAULT_MAX_BUNDLE_BYTES;

    private Builder(
        @Nullable String groupField, String txnField, String itemField, String utilityField) {
      this.groupField = groupField;
      this.txnField = txnField;
      this.itemField = itemField;
      this.utilityField = utilityField;
    }

    private Builder(MineUtility t) {
      this(t.groupField, t.txnField, t.itemField, t.utilityField);
      minUtility = t.minUtility;
      minUtilityFraction = t.minUtilityFraction;
      maxLen = t.maxLen;
      maxBundleBytes = t.maxBundleBytes;
    }
  }

  /** High-utility itemsets of each group of events {@code (group, txn, item, utility)}. */
  public static MineUtility events(
      String groupField, String txnField, String itemField, String utilityField) {
    checkFieldName(groupField, "groupField");
    return create(groupField, txnField, itemField, utilityField);
  }

  /** High-utility itemsets of all events {@code (txn, item, utility)} together: one result. */
  public static MineUtility globalEvents(String txnField, String itemField, String utilityField) {
    return create(null, txnField, itemField, utilityField);
  }

  private static MineUtility create(
      @Nullable String groupField, String txnField, String itemField, String utilityField) {
    checkFieldName(txnField, "txnField");
    checkFieldName(itemField, "itemField");
    checkFieldName(utilityField, "utilityField");
    return new MineUtility(new Builder(groupField, txnField, itemField, utilityField));
  }

  /**
   * An absolute threshold: itemsets of utility {@code >= minUtility} (replaces a fraction).
   *
   * @throws IllegalArgumentException unless finite and {@code > 0}
   */
  public MineUtility withMinUtility(double minUtility) {
    UtilityMiner.minUtility(minUtility); // validates, naming the value
    return with(
        b -> {
          b.minUtility = minUtility;
          b.minUtilityFraction = null;
        });
  }

  /**
   * A relative threshold: itemsets of utility {@code >= fraction ×} the group's total utility
   * (replaces an absolute one).
   *
   * @throws IllegalArgumentException unless in (0, 1]
   */
  public MineUtility withMinUtilityFraction(double fraction) {
    UtilityMiner.checkFraction(fraction);
    return with(
        b -> {
          b.minUtility = null;
          b.minUtilityFraction = fraction;
        });
  }

  /**
   * Itemsets of at most {@code maxLen} items.
   *
   * @throws IllegalArgumentException if {@code maxLen < 1}
   */
  public MineUtility withMaxLen(int maxLen) {
    if (maxLen < 1) {
      throw new IllegalArgumentException(
          "Invalid maxLen: " + maxLen + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return with(b -> b.maxLen = maxLen);
  }

  /**
   * The byte budget of the per-bundle accumulators, all groups and windows of a bundle together.
   *
   * @throws IllegalArgumentException if {@code maxBundleBytes < 1}
   */
  public MineUtility withMaxBundleBytes(long maxBundleBytes) {
    BundleAccumulators.checkMaxBytes(maxBundleBytes);
    return with(b -> b.maxBundleBytes = maxBundleBytes);
  }

  /** The miner these settings describe. */
  public UtilityMiner miner() {
    if (minUtility == null && minUtilityFraction == null) {
      throw new IllegalArgumentException(
          "MineUtility needs a threshold: call withMinUtility(u) or withMinUtilityFraction(f)");
    }
    UtilityMiner m =
        minUtility != null
            ? UtilityMiner.minUtility(minUtility)
            : UtilityMiner.minUtilityFraction(minUtilityFraction);
    return maxLen == null ? m : m.withMaxLen(maxLen);
  }

  /**
   * The output schema: the group field when given, then {@code utility DOUBLE}, {@code count
   * INT64}, {@code support DOUBLE}, {@code itemsets ARRAY<STRING>}.
   */
  public static Schema outputSchema(@Nullable Field groupField) {
    Schema.Builder b = Schema.builder();
    if (groupField != null) {
      b.addField(groupField);
    }
    return b.addDoubleField(UTILITY_FIELD)
        .addInt64Field(COUNT_FIELD)
        .addDoubleField(SUPPORT_FIELD)
        .addArrayField(ITEMSETS_FIELD, FieldType.STRING)
        .build();
  }

  /**
   * The CombineFn that gathers partial {@link UtilityEvents} of one group into one, with keys of
   * the given kinds.
   */
  public static UtilityEventsFn combineFn(KeyKind txnKind, KeyKind itemKind) {
    return new UtilityEventsFn(txnKind, itemKind);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    if (!input.hasSchema()) {
      throw new IllegalArgumentException(
          "MineUtility needs a PCollection<Row> with a schema (e.g. setRowSchema), got one with"
              + " coder "
              + input.getCoder());
    }
    UtilityMiner miner = miner();
    Schema schema = input.getSchema();
    Field group = null;
    Schema keySchema;
    if (groupField != null) {
      group = requireField(schema, groupField, "Group");
      TypeName t = group.getType().getTypeName();
      if (t != TypeName.STRING && t != TypeName.BOOLEAN && !isInteger(t)) {
        throw new IllegalArgumentException(
            String.format(
                "The group field '%s' has type %s; it must be STRING, BOOLEAN or an integer (INT8,"
                    + " INT16, INT32, INT64)",
                groupField, group.getType()));
      }
      if (outputFieldNames().contains(groupField)) {
        throw new IllegalArgumentException(
            String.format(
                "Invalid groupField: '%s' is an output field name (%s); rename the group field",
                groupField, outputFieldNames()));
      }
      keySchema = Schema.builder().addField(group).build();
    } else {
      keySchema = Schema.builder().addBooleanField(GLOBAL_KEY).build();
    }
    Field txn = requireField(schema, txnField, "Transaction");
    Field item = requireField(schema, itemField, "Item");
    Field utility = requireField(schema, utilityField, "Utility");
    KeyKind txnKind = keyKind(txn, "transaction");
    KeyKind itemKind = keyKind(item, "item");
    TypeName ut = utility.getType().getTypeName();
    if (!isInteger(ut) && ut != TypeName.DOUBLE && ut != TypeName.FLOAT && ut != TypeName.DECIMAL) {
      throw new IllegalArgumentException(
          String.format(
              "The utility field '%s' has type %s; it must be DOUBLE, FLOAT, DECIMAL or an"
                  + " integer",
              utilityField, utility.getType()));
    }
    Schema outSchema = outputSchema(group);
    return input
        .apply(
            "KeyByGroup",
            ParDo.of(
                new KeyUtilityEventsByGroupFn(
                    groupField,
                    groupField == null ? -1 : schema.indexOf(groupField),
                    txnField,
                    schema.indexOf(txnField),
                    itemField,
                    schema.indexOf(itemField),
                    utilityField,
                    schema.indexOf(utilityField),
                    txnKind,
                    itemKind,
                    keySchema,
                    maxBundleBytes)))
        .setCoder(KvCoder.of(RowCoder.of(keySchema), UtilityEvents.coder()))
        .apply("AccumulateGroups", Combine.perKey(new UtilityEventsFn(txnKind, itemKind)))
        .apply(
            "MineEachGroup", ParDo.of(new MineUtilityEachGroupFn(outSchema, group != null, miner)))
        .setRowSchema(outSchema);
  }

  private static java.util.List<String> outputFieldNames() {
    return java.util.List.of(UTILITY_FIELD, COUNT_FIELD, SUPPORT_FIELD, ITEMSETS_FIELD);
  }

  private static KeyKind keyKind(Field field, String role) {
    TypeName t = field.getType().getTypeName();
    if (t == TypeName.STRING) {
      return KeyKind.STRING;
    }
    if (isInteger(t)) {
      return KeyKind.INTEGER;
    }
    throw new IllegalArgumentException(
        String.format(
            "The %s field '%s' has type %s; it must be STRING or an integer (INT8, INT16, INT32,"
                + " INT64)",
            role, field.getName(), field.getType()));
  }

  private static boolean isInteger(TypeName t) {
    return t == TypeName.BYTE || t == TypeName.INT16 || t == TypeName.INT32 || t == TypeName.INT64;
  }

  private static Field requireField(Schema schema, String name, String role) {
    if (!schema.hasField(name)) {
      throw new IllegalArgumentException(
          String.format(
              "%s field '%s' is not in the input schema; fields are %s",
              role, name, schema.getFieldNames()));
    }
    return schema.getField(name);
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
        .addIfNotNull(DisplayData.item("groupField", groupField).withLabel("Group field"))
        .add(DisplayData.item("transactionField", txnField).withLabel("Transaction field"))
        .add(DisplayData.item("itemField", itemField).withLabel("Item field"))
        .add(DisplayData.item("utilityField", utilityField).withLabel("Utility field"))
        .addIfNotNull(
            DisplayData.item("minUtility", minUtility).withLabel("Minimum utility (absolute)"))
        .addIfNotNull(
            DisplayData.item("minUtilityFraction", minUtilityFraction)
                .withLabel("Minimum utility (share of the group's total)"))
        .addIfNotNull(DisplayData.item("maxLen", maxLen).withLabel("Maximum itemset length"))
        .add(
            DisplayData.item("maxBundleBytes", maxBundleBytes)
                .withLabel("Memory budget of the per-bundle event accumulators (bytes)"));
  }

  @Override
  public String toString() {
    return "MineUtility{group="
        + groupField
        + ", "
        + Objects.toString(minUtility != null ? "minUtility=" + minUtility : null, "")
        + Objects.toString(
            minUtilityFraction != null ? "minUtilityFraction=" + minUtilityFraction : null, "")
        + "}";
  }
}
