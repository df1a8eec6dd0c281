package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * Eclat (Zaki, "Scalable algorithms for association mining", IEEE TKDE 12(3), 2000): depth-first
 * search over equivalence classes on the vertical layout, support by intersection.
 *
 * <p>Items are ranked by ascending frequency, so the classes built first are the small ones. Each
 * item's transactions are held as a bitset ({@code long[]} words, support by {@link Long#bitCount})
 * when the frequent items are dense enough that a bitset is smaller than a sorted tid-list (average
 * density at least 1/32), and as a sorted {@code int[]} tid-list otherwise. Items present in every
 * transaction of a class's base are perfect extensions and are not intersected further. First-level
 * classes run in parallel (see {@link OrderedTasks}).
 */
final class Eclat {
  private final TransactionDb db;
  private final int minCount;
  private final int maxLen;
  private final int threads;
  private final Layout layout;

  /** The vertical layout: chosen from density, or forced (tests). */
  enum Layout {
    AUTO,
    BITSET,
    TIDLIST
  }

  Eclat(TransactionDb db, int minCount, int maxLen, int threads) {
    this(db, minCount, maxLen, threads, Layout.AUTO);
  }

  Eclat(TransactionDb db, int minCount, int maxLen, int threads, Layout layout) {
    this.db = db;
    this.minCount = minCount;
    this.maxLen = maxLen;
    this.threads = threads;
    this.layout = layout;
  }

  /** True when bitsets are the smaller layout: mean item support ≥ N / 32. */
  static boolean useBitsets(long sumOfSupports, int nFrequent, int nTransactions) {
    return nFrequent > 0 && sumOfSupports * 32 >= (long) nFrequent * nTransactions;
  }

  MiningStats run(ItemsetSink sink) {
    Recoding rec = Recoding.byAscendingFrequency(db, minCount);
    final int f = rec.nFrequent;
    if (f == 0) {
      return MiningStats.empty(Method.ECLAT, minCount, threads);
    }
    long sum = 0;
    for (int r = 0; r < f; r++) {
      sum += rec.rankCount[r];
    }
    final int n = db.size();
    final int[] offsets = db.rawOffsets();
    final int[] items = db.rawItems();
    final int[] rank = rec.idToRank;
    boolean bitsets = layout == Layout.AUTO ? useBitsets(sum, f, n) : layout == Layout.BITSET;
    if (bitsets) {
      final int words = (n + 63) >>> 6;
      long[] bits = new long[Math.multiplyExact(f, words)];
      for (int t = 0; t < n; t++) {
        long bit = 1L << t;
        int w = t >>> 6;
        for (int k = offsets[t]; k < offsets[t + 1]; k++) {
          int r = rank[items[k]];
          if (r >= 0) {
            bits[r * words + w] |= bit;
          }
        }
      }
      OrderedTasks.Outcome out =
          OrderedTasks.run(
              f, threads, () -> new BitsetWorker(rec, bits, words, minCount, maxLen), sink);
      return stats(out, (long) Long.BYTES * bits.length); // the bitsets' payload
    }
    int[] start = new int[f + 1];
    for (int r = 0; r < f; r++) {
      start[r + 1] = start[r] + rec.rankCount[r];
    }
    int[] tids = new int[start[f]];
    int[] fill = Arrays.copyOf(start, f);
    for (int t = 0; t < n; t++) {
      for (int k = offsets[t]; k < offsets[t + 1]; k++) {
        int r = rank[items[k]];
        if (r >= 0) {
          tids[fill[r]++] = t;
        }
      }
    }
    // Horizontal copy (ranks ascending per transaction) for counting first-level classes.
    int[] hOffsets = new int[n + 1];
    int[] hItems = new int[start[f]];
    int w = 0;
    for (int t = 0; t < n; t++) {
      int begin = w;
      for (int k = offsets[t]; k < offsets[t + 1]; k++) {
        int r = rank[items[k]];
        if (r >= 0) {
          int j = w - 1;
          while (j >= begin && hItems[j] > r) {
            hItems[j + 1] = hItems[j];
            j--;
          }
          hItems[j + 1] = r;
          w++;
        }
      }
      hOffsets[t + 1] = w;
    }
    OrderedTasks.Outcome out =
        OrderedTasks.run(
            f,
            threads,
            () -> new TidListWorker(rec, tids, start, hOffsets, hItems, minCount, maxLen),
            sink);
    // The tid-lists' payload.
    return stats(
        out, (long) Integer.BYTES * (tids.length + start.length + hOffsets.length + hItems.length));
  }

  private MiningStats stats(OrderedTasks.Outcome out, long structureBytes) {
    return new MiningStats(
        Method.ECLAT,
        minCount,
        out.itemsets,
        threads,
        structureBytes,
        out.scratchBytes,
        out.peakBufferedBytes);
  }

  /**
   * Shared recursion: a class at depth d is a list of members (item, support, set); member a's
   * class at depth d+1 holds a ∩ b for every later member b that stays frequent.
   */
  private abstract static class ClassWorker extends PatternEmitter {
    final int minCount;

    /** Per depth: members' database item ids and supports. */
    int[][] gid = new int[16][];

    int[][] sup = new int[16][];
    int[] size = new int[16];

    ClassWorker(int maxLen, int minCount) {
      super(maxLen);
      this.minCount = minCount;
    }

    /** Bytes of the per-depth member lists (depth 0 is shared and not counted). */
    final long classBytes() {
      long b = emitterBytes() + RamUsage.sizeOf(pre);
      for (int d = 1; d < gid.length; d++) {
        b += RamUsage.sizeOf(gid[d]) + RamUsage.sizeOf(sup[d]);
      }
      return b;
    }

    /** Intersects member a with member b of depth d into slot {@code slot} of depth d+1. */
    abstract int intersect(int d, int a, int b, int slot);

    /** Makes room at depth d+1 for {@code members} sets no larger than member a of depth d. */
    abstract void prepare(int d, int a, int members);

    /**
     * Optionally counts, without intersecting, the support of a ∪ b for every later member b of
     * depth d into {@code cnt}; returns false when it does not, and every b is intersected.
     */
    boolean precount(int d, int a, int[] cnt) {
      return false;
    }

    private int[][] pre = new int[1][];

    /** Member a of depth d is the last item of prefix[0, plen). */
    final void process(int d, int a, int plen) {
      final int suppA = sup[d][a];
      if (plen >= maxLen || a + 1 == size[d]) {
        emitWithExtensions(plen, suppA);
        return;
      }
      final int peMark = peLen;
      final int nd = d + 1;
      if (nd + 1 >= gid.length) {
        int cap = ArrayUtil.grow(gid.length, nd + 2L);
        gid = Arrays.copyOf(gid, cap);
        sup = Arrays.copyOf(sup, cap);
        size = Arrays.copyOf(size, cap);
      }
      final int later = size[d] - a - 1;
      int[] g = scratch(gid, nd, later);
      int[] s = scratch(sup, nd, later);
      prepare(d, a, later);
      int m = 0;
      final int[] gd = gid[d];
      int[] pc = d == 0 ? scratch(pre, 0, size[0]) : null;
      boolean counted = pc != null && precount(d, a, pc);
      for (int b = a + 1; b < size[d]; b++) {
        if (counted && pc[b] < minCount) {
          continue;
        }
        int c = intersect(d, a, b, m);
        if (c >= minCount) {
          if (c == suppA) {
            pushPe(gd[b]);
          } else {
            g[m] = gd[b];
            s[m++] = c;
          }
        }
      }
      size[nd] = m;
      emitWithExtensions(plen, suppA);
      if (m > 0) {
        ensurePrefix(plen + 1);
        for (int k = 0; k < m; k++) {
          prefix[plen] = g[k];
          process(nd, k, plen + 1);
        }
      }
      peLen = peMark;
    }
  }

  private static final class BitsetWorker extends ClassWorker {
    private final int words;

    /** Depth 0 is the shared database; deeper depths are this worker's. */
    private long[][] sets = new long[16][];

    BitsetWorker(Recoding rec, long[] bits, int words, int minCount, int maxLen) {
      super(maxLen, minCount);
      this.words = words;
      sets[0] = bits;
      gid[0] = rec.rankToId;
      sup[0] = rec.rankCount;
      size[0] = rec.nFrequent;
    }

    @Override
    void mineTask(int task) {
      prefix[0] = gid[0][task];
      process(0, task, 1);
    }

    @Override
    public long ramBytesUsed() {
      long b = classBytes();
      for (int d = 1; d < sets.length; d++) {
        b += RamUsage.sizeOf(sets[d]);
      }
      return b;
    }

    @Override
    void prepare(int d, int a, int members) {
      sets = ArrayUtil.grow(sets, d + 2L);
      long need = (long) members * words;
      long[] s = sets[d + 1];
      if (s == null || s.length < need) {
        sets[d + 1] = new long[ArrayUtil.grow(s == null ? 0 : s.length, need)];
      }
    }

    @Override
    int intersect(int d, int a, int b, int slot) {
      final long[] src = sets[d];
      final long[] dst = sets[d + 1];
      final int w = words;
      final int pa = a * w;
      final int pb = b * w;
      final int po = slot * w;
      int c = 0;
      for (int k = 0; k < w; k++) {
        long x = src[pa + k] & src[pb + k];
        dst[po + k] = x;
        c += Long.bitCount(x);
      }
      return c;
    }
  }

  private static final class TidListWorker extends ClassWorker {
    /** Per depth: packed tid-lists and each member's start; depth 0 is shared. */
    private int[][] tids = new int[16][];

    private int[][] starts = new int[16][];
    private int width; // capacity reserved per member at the depth being built
    private final int[] hOffsets;
    private final int[] hItems;

    TidListWorker(
        Recoding rec,
        int[] allTids,
        int[] start,
        int[] hOffsets,
        int[] hItems,
        int minCount,
        int maxLen) {
      super(maxLen, minCount);
      this.hOffsets = hOffsets;
      this.hItems = hItems;
      tids[0] = allTids;
      starts[0] = start;
      gid[0] = rec.rankToId;
      sup[0] = rec.rankCount;
      size[0] = rec.nFrequent;
    }

    @Override
    void mineTask(int task) {
      prefix[0] = gid[0][task];
      process(0, task, 1);
    }

    @Override
    public long ramBytesUsed() {
      long b = classBytes();
      for (int d = 1; d < tids.length; d++) {
        b += RamUsage.sizeOf(tids[d]) + RamUsage.sizeOf(starts[d]);
      }
      return b;
    }

    @Override
    void prepare(int d, int a, int members) {
      if (d + 1 >= tids.length) {
        int cap = ArrayUtil.grow(tids.length, d + 2L);
        tids = Arrays.copyOf(tids, cap);
        starts = Arrays.copyOf(starts, cap);
      }
      width = sup[d][a];
      long need = (long) members * width;
      int[] t = tids[d + 1];
      if (t == null || t.length < need) {
        tids[d + 1] = new int[ArrayUtil.grow(t == null ? 0 : t.length, need)];
      }
      scratch(starts, d + 1, members + 1);
    }

    /** Counts a's co-occurrences from the horizontal copy: one pass over a's transactions. */
    @Override
    boolean precount(int d, int a, int[] cnt) {
      java.util.Arrays.fill(cnt, a + 1, size[0], 0);
      final int[] src = tids[0];
      final int[] ho = hOffsets;
      final int[] hi = hItems;
      for (int i = starts[0][a], e = i + sup[0][a]; i < e; i++) {
        int t = src[i];
        for (int q = ho[t + 1] - 1, lo = ho[t]; q >= lo; q--) {
          int r = hi[q];
          if (r <= a) {
            break;
          }
          cnt[r]++;
        }
      }
      return true;
    }

    @Override
    int intersect(int d, int a, int b, int slot) {
      int la = sup[d][a];
      int lb = sup[d][b];
      if (la * 16L < lb || lb * 16L < la) {
        return gallop(d, a, b, slot);
      }
      final int[] src = tids[d];
      final int[] st = starts[d];
      final int[] dst = tids[d + 1];
      int i = st[a];
      final int ie = i + sup[d][a];
      int j = st[b];
      final int je = j + sup[d][b];
      final int base = slot * width;
      int o = base;
      final int need = minCount;
      while (i < ie && j < je) {
        // Stop early once the remaining entries cannot reach the threshold.
        if (o - base + Math.min(ie - i, je - j) < need) {
          break;
        }
        int x = src[i];
        int y = src[j];
        if (x == y) {
          dst[o++] = x;
          i++;
          j++;
        } else if (x < y) {
          i++;
        } else {
          j++;
        }
      }
      starts[d + 1][slot] = base;
      return o - base;
    }

    /** Intersection of a short list with a much longer one by exponential search. */
    private int gallop(int d, int a, int b, int slot) {
      final int[] src = tids[d];
      final int[] st = starts[d];
      final int[] dst = tids[d + 1];
      int sa = st[a];
      int ea = sa + sup[d][a];
      int sb = st[b];
      int eb = sb + sup[d][b];
      if (ea - sa > eb - sb) {
        int x = sa;
        sa = sb;
        sb = x;
        x = ea;
        ea = eb;
        eb = x;
      }
      final int base = slot * width;
      int o = base;
      int j = sb;
      for (int i = sa; i < ea && j < eb; i++) {
        int v = src[i];
        int step = 1;
        int lo = j;
        int hi = j;
        while (hi < eb && src[hi] < v) {
          lo = hi + 1;
          hi += step;
          step <<= 1;
        }
        // src[lo-1] < v (or lo == j); src[hi] >= v unless hi >= eb: search [lo, hi]
        hi = Math.min(hi + 1, eb);
        int k = java.util.Arrays.binarySearch(src, lo, hi, v);
        if (k >= 0) {
          dst[o++] = v;
          j = k + 1;
        } else {
          j = -k - 1;
        }
      }
      starts[d + 1][slot] = base;
      return o - base;
    }
  }
}
