package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.ItemsetMiner;
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
 * MineStream's step 4 and 5 value: one shard's frequent items' baskets, as varints without
 * transaction ids — each basket is its length, then its ascending frequency ranks as deltas — with
 * the window's global facts (N, the threshold, the rank → item id table and each rank's support),
 * so that the last step needs nothing else.
 *
 * <p>Invariants: an {@linkplain #isEmpty() empty} value ({@code n == -1}) has no facts and no
 * baskets; otherwise {@code data[0, length)} holds exactly {@code nBaskets} baskets with {@code
 * nEntries} ranks in all, each rank in {@code [0, rankToItem.length)}. Changed only through {@link
 * #add}.
 *
 * <p>Size limit: the baskets live in one byte array, so one value holds at most {@link
 * ArrayUtil#MAX_ARRAY_LENGTH} bytes (about 2 GiB); beyond it {@link #add} fails saying which
 * setting makes it smaller. The shards of a window are never concatenated: {@link CsrBuilder}
 * decodes them one by one into the miner's database.
 */
final class PrunedBaskets {
  /** What to change when one shard's baskets outgrow an array. */
  static final String SHARD_FIX =
      "raise withShards (smaller shards) or minSupport (fewer frequent items)";

  /** What to change when one window's baskets outgrow one mining run. */
  static final String WINDOW_FIX =
      "raise minSupport (fewer frequent items), or mine with withMaxLen(1), which needs no baskets";

  /** -1 in an empty value (no facts). */
  long n = -1;

  long minCount;
  int[] rankToItem = new int[0];
  long[] rankSupport = new long[0];

  /** Items with support > 0 that are not frequent. */
  long pruned;

  long nBaskets;
  long nEntries;
  byte[] data = new byte[0];
  int length;

  /** An empty value: no facts, no baskets. */
  PrunedBaskets() {}

  /**
   * The window's global facts with no baskets yet: the threshold {@code ceil(minSupport × N)}, the
   * frequent items by descending support (then ascending id) as ranks.
   */
  static PrunedBaskets forCounts(ItemCounts counts, double minSupport) {
    return forCounts(counts, minSupport, null, 1);
  }

  /**
   * As {@link #forCounts(ItemCounts, double)}; minSupport NaN means none (count ≥ 1), and with
   * top-k of itemsets of any length the threshold is at least the k-th highest item count (the k
   * best itemsets all reach it: those k items do), which every shard computes alike.
   */
  static PrunedBaskets forCounts(
      ItemCounts counts, double minSupport, @Nullable Integer topK, int minLen) {
    long minCount =
        Double.isNaN(minSupport) ? 1 : ItemsetMiner.thresholdCount(minSupport, counts.n);
    if (topK != null && minLen <= 1 && topK <= counts.support.length) {
      long[] s = counts.support.clone();
      Arrays.sort(s);
      minCount = Math.max(minCount, s[s.length - topK]);
    }
    int[] ids = counts.ids;
    long[] support = counts.support;
    int f = 0;
    long pruned = 0;
    for (long s : support) {
      if (s >= minCount) {
        f++;
      } else if (s > 0) {
        pruned++;
      }
    }
    // Sort (descending support, ascending id) as one long per item — (MAX - support) << 32 | index
    // — while supports fit 31 bits (N does, for anything one mining run can hold); the index into
    // the ascending ids keeps ties in id order.
    long[] keys = new long[f];
    int k = 0;
    boolean small = counts.n <= Integer.MAX_VALUE;
    for (int i = 0; i < support.length; i++) {
      if (support[i] >= minCount) {
        keys[k++] = small ? ((Integer.MAX_VALUE - support[i]) << 32) | i : i;
      }
    }
    if (small) {
      Arrays.sort(keys);
    } else {
      sortBySupport(keys, support);
    }
    PrunedBaskets b = new PrunedBaskets();
    b.n = counts.n;
    b.minCount = minCount;
    b.pruned = pruned;
    b.rankToItem = new int[f];
    b.rankSupport = new long[f];
    for (int r = 0; r < f; r++) {
      int index = (int) (keys[r] & 0xFFFFFFFFL);
      b.rankToItem[r] = ids[index];
      b.rankSupport[r] = support[index];
    }
    return b;
  }

  /** The general case of {@link #forCounts}: indexes by descending support, then index. */
  private static void sortBySupport(long[] indexes, long[] support) {
    Long[] boxed = new Long[indexes.length]; // once per window, per frequent item
    for (int i = 0; i < indexes.length; i++) {
      boxed[i] = indexes[i];
    }
    Arrays.sort(
        boxed,
        (a, b) -> {
          int c = Long.compare(support[(int) (long) b], support[(int) (long) a]);
          return c != 0 ? c : Long.compare(a, b);
        });
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = boxed[i];
    }
  }

  /** A copy of this value's facts (shared arrays, which are never changed) with no baskets. */
  PrunedBaskets withoutBaskets() {
    PrunedBaskets b = new PrunedBaskets();
    b.n = n;
    b.minCount = minCount;
    b.rankToItem = rankToItem;
    b.rankSupport = rankSupport;
    b.pruned = pruned;
    return b;
  }

  boolean isEmpty() {
    return n < 0;
  }

  /**
   * A capacity for a byte array that must hold {@code needed} bytes, grown from {@code current}
   * (1.5×, as {@link ArrayUtil#grow}), in {@code long} arithmetic so that sizes past 1 GiB neither
   * wrap nor overflow.
   *
   * @throws IllegalStateException if {@code needed} exceeds the largest array, naming the limit and
   *     {@code fix}, the setting that makes it smaller
   */
  static int capacity(int current, long needed, String fix) {
    if (needed > ArrayUtil.MAX_ARRAY_LENGTH) {
      throw new IllegalStateException(
          "MineStream: the frequent items' baskets need "
              + needed
              + " bytes, more than the "
              + ArrayUtil.MAX_ARRAY_LENGTH
              + " one byte array can hold: "
              + fix);
    }
    return ArrayUtil.grow(current, needed);
  }

  /**
   * Checks that {@code nBaskets} baskets with {@code nEntries} ranks in all fit one mining run (int
   * arrays of baskets + 1 offsets and of the entries).
   *
   * @throws IllegalStateException naming the counts, the limit and what to change
   */
  static void checkMineable(long nBaskets, long nEntries) {
    if (nBaskets + 1 > ArrayUtil.MAX_ARRAY_LENGTH || nEntries > ArrayUtil.MAX_ARRAY_LENGTH) {
      throw new IllegalStateException(
          "MineStream: "
              + nBaskets
              + " baskets with "
              + nEntries
              + " frequent item occurrences"
              + " exceed the "
              + ArrayUtil.MAX_ARRAY_LENGTH
              + " one mining run can hold: "
              + WINDOW_FIX);
    }
  }

  /** The length of this value's {@link Coder} encoding. */
  long encodedSize() {
    long size = VarInt.getLength(n + 1);
    if (isEmpty()) {
      return size;
    }
    size +=
        VarInt.getLength(minCount) + VarInt.getLength(pruned) + VarInt.getLength(rankToItem.length);
    for (int r = 0; r < rankToItem.length; r++) {
      size += VarInt.getLength(rankToItem[r]) + VarInt.getLength(rankSupport[r]);
    }
    return size
        + VarInt.getLength(nBaskets)
        + VarInt.getLength(nEntries)
        + VarInt.getLength(length)
        + length;
  }

  /**
   * Appends one basket of {@code len} ascending ranks.
   *
   * @throws IllegalStateException if the baskets outgrow one array
   */
  void add(int[] ranks, int len) {
    long needed = length + 5L * (len + 1); // a varint of an int takes at most 5 bytes
    if (needed > data.length) {
      data = Arrays.copyOf(data, capacity(data.length, needed, SHARD_FIX));
    }
    int p = putVarInt(data, length, len);
    int prev = -1;
    for (int k = 0; k < len; k++) {
      p = putVarInt(data, p, ranks[k] - prev - 1);
      prev = ranks[k];
    }
    length = p;
    nBaskets++;
    nEntries += len;
  }

  /**
   * The stand-ins the closed and maximal targets need for the transactions with one frequent item,
   * which were not kept: {@code min(k, minCount)} one-item baskets {@code {r}} for a rank r with k
   * such transactions ({@code rankSupport[r]} minus its count in the kept baskets of every shard).
   * Every itemset of two or more items keeps its count; a single item then has a superset of its
   * count, or a frequent one, exactly when it has in the whole window (its own count is capped, and
   * must be taken from {@code rankSupport}).
   *
   * @param facts the window's facts (not empty)
   * @param shards the window's shards' baskets
   */
  static long[] singleStandIns(PrunedBaskets facts, Iterable<PrunedBaskets> shards) {
    long[] missing = facts.rankSupport.clone();
    for (PrunedBaskets shard : shards) {
      if (!shard.isEmpty()) {
        shard.countKept(missing);
      }
    }
    for (int r = 0; r < missing.length; r++) {
      missing[r] = Math.min(missing[r], facts.minCount);
    }
    return missing;
  }

  /**
   * Checks that {@code other} (not empty) carries this value's window facts.
   *
   * @throws IllegalStateException if the facts disagree
   */
  void checkSameFacts(PrunedBaskets other) {
    if (n != other.n
        || minCount != other.minCount
        || !Arrays.equals(rankToItem, other.rankToItem)) {
      throw new IllegalStateException(
          "MineStream: shards of one window disagree on the global counts (N "
              + n
              + " vs "
              + other.n
              + ")");
    }
  }

  /**
   * Builds one database over the ranks from the baskets of a window's shards, decoding them one
   * shard at a time as they are {@link #add added}: the shards' varint bytes are never
   * concatenated, and the int arrays are allocated once, at their exact size (the shards' basket
   * and entry counts, summed by the caller), so nothing is copied or trimmed.
   */
  static final class CsrBuilder {
    private final PrunedBaskets facts;
    private int[] offsets;
    private int[] items;
    private int nBaskets;
    private int fill;
    private int top = -1; // largest rank seen
    private final int[] v = new int[1];

    /**
     * A builder for {@code nBaskets} baskets with {@code nEntries} ranks in all, of the window of
     * {@code facts} (not empty).
     *
     * @throws IllegalStateException if they exceed one mining run (naming what to change)
     */
    CsrBuilder(PrunedBaskets facts, long nBaskets, long nEntries) {
      checkMineable(nBaskets, nEntries);
      this.facts = facts;
      offsets = new int[(int) nBaskets + 1];
      items = new int[(int) nEntries];
    }

    /**
     * Decodes the baskets of {@code shard} (same window facts) into the arrays; {@code shard} is
     * not kept.
     *
     * @throws IllegalStateException if the facts disagree, or the baskets exceed the counts given
     */
    void add(PrunedBaskets shard) {
      if (shard.isEmpty()) {
        return;
      }
      facts.checkSameFacts(shard);
      if (nBaskets + shard.nBaskets + 1 > offsets.length || fill + shard.nEntries > items.length) {
        throw new IllegalStateException(
            "MineStream: the shards hold more baskets than counted ("
                + (nBaskets + shard.nBaskets)
                + " > "
                + (offsets.length - 1)
                + " or "
                + (fill + shard.nEntries)
                + " > "
                + items.length
                + " entries)");
      }
      byte[] data = shard.data;
      int p = 0;
      for (long b = 0; b < shard.nBaskets; b++) {
        p = getVarInt(data, p, v);
        int len = v[0];
        int prev = -1;
        for (int k = 0; k < len; k++) {
          p = getVarInt(data, p, v);
          prev = prev + 1 + v[0];
          items[fill++] = prev;
        }
        top = Math.max(top, prev);
        offsets[++nBaskets] = fill;
      }
    }

    /**
     * Appends, after the shards' baskets, one-item baskets standing in for the transactions with
     * one frequent item, which were not kept: {@code missing[r]} baskets {@code {r}} per rank r
     * (see {@link #singleStandIns}); counted in the sizes given to the constructor.
     *
     * @throws IllegalStateException if they exceed the counts given
     */
    void addSingles(long[] missing) {
      for (int r = 0; r < missing.length; r++) {
        if (missing[r] == 0) {
          continue;
        }
        if (nBaskets + missing[r] + 1 > offsets.length || fill + missing[r] > items.length) {
          throw new IllegalStateException(
              "MineStream: more stand-in baskets than counted (rank " + r + ")");
        }
        for (long k = 0; k < missing[r]; k++) {
          items[fill++] = r;
          offsets[++nBaskets] = fill;
        }
        top = Math.max(top, r);
      }
    }

    /**
     * The database of every basket, over the ranks; the builder is spent (its arrays are the
     * database's).
     *
     * @throws IllegalStateException if fewer baskets were added than counted
     */
    TransactionDb build() {
      if (nBaskets + 1 != offsets.length || fill != items.length) {
        throw new IllegalStateException(
            "MineStream: "
                + nBaskets
                + " baskets with "
                + fill
                + " entries added, "
                + (offsets.length - 1)
                + " with "
                + items.length
                + " counted");
      }
      int[] o = offsets;
      int[] it = items;
      offsets = null;
      items = null;
      // Ranks come out strictly ascending (delta-coded), so the arrays are used as they are.
      return TransactionDb.wrapSortedCsr(o, it, Math.max(facts.rankToItem.length, top + 1));
    }
  }

  /** Subtracts from {@code counts} each rank's occurrences in the kept baskets. */
  private void countKept(long[] counts) {
    int p = 0;
    int[] v = new int[1];
    for (long b = 0; b < nBaskets; b++) {
      p = getVarInt(data, p, v);
      int len = v[0];
      int prev = -1;
      for (int k = 0; k < len; k++) {
        p = getVarInt(data, p, v);
        prev = prev + 1 + v[0];
        counts[prev]--;
      }
    }
  }

  private static int putVarInt(byte[] buf, int pos, int v) {
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  private static int getVarInt(byte[] buf, int pos, int[] out) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = buf[pos++];
      v |= (b & 0x7F) << shift;
      if (b >= 0) {
        break;
      }
    }
    out[0] = v;
    return pos;
  }

  /** The coder: see {@link Coder} for the layout. */
  static Coder coder() {
    return Coder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PrunedBaskets)) {
      return false;
    }
    PrunedBaskets b = (PrunedBaskets) o;
    return n == b.n
        && minCount == b.minCount
        && pruned == b.pruned
        && nBaskets == b.nBaskets
        && nEntries == b.nEntries
        && Arrays.equals(rankToItem, b.rankToItem)
        && Arrays.equals(rankSupport, b.rankSupport)
        && Arrays.equals(data, 0, length, b.data, 0, b.length);
  }

  @Override
  public int hashCode() {
    return Objects.hash(n, nBaskets, nEntries, length);
  }

  @Override
  public String toString() {
    return "PrunedBaskets{n="
        + n
        + ", frequent="
        + rankToItem.length
        + ", baskets="
        + nBaskets
        + ", bytes="
        + length
        + "}";
  }

  /**
   * N + 1 (0 for an empty value, which ends there), the threshold, the pruned count, the number of
   * frequent items and per rank its item id and support, then the basket and entry counts and the
   * basket bytes with their length, all as varints.
   */
  static final class Coder extends StatelessCoder<PrunedBaskets> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(PrunedBaskets b, OutputStream out) throws IOException {
      if (b == null) {
        throw new CoderException("cannot encode null PrunedBaskets");
      }
      VarInt.encode(b.n + 1, out);
      if (b.isEmpty()) {
        return;
      }
      VarInt.encode(b.minCount, out);
      VarInt.encode(b.pruned, out);
      VarInt.encode(b.rankToItem.length, out);
      for (int r = 0; r < b.rankToItem.length; r++) {
        VarInt.encode(b.rankToItem[r], out);
        VarInt.encode(b.rankSupport[r], out);
      }
      VarInt.encode(b.nBaskets, out);
      VarInt.encode(b.nEntries, out);
      VarInt.encode(b.length, out);
      out.write(b.data, 0, b.length);
    }

    @Override
    public PrunedBaskets decode(InputStream in) throws IOException {
      PrunedBaskets b = new PrunedBaskets();
      b.n = VarInt.decodeLong(in) - 1;
      if (b.isEmpty()) {
        return b;
      }
      b.minCount = VarInt.decodeLong(in);
      b.pruned = VarInt.decodeLong(in);
      int f = VarInt.decodeInt(in);
      if (f < 0) {
        throw new CoderException("corrupt PrunedBaskets: " + f + " frequent items");
      }
      b.rankToItem = new int[f];
      b.rankSupport = new long[f];
      for (int r = 0; r < f; r++) {
        b.rankToItem[r] = VarInt.decodeInt(in);
        b.rankSupport[r] = VarInt.decodeLong(in);
      }
      b.nBaskets = VarInt.decodeLong(in);
      b.nEntries = VarInt.decodeLong(in);
      int len = VarInt.decodeInt(in);
      if (len < 0 || b.nBaskets < 0 || b.nEntries < 0) {
        throw new CoderException(
            "corrupt PrunedBaskets: "
                + len
                + " bytes, "
                + b.nBaskets
                + " baskets, "
                + b.nEntries
                + " entries");
      }
      b.data = in.readNBytes(len);
      if (b.data.length < len) {
        throw new CoderException(
            "truncated PrunedBaskets: " + b.data.length + " of " + len + " bytes");
      }
      b.length = len;
      return b;
    }
  }
}
