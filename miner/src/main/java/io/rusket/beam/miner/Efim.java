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
 *       identical transactions are merged (utilities summed, counts added).
 *   <li>Depth-first search: for an itemset α with projected database α-D, Primary(α) holds the
 *       extensions whose <em>sub-tree utility</em> su reaches the threshold (those are explored),
 *       Secondary(α) those whose <em>local utility</em> lu does (the only items kept for the bounds
 *       below α). For each {@code e} in Primary(α), β = α ∪ {e}: one pass over α-D gives u(β), its
 *       count and β-D (the items after {@code e}, with the prefix utility u(β, T)), merging
 *       adjacent identical projected transactions (High-utility Database Merging); a second pass
 *       computes su(β, z) and lu(β, z) for the items z ≻ e of Secondary(α) with utility bins (Fast
 *       Utility Counting).
 * </ol>
 *
 * <p>Storage: the transactions of every depth live in one pool of {@code int} items and {@code
 * long} utilities used as a stack. A projected transaction points into its parent's storage (a
 * suffix needs no copy); only a merged transaction is copied to the top of the pool, where its
 * utilities are summed. The pool's top is reset after each extension, so memory is the database
 * plus the merged transactions along one search path. Per depth: the transactions' start, end,
 * prefix utility and count, and the Primary / Secondary lists. At the first level the projection of
 * each item visits only the transactions that hold it (occurrence lists built once, 8 bytes per
 * entry) instead of every transaction: on sparse data (retail: thousands of items, a few per
 * basket) that scan of the whole database per item is what EFIM spends its time on.
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
    assert minUtil >= 1 : "minUtil=" + minUtil;
    this.minUtil = minUtil;
    this.maxLen = maxLen;
    this.sink = sink;
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

  void mine(UtilityDb db) {
    int n = db.nItems;
    int nT = db.nTransactions;
    int[] off = db.offsets;
    int[] dbItems = db.items;
    long[] dbUtils = db.utilities;
    // 1. TWU of every item
    long[] twu = new long[n];
    boolean[] present = new boolean[n];
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
    // 2. revised transactions: promising items as ranks, ascending
    int[] rItems = new int[db.nEntries()];
    long[] rUtils = new long[db.nEntries()];
    int[] rStart = new int[nT];
    int[] rEnd = new int[nT];
    int nR = 0;
    int pos = 0;
    long[] scratch = new long[16];
    for (int t = 0; t < nT; t++) {
      int len = 0;
      for (int p = off[t]; p < off[t + 1]; p++) {
        int r = rank[dbItems[p]];
        if (r >= 0) {
          if (len == scratch.length) {
            scratch = ArrayUtil.grow(scratch, len + 1L);
          }
          scratch[len++] = ((long) r << 32) | (p - off[t]);
        }
      }
      if (len == 0) {
        continue;
      }
      Arrays.sort(scratch, 0, len);
      rStart[nR] = pos;
      for (int k = 0; k < len; k++) {
        rItems[pos] = (int) (scratch[k] >>> 32);
        rUtils[pos] = dbUtils[off[t] + (int) scratch[k]];
        pos++;
      }
      rEnd[nR] = pos;
      nR++;
    }
    items = rItems;
    utils = rUtils;
    int[] idx = new int[nR];
    for (int i = 0; i < nR; i++) {
      idx[i] = i;
    }
    sortTransactions(idx, rStart, rEnd, nPromising);
    // depth 0: the sorted revised database, identical transactions merged
    ensureDepth(0, nR);
    int[] s0 = tStart[0];
    int[] e0 = tEnd[0];
    long[] c0 = tCount[0];
    int m = 0;
    for (int k = 0; k < nR; k++) {
      int s = rStart[idx[k]];
      int e = rEnd[idx[k]];
      if (m > 0 && sameItems(s0[m - 1], e0[m - 1], s, e)) {
        for (int p = s, q = s0[m - 1]; p < e; p++, q++) {
          utils[q] += utils[p]; // both in the revised database, which this pass owns
        }
        c0[m - 1]++;
      } else {
        s0[m] = s;
        e0[m] = e;
        c0[m] = 1;
        m++;
      }
    }
    tSize[0] = m;
    Arrays.fill(tPrefix[0], 0, m, 0L);
    top = pos;
    su = new long[nPromising];
    lu = new long[nPromising];
    mark = new int[nPromising];
    prefix = new int[nPromising];
    posInPrimary = new int[nPromising];
    outItems = new int[nPromising];
    // 3. su and lu of the empty itemset's extensions
    for (int t = 0; t < m; t++) {
      long tu = 0;
      for (int p = s0[t]; p < e0[t]; p++) {
        tu += utils[p];
      }
      long rem = 0;
      for (int p = e0[t] - 1; p >= s0[t]; p--) {
        rem += utils[p];
        su[items[p]] += rem;
        lu[items[p]] += tu;
      }
    }
    int[] prim = lists(primary, 0, nPromising);
    int[] sec = lists(secondary, 0, nPromising);
    int nPrim = 0;
    int nSec = 0;
    for (int z = 0; z < nPromising; z++) {
      if (lu[z] >= minUtil) {
        sec[nSec++] = z;
        if (su[z] >= minUtil) {
          prim[nPrim++] = z;
        }
      }
    }
    search(0, nPrim, nSec);
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
    final int n = tSize[d];
    final boolean deeper = d + 1 < maxLen;
    if (deeper) {
      ensureDepth(d + 1, n);
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
      final int savedTop = top;
      final int ownFrom = top; // projected transactions starting here or later are copies
      final int[] pS = tStart[d];
      final int[] pE = tEnd[d];
      final long[] pP = tPrefix[d];
      final long[] pC = tCount[d];
      int[] cS = deeper ? tStart[d + 1] : null;
      int[] cE = deeper ? tEnd[d + 1] : null;
      long[] cP = deeper ? tPrefix[d + 1] : null;
      long[] cC = deeper ? tCount[d + 1] : null;
      long uBeta = 0;
      long cBeta = 0;
      int m = 0;
      // only the transactions holding e, from its occurrence list (in database order)
      final int from = oS[j];
      final int to = oS[j + 1];
      for (int k = from; k < to; k++) {
        final int t = oT[k];
        final int en = pE[t];
        final int p = oP[k];
        final long pu = pP[t] + utils[p];
        uBeta += pu;
        cBeta += pC[t];
        if (!deeper || p + 1 == en) {
          continue;
        }
        final int ns = p + 1;
        if (m > 0 && sameItems(cS[m - 1], cE[m - 1], ns, en)) {
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
      prefix[d] = e;
      if (uBeta >= minUtil) {
        for (int k = 0; k <= d; k++) {
          outItems[k] = original[prefix[k]];
        }
        sink.accept(outItems, d + 1, uBeta, cBeta);
      }
      if (deeper && m > 0 && secFrom < nSec) {
        tSize[d + 1] = m;
        if (bounds(d, m, sec, secFrom, nSec) > 0) {
          search(d + 1, nextPrim, nextSec);
        }
      }
      top = savedTop;
    }
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

  private int nextPrim;
  private int nextSec;

  /**
   * Fast Utility Counting: su(β, z) and lu(β, z) for z in {@code sec[from, to)} over β-D (the
   * transactions of depth {@code d + 1}); fills Primary(β) and Secondary(β) and returns the size of
   * Primary(β).
   */
  private int bounds(int d, int m, int[] sec, int from, int to) {
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
    final int[] cS = tStart[d + 1];
    final int[] cE = tEnd[d + 1];
    final long[] cP = tPrefix[d + 1];
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
    int[] prim = lists(primary, d + 1, to - from);
    int[] nsec = lists(secondary, d + 1, to - from);
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

  private void ensurePool(long size) {
    if (size > items.length) {
      items = ArrayUtil.grow(items, size);
      utils = ArrayUtil.grow(utils, size);
    }
  }

  private boolean sameItems(int s1, int e1, int s2, int e2) {
    if (e1 - s1 != e2 - s2) {
      return false;
    }
    final int[] it = items;
    for (int a = s1, b = s2; a < e1; a++, b++) {
      if (it[a] != it[b]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sorts {@code idx} by the order ≻_T of the transactions' items (from the last item). Each
   * transaction gets a 64-bit key: its last items, from the last one, {@code bits} bits each
   * ({@code rank + 1}, so a transaction that runs out first is smaller), as many as fit; the keys
   * are sorted with their indices by a primitive merge sort, and only runs of equal keys of
   * transactions longer than a key holds are ordered by the full comparison.
   */
  private void sortTransactions(int[] idx, int[] start, int[] end, int nRanks) {
    final int n = idx.length;
    final int bits = 64 - Long.numberOfLeadingZeros(nRanks); // ranks + 1 in [1, nRanks]
    final int per = Math.max(1, 63 / bits);
    final int[] it = items;
    long[] keys = new long[n];
    for (int k = 0; k < n; k++) {
      int t = idx[k];
      long key = 0;
      int p = end[t] - 1;
      for (int q = 0; q < per; q++, p--) {
        key = (key << bits) | (p >= start[t] ? it[p] + 1L : 0L);
      }
      keys[k] = key;
    }
    sortPairs(keys, idx, new long[n], new int[n], 0, n);
    int[] tmp = new int[n];
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && keys[to] == keys[from]) {
        to++;
      }
      if (to - from > 1 && end[idx[from]] - start[idx[from]] >= per) {
        mergeSort(idx, tmp, from, to, start, end);
      }
      from = to;
    }
  }

  private void mergeSort(int[] a, int[] tmp, int from, int to, int[] start, int[] end) {
    if (to - from < 16) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= from && compareT(a[j], v, start, end) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, start, end);
    mergeSort(a, tmp, mid, to, start, end);
    if (compareT(a[mid - 1], a[mid], start, end) <= 0) {
      return;
    }
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && compareT(tmp[i], tmp[j], start, end) <= 0)) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }

  /** Lexicographic on the items read backwards; a transaction that runs out first is smaller. */
  private int compareT(int x, int y, int[] start, int[] end) {
    int p = end[x] - 1;
    int q = end[y] - 1;
    final int[] it = items;
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
