package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.GroupRows.badValue;
import static io.rusket.beam.transforms.GroupRows.requireGroup;
import static io.rusket.beam.transforms.MineGrouped.METRICS_NAMESPACE;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Event Rows → (group, its events in this bundle as a {@link GroupEvents}), after checking each
 * row's values: the map-side half of the combine, done here so that runners without combiner
 * lifting (the DirectRunner) do not shuffle every event. One accumulator per group and window,
 * emitted at the end of the bundle.
 *
 * <p><b>Memory.</b> All the accumulators of the bundle, whatever their group and window, share one
 * budget of {@code maxBundleBytes} ({@link BundleAccumulators}), estimated from their {@link
 * GroupEvents#ramBytesUsed() sizes} (a running total, updated by each event's growth). When an
 * event takes the total past the budget, the largest accumulators are sent on (in their own
 * windows) until the total is at most half the budget. So the total never exceeds the budget by
 * more than one event's growth, however many groups and windows a bundle holds (on Spark a bundle
 * is a whole partition).
 *
 * <p>Group values are compared by content: BYTES values by their bytes, and values other than
 * strings, numbers and booleans (rows, arrays, maps, date-times) by their encoding, as the shuffle
 * compares keys.
 *
 * <p>Metrics: counter {@code bundleFlushes} (early outputs forced by the budget), distribution
 * {@code bundleBytes} (the highest total estimate between two outputs).
 */
final class KeyEventsByGroupFn extends DoFn<Row, KV<Row, GroupEvents>> {
  private final Counter bundleFlushes = Metrics.counter(METRICS_NAMESPACE, "bundleFlushes");
  private final Distribution bundleBytes = Metrics.distribution(METRICS_NAMESPACE, "bundleBytes");

  private final String groupField;
  private final int groupIndex;
  private final String transactionField;
  private final int transactionIndex;
  private final String itemField;
  private final int itemIndex;
  private final KeyKind kind;

  /** Items become INT32 ids: integer items must fit. */
  private final boolean int32Items;

  private final Schema keySchema;
  private final KeyKind txnKind;
  private final long maxBundleBytes;

  /** This bundle's accumulators. */
  private transient @Nullable BundleAccumulators<GroupEvents> pending;

  /** Highest total estimate of {@link #pending} since the last report to {@link #bundleBytes}. */
  private transient long peakBytes;

  private transient @Nullable RowCoder keyCoder;

  KeyEventsByGroupFn(
      String groupField,
      int groupIndex,
      String transactionField,
      int transactionIndex,
      String itemField,
      int itemIndex,
      KeyKind kind,
      boolean int32Items,
      Schema keySchema,
      KeyKind txnKind,
      long maxBundleBytes) {
    this.groupField = groupField;
    this.groupIndex = groupIndex;
    this.transactionField = transactionField;
    this.transactionIndex = transactionIndex;
    this.itemField = itemField;
    this.itemIndex = itemIndex;
    this.kind = kind;
    this.int32Items = int32Items;
    this.keySchema = keySchema;
    this.txnKind = txnKind;
    this.maxBundleBytes = maxBundleBytes;
  }

  @Setup
  public void setup() {
    keyCoder = RowCoder.of(keySchema);
  }

  @StartBundle
  public void startBundle() {
    pending = BundleAccumulators.ofEvents(txnKind, kind, maxBundleBytes);
    peakBytes = 0;
  }

  @ProcessElement
  public void processElement(ProcessContext c, BoundedWindow window) throws CoderException {
    Row row = c.element();
    Object group = requireGroup(row, groupIndex, groupField);
    Object txn = row.getValue(transactionIndex);
    if (txn == null) {
      throw badValue(
          "transaction",
          transactionField,
          null,
          groupField,
          group,
          "every event must name its transaction (rows are never dropped silently)");
    }
    Object item = row.getValue(itemIndex);
    if (item == null) {
      throw badValue(
          "item",
          itemField,
          null,
          groupField,
          group,
          "every event must name its item (rows are never dropped silently)");
    }
    if (kind == KeyKind.INTEGER && int32Items) {
      long v = ((Number) item).longValue();
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw badValue(
            "item",
            itemField,
            item,
            groupField,
            group,
            "withItemNames(false) outputs item values as INT32 ids, and this one does not fit");
      }
    }
    boolean over;
    try {
      over = pending.add(contentKey(group, keyCoder), group, window, txn, item);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          String.format("MineGrouped: group %s=%s: %s", groupField, group, e.getMessage()), e);
    }
    peakBytes = Math.max(peakBytes, pending.totalBytes());
    if (over) {
      bundleBytes.update(peakBytes);
      for (BundleAccumulators.Entry<GroupEvents> e : pending.takeLargest()) {
        c.outputWindowedValue(
            KV.of(Row.withSchema(keySchema).attachValues(e.group()), e.accumulator().trim()),
            e.window().maxTimestamp(),
            List.of(e.window()),
            PaneInfo.NO_FIRING);
        bundleFlushes.inc();
      }
      peakBytes = pending.totalBytes();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    if (pending.size() > 0) {
      bundleBytes.update(peakBytes);
    }
    for (BundleAccumulators.Entry<GroupEvents> e : pending.all()) {
      c.output(
          KV.of(Row.withSchema(keySchema).attachValues(e.group()), e.accumulator().trim()),
          e.window().maxTimestamp(),
          e.window());
    }
    pending = null;
  }

  /**
   * A key equal for group values that the shuffle groups together: strings, numbers and booleans as
   * they are, BYTES by their content, anything else by its encoding in the key schema.
   */
  static Object contentKey(Object group, RowCoder keyCoder) throws CoderException {
    if (group instanceof String || group instanceof Number || group instanceof Boolean) {
      return group;
    }
    if (group instanceof byte[]) {
      return ByteBuffer.wrap((byte[]) group);
    }
    return ByteBuffer.wrap(
        CoderUtils.encodeToByteArray(
            keyCoder, Row.withSchema(keyCoder.getSchema()).attachValues(group)));
  }
}
