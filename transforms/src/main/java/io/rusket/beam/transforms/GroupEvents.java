package io.rusket.beam.transforms;

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
 * The long-format events of one group, held compactly: a transaction dictionary (local dense id ↔
 * transaction key), an item dictionary (local dense id ↔ item key), and the (transaction id, item
 * id) pairs in two parallel int arrays. This is the accumulator of {@link
 * MineGrouped.EventsToGroupFn}: the events of one transaction may arrive anywhere, in any shard, so
 * transactions are only assembled at the end, by {@link #toBaskets()}.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>D1</b> the keys of each dictionary are distinct; local id {@code i} stands for key {@code
 *       i}, {@code 0 <= i < n}.
 *   <li><b>D2</b> every key of either dictionary occurs in at least one pair (keys enter only with
 *       a pair), so {@link #nTransactions()} is the group's number of transactions.
 *   <li><b>P1</b> pairs {@code [0, nPairs)} hold valid ids of both dictionaries; a pair may repeat
 *       (an item counted twice in one transaction): repeats are removed by {@link #compact()} and
 *       {@link #toBaskets()}.
 * </ul>
 *
 * <p>{@code equals} is structural (same dictionaries in the same id order, same pairs in the same
 * order); compare {@link #toBaskets()} for equality of content, which is the same for any order
 * and sharding of the events.
 *
 * <p>Memory: 8 bytes per event (two int ids), the keys (8 bytes each for integers, or the
 * strings), and while events are being added a lookup table from key to id per dictionary.
 *
 * <p>Encoded by {@link #coder()}, see {@link Coder} for the layout.
 */
public final class GroupEvents {
  private final Dict txns;
  private final Dict items;

  /** P1: slots [0, nPairs) in use. */
  private int nPairs;

  private int[] pairTxn;
  private int[] pairItem;

  private GroupEvents(Dict txns, Dict items, int nPairs, int[] pairTxn, int[] pairItem) {
    this.txns = txns;
    this.items = items;
    this.nPairs = nPairs;
    this.pairTxn = pairTxn;
    this.pairItem = pairItem;
  }

  /** No events, with transaction and item keys of the given kinds: the identity of addAll. */
  public static GroupEvents empty(ItemSet.Kind txnKind, ItemSet.Kind itemKind) {
    return new GroupEvents(
        Dict.empty(Objects.requireNonNull(txnKind, "txnKind")),
        Dict.empty(Objects.requireNonNull(itemKind, "itemKind")),
        0,
        new int[16],
        new int[16]);
  }

  /** The kind of the transaction keys. */
  public ItemSet.Kind txnKind() {
    return txns.kind;
  }

  /** The kind of the item keys. */
  public ItemSet.Kind itemKind() {
    return items.kind;
  }

  /** Number of distinct transactions, N. */
  public int nTransactions() {
    return txns.n;
  }

  /** Number of distinct items. */
  public int nItems() {
    return items.n;
  }

  /** Number of (transaction, item) pairs held, repeats included until {@link #compact()}. */
  public int nPairs() {
    return nPairs;
  }

  /**
   * Adds one event: transaction {@code txn} holds item {@code item}. A key is a {@link String} for
   * STRING keys, an integer {@link Number} (Byte, Short, Integer, Long) for INTEGER keys. Returns
   * this.
   *
   * @throws IllegalArgumentException for a null key or one of the wrong kind
   */
  public GroupEvents add(Object txn, Object item) {
    int t = txns.idOf(txn, "transaction");
    int i = items.idOf(item, "item");
    if (nPairs == pairTxn.length) {
      int cap = grow(pairTxn.length, nPairs + 1L);
      pairTxn = Arrays.copyOf(pairTxn, cap);
      pairItem = Arrays.copyOf(pairItem, cap);
    }
    pairTxn[nPairs] = t;
    pairItem[nPairs++] = i;
    return this;
  }

  /**
   * Adds every event of {@code other} (left unchanged), remapping both of its dictionaries into
   * these; returns this.
   *
   * @throws IllegalArgumentException if the kinds differ
   */
  public GroupEvents addAll(GroupEvents other) {
    if (other.txns.kind != txns.kind || other.items.kind != items.kind) {
      throw new IllegalArgumentException(
          String.format(
              "Events of %s transactions and %s items cannot merge into events of %s transactions"
                  + " and %s items",
              other.txns.kind, other.items.kind, txns.kind, items.kind));
    }
    if (other == this) {
      other = copy();
    }
    final int[] txnRemap = txns.remap(other.txns);
    final int[] itemRemap = items.remap(other.items);
    final int m = other.nPairs;
    if (nPairs + (long) m > pairTxn.length) {
      int cap = grow(pairTxn.length, nPairs + (long) m);
      pairTxn = Arrays.copyOf(pairTxn, cap);
      pairItem = Arrays.copyOf(pairItem, cap);
    }
    final int[] oTxn = other.pairTxn;
    final int[] oItem = other.pairItem;
    final int[] pt = pairTxn;
    final int[] pi = pairItem;
    final int base = nPairs;
    for (int k = 0; k < m; k++) {
      pt[base + k] = txnRemap[oTxn[k]];
      pi[base + k] = itemRemap[oItem[k]];
    }
    nPairs = base + m;
    return this;
  }

  /**
   * The group's transactions as {@link GroupBaskets}: repeated pairs counted once, item ids
   * assigned in ascending key order (numerically, or by {@link String#compareTo}) and transactions
   * in ascending transaction-key order. So the result is the same for any order and sharding of
   * the events, and its items follow key order as {@link MineGrouped} needs. This is left
   * unchanged.
   */
  public GroupBaskets toBaskets() {
    final int[] txnRank = txns.ranks();
    final int[] itemRank = items.ranks();
    final long[] packed = packedPairs(txnRank, itemRank);
    final int distinct = sortUnique(packed);
    final int nT = txns.n;
    int[] offsets = new int[nT + 1];
    int[] ids = new int[distinct];
    for (int k = 0; k < distinct; k++) {
      long p = packed[k];
      offsets[(int) (p >>> 32) + 1]++;
      ids[k] = (int) p;
    }
    for (int t = 0; t < nT; t++) {
      offsets[t + 1] += offsets[t];
    }
    Dict sorted = items.sortedBy(itemRank);
    return GroupBaskets.wrap(
        items.kind, items.n, sorted.longs, sorted.strings, nT, offsets, ids);
  }

  /**
   * Removes repeated pairs, trims the arrays to their contents and drops the lookup tables;
   * returns this (an equivalent, smaller accumulator).
   */
  public GroupEvents compact() {
    long[] packed = packedPairs(null, null);
    int distinct = sortUnique(packed);
    int[] pt = new int[distinct];
    int[] pi = new int[distinct];
    for (int k = 0; k < distinct; k++) {
      pt[k] = (int) (packed[k] >>> 32);
      pi[k] = (int) packed[k];
    }
    pairTxn = pt;
    pairItem = pi;
    nPairs = distinct;
    txns.trim();
    items.trim();
    return this;
  }

  /** A deep copy (without the lookup tables). */
  public GroupEvents copy() {
    return new GroupEvents(
        txns.copy(),
        items.copy(),
        nPairs,
        Arrays.copyOf(pairTxn, nPairs),
        Arrays.copyOf(pairItem, nPairs));
  }

  /** Approximate heap footprint in bytes, lookup tables included. */
  public long ramBytesUsed() {
    return 48 + 32 + 4L * pairTxn.length + 4L * pairItem.length + txns.ramBytesUsed()
        + items.ramBytesUsed();
  }

  /** Pairs packed as (transaction id or rank) << 32 | (item id or rank); ranks when given. */
  private long[] packedPairs(int @Nullable [] txnRank, int @Nullable [] itemRank) {
    final int n = nPairs;
    final int[] pt = pairTxn;
    final int[] pi = pairItem;
    long[] packed = new long[n];
    for (int k = 0; k < n; k++) {
      long t = txnRank == null ? pt[k] : txnRank[pt[k]];
      long i = itemRank == null ? pi[k] : itemRank[pi[k]];
      packed[k] = t << 32 | i;
    }
    return packed;
  }

  /** Sorts {@code a} and moves its distinct values to the front; returns how many there are. */
  private static int sortUnique(long[] a) {
    Arrays.sort(a);
    int w = 0;
    for (int k = 0; k < a.length; k++) {
      if (k == 0 || a[k] != a[k - 1]) {
        a[w++] = a[k];
      }
    }
    return w;
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

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GroupEvents)) {
      return false;
    }
    GroupEvents other = (GroupEvents) o;
    return nPairs == other.nPairs
        && txns.equals(other.txns)
        && items.equals(other.items)
        && Arrays.equals(pairTxn, 0, nPairs, other.pairTxn, 0, nPairs)
        && Arrays.equals(pairItem, 0, nPairs, other.pairItem, 0, nPairs);
  }

  @Override
  public int hashCode() {
    int h = 31 * txns.hashCode() + items.hashCode();
    for (int k = 0; k < nPairs; k++) {
      h = 31 * (31 * h + pairTxn[k]) + pairItem[k];
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("GroupEvents{transactions=")
            .append(txns.n)
            .append(", items=")
            .append(items.n)
            .append(", pairs=")
            .append(nPairs)
            .append(", [");
    for (int k = 0; k < Math.min(nPairs, 10); k++) {
      if (k > 0) {
        sb.append(", ");
      }
      sb.append(txns.keyString(pairTxn[k])).append(':').append(items.keyString(pairItem[k]));
    }
    if (nPairs > 10) {
      sb.append(", … ").append(nPairs - 10).append(" more");
    }
    return sb.append("]}").toString();
  }

  // ------------------------------------------------------------------------------------------

  /** A dictionary of distinct keys (D1) of one kind; slots [0, n) in use. */
  private static final class Dict {
    final ItemSet.Kind kind;
    int n;
    long @Nullable [] longs;
    String @Nullable [] strings;

    /** Derived key → id lookup (Long or String keys); null until needed, dropped by trim(). */
    @Nullable HashMap<Object, Integer> index;

    Dict(ItemSet.Kind kind, int n, long @Nullable [] longs, String @Nullable [] strings) {
      this.kind = kind;
      this.n = n;
      this.longs = longs;
      this.strings = strings;
    }

    static Dict empty(ItemSet.Kind kind) {
      return kind == ItemSet.Kind.INTEGER
          ? new Dict(kind, 0, new long[8], null)
          : new Dict(kind, 0, null, new String[8]);
    }

    /** The id of {@code key}, added if new. */
    int idOf(Object key, String role) {
      if (kind == ItemSet.Kind.STRING) {
        if (!(key instanceof String)) {
          throw wrongKey(key, role);
        }
      } else if (key instanceof Long) {
        // as is
      } else if (key instanceof Integer || key instanceof Short || key instanceof Byte) {
        key = ((Number) key).longValue();
      } else {
        throw wrongKey(key, role);
      }
      HashMap<Object, Integer> ix = index();
      Integer id = ix.get(key);
      if (id == null) {
        id = n;
        append(key);
        ix.put(key, id);
      }
      return id;
    }

    private IllegalArgumentException wrongKey(@Nullable Object key, String role) {
      return new IllegalArgumentException(
          String.format(
              "Invalid %s key: %s (%s). Keys of this group are %s: %s",
              role,
              key,
              key == null ? "null" : key.getClass().getSimpleName(),
              kind,
              kind == ItemSet.Kind.STRING ? "a String" : "a Long, Integer, Short or Byte"));
    }

    private void append(Object key) {
      if (kind == ItemSet.Kind.INTEGER) {
        if (n == longs.length) {
          longs = Arrays.copyOf(longs, grow(longs.length, n + 1L));
        }
        longs[n++] = (Long) key;
      } else {
        if (n == strings.length) {
          strings = Arrays.copyOf(strings, grow(strings.length, n + 1L));
        }
        strings[n++] = (String) key;
      }
    }

    private HashMap<Object, Integer> index() {
      HashMap<Object, Integer> ix = index;
      if (ix == null) {
        ix = new HashMap<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
          ix.put(key(i), i);
        }
        index = ix;
      }
      return ix;
    }

    Object key(int i) {
      return kind == ItemSet.Kind.INTEGER ? (Object) longs[i] : strings[i];
    }

    String keyString(int i) {
      return kind == ItemSet.Kind.INTEGER ? Long.toString(longs[i]) : strings[i];
    }

    /** Adds the keys of {@code other}; returns other's id → this id. */
    int[] remap(Dict other) {
      int[] remap = new int[other.n];
      HashMap<Object, Integer> ix = index();
      for (int i = 0; i < other.n; i++) {
        Object key = other.key(i);
        Integer id = ix.get(key);
        if (id == null) {
          id = n;
          append(key);
          ix.put(key, id);
        }
        remap[i] = id;
      }
      return remap;
    }

    /** Id → its rank in ascending key order. */
    int[] ranks() {
      Integer[] byKey = new Integer[n];
      for (int i = 0; i < n; i++) {
        byKey[i] = i;
      }
      if (kind == ItemSet.Kind.INTEGER) {
        final long[] k = longs;
        Arrays.sort(byKey, (a, b) -> Long.compare(k[a], k[b]));
      } else {
        final String[] k = strings;
        Arrays.sort(byKey, (a, b) -> k[a].compareTo(k[b]));
      }
      int[] rank = new int[n];
      for (int r = 0; r < n; r++) {
        rank[byKey[r]] = r;
      }
      return rank;
    }

    /** A new dictionary holding the key of id {@code i} at {@code rank[i]}, no lookup table. */
    Dict sortedBy(int[] rank) {
      long[] l = kind == ItemSet.Kind.INTEGER ? new long[n] : null;
      String[] s = kind == ItemSet.Kind.STRING ? new String[n] : null;
      for (int i = 0; i < n; i++) {
        if (l != null) {
          l[rank[i]] = longs[i];
        } else {
          s[rank[i]] = strings[i];
        }
      }
      return new Dict(kind, n, l, s);
    }

    void trim() {
      index = null;
      if (longs != null) {
        longs = Arrays.copyOf(longs, n);
      } else {
        strings = Arrays.copyOf(strings, n);
      }
    }

    Dict copy() {
      return new Dict(
          kind,
          n,
          longs == null ? null : Arrays.copyOf(longs, Math.max(n, 1)),
          strings == null ? null : Arrays.copyOf(strings, Math.max(n, 1)));
    }

    long ramBytesUsed() {
      long bytes = 48;
      if (longs != null) {
        bytes += 16 + 8L * longs.length;
      } else {
        bytes += 16 + 8L * strings.length;
        for (int i = 0; i < n; i++) {
          bytes += 40 + strings[i].length();
        }
      }
      if (index != null) {
        bytes += 48L * index.size() + 8L * index.size() * 2;
      }
      return bytes;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Dict)) {
        return false;
      }
      Dict d = (Dict) o;
      return kind == d.kind
          && n == d.n
          && (kind == ItemSet.Kind.INTEGER
              ? Arrays.equals(longs, 0, n, d.longs, 0, n)
              : Arrays.equals(strings, 0, n, d.strings, 0, n));
    }

    @Override
    public int hashCode() {
      int h = 31 * kind.ordinal() + n;
      for (int i = 0; i < n; i++) {
        h = 31 * h + (longs != null ? Long.hashCode(longs[i]) : strings[i].hashCode());
      }
      return h;
    }
  }

  // ------------------------------------------------------------------------------------------

  /** The coder of {@code GroupEvents}. */
  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /**
   * Encodes a {@link GroupEvents} as:
   *
   * <pre>
   * txnKind     1 byte: 0 = INTEGER keys, 1 = STRING keys
   * itemKind    1 byte, the same
   * nTxns       VarInt, then nTxns keys (VarLong | VarInt UTF-8 length + bytes), in id order
   * nItems      VarInt, then nItems keys, the same
   * nPairs      VarInt, then per pair: VarInt transaction id, VarInt item id
   * </pre>
   *
   * Deterministic, and consistent with {@link GroupEvents#equals} (structural equality).
   */
  public static final class Coder extends CustomCoder<GroupEvents> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(GroupEvents value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null GroupEvents");
      }
      out.write(value.txns.kind.ordinal());
      out.write(value.items.kind.ordinal());
      encodeDict(value.txns, out);
      encodeDict(value.items, out);
      VarInt.encode(value.nPairs, out);
      final int[] pt = value.pairTxn;
      final int[] pi = value.pairItem;
      for (int k = 0; k < value.nPairs; k++) {
        VarInt.encode(pt[k], out);
        VarInt.encode(pi[k], out);
      }
    }

    private static void encodeDict(Dict d, OutputStream out) throws IOException {
      VarInt.encode(d.n, out);
      ItemSet.Coder.encodeKeys(d.longs, d.strings, d.n, out);
    }

    @Override
    public GroupEvents decode(InputStream in) throws IOException {
      ItemSet.Kind txnKind = ItemSet.Coder.decodeKind(in);
      ItemSet.Kind itemKind = ItemSet.Coder.decodeKind(in);
      Dict txns = decodeDict(txnKind, in, "transactions");
      Dict items = decodeDict(itemKind, in, "items");
      int n = checkCount(VarInt.decodeInt(in), "nPairs");
      int[] pt = new int[Math.max(n, 1)];
      int[] pi = new int[Math.max(n, 1)];
      for (int k = 0; k < n; k++) {
        int t = VarInt.decodeInt(in);
        int i = VarInt.decodeInt(in);
        if (t < 0 || t >= txns.n || i < 0 || i >= items.n) {
          throw new CoderException(
              "corrupt GroupEvents: pair "
                  + k
                  + " = ("
                  + t
                  + ", "
                  + i
                  + ") (transactions: "
                  + txns.n
                  + ", items: "
                  + items.n
                  + ")");
        }
        pt[k] = t;
        pi[k] = i;
      }
      return new GroupEvents(txns, items, n, pt, pi);
    }

    private static Dict decodeDict(ItemSet.Kind kind, InputStream in, String what)
        throws IOException {
      int n = checkCount(VarInt.decodeInt(in), what);
      long[] longs = kind == ItemSet.Kind.INTEGER ? new long[Math.max(n, 1)] : null;
      String[] strings = kind == ItemSet.Kind.STRING ? new String[Math.max(n, 1)] : null;
      ItemSet.Coder.decodeKeys(longs, strings, n, in);
      return new Dict(kind, n, longs, strings);
    }

    private static int checkCount(int v, String what) throws CoderException {
      if (v < 0) {
        throw new CoderException("corrupt GroupEvents: " + what + " " + v);
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
    public boolean isRegisterByteSizeObserverCheap(GroupEvents value) {
      return false;
    }

    /** The exact encoded size, computed without encoding. */
    @Override
    protected long getEncodedElementByteSize(GroupEvents value) throws Exception {
      if (value == null) {
        throw new CoderException("cannot encode a null GroupEvents");
      }
      long bytes = 2 + dictSize(value.txns) + dictSize(value.items) + VarInt.getLength(value.nPairs);
      for (int k = 0; k < value.nPairs; k++) {
        bytes += VarInt.getLength(value.pairTxn[k]) + VarInt.getLength(value.pairItem[k]);
      }
      return bytes;
    }

    private static long dictSize(Dict d) {
      long bytes = VarInt.getLength(d.n);
      for (int i = 0; i < d.n; i++) {
        if (d.longs != null) {
          bytes += VarInt.getLength(d.longs[i]);
        } else {
          int utf8 = d.strings[i].getBytes(StandardCharsets.UTF_8).length;
          bytes += VarInt.getLength(utf8) + utf8;
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
