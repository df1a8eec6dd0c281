package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.RamUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The long-format events of one group, held compactly: a transaction dictionary (local dense id ↔
 * transaction key), an item dictionary (local dense id ↔ item key), and the (transaction id, item
 * id) pairs in two parallel int arrays. This is the accumulator of {@link EventsToGroupFn}: the
 * events of one transaction may arrive anywhere, in any shard, so transactions are only assembled
 * at the end, by {@link #toBaskets()}.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>D1</b> the keys of each dictionary are distinct; local id {@code i} stands for key
 *       {@code i}, {@code 0 <= i < n}.
 *   <li><b>D2</b> every key of either dictionary occurs in at least one pair (keys enter only with
 *       a pair), so {@link #nTransactions()} is the group's number of transactions.
 *   <li><b>P1</b> pairs {@code [0, nPairs)} hold valid ids of both dictionaries; a pair may repeat
 *       (an item counted twice in one transaction): repeats are removed by {@link #compact()} and
 *       {@link #toBaskets()}.
 * </ul>
 *
 * <p>{@code equals} is structural (same dictionaries in the same id order, same pairs in the same
 * order); compare {@link #toBaskets()} for equality of content, which is the same for any order and
 * sharding of the events.
 *
 * <p>Memory: 8 bytes per event (two int ids), the keys (8 bytes each for integers, or the strings),
 * and while events are being added a lookup table from key to id per dictionary (two {@code
 * KeyDictionary}s). {@link #ramBytesUsed()} estimates it in constant time.
 *
 * <p>Encoded by {@link #coder()}, see {@link Coder} for the layout.
 */
public final class GroupEvents {
  private final KeyDictionary txns;
  private final KeyDictionary items;

  /** P1: slots [0, nPairs) in use. */
  private int nPairs;

  private int[] pairTxn;
  private int[] pairItem;

  private GroupEvents(
      KeyDictionary txns, KeyDictionary items, int nPairs, int[] pairTxn, int[] pairItem) {
    this.txns = txns;
    this.items = items;
    this.nPairs = nPairs;
    this.pairTxn = pairTxn;
    this.pairItem = pairItem;
  }

  /** No events, with transaction and item keys of the given kinds: the identity of addAll. */
  public static GroupEvents empty(KeyKind txnKind, KeyKind itemKind) {
    return new GroupEvents(
        KeyDictionary.empty(Objects.requireNonNull(txnKind, "txnKind")),
        KeyDictionary.empty(Objects.requireNonNull(itemKind, "itemKind")),
        0,
        new int[8],
        new int[8]);
  }

  /** The kind of the transaction keys. */
  public KeyKind txnKind() {
    return txns.kind();
  }

  /** The kind of the item keys. */
  public KeyKind itemKind() {
    return items.kind();
  }

  /** Number of distinct transactions, N. */
  public int nTransactions() {
    return txns.size();
  }

  /** Number of distinct items. */
  public int nItems() {
    return items.size();
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
   * @throws IllegalStateException if the group would outgrow its arrays ({@code
   *     GroupBaskets#checkCapacity})
   */
  public GroupEvents add(Object txn, Object item) {
    int t = txns.addObject(txn, "transaction");
    int i = items.addObject(item, "item");
    reserve(nPairs + 1L);
    pairTxn[nPairs] = t;
    pairItem[nPairs++] = i;
    return this;
  }

  /**
   * Adds a chunk of events read column-wise: for each row {@code r} of {@code rows[from, to)} (of
   * {@code from} to {@code to} when {@code rows} is null), transaction {@code txn[r]} holds item
   * {@code item[r]}. Keys go straight from the columns' primitive arrays into the dictionaries,
   * with no boxing and no object per event. The chunk is checked before anything is added: on an
   * error this is unchanged. Returns this.
   *
   * <pre>{@code
   * GroupEvents g = GroupEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
   * g.addChunk(KeyColumn.ofLongs(new long[] {7, 7, 8}),
   *     KeyColumn.ofStrings(new String[] {"milk", "bread", "milk"}), null, 0, 3);
   * }</pre>
   *
   * @throws IllegalArgumentException if a column's kind differs from this group's, a string key is
   *     null (naming the row), or the range is outside the columns
   * @throws IllegalStateException if the group would outgrow its arrays ({@code
   *     GroupBaskets#checkCapacity})
   */
  public GroupEvents addChunk(
      KeyColumn txn, KeyColumn item, int @Nullable [] rows, int from, int to) {
    checkColumn(txn, txnKind(), "transaction", rows, from, to);
    checkColumn(item, itemKind(), "item", rows, from, to);
    final int len = to - from;
    reserve(nPairs + (long) len);
    txns.addColumn(txn, rows, from, to, pairTxn, nPairs);
    items.addColumn(item, rows, from, to, pairItem, nPairs);
    nPairs += len;
    return this;
  }

  /**
   * Checks a chunk's key column before anything of it is added: its kind, the row range and rows,
   * and (STRING keys) that no key is null, naming the role and row.
   */
  static void checkColumn(
      KeyColumn c, KeyKind kind, String role, int @Nullable [] rows, int from, int to) {
    if (c.kind() != kind) {
      throw new IllegalArgumentException(
          String.format(
              "A %s column of %s keys cannot join events of %s %s keys",
              role, c.kind(), kind, role));
    }
    int limit = rows == null ? c.capacity() : rows.length;
    if (from < 0 || from > to || to > limit) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid row range [%d, %d) for a chunk of %d rows (%s column)",
              from, to, limit, role));
    }
    if (kind == KeyKind.STRING) {
      final String[] keys = c.strings();
      for (int k = from; k < to; k++) {
        int r = rows == null ? k : rows[k];
        if (r < 0 || r >= keys.length) {
          throw new IllegalArgumentException(
              "Invalid row " + r + " in a chunk of " + keys.length + " rows (" + role + " column)");
        }
        if (keys[r] == null) {
          throw new IllegalArgumentException(
              "Null " + role + " key at row " + r + " of the chunk (events are never dropped)");
        }
      }
    } else if (rows != null) {
      final int n = c.capacity();
      for (int k = from; k < to; k++) {
        if (rows[k] < 0 || rows[k] >= n) {
          throw new IllegalArgumentException(
              "Invalid row " + rows[k] + " in a chunk of " + n + " rows (" + role + " column)");
        }
      }
    }
  }

  /**
   * Adds every event of {@code other} (left unchanged), remapping both of its dictionaries into
   * these; returns this.
   *
   * @throws IllegalArgumentException if the kinds differ
   * @throws IllegalStateException if the group would outgrow its arrays ({@code
   *     GroupBaskets#checkCapacity})
   */
  public GroupEvents addAll(GroupEvents other) {
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
    final int m = other.nPairs;
    reserve(nPairs + (long) m);
    final int[] txnRemap = txns.addAll(other.txns);
    final int[] itemRemap = items.addAll(other.items);
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

  /** Room for {@code min} pairs, through the one growth helper. */
  private void reserve(long min) {
    if (min > pairTxn.length) {
      GroupBaskets.checkCapacity(txns.size(), min);
      pairTxn = ArrayUtil.grow(pairTxn, min);
      pairItem = ArrayUtil.grow(pairItem, min);
    }
  }

  /**
   * The group's transactions as {@link GroupBaskets}: repeated pairs counted once, item ids
   * assigned in ascending key order (numerically, or by {@link String#compareTo}) and transactions
   * in ascending transaction-key order. So the result is the same for any order and sharding of the
   * events, and its items follow key order as {@link MineGrouped} needs. This is left unchanged.
   */
  public GroupBaskets toBaskets() {
    final int[] txnRank = txns.ascendingRanks();
    final int[] itemRank = items.ascendingRanks();
    final long[] packed = packedPairs(txnRank, itemRank);
    return basketsOfPacked(packed, txns.size(), items, itemRank);
  }

  /**
   * The baskets of {@code packed} pairs ((transaction rank) << 32 | item rank, repeats allowed;
   * sorted here) of {@code nT} transactions, items {@code items} ranked by {@code itemRank}.
   */
  private static GroupBaskets basketsOfPacked(
      long[] packed, int nT, KeyDictionary items, int[] itemRank) {
    final int distinct = sortUnique(packed);
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
    return GroupBaskets.wrap(items.permuted(itemRank), nT, offsets, ids);
  }

  /**
   * {@link #toBaskets()} of the merged events of encoded parts ({@link GroupEventParts}, E1): each
   * part decoded in turn, its dictionaries merged into the group's and its pairs written straight
   * into one packed array of {@code totalPairs} longs (no merged pair arrays, no growth room); then
   * the ids become ranks in place.
   *
   * @throws IllegalStateException if a part is corrupt, of other kinds, or the counts disagree
   */
  static GroupBaskets basketsOfParts(
      KeyKind txnKind, KeyKind itemKind, List<byte[]> parts, int[] partPairs, long totalPairs) {
    GroupBaskets.checkCapacity(0, totalPairs);
    KeyDictionary txns = KeyDictionary.empty(txnKind);
    final KeyDictionary items = KeyDictionary.empty(itemKind);
    final long[] packed = new long[(int) totalPairs];
    int w = 0;
    for (int p = 0; p < parts.size(); p++) {
      GroupEvents g = GroupEventParts.decodePart(parts.get(p));
      if (g.txnKind() != txnKind || g.itemKind() != itemKind || g.nPairs != partPairs[p]) {
        throw new IllegalStateException(
            String.format(
                "corrupt GroupEventParts: part %d holds %d pairs of %s/%s keys, expected %d of"
                    + " %s/%s",
                p, g.nPairs, g.txnKind(), g.itemKind(), partPairs[p], txnKind, itemKind));
      }
      final int[] txnRemap = txns.addAll(g.txns);
      final int[] itemRemap = items.addAll(g.items);
      final int[] pt = g.pairTxn;
      final int[] pi = g.pairItem;
      final int m = g.nPairs;
      if (w + (long) m > packed.length) {
        throw new IllegalStateException(
            "corrupt GroupEventParts: more than the " + totalPairs + " pairs counted");
      }
      for (int k = 0; k < m; k++) {
        packed[w + k] = (long) txnRemap[pt[k]] << 32 | itemRemap[pi[k]];
      }
      w += m;
    }
    if (w != packed.length) {
      throw new IllegalStateException(
          "corrupt GroupEventParts: " + w + " pairs, " + totalPairs + " counted");
    }
    final int nT = txns.size();
    final int[] txnRank = txns.ascendingRanks();
    txns = null; // the keys and lookup table can go: only the ranks are needed now
    final int[] itemRank = items.ascendingRanks();
    for (int k = 0; k < w; k++) {
      long v = packed[k];
      packed[k] = (long) txnRank[(int) (v >>> 32)] << 32 | itemRank[(int) v];
    }
    return basketsOfPacked(packed, nT, items, itemRank);
  }

  /**
   * Removes repeated pairs, trims the arrays to their contents and drops the lookup tables; returns
   * this (an equivalent, smaller accumulator).
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

  /**
   * Trims the arrays to their contents and drops the lookup tables, keeping repeated pairs: a
   * cheaper {@link #compact()} (no sort) for an accumulator about to be sent on, whose repeats
   * {@link #toBaskets()} removes anyway. Returns this.
   */
  public GroupEvents trim() {
    pairTxn = Arrays.copyOf(pairTxn, nPairs);
    pairItem = Arrays.copyOf(pairItem, nPairs);
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

  /** Approximate heap footprint in bytes, lookup tables included; constant time. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + 16
        + RamUsage.ints(pairTxn.length)
        + RamUsage.ints(pairItem.length)
        + txns.ramBytesUsed()
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

  @Override
  public boolean equals(@Nullable Object o) {
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
            .append(txns.size())
            .append(", items=")
            .append(items.size())
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
  public static final class Coder extends StatelessCoder<GroupEvents> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(GroupEvents value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null GroupEvents");
      }
      KeyDictionary.encodeKind(value.txnKind(), out);
      KeyDictionary.encodeKind(value.itemKind(), out);
      value.txns.encode(out);
      value.items.encode(out);
      VarInt.encode(value.nPairs, out);
      VarInts.writeIntPairs(out, value.pairTxn, value.pairItem, value.nPairs);
    }

    @Override
    public GroupEvents decode(InputStream in) throws IOException {
      KeyKind txnKind = KeyDictionary.decodeKind(in);
      KeyKind itemKind = KeyDictionary.decodeKind(in);
      KeyDictionary txns = KeyDictionary.decode(txnKind, in);
      KeyDictionary items = KeyDictionary.decode(itemKind, in);
      int n = VarInt.decodeInt(in);
      if (n < 0) {
        throw new CoderException("corrupt GroupEvents: nPairs " + n);
      }
      GroupBaskets.checkCapacity(txns.size(), n);
      int[] pt = new int[n];
      int[] pi = new int[n];
      final int nT = txns.size();
      final int nI = items.size();
      VarInts.readIntPairs(in, pt, pi, n);
      for (int k = 0; k < n; k++) {
        int t = pt[k];
        int i = pi[k];
        if (t < 0 || t >= nT || i < 0 || i >= nI) {
          throw new CoderException(
              String.format(
                  "corrupt GroupEvents: pair %d = (%d, %d) (transactions: %d, items: %d)",
                  k, t, i, nT, nI));
        }
      }
      return new GroupEvents(txns, items, n, pt, pi);
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
      long bytes =
          2 + value.txns.encodedSize() + value.items.encodedSize() + VarInt.getLength(value.nPairs);
      for (int k = 0; k < value.nPairs; k++) {
        bytes += VarInt.getLength(value.pairTxn[k]) + VarInt.getLength(value.pairItem[k]);
      }
      return bytes;
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
