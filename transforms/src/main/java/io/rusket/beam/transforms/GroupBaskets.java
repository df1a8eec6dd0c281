package io.rusket.beam.transforms;

import io.rusket.beam.miner.TransactionDb;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * All the transactions of one group, held compactly: an item dictionary (local dense id ↔ item key)
 * and the transactions as compressed sparse rows of local ids. This is the accumulator of {@link
 * MineGrouped.BasketsToGroupFn}, the output of {@link MineGrouped.EventsToGroupFn}, and the value
 * {@link MineGrouped} mines per group.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>D1</b> the dictionary's keys are distinct; local id {@code i} stands for key {@code i},
 *       {@code 0 <= i < nItems()}.
 *   <li><b>D2</b> every key of the dictionary occurs in at least one transaction (keys enter only
 *       with a basket that holds them), so the dictionary never outgrows the data.
 *   <li><b>T1</b> {@code offsets[0] == 0} and offsets never decrease over {@code [0, size()]};
 *       transaction {@code t} is {@code items[offsets[t] .. offsets[t+1])}.
 *   <li><b>T2</b> the ids of each transaction are strictly ascending (an item counts once per
 *       transaction); an empty transaction is kept and counts toward {@link #size()}.
 * </ul>
 *
 * <p>The same baskets can be held in several ways (dictionary order follows first appearance,
 * transactions follow arrival). {@link #canonical()} returns the one canonical form — keys
 * ascending (numerically, or by {@link String#compareTo}), ids assigned in that order, transactions
 * sorted lexicographically — so two accumulators hold the same multiset of baskets iff their
 * canonical forms are {@link #equals equal}. {@code equals} itself is structural.
 *
 * <p>Memory: 4 bytes per item occurrence, 4 per transaction, and the keys (8 bytes each, or the
 * strings), plus a lookup table from key to id while baskets are being added.
 *
 * <p>Encoded by {@link #coder()}, see {@link Coder} for the layout.
 */
public final class GroupBaskets {
  private final ItemSet.Kind kind;

  // Dictionary (D1, D2).
  private int nItems;

  /** Keys when kind is INTEGER, else null; slots [0, nItems) in use. */
  private long[] longKeys;

  /** Keys when kind is STRING, else null; slots [0, nItems) in use. */
  private String[] stringKeys;

  /** Derived key → id lookup (Long or String keys); null until needed, dropped by compact(). */
  private @Nullable HashMap<Object, Integer> index;

  // Transactions (T1, T2).
  private int size;

  /** Slots [0, size] in use. */
  private int[] offsets;

  /** Slots [0, offsets[size]) in use. */
  private int[] items;

  private GroupBaskets(
      ItemSet.Kind kind,
      int nItems,
      long[] longKeys,
      String[] stringKeys,
      int size,
      int[] offsets,
      int[] items) {
    this.kind = kind;
    this.nItems = nItems;
    this.longKeys = longKeys;
    this.stringKeys = stringKeys;
    this.size = size;
    this.offsets = offsets;
    this.items = items;
  }

  /**
   * Wraps arrays that already satisfy the invariants (D1, D2, T1, T2), without copying or checking
   * them: for {@link GroupEvents#toBaskets()}, which builds them so.
   */
  static GroupBaskets wrap(
      ItemSet.Kind kind,
      int nItems,
      long @Nullable [] longKeys,
      String @Nullable [] stringKeys,
      int size,
      int[] offsets,
      int[] items) {
    return new GroupBaskets(kind, nItems, longKeys, stringKeys, size, offsets, items);
  }

  /** No transactions, with keys of the given kind: the identity of {@link #addAll}. */
  public static GroupBaskets empty(ItemSet.Kind kind) {
    Objects.requireNonNull(kind, "kind");
    return new GroupBaskets(
        kind,
        0,
        kind == ItemSet.Kind.INTEGER ? new long[8] : null,
        kind == ItemSet.Kind.STRING ? new String[8] : null,
        0,
        new int[8],
        new int[16]);
  }

  /** The kind of the item keys. */
  public ItemSet.Kind kind() {
    return kind;
  }

  /** Number of transactions, N. */
  public int size() {
    return size;
  }

  /** Number of distinct items. */
  public int nItems() {
    return nItems;
  }

  /** Number of (transaction, item) entries. */
  public long nEntries() {
    return offsets[size];
  }

  /** The integer key of local id {@code id}. */
  public long longKey(int id) {
    checkKind(ItemSet.Kind.INTEGER);
    checkId(id);
    return longKeys[id];
  }

  /** The string key of local id {@code id}. */
  public String stringKey(int id) {
    checkKind(ItemSet.Kind.STRING);
    checkId(id);
    return stringKeys[id];
  }

  /** A copy of the local ids of transaction {@code t}, ascending. */
  public int[] transaction(int t) {
    if (t < 0 || t >= size) {
      throw new IllegalArgumentException(
          "Invalid transaction index: " + t + ". Valid range is [0, " + size + ").");
    }
    return Arrays.copyOfRange(items, offsets[t], offsets[t + 1]);
  }

  /**
   * Appends one transaction holding the items of {@code basket} (which is left unchanged); returns
   * this.
   *
   * @throws IllegalArgumentException if the basket's kind differs from this group's
   */
  public GroupBaskets add(ItemSet basket) {
    if (basket.kind() != kind) {
      throw new IllegalArgumentException(
          "A basket of " + basket.kind() + " keys cannot join a group of " + kind + " keys");
    }
    int len = basket.size();
    int start = beginTransaction(len);
    for (int k = 0; k < len; k++) {
      items[start + k] =
          kind == ItemSet.Kind.INTEGER ? idOf(basket.longKey(k)) : idOf(basket.stringKey(k));
    }
    endTransaction(start, len, false);
    return this;
  }

  /**
   * Appends every transaction of {@code other} (left unchanged), remapping its local ids into this
   * dictionary; returns this.
   *
   * @throws IllegalArgumentException if the kinds differ
   */
  public GroupBaskets addAll(GroupBaskets other) {
    if (other.kind != kind) {
      throw new IllegalArgumentException(
          "A group of " + other.kind + " keys cannot merge into a group of " + kind + " keys");
    }
    if (other == this) {
      other = copy();
    }
    final int m = other.nItems;
    int[] remap = new int[m];
    boolean identity = true;
    for (int id = 0; id < m; id++) {
      remap[id] =
          kind == ItemSet.Kind.INTEGER ? idOf(other.longKeys[id]) : idOf(other.stringKeys[id]);
      identity &= remap[id] == id;
    }
    final int[] oOffsets = other.offsets;
    final int[] oItems = other.items;
    for (int t = 0; t < other.size; t++) {
      int from = oOffsets[t];
      int len = oOffsets[t + 1] - from;
      int start = beginTransaction(len);
      if (identity) {
        System.arraycopy(oItems, from, items, start, len);
      } else {
        for (int k = 0; k < len; k++) {
          items[start + k] = remap[oItems[from + k]];
        }
      }
      endTransaction(start, len, identity);
    }
    return this;
  }

  /** The canonical form of these baskets (see the class comment); this is left unchanged. */
  public GroupBaskets canonical() {
    final int m = nItems;
    Integer[] byKey = new Integer[m];
    for (int i = 0; i < m; i++) {
      byKey[i] = i;
    }
    if (kind == ItemSet.Kind.INTEGER) {
      Arrays.sort(byKey, (a, b) -> Long.compare(longKeys[a], longKeys[b]));
    } else {
      Arrays.sort(byKey, (a, b) -> stringKeys[a].compareTo(stringKeys[b]));
    }
    int[] rank = new int[m];
    long[] newLongs = kind == ItemSet.Kind.INTEGER ? new long[m] : null;
    String[] newStrings = kind == ItemSet.Kind.STRING ? new String[m] : null;
    for (int r = 0; r < m; r++) {
      int old = byKey[r];
      rank[old] = r;
      if (newLongs != null) {
        newLongs[r] = longKeys[old];
      } else {
        newStrings[r] = stringKeys[old];
      }
    }
    // Remap every transaction in place in a scratch copy, re-sorting each (T2).
    final int entries = offsets[size];
    int[] remapped = new int[entries];
    for (int i = 0; i < entries; i++) {
      remapped[i] = rank[items[i]];
    }
    for (int t = 0; t < size; t++) {
      sortRange(remapped, offsets[t], offsets[t + 1]);
    }
    // Sort the transactions lexicographically (shorter first on a common prefix).
    Integer[] order = new Integer[size];
    for (int t = 0; t < size; t++) {
      order[t] = t;
    }
    final int[] offs = offsets;
    Arrays.sort(
        order,
        (a, b) -> Arrays.compare(remapped, offs[a], offs[a + 1], remapped, offs[b], offs[b + 1]));
    int[] newOffsets = new int[size + 1];
    int[] newItems = new int[entries];
    int fill = 0;
    for (int t = 0; t < size; t++) {
      int o = order[t];
      int len = offs[o + 1] - offs[o];
      System.arraycopy(remapped, offs[o], newItems, fill, len);
      fill += len;
      newOffsets[t + 1] = fill;
    }
    return new GroupBaskets(kind, m, newLongs, newStrings, size, newOffsets, newItems);
  }

  /** True if local ids follow ascending key order, as in the canonical form. */
  public boolean keysAscending() {
    for (int i = 1; i < nItems; i++) {
      boolean ascending =
          kind == ItemSet.Kind.INTEGER
              ? longKeys[i - 1] < longKeys[i]
              : stringKeys[i - 1].compareTo(stringKeys[i]) < 0;
      if (!ascending) {
        return false;
      }
    }
    return true;
  }

  /**
   * The transactions as a miner database whose item ids are these local ids; string keys become the
   * item names, integer keys leave the items unnamed.
   */
  public TransactionDb toTransactionDb() {
    return TransactionDb.fromCsr(
        Arrays.copyOf(offsets, size + 1),
        Arrays.copyOf(items, offsets[size]),
        kind == ItemSet.Kind.STRING ? Arrays.copyOf(stringKeys, nItems) : null);
  }

  /** Trims the arrays to their contents and drops the lookup table; returns this. */
  public GroupBaskets compact() {
    index = null;
    offsets = Arrays.copyOf(offsets, size + 1);
    items = Arrays.copyOf(items, offsets[size]);
    if (kind == ItemSet.Kind.INTEGER) {
      longKeys = Arrays.copyOf(longKeys, nItems);
    } else {
      stringKeys = Arrays.copyOf(stringKeys, nItems);
    }
    return this;
  }

  /** A deep copy (without the lookup table). */
  public GroupBaskets copy() {
    return new GroupBaskets(
        kind,
        nItems,
        longKeys == null ? null : Arrays.copyOf(longKeys, nItems),
        stringKeys == null ? null : Arrays.copyOf(stringKeys, nItems),
        size,
        Arrays.copyOf(offsets, size + 1),
        Arrays.copyOf(items, offsets[size]));
  }

  /** Approximate heap footprint in bytes, lookup table included. */
  public long ramBytesUsed() {
    long bytes = 64 + 16 + 4L * offsets.length + 16 + 4L * items.length;
    if (kind == ItemSet.Kind.INTEGER) {
      bytes += 16 + 8L * longKeys.length;
    } else {
      bytes += 16 + 8L * stringKeys.length;
      for (int i = 0; i < nItems; i++) {
        bytes += 40 + stringKeys[i].length();
      }
    }
    if (index != null) {
      bytes += 48L * index.size() + 8L * index.size() * 2;
    }
    return bytes;
  }

  // ------------------------------------------------------------------------------------------

  /** Reserves room for a transaction of up to {@code len} ids; returns where it starts. */
  private int beginTransaction(int len) {
    if (size + 2 > offsets.length) {
      offsets = Arrays.copyOf(offsets, grow(offsets.length, size + 2L));
    }
    int start = offsets[size];
    if (start + (long) len > items.length) {
      items = Arrays.copyOf(items, grow(items.length, (long) start + len));
    }
    return start;
  }

  /**
   * Closes the transaction written at {@code items[start, start+len)}, distinct ids: sorts them
   * (T2) unless they already are.
   */
  private void endTransaction(int start, int len, boolean sorted) {
    int end = start + len;
    if (!sorted) {
      sortRange(items, start, end);
    }
    offsets[++size] = end;
  }

  /** Looks up or adds an integer key (D1). */
  private int idOf(long key) {
    HashMap<Object, Integer> ix = index();
    Integer id = ix.get(key);
    if (id == null) {
      id = nItems;
      if (nItems == longKeys.length) {
        longKeys = Arrays.copyOf(longKeys, grow(longKeys.length, nItems + 1L));
      }
      longKeys[nItems++] = key;
      ix.put(key, id);
    }
    return id;
  }

  /** Looks up or adds a string key (D1). */
  private int idOf(String key) {
    HashMap<Object, Integer> ix = index();
    Integer id = ix.get(key);
    if (id == null) {
      id = nItems;
      if (nItems == stringKeys.length) {
        stringKeys = Arrays.copyOf(stringKeys, grow(stringKeys.length, nItems + 1L));
      }
      stringKeys[nItems++] = key;
      ix.put(key, id);
    }
    return id;
  }

  private HashMap<Object, Integer> index() {
    HashMap<Object, Integer> ix = index;
    if (ix == null) {
      ix = new HashMap<>(Math.max(16, nItems * 2));
      for (int i = 0; i < nItems; i++) {
        ix.put(kind == ItemSet.Kind.INTEGER ? (Object) longKeys[i] : stringKeys[i], i);
      }
      index = ix;
    }
    return ix;
  }

  /** Sorts {@code a[from, to)} ascending; transactions are short, so insertion sort for those. */
  private static void sortRange(int[] a, int from, int to) {
    if (to - from > 32) {
      Arrays.sort(a, from, to);
      return;
    }
    for (int i = from + 1; i < to; i++) {
      int v = a[i];
      int j = i - 1;
      while (j >= from && a[j] > v) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  /** A larger capacity, at least {@code min}, with an overflow guard. */
  private static int grow(int current, long min) {
    if (min > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "A group is too large for one array: it needs "
              + min
              + " slots (at most "
              + (Integer.MAX_VALUE - 8)
              + "); split the group into smaller ones");
    }
    long next = Math.max(min, current + (current >> 1) + 8L);
    return (int) Math.min(next, Integer.MAX_VALUE - 8);
  }

  private void checkKind(ItemSet.Kind expected) {
    if (kind != expected) {
      throw new IllegalArgumentException(
          "This group holds " + kind + " keys, not " + expected + " keys");
    }
  }

  private void checkId(int id) {
    if (id < 0 || id >= nItems) {
      throw new IllegalArgumentException(
          "Invalid item id: " + id + ". Valid range is [0, " + nItems + ").");
    }
  }

  /**
   * Structural equality: the same kind, the same keys in the same id order and the same
   * transactions in the same order. Compare {@link #canonical()} forms for equality of content.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GroupBaskets)) {
      return false;
    }
    GroupBaskets other = (GroupBaskets) o;
    return kind == other.kind
        && nItems == other.nItems
        && size == other.size
        && (kind == ItemSet.Kind.INTEGER
            ? Arrays.equals(longKeys, 0, nItems, other.longKeys, 0, nItems)
            : Arrays.equals(stringKeys, 0, nItems, other.stringKeys, 0, nItems))
        && Arrays.equals(offsets, 0, size + 1, other.offsets, 0, size + 1)
        && Arrays.equals(items, 0, offsets[size], other.items, 0, offsets[size]);
  }

  @Override
  public int hashCode() {
    int h = 31 * kind.ordinal() + size;
    for (int i = 0; i < nItems; i++) {
      h =
          31 * h
              + (kind == ItemSet.Kind.INTEGER
                  ? Long.hashCode(longKeys[i])
                  : stringKeys[i].hashCode());
    }
    for (int t = 1; t <= size; t++) {
      h = 31 * h + offsets[t];
    }
    for (int i = 0, n = offsets[size]; i < n; i++) {
      h = 31 * h + items[i];
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("GroupBaskets{transactions=")
            .append(size)
            .append(", items=")
            .append(nItems)
            .append(", entries=")
            .append(offsets[size])
            .append(", [");
    for (int t = 0; t < Math.min(size, 10); t++) {
      if (t > 0) {
        sb.append(", ");
      }
      sb.append('[');
      for (int i = offsets[t]; i < offsets[t + 1]; i++) {
        if (i > offsets[t]) {
          sb.append(", ");
        }
        sb.append(
            kind == ItemSet.Kind.INTEGER
                ? Long.toString(longKeys[items[i]])
                : stringKeys[items[i]]);
      }
      sb.append(']');
    }
    if (size > 10) {
      sb.append(", … ").append(size - 10).append(" more");
    }
    return sb.append("]}").toString();
  }

  /** The coder of {@code GroupBaskets}. */
  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /**
   * Encodes a {@link GroupBaskets} as:
   *
   * <pre>
   * kind        1 byte: 0 = INTEGER keys, 1 = STRING keys
   * nItems      VarInt
   * keys        nItems × (VarLong key | VarInt UTF-8 length + bytes), in id order
   * size        VarInt, the number of transactions
   * per transaction: VarInt length, then its ids as VarInt gaps: the first id, then each id
   *             minus the previous one (at least 1, as ids are strictly ascending)
   * </pre>
   *
   * Deterministic, and consistent with {@link GroupBaskets#equals} (structural equality).
   */
  public static final class Coder extends CustomCoder<GroupBaskets> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(GroupBaskets value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null GroupBaskets");
      }
      out.write(value.kind.ordinal());
      VarInt.encode(value.nItems, out);
      ItemSet.Coder.encodeKeys(
          value.kind == ItemSet.Kind.INTEGER ? value.longKeys : null,
          value.stringKeys,
          value.nItems,
          out);
      VarInt.encode(value.size, out);
      final int[] offs = value.offsets;
      final int[] its = value.items;
      for (int t = 0; t < value.size; t++) {
        VarInt.encode(offs[t + 1] - offs[t], out);
        int prev = 0;
        for (int i = offs[t]; i < offs[t + 1]; i++) {
          VarInt.encode(its[i] - prev, out);
          prev = its[i];
        }
      }
    }

    @Override
    public GroupBaskets decode(InputStream in) throws IOException {
      ItemSet.Kind kind = ItemSet.Coder.decodeKind(in);
      int m = checkCount(VarInt.decodeInt(in), "nItems");
      long[] longKeys = kind == ItemSet.Kind.INTEGER ? new long[m] : null;
      String[] stringKeys = kind == ItemSet.Kind.STRING ? new String[m] : null;
      ItemSet.Coder.decodeKeys(longKeys, stringKeys, m, in);
      int n = checkCount(VarInt.decodeInt(in), "size");
      int[] offsets = new int[n + 1];
      int[] items = new int[Math.max(16, n * 2)];
      int fill = 0;
      for (int t = 0; t < n; t++) {
        int len = checkCount(VarInt.decodeInt(in), "transaction length");
        if (fill + (long) len > items.length) {
          items = Arrays.copyOf(items, grow(items.length, (long) fill + len));
        }
        int prev = 0;
        for (int k = 0; k < len; k++) {
          int gap = VarInt.decodeInt(in);
          int id = prev + gap;
          if (gap < (k > 0 ? 1 : 0) || id < 0 || id >= m) {
            throw new CoderException(
                "corrupt GroupBaskets: id " + id + " in transaction " + t + " (items: " + m + ")");
          }
          items[fill++] = id;
          prev = id;
        }
        offsets[t + 1] = fill;
      }
      return new GroupBaskets(
          kind, m, longKeys, stringKeys, n, offsets, Arrays.copyOf(items, fill));
    }

    private static int checkCount(int v, String what) throws CoderException {
      if (v < 0) {
        throw new CoderException("corrupt GroupBaskets: " + what + " " + v);
      }
      return v;
    }

    /** Deterministic: structurally equal values encode to the same bytes. */
    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }

    @Override
    public boolean isRegisterByteSizeObserverCheap(GroupBaskets value) {
      return false;
    }

    /** The exact encoded size, computed without encoding. */
    @Override
    protected long getEncodedElementByteSize(GroupBaskets value) throws Exception {
      if (value == null) {
        throw new CoderException("cannot encode a null GroupBaskets");
      }
      long bytes = 1 + VarInt.getLength(value.nItems) + VarInt.getLength(value.size);
      for (int i = 0; i < value.nItems; i++) {
        if (value.kind == ItemSet.Kind.INTEGER) {
          bytes += VarInt.getLength(value.longKeys[i]);
        } else {
          int utf8 = value.stringKeys[i].getBytes(StandardCharsets.UTF_8).length;
          bytes += VarInt.getLength(utf8) + utf8;
        }
      }
      final int[] offs = value.offsets;
      final int[] its = value.items;
      for (int t = 0; t < value.size; t++) {
        bytes += VarInt.getLength(offs[t + 1] - offs[t]);
        int prev = 0;
        for (int i = offs[t]; i < offs[t + 1]; i++) {
          bytes += VarInt.getLength(its[i] - prev);
          prev = its[i];
        }
      }
      return bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Coder;
    }

    @Override
    public int hashCode() {
      return Coder.class.hashCode();
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
