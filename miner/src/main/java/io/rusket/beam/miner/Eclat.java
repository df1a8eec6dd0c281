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
  private final Target target;

  /** Top-k: the rising threshold (starting at minCount), else null. */
  private Threshold rising;

  /** The vertical layout: chosen from density, or forced (tests). */
  enum Layout {
    AUTO,
    BITSET,
    TIDLIST
  }

  Eclat(TransactionDb db, int minCount, int maxLen, int threads) {
    this(db, minCount, maxLen, threads, Layout.AUTO, Target.ALL);
  }

  Eclat(TransactionDb db, int minCount, int maxLen, int threads, Layout layout) {
    this(db, minCount, maxLen, threads, layout, Target.ALL);
  }

  Eclat(TransactionDb db, int minCount, int maxLen, int threads, Layout layout, Target target) {
    this.db = db;
    this.minCount = minCount;
    this.maxLen = maxLen;
    this.threads = threads;
    this.layout = layout;
    this.target = target;
  }

  /** Mines with a threshold that may rise while mining (top-k). */
  Eclat rising(Threshold t) {
    this.rising = t;
    return this;
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
          OrderedTasks.runIn(
              rising != null,
              f,
              threads,
              () -> new BitsetWorker(rec, bits, words, minCount, maxLen, target, rising),
              sink);
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
        OrderedTasks.runIn(
            rising != null,
            f,
            threads,
            () ->
                new TidListWorker(
                    rec, tids, start, hOffsets, hItems, minCount, maxLen, target, rising),
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
    final Target target;

    /** Rank of each database item id (-1: infrequent). */
    final int[] idToRank;

    /** The first-level task being mined: ranks below it are excluded from every itemset. */
    int taskRank;

    /**
     * Closed and maximal targets: the ranks of the earlier siblings of the current itemset's
     * prefixes (members already mined at each depth), a stack; with the ranks below {@link
     * #taskRank} they are the excluded items, which no itemset of the current subtree contains.
     */
    int[] ex = new int[32];

    int exLen;

    /** Per depth: members' database item ids and supports. */
    int[][] gid = new int[16][];

    int[][] sup = new int[16][];
    int[] size = new int[16];

    ClassWorker(int maxLen, int minCount, Target target, int[] idToRank, Threshold rising) {
      super(maxLen, minCount, rising);
      this.target = target;
      this.idToRank = idToRank;
      this.repo = target == Target.MAXIMAL ? new ItemsetRepository() : null;
    }

    /** Starts first-level task {@code task}: member {@code task} of depth 0. */
    final void startTask(int task) {
      taskRank = task;
      exLen = 0;
      if (repo != null) {
        repo.reset(size[0]);
        if (rankBits == null) {
          rankBits = new long[repo.words()];
        }
      }
      prefix[0] = gid[0][task];
      if (target == Target.ALL) {
        process(0, task, 1);
      } else {
        processCondensed(0, task, 1);
      }
    }

    /**
     * Closed and maximal targets: whether an excluded item (see {@link #ex}) occurs in every
     * transaction of the current itemset (member a of depth d, prefix[0, plen) ∪ the perfect
     * extensions). Then the itemset is not closed, nor is any itemset of its subtree (their
     * transactions are a subset), which is pruned (Lucchese, Orlando and Perego, DCI-Closed, 2004).
     */
    abstract boolean excludedCovers(int d, int a, int plen);

    /** Whether rank {@code r} is excluded from the current subtree (see {@link #ex}). */
    final boolean isExcluded(int r) {
      if (r < taskRank) {
        return true;
      }
      for (int e = 0; e < exLen; e++) {
        if (ex[e] == r) {
          return true;
        }
      }
      return false;
    }

    /**
     * Maximal target: whether the current itemset, extended by some excluded item, stays frequent.
     */
    abstract boolean excludedExtends(int d, int a, int plen);

    /**
     * Maximal target, look-ahead: the support of the current itemset with all {@code m} members of
     * its class (depth {@code nd}), or -1 when that is not computed (or below the threshold). When
     * it is computed, {@link #tailExtended} then tells whether an excluded item extends that union.
     */
    int tailSupport(int nd, int m) {
      return -1;
    }

    /** After a computed {@link #tailSupport}: whether some excluded item extends the union. */
    boolean tailExtended() {
      throw new UnsupportedOperationException();
    }

    /**
     * Maximal target: the maximal itemsets found so far in the task, as ranks, for FPMax's
     * look-ahead (an itemset whose class fits inside one of them has no maximal itemset below it).
     */
    final ItemsetRepository repo;

    /** Ranks of the current itemset with its class, for {@link #repo}, and as a bitset. */
    private int[] ranks = new int[32];

    private long[] rankBits;

    /** Bytes of the per-depth member lists (depth 0 is shared and not counted). */
    final long classBytes() {
      long b =
          emitterBytes()
              + RamUsage.sizeOf(pre)
              + RamUsage.sizeOf(ex)
              + RamUsage.sizeOf(ranks)
              + RamUsage.sizeOf(rankBits)
              + (repo == null ? 0 : repo.ramBytesUsed());
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

    /**
     * Closed and maximal targets. The current itemset X is prefix[0, plen) with the perfect
     * extensions in force; member a of depth d holds its transactions. Perfect extensions of X's
     * class join X, so X is its own closure unless an excluded item covers it ({@link
     * #excludedCovers}); then X and its whole subtree are skipped. Every closed itemset is reached
     * exactly once. CLOSED emits each X reached; MAXIMAL emits X when no item of its class and no
     * excluded item extends it to a frequent itemset.
     */
    final void processCondensed(int d, int a, int plen) {
      if (plen + peLen > maxLen || belowThreshold(sup[d][a]) || excludedCovers(d, a, plen)) {
        return; // too long (and so is every superset), or not closed (and nothing below is)
      }
      final int suppA = sup[d][a];
      final int peMark = peLen;
      final int nd = d + 1;
      final int m = extend(d, a, suppA);
      final int[] g = gid[nd];
      if (target == Target.MAXIMAL) {
        processMaximal(d, a, plen, m);
      } else if (plen + peLen <= maxLen) {
        emitNode(plen, suppA);
        if (m > 0 && plen + peLen < maxLen) {
          ensurePrefix(plen + 1);
          final int exMark = exLen;
          for (int k = 0; k < m; k++) {
            prefix[plen] = g[k];
            processCondensed(nd, k, plen + 1);
            if (exLen == ex.length) {
              ex = ArrayUtil.grow(ex, exLen + 1L);
            }
            ex[exLen++] = idToRank[g[k]]; // mined: excluded from its later siblings' subtrees
          }
          exLen = exMark;
        }
      }
      peLen = peMark;
    }

    /**
     * Maximal target, after {@link #extend}: the current itemset X (member a of depth d, prefix[0,
     * plen) ∪ the perfect extensions, not covered by an excluded item) with its class of {@code m}
     * members at depth d + 1. With no member, X is maximal unless an excluded item extends it. Else
     * two look-aheads (MAFIA, Burdick et al. 2001; FPMax, Grahne and Zhu 2003) may settle the whole
     * subtree, whose itemsets all lie within X ∪ class: when X ∪ class is inside a maximal itemset
     * found earlier in the task, nothing below is maximal; when X ∪ class is frequent, it is the
     * only candidate. Otherwise the members are searched as for closed itemsets. Maximal itemsets
     * longer than maxLen are recorded (they decide the shorter ones) but not emitted.
     */
    private void processMaximal(int d, int a, int plen, int m) {
      final int suppA = sup[d][a];
      final int len = plen + peLen;
      final int nd = d + 1;
      final int[] g = gid[nd];
      if (ranks.length < len + m) {
        ranks = new int[ArrayUtil.grow(ranks.length, len + m)];
      }
      final int[] q = ranks;
      for (int k = 0; k < plen; k++) {
        q[k] = idToRank[prefix[k]];
      }
      for (int k = 0; k < peLen; k++) {
        q[plen + k] = idToRank[pe[k]];
      }
      if (m == 0) {
        if (!excludedExtends(d, a, plen)) { // an earlier maximal superset would be an extension
          repo.add(q, len, suppA);
          if (len <= maxLen) {
            emitNode(plen, suppA);
          }
        }
        return;
      }
      for (int k = 0; k < m; k++) {
        q[len + k] = idToRank[g[k]];
      }
      final long[] qb = rankBits;
      Arrays.fill(qb, 0L);
      for (int k = 0, n = len + m; k < n; k++) {
        qb[q[k] >>> 6] |= 1L << q[k];
      }
      if (repo.hasSuperset(qb)) {
        return;
      }
      final int tail = tailSupport(nd, m);
      if (tail >= 0) {
        if (!tailExtended()) {
          repo.add(q, len + m, tail);
          if (len + m <= maxLen) {
            ensurePrefix(len + m);
            System.arraycopy(pe, 0, prefix, plen, peLen);
            System.arraycopy(g, 0, prefix, len, m);
            emitPrefix(len + m, tail);
          }
        }
        return;
      }
      ensurePrefix(plen + 1);
      final int exMark = exLen;
      for (int k = 0; k < m; k++) {
        prefix[plen] = g[k];
        processCondensed(nd, k, plen + 1);
        if (exLen == ex.length) {
          ex = ArrayUtil.grow(ex, exLen + 1L);
        }
        ex[exLen++] = idToRank[g[k]];
      }
      exLen = exMark;
    }

    /**
     * Extends member a of depth d (support {@code suppA}) by each later member: the frequent
     * extensions go to depth d + 1 ({@code gid}, {@code sup}, {@code size[d + 1]}), those with a's
     * own support are pushed as perfect extensions. Returns their number.
     */
    private int extend(int d, int a, int suppA) {
      final int nd = d + 1;
      if (nd + 1 >= gid.length) {
        int cap = ArrayUtil.grow(gid.length, nd + 2L);
        gid = Arrays.copyOf(gid, cap);
        sup = Arrays.copyOf(sup, cap);
        size = Arrays.copyOf(size, cap);
      }
      final int later = size[d] - a - 1;
      int m = 0;
      int[] g = scratch(gid, nd, later);
      int[] s = scratch(sup, nd, later);
      if (later > 0) {
        prepare(d, a, later);
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
      }
      size[nd] = m;
      return m;
    }

    /** Member a of depth d is the last item of prefix[0, plen). */
    final void process(int d, int a, int plen) {
      final int suppA = sup[d][a];
      if (belowThreshold(suppA)) {
        return;
      }
      if (plen >= maxLen || a + 1 == size[d]) {
        emitWithExtensions(plen, suppA);
        return;
      }
      final int peMark = peLen;
      final int nd = d + 1;
      final int m = extend(d, a, suppA);
      final int[] g = gid[nd];
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

    /**
     * Closed and maximal targets, per rank: a transaction without that item (its witness, see
     * {@link #excludedCovers}); see {@link #firstMissing} for the start.
     */
    private final int[] witness;

    BitsetWorker(
        Recoding rec,
        long[] bits,
        int words,
        int minCount,
        int maxLen,
        Target target,
        Threshold rising) {
      super(maxLen, minCount, target, rec.idToRank, rising);
      this.words = words;
      sets[0] = bits;
      gid[0] = rec.rankToId;
      sup[0] = rec.rankCount;
      size[0] = rec.nFrequent;
      witness = target == Target.ALL ? null : firstMissing(bits, words, rec.nFrequent);
    }

    /**
     * Per rank, its first transaction without the item (a padding bit past the last transaction
     * when it is in all of them), or -1 when there is no padding either.
     */
    private static int[] firstMissing(long[] bits, int words, int nRanks) {
      int[] first = new int[nRanks];
      for (int r = 0; r < nRanks; r++) {
        first[r] = -1;
        for (int k = 0; k < words; k++) {
          long missing = ~bits[r * words + k];
          if (missing != 0) {
            int t = (k << 6) + Long.numberOfTrailingZeros(missing);
            first[r] = t; // in the padding past the last transaction: never in X, so a miss
            break;
          }
        }
      }
      return first;
    }

    @Override
    void mineTask(int task) {
      startTask(task);
    }

    @Override
    public long ramBytesUsed() {
      long b = classBytes() + RamUsage.sizeOf(witness) + RamUsage.sizeOf(tail);
      for (int d = 1; d < sets.length; d++) {
        b += RamUsage.sizeOf(sets[d]);
      }
      return b;
    }

    /**
     * Subset tests of X's bitset against each excluded item's. Each test first probes the item's
     * witness, a transaction found earlier without the item in an itemset of the search (the last
     * one tested against it, usually X's parent or sibling, so mostly in X's transactions too): if
     * X holds it, X is not covered, in one bit test. Else the words are compared from the witness's
     * word on (wrapping), early exit, and the first transaction of X without the item becomes its
     * witness. Witnesses are only ever transactions without their item, so a stale one is merely a
     * miss. On dense data nearly every test ends at the witness.
     */
    @Override
    boolean excludedCovers(int d, int a, int plen) {
      final long[] x = sets[d];
      final long[] all = sets[0];
      final int[] sup0 = sup[0];
      final int[] wit = witness;
      final int w = words;
      final int pa = a * w;
      final int supp = sup[d][a];
      for (int e = 0, n = taskRank + exLen; e < n; e++) {
        final int r = e < taskRank ? e : ex[e - taskRank];
        if (sup0[r] < supp) {
          continue;
        }
        final int t = wit[r];
        if (t >= 0 && (x[pa + (t >>> 6)] & (1L << t)) != 0) {
          continue;
        }
        final int pb = r * w;
        int k = t < 0 ? 0 : t >>> 6;
        long diff = 0;
        for (int left = w; left > 0; left--) {
          diff = x[pa + k] & ~all[pb + k];
          if (diff != 0) {
            break;
          }
          if (++k == w) {
            k = 0;
          }
        }
        if (diff == 0) {
          return true;
        }
        wit[r] = (k << 6) + Long.numberOfTrailingZeros(diff);
      }
      return false;
    }

    @Override
    boolean excludedExtends(int d, int a, int plen) {
      return extendedBy(sets[d], a * words, sup[d][a]);
    }

    /**
     * Whether an excluded item extends the itemset of bitset {@code x[pa, pa + words)} (support
     * {@code supp}) to a frequent one. The item that extended the last such itemset is tried first
     * (neighbours in the search share their extensions); each count stops as soon as it reaches the
     * threshold, or can no longer reach it (what is left of the itemset's bits too few).
     */
    private boolean extendedBy(long[] x, int pa, int supp) {
      final long[] all = sets[0];
      final int w = words;
      final int need = minCount;
      final int last = lastExtender;
      if (last >= 0 && isExcluded(last) && countsTo(x, pa, all, last * w, supp, need)) {
        return true;
      }
      for (int e = 0, n = taskRank + exLen; e < n; e++) {
        final int r = e < taskRank ? e : ex[e - taskRank];
        if (r != last && countsTo(x, pa, all, r * w, supp, need)) {
          lastExtender = r;
          return true;
        }
      }
      return false;
    }

    /** Whether |x ∩ y| ≥ need, with early exits both ways; {@code supp} is |x|. */
    private boolean countsTo(long[] x, int pa, long[] y, int pb, int supp, int need) {
      final int w = words;
      int c = 0;
      int left = supp; // bits of x not yet seen
      for (int k = 0; k < w; k++) {
        final long xk = x[pa + k];
        c += Long.bitCount(xk & y[pb + k]);
        if (c >= need) {
          return true;
        }
        left -= Long.bitCount(xk);
        if (c + left < need) {
          return false;
        }
      }
      return false;
    }

    /** The last excluded item that extended a checked itemset, or -1. */
    private int lastExtender = -1;

    /** The look-ahead's union bitset. */
    private long[] tail;

    private int tailSupp;

    @Override
    int tailSupport(int nd, int m) {
      final int w = words;
      if (tail == null) {
        tail = new long[w];
      }
      final long[] t = tail;
      final long[] s = sets[nd];
      System.arraycopy(s, 0, t, 0, w);
      for (int k = 1; k < m; k++) {
        final int base = k * w;
        for (int j = 0; j < w; j++) {
          t[j] &= s[base + j];
        }
      }
      int c = 0;
      for (int j = 0; j < w; j++) {
        c += Long.bitCount(t[j]);
      }
      tailSupp = c;
      return c >= minCount ? c : -1;
    }

    @Override
    boolean tailExtended() {
      return extendedBy(tail, 0, tailSupp);
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

    /** Closed and maximal targets: ranks in X or its class carry the current stamp. */
    private int[] mark;

    private int stamp;

    /** Candidate closure items, and per-rank counts (valid where cntStamp is the stamp). */
    private int[] cand = new int[32];

    private int[] cnt;
    private int[] cntStamp;

    TidListWorker(
        Recoding rec,
        int[] allTids,
        int[] start,
        int[] hOffsets,
        int[] hItems,
        int minCount,
        int maxLen,
        Target target,
        Threshold rising) {
      super(maxLen, minCount, target, rec.idToRank, rising);
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
      startTask(task);
    }

    /**
     * Stamps the ranks of X (prefix[0, plen) and the perfect extensions) and of its class (the
     * members after a at depth d): every other rank is excluded.
     */
    private void markKnown(int d, int a, int plen) {
      if (mark == null) {
        mark = new int[size[0]];
        cnt = new int[size[0]];
        cntStamp = new int[size[0]];
      }
      if (++stamp == 0) {
        Arrays.fill(mark, 0);
        Arrays.fill(cntStamp, 0);
        stamp = 1;
      }
      final int st = stamp;
      for (int i = 0; i < plen; i++) {
        mark[idToRank[prefix[i]]] = st;
      }
      for (int i = 0; i < peLen; i++) {
        mark[idToRank[pe[i]]] = st;
      }
      final int[] gd = gid[d];
      for (int b = a + 1; b < size[d]; b++) {
        mark[idToRank[gd[b]]] = st;
      }
    }

    /**
     * Intersects the horizontal transactions of X, restricted to excluded ranks: the candidates
     * start as the first transaction's excluded ranks and shrink by a merge with each next one; X
     * is covered when some survive them all (usually they die out within a few transactions).
     */
    @Override
    boolean excludedCovers(int d, int a, int plen) {
      markKnown(d, a, plen);
      final int[] t = tids[d];
      final int from = starts[d][a];
      final int to = from + sup[d][a];
      final int[] ho = hOffsets;
      final int[] hi = hItems;
      final int[] mk = mark;
      final int st = stamp;
      int t0 = t[from];
      int n = 0;
      if (cand.length < ho[t0 + 1] - ho[t0]) {
        cand = new int[ArrayUtil.grow(cand.length, ho[t0 + 1] - ho[t0])];
      }
      final int[] c = cand;
      for (int q = ho[t0], e = ho[t0 + 1]; q < e; q++) {
        if (mk[hi[q]] != st) {
          c[n++] = hi[q];
        }
      }
      for (int i = from + 1; i < to && n > 0; i++) {
        final int tx = t[i];
        int q = ho[tx];
        final int qe = ho[tx + 1];
        int kept = 0;
        for (int k = 0; k < n && q < qe; k++) {
          final int r = c[k];
          while (q < qe && hi[q] < r) {
            q++;
          }
          if (q < qe && hi[q] == r) {
            c[kept++] = r;
          }
        }
        n = kept;
      }
      return n > 0;
    }

    /** Counts the excluded ranks over X's transactions until one reaches the threshold. */
    @Override
    boolean excludedExtends(int d, int a, int plen) {
      final int[] t = tids[d];
      final int from = starts[d][a];
      final int to = from + sup[d][a];
      final int[] ho = hOffsets;
      final int[] hi = hItems;
      final int[] mk = mark;
      final int[] ct = cnt;
      final int[] cs = cntStamp;
      final int st = stamp;
      final int need = minCount;
      for (int i = from; i < to; i++) {
        final int tx = t[i];
        for (int q = ho[tx], e = ho[tx + 1]; q < e; q++) {
          final int r = hi[q];
          if (mk[r] != st) {
            if (cs[r] != st) {
              cs[r] = st;
              ct[r] = 0;
            }
            if (++ct[r] >= need) {
              return true;
            }
          }
        }
      }
      return false;
    }

    @Override
    public long ramBytesUsed() {
      long b =
          classBytes()
              + RamUsage.sizeOf(mark)
              + RamUsage.sizeOf(cnt)
              + RamUsage.sizeOf(cntStamp)
              + RamUsage.sizeOf(cand);
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
