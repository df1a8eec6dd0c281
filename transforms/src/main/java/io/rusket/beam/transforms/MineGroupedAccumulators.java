package io.rusket.beam.transforms;

import io.rusket.beam.miner.Method;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link MineGrouped} over accumulators built by the caller: takes {@code KV<group Row, AccumT>} —
 * partial {@link GroupEvents} ({@link MineGrouped#ofGroupEvents}) or one-hot {@link GroupBaskets}
 * ({@link MineGrouped#ofGroupBaskets}), as many per group as the reader made — and returns one Row
 * per frequent itemset of each group, exactly as {@link MineGrouped#events} / {@link
 * MineGrouped#byColumn} do for the same data: the same output schema, settings, validation
 * messages, display data and metrics (namespace {@value MineGrouped#METRICS_NAMESPACE}).
 *
 * <p>This is the entry of columnar readers, which fill the accumulators straight from a file's
 * column vectors ({@link GroupEvents#addChunk}, {@link GroupBaskets#addBitmapRows}) under one byte
 * budget per DoFn ({@link BundleAccumulators}), instead of creating a Row per event or receipt.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<KV<Row, GroupEvents>> parts = p.apply(ArrowGroups.readEvents(...));
 * PCollection<Row> freq = parts.apply(
 *     MineGrouped.ofGroupEvents(storeField, KeyKind.STRING, KeyKind.INTEGER)
 *         .withMinSupport(0.01)
 *         .withMaxLen(3));
 * }</pre>
 *
 * <p><b>Memory.</b> As {@link MineGrouped}: all the data of one group, compact, must fit in one
 * worker; the caller's accumulators are merged by one {@link Combine#perKey} ("AccumulateGroups")
 * and each group mined by one DoFn ("MineEachGroup"). The reader bounds what it holds before the
 * shuffle. Partial {@link GroupEvents} are combined as encoded parts ({@link GroupEventParts}:
 * about 3.5 bytes per event for integer keys, merged by concatenation), decoded group by group only
 * to build the group's baskets, because a runner's combine holds the accumulators of every group of
 * a partition at once (on Spark unspilled: its sorter checks its size every 32 records).
 *
 * @param <AccumT> {@link GroupEvents} or {@link GroupBaskets}
 */
public final class MineGroupedAccumulators<AccumT>
    extends PTransform<PCollection<KV<Row, AccumT>>, PCollection<Row>> {
  private final Field groupField;

  /** The mining settings (minSupport, method, maxLen, itemNames, threads; one-hot item columns). */
  private final MineGrouped settings;

  /** True for GroupEvents input, false for one-hot GroupBaskets. */
  private final boolean events;

  /** Events only: the key kinds. */
  private final @Nullable KeyKind txnKind;

  private final @Nullable KeyKind itemKind;

  private MineGroupedAccumulators(
      Field groupField,
      MineGrouped settings,
      boolean events,
      @Nullable KeyKind txnKind,
      @Nullable KeyKind itemKind) {
    this.groupField = groupField;
    this.settings = settings;
    this.events = events;
    this.txnKind = txnKind;
    this.itemKind = itemKind;
  }

  static MineGroupedAccumulators<GroupEvents> events(
      Field groupField, KeyKind txnKind, KeyKind itemKind) {
    return new MineGroupedAccumulators<>(
        groupField, MineGrouped.settings(true, groupField.getName()), true, txnKind, itemKind);
  }

  static MineGroupedAccumulators<GroupBaskets> baskets(Field groupField, MineGrouped settings) {
    return new MineGroupedAccumulators<>(groupField, settings, false, null, null);
  }

  private MineGroupedAccumulators<AccumT> with(MineGrouped s) {
    return new MineGroupedAccumulators<>(groupField, s, events, txnKind, itemKind);
  }

  /** As {@link MineGrouped#withMinSupport}. */
  public MineGroupedAccumulators<AccumT> withMinSupport(double minSupport) {
    return with(settings.withMinSupport(minSupport));
  }

  /** As {@link MineGrouped#withMethod}. */
  public MineGroupedAccumulators<AccumT> withMethod(Method method) {
    return with(settings.withMethod(method));
  }

  /** As {@link MineGrouped#withMaxLen}. */
  public MineGroupedAccumulators<AccumT> withMaxLen(int maxLen) {
    return with(settings.withMaxLen(maxLen));
  }

  /** As {@link MineGrouped#withTarget}. */
  public MineGroupedAccumulators<AccumT> withTarget(io.rusket.beam.miner.Target target) {
    return with(settings.withTarget(target));
  }

  /** As {@link MineGrouped#withTopK}. */
  public MineGroupedAccumulators<AccumT> withTopK(int k) {
    return with(settings.withTopK(k));
  }

  /** As {@link MineGrouped#withMinLen}. */
  public MineGroupedAccumulators<AccumT> withMinLen(int minLen) {
    return with(settings.withMinLen(minLen));
  }

  /** As {@link MineGrouped#withoutMaxLen}. */
  public MineGroupedAccumulators<AccumT> withoutMaxLen() {
    return with(settings.withoutMaxLen());
  }

  /**
   * As {@link MineGrouped#withItemNames}: false outputs item ids, {@code ARRAY<INT32>} — the item
   * column's index for one-hot baskets, the item key for events (which must then be INTEGER).
   */
  public MineGroupedAccumulators<AccumT> withItemNames(boolean itemNames) {
    return with(settings.withItemNames(itemNames));
  }

  /** As {@link MineGrouped#withThreadsPerGroup}. */
  public MineGroupedAccumulators<AccumT> withThreadsPerGroup(int threads) {
    return with(settings.withThreadsPerGroup(threads));
  }

  /** The minimum support. */
  public double getMinSupport() {
    return settings.getMinSupport();
  }

  /** The mining method. */
  public Method getMethod() {
    return settings.getMethod();
  }

  /** The maximum itemset length, or null for any length. */
  public @Nullable Integer getMaxLen() {
    return settings.getMaxLen();
  }

  /** Whether itemsets hold item names. */
  public boolean getItemNames() {
    return settings.getItemNames();
  }

  /** Threads mining one group. */
  public int getThreadsPerGroup() {
    return settings.getThreadsPerGroup();
  }

  /** The output schema: {@link MineGrouped#outputSchema} of the group field. */
  public Schema outputSchema() {
    return MineGrouped.outputSchema(groupField, settings.getItemNames());
  }

  @Override
  @SuppressWarnings("unchecked")
  public PCollection<Row> expand(PCollection<KV<Row, AccumT>> input) {
    checkKeyCoder(input.getCoder());
    if (events && itemKind == KeyKind.STRING && !settings.getItemNames()) {
      throw new IllegalArgumentException(
          "withItemNames(false) outputs item values as ARRAY<INT32> ids, so it needs INTEGER"
              + " item keys, but these events have STRING items");
    }
    PCollection<KV<Row, GroupBaskets>> groups;
    String[] columnNames = null;
    if (events) {
      groups =
          ((PCollection<KV<Row, GroupEvents>>) (PCollection<?>) input)
              .apply(
                  "AccumulateGroups", Combine.perKey(new EventPartsToGroupFn(txnKind, itemKind)));
    } else {
      List<String> columns = settings.itemColumns();
      columnNames = columns.toArray(new String[0]);
      groups =
          ((PCollection<KV<Row, GroupBaskets>>) (PCollection<?>) input)
              .apply("AccumulateGroups", Combine.perKey(new MergeGroupBasketsFn()));
    }
    return settings.mineEach(groups, groupField, columnNames);
  }

  /** The key must be a Row of the group field alone, the value this transform's accumulator. */
  private void checkKeyCoder(Coder<?> coder) {
    Schema keySchema = Schema.builder().addField(groupField).build();
    String expected =
        "KvCoder(RowCoder of " + keySchema + ", " + (events ? "GroupEvents" : "GroupBaskets") + ")";
    if (!(coder instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "MineGrouped accumulators need a KV<Row, accumulator> input with coder "
              + expected
              + ", got "
              + coder);
    }
    KvCoder<?, ?> kv = (KvCoder<?, ?>) coder;
    Coder<?> value = kv.getValueCoder();
    boolean valueOk =
        events ? value instanceof GroupEvents.Coder : value instanceof GroupBaskets.Coder;
    if (!(kv.getKeyCoder() instanceof RowCoder)
        || !((RowCoder) kv.getKeyCoder()).getSchema().equivalent(keySchema)
        || !valueOk) {
      throw new IllegalArgumentException(
          "MineGrouped accumulators need the input coder " + expected + ", got " + coder);
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(
            DisplayData.item("format", events ? "group events" : "one-hot group baskets")
                .withLabel("Input format (accumulators built by the reader)"))
        .add(DisplayData.item("groupField", groupField.getName()).withLabel("Group field"));
    if (events) {
      builder
          .add(DisplayData.item("transactionKind", txnKind.name()).withLabel("Transaction keys"))
          .add(DisplayData.item("itemKind", itemKind.name()).withLabel("Item keys"));
    } else {
      builder.add(
          DisplayData.item("itemColumns", String.join(", ", settings.itemColumns()))
              .withLabel("Item columns"));
    }
    settings.populateMiningData(builder);
  }
}
