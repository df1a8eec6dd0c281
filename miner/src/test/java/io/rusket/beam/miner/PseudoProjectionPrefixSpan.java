package io.rusket.beam.miner;

import java.util.Arrays;

/**
 * The pseudo-projection PrefixSpan that {@link SequenceMiner} used before its vertical bitmaps,
 * kept verbatim (single-threaded) as an oracle of the exact output order: the new miner must
 * deliver the same patterns, counts and order.
 */
final class PseudoProjectionPrefixSpan {
  private PseudoProjectionPrefixSpan() {}

  /** Mines {@code db} as the former {@code SequenceMiner.mine(db, sink)} did, on one thread. */
  static void mine(SequenceDb db, long threshold, int limit, int gap, SequenceSink sink) {
    if (db.size() == 0 || threshold > db.size()) {
      return;
    }
    Flat flat = new Flat(db, (int) threshold, gap > 0);
    Worker w = new Worker(flat, (int) threshold, limit, gap);
    for (int t = 0; t < flat.nFrequent; t++) {
      w.mine(t, sink::accept);
    }
  }

  /**
   * The database recoded for mining. Invariants: <b>F1</b> sequence {@code s} holds tokens {@code
   * tok[start[s], start[s+1])}, each step its frequent ranks ascending then {@link
   * SequenceSink#STEP_END}; without maxGap steps left empty are dropped, with it they stay (a lone
   * separator) so step distances are kept. <b>F2</b> {@code stepNo[q]} (maxGap only) is the step
   * index within its sequence of token q. <b>F3</b> rank r occurs at positions {@code
   * occPos[occStart[r], occStart[r+1])} of sequences {@code occSeq[...]}, ascending.
   */
  static final class Flat {
    final int nFrequent;
    final int[] rankToId;
    final int[] rankCount;
    final int[] start;
    final int[] tok;
    final int[] stepNo;
    final int[] occStart;
    final int[] occSeq;
    final int[] occPos;

    Flat(SequenceDb db, int minCount, boolean keepSteps) {
      final int n = db.size();
      final int[] seqStart = db.seqStartArray();
      final int[] stepStart = db.stepStartArray();
      final int[] items = db.itemsArray();
      final int nItems = db.nItems();
      int[] counts = new int[nItems];
      int[] seen = new int[nItems];
      for (int s = 0; s < n; s++) {
        for (int k = stepStart[seqStart[s]]; k < stepStart[seqStart[s + 1]]; k++) {
          int it = items[k];
          if (seen[it] != s + 1) {
            seen[it] = s + 1;
            counts[it]++;
          }
        }
      }
      int f = 0;
      for (int c : counts) {
        if (c >= minCount) {
          f++;
        }
      }
      long[] keys = new long[f];
      int w = 0;
      for (int id = 0; id < nItems; id++) {
        if (counts[id] >= minCount) {
          keys[w++] = ((long) (Integer.MAX_VALUE - counts[id]) << 32) | id;
        }
      }
      Arrays.sort(keys);
      nFrequent = f;
      rankToId = new int[f];
      rankCount = new int[f];
      int[] idToRank = seen; // reuse
      Arrays.fill(idToRank, -1);
      for (int r = 0; r < f; r++) {
        int id = (int) keys[r];
        rankToId[r] = id;
        rankCount[r] = counts[id];
        idToRank[id] = r;
      }
      // Tokens: at most one per occurrence plus one per step.
      long maxTokens = (long) items.length + db.nSteps();
      if (maxTokens > ArrayUtil.MAX_ARRAY_LENGTH) {
        throw new IllegalStateException(
            "Sequence database of " + maxTokens + " tokens exceeds one array");
      }
      int[] t = new int[(int) maxTokens];
      int[] sn = keepSteps ? new int[(int) maxTokens] : null;
      start = new int[n + 1];
      int[] occCount = new int[f + 1];
      int q = 0;
      for (int s = 0; s < n; s++) {
        start[s] = q;
        int stepIdx = 0;
        for (int g = seqStart[s]; g < seqStart[s + 1]; g++) {
          int from = q;
          for (int k = stepStart[g]; k < stepStart[g + 1]; k++) {
            int r = idToRank[items[k]];
            if (r >= 0) {
              t[q++] = r;
            }
          }
          if (q == from && !keepSteps) {
            continue;
          }
          Arrays.sort(t, from, q);
          for (int k = from; k < q; k++) {
            occCount[t[k] + 1]++;
          }
          t[q++] = SequenceSink.STEP_END;
          if (keepSteps) {
            for (int k = from; k < q; k++) {
              sn[k] = stepIdx;
            }
          }
          stepIdx++;
        }
      }
      start[n] = q;
      tok = Arrays.copyOf(t, q);
      stepNo = keepSteps ? Arrays.copyOf(sn, q) : null;
      for (int r = 0; r < f; r++) {
        occCount[r + 1] += occCount[r];
      }
      occStart = occCount;
      int total = occStart[f];
      occSeq = new int[total];
      occPos = new int[total];
      int[] fill = Arrays.copyOf(occStart, f);
      for (int s = 0; s < n; s++) {
        for (int p = start[s]; p < start[s + 1]; p++) {
          int r = tok[p];
          if (r >= 0) {
            int e = fill[r]++;
            occSeq[e] = s;
            occPos[e] = p;
          }
        }
      }
    }
  }

  /** One thread's depth-first search over the prefixes of its first-level tasks. */
  static final class Worker implements OrderedTasks.Worker {
    private final Flat db;
    private final int minCount;
    private final int maxLen;
    private final int maxGap; // 0: none
    private final int[] tok;
    private final int[] start;
    private final int[] stepNo;

    // Counting scratch, shared by all depths (reset after each node's count).
    private final int[] iCount;
    private final int[] sCount;
    private final int[] iSeen;
    private final int[] sSeen;
    private int[] touchedI = new int[16];
    private int[] touchedS = new int[16];

    // Per depth: the projected pairs and the frequent extensions (items then counts).
    private int[][] entSeq = new int[8][];
    private int[][] entPos = new int[8][];
    private int[][] extI = new int[8][];
    private int[][] extS = new int[8][];

    // The current prefix, as rank tokens, and the output buffer of item ids.
    private int[] prefix = new int[32];
    private int[] out = new int[32];

    private ItemsetSink sink;
    private long emitted;

    Worker(Flat db, int minCount, int maxLen, int maxGap) {
      this.db = db;
      this.minCount = minCount;
      this.maxLen = maxLen;
      this.maxGap = maxGap;
      this.tok = db.tok;
      this.start = db.start;
      this.stepNo = db.stepNo;
      int f = db.nFrequent;
      iCount = new int[f];
      sCount = new int[f];
      iSeen = new int[f];
      sSeen = new int[f];
    }

    @Override
    public long mine(int task, ItemsetSink sink) {
      this.sink = sink;
      this.emitted = 0;
      int from = db.occStart[task];
      int to = db.occStart[task + 1];
      int n = to - from;
      ensureLevel(0, n);
      System.arraycopy(db.occSeq, from, entSeq[0], 0, n);
      System.arraycopy(db.occPos, from, entPos[0], 0, n);
      prefix[0] = task;
      emit(1, db.rankCount[task]);
      if (maxLen > 1) {
        grow(0, n, 1, 1);
      }
      this.sink = null;
      return emitted;
    }

    @Override
    public long ramBytesUsed() {
      long b =
          RamUsage.OBJECT_HEADER
              + 4L * RamUsage.sizeOf(iCount)
              + RamUsage.sizeOf(touchedI)
              + RamUsage.sizeOf(touchedS)
              + RamUsage.sizeOf(prefix)
              + RamUsage.sizeOf(out);
      for (int d = 0; d < entSeq.length; d++) {
        b += sizeOrZero(entSeq[d]) + sizeOrZero(entPos[d]) + sizeOrZero(extI[d]);
        b += sizeOrZero(extS[d]);
      }
      return b;
    }

    private static long sizeOrZero(int[] a) {
      return a == null ? 0 : RamUsage.sizeOf(a);
    }

    private void ensureLevel(int d, int n) {
      if (d >= entSeq.length) {
        int len = ArrayUtil.grow(entSeq.length, d + 1L);
        entSeq = Arrays.copyOf(entSeq, len);
        entPos = Arrays.copyOf(entPos, len);
        extI = Arrays.copyOf(extI, len);
        extS = Arrays.copyOf(extS, len);
      }
      if (entSeq[d] == null || entSeq[d].length < n) {
        int len = ArrayUtil.grow(entSeq[d] == null ? 0 : entSeq[d].length, n);
        entSeq[d] = new int[len];
        entPos[d] = new int[len];
      }
    }

    /**
     * Grows the prefix {@code prefix[0, plen)} of {@code items} items whose projected pairs are
     * level {@code d}'s first {@code n}; {@code nItems < maxLen}.
     */
    private void grow(int d, int n, int plen, int items) {
      final int[] es = entSeq[d];
      final int[] ep = entPos[d];
      final int[] tk = tok;
      int nTouchedI = 0;
      int nTouchedS = 0;
      // Count: one pass over the pairs, a sequence's pairs being contiguous and ascending.
      int e = 0;
      while (e < n) {
        final int s = es[e];
        final int mark = s + 1;
        final int seqEnd = start[s + 1];
        int scanned = -1; // s-extension tokens before this are counted (maxGap)
        boolean sDone = false;
        for (; e < n && es[e] == s; e++) {
          int p = ep[e] + 1;
          for (int x; (x = tk[p]) != SequenceSink.STEP_END; p++) {
            if (iSeen[x] != mark) {
              iSeen[x] = mark;
              if (iCount[x]++ == 0) {
                touchedI = ArrayUtil.grow(touchedI, nTouchedI + 1L);
                touchedI[nTouchedI++] = x;
              }
            }
          }
          p++; // first token of the next step
          int end;
          if (maxGap == 0) {
            if (sDone) {
              continue;
            }
            sDone = true;
            end = seqEnd;
          } else {
            int last = stepNo[ep[e]] + maxGap;
            if (p < scanned) {
              p = scanned;
            }
            end = p;
            while (end < seqEnd && stepNo[end] <= last) {
              end++;
            }
            scanned = end;
          }
          for (; p < end; p++) {
            int x = tk[p];
            if (x >= 0 && sSeen[x] != mark) {
              sSeen[x] = mark;
              if (sCount[x]++ == 0) {
                touchedS = ArrayUtil.grow(touchedS, nTouchedS + 1L);
                touchedS[nTouchedS++] = x;
              }
            }
          }
        }
      }
      int nI = collect(touchedI, nTouchedI, iCount, iSeen, d, true);
      int nS = collect(touchedS, nTouchedS, sCount, sSeen, d, false);
      final boolean deeper = items + 1 < maxLen;
      // i-extensions: the item joins the prefix's last step.
      for (int k = 0; k < nI; k++) {
        final int x = extI[d][2 * k];
        ensurePrefix(plen + 1);
        prefix[plen] = x;
        emit(plen + 1, extI[d][2 * k + 1]);
        if (deeper) {
          int m = projectI(d, n, x);
          grow(d + 1, m, plen + 1, items + 1);
        }
      }
      // s-extensions: the item starts a new step.
      for (int k = 0; k < nS; k++) {
        final int x = extS[d][2 * k];
        ensurePrefix(plen + 2);
        prefix[plen] = SequenceSink.STEP_END;
        prefix[plen + 1] = x;
        emit(plen + 2, extS[d][2 * k + 1]);
        if (deeper) {
          int m = projectS(d, n, x);
          grow(d + 1, m, plen + 2, items + 1);
        }
      }
    }

    /**
     * Moves the frequent touched items (ascending, with counts) into level {@code d}'s extension
     * list and clears the counters; returns their number.
     */
    private int collect(int[] touched, int nt, int[] count, int[] seen, int d, boolean i) {
      Arrays.sort(touched, 0, nt);
      int[] ext = i ? extI[d] : extS[d];
      if (ext == null || ext.length < 2 * nt) {
        ext = new int[ArrayUtil.grow(ext == null ? 0 : ext.length, 2L * nt)];
        if (i) {
          extI[d] = ext;
        } else {
          extS[d] = ext;
        }
      }
      int w = 0;
      for (int k = 0; k < nt; k++) {
        int x = touched[k];
        if (count[x] >= minCount) {
          ext[2 * w] = x;
          ext[2 * w + 1] = count[x];
          w++;
        }
        count[x] = 0;
        seen[x] = 0;
      }
      return w;
    }

    /** Level d+1 := the pairs of level d where x follows the matched item within its step. */
    private int projectI(int d, int n, int x) {
      ensureLevel(d + 1, n);
      final int[] es = entSeq[d];
      final int[] ep = entPos[d];
      final int[] os = entSeq[d + 1];
      final int[] op = entPos[d + 1];
      final int[] tk = tok;
      int m = 0;
      for (int e = 0; e < n; e++) {
        int p = ep[e] + 1;
        int y;
        while ((y = tk[p]) != SequenceSink.STEP_END && y < x) {
          p++;
        }
        if (y == x) {
          os[m] = es[e];
          op[m++] = p;
        }
      }
      return m;
    }

    /**
     * Level d+1 := every position of x in a later step (within maxGap) of level d's pairs, found by
     * walking x's occurrence list (F3) beside the pairs — both ascending by sequence — instead of
     * scanning the sequences' remaining tokens.
     */
    private int projectS(int d, int n, int x) {
      ensureLevel(d + 1, n);
      final int[] es = entSeq[d];
      final int[] ep = entPos[d];
      final int[] occSeq = db.occSeq;
      final int[] occPos = db.occPos;
      final int occEnd = db.occStart[x + 1];
      int j = db.occStart[x];
      int m = 0;
      int e = 0;
      while (e < n && j < occEnd) {
        final int s = es[e];
        int eEnd = e + 1;
        while (eEnd < n && es[eEnd] == s) {
          eEnd++;
        }
        while (j < occEnd && occSeq[j] < s) {
          j++;
        }
        if (maxGap == 0) {
          // after the step of the first pair
          final int stepNoFirst = stepEndOf(ep[e]);
          while (j < occEnd && occSeq[j] == s && occPos[j] <= stepNoFirst) {
            j++;
          }
          while (j < occEnd && occSeq[j] == s) {
            m = append(d + 1, m, s, occPos[j++]);
          }
        } else {
          // q is kept iff the latest pair in an earlier step is at most maxGap steps before it
          int k = e;
          while (j < occEnd && occSeq[j] == s) {
            final int q = occPos[j++];
            final int stepQ = stepNo[q];
            while (k + 1 < eEnd && stepNo[ep[k + 1]] < stepQ) {
              k++;
            }
            int stepK = stepNo[ep[k]];
            if (stepK < stepQ && stepQ - stepK <= maxGap) {
              m = append(d + 1, m, s, q);
            }
          }
        }
        e = eEnd;
      }
      return m;
    }

    /** The position of the separator ending the step of position p. */
    private int stepEndOf(int p) {
      final int[] tk = tok;
      while (tk[p] != SequenceSink.STEP_END) {
        p++;
      }
      return p;
    }

    private int append(int level, int m, int s, int q) {
      if (m == entSeq[level].length) {
        int len = ArrayUtil.grow(m, m + 1L);
        entSeq[level] = Arrays.copyOf(entSeq[level], len);
        entPos[level] = Arrays.copyOf(entPos[level], len);
      }
      entSeq[level][m] = s;
      entPos[level][m] = q;
      return m + 1;
    }

    private void ensurePrefix(int len) {
      prefix = ArrayUtil.grow(prefix, len);
    }

    /** Delivers prefix[0, plen) as item ids, each step's ids ascending. */
    private void emit(int plen, int count) {
      out = ArrayUtil.grow(out, plen);
      final int[] o = out;
      final int[] ids = db.rankToId;
      int stepFrom = 0;
      for (int k = 0; k <= plen; k++) {
        if (k == plen || prefix[k] == SequenceSink.STEP_END) {
          // insertion sort of o[stepFrom, k): steps are short
          for (int a = stepFrom + 1; a < k; a++) {
            int v = o[a];
            int b = a - 1;
            while (b >= stepFrom && o[b] > v) {
              o[b + 1] = o[b];
              b--;
            }
            o[b + 1] = v;
          }
          if (k < plen) {
            o[k] = SequenceSink.STEP_END;
          }
          stepFrom = k + 1;
        } else {
          o[k] = ids[prefix[k]];
        }
      }
      sink.accept(o, plen, count);
      emitted++;
    }
  }
}
