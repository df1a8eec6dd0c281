package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * FP-Growth (Han, Pei and Yin, "Mining frequent patterns without candidate generation", SIGMOD
 * 2000) on array-backed trees; closed and maximal itemsets as FPClose / FPMax (Grahne and Zhu, FIMI
 * 2003), see {@code mineTaskCondensed}.
 *
 * <p>Items are recoded once to dense ranks by descending frequency (ties by item id). There is no
 * global tree: the transactions become ascending rank arrays with per-item occurrence lists ({@link
 * RankedDb}), so an item's first-level conditional pattern base is a set of array prefixes scanned
 * sequentially, and its conditional counts come from one pass of pair counts when there are at most
 * {@link RankedDb#MAX_PAIR_RANKS} frequent items. Each conditional base is projected into a
 * conditional {@link FpTree} kept in per-depth scratch arrays, keeping the global item order (so
 * collected paths need no sorting). Two reductions keep dense data cheap: items present in every
 * transaction of a conditional base (perfect extensions, Borgelt 2005) leave the tree and are
 * combined with every itemset found below; and a conditional tree that is a single path is
 * enumerated without further projection. The first-level projections run in parallel (see {@link
 * OrderedTasks}).
 */
final class FpGrowth {
  private final TransactionDb db;
  private final int minCount;
  private final int maxLen;
  private final int threads;

  /** Whether the database's arrays may be overwritten by the ranked form (see RankedDb). */
  private final boolean consume;

  private final Target target;

  /** Top-k: the rising threshold (starting at minCount), else null. */
  private Threshold rising;

  FpGrowth(TransactionDb db, int minCount, int maxLen, int threads) {
    this(db, minCount, maxLen, threads, false, Target.ALL);
  }

  FpGrowth(TransactionDb db, int minCount, int maxLen, int threads, boolean consume) {
    this(db, minCount, maxLen, threads, consume, Target.ALL);
  }

  FpGrowth(
      TransactionDb db, int minCount, int maxLen, int threads, boolean consume, Target target) {
    this.db = db;
    this.minCount = minCount;
    this.maxLen = maxLen;
    this.threads = threads;
    this.consume = consume;
    this.target = target;
  }

  /** Mines with a threshold that may rise while mining (top-k). */
  FpGrowth rising(Threshold t) {
    this.rising = t;
    return this;
  }

  /** Whether pair counts may be precomputed (tests turn them off to reach the scanning paths). */
  private boolean pairCounts = true;

  /** Counts every conditional base by scanning, as with too many items for pair counts. */
  FpGrowth withoutPairCounts() {
    this.pairCounts = false;
    return this;
  }

  MiningStats run(ItemsetSink sink) {
    Recoding rec = Recoding.byDescendingFrequency(db, minCount);
    if (rec.nFrequent == 0) {
      return MiningStats.empty(Method.FPGROWTH, minCount, threads);
    }
    RankedDb ranked = new RankedDb(db, rec, consume, target != Target.ALL);
    if (pairCounts && (maxLen > 1 || target != Target.ALL)) {
      ranked.countPairs();
    }
    // Task t mines the item of rank t: its conditional base is the prefixes before it.
    OrderedTasks.Outcome out =
        OrderedTasks.runIn(
            rising != null,
            rec.nFrequent,
            threads,
            () -> new Worker(ranked, minCount, maxLen, target, rec.idToRank, rising),
            sink);
    return new MiningStats(
        Method.FPGROWTH,
        minCount,
        out.itemsets,
        threads,
        ranked.ramBytesUsed(),
        out.scratchBytes,
        out.peakBufferedBytes);
  }

  /**
   * The transactions recoded to ascending ranks (infrequent items dropped), and for every rank the
   * list of its occurrences. The conditional pattern base of rank r is, for each occurrence, the
   * transaction's items before r: {@code items[begin[o] .. end[o])}, already ascending. The
   * first-level projections scan these sequentially, which beats walking parent pointers of a
   * global tree that does not fit in cache (sparse data barely compresses into a tree anyway).
   */
  static final class RankedDb {
    final int nRanks;

    /** Transaction t's ranks, ascending, are {@code items[offsets[t] .. offsets[t+1])}. */
    final int[] offsets;

    final int[] items;

    /** Occurrences of rank r are {@code occStart[r] .. occStart[r+1]}. */
    final int[] occStart;

    /** Start of the occurrence's transaction in {@link #items}. */
    final int[] occBegin;

    /** Position of the occurrence itself in {@link #items}: the prefix ends here. */
    final int[] occEnd;

    /**
     * Closed and maximal targets: the end (exclusive) of the occurrence's transaction in {@link
     * #items}, where its suffix (the check-only items) ends; null for ALL.
     */
    final int[] occStop;

    final int[] rankToId;
    final int[] rankCount;

    long ramBytesUsed() {
      return RamUsage.SMALL_OBJECT
          + RamUsage.sizeOf(offsets)
          + RamUsage.sizeOf(items)
          + RamUsage.sizeOf(occStart)
          + RamUsage.sizeOf(occBegin)
          + RamUsage.sizeOf(occEnd)
          + RamUsage.sizeOf(occStop)
          + RamUsage.sizeOf(rankToId)
          + RamUsage.sizeOf(rankCount)
          + RamUsage.sizeOf(pairs);
    }

    /** Largest number of frequent items for which pair counts are precomputed (8 MiB). */
    static final int MAX_PAIR_RANKS = 2048;

    /**
     * Co-occurrence counts of every rank pair {@code a < b} at {@code b*(b-1)/2 + a}: row b is
     * exactly the first-level conditional counts of rank b. Null when there are too many ranks.
     */
    int[] pairs;

    /** Counts all pairs in one sequential pass, replacing a scan per first-level task. */
    void countPairs() {
      if (nRanks > MAX_PAIR_RANKS || pairs != null) {
        return;
      }
      final int[] p = new int[(int) ((long) nRanks * (nRanks - 1) / 2)];
      final int[] its = items;
      final int[] off = offsets;
      for (int t = 0, n = off.length - 1; t < n; t++) {
        final int begin = off[t];
        final int end = off[t + 1];
        for (int j = begin + 1; j < end; j++) {
          int b = its[j];
          int base = (int) ((long) b * (b - 1) / 2);
          for (int i = begin; i < j; i++) {
            p[base + its[i]]++;
          }
        }
      }
      pairs = p;
    }

    /**
     * The ranked form of {@code db}. With {@code consume} it is written over {@code db}'s own
     * arrays (the caller gives the database up, saving a copy of the transactions): the write
     * position never passes the read position, and each transaction's old end offset is read before
     * its slot is overwritten. With {@code stops}, each occurrence's transaction end is kept too
     * ({@link #occStop}).
     */
    RankedDb(TransactionDb db, Recoding rec, boolean consume, boolean stops) {
      final int[] dbOffsets = db.rawOffsets();
      final int[] src = db.rawItems();
      final int[] rank = rec.idToRank;
      final int n = db.size();
      nRanks = rec.nFrequent;
      rankToId = rec.rankToId;
      rankCount = rec.rankCount;
      long total = 0;
      for (int r = 0; r < nRanks; r++) {
        total += rec.rankCount[r];
      }
      final int entries = Math.toIntExact(total);
      items = consume ? src : new int[entries];
      occStart = new int[nRanks + 1];
      for (int r = 0; r < nRanks; r++) {
        occStart[r + 1] = occStart[r] + rec.rankCount[r];
      }
      occBegin = new int[entries];
      occEnd = new int[entries];
      occStop = stops ? new int[entries] : null;
      offsets = consume ? dbOffsets : new int[n + 1];
      int[] fill = java.util.Arrays.copyOf(occStart, nRanks);
      int w = 0;
      int end = dbOffsets[0];
      for (int t = 0; t < n; t++) {
        final int begin = w;
        final int start = end;
        end = dbOffsets[t + 1]; // read before offsets[t + 1] (the same slot when consuming) is set
        for (int k = start; k < end; k++) {
          int r = rank[src[k]];
          if (r >= 0) {
            int j = w - 1; // insertion sort into ascending ranks
            while (j >= begin && items[j] > r) {
              items[j + 1] = items[j];
              j--;
            }
            items[j + 1] = r;
            w++;
          }
        }
        for (int q = begin; q < w; q++) {
          int o = fill[items[q]]++;
          occBegin[o] = begin;
          occEnd[o] = q;
          if (stops) {
            occStop[o] = w;
          }
        }
        offsets[t + 1] = w;
      }
    }
  }

  /** Mines first-level projections of the shared, read-only ranked database. */
  private static final class Worker extends PatternEmitter {
    private final RankedDb db;

    /** Conditional trees, one per depth, reused. */
    private FpTree[] levels = new FpTree[8];

    /** Per-depth scratch: conditional counts and old-to-new item maps. */
    private int[][] counts = new int[8][];

    private int[][] newIds = new int[8][];
    private int[] path = new int[32];

    private final Target target;
    private final int[] idToRank;

    /** Closed and maximal targets: the task's itemsets found so far, and a rank buffer. */
    private final ItemsetRepository repo;

    private int[] ranks = new int[32];

    Worker(RankedDb db, int minCount, int maxLen, Target target, int[] idToRank, Threshold rising) {
      super(maxLen, minCount, rising);
      this.db = db;
      this.target = target;
      this.idToRank = idToRank;
      this.repo = target == Target.ALL ? null : new ItemsetRepository();
    }

    @Override
    public long ramBytesUsed() {
      long b =
          emitterBytes()
              + RamUsage.sizeOf(counts)
              + RamUsage.sizeOf(newIds)
              + RamUsage.sizeOf(path)
              + RamUsage.sizeOf(ranks)
              + RamUsage.sizeOf(rows)
              + RamUsage.sizeOf(rowCount)
              + RamUsage.sizeOf(cand)
              + RamUsage.sizeOf(rowItems)
              + RamUsage.sizeOf(seenCount)
              + RamUsage.sizeOf(seenStamp)
              + (repo == null ? 0 : repo.ramBytesUsed());
      for (FpTree t : levels) {
        b += t == null ? 0 : t.ramBytesUsed();
      }
      return b;
    }

    @Override
    void mineTask(int r) {
      if (belowThreshold(db.rankCount[r])) {
        return;
      }
      if (target != Target.ALL) {
        mineTaskCondensed(r);
        return;
      }
      prefix[0] = db.rankToId[r];
      final int supp = db.rankCount[r];
      if (maxLen == 1 || r == 0) {
        emitWithExtensions(1, supp);
        return;
      }
      final int[] cnt = scratch(counts, 0, r);
      final int[] nid = scratch(newIds, 0, r);
      Arrays.fill(cnt, 0, r, 0);
      final int[] items = db.items;
      final int[] occBegin = db.occBegin;
      final int[] occEnd = db.occEnd;
      final int from = db.occStart[r];
      final int to = db.occStart[r + 1];
      if (db.pairs != null) {
        System.arraycopy(db.pairs, (int) ((long) r * (r - 1) / 2), cnt, 0, r);
      } else {
        for (int o = from; o < to; o++) {
          for (int q = occBegin[o], e = occEnd[o]; q < e; q++) {
            cnt[items[q]]++;
          }
        }
      }
      int m = reduce(cnt, nid, r, supp, db.rankToId);
      emitWithExtensions(1, supp);
      if (m > 0) {
        if (maxLen == 2) {
          emitPairs(cnt, nid, r, db.rankToId, 1);
        } else {
          FpTree c = level(1);
          c.reset(m);
          fillHeader(c, cnt, nid, r, db.rankToId);
          int[] pathBuf = path;
          for (int o = from; o < to; o++) {
            int len = 0;
            for (int q = occBegin[o], e = occEnd[o]; q < e; q++) {
              int k = nid[items[q]];
              if (k != FpTree.NONE) {
                if (len == pathBuf.length) {
                  pathBuf = path = ArrayUtil.grow(pathBuf, len + 1L);
                }
                pathBuf[len++] = k;
              }
            }
            if (len > 0) {
              c.insertForward(pathBuf, len, 1);
            }
          }
          mineTree(c, m, 1, 1);
        }
      }
      peLen = 0;
    }

    /**
     * Classifies the candidate items {@code 0 .. i-1} by conditional count: infrequent (dropped),
     * perfect extensions (count equals the base's support: pushed, dropped from the tree) or kept,
     * numbered in order. Returns the number kept.
     */
    private int reduce(int[] cnt, int[] nid, int i, int supp, int[] globalId) {
      int m = 0;
      for (int j = 0; j < i; j++) {
        int cj = cnt[j];
        if (cj < minCount) {
          nid[j] = FpTree.NONE;
        } else if (cj == supp) {
          pushPe(globalId[j]);
          nid[j] = FpTree.NONE;
        } else {
          nid[j] = m++;
        }
      }
      return m;
    }

    /** Only one more item fits: the conditional counts are the answer, no tree needed. */
    private void emitPairs(int[] cnt, int[] nid, int i, int[] globalId, int plen) {
      ensurePrefix(plen + 1);
      for (int j = 0; j < i; j++) {
        if (nid[j] != FpTree.NONE && !belowThreshold(cnt[j])) {
          prefix[plen] = globalId[j];
          emitWithExtensions(plen + 1, cnt[j]);
        }
      }
    }

    private static void fillHeader(FpTree c, int[] cnt, int[] nid, int i, int[] globalId) {
      for (int j = 0; j < i; j++) {
        int k = nid[j];
        if (k != FpTree.NONE) {
          c.globalId[k] = globalId[j];
          c.support[k] = cnt[j];
        }
      }
    }

    /** Mines the conditional tree {@code c} (depth d) of prefix[0, plen). */
    private void mineTree(FpTree c, int m, int d, int plen) {
      if (!c.branching) {
        emitSinglePath(c, plen);
      } else {
        ensurePrefix(plen + 1);
        for (int k = m - 1; k >= 0; k--) {
          prefix[plen] = c.globalId[k];
          project(c, k, d, plen + 1);
        }
      }
    }

    /**
     * Inserts into {@code c} the paths above item {@code i}'s nodes in {@code t}, each recoded by
     * {@code nid} (items without a new id left out), with its node's count.
     */
    private void insertConditionalPaths(FpTree t, int i, int[] nid, FpTree c) {
      final int[] parent = t.parent;
      final int[] item = t.item;
      final int[] count = t.count;
      final int[] link = t.link;
      int[] pathBuf = path;
      for (int n = t.head[i]; n != FpTree.NONE; n = link[n]) {
        int len = 0;
        for (int p = parent[n]; p != FpTree.ROOT; p = parent[p]) {
          int k = nid[item[p]];
          if (k != FpTree.NONE) {
            if (len == pathBuf.length) {
              pathBuf = path = ArrayUtil.grow(pathBuf, len + 1L);
            }
            pathBuf[len++] = k;
          }
        }
        if (len > 0) {
          c.insertReversed(pathBuf, len, count[n]);
        }
      }
    }

    /**
     * Counts item {@code i}'s conditional pattern base in tree {@code t} (depth {@code d}): the
     * returned scratch array holds, for each item below {@code i}, its count in the paths above
     * {@code i}'s nodes. Grows the per-depth scratch arrays ({@code counts}, {@code newIds}) first.
     */
    private int[] conditionalCounts(FpTree t, int i, int d) {
      if (d + 1 >= counts.length) {
        int cap = ArrayUtil.grow(counts.length, d + 2L);
        counts = Arrays.copyOf(counts, cap);
        newIds = Arrays.copyOf(newIds, cap);
      }
      final int[] cnt = scratch(counts, d, i);
      Arrays.fill(cnt, 0, i, 0);
      final int[] parent = t.parent;
      final int[] item = t.item;
      final int[] count = t.count;
      final int[] link = t.link;
      for (int n = t.head[i]; n != FpTree.NONE; n = link[n]) {
        final int c = count[n];
        for (int p = parent[n]; p != FpTree.ROOT; p = parent[p]) {
          cnt[item[p]] += c;
        }
      }
      return cnt;
    }

    /**
     * The current itemset is {@code prefix[0, plen)}, whose last item is item {@code i} of the
     * conditional tree {@code t} at depth {@code d}. Finds its perfect extensions, emits it with
     * them, builds the conditional tree of {@code i} and mines it.
     */
    private void project(FpTree t, int i, int d, int plen) {
      final int supp = t.support[i];
      if (belowThreshold(supp)) {
        return;
      }
      if (plen >= maxLen || i == 0) {
        emitWithExtensions(plen, supp);
        return;
      }
      final int peMark = peLen;
      final int[] cnt = conditionalCounts(t, i, d);
      final int[] nid = scratch(newIds, d, i);
      int m = reduce(cnt, nid, i, supp, t.globalId);
      emitWithExtensions(plen, supp);
      if (m > 0) {
        if (plen + 1 == maxLen) {
          emitPairs(cnt, nid, i, t.globalId, plen);
        } else {
          FpTree c = level(d + 1);
          c.reset(m);
          fillHeader(c, cnt, nid, i, t.globalId);
          insertConditionalPaths(t, i, nid, c);
          mineTree(c, m, d + 1, plen);
        }
      }
      peLen = peMark;
    }

    /**
     * A single-path tree: a subset's count is the count of its deepest node. Each node is emitted
     * with every subset of the nodes above it (and of the perfect extensions).
     */
    private void emitSinglePath(FpTree c, int plen) {
      // In a single path, nodes 1 .. size-1 were created from the root down.
      final int peMark = peLen;
      for (int n = 1; n < c.size; n++) {
        if (belowThreshold(c.count[n])) {
          break; // counts only fall down the path
        }
        int g = c.globalId[c.item[n]];
        prefix[plen] = g;
        emitWithExtensions(plen + 1, c.count[n]);
        pushPe(g);
      }
      peLen = peMark;
    }

    /**
     * Closed and maximal targets, task r: the itemsets whose least frequent item is r. Items more
     * frequent than r (ranks below r) are its candidates, in a conditional tree as in {@link
     * #mineTask}; items less frequent (ranks above r, after r in the transactions) belong to other
     * tasks and are its check-only items. They stay out of the trees (which keep their prefix
     * sharing): each itemset of the task carries the list of its transactions instead (as
     * occurrences of r, {@link #rows}), narrowed through a per-transaction bitset of candidates as
     * the itemset grows, and the check-only items are read from those transactions' suffixes
     * ({@link #coveredOutside}, {@link #extendedOutside}; for {r} alone from the pair counts when
     * there are some): one in every transaction of an itemset means it is not closed, nor is
     * anything below it; one frequent with a leaf means it is not maximal. Items of r's tree mined
     * before an item (higher indices, mined first as in FP-Growth) are checked through the
     * repository of the task's results instead, as FPClose / FPMax do. Tasks are independent, so
     * the order of results does not depend on the number of threads.
     */
    private void mineTaskCondensed(int r) {
      final int supp = db.rankCount[r];
      final int[] cnt = scratch(counts, 0, r);
      final int[] nid = scratch(newIds, 0, r);
      final int[] items = db.items;
      final int[] occBegin = db.occBegin;
      final int[] occEnd = db.occEnd;
      final int from = db.occStart[r];
      final int to = db.occStart[r + 1];
      final int[] pairs = db.pairs;
      int[] rw = rowsAt(1, supp);
      for (int o = from; o < to; o++) {
        rw[o - from] = o;
      }
      rowCount[1] = supp;
      boolean laterFrequent = false;
      if (pairs != null) { // row r: the ranks before r; column r of the later rows: those after
        System.arraycopy(pairs, (int) ((long) r * (r - 1) / 2), cnt, 0, r);
        for (int j = r + 1, n = db.nRanks; j < n; j++) {
          final int c = pairs[(int) ((long) j * (j - 1) / 2) + r];
          if (c == supp) {
            return; // a later item is in every transaction of r: nothing in this task is closed
          }
          laterFrequent |= c >= minCount;
        }
      } else {
        Arrays.fill(cnt, 0, r, 0);
        for (int o = from; o < to; o++) {
          for (int q = occBegin[o], e = occEnd[o]; q < e; q++) {
            cnt[items[q]]++;
          }
        }
        if (suffixCovers(1)) {
          return; // a later item is in every transaction of r: nothing in this task is closed
        }
      }
      repo.reset(r + 1);
      peLen = 0;
      prefix[0] = db.rankToId[r];
      int m = reduce(cnt, nid, r, supp, db.rankToId);
      boolean extended =
          target == Target.MAXIMAL
              && m == 0
              && (pairs != null ? laterFrequent : extendedOutside(1));
      if (!acceptNode(1, supp, m, extended, nid, db.rankToId, r)) {
        peLen = 0;
        return;
      }
      if (m > 0) {
        final int w = (m + 63) >>> 6;
        final long need = (long) supp * w;
        if (rowItems.length < need) {
          rowItems = new long[ArrayUtil.grow(rowItems.length, need)];
        }
        final long[] bits = rowItems;
        Arrays.fill(bits, 0, (int) need, 0L);
        rowWords = w;
        taskFrom = from;
        FpTree c = level(1);
        c.reset(m);
        fillHeader(c, cnt, nid, r, db.rankToId);
        int[] pathBuf = path;
        for (int o = from; o < to; o++) {
          int len = 0;
          final int base = (o - from) * w;
          for (int q = occBegin[o], e = occEnd[o]; q < e; q++) {
            int k = nid[items[q]];
            if (k != FpTree.NONE) {
              if (len == pathBuf.length) {
                pathBuf = path = ArrayUtil.grow(pathBuf, len + 1L);
              }
              pathBuf[len++] = k;
              bits[base + (k >>> 6)] |= 1L << k;
            }
          }
          if (len > 0) {
            c.insertForward(pathBuf, len, 1);
          }
        }
        mineTreeCondensed(c, 1, 1);
      }
      peLen = 0;
    }

    /**
     * Closed and maximal targets: per itemset length ℓ, the transactions of the task's current
     * itemset of ℓ items, as occurrences of the task's item (ascending), {@code rowCount[ℓ]} of
     * them.
     */
    private int[][] rows = new int[8][];

    private int[] rowCount = new int[8];

    /**
     * For each transaction of the task (occurrence {@code taskFrom + row}), a bitset over the ids
     * of the task's first conditional tree, {@code rowWords} longs per row: which candidates it
     * holds.
     */
    private long[] rowItems = new long[16];

    private int rowWords;
    private int taskFrom;

    /** Surviving check-only candidates while intersecting suffixes; counts for maximality. */
    private int[] cand = new int[32];

    private int[] seenCount;
    private int[] seenStamp;
    private int stamp;

    private int[] rowsAt(int len, int size) {
      if (len >= rows.length) {
        int cap = ArrayUtil.grow(rows.length, len + 1L);
        rows = Arrays.copyOf(rows, cap);
        rowCount = Arrays.copyOf(rowCount, cap);
      }
      return scratch(rows, len, size);
    }

    /**
     * The itemset prefix[0, plen) has just grown by item {@code g} (database id) and has {@code
     * supp} transactions: narrows the parent's transactions to those holding g (a bit of {@link
     * #rowItems} each), then tells whether one check-only item is in all of them ({@link
     * #suffixCovers}).
     */
    private boolean coveredOutside(int g, int plen, int supp) {
      final int id = newIds[0][idToRank[g]]; // its id in the task's first conditional tree
      final int[] parent = rows[plen - 1];
      final int np = rowCount[plen - 1];
      final int[] rw = rowsAt(plen, supp);
      final long[] bits = rowItems;
      final int w = rowWords;
      final int from = taskFrom;
      final int word = id >>> 6;
      final long bit = 1L << id;
      int nr = 0;
      for (int k = 0; k < np; k++) {
        final int o = parent[k];
        if ((bits[(o - from) * w + word] & bit) != 0) {
          rw[nr++] = o;
        }
      }
      assert nr == supp : "transactions=" + nr + ", support=" + supp;
      rowCount[plen] = nr;
      return suffixCovers(plen);
    }

    /**
     * Whether one check-only item (a rank after the task's, in the transactions' suffixes) is in
     * every transaction of the itemset of {@code plen} items. The candidates are the first
     * transaction's suffix, intersected (a merge of ascending ranks) with each next one's; usually
     * none survive a few transactions.
     */
    private boolean suffixCovers(int plen) {
      final int[] rw = rows[plen];
      final int nr = rowCount[plen];
      final int[] items = db.items;
      final int[] occEnd = db.occEnd;
      final int[] occStop = db.occStop;
      final int o0 = rw[0];
      int nc = occStop[o0] - occEnd[o0] - 1;
      if (cand.length < nc) {
        cand = new int[ArrayUtil.grow(cand.length, nc)];
      }
      final int[] c = cand;
      System.arraycopy(items, occEnd[o0] + 1, c, 0, nc);
      for (int k = 1; k < nr && nc > 0; k++) {
        final int o = rw[k];
        int q = occEnd[o] + 1;
        final int qe = occStop[o];
        int kept = 0;
        for (int x = 0; x < nc && q < qe; x++) {
          final int e = c[x];
          while (q < qe && items[q] < e) {
            q++;
          }
          if (q < qe && items[q] == e) {
            c[kept++] = e;
          }
        }
        nc = kept;
      }
      return nc > 0;
    }

    /**
     * Maximal target, after {@link #coveredOutside} for the itemset of {@code plen} items: whether
     * a check-only item is frequent in its transactions (counted over their suffixes, stopping at
     * the threshold).
     */
    private boolean extendedOutside(int plen) {
      final int n = db.nRanks;
      if (seenCount == null || seenCount.length < n) {
        seenCount = new int[n];
        seenStamp = new int[n];
        stamp = 0;
      }
      if (++stamp == 0) {
        Arrays.fill(seenStamp, 0);
        stamp = 1;
      }
      final int st = stamp;
      final int[] sc = seenCount;
      final int[] ss = seenStamp;
      final int[] items = db.items;
      final int[] occEnd = db.occEnd;
      final int[] occStop = db.occStop;
      final int[] rw = rows[plen];
      final int need = minCount;
      for (int k = 0, nr = rowCount[plen]; k < nr; k++) {
        final int o = rw[k];
        for (int q = occEnd[o] + 1, e = occStop[o]; q < e; q++) {
          final int x = items[q];
          if (ss[x] != st) {
            ss[x] = st;
            sc[x] = 0;
          }
          if (++sc[x] >= need) {
            return true;
          }
        }
      }
      return false;
    }

    /** Mines the candidates of tree {@code c} (depth d) below prefix[0, plen), last first. */
    private void mineTreeCondensed(FpTree c, int d, int plen) {
      ensurePrefix(plen + 1);
      for (int k = c.nItems - 1; k >= 0; k--) {
        prefix[plen] = c.globalId[k];
        projectCondensed(c, k, d, plen + 1);
      }
    }

    /**
     * The current itemset X is prefix[0, plen) with the perfect extensions in force; its last item
     * is item i of tree t (depth d). Prunes X's subtree when a check-only item is in every
     * transaction of X, counts X's conditional base, then accepts or skips X ({@link #acceptNode})
     * and mines its conditional tree.
     */
    private void projectCondensed(FpTree t, int i, int d, int plen) {
      final int supp = t.support[i];
      if (belowThreshold(supp)) {
        return;
      }
      if (coveredOutside(t.globalId[i], plen, supp)) {
        return; // a check-only item is in every transaction of X: X and its subtree are not closed
      }
      final int peMark = peLen;
      final int[] cnt = conditionalCounts(t, i, d);
      final int[] nid = scratch(newIds, d, i);
      final int m = reduce(cnt, nid, i, supp, t.globalId);
      final boolean extended = target == Target.MAXIMAL && m == 0 && extendedOutside(plen);
      if (acceptNode(plen, supp, m, extended, nid, t.globalId, i) && m > 0) {
        FpTree c = level(d + 1);
        c.reset(m);
        fillHeader(c, cnt, nid, i, t.globalId);
        insertConditionalPaths(t, i, nid, c);
        mineTreeCondensed(c, d + 1, plen);
      }
      peLen = peMark;
    }

    /**
     * Decides for X = prefix[0, plen) ∪ perfect extensions, of count {@code supp}, with {@code
     * kept} candidates in its conditional base, whether to emit it and whether to mine below it;
     * the kept candidates are the items {@code j < to} with {@code nid[j] != NONE}, database ids
     * {@code globalId[j]}; {@code extended}: a check-only item is frequent with X (computed only
     * for the maximal target when {@code kept == 0}).
     *
     * <p>CLOSED: X is closed unless an earlier result of the task is a superset of the same count
     * (then nothing below X is closed either). MAXIMAL: X with its candidates inside an earlier
     * maximal result means nothing below is maximal (FPMax's look-ahead); X is maximal when it has
     * no frequent extension: no candidate, no check-only item, no earlier superset. Itemsets longer
     * than maxLen are searched and recorded (they decide the shorter ones) but not emitted.
     */
    private boolean acceptNode(
        int plen, int supp, int kept, boolean extended, int[] nid, int[] globalId, int to) {
      final int len = plen + peLen;
      if (ranks.length < len + kept) {
        ranks = new int[ArrayUtil.grow(ranks.length, len + kept)];
      }
      final int[] q = ranks;
      for (int k = 0; k < plen; k++) {
        q[k] = idToRank[prefix[k]];
      }
      for (int k = 0; k < peLen; k++) {
        q[plen + k] = idToRank[pe[k]];
      }
      if (target == Target.CLOSED) {
        if (repo.hasSupersetWithCount(q, len, supp)) {
          return false;
        }
        repo.add(q, len, supp);
        if (len <= maxLen) {
          emitNode(plen, supp);
        }
        return true;
      }
      int all = len;
      for (int j = 0; j < to; j++) {
        if (nid[j] != FpTree.NONE) {
          q[all++] = idToRank[globalId[j]];
        }
      }
      if (repo.hasSuperset(q, all)) {
        return false;
      }
      if (kept == 0) {
        if (!extended) {
          repo.add(q, len, supp);
          if (len <= maxLen) {
            emitNode(plen, supp);
          }
        }
        return false;
      }
      return true;
    }

    private FpTree level(int d) {
      levels = ArrayUtil.grow(levels, d + 1L);
      FpTree t = levels[d];
      if (t == null) {
        t = levels[d] = new FpTree();
      }
      return t;
    }
  }
}
