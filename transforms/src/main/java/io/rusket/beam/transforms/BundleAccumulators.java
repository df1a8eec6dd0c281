package io.rusket.beam.transforms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The per-bundle accumulators of a pre-combining DoFn: one accumulator ({@link GroupEvents}, {@link
 * GroupBaskets} or {@link SequenceEvents}) per group and window, all under one byte budget. Used by
 * {@link MineGrouped}'s own step for event Rows ({@code KeyEventsByGroupFn}) and by columnar
 * readers that feed {@link MineGrouped#ofGroupEvents} / {@link MineGrouped#ofGroupBaskets} (e.g.
 * the pipelines' Arrow and Parquet readers), so that every reader bounds its memory the same way.
 *
 * <p>Invariants: <b>B1</b> {@link #totalBytes()} is the sum of the {@link Entry#bytes()} of the
 * entries held, each the size estimate of its accumulator after its last update; <b>B2</b> after
 * {@link #takeLargest()}, the total is at most half the budget. So, with the caller taking the
 * largest as soon as an add reports the budget passed, the total never exceeds the budget by more
 * than the growth of one add: one event for {@code add}, one chunk for {@link #addChunk}.
 *
 * <p>Entries are keyed by a <em>content key</em> of the group value (equal for group values that
 * the shuffle groups together: a String, a Number or a Boolean as it is), so that equal values met
 * as distinct objects share an accumulator.
 *
 * <p>Example of use, in a DoFn reading chunks of rows of a few groups:
 *
 * <pre>{@code
 * BundleAccumulators<GroupEvents> pending =
 *     BundleAccumulators.ofEvents(KeyKind.STRING, KeyKind.INTEGER, 64L << 20);
 * // groups: the distinct group values of the chunk; groupOfRow[r]: index into groups
 * boolean over = pending.addChunk(groups, groupOfRow, n, GlobalWindow.INSTANCE,
 *     (events, rows, from, to) -> events.addChunk(txnColumn, itemColumn, rows, from, to));
 * if (over) {
 *   for (BundleAccumulators.Entry<GroupEvents> e : pending.takeLargest()) { ...output e... }
 * }
 * }</pre>
 *
 * @param <A> the accumulator type
 */
public final class BundleAccumulators<A> {
  /** One group and window: its first group value, its accumulator and its last size estimate. */
  public static final class Entry<A> {
    private final Object group;
    private final BoundedWindow window;
    private final A accumulator;
    private long bytes;

    private Entry(Object group, BoundedWindow window, A accumulator, long bytes) {
      this.group = group;
      this.window = window;
      this.accumulator = accumulator;
      this.bytes = bytes;
    }

    /** The group value (as the group field's value in a Row). */
    public Object group() {
      return group;
    }

    /** The window. */
    public BoundedWindow window() {
      return window;
    }

    /** The accumulator. */
    public A accumulator() {
      return accumulator;
    }

    /** The accumulator's size estimate after its last update, in bytes. */
    public long bytes() {
      return bytes;
    }
  }

  /** Adds rows {@code rows[from, to)} of a chunk to one group's accumulator. */
  @FunctionalInterface
  public interface ChunkAdder<A> {
    /** Adds rows {@code rows[from, to)} of the chunk to {@code accumulator}. */
    void add(A accumulator, int[] rows, int from, int to);
  }

  private final Supplier<A> factory;
  private final ToLongFunction<A> sizeOf;
  private final long maxBytes;

  /** By (content key, window), in insertion order for a deterministic output order. */
  private final LinkedHashMap<KV<Object, BoundedWindow>, Entry<A>> entries = new LinkedHashMap<>();

  private long totalBytes;

  /** The entry of the last {@link #add} and its content key; null after entries were taken. */
  private @Nullable Entry<A> last;

  private @Nullable Object lastKey;

  /** Scratch of {@link #addChunk}: rows sorted by group. */
  private int[] sortedRows = new int[0];

  /**
   * Checks a byte budget of per-bundle accumulators ({@code withMaxBundleBytes} of MineGrouped,
   * MineSequences and MineUtility), naming the bad value.
   *
   * @throws IllegalArgumentException if {@code maxBytes < 1}
   */
  public static long checkMaxBytes(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid maxBundleBytes: %s. Valid range is [1, %s].", maxBytes, Long.MAX_VALUE));
    }
    return maxBytes;
  }

  /**
   * Accumulators made by {@code factory}, sized by {@code sizeOf}, under {@code maxBytes} in all.
   *
   * @throws IllegalArgumentException if {@code maxBytes < 1}
   */
  public BundleAccumulators(Supplier<A> factory, ToLongFunction<A> sizeOf, long maxBytes) {
    checkMaxBytes(maxBytes);
    this.factory = Objects.requireNonNull(factory, "factory");
    this.sizeOf = Objects.requireNonNull(sizeOf, "sizeOf");
    this.maxBytes = maxBytes;
  }

  /** {@link GroupEvents} of the given key kinds, sized by {@link GroupEvents#ramBytesUsed()}. */
  public static BundleAccumulators<GroupEvents> ofEvents(
      KeyKind txnKind, KeyKind itemKind, long maxBytes) {
    Objects.requireNonNull(txnKind, "txnKind");
    Objects.requireNonNull(itemKind, "itemKind");
    return new BundleAccumulators<>(
        () -> GroupEvents.empty(txnKind, itemKind), GroupEvents::ramBytesUsed, maxBytes);
  }

  /**
   * {@link SequenceEvents} of the given key kinds (for {@link MineSequences#ofSequenceEvents}),
   * sized by {@link SequenceEvents#ramBytesUsed()}.
   */
  public static BundleAccumulators<SequenceEvents> ofSequences(
      KeyKind seqKind, KeyKind itemKind, long maxBytes) {
    Objects.requireNonNull(seqKind, "seqKind");
    Objects.requireNonNull(itemKind, "itemKind");
    return new BundleAccumulators<>(
        () -> SequenceEvents.empty(seqKind, itemKind), SequenceEvents::ramBytesUsed, maxBytes);
  }

  /**
   * {@link GroupBaskets} of {@link KeyKind#INTEGER} keys (one-hot column indices), sized by {@link
   * GroupBaskets#ramBytesUsed()}.
   */
  public static BundleAccumulators<GroupBaskets> ofBaskets(long maxBytes) {
    return new BundleAccumulators<>(
        () -> GroupBaskets.empty(KeyKind.INTEGER), GroupBaskets::ramBytesUsed, maxBytes);
  }

  /** The accumulator of ({@code contentKey}, {@code window}), created if new (B1 kept). */
  private Entry<A> entry(Object contentKey, Object group, BoundedWindow window) {
    KV<Object, BoundedWindow> key = KV.of(contentKey, window);
    Entry<A> e = entries.get(key);
    if (e == null) {
      A acc = factory.get();
      e = new Entry<>(group, window, acc, sizeOf.applyAsLong(acc));
      entries.put(key, e);
      totalBytes += e.bytes;
    }
    return e;
  }

  /** Re-estimates {@code e} after it changed (B1); true if the total now exceeds the budget. */
  private boolean resized(Entry<A> e) {
    long bytes = sizeOf.applyAsLong(e.accumulator);
    totalBytes += bytes - e.bytes;
    e.bytes = bytes;
    return totalBytes > maxBytes;
  }

  /**
   * Adds one event of {@code group} (whose content key is {@code contentKey}) in {@code window}, to
   * accumulators of {@link GroupEvents}.
   *
   * @return true if the total now exceeds the budget: the caller should {@link #takeLargest()}
   */
  boolean add(Object contentKey, Object group, BoundedWindow window, Object txn, Object item) {
    // Events of one group usually come in runs: look the entry up once per run.
    Entry<A> e = last;
    if (e == null || !lastKey.equals(contentKey) || !e.window.equals(window)) {
      e = last = entry(contentKey, group, window);
      lastKey = contentKey;
    }
    ((GroupEvents) e.accumulator).add(txn, item);
    return resized(e);
  }

  /**
   * Adds a chunk of {@code n} rows of several groups in {@code window}: row {@code r} belongs to
   * group {@code groups[groupOfRow[r]]} (a String, Number or Boolean: its own content key). The
   * rows are sorted by group (a counting sort, stable) and each group's rows handed to {@code
   * adder} once, in one call, with its accumulator.
   *
   * @return true if the total now exceeds the budget: the caller should {@link #takeLargest()}
   * @throws IllegalArgumentException if a row's group index is outside {@code groups}
   */
  public boolean addChunk(
      Object[] groups, int[] groupOfRow, int n, BoundedWindow window, ChunkAdder<A> adder) {
    final int g = groups.length;
    int[] start = new int[g + 1];
    for (int r = 0; r < n; r++) {
      int k = groupOfRow[r];
      if (k < 0 || k >= g) {
        throw new IllegalArgumentException(
            "Invalid group index " + k + " at row " + r + "; the chunk has " + g + " groups");
      }
      start[k + 1]++;
    }
    for (int k = 0; k < g; k++) {
      start[k + 1] += start[k];
    }
    if (sortedRows.length < n) {
      sortedRows = new int[n];
    }
    final int[] sorted = sortedRows;
    int[] fill = java.util.Arrays.copyOf(start, g);
    for (int r = 0; r < n; r++) {
      sorted[fill[groupOfRow[r]]++] = r;
    }
    boolean over = false;
    for (int k = 0; k < g; k++) {
      if (start[k + 1] > start[k]) {
        Entry<A> e = entry(groups[k], groups[k], window);
        adder.add(e.accumulator, sorted, start[k], start[k + 1]);
        over |= resized(e);
      }
    }
    return over || totalBytes > maxBytes;
  }

  /** Removes and returns the largest entries until the total is at most half the budget (B2). */
  public List<Entry<A>> takeLargest() {
    List<KV<KV<Object, BoundedWindow>, Entry<A>>> bySize = new ArrayList<>(entries.size());
    for (var e : entries.entrySet()) {
      bySize.add(KV.of(e.getKey(), e.getValue()));
    }
    bySize.sort((a, b) -> Long.compare(b.getValue().bytes, a.getValue().bytes));
    List<Entry<A>> taken = new ArrayList<>();
    for (KV<KV<Object, BoundedWindow>, Entry<A>> e : bySize) {
      if (totalBytes <= maxBytes / 2) {
        break;
      }
      entries.remove(e.getKey());
      last = null;
      totalBytes -= e.getValue().bytes;
      taken.add(e.getValue());
    }
    return taken;
  }

  /** The entries still held, in insertion order (they stay held). */
  public Collection<Entry<A>> all() {
    return entries.values();
  }

  /** Removes every entry; returns them, in insertion order. */
  public List<Entry<A>> takeAll() {
    List<Entry<A>> all = new ArrayList<>(entries.values());
    entries.clear();
    last = null;
    totalBytes = 0;
    return all;
  }

  /** Number of accumulators held. */
  public int size() {
    return entries.size();
  }

  /** The estimated bytes of the accumulators held (B1). */
  public long totalBytes() {
    return totalBytes;
  }

  /** The byte budget. */
  public long maxBytes() {
    return maxBytes;
  }

  @Override
  public String toString() {
    return "BundleAccumulators{entries="
        + entries.size()
        + ", bytes="
        + totalBytes
        + "/"
        + maxBytes
        + "}";
  }
}
