package io.rusket.beam.transforms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;

/**
 * The per-bundle accumulators of {@link KeyEventsByGroupFn}: one {@link GroupEvents} per group and
 * window, all under one byte budget.
 *
 * <p>Invariants: <b>B1</b> {@link #totalBytes()} is the sum of the {@link Entry#bytes} of the
 * entries held, each the {@link GroupEvents#ramBytesUsed()} of its accumulator after its last
 * event; <b>B2</b> after {@link #takeLargest()}, the total is at most half the budget. So, with the
 * caller taking the largest as soon as {@link #add} reports the budget passed, the total never
 * exceeds the budget by more than the growth of one accumulator by one event.
 *
 * <p>Entries are keyed by a <em>content key</em> of the group value (see {@link
 * KeyEventsByGroupFn}), so that equal values met as distinct objects (BYTES) share an accumulator.
 */
final class BundleAccumulators {
  /** One group and window: its first group value, its events and their last size estimate. */
  static final class Entry {
    final Object group;
    final BoundedWindow window;
    final GroupEvents events;
    long bytes;

    private Entry(Object group, BoundedWindow window, GroupEvents events) {
      this.group = group;
      this.window = window;
      this.events = events;
      this.bytes = events.ramBytesUsed();
    }
  }

  private final KeyKind txnKind;
  private final KeyKind itemKind;
  private final long maxBytes;

  /** By (content key, window), in insertion order for a deterministic output order. */
  private final LinkedHashMap<KV<Object, BoundedWindow>, Entry> entries = new LinkedHashMap<>();

  private long totalBytes;

  BundleAccumulators(KeyKind txnKind, KeyKind itemKind, long maxBytes) {
    this.txnKind = txnKind;
    this.itemKind = itemKind;
    this.maxBytes = maxBytes;
  }

  /**
   * Adds one event of {@code group} (whose content key is {@code contentKey}) in {@code window}.
   *
   * @return true if the total now exceeds the budget: the caller should {@link #takeLargest()}
   */
  boolean add(Object contentKey, Object group, BoundedWindow window, Object txn, Object item) {
    KV<Object, BoundedWindow> key = KV.of(contentKey, window);
    Entry e = entries.get(key);
    if (e == null) {
      e = new Entry(group, window, GroupEvents.empty(txnKind, itemKind));
      entries.put(key, e);
      totalBytes += e.bytes;
    }
    e.events.add(txn, item);
    long bytes = e.events.ramBytesUsed();
    totalBytes += bytes - e.bytes;
    e.bytes = bytes;
    return totalBytes > maxBytes;
  }

  /** Removes and returns the largest entries until the total is at most half the budget (B2). */
  List<Entry> takeLargest() {
    List<KV<KV<Object, BoundedWindow>, Entry>> bySize = new ArrayList<>(entries.size());
    for (var e : entries.entrySet()) {
      bySize.add(KV.of(e.getKey(), e.getValue()));
    }
    bySize.sort((a, b) -> Long.compare(b.getValue().bytes, a.getValue().bytes));
    List<Entry> taken = new ArrayList<>();
    for (KV<KV<Object, BoundedWindow>, Entry> e : bySize) {
      if (totalBytes <= maxBytes / 2) {
        break;
      }
      entries.remove(e.getKey());
      totalBytes -= e.getValue().bytes;
      taken.add(e.getValue());
    }
    return taken;
  }

  /** The entries still held, in insertion order (they stay held). */
  Collection<Entry> all() {
    return entries.values();
  }

  /** Number of accumulators held. */
  int size() {
    return entries.size();
  }

  /** The estimated bytes of the accumulators held (B1). */
  long totalBytes() {
    return totalBytes;
  }
}
