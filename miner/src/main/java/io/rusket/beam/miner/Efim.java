package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * EFIM (Zida, Fournier-Viger, Lin, Wu, Tseng: "EFIM: a fast and memory efficient algorithm for
 * high-utility itemset mining", Knowledge and Information Systems 51(2), 2017) on primitive arrays.
 *
 * <ol>
 *   <li>Items whose transaction-weighted utility (TWU: the summed utility of the transactions that
 *       contain them) is below the threshold are removed; the others are renamed {@code 0..n-1} by
 *       ascending TWU (ties by item id), the processing order ≻.
 *   <li>Each transaction keeps its promising items, ascending; transactions are sorted by the order
 *       ≻<sub>T</sub> (lexicographic on the items read from the last one, a proper suffix first) so
 *       that transactions whose projections are identical are adjacent at every depth, and
 *       identical transactions are merged (utilities summed, counts added). The sort is an LSD
 *       radix sort of a 64-bit key per transaction (its last items, as many as fit), with a full
 *       comparison only for ties among transactions longer than a key; the revised transactions are
 *       then scattered to their sorted place (read in order, written where they belong) and merged
 *       in place.
 *   <li>Depth-first search: for an itemset α with projected database α-D, Primary(α) holds the
 *       extensions whose <em>sub-tree utility</em> su reaches the threshold (those are explored),
 *       Secondary(α) those whose <em>local utility</em> lu does (the only items kept for the bounds
 *       below α). For each {@code e} in Primary(α), β = α ∪ {e}: one pass over the transactions of
 *       α-D holding {@code e} (its occurrence list) gives u(β), its count, and su(β, z) and lu(β,
 *       z) for the items z ≻ e of Secondary(α) (Fast Utility Counting, with utility bins: sums, so
 *       the same over merged or unmerged transactions); only if Primary(β) is not empty is β-D
 *       built (the items after {@code e}, with the prefix utility u(β, T)), merging adjacent
 *       identical projected transactions (High-utility Database Merging), and explored. Most
 *       extensions have an empty Primary: their projected databases are never built.
 *   <li>The first level is special: u({e}) and its count, su(∅, e) and lu(∅, e), the occurrence
 *       lists of every item (only where it is not the last item of its transaction: a last item
 *       projects to nothing) and, per position, the remaining utility to the end of the transaction
 *       over Secondary(∅) all come from one pass over the sorted database, so the bounds of {e}
 *       take a single pass over each suffix without membership tests. An item whose su(∅, e) is at
 *       least {@link #PROJECT_FIRST} times the threshold usually roots a sub-tree: it is projected
 *       first and its bounds computed over the (merged, much smaller) projection.
 * </ol>
 *
 * <p>Storage: the transactions of every depth live in one pool of {@code int} items and {@code
 * long} utilities used as a stack. A projected transaction points into its parent's storage (a
 * suffix needs no copy); only a merged transaction is copied to the top of the pool, where its
 * utilities are summed. The pool's top is reset after each extension, so memory is the database
 * plus the merged transactions along one search path. Per depth: the transactions' start, end,
 * prefix utility and count, the Primary / Secondary lists and the occurrence lists of Primary (8
 * bytes per entry). Visiting only the transactions that hold an item, instead of scanning α-D for
 * each, matters on sparse data (retail: thousands of items, a few per basket).
 */
final class Efim {
  private final long minUtil;
  private final int maxLen;
  private final UtilitySink sink;

  // the pool (stack): items and utilities; [0, baseSize) is the revised database
  private int[] items;
  private long[] utils;
  private int top;

  // per depth: the transactions of the projected database
  private int[][] tStart = new int[4][];
  private int[][] tEnd = new int[4][];
  private long[][] tPrefix = new long[4][];
  private long[][] tCount = new long[4][];
  private int[] tSize = new int[4];
  private int[][] primary = new int[4][];
  private int[][] secondary = new int[4][];

  private long[] su;
  private long[] lu;
  private int[] mark;
  private int token;
  private int[] prefix;
  private int[] outItems;
  private int[] original; // rank -> item id

  // per depth, the occurrence lists of Primary(α) in α-D: primary item j at positions
  // occPos[d][occStart[d][j] ..occStart[d][j+1]) of transactions occTxn[d][...], ascending
  private int[][] occStart = new int[4][];
  private int[][] occTxn = new int[4][];
  private int[][] occPos = new int[4][];
  private int[] posInPrimary;
  private long nodes;

  Efim(long minUtil, int maxLen, UtilitySink sink) {
    this(minUtil, maxLen, sink, PROJECT_FIRST);
  }

  /**
   * With {@code projectFirst} in place of {@link #PROJECT_FIRST} (tests: 1 projects every item of
   * the first level first, {@code Long.MAX_VALUE} none).
   */
  Efim(long minUtil, int maxLen, UtilitySink sink, long projectFirst) {
    assert minUtil >= 1 : "minUtil=" + minUtil;
    assert projectFirst >= 1 : "projectFirst=" + projectFirst;
    this.minUtil = minUtil;
    this.maxLen = maxLen;
    this.sink = sink;
    this.projectFirst = projectFirst;
  }

  /** The number of itemsets whose utility was computed (search nodes). */
  long nodes() {
    return nodes;
  }

  /** The bytes of the pool and the per-depth arrays, at their largest. */
  long ramBytesUsed() {
    long b = RamUsage.sizeOf(items) + RamUsage.sizeOf(utils);
    for (int d = 0; d < tStart.length; d++) {
      if (tStart[d] != null) {
        b += 2 * RamUsage.sizeOf(tStart[d]) + 2 * RamUsage.sizeOf(tPrefix[d]);
      }
    }
    return b;
  }

  /*
   * The phases below are separate methods, each called once per database: small methods compile
   * (on-stack replacement) sooner and faster than one large one, which matters for the first runs
   * in a JVM.
   */
  void mine(UtilityDb db) {
    int n = db.nItems;
    int nT = db.nTransactions;
    int[] off = db.offsets;
    int[] dbItems = db.items;
    long[] dbUtils = db.utilities;
    // 1. TWU of every item
    long[] twu = new long[n];
    boolean[] present = new boolean[n];
    twuPass(nT, off, dbItems, dbUtils, twu, present);
    int nPromising = 0;
    int[] byTwu = new int[n];
    for (int i = 0; i < n; i++) {
      if (present[i] && twu[i] >= minUtil) {
        byTwu[nPromising++] = i;
      }
    }
    sortByTwu(byTwu, nPromising, twu);
    int[] rank = new int[n];
    Arrays.fill(rank, -1);
    original = Arrays.copyOf(byTwu, nPromising);
    for (int r = 0; r < nPromising; r++) {
      rank[original[r]] = r;
    }
    if (nPromising == 0) {
      return;
    }
    // 2. revised transactions: promising items as ranks, ascending (insertion sort: baskets are
    // short), each with its sort key (below)
    final int bits = 64 - Long.numberOfLeadingZeros(nPromising); // ranks + 1 in [1, nPromising]
    final int per = Math.max(1, 63 / bits);
    int[] rItems = new int[db.nEntries()];
    long[] rUtils = new long[db.nEntries()];
    int[] rStart = new int[nT + 1];
    long[] keys = new long[nT];
    final int nR = revise(nT, off, dbItems, dbUtils, rank, rItems, rUtils, rStart, keys, bits, per);
    final int pos = rStart[nR];
    // 3. the order ≻_T: a radix sort of the keys, ties beyond a key's reach by full comparison
    int[] idx = sortTransactions(keys, nR, rItems, rStart, per);
    // depth 0: the revised database scattered to its sorted place (read in order, so only the
    // writes jump), then identical neighbours merged in place (utilities summed, counts added)
    final int[] it0 = new int[pos];
    final long[] u0 = new long[pos];
    scatter(idx, nR, rStart, rItems, rUtils, it0, u0);
    // rItems and rUtils are copied: reused below for the occurrence lists and remIncl
    items = it0;
    utils = u0;
    ensureDepth(0, nR);
    su = new long[nPromising];
    lu = new long[nPromising];
    final int[] occ0 = new int[nPromising + 1]; // non-last occurrences per item, then list starts
    final int m = mergeIdentical(nR, idx, rStart, keys, per, occ0);
    tSize[0] = m;
    Arrays.fill(tPrefix[0], 0, m, 0L);
    mark = new int[nPromising];
    prefix = new int[nPromising];
    posInPrimary = new int[nPromising];
    outItems = new int[nPromising];
    // 4. Secondary(∅) from lu; the utility and count of each item; the remaining utility from each
    // position over Secondary(∅) (remIncl), and from it su; the occurrence lists of the items at
    // the positions that are not the last of their transaction (a last one projects to nothing)
    final int tok = ++token;
    int[] sec = lists(secondary, 0, nPromising);
    int nSec = 0;
    for (int z = 0; z < nPromising; z++) {
      if (lu[z] >= minUtil) {
        sec[nSec++] = z;
        mark[z] = tok;
      }
    }
    u1 = new long[nPromising];
    c1 = new long[nPromising];
    remIncl = rUtils; // rUtils.length >= pos >= top: every position gets its value below
    final boolean lists = maxLen > 1;
    if (lists) {
      for (int z = 0; z < nPromising; z++) {
        occ0[z + 1] += occ0[z];
      }
      occStart[0] = occ0;
      occTxn[0] = new int[occ0[nPromising]];
      occPos[0] = rItems; // the non-last positions: fewer than top <= rItems.length
    }
    rootPass(m, tok, lists ? Arrays.copyOf(occ0, nPromising) : null);
    int[] prim = lists(primary, 0, nPromising);
    int nPrim = 0;
    for (int k = 0; k < nSec; k++) {
      if (su[sec[k]] >= minUtil) {
        prim[nPrim++] = sec[k];
      }
    }
    suRoot = Arrays.copyOf(su, nPromising);
    firstLevel(nPrim, nSec);
  }

  private static void twuPass(
      int nT, int[] off, int[] dbItems, long[] dbUtils, long[] twu, boolean[] present) {
    for (int t = 0; t < nT; t++) {
      long tu = 0;
      for (int p = off[t]; p < off[t + 1]; p++) {
        tu += dbUtils[p];
      }
      for (int p = off[t]; p < off[t + 1]; p++) {
        twu[dbItems[p]] += tu;
        present[dbItems[p]] = true;
      }
    }
  }

  /**
   * Fills {@code rItems/rUtils[rStart[k], rStart[k + 1])} with the k-th non-empty revised
   * transaction and {@code keys[k]} with its key; returns their number.
   */
  private static int revise(
      int nT,
      int[] off,
      int[] dbItems,
      long[] dbUtils,
      int[] rank,
      int[] rItems,
      long[] rUtils,
      int[] rStart,
      long[] keys,
      int bits,
      int per) {
    int nR = 0;
    int pos = 0;
    for (int t = 0; t < nT; t++) {
      final int s = pos;
      for (int p = off[t]; p < off[t + 1]; p++) {
        final int r = rank[dbItems[p]];
        if (r < 0) {
          continue;
        }
        final long u = dbUtils[p];
        int q = pos++;
        while (q > s && rItems[q - 1] > r) {
          rItems[q] = rItems[q - 1];
          rUtils[q] = rUtils[q - 1];
          q--;
        }
        rItems[q] = r;
        rUtils[q] = u;
      }
      if (pos == s) {
        continue;
      }
      rStart[nR] = s;
      keys[nR] = key(rItems, s, pos, bits, per);
      nR++;
    }
    rStart[nR] = pos;
    return nR;
  }

  /** Copies the revised transactions to their places in the order {@code idx}. */
  private static void scatter(
      int[] idx, int nR, int[] rStart, int[] rItems, long[] rUtils, int[] it0, long[] u0) {
    int[] dest = new int[nR];
    for (int k = 0, w = 0; k < nR; k++) {
      final int t = idx[k];
      dest[t] = w;
      w += rStart[t + 1] - rStart[t];
    }
    for (int t = 0; t < nR; t++) { // element loops: arraycopy costs more for a few items
      final int s = rStart[t];
      final int e = rStart[t + 1];
      for (int a = s, b = dest[t]; a < e; a++, b++) {
        it0[b] = rItems[a];
        u0[b] = rUtils[a];
      }
    }
  }

  /**
   * Merges identical neighbours of the sorted database in place into the transactions of depth 0;
   * adds lu(∅, z) and counts the non-last occurrences of each item ({@code occ0[z + 1]}); sets the
   * pool's top and returns the number of transactions.
   */
  private int mergeIdentical(int nR, int[] idx, int[] rStart, long[] keys, int per, int[] occ0) {
    final int[] it0 = items;
    final long[] u0 = utils;
    final int[] s0 = tStart[0];
    final int[] e0 = tEnd[0];
    final long[] c0 = tCount[0];
    final long[] lu0 = lu;
    int m = 0;
    int w = 0;
    for (int k = 0, r = 0; k < nR; k++) {
      final int len = rStart[idx[k] + 1] - rStart[idx[k]];
      // lu(∅, z): the revised transaction utility, summed (merged or not) over z's transactions
      long tu = 0;
      for (int a = r; a < r + len; a++) {
        tu += u0[a];
      }
      for (int a = r; a < r + len; a++) {
        lu0[it0[a]] += tu;
      }
      if (m > 0
          && keys[k] == keys[k - 1]
          && (len < per || sameItems(it0, s0[m - 1], e0[m - 1], it0, r, r + len))) {
        for (int a = r, b = s0[m - 1]; a < r + len; a++, b++) {
          u0[b] += u0[a];
        }
        c0[m - 1]++;
      } else {
        if (w != r) {
          for (int a = r, b = w; a < r + len; a++, b++) {
            it0[b] = it0[a];
            u0[b] = u0[a];
          }
        }
        s0[m] = w;
        w += len;
        e0[m] = w;
        c0[m] = 1;
        m++;
        for (int a = w - len; a < w - 1; a++) {
          occ0[it0[a] + 1]++;
        }
      }
      r += len;
    }
    top = w;
    return m;
  }

  /**
   * One pass over the {@code m} transactions of depth 0: u1, c1, remIncl and su (over the items
   * marked {@code tok}, Secondary(∅)) and, unless {@code cursor} is null, the occurrence lists.
   */
  private void rootPass(int m, int tok, int[] cursor) {
    final int[] it0 = items;
    final long[] u0 = utils;
    final int[] s0 = tStart[0];
    final int[] e0 = tEnd[0];
    final long[] c0 = tCount[0];
    final long[] rem0 = remIncl;
    final long[] uItem = u1;
    final long[] cItem = c1;
    final long[] suB = su;
    final int[] mk = mark;
    final boolean lists = cursor != null;
    final int[] oT0 = occTxn[0];
    final int[] oP0 = occPos[0];
    for (int t = 0; t < m; t++) {
      long rem = 0;
      final long c = c0[t];
      final int last = e0[t] - 1;
      for (int p = last; p >= s0[t]; p--) {
        final int z = it0[p];
        uItem[z] += u0[p];
        cItem[z] += c;
        if (mk[z] == tok) {
          rem += u0[p];
          suB[z] += rem;
        }
        rem0[p] = rem;
        if (lists && p != last) {
          final int at = cursor[z]++;
          oT0[at] = t;
          oP0[at] = p;
        }
      }
    }
  }

  // depth 0 only: u({z}) and its count; the utility from each position to the end of its
  // transaction over the items of Secondary(∅)
  private long[] suRoot; // su(∅, z)
  private long[] u1;
  private long[] c1;
  private long[] remIncl;

  /**
   * The first level of {@link #search}: the same, but u(β) and its count come from the root pass
   * and the bounds from {@code remIncl} in a single pass over each suffix (no test of membership in
   * Secondary(∅): {@code remIncl} counts its items only, and the bounds of other items are never
   * read).
   */
  private void firstLevel(int nPrim, int nSec) {
    final int[] prim = primary[0];
    final int[] sec = secondary[0];
    final boolean deeper = 1 < maxLen;
    if (deeper) {
      ensureDepth(1, 0);
    }
    final int[] oS = occStart[0];
    int secFrom = 0;
    for (int j = 0; j < nPrim; j++) {
      final int e = prim[j];
      nodes++;
      prefix[0] = e;
      if (u1[e] >= minUtil) {
        outItems[0] = original[e];
        sink.accept(outItems, 1, u1[e], c1[e]);
      }
      while (secFrom < nSec && sec[secFrom] <= e) {
        secFrom++;
      }
      if (!deeper || secFrom == nSec) {
        continue;
      }
      final int from = oS[e]; // by item at depth 0
      final int to = oS[e + 1];
      if (suRoot[e] / projectFirst >= minUtil) {
        // a likely root of a sub-tree: project first, then the bounds over the (merged, smaller)
        // projected database
        final int savedTop = top;
        final int m = project(0, from, to);
        tSize[1] = m;
        if (m > 0 && boundsOver(1, m, sec, secFrom, nSec) > 0) {
          search(1, nextPrim, nextSec);
        }
        top = savedTop;
        continue;
      }
      if (!firstBounds(from, to, sec, secFrom, nSec)) {
        continue;
      }
      final int np = splitByBounds(1, sec, secFrom, nSec);
      final int ns = nextSec;
      if (np == 0) {
        continue;
      }
      final int savedTop = top;
      tSize[1] = project(0, from, to);
      search(1, np, ns);
      top = savedTop;
    }
  }

  /**
   * The sort key of the transaction {@code it[s, e)}: its last items from the last one, {@code
   * bits} bits each ({@code rank + 1}, so a transaction that runs out first is smaller), as many as
   * fit in 63 bits ({@code per}).
   */
  static long key(int[] it, int s, int e, int bits, int per) {
    long key = 0;
    int p = e - 1;
    for (int q = 0; q < per; q++, p--) {
      key = (key << bits) | (p >= s ? it[p] + 1L : 0L);
    }
    return key;
  }

  private static int[] lists(int[][] lists, int d, int size) {
    if (lists[d] == null || lists[d].length < size) {
      lists[d] = new int[size];
    }
    return lists[d];
  }

  private void ensureDepth(int d, int n) {
    if (d >= tStart.length) {
      int len = Math.max(d + 1, tStart.length * 2);
      tStart = Arrays.copyOf(tStart, len);
      tEnd = Arrays.copyOf(tEnd, len);
      tPrefix = Arrays.copyOf(tPrefix, len);
      tCount = Arrays.copyOf(tCount, len);
      tSize = Arrays.copyOf(tSize, len);
      primary = Arrays.copyOf(primary, len);
      secondary = Arrays.copyOf(secondary, len);
    }
    if (tStart[d] == null || tStart[d].length < n) {
      int cap = Math.max(n, 16);
      tStart[d] = new int[cap];
      tEnd[d] = new int[cap];
      tPrefix[d] = new long[cap];
      tCount[d] = new long[cap];
    }
  }

  /**
   * Explores every itemset α ∪ {e}, e in Primary(α) = {@code primary[d][0, nPrim)}, where α is
   * {@code prefix[0, d)} and α-D the transactions of depth {@code d}.
   */
  private void search(int d, int nPrim, int nSec) {
    final int[] prim = primary[d];
    final int[] sec = secondary[d];
    final boolean deeper = d + 1 < maxLen;
    if (deeper) {
      ensureDepth(d + 1, 0);
    }
    occurrences(d, nPrim);
    final int[] oS = occStart[d];
    final int[] oT = occTxn[d];
    final int[] oP = occPos[d];
    int secFrom = 0; // sec[secFrom..] are the items after e
    for (int j = 0; j < nPrim; j++) {
      final int e = prim[j];
      nodes++;
      while (secFrom < nSec && sec[secFrom] <= e) {
        secFrom++;
      }
      final int from = oS[j];
      final int to = oS[j + 1];
      final boolean bound = deeper && secFrom < nSec;
      final int tok = ++token;
      if (bound) {
        for (int k = secFrom; k < nSec; k++) {
          final int z = sec[k];
          mark[z] = tok;
          su[z] = 0;
          lu[z] = 0;
        }
      }
      // one pass over the transactions holding e (its occurrence list, in database order): u(β),
      // its count and, over the suffixes after e, su(β, z) and lu(β, z) for z in Secondary(α)
      // after e (Fast Utility Counting; sums, so the same over merged or unmerged transactions)
      final int[] pE = tEnd[d];
      final long[] pP = tPrefix[d];
      final long[] pC = tCount[d];
      final int[] it = items;
      final long[] u = utils;
      final int[] mk = mark;
      final long[] suB = su;
      final long[] luB = lu;
      long uBeta = 0;
      long cBeta = 0;
      boolean anyTail = false;
      for (int k = from; k < to; k++) {
        final int t = oT[k];
        final int p = oP[k];
        final long pu = pP[t] + u[p];
        uBeta += pu;
        cBeta += pC[t];
        final int en = pE[t];
        if (!bound || p + 1 == en) {
          continue;
        }
        long r = 0; // remaining utility of β in T, over the items of Secondary(α)
        for (int q = p + 1; q < en; q++) {
          if (mk[it[q]] == tok) {
            r += u[q];
          }
        }
        final long local = pu + r;
        long rem = 0;
        for (int q = en - 1; q > p; q--) {
          final int z = it[q];
          if (mk[z] == tok) {
            rem += u[q];
            suB[z] += pu + rem;
            luB[z] += local;
            anyTail = true;
          }
        }
      }
      prefix[d] = e;
      if (uBeta >= minUtil) {
        for (int k = 0; k <= d; k++) {
          outItems[k] = original[prefix[k]];
        }
        sink.accept(outItems, d + 1, uBeta, cBeta);
      }
      if (!bound || !anyTail) {
        continue;
      }
      final int np = splitByBounds(d + 1, sec, secFrom, nSec);
      final int ns = nextSec;
      if (np == 0) {
        continue; // β has no extension worth exploring: its projected database is never built
      }
      final int savedTop = top;
      tSize[d + 1] = project(d, from, to);
      search(d + 1, np, ns);
      top = savedTop;
    }
  }

  /**
   * The first level projects an item before its bounds are known (instead of one pass for the
   * bounds, then the projection only if Primary(β) is not empty) when its su(∅, e) is at least this
   * many times the threshold: such items usually root a sub-tree, and the bounds are cheaper over
   * the merged projection. Either way gives the same result.
   */
  static final long PROJECT_FIRST = 4;

  private final long projectFirst;

  /**
   * su({e}, z) and lu({e}, z) for z in {@code sec[secFrom, nSec)}, over the occurrences {@code
   * [from, to)} of e at depth 0 (each with a non-empty suffix); false if there are none.
   */
  private boolean firstBounds(int from, int to, int[] sec, int secFrom, int nSec) {
    final long[] suB = su;
    final long[] luB = lu;
    for (int k = secFrom; k < nSec; k++) {
      suB[sec[k]] = 0;
      luB[sec[k]] = 0;
    }
    final int[] oT = occTxn[0];
    final int[] oP = occPos[0];
    final int[] pE = tEnd[0];
    final int[] it = items;
    final long[] rem = remIncl;
    for (int k = from; k < to; k++) {
      final int p = oP[k];
      final int en = pE[oT[k]]; // p + 1 < en
      final long after = rem[p + 1];
      final long ue = rem[p] - after; // e is in Secondary(∅)
      final long local = ue + after;
      for (int q = p + 1; q < en; q++) {
        final int z = it[q];
        suB[z] += ue + rem[q];
        luB[z] += local;
      }
    }
    return to > from;
  }

  private int nextPrim;
  private int nextSec;

  /**
   * Fast Utility Counting over β-D, the {@code m} transactions of depth {@code d}: su(β, z) and
   * lu(β, z) for z in {@code sec[from, to)} (Secondary(α) after e); fills Primary(β) and
   * Secondary(β) at depth {@code d}, sets {@link #nextPrim} and {@link #nextSec}, and returns the
   * size of Primary(β).
   */
  private int boundsOver(int d, int m, int[] sec, int from, int to) {
    final int tok = ++token;
    final int[] mk = mark;
    final long[] suB = su;
    final long[] luB = lu;
    for (int k = from; k < to; k++) {
      int z = sec[k];
      mk[z] = tok;
      suB[z] = 0;
      luB[z] = 0;
    }
    final int[] cS = tStart[d];
    final int[] cE = tEnd[d];
    final long[] cP = tPrefix[d];
    final int[] it = items;
    final long[] u = utils;
    for (int t = 0; t < m; t++) {
      final int s = cS[t];
      final int en = cE[t];
      long r = 0; // remaining utility of β in T, over the items still in Secondary(α)
      for (int p = s; p < en; p++) {
        if (mk[it[p]] == tok) {
          r += u[p];
        }
      }
      final long pu = cP[t];
      final long local = pu + r;
      long rem = 0;
      for (int p = en - 1; p >= s; p--) {
        int z = it[p];
        if (mk[z] == tok) {
          rem += u[p];
          suB[z] += pu + rem;
          luB[z] += local;
        }
      }
    }
    return splitByBounds(d, sec, from, to);
  }

  /**
   * Depth {@code d}'s lists from the candidates {@code sec[from, to)}, after their bounds were
   * counted into {@link #lu} and {@link #su}: Secondary(β) those whose local utility reaches
   * minUtil, Primary(β) those of them whose sub-tree utility does too. Sets {@link #nextPrim} and
   * {@link #nextSec}; returns the size of Primary(β).
   */
  private int splitByBounds(int d, int[] sec, int from, int to) {
    final long[] luB = lu;
    final long[] suB = su;
    int[] prim = lists(primary, d, to - from);
    int[] nsec = lists(secondary, d, to - from);
    int np = 0;
    int ns = 0;
    for (int k = from; k < to; k++) {
      int z = sec[k];
      if (luB[z] >= minUtil) {
        nsec[ns++] = z;
        if (suB[z] >= minUtil) {
          prim[np++] = z;
        }
      }
    }
    nextPrim = np;
    nextSec = ns;
    return np;
  }

  /**
   * Builds β-D at depth {@code d + 1} from the occurrences {@code [from, to)} of e in α-D (depth
   * {@code d}): the items after e, with the prefix utility u(β, T), adjacent identical projected
   * transactions merged (High-utility Database Merging); returns their number.
   */
  private int project(int d, int from, int to) {
    ensureDepth(d + 1, to - from);
    final int[] oT = occTxn[d];
    final int[] oP = occPos[d];
    final int[] pE = tEnd[d];
    final long[] pP = tPrefix[d];
    final long[] pC = tCount[d];
    final int[] cS = tStart[d + 1];
    final int[] cE = tEnd[d + 1];
    final long[] cP = tPrefix[d + 1];
    final long[] cC = tCount[d + 1];
    final int ownFrom = top; // projected transactions starting here or later are copies
    int m = 0;
    for (int k = from; k < to; k++) {
      final int t = oT[k];
      final int en = pE[t];
      final int p = oP[k];
      final int ns = p + 1;
      if (ns == en) {
        continue;
      }
      final long pu = pP[t] + utils[p];
      if (m > 0 && sameItems(items, cS[m - 1], cE[m - 1], items, ns, en)) {
        int len = en - ns;
        if (cS[m - 1] < ownFrom) { // the previous one still points into the parent: copy it
          ensurePool(top + len);
          System.arraycopy(items, cS[m - 1], items, top, len);
          System.arraycopy(utils, cS[m - 1], utils, top, len);
          cS[m - 1] = top;
          cE[m - 1] = top + len;
          top += len;
        }
        final long[] u = utils;
        for (int a = ns, b = cS[m - 1]; a < en; a++, b++) {
          u[b] += u[a];
        }
        cP[m - 1] += pu;
        cC[m - 1] += pC[t];
      } else {
        cS[m] = ns;
        cE[m] = en;
        cP[m] = pu;
        cC[m] = pC[t];
        m++;
      }
    }
    return m;
  }

  /**
   * Builds the occurrence lists of {@code primary[d][0, nPrim)} over the transactions of depth
   * {@code d}: one pass to count, one to fill (a counting sort by primary index, stable, so each
   * list is in transaction order and projections keep the order ≻_T).
   */
  private void occurrences(int d, int nPrim) {
    if (d >= occStart.length) {
      int len = Math.max(d + 1, occStart.length * 2);
      occStart = Arrays.copyOf(occStart, len);
      occTxn = Arrays.copyOf(occTxn, len);
      occPos = Arrays.copyOf(occPos, len);
    }
    final int[] prim = primary[d];
    final int tok = ++token;
    final int[] mk = mark;
    final int[] pos = posInPrimary;
    for (int j = 0; j < nPrim; j++) {
      mk[prim[j]] = tok;
      pos[prim[j]] = j;
    }
    int[] cnt = lists(occStart, d, nPrim + 1);
    Arrays.fill(cnt, 0, nPrim + 1, 0);
    final int n = tSize[d];
    final int[] pS = tStart[d];
    final int[] pE = tEnd[d];
    final int[] it = items;
    for (int t = 0; t < n; t++) {
      for (int p = pS[t]; p < pE[t]; p++) {
        if (mk[it[p]] == tok) {
          cnt[pos[it[p]] + 1]++;
        }
      }
    }
    for (int j = 0; j < nPrim; j++) {
      cnt[j + 1] += cnt[j];
    }
    int total = cnt[nPrim];
    if (occTxn[d] == null || occTxn[d].length < total) {
      occTxn[d] = new int[ArrayUtil.grow(occTxn[d] == null ? 0 : occTxn[d].length, total)];
      occPos[d] = new int[occTxn[d].length];
    }
    final int[] oT = occTxn[d];
    final int[] oP = occPos[d];
    for (int t = 0; t < n; t++) { // cnt[j] is the write cursor of list j
      for (int p = pS[t]; p < pE[t]; p++) {
        if (mk[it[p]] == tok) {
          int k = cnt[pos[it[p]]]++;
          oT[k] = t;
          oP[k] = p;
        }
      }
    }
    for (int j = nPrim; j > 0; j--) { // back to starts
      cnt[j] = cnt[j - 1];
    }
    cnt[0] = 0;
  }

  private void ensurePool(long size) {
    if (size > items.length) {
      items = ArrayUtil.grow(items, size);
      utils = ArrayUtil.grow(utils, size);
    }
  }

  private static boolean sameItems(int[] x, int s1, int e1, int[] y, int s2, int e2) {
    if (e1 - s1 != e2 - s2) {
      return false;
    }
    for (int a = s1, b = s2; a < e1; a++, b++) {
      if (x[a] != y[b]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The order ≻_T of the transactions {@code it[start[t], start[t + 1])}, {@code t < n}
   * (lexicographic on the items read from the last one, a proper suffix first), as indices; sorts
   * {@code keys} (from {@link #key}) along. An LSD radix sort of the keys, 11 bits a pass, stable
   * (digits the same in every key are skipped); only runs of equal keys of transactions longer than
   * a key holds ({@code per} items) are then ordered by the full comparison.
   */
  static int[] sortTransactions(long[] keys, int n, int[] it, int[] start, int per) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    final int radix = 11;
    final int buckets = 1 << radix;
    final int passes = (63 + radix - 1) / radix;
    int[][] count = new int[passes][buckets];
    for (int i = 0; i < n; i++) {
      long k = keys[i];
      for (int d = 0; d < passes; d++) {
        count[d][(int) (k >>> (d * radix)) & (buckets - 1)]++;
      }
    }
    long[] k2 = new long[n];
    int[] i2 = new int[n];
    long[] kSrc = keys;
    int[] iSrc = idx;
    long[] kDst = k2;
    int[] iDst = i2;
    for (int d = 0; d < passes; d++) {
      int[] c = count[d];
      final int shift = d * radix;
      if (n == 0 || c[(int) (kSrc[0] >>> shift) & (buckets - 1)] == n) {
        continue; // the same digit everywhere
      }
      int sum = 0;
      for (int b = 0; b < buckets; b++) {
        int x = c[b];
        c[b] = sum;
        sum += x;
      }
      for (int i = 0; i < n; i++) {
        long k = kSrc[i];
        int at = c[(int) (k >>> shift) & (buckets - 1)]++;
        kDst[at] = k;
        iDst[at] = iSrc[i];
      }
      long[] tk = kSrc;
      kSrc = kDst;
      kDst = tk;
      int[] ti = iSrc;
      iSrc = iDst;
      iDst = ti;
    }
    if (kSrc != keys) {
      System.arraycopy(kSrc, 0, keys, 0, n);
      System.arraycopy(iSrc, 0, idx, 0, n);
    }
    int[] tmp = null;
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && keys[to] == keys[from]) {
        to++;
      }
      if (to - from > 1 && start[idx[from] + 1] - start[idx[from]] >= per) {
        if (tmp == null) {
          tmp = new int[n];
        }
        mergeSort(idx, tmp, from, to, it, start);
      }
      from = to;
    }
    return idx;
  }

  private static void mergeSort(int[] a, int[] tmp, int from, int to, int[] it, int[] start) {
    if (to - from < 16) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= from && compareT(a[j], v, it, start) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, it, start);
    mergeSort(a, tmp, mid, to, it, start);
    if (compareT(a[mid - 1], a[mid], it, start) <= 0) {
      return;
    }
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && compareT(tmp[i], tmp[j], it, start) <= 0)) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }

  /** Lexicographic on the items read backwards; a transaction that runs out first is smaller. */
  static int compareT(int x, int y, int[] it, int[] start) {
    int p = start[x + 1] - 1;
    int q = start[y + 1] - 1;
    while (p >= start[x] && q >= start[y]) {
      int c = Integer.compare(it[p], it[q]);
      if (c != 0) {
        return c;
      }
      p--;
      q--;
    }
    return Integer.compare(p - start[x], q - start[y]);
  }

  /** Sorts {@code a[0, n)} (item ids) by ascending TWU, ties by id. */
  private static void sortByTwu(int[] a, int n, long[] twu) {
    long[] keys = new long[n];
    int[] tmpA = new int[n];
    long[] tmpK = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = twu[a[i]];
    }
    sortPairs(keys, a, tmpK, tmpA, 0, n);
  }

  private static void sortPairs(long[] k, int[] v, long[] tk, int[] tv, int from, int to) {
    if (to - from < 2) {
      return;
    }
    int mid = (from + to) >>> 1;
    sortPairs(k, v, tk, tv, from, mid);
    sortPairs(k, v, tk, tv, mid, to);
    System.arraycopy(k, from, tk, from, to - from);
    System.arraycopy(v, from, tv, from, to - from);
    int i = from;
    int j = mid;
    for (int x = from; x < to; x++) {
      boolean left = j >= to || (i < mid && (tk[i] < tk[j] || (tk[i] == tk[j] && tv[i] <= tv[j])));
      if (left) {
        k[x] = tk[i];
        v[x] = tv[i++];
      } else {
        k[x] = tk[j];
        v[x] = tv[j++];
      }
    }
  }
}
