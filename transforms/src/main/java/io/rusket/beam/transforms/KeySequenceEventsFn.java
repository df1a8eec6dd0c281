package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.MineSequences.METRICS_NAMESPACE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.RowCoder;
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
import org.joda.time.ReadableInstant;

/**
 * {@link MineSequences}' "KeyByGroup": event Rows into one {@link SequenceEvents} per group and
 * window of the bundle, output at the end of the bundle — or, when their estimated size passes the
 * byte budget, the largest ones at once (until half the budget is left) — keyed by a Row of the
 * group field (a constant key for the global form). Checks every value, naming the field, value and
 * group.
 */
final class KeySequenceEventsFn extends DoFn<Row, KV<Row, SequenceEvents>> {
  private static final long serialVersionUID = 1L;

  private final Counter events = Metrics.counter(METRICS_NAMESPACE, "events");
  private final Counter bundleFlushes = Metrics.counter(METRICS_NAMESPACE, "bundleFlushes");
  private final Distribution bundleBytes = Metrics.distribution(METRICS_NAMESPACE, "bundleBytes");

  private final @Nullable String groupField;
  private final int groupIndex; // -1: global
  private final String sequenceField;
  private final int sequenceIndex;
  private final String timeField;
  private final int timeIndex;
  private final String itemField;
  private final int itemIndex;
  private final KeyKind seqKind;
  private final KeyKind itemKind;
  private final Schema keySchema;
  private final long maxBundleBytes;

  private transient @Nullable Map<KV<Object, BoundedWindow>, Entry> pending;
  private transient long totalBytes;
  private transient long peakBytes;
  private transient @Nullable RowCoder keyCoder;

  private static final class Entry {
    final Object group;
    final BoundedWindow window;
    final SequenceEvents acc;
    long bytes;

    Entry(Object group, BoundedWindow window, SequenceEvents acc) {
      this.group = group;
      this.window = window;
      this.acc = acc;
      this.bytes = acc.ramBytesUsed();
    }
  }

  KeySequenceEventsFn(
      @Nullable String groupField,
      int groupIndex,
      String sequenceField,
      int sequenceIndex,
      String timeField,
      int timeIndex,
      String itemField,
      int itemIndex,
      KeyKind seqKind,
      KeyKind itemKind,
      Schema keySchema,
      long maxBundleBytes) {
    this.groupField = groupField;
    this.groupIndex = groupIndex;
    this.sequenceField = sequenceField;
    this.sequenceIndex = sequenceIndex;
    this.timeField = timeField;
    this.timeIndex = timeIndex;
    this.itemField = itemField;
    this.itemIndex = itemIndex;
    this.seqKind = seqKind;
    this.itemKind = itemKind;
    this.keySchema = keySchema;
    this.maxBundleBytes = maxBundleBytes;
  }

  @Setup
  public void setup() {
    keyCoder = RowCoder.of(keySchema);
  }

  @StartBundle
  public void startBundle() {
    pending = new LinkedHashMap<>();
    totalBytes = 0;
    peakBytes = 0;
  }

  private IllegalArgumentException bad(
      String role, String field, @Nullable Object value, Object group, String rule) {
    return new IllegalArgumentException(
        String.format(
            "MineSequences: invalid value %s in %s field '%s' of a row%s: %s",
            value,
            role,
            field,
            groupField == null ? "" : " of group " + groupField + "=" + group,
            rule));
  }

  @ProcessElement
  public void processElement(ProcessContext c, BoundedWindow window) throws CoderException {
    Row row = c.element();
    Object group = 0;
    if (groupIndex >= 0) {
      group = row.getValue(groupIndex);
      if (group == null) {
        throw new IllegalArgumentException(
            String.format(
                "MineSequences: invalid value null in group field '%s': every row must belong to"
                    + " a group (rows are never dropped silently)",
                groupField));
      }
    }
    Object seq = row.getValue(sequenceIndex);
    if (seq == null) {
      throw bad("sequence", sequenceField, null, group, "every event must name its sequence");
    }
    Object t = row.getValue(timeIndex);
    long time;
    if (t instanceof Number) {
      time = ((Number) t).longValue();
    } else if (t instanceof ReadableInstant) {
      time = ((ReadableInstant) t).getMillis();
    } else {
      throw bad("time", timeField, t, group, "every event must have an integer or DATETIME time");
    }
    Object item = row.getValue(itemIndex);
    if (item == null) {
      throw bad("item", itemField, null, group, "every event must name its item");
    }
    Object content = KeyEventsByGroupFn.contentKey(group, keyCoder);
    KV<Object, BoundedWindow> key = KV.of(content, window);
    Entry e = pending.get(key);
    if (e == null) {
      e = new Entry(group, window, SequenceEvents.empty(seqKind, itemKind));
      pending.put(key, e);
      totalBytes += e.bytes;
    }
    try {
      e.acc.add(seq, time, item);
    } catch (IllegalStateException ex) {
      throw new IllegalStateException(
          String.format("MineSequences: group %s=%s: %s", groupField, group, ex.getMessage()), ex);
    }
    events.inc();
    long b = e.acc.ramBytesUsed();
    totalBytes += b - e.bytes;
    e.bytes = b;
    peakBytes = Math.max(peakBytes, totalBytes);
    if (totalBytes > maxBundleBytes) {
      bundleBytes.update(peakBytes);
      for (Entry x : takeLargest()) {
        c.outputWindowedValue(
            KV.of(keyRow(x.group), x.acc.trim()),
            x.window.maxTimestamp(),
            List.of(x.window),
            PaneInfo.NO_FIRING);
        bundleFlushes.inc();
      }
      peakBytes = totalBytes;
    }
  }

  private List<Entry> takeLargest() {
    List<Map.Entry<KV<Object, BoundedWindow>, Entry>> all = new ArrayList<>(pending.entrySet());
    all.sort((a, b) -> Long.compare(b.getValue().bytes, a.getValue().bytes));
    List<Entry> taken = new ArrayList<>();
    for (Map.Entry<KV<Object, BoundedWindow>, Entry> m : all) {
      if (totalBytes <= maxBundleBytes / 2) {
        break;
      }
      pending.remove(m.getKey());
      totalBytes -= m.getValue().bytes;
      taken.add(m.getValue());
    }
    return taken;
  }

  private Row keyRow(Object group) {
    return Row.withSchema(keySchema).attachValues(group);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    if (!pending.isEmpty()) {
      bundleBytes.update(peakBytes);
    }
    for (Entry e : pending.values()) {
      c.output(KV.of(keyRow(e.group), e.acc.trim()), e.window.maxTimestamp(), e.window);
    }
    pending = null;
  }
}
