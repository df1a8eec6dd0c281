package io.rusket.beam.miner;

import java.util.Arrays;
import java.util.Objects;

/**
 * Mines frequent sequential patterns from a {@link SequenceDb} with PrefixSpan: every pattern — a
 * list of steps, each a set of items — contained in at least the threshold's number of sequences.
 *
 * <p>A sequence {@code <S1 S2 … Sm>} contains a pattern {@code <P1 P2 … Pk>} iff there are steps
 * {@code j1 < j2 < … < jk} with {@code Pi ⊆ S(ji)} for every i, and with {@link #withMaxGap(int)
 * maxGap} g also {@code j(i+1) - ji <= g} (g = 1: the pattern's steps are consecutive steps of the
 * sequence). A pattern's count is the number of sequences containing it, however many times; its
 * length is its number of items (Spark MLlib's {@code maxPatternLength} counts the same way).
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * SequenceDb db = SequenceDb.fromStringSequences(List.of(
 *     List.of(List.of("a"), List.of("a", "b", "c"), List.of("a", "c")),
 *     List.of(List.of("a", "d"), List.of("c"), List.of("b", "c"))));
 * SequencePatterns p = SequenceMiner.minSupport(0.5).withMaxPatternLength(5).mine(db);
 * for (int i = 0; i < p.size(); i++) {
 *   System.out.println(Arrays.deepToString(p.names(i)) + " " + p.count(i));  // [[a], [c]] 2 ...
 * }
 * }</pre>
 *
 * <p><b>Support.</b> {@code support = count / N}, N the number of sequences; a pattern is frequent
 * iff {@code support >= minSupport}, with the integer threshold {@code ceil(minSupport × N)}
 * computed exactly in decimal as {@link ItemsetMiner#thresholdCount(double, long)} does (Spark
 * MLlib computes the same ceiling in floating point, which can be one higher: 0.07 × 100 gives 8
 * there, 7 here; rusket's Python PrefixSpan floors). An absolute {@link #minCount(long)} may be
 * given instead.
 *
 * <p><b>Algorithm.</b> J. Pei, J. Han, B. Mortazavi-Asl, H. Pinto, Q. Chen, U. Dayal, M.-C. Hsu,
 * "PrefixSpan: Mining Sequential Patterns Efficiently by Prefix-Projected Pattern Growth", ICDE
 * 2001, with pseudo-projection: items are recoded to dense ranks by descending frequency (the
 * infrequent ones dropped) into one flat token array, each step ended by a separator; a projected
 * database is a list of (sequence, position) pairs — every position where the prefix's last item
 * can be matched — and no suffix is ever copied. From such a list both extensions are counted in
 * one scan: i-extensions (an item joining the prefix's last step: the items after a matched
 * position within its step) and s-extensions (an item in a later step, within maxGap steps of a
 * matched position when maxGap is set). Keeping every matched position (not only the first) makes
 * i-extensions and gap constraints exact.
 *
 * <p><b>Threads.</b> The first-level prefixes (one per frequent item) are mined in parallel on
 * {@link #withThreads(int) threads} threads (default: all cores); patterns are delivered from the
 * calling thread in the order of a single-threaded run, so results are identical.
 *
 * <p><b>Memory.</b> The recoded database (4 bytes per frequent item occurrence and per step, 4 more
 * per token with maxGap), an index of every item's occurrences (8 bytes per occurrence) and, per
 * thread and depth, the projected (sequence, position) pairs of the current prefix.
 */
public final class SequenceMiner {
  private final double minSupport; // NaN when minCount is given
  private final long minCount; // -1 when minSupport is given
  private final Integer maxPatternLength; // null: unlimited
  private final Integer maxGap; // null: unlimited
  private final int threads;

  private SequenceMiner(
      double minSupport, long minCount, Integer maxPatternLength, Integer maxGap, int threads) {
    this.minSupport = minSupport;
    this.minCount = minCount;
    this.maxPatternLength = maxPatternLength;
    this.maxGap = maxGap;
    this.threads = threads;
  }

  /**
   * A miner with a relative threshold: frequent iff {@code count / N >= minSupport}.
   *
   * @throws IllegalArgumentException if {@code minSupport} is not in (0, 1]
   */
  public static SequenceMiner minSupport(double minSupport) {
    ItemsetMiner.checkMinSupport(minSupport);
    return new SequenceMiner(
        minSupport, -1, null, null, Runtime.getRuntime().availableProcessors());
  }

  /**
   * A miner with an absolute threshold: frequent iff {@code count >= minCount}.
   *
   * @throws IllegalArgumentException if {@code minCount} is not in [1, 2^31-1]
   */
  public static SequenceMiner minCount(long minCount) {
    if (minCount < 1 || minCount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Invalid minCount: " + minCount + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return new SequenceMiner(
        Double.NaN, minCount, null, null, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Only patterns of at most {@code maxPatternLength} items (counted over all steps).
   *
   * @throws IllegalArgumentException if {@code maxPatternLength < 1}
   */
  public SequenceMiner withMaxPatternLength(int maxPatternLength) {
    if (maxPatternLength < 1) {
      throw new IllegalArgumentException(
          "Invalid maxPatternLength: "
              + maxPatternLength
              + ". Valid range is [1, "
              + Integer.MAX_VALUE
              + "].");
    }
    return new SequenceMiner(minSupport, minCount, maxPatternLength, maxGap, threads);
  }

  /** Patterns of any length (the default). */
  public SequenceMiner withoutMaxPatternLength() {
    return new SequenceMiner(minSupport, minCount, null, maxGap, threads);
  }

  /**
   * Consecutive steps of a pattern must match steps of the sequence at most {@code maxGap} steps
   * apart (1: adjacent steps).
   *
   * @throws IllegalArgumentException if {@code maxGap < 1}
   */
  public SequenceMiner withMaxGap(int maxGap) {
    if (maxGap < 1) {
      throw new IllegalArgumentException(
          "Invalid maxGap: " + maxGap + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return new SequenceMiner(minSupport, minCount, maxPatternLength, maxGap, threads);
  }

  /** No gap constraint (the default). */
  public SequenceMiner withoutMaxGap() {
    return new SequenceMiner(minSupport, minCount, maxPatternLength, null, threads);
  }

  /**
   * Number of mining threads; 1 mines on the calling thread.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public SequenceMiner withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "Invalid threads: " + threads + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return new SequenceMiner(minSupport, minCount, maxPatternLength, maxGap, threads);
  }

  /** The relative threshold, or NaN when an absolute one was given. */
  public double getMinSupport() {
    return minSupport;
  }

  /** The absolute threshold given, or -1 when a relative one was. */
  public long getMinCount() {
    return minCount;
  }

  /** The maximum pattern length in items, or null. */
  public Integer getMaxPatternLength() {
    return maxPatternLength;
  }

  /** The maximum gap in steps, or null. */
  public Integer getMaxGap() {
    return maxGap;
  }

  /** Number of mining threads. */
  public int getThreads() {
    return threads;
  }

  /** The absolute threshold this miner applies to a database of {@code n} sequences. */
  public long minCountFor(long n) {
    return minCount >= 1 ? minCount : ItemsetMiner.thresholdCount(minSupport, n);
  }

  /** Mines {@code db} and collects every frequent pattern. */
  public SequencePatterns mine(SequenceDb db) {
    SequencePatterns.Collector c = SequencePatterns.collector(db.size(), db.itemNames());
    mine(db, c);
    return c.build();
  }

  /**
   * Mines {@code db}, delivering every frequent pattern to {@code sink} from the calling thread.
   *
   * @return the number of patterns delivered
   */
  public long mine(SequenceDb db, SequenceSink sink) {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(sink, "sink");
    long threshold = minCountFor(db.size());
    if (db.size() == 0 || threshold > db.size()) {
      return 0;
    }
    Flat flat = new Flat(db, (int) threshold, maxGap != null);
    if (flat.nFrequent == 0) {
      return 0;
    }
    int limit = maxPatternLength == null ? Integer.MAX_VALUE : maxPatternLength;
    int gap = maxGap == null ? 0 : maxGap;
    ItemsetSink out = sink::accept;
    return OrderedTasks.run(
            flat.nFrequent, threads, () -> new Worker(flat, (int) threshold, limit, gap), out)
        .itemsets;
  }

  /** Rank words per sequence up to which {@link Flat} keeps presence bitmaps (1,024 ranks). */
  static final int PRESENCE_MAX_WORDS = 16;

  /**
   * The database recoded for mining, vertically per sequence. Items are ranks (dense, by
   * descending count, ties by id; infrequent items dropped). Invariants: <b>F0</b> sequences are
   * renumbered (the output does not depend on their numbers): the {@code nShort} whose bitmaps fit
   * one word first, each group in input order. <b>F1</b> sequence {@code s} holds its distinct
   * ranks ascending in {@code item[itemFrom[s], itemFrom[s+1])}. <b>F2</b> the steps of s are
   * numbered from 0 — without maxGap only the steps holding a frequent item, with it every step (so
   * that step distances are kept) — and {@code words[s] = max(1, ceil(steps/64))}. <b>F3</b> the
   * step bitmap of the item at k (bit t set iff step t holds it): with one word {@code data[k + (s
   * + 1) × pw]}; with more, {@code words[s]} words from {@code longBits[bitFrom[s] + (k -
   * itemFrom[s]) × words[s]]}, little-endian. <b>F4</b> rank r is held by the sequences {@code
   * vSeq[vStart[r], vStart[r+1])} ascending, at item index {@code vIdx[...]}. <b>F5</b> presence:
   * when {@code rankWords = ceil(nFrequent/64) <= }{@value #PRESENCE_MAX_WORDS}, {@code pw =
   * rankWords} (else 0) words at {@code data[itemFrom[s] + s × pw]} just before the sequence's
   * bitmaps, bit r set iff s holds rank r; so s's block of {@code data} is its presence words then
   * its items' bitmaps, and rank r of s is item {@code bitCount} of the presence bits below r.
   */
  static final class Flat {
    final int nFrequent;
    final int[] rankToId;
    final int[] rankCount;
    final int n;
    final int[] itemFrom;
    final int[] item;
    final long[] data;
    final int[] words;
    final int[] bitFrom;
    final long[] longBits;
    final int maxWords;
    final int[] vStart;
    final int[] vSeq;
    final int[] vIdx;
    final int rankWords;
    final int pw;
    final int nShort;

    Flat(SequenceDb db, int minCount, boolean keepSteps) {
      n = db.size();
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
      rankWords = Math.max(1, (f + 63) >>> 6);
      pw = rankWords <= PRESENCE_MAX_WORDS ? rankWords : 0;
      // Step counts (F2), and the sequences renumbered: those of one bitmap word first (F0).
      int[] wsOf = new int[n]; // by original index
      int[] order = new int[n]; // new index -> original

      int ns = 0;
      for (int o = 0; o < n; o++) {
        int nSteps = 0;
        for (int g = seqStart[o]; g < seqStart[o + 1]; g++) {
          if (keepSteps) {
            nSteps++;
            continue;
          }
          for (int k = stepStart[g]; k < stepStart[g + 1]; k++) {
            if (idToRank[items[k]] >= 0) {
              nSteps++;
              break;
            }
          }
        }
        int ws = Math.max(1, (nSteps + 63) >>> 6);
        wsOf[o] = ws;
        if (ws == 1) {
          order[ns++] = o;
        }
      }
      nShort = ns;
      int maxW = 1;
      for (int o = 0, w2 = ns; o < n; o++) {
        if (wsOf[o] > 1) {
          order[w2++] = o;
          maxW = Math.max(maxW, wsOf[o]);
        }
      }
      maxWords = maxW;
      words = new int[n];
      // Per sequence: its distinct ranks (at most one per occurrence) and their step bitmaps.
      itemFrom = new int[n + 1];
      int[] it = new int[items.length];
      long[] dt = new long[Math.addExact(items.length, Math.multiplyExact(n, pw))];
      bitFrom = new int[n];
      long[] lb = new long[0];
      int nLong = 0;
      int[] slot = new int[f]; // rank -> local index + 1 in the current sequence
      int[] local = new int[16];
      long[] localBits = new long[16];
      int q = 0;
      for (int s = 0; s < n; s++) {
        final int o = order[s];
        itemFrom[s] = q;
        final int ws = wsOf[o];
        words[s] = ws;
        int nl = 0;
        int step = 0;
        for (int g = seqStart[o]; g < seqStart[o + 1]; g++) {
          boolean any = false;
          for (int k = stepStart[g]; k < stepStart[g + 1]; k++) {
            int r = idToRank[items[k]];
            if (r < 0) {
              continue;
            }
            any = true;
            int l = slot[r] - 1;
            if (l < 0) {
              l = nl++;
              slot[r] = l + 1;
              local = ArrayUtil.grow(local, nl);
              localBits = ArrayUtil.grow(localBits, (long) nl * ws);
              Arrays.fill(localBits, l * ws, nl * ws, 0L);
              local[l] = r;
            }
            localBits[l * ws + (step >>> 6)] |= 1L << step;
          }
          if (any || keepSteps) {
            step++;
          }
        }
        // the ranks ascending, each with its bitmap
        Arrays.sort(local, 0, nl);
        if (ws > 1) {
          bitFrom[s] = nLong;
          lb = ArrayUtil.grow(lb, (long) nLong + (long) nl * ws);
        }
        final int dBase = q + s * pw; // F5: presence words, then one word per item
        for (int k = 0; k < nl; k++) {
          int r = local[k];
          int l = slot[r] - 1;
          slot[r] = 0;
          it[q + k] = r;
          if (pw > 0) {
            dt[dBase + (r >>> 6)] |= 1L << r;
          }
          if (ws == 1) {
            dt[dBase + pw + k] = localBits[l];
          } else {
            System.arraycopy(localBits, l * ws, lb, nLong, ws);
            nLong += ws;
          }
        }
        q += nl;
      }
      itemFrom[n] = q;
      item = Arrays.copyOf(it, q);
      data = Arrays.copyOf(dt, q + n * pw);
      longBits = Arrays.copyOf(lb, nLong);
      vStart = new int[f + 1];
      for (int r = 0; r < f; r++) {
        vStart[r + 1] = vStart[r] + rankCount[r];
      }
      vSeq = new int[q];
      vIdx = new int[q];
      int[] fill = Arrays.copyOf(vStart, f);
      for (int s = 0; s < n; s++) {
        for (int k = itemFrom[s]; k < itemFrom[s + 1]; k++) {
          int e = fill[item[k]]++;
          vSeq[e] = s;
          vIdx[e] = k;
        }
      }
    }

    long ramBytesUsed() {
      return RamUsage.OBJECT_HEADER
          + RamUsage.sizeOf(rankToId)
          + RamUsage.sizeOf(rankCount)
          + RamUsage.sizeOf(itemFrom)
          + RamUsage.sizeOf(item)
          + RamUsage.sizeOf(data)
          + RamUsage.sizeOf(words)
          + RamUsage.sizeOf(bitFrom)
          + RamUsage.sizeOf(longBits)
          + RamUsage.sizeOf(vStart)
          + RamUsage.sizeOf(vSeq)
          + RamUsage.sizeOf(vIdx);
    }
  }

  /**
   * One thread's depth-first search over the prefixes of its first-level tasks. A prefix is held as
   * its list of (sequence, end bitmap) pairs, ascending by sequence: the sequences containing it,
   * each with the set of steps where an embedding of the prefix can end ({@code words[s]} words;
   * never empty). Its extensions are counted only over candidates (rank bitmaps): an item can
   * extend a prefix only if it extends the prefix's parent (see {@link #grow}).
   */
  static final class Worker implements OrderedTasks.Worker {
    private final Flat db;
    private final int minCount;
    private final int maxLen;
    private final int maxGap; // 0: none
    private final boolean gapInWord; // 1 <= maxGap < 63: the one-word mask needs the gap
    private final int[] itemFrom;
    private final int[] item;
    private final long[] data;
    private final int[] words;
    private final int[] bitFrom;
    private final long[] longBits;
    private final int rw; // rank words
    private final int pw; // presence words per sequence, 0: none (F5)
    private final int nShort; // sequences below: one bitmap word (F0)

    // Counting scratch, shared by all depths (reset after each node's count).
    private final int[] iCount;
    private final int[] sCount;
    private final int[] touchedI;
    private final int[] touchedS;
    private final long[] mask; // multi-word s-extension mask

    // Per depth: the prefix's pairs (sequences; end words), its candidate extensions (rank
    // bitmaps, filled by the caller) and its frequent extensions (items then counts; bitmaps).
    private int[][] lSeq = new int[8][];
    private long[][] lEnd = new long[8][];
    private long[][] candI = new long[8][];
    private long[][] candS = new long[8][];
    private int[][] extI = new int[8][];
    private int[][] extS = new int[8][];
    private long[][] freqI = new long[8][];
    private long[][] freqS = new long[8][];
    private final long[] all; // every rank

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
      this.gapInWord = maxGap > 0 && maxGap < 63;
      this.itemFrom = db.itemFrom;
      this.item = db.item;
      this.data = db.data;
      this.words = db.words;
      this.bitFrom = db.bitFrom;
      this.longBits = db.longBits;
      this.rw = db.rankWords;
      this.pw = db.pw;
      this.nShort = db.nShort;
      int f = db.nFrequent;
      iCount = new int[f];
      sCount = new int[f];
      touchedI = new int[f];
      touchedS = new int[f];
      mask = new long[db.maxWords];
      all = new long[rw];
      for (int r = 0; r < f; r++) {
        all[r >>> 6] |= 1L << r;
      }
    }

    @Override
    public long mine(int task, ItemsetSink sink) {
      this.sink = sink;
      this.emitted = 0;
      final int from = db.vStart[task];
      final int n = db.vStart[task + 1] - from;
      long nw = 0;
      for (int j = from; j < from + n; j++) {
        nw += words[db.vSeq[j]];
      }
      ensureLevel(0, n, nw);
      final int[] ls = lSeq[0];
      final long[] le = lEnd[0];
      int off = 0;
      for (int j = 0; j < n; j++) {
        final int s = db.vSeq[from + j];
        final int k = db.vIdx[from + j];
        final int ws = words[s];
        ls[j] = s;
        if (ws == 1) {
          le[off++] = data[k + (s + 1) * pw];
        } else {
          System.arraycopy(longBits, bitFrom[s] + (k - itemFrom[s]) * ws, le, off, ws);
          off += ws;
        }
      }
      prefix[0] = task;
      emit(1, db.rankCount[task]);
      if (maxLen > 1) {
        System.arraycopy(all, 0, candS[0], 0, rw);
        above(all, task, candI[0]);
        grow(0, n, off, 1, 1);
      }
      this.sink = null;
      return emitted;
    }

    /** dst := the ranks of src above x. */
    private void above(long[] src, int x, long[] dst) {
      final int wx = x >>> 6;
      for (int w = 0; w < rw; w++) {
        dst[w] = w < wx ? 0 : src[w];
      }
      dst[wx] &= -2L << x; // bits above x within its word (shift mod 64; x & 63 = 63 gives 0)
    }

    @Override
    public long ramBytesUsed() {
      long b =
          RamUsage.OBJECT_HEADER
              + 4L * RamUsage.sizeOf(iCount)
              + RamUsage.sizeOf(mask)
              + RamUsage.sizeOf(all)
              + RamUsage.sizeOf(prefix)
              + RamUsage.sizeOf(out);
      for (int d = 0; d < lSeq.length; d++) {
        b += sizeOrZero(lSeq[d]) + sizeOrZero(extI[d]) + sizeOrZero(extS[d]);
        b += sizeOrZero(lEnd[d]) + sizeOrZero(candI[d]) + sizeOrZero(candS[d]);
        b += sizeOrZero(freqI[d]) + sizeOrZero(freqS[d]);
      }
      return b;
    }

    private static long sizeOrZero(int[] a) {
      return a == null ? 0 : RamUsage.sizeOf(a);
    }

    private static long sizeOrZero(long[] a) {
      return a == null ? 0 : RamUsage.sizeOf(a);
    }

    private void ensureLevel(int d, int n, long nw) {
      if (d >= lSeq.length) {
        int len = ArrayUtil.grow(lSeq.length, d + 1L);
        lSeq = Arrays.copyOf(lSeq, len);
        lEnd = Arrays.copyOf(lEnd, len);
        candI = Arrays.copyOf(candI, len);
        candS = Arrays.copyOf(candS, len);
        extI = Arrays.copyOf(extI, len);
        extS = Arrays.copyOf(extS, len);
        freqI = Arrays.copyOf(freqI, len);
        freqS = Arrays.copyOf(freqS, len);
      }
      if (lSeq[d] == null || lSeq[d].length < n) {
        lSeq[d] = new int[ArrayUtil.grow(lSeq[d] == null ? 0 : lSeq[d].length, n)];
      }
      if (lEnd[d] == null || lEnd[d].length < nw) {
        lEnd[d] = new long[ArrayUtil.grow(lEnd[d] == null ? 0 : lEnd[d].length, nw)];
      }
      if (candI[d] == null) {
        candI[d] = new long[rw];
        candS[d] = new long[rw];
        freqI[d] = new long[rw];
        freqS[d] = new long[rw];
      }
    }

    /**
     * The one-word s-extension mask of an end bitmap: the steps after its first step, or with
     * maxGap g the steps 1..g after one of its steps.
     */
    private long sMask(long end) {
      if (!gapInWord) {
        long low = end & -end;
        return -(low << 1);
      }
      long acc = end << 1; // S(1)
      int span = 1;
      while (span * 2 <= maxGap) {
        acc |= acc << span; // S(2 span)
        span <<= 1;
      }
      if (span < maxGap) {
        acc |= acc << (maxGap - span); // shifts 0 .. maxGap-1 of end << 1
      }
      return acc;
    }

    /** The multi-word s-extension mask of {@code end[off, off+ws)} into {@link #mask}. */
    private void sMask(long[] end, int off, int ws) {
      final long[] m = mask;
      Arrays.fill(m, 0, ws, 0L);
      final int nBits = ws << 6;
      for (int w = 0; w < ws; w++) {
        long x = end[off + w];
        while (x != 0) {
          int t = (w << 6) + Long.numberOfTrailingZeros(x);
          x &= x - 1;
          int hi = maxGap == 0 ? nBits - 1 : (int) Math.min(nBits - 1L, (long) t + maxGap);
          setRange(m, t + 1, hi);
          if (maxGap == 0) {
            return;
          }
        }
      }
    }

    /** Sets bits [from, to] of m (nothing when from > to). */
    private static void setRange(long[] m, int from, int to) {
      if (from > to) {
        return;
      }
      int wf = from >>> 6;
      int wt = to >>> 6;
      long first = -1L << from; // shift is mod 64
      long last = -1L >>> (63 - (to & 63));
      if (wf == wt) {
        m[wf] |= first & last;
        return;
      }
      m[wf] |= first;
      for (int w = wf + 1; w < wt; w++) {
        m[w] = -1L;
      }
      m[wt] |= last;
    }

    /**
     * Grows the prefix P = {@code prefix[0, plen)} of {@code items} items whose pairs are level
     * {@code d}'s first {@code n} (with {@code nw} end words) and whose candidates are {@code
     * candI[d]}, {@code candS[d]}; {@code items < maxLen}.
     *
     * <p>Candidates of a child (apriori): with Q = P's parent, an i-extension y of P+i(x) is an
     * i-extension of Q (drop x), and of P+s(x) an s-extension of Q (drop x from (x y)), y above x
     * either way; an s-extension of a child is an s-extension of P (drop the child's new item) —
     * except, with maxGap, for an s-child, whose dropped step may be what keeps the gap: there every
     * item stays a candidate.
     */
    private void grow(int d, int n, int nw, int plen, int items) {
      final int[] ls = lSeq[d];
      final long[] le = lEnd[d];
      final long[] cI = candI[d];
      final long[] cS = candS[d];
      final int[] itm = item;
      final long[] dt = data;
      final int[] ic = iCount;
      final int[] sc = sCount;
      final int[] ti = touchedI;
      final int[] ts = touchedS;
      final int p = pw;
      int nTouchedI = 0;
      int nTouchedS = 0;
      int off = 0;
      for (int e = 0; e < n; e++) {
        final int s = ls[e];
        final int kFrom = itemFrom[s];
        if (s < nShort) {
          final long end = le[off++];
          final long sm = sMask(end);
          if (p > 0) {
            // presence words: only the candidates the sequence holds (F5)
            final int pb = kFrom + s * p;
            int bb = pb + p; // the bitmap of the word's first item
            for (int w = 0; w < p; w++) {
              final long pr = dt[pb + w];
              final long ci = cI[w];
              final long cs = cS[w];
              long c = pr & (ci | cs);
              while (c != 0) {
                final long bit = c & -c;
                c ^= bit;
                final long b = dt[bb + Long.bitCount(pr & (bit - 1))];
                if ((cs & bit) != 0 && (b & sm) != 0) {
                  final int y = (w << 6) + Long.numberOfTrailingZeros(bit);
                  if (sc[y]++ == 0) {
                    ts[nTouchedS++] = y;
                  }
                }
                if ((ci & bit) != 0 && (b & end) != 0) {
                  final int y = (w << 6) + Long.numberOfTrailingZeros(bit);
                  if (ic[y]++ == 0) {
                    ti[nTouchedI++] = y;
                  }
                }
              }
              bb += Long.bitCount(pr);
            }
          } else {
            final int kTo = itemFrom[s + 1];
            for (int k = kFrom; k < kTo; k++) {
              final int y = itm[k];
              final long b = dt[k];
              if ((b & sm) != 0 && has(cS, y) && sc[y]++ == 0) {
                ts[nTouchedS++] = y;
              }
              if ((b & end) != 0 && has(cI, y) && ic[y]++ == 0) {
                ti[nTouchedI++] = y;
              }
            }
          }
        } else {
          // several bitmap words
          final int ws = words[s];
          final int kTo = itemFrom[s + 1];
          sMask(le, off, ws);
          int bo = bitFrom[s];
          for (int k = kFrom; k < kTo; k++, bo += ws) {
            final int y = itm[k];
            if (has(cS, y) && intersects(longBits, bo, mask, 0, ws) && sc[y]++ == 0) {
              ts[nTouchedS++] = y;
            }
            if (has(cI, y) && intersects(longBits, bo, le, off, ws) && ic[y]++ == 0) {
              ti[nTouchedI++] = y;
            }
          }
          off += ws;
        }
      }
      final int nI = collect(ti, nTouchedI, ic, d, true);
      final int nS = collect(ts, nTouchedS, sc, d, false);
      final boolean deeper = items + 1 < maxLen;
      final long[] fI = freqI[d];
      final long[] fS = freqS[d];
      // i-extensions: the item joins the prefix's last step.
      for (int k = 0; k < nI; k++) {
        final int x = extI[d][2 * k];
        final int count = extI[d][2 * k + 1];
        ensurePrefix(plen + 1);
        prefix[plen] = x;
        emit(plen + 1, count);
        if (deeper) {
          int mw = project(d, n, nw, x, count, true);
          above(fI, x, candI[d + 1]);
          System.arraycopy(fS, 0, candS[d + 1], 0, rw);
          grow(d + 1, count, mw, plen + 1, items + 1);
        }
      }
      // s-extensions: the item starts a new step.
      for (int k = 0; k < nS; k++) {
        final int x = extS[d][2 * k];
        final int count = extS[d][2 * k + 1];
        ensurePrefix(plen + 2);
        prefix[plen] = SequenceSink.STEP_END;
        prefix[plen + 1] = x;
        emit(plen + 2, count);
        if (deeper) {
          int mw = project(d, n, nw, x, count, false);
          above(fS, x, candI[d + 1]);
          System.arraycopy(maxGap == 0 ? fS : all, 0, candS[d + 1], 0, rw);
          grow(d + 1, count, mw, plen + 2, items + 1);
        }
      }
    }

    private static boolean has(long[] set, int y) {
      return (set[y >>> 6] & (1L << y)) != 0;
    }

    private static boolean intersects(long[] a, int ao, long[] b, int bo, int ws) {
      for (int w = 0; w < ws; w++) {
        if ((a[ao + w] & b[bo + w]) != 0) {
          return true;
        }
      }
      return false;
    }

    /**
     * Moves the frequent touched items (ascending, with counts) into level {@code d}'s extension
     * list and bitmap and clears the counters; returns their number.
     */
    private int collect(int[] touched, int nt, int[] count, int d, boolean i) {
      int[] ext = i ? extI[d] : extS[d];
      if (ext == null || ext.length < 2 * nt) {
        ext = new int[ArrayUtil.grow(ext == null ? 0 : ext.length, 2L * nt)];
        if (i) {
          extI[d] = ext;
        } else {
          extS[d] = ext;
        }
      }
      final long[] freq = i ? freqI[d] : freqS[d];
      Arrays.fill(freq, 0L);
      int w = 0;
      for (int k = 0; k < nt; k++) {
        int x = touched[k];
        if (count[x] >= minCount) {
          touched[w++] = x;
        } else {
          count[x] = 0;
        }
      }
      Arrays.sort(touched, 0, w);
      for (int k = 0; k < w; k++) {
        int x = touched[k];
        ext[2 * k] = x;
        ext[2 * k + 1] = count[x];
        count[x] = 0;
        freq[x >>> 6] |= 1L << x;
      }
      return w;
    }

    /**
     * Level d+1 := the pairs of level d's {@code n} (of {@code nw} words) extended by x (an
     * i-extension: x in an end step; else an s-extension: x in a step the mask allows), of which
     * there are {@code count}; returns the words written.
     */
    private int project(int d, int n, int nw, int x, int count, boolean iExt) {
      ensureLevel(d + 1, count, nw);
      final int[] ls = lSeq[d];
      final long[] le = lEnd[d];
      final int[] os = lSeq[d + 1];
      final long[] oe = lEnd[d + 1];
      final int[] itm = item;
      final long[] dt = data;
      final int p = pw;
      final int xw = x >>> 6;
      final long xBit = 1L << x;
      int m = 0;
      int off = 0;
      int mw = 0;
      for (int e = 0; e < n && m < count; e++) {
        final int s = ls[e];
        final int kFrom = itemFrom[s];
        if (s < nShort) {
          final long end = le[off++];
          final long b;
          if (p > 0) {
            final int pb = kFrom + s * p;
            final long pr = dt[pb + xw];
            if ((pr & xBit) == 0) {
              continue;
            }
            int idx = Long.bitCount(pr & (xBit - 1));
            for (int w = 0; w < xw; w++) {
              idx += Long.bitCount(dt[pb + w]);
            }
            b = dt[pb + p + idx];
          } else {
            final int k = Arrays.binarySearch(itm, kFrom, itemFrom[s + 1], x);
            if (k < 0) {
              continue;
            }
            b = dt[k];
          }
          final long c = b & (iExt ? end : sMask(end));
          if (c != 0) {
            os[m++] = s;
            oe[mw++] = c;
          }
        } else {
          final int ws = words[s];
          final int k = Arrays.binarySearch(itm, kFrom, itemFrom[s + 1], x);
          if (k < 0) {
            off += ws;
            continue;
          }
          final int bo = bitFrom[s] + (k - kFrom) * ws;
          final long[] src;
          final int so;
          if (iExt) {
            src = le;
            so = off;
          } else {
            sMask(le, off, ws);
            src = mask;
            so = 0;
          }
          long any = 0;
          for (int w = 0; w < ws; w++) {
            long b = longBits[bo + w] & src[so + w];
            oe[mw + w] = b;
            any |= b;
          }
          if (any != 0) {
            os[m++] = s;
            mw += ws;
          }
          off += ws;
        }
      }
      return mw;
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
