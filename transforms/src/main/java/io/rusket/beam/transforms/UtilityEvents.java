package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.RamUsage;
import io.rusket.beam.miner.UtilityDb;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The utility events of one group, held compactly: a transaction dictionary, an item dictionary and
 * the (transaction id, item id, utility) triples in three parallel primitive arrays, utilities as
 * fixed-point millionths ({@link UtilityDb#SCALE}). The accumulator of {@link MineUtility}'s
 * combine ({@link UtilityEventsFn}): the events of one transaction may arrive anywhere, in any
 * shard; the group's {@link UtilityDb} is assembled only at the end, by {@link #toDb()}.
 *
 * <p>Invariants: <b>D1</b> the keys of each dictionary are distinct, local id {@code i} stands for
 * key {@code i}; <b>D2</b> every key occurs in at least one triple, so {@link #nTransactions()} is
 * the group's number of transactions; <b>U1</b> triples {@code [0, size)} hold valid ids and
 * utilities {@code >= 0}; a (transaction, item) pair may repeat: repeats are summed by {@link
 * #toDb()}.
 *
 * <p>Memory: 16 bytes per event (two int ids and a long utility) plus the keys, and while events
 * are added a lookup table per dictionary. {@link #ramBytesUsed()} estimates it in constant time.
 */
public final class UtilityEvents {
  private final KeyDictionary txns;
  private final KeyDictionary items;
  private int size;
  private int[] txnOf;
  private int[] itemOf;
  private long[] utilityOf;

  private UtilityEvents(
      KeyDictionary txns,
      KeyDictionary items,
      int size,
      int[] txnOf,
      int[] itemOf,
      long[] utilityOf) {
    this.txns = txns;
    this.items = items;
    this.size = size;
    this.txnOf = txnOf;
    this.itemOf = itemOf;
    this.utilityOf = utilityOf;
  }

  /** No events, with keys of the given kinds: the identity of {@link #addAll}. */
  public static UtilityEvents empty(KeyKind txnKind, KeyKind itemKind) {
    return new UtilityEvents(
        KeyDictionary.empty(Objects.requireNonNull(txnKind, "txnKind")),
        KeyDictionary.empty(Objects.requireNonNull(itemKind, "itemKind")),
        0,
        new int[8],
        new int[8],
        new long[8]);
  }

  /** The kind of the transaction keys. */
  public KeyKind txnKind() {
    return txns.kind();
  }

  /** The kind of the item keys. */
  public KeyKind itemKind() {
    return items.kind();
  }

  /** Number of distinct transactions. */
  public int nTransactions() {
    return txns.size();
  }

  /** Number of distinct items. */
  public int nItems() {
    return items.size();
  }

  /** Number of events held, repeats included. */
  public int size() {
    return size;
  }

  /**
   * Adds one event: transaction {@code txn} holds item {@code item} with utility {@code
   * utilityFixed} millionths. Keys are Strings or integer Numbers, of this group's kinds.
   *
   * @throws IllegalArgumentException for a null key, one of the wrong kind, or a negative utility
   */
  public UtilityEvents add(Object txn, Object item, long utilityFixed) {
    if (utilityFixed < 0) {
      throw new IllegalArgumentException(
          "Invalid utility " + UtilityDb.fromFixed(utilityFixed) + ": utilities must be >= 0");
    }
    int t = txns.addObject(txn, "transaction");
    int i = items.addObject(item, "item");
    reserve(size + 1L);
    txnOf[size] = t;
    itemOf[size] = i;
    utilityOf[size++] = utilityFixed;
    return this;
  }

  /** Adds every event of {@code other} (left unchanged) to this; returns this. */
  public UtilityEvents addAll(UtilityEvents other) {
    if (other.txnKind() != txnKind() || other.itemKind() != itemKind()) {
      throw new IllegalArgumentException(
          String.format(
              "Events of %s transactions and %s items cannot merge into events of %s transactions"
                  + " and %s items",
              other.txnKind(), other.itemKind(), txnKind(), itemKind()));
    }
    if (other == this) {
      other = copy();
    }
    final int m = other.size;
    reserve(size + (long) m);
    final int[] tRemap = txns.addAll(other.txns);
    final int[] iRemap = items.addAll(other.items);
    for (int k = 0; k < m; k++) {
      txnOf[size + k] = tRemap[other.txnOf[k]];
      itemOf[size + k] = iRemap[other.itemOf[k]];
    }
    System.arraycopy(other.utilityOf, 0, utilityOf, size, m);
    size += m;
    return this;
  }

  private void reserve(long min) {
    if (min > txnOf.length) {
      GroupBaskets.checkCapacity(txns.size(), min);
      txnOf = ArrayUtil.grow(txnOf, min);
      itemOf = ArrayUtil.grow(itemOf, min);
      utilityOf = ArrayUtil.grow(utilityOf, min);
    }
  }

  /**
   * The group's transactions as a {@link UtilityDb}: repeated (transaction, item) events summed,
   * item ids assigned in ascending key order (numerically, or by {@link String#compareTo}) and
   * named by their keys (integers in decimal). The same database, up to transaction order, for any
   * order and sharding of the events; this is left unchanged.
   */
  public UtilityDb toDb() {
    final int[] itemRank = items.ascendingRanks();
    String[] names = new String[items.size()];
    for (int i = 0; i < names.length; i++) {
      names[itemRank[i]] = items.keyString(i);
    }
    UtilityDb.Builder b = UtilityDb.builder();
    for (int k = 0; k < size; k++) {
      b.addFixed(txnOf[k], itemRank[itemOf[k]], utilityOf[k]);
    }
    return b.build(names);
  }

  /**
   * The content, independent of event order and sharding: the sorted "transaction:item=utility"
   * entries, repeats summed (for tests and debugging).
   */
  String canonicalContent() {
    java.util.TreeMap<String, Long> m = new java.util.TreeMap<>();
    for (int k = 0; k < size; k++) {
      m.merge(txns.keyString(txnOf[k]) + ":" + items.keyString(itemOf[k]), utilityOf[k], Long::sum);
    }
    return m.toString();
  }

  /** Trims the arrays to their contents and drops the lookup tables; returns this. */
  public UtilityEvents trim() {
    txnOf = Arrays.copyOf(txnOf, size);
    itemOf = Arrays.copyOf(itemOf, size);
    utilityOf = Arrays.copyOf(utilityOf, size);
    txns.trim();
    items.trim();
    return this;
  }

  /** A deep copy (without the lookup tables). */
  public UtilityEvents copy() {
    return new UtilityEvents(
        txns.copy(),
        items.copy(),
        size,
        Arrays.copyOf(txnOf, size),
        Arrays.copyOf(itemOf, size),
        Arrays.copyOf(utilityOf, size));
  }

  /** Approximate heap footprint in bytes, lookup tables included; constant time. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + 24
        + RamUsage.ints(txnOf.length)
        + RamUsage.ints(itemOf.length)
        + RamUsage.longs(utilityOf.length)
        + txns.ramBytesUsed()
        + items.ramBytesUsed();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof UtilityEvents)) {
      return false;
    }
    UtilityEvents other = (UtilityEvents) o;
    return size == other.size
        && txns.equals(other.txns)
        && items.equals(other.items)
        && Arrays.equals(txnOf, 0, size, other.txnOf, 0, size)
        && Arrays.equals(itemOf, 0, size, other.itemOf, 0, size)
        && Arrays.equals(utilityOf, 0, size, other.utilityOf, 0, size);
  }

  @Override
  public int hashCode() {
    int h = 31 * txns.hashCode() + items.hashCode();
    for (int k = 0; k < size; k++) {
      h = 31 * (31 * (31 * h + txnOf[k]) + itemOf[k]) + Long.hashCode(utilityOf[k]);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("UtilityEvents{transactions=")
            .append(txns.size())
            .append(", items=")
            .append(items.size())
            .append(", events=")
            .append(size)
            .append(", [");
    for (int k = 0; k < Math.min(size, 10); k++) {
      if (k > 0) {
        sb.append(", ");
      }
      sb.append(txns.keyString(txnOf[k]))
          .append(':')
          .append(items.keyString(itemOf[k]))
          .append('=')
          .append(UtilityDb.fromFixed(utilityOf[k]));
    }
    if (size > 10) {
      sb.append(", … ").append(size - 10).append(" more");
    }
    return sb.append("]}").toString();
  }

  /** The coder of {@code UtilityEvents}. */
  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /**
   * Encodes a {@link UtilityEvents} as:
   *
   * <pre>
   * txnKind, itemKind   1 byte each: 0 = INTEGER keys, 1 = STRING keys
   * nTxns, keys         VarInt, then the keys in id order (VarLong | VarInt UTF-8 length + bytes)
   * nItems, keys        the same
   * size                VarInt, then per event VarInt transaction id, VarInt item id
   *                     then per event VarLong utility (millionths)
   * </pre>
   *
   * Deterministic and consistent with {@link UtilityEvents#equals} (structural equality).
   */
  public static final class Coder extends StatelessCoder<UtilityEvents> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(UtilityEvents value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null UtilityEvents");
      }
      KeyDictionary.encodeKind(value.txnKind(), out);
      KeyDictionary.encodeKind(value.itemKind(), out);
      value.txns.encode(out);
      value.items.encode(out);
      VarInt.encode(value.size, out);
      VarInts.writeIntPairs(out, value.txnOf, value.itemOf, value.size);
      VarInts.writeLongs(out, value.utilityOf, value.size);
    }

    @Override
    public UtilityEvents decode(InputStream in) throws IOException {
      KeyKind txnKind = KeyDictionary.decodeKind(in);
      KeyKind itemKind = KeyDictionary.decodeKind(in);
      KeyDictionary txns = KeyDictionary.decode(txnKind, in);
      KeyDictionary items = KeyDictionary.decode(itemKind, in);
      int n = VarInt.decodeInt(in);
      if (n < 0) {
        throw new CoderException("corrupt UtilityEvents: size " + n);
      }
      GroupBaskets.checkCapacity(txns.size(), n);
      int[] t = new int[n];
      int[] i = new int[n];
      long[] u = new long[n];
      VarInts.readIntPairs(in, t, i, n);
      VarInts.readLongs(in, u, n);
      for (int k = 0; k < n; k++) {
        if (t[k] < 0 || t[k] >= txns.size() || i[k] < 0 || i[k] >= items.size() || u[k] < 0) {
          throw new CoderException(
              String.format(
                  "corrupt UtilityEvents: event %d = (%d, %d, %d) (transactions: %d, items: %d)",
                  k, t[k], i[k], u[k], txns.size(), items.size()));
        }
      }
      return new UtilityEvents(txns, items, n, t, i, u);
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
