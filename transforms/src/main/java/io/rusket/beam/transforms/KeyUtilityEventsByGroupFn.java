package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.MineUtility.METRICS_NAMESPACE;

import io.rusket.beam.miner.UtilityDb;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Event Rows → (group, its events in this bundle as a {@link UtilityEvents}), after checking each
 * row's values (a null key, a null, negative, NaN or infinite utility is an error naming the field,
 * the value, the transaction, the item and the group): the map-side half of the combine. The
 * bundle's accumulators share one byte budget ({@link BundleAccumulators}); past it the largest are
 * sent on early.
 *
 * <p>Metrics: counters {@code events}, {@code bundleFlushes}; distribution {@code bundleBytes}.
 */
final class KeyUtilityEventsByGroupFn extends DoFn<Row, KV<Row, UtilityEvents>> {
  private static final int[] ROW_ZERO = {0};

  private final Counter events = Metrics.counter(METRICS_NAMESPACE, "events");
  private final Counter bundleFlushes = Metrics.counter(METRICS_NAMESPACE, "bundleFlushes");
  private final Distribution bundleBytes = Metrics.distribution(METRICS_NAMESPACE, "bundleBytes");

  /** Null for the global form: every row in one group. */
  private final @Nullable String groupField;

  private final int groupIndex;
  private final String txnField;
  private final int txnIndex;
  private final String itemField;
  private final int itemIndex;
  private final String utilityField;
  private final int utilityIndex;
  private final KeyKind txnKind;
  private final KeyKind itemKind;
  private final Schema keySchema;
  private final long maxBundleBytes;

  private transient @Nullable BundleAccumulators<UtilityEvents> pending;
  private transient long peakBytes;
  private transient Object[] oneGroup;
  private transient Object curTxn;
  private transient Object curItem;
  private transient long curUtility;
  private transient BundleAccumulators.ChunkAdder<UtilityEvents> adder;

  KeyUtilityEventsByGroupFn(
      @Nullable String groupField,
      int groupIndex,
      String txnField,
      int txnIndex,
      String itemField,
      int itemIndex,
      String utilityField,
      int utilityIndex,
      KeyKind txnKind,
      KeyKind itemKind,
      Schema keySchema,
      long maxBundleBytes) {
    this.groupField = groupField;
    this.groupIndex = groupIndex;
    this.txnField = txnField;
    this.txnIndex = txnIndex;
    this.itemField = itemField;
    this.itemIndex = itemIndex;
    this.utilityField = utilityField;
    this.utilityIndex = utilityIndex;
    this.txnKind = txnKind;
    this.itemKind = itemKind;
    this.keySchema = keySchema;
    this.maxBundleBytes = maxBundleBytes;
  }

  @Setup
  public void setup() {
    oneGroup = new Object[1];
    adder = (acc, rows, from, to) -> acc.add(curTxn, curItem, curUtility);
  }

  @StartBundle
  public void startBundle() {
    pending =
        new BundleAccumulators<>(
            () -> UtilityEvents.empty(txnKind, itemKind),
            UtilityEvents::ramBytesUsed,
            maxBundleBytes);
    peakBytes = 0;
  }

  @ProcessElement
  public void processElement(ProcessContext c, BoundedWindow window) {
    Row row = c.element();
    Object group = groupField == null ? Boolean.TRUE : row.getValue(groupIndex);
    if (group == null) {
      throw new IllegalArgumentException(
          String.format(
              "MineUtility: invalid value null in group field '%s': every row must belong to a"
                  + " group (rows are never dropped silently)",
              groupField));
    }
    Object txn = row.getValue(txnIndex);
    Object item = row.getValue(itemIndex);
    Object utility = row.getValue(utilityIndex);
    if (txn == null) {
      throw bad("transaction", txnField, null, row, group, "every event must name its transaction");
    }
    if (item == null) {
      throw bad("item", itemField, null, row, group, "every event must name its item");
    }
    curTxn = txn;
    curItem = item;
    curUtility = fixed(utility, row, group);
    oneGroup[0] = group;
    boolean over;
    try {
      over = pending.addChunk(oneGroup, ROW_ZERO, 1, window, adder);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          String.format("MineUtility: group %s: %s", groupText(group), e.getMessage()), e);
    }
    events.inc();
    peakBytes = Math.max(peakBytes, pending.totalBytes());
    if (over) {
      bundleBytes.update(peakBytes);
      for (BundleAccumulators.Entry<UtilityEvents> e : pending.takeLargest()) {
        c.outputWindowedValue(
            KV.of(key(e.group()), e.accumulator().trim()),
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
    for (BundleAccumulators.Entry<UtilityEvents> e : pending.all()) {
      c.output(
          KV.of(key(e.group()), e.accumulator().trim()), e.window().maxTimestamp(), e.window());
    }
    pending = null;
  }

  private Row key(Object group) {
    return Row.withSchema(keySchema).attachValues(group);
  }

  private String groupText(Object group) {
    return groupField == null ? "(all rows)" : groupField + "=" + group;
  }

  /** The utility as fixed-point millionths, checked. */
  private long fixed(@Nullable Object utility, Row row, Object group) {
    if (utility == null) {
      throw bad("utility", utilityField, null, row, group, "every event must have a utility");
    }
    if (utility instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) utility;
      if (d.signum() < 0) {
        throw bad("utility", utilityField, utility, row, group, "utilities must be >= 0");
      }
      try {
        return d.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
      } catch (ArithmeticException e) {
        throw bad("utility", utilityField, utility, row, group, "too large");
      }
    }
    double u = ((Number) utility).doubleValue();
    try {
      return UtilityDb.toFixed(u, 0, row.getValue(txnIndex), row.getValue(itemIndex));
    } catch (IllegalArgumentException e) {
      throw bad(
          "utility",
          utilityField,
          utility,
          row,
          group,
          "utilities must be finite, >= 0 and at most about 9.2e12");
    }
  }

  private IllegalArgumentException bad(
      String role, String field, @Nullable Object value, Row row, Object group, String rule) {
    return new IllegalArgumentException(
        String.format(
            "MineUtility: invalid value %s in %s field '%s' of the event (transaction %s, item %s)"
                + " of group %s: %s (rows are never dropped silently)",
            value,
            role,
            field,
            row.getValue(txnIndex),
            row.getValue(itemIndex),
            groupText(group),
            rule));
  }
}
