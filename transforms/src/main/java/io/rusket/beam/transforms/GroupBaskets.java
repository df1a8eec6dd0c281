package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.RamUsage;
import io.rusket.beam.miner.TransactionDb;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * All the transactions of one group, held compactly: an item dictionary (local dense id ↔ item key)
 * and the transactions as compressed sparse rows of local ids. This is the accumulator of {@link
 * BasketToGroupFn}, the output of {@link EventsToGroupFn}, and the value {@link MineGrouped} mines
 * per group.
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
 * strings), plus a lookup table from key to id while baskets are being added (a {@code
 * KeyDictionary}). One group holds at most {@code MAX_ENTRIES} (2<sup>31</sup> - 18) transactions
 * and as many (transaction, item) entries: past that, adding, merging or decoding fails with a
 * message that says so and how to split the group ({@code checkCapacity}).
 *
 * <p>Encoded by {@link #coder()}, see {@link Coder} for the layout.
 */
public final class GroupBaskets {
  /** Most transactions, and most (transaction, item) entries, one group holds. */
  static final long MAX_ENTRIES = ArrayUtil.MAX_ARRAY_LENGTH - 1L;

  /** Items (D1, D2). */
  private final KeyDictionary dict;

  // Transactions (T1, T2).
  private int size;

  /** Slots [0, size] in use. */
  private int[] offsets;

  /** Slots [0, offsets[size]) in use. */
  private int[] items;

  private GroupBaskets(KeyDictionary dict, int size, int[] offsets, int[] items) {
    this.dict = dict;
    this.size = size;
    this.offsets = offsets;
    this.items = items;
  }

  /**
   * Wraps arrays that already satisfy the invariants (D1, D2, T1, T2), without copying or checking
   * them: for {@link GroupEvents#toBaskets()}, which builds them so.
   */
  static GroupBaskets wrap(KeyDictionary dict, int size, int[] offsets, int[] items) {
    return new GroupBaskets(dict, size, offsets, items);
  }

  /** No transactions, with keys of the given kind: the identity of {@link #addAll}. */
  public static GroupBaskets empty(KeyKind kind) {
    Objects.requireNonNull(kind, "kind");
    return new GroupBaskets(KeyDictionary.empty(kind), 0, new int[8], new int[16]);
  }

  /**
   * Checks that a group of {@code transactions} transactions holding {@code entries} (transaction,
   * item) entries fits in this class's int-indexed arrays.
   *
   * @throws IllegalStateException if not, naming the limit and what to do
   */
  static void checkCapacity(long transactions, long entries) {
    if (transactions > MAX_ENTRIES || entries > MAX_ENTRIES || transactions < 0 || entries < 0) {
      throw new IllegalStateException(
          String.format(
              "A group of %d transactions holding %d (transaction, item) entries is too large:"
                  + " one group holds at most %d of each (int-indexed arrays, about 8 GiB of"
                  + " item ids). Split the group: add a field to the group key, or window the"
                  + " input.",
              transactions, entries, MAX_ENTRIES));
    }
  }

  /** The kind of the item keys. */
  public KeyKind kind() {
    return dict.kind();
  }

  /** Number of transactions, N. */
  public int size() {
    return size;
  }

  /** Number of distinct items. */
  public int nItems() {
    return dict.size();
  }

  /** Number of (transaction, item) entries. */
  public long nEntries() {
    return offsets[size];
  }

  /** The integer key of local id {@code id}. */
  public long longKey(int id) {
    checkKind(KeyKind.INTEGER);
    checkId(id);
    return dict.longKey(id);
  }

  /** The string key of local id {@code id}. */
  public String stringKey(int id) {
    checkKind(KeyKind.STRING);
    checkId(id);
    return dict.stringKey(id);
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
   * @throws IllegalStateException if the group would outgrow its arrays ({@code checkCapacity})
   */
  public GroupBaskets add(Basket basket) {
    if (basket.kind() != dict.kind()) {
      throw new IllegalArgumentException(
          "A basket of " + basket.kind() + " keys cannot join a group of " + dict.kind() + " keys");
    }
    int len = basket.size();
    int start = beginTransaction(len);
    final int[] its = items;
    if (dict.kind() == KeyKind.INTEGER) {
      for (int k = 0; k < len; k++) {
        its[start + k] = dict.add(basket.longKey(k));
      }
    } else {
      for (int k = 0; k < len; k++) {
        its[start + k] = dict.add(basket.stringKey(k));
      }
    }
    endTransaction(start, len, false);
    return this;
  }

  /**
   * Appends one-hot transactions given as bitmaps, one transaction per row: row {@code r} of {@code
   * rows[from, to)} (of {@code from} to {@code to} when {@code rows} is null) holds item {@code j}
   * (the integer key {@code j}, the item column's index) iff bit {@code j % 64} of {@code words[r *
   * wordsPerRow + j / 64]} is set. A row with no bit set is an empty transaction. No object per
   * transaction or item: the bits go straight into the id arrays. Returns this.
   *
   * <pre>{@code
   * // two receipts over items 0..2: {0, 2} and {1}
   * GroupBaskets g = GroupBaskets.empty(KeyKind.INTEGER)
   *     .addBitmapRows(new long[] {0b101, 0b010}, 1, null, 0, 2);
   * }</pre>
   *
   * @throws IllegalArgumentException if this group's keys are not {@link KeyKind#INTEGER}, {@code
   *     wordsPerRow < 1}, or the rows are outside {@code words}
   * @throws IllegalStateException if the group would outgrow its arrays ({@code checkCapacity})
   */
  public GroupBaskets addBitmapRows(
      long[] words, int wordsPerRow, int @Nullable [] rows, int from, int to) {
    checkKind(KeyKind.INTEGER);
    if (wordsPerRow < 1) {
      throw new IllegalArgumentException(
          "Invalid wordsPerRow: "
              + wordsPerRow
              + ". Valid range is [1, "
              + Integer.MAX_VALUE
              + "].");
    }
    final long nRows = words.length / wordsPerRow;
    if (from < 0 || from > to || to > (rows == null ? nRows : rows.length)) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid row range [%d, %d) for a bitmap of %d rows",
              from, to, rows == null ? nRows : rows.length));
    }
    if (rows != null) {
      for (int k = from; k < to; k++) {
        if (rows[k] < 0 || rows[k] >= nRows) {
          throw new IllegalArgumentException(
              "Invalid row " + rows[k] + " in a bitmap of " + nRows + " rows");
        }
      }
    }
    // Column index -> local id, -1 until the column is first seen set (D2).
    int[] idOf = new int[wordsPerRow * 64];
    Arrays.fill(idOf, -1);
    boolean ascending = dict.size() == 0 || dict.isAscending();
    for (int k = from; k < to; k++) {
      final int base = (rows == null ? k : rows[k]) * wordsPerRow;
      int len = 0;
      for (int w = 0; w < wordsPerRow; w++) {
        len += Long.bitCount(words[base + w]);
      }
      int start = beginTransaction(len);
      final int[] its = items;
      int fill = start;
      for (int w = 0; w < wordsPerRow; w++) {
        long bits = words[base + w];
        while (bits != 0) {
          int j = (w << 6) + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          int id = idOf[j];
          if (id < 0) {
            int before = dict.size();
            id = idOf[j] = dict.add((long) j);
            if (id == before && before > 0 && dict.longKey(before - 1) > j) {
              ascending = false;
            }
          }
          its[fill++] = id;
        }
      }
      // Bits come in ascending column order: the ids are ascending too while keys are (T2).
      endTransaction(start, len, ascending);
    }
    return this;
  }

  /**
   * Appends every transaction of {@code other} (left unchanged), remapping its local ids into this
   * dictionary; returns this.
   *
   * @throws IllegalArgumentException if the kinds differ
   * @throws IllegalStateException if the group would outgrow its arrays ({@code checkCapacity})
   */
  public GroupBaskets addAll(GroupBaskets other) {
    if (other.kind() != kind()) {
      throw new IllegalArgumentException(
          "A group of " + other.kind() + " keys cannot merge into a group of " + kind() + " keys");
    }
    if (other == this) {
      other = copy();
    }
    checkCapacity((long) size + other.size, nEntries() + other.nEntries());
    final int[] remap = dict.addAll(other.dict);
    boolean identity = true;
    for (int id = 0; id < remap.length; id++) {
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
        final int[] its = items;
        for (int k = 0; k < len; k++) {
          its[start + k] = remap[oItems[from + k]];
        }
      }
      endTransaction(start, len, identity);
    }
    return this;
  }

  /** The canonical form of these baskets (see the class comment); this is left unchanged. */
  public GroupBaskets canonical() {
    final int[] rank = dict.ascendingRanks();
    // Remap every transaction in a scratch copy, re-sorting each (T2).
    final int entries = offsets[size];
    final int[] remapped = new int[entries];
    for (int i = 0; i < entries; i++) {
      remapped[i] = rank[items[i]];
    }
    for (int t = 0; t < size; t++) {
      sortRange(remapped, offsets[t], offsets[t + 1]);
    }
    // Sort the transactions lexicographically (shorter first on a common prefix).
    int[] order = new int[size];
    for (int t = 0; t < size; t++) {
      order[t] = t;
    }
    sortTransactions(order, remapped, offsets);
    final int[] offs = offsets;
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
    return new GroupBaskets(dict.permuted(rank), size, newOffsets, newItems);
  }

  /** True if local ids follow ascending key order, as in the canonical form. */
  public boolean keysAscending() {
    return dict.isAscending();
  }

  /**
   * The transactions as a miner database whose item ids are these local ids; string keys become the
   * item names, integer keys leave the items unnamed.
   */
  public TransactionDb toTransactionDb() {
    return TransactionDb.fromCsr(
        Arrays.copyOf(offsets, size + 1),
        Arrays.copyOf(items, offsets[size]),
        kind() == KeyKind.STRING ? dict.stringKeys() : null);
  }

  /** Trims the arrays to their contents and drops the lookup table; returns this. */
  public GroupBaskets compact() {
    offsets = Arrays.copyOf(offsets, size + 1);
    items = Arrays.copyOf(items, offsets[size]);
    dict.trim();
    return this;
  }

  /** A deep copy (without the lookup table). */
  public GroupBaskets copy() {
    return new GroupBaskets(
        dict.copy(), size, Arrays.copyOf(offsets, size + 1), Arrays.copyOf(items, offsets[size]));
  }

  /** Approximate heap footprint in bytes, lookup table included; constant time. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + 16
        + RamUsage.ints(offsets.length)
        + RamUsage.ints(items.length)
        + dict.ramBytesUsed();
  }

  // ------------------------------------------------------------------------------------------

  /** Reserves room for a transaction of up to {@code len} ids; returns where it starts. */
  private int beginTransaction(int len) {
    int start = offsets[size];
    checkCapacity(size + 1L, (long) start + len);
    offsets = ArrayUtil.grow(offsets, size + 2L);
    items = ArrayUtil.grow(items, (long) start + len);
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

  /**
   * Sorts transaction indices by the lexicographic order of their ids ({@code data[offs[t],
   * offs[t+1])}), a merge sort on primitive ints.
   */
  private static void sortTransactions(int[] order, int[] data, int[] offs) {
    int n = order.length;
    int[] buf = new int[n];
    for (int width = 1; width < n; width <<= 1) {
      for (int lo = 0; lo < n - width; lo += width << 1) {
        int mid = lo + width;
        int hi = (int) Math.min((long) lo + (width << 1), n);
        int i = lo;
        int j = mid;
        int w = lo;
        while (i < mid && j < hi) {
          int a = order[i];
          int b = order[j];
          if (Arrays.compare(data, offs[a], offs[a + 1], data, offs[b], offs[b + 1]) <= 0) {
            buf[w++] = a;
            i++;
          } else {
            buf[w++] = b;
            j++;
          }
        }
        while (i < mid) {
          buf[w++] = order[i++];
        }
        while (j < hi) {
          buf[w++] = order[j++];
        }
        System.arraycopy(buf, lo, order, lo, hi - lo);
      }
    }
  }

  private void checkKind(KeyKind expected) {
    if (kind() != expected) {
      throw new IllegalArgumentException(
          "This group holds " + kind() + " keys, not " + expected + " keys");
    }
  }

  private void checkId(int id) {
    if (id < 0 || id >= dict.size()) {
      throw new IllegalArgumentException(
          "Invalid item id: " + id + ". Valid range is [0, " + dict.size() + ").");
    }
  }

  /**
   * Structural equality: the same kind, the same keys in the same id order and the same
   * transactions in the same order. Compare {@link #canonical()} forms for equality of content.
   */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GroupBaskets)) {
      return false;
    }
    GroupBaskets other = (GroupBaskets) o;
    return size == other.size
        && dict.equals(other.dict)
        && Arrays.equals(offsets, 0, size + 1, other.offsets, 0, size + 1)
        && Arrays.equals(items, 0, offsets[size], other.items, 0, offsets[size]);
  }

  @Override
  public int hashCode() {
    int h = 31 * dict.hashCode() + size;
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
            .append(dict.size())
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
        sb.append(dict.keyString(items[i]));
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
  public static final class Coder extends StatelessCoder<GroupBaskets> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(GroupBaskets value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null GroupBaskets");
      }
      KeyDictionary.encodeKind(value.kind(), out);
      value.dict.encode(out);
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
      KeyKind kind = KeyDictionary.decodeKind(in);
      KeyDictionary dict = KeyDictionary.decode(kind, in);
      final int m = dict.size();
      int n = VarInt.decodeInt(in);
      if (n < 0) {
        throw new CoderException("corrupt GroupBaskets: size " + n);
      }
      checkCapacity(n, 0);
      int[] offsets = new int[n + 1];
      int[] items = new int[(int) Math.min(1L << 20, Math.max(16, 2L * n))];
      int fill = 0;
      for (int t = 0; t < n; t++) {
        int len = VarInt.decodeInt(in);
        if (len < 0) {
          throw new CoderException("corrupt GroupBaskets: transaction length " + len);
        }
        checkCapacity(n, (long) fill + len);
        items = ArrayUtil.grow(items, (long) fill + len);
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
      return new GroupBaskets(dict, n, offsets, Arrays.copyOf(items, fill));
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
      long bytes = 1 + value.dict.encodedSize() + VarInt.getLength(value.size);
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

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
