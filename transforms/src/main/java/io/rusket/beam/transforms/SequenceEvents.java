package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.RamUsage;
import io.rusket.beam.miner.SequenceDb;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The per-group accumulator of {@link MineSequences}: the (sequence, time, item) events of one
 * group, compactly — a dictionary of sequence keys, a dictionary of item keys (each {@link
 * KeyDictionary}: strings or integers, looked up without boxing for integers) and three parallel
 * primitive arrays of event ids and times. The events of one sequence may arrive in any order and
 * in any shard: steps are assembled only by {@link #toSequenceDb}.
 *
 * <p>Invariants: <b>E1</b> events {@code [0, n)} hold sequence ids in {@code [0, seqs.size())} and
 * item ids in {@code [0, items.size())}; <b>E2</b> the arrays have room for at least {@code n}.
 * Repeated events (same sequence, time and item) are kept until {@link #toSequenceDb}, where they
 * count once. Memory: 16 bytes per event plus the keys.
 */
public final class SequenceEvents {
  private final KeyDictionary seqs;
  private final KeyDictionary items;
  private int n;
  private int[] seq;
  private long[] time;
  private int[] item;

  private SequenceEvents(
      KeyDictionary seqs, KeyDictionary items, int n, int[] seq, long[] time, int[] item) {
    this.seqs = seqs;
    this.items = items;
    this.n = n;
    this.seq = seq;
    this.time = time;
    this.item = item;
  }

  /** No events, with sequence and item keys of the given kinds. */
  public static SequenceEvents empty(KeyKind seqKind, KeyKind itemKind) {
    return new SequenceEvents(
        KeyDictionary.empty(Objects.requireNonNull(seqKind, "seqKind")),
        KeyDictionary.empty(Objects.requireNonNull(itemKind, "itemKind")),
        0,
        new int[8],
        new long[8],
        new int[8]);
  }

  /** Number of events held (repeats included). */
  public int nEvents() {
    return n;
  }

  /** Number of distinct sequences. */
  public int nSequences() {
    return seqs.size();
  }

  /** Number of distinct items. */
  public int nItems() {
    return items.size();
  }

  /** The kind of the sequence keys. */
  public KeyKind seqKind() {
    return seqs.kind();
  }

  /** The kind of the item keys. */
  public KeyKind itemKind() {
    return items.kind();
  }

  /**
   * Adds one event: a String key for STRING kinds, an integer Number for INTEGER kinds.
   *
   * @throws IllegalArgumentException for a null key or one of the wrong type
   */
  public SequenceEvents add(Object sequenceKey, long t, Object itemKey) {
    int s = seqs.addObject(sequenceKey, "sequence");
    int i = items.addObject(itemKey, "item");
    append(s, t, i);
    return this;
  }

  private void append(int s, long t, int i) {
    reserve(n + 1L);
    seq[n] = s;
    time[n] = t;
    item[n] = i;
    n++;
  }

  /**
   * Adds a chunk of events read column-wise: for each row {@code r} of {@code rows[from, to)} (of
   * {@code from} to {@code to} when {@code rows} is null), sequence {@code seq[r]} holds item
   * {@code item[r]} at time {@code time[r]}. Keys go straight from the columns' primitive arrays
   * into the dictionaries, with no boxing and no object per event. The chunk is checked before
   * anything is added: on an error this is unchanged. Returns this.
   *
   * <pre>{@code
   * SequenceEvents e = SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
   * e.addChunk(KeyColumn.ofLongs(new long[] {7, 7, 8}), new long[] {1, 2, 1},
   *     KeyColumn.ofStrings(new String[] {"milk", "bread", "milk"}), null, 0, 3);
   * }</pre>
   *
   * @throws IllegalArgumentException if a column's kind differs from this one's, a string key is
   *     null (naming the row), or the range is outside the columns
   */
  public SequenceEvents addChunk(
      KeyColumn seqColumn,
      long[] times,
      KeyColumn itemColumn,
      int @Nullable [] rows,
      int from,
      int to) {
    GroupEvents.checkColumn(seqColumn, seqs.kind(), "sequence", rows, from, to);
    GroupEvents.checkColumn(itemColumn, items.kind(), "item", rows, from, to);
    if (times.length < (rows == null ? to : seqColumn.capacity())) {
      throw new IllegalArgumentException(
          String.format(
              "A time column of %d rows is shorter than the chunk's other columns (%d rows)",
              times.length, rows == null ? to : seqColumn.capacity()));
    }
    final int len = to - from;
    reserve((long) n + len);
    seqs.addColumn(seqColumn, rows, from, to, seq, n);
    items.addColumn(itemColumn, rows, from, to, item, n);
    final long[] t = time;
    int w = n;
    for (int k = from; k < to; k++) {
      t[w++] = times[rows == null ? k : rows[k]];
    }
    n += len;
    return this;
  }

  /** Room for {@code need} events in the three arrays (E2), grown together. */
  private void reserve(long need) {
    if (need > seq.length) {
      int len = ArrayUtil.grow(seq.length, need);
      seq = Arrays.copyOf(seq, len);
      time = Arrays.copyOf(time, len);
      item = Arrays.copyOf(item, len);
    }
  }

  /** Adds every event of {@code other} (left unchanged). */
  public SequenceEvents addAll(SequenceEvents other) {
    int[] sMap = seqs.addAll(other.seqs);
    int[] iMap = items.addAll(other.items);
    reserve((long) n + other.n);
    for (int e = 0; e < other.n; e++) {
      seq[n] = sMap[other.seq[e]];
      time[n] = other.time[e];
      item[n] = iMap[other.item[e]];
      n++;
    }
    return this;
  }

  /** Trims the arrays to the events and drops the lookup tables (before a shuffle). */
  public SequenceEvents trim() {
    seqs.trim();
    items.trim();
    seq = Arrays.copyOf(seq, n);
    time = Arrays.copyOf(time, n);
    item = Arrays.copyOf(item, n);
    return this;
  }

  /** Approximate heap footprint in bytes. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + seqs.ramBytesUsed()
        + items.ramBytesUsed()
        + RamUsage.sizeOf(seq)
        + RamUsage.sizeOf(time)
        + RamUsage.sizeOf(item);
  }

  /**
   * The item names of {@link #toSequenceDb}'s item ids: the item keys in ascending order (strings
   * by {@link String#compareTo}, integers numerically, written in decimal).
   */
  public String[] itemNamesAscending() {
    int[] rank = items.ascendingRanks();
    String[] names = new String[items.size()];
    for (int i = 0; i < names.length; i++) {
      names[rank[i]] = items.keyString(i);
    }
    return names;
  }

  /**
   * The group's sequences: one per distinct sequence key, steps by ascending time; events of one
   * time form one step, or with {@code singleItemSteps} one step per distinct item (ties in item
   * order). Item ids follow ascending key order ({@link #itemNamesAscending()}), so the items of
   * each output step are sorted.
   */
  public SequenceDb toSequenceDb(boolean singleItemSteps) {
    int[] rank = items.ascendingRanks();
    int[] ranked = new int[n];
    for (int e = 0; e < n; e++) {
      ranked[e] = rank[item[e]];
    }
    return SequenceDb.fromEvents(
        seq, time, ranked, n, seqs.size(), itemNamesAscending(), singleItemSteps);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof SequenceEvents)) {
      return false;
    }
    SequenceEvents x = (SequenceEvents) o;
    return n == x.n
        && seqs.equals(x.seqs)
        && items.equals(x.items)
        && Arrays.equals(seq, 0, n, x.seq, 0, n)
        && Arrays.equals(time, 0, n, x.time, 0, n)
        && Arrays.equals(item, 0, n, x.item, 0, n);
  }

  @Override
  public int hashCode() {
    int h = 31 * seqs.hashCode() + items.hashCode();
    for (int e = 0; e < n; e++) {
      h = 31 * (31 * (31 * h + seq[e]) + Long.hashCode(time[e])) + item[e];
    }
    return h;
  }

  @Override
  public String toString() {
    return "SequenceEvents{sequences="
        + seqs.size()
        + ", items="
        + items.size()
        + ", events="
        + n
        + "}";
  }

  /** The coder of {@code SequenceEvents}. */
  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /**
   * Encodes a {@link SequenceEvents} as:
   *
   * <pre>
   * seqKind, itemKind  1 byte each: 0 = INTEGER keys, 1 = STRING keys
   * sequence keys      VarInt count, then the keys in id order (as KeyDictionary encodes them)
   * item keys          the same
   * nEvents            VarInt, then per event: VarInt sequence id, VarInt item id, then the
   *                    times as VarLongs of their zig-zag form
   * </pre>
   *
   * Deterministic, and consistent with {@link SequenceEvents#equals} (structural equality).
   */
  public static final class Coder extends StatelessCoder<SequenceEvents> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(SequenceEvents value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null SequenceEvents");
      }
      KeyDictionary.encodeKind(value.seqs.kind(), out);
      KeyDictionary.encodeKind(value.items.kind(), out);
      value.seqs.encode(out);
      value.items.encode(out);
      VarInt.encode(value.n, out);
      VarInts.writeIntPairs(out, value.seq, value.item, value.n);
      long[] zz = new long[value.n];
      for (int e = 0; e < value.n; e++) {
        long t = value.time[e];
        zz[e] = (t << 1) ^ (t >> 63);
      }
      VarInts.writeLongs(out, zz, value.n);
    }

    @Override
    public SequenceEvents decode(InputStream in) throws IOException {
      KeyKind seqKind = KeyDictionary.decodeKind(in);
      KeyKind itemKind = KeyDictionary.decodeKind(in);
      KeyDictionary seqs = KeyDictionary.decode(seqKind, in);
      KeyDictionary items = KeyDictionary.decode(itemKind, in);
      int n = VarInt.decodeInt(in);
      if (n < 0) {
        throw new CoderException("corrupt SequenceEvents: nEvents " + n);
      }
      int[] s = new int[n];
      int[] i = new int[n];
      long[] t = new long[n];
      VarInts.readIntPairs(in, s, i, n);
      VarInts.readLongs(in, t, n);
      for (int e = 0; e < n; e++) {
        if (s[e] < 0 || s[e] >= seqs.size() || i[e] < 0 || i[e] >= items.size()) {
          throw new CoderException(
              String.format(
                  "corrupt SequenceEvents: event %d = (%d, %d) (sequences: %d, items: %d)",
                  e, s[e], i[e], seqs.size(), items.size()));
        }
        long z = t[e];
        t[e] = (z >>> 1) ^ -(z & 1);
      }
      return new SequenceEvents(seqs, items, n, s, t, i);
    }

    @Override
    public boolean isRegisterByteSizeObserverCheap(SequenceEvents value) {
      return false;
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
