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
 * 2001: depth-first growth of prefixes by i-extensions (an item joining the prefix's last step) and
 * s-extensions (an item starting a new step), over a vertical database in the style of SPAM (J.
 * Ayres, J. Gehrke, T. Yiu, J. Flannick, KDD 2002) and CM-SPADE (P. Fournier-Viger, A. Gomariz, M.
 * Campos, R. Thomas, PAKDD 2014). Items are recoded to dense ranks by descending frequency (the
 * infrequent ones dropped); each sequence keeps its distinct ranks, each with the bitmap of the
 * steps holding it (8, 16, 32 or 64 bits, packed into words, by the sequence's number of steps;
 * several words beyond 64 steps). A prefix is the list of the sequences containing it, each with
 * its <i>end bitmap</i>: the steps where an embedding of the prefix can end. Extending by x: {@code
 * end & bits(x)} (i), {@code mask(end) & bits(x)} (s), where {@code mask} holds the steps after the
 * first end step — with maxGap g the steps 1..g after any end step — so i-extensions and gap
 * constraints are exact; the support is the number of sequences left. Only candidates are counted:
 * an item must extend the prefix's parent (apriori) and form a frequent 2-pattern with the prefix's
 * last item (CM-SPADE's co-occurrence maps); with up to 1,024 frequent ranks each sequence carries
 * presence words, so a count visits only the candidates a sequence holds. The lists of a prefix's
 * children are built in one pass over its list, each entry with a copy of its sequence's block
 * (presence words and bitmaps), so that counting and projecting read every list in order instead of
 * jumping through the whole database. Patterns are delivered in the order of a depth-first walk: a
 * prefix, then its i-extensions by ascending rank, then its s-extensions, each followed by its own
 * extensions.
 *
 * <p><b>Threads.</b> The first-level prefixes (one per frequent item) are mined in parallel on
 * {@link #withThreads(int) threads} threads (default: all cores), those with the most work split
 * into tasks over ranges of their children (see {@link Tasks}); the co-occurrence pairs are counted
 * on as many threads. Patterns are delivered from the calling thread in the order of a
 * single-threaded run, so results are identical.
 *
 * <p><b>Memory.</b> The recoded database (per sequence and distinct frequent item 4 bytes for the
 * rank, 1 to 8 for its bitmap — 8 per word beyond 64 steps —, 16 for the vertical index; 8 per
 * presence word per sequence; with co-occurrence maps 24 bytes per pair of frequent items, and per
 * counting thread 24 more, transiently), and per thread and depth the lists of the current prefix's
 * children: 16 bytes per entry plus its block copy (or multi-word end), at most ~24 bytes per
 * (sequence, item) pair of the database (the larger of 2M and their number of pool words) unless
 * one child alone has more.
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
    Flat flat = new Flat(db, (int) threshold, maxGap == null ? 0 : maxGap, threads);
    if (flat.nFrequent == 0) {
      return 0;
    }
    int limit = maxPatternLength == null ? Integer.MAX_VALUE : maxPatternLength;
    int gap = maxGap == null ? 0 : maxGap;
    ItemsetSink out = sink::accept;
    Tasks tasks = Tasks.plan(flat, limit, threads);
    return OrderedTasks.run(
            tasks.size(), threads, () -> new Worker(flat, tasks, (int) threshold, limit, gap), out)
        .itemsets;
  }

  /**
   * The mining tasks: task t grows the first-level prefix {@code <(x[t])>}'s children {@code
   * [lo[t], hi[t])} (in the order {@link Worker#grow} takes them: its i-extensions, then its
   * s-extensions, each ascending), and the task with {@code lo = 0} also delivers {@code <(x)>}
   * itself. Consecutive tasks of one prefix cover its children in order, so delivering the tasks in
   * order is a single-threaded run's order. A prefix is split only with several threads and
   * co-occurrence maps (which give its children and their list sizes before any mining), into parts
   * of about {@code 1 / (4 × threads)} of all children's list entries: the most frequent item's
   * subtree alone can otherwise hold half of the work and leave the other threads idle.
   */
  static final class Tasks {
    final int[] x;
    final int[] lo;
    final int[] hi;

    private Tasks(int[] x, int[] lo, int[] hi) {
      this.x = x;
      this.lo = lo;
      this.hi = hi;
    }

    int size() {
      return x.length;
    }

    static Tasks plan(Flat db, int maxLen, int threads) {
      final int f = db.nFrequent;
      if (threads <= 1 || db.cmapCountS == null || maxLen <= 2) {
        int[] x = new int[f];
        int[] hi = new int[f];
        for (int r = 0; r < f; r++) {
          x[r] = r;
          hi[r] = Integer.MAX_VALUE;
        }
        return new Tasks(x, new int[f], hi);
      }
      // the work of each first-level prefix's children, in grow's order: their list entries
      long[][] childEntries = new long[f][];
      long total = 0;
      long[] buf = new long[2 * f];
      for (int r = 0; r < f; r++) {
        int nc = 0;
        for (int y = r + 1; y < f; y++) { // i-extensions <(r y)>
          if ((db.cmapI[r * db.rankWords + (y >>> 6)] & (1L << y)) != 0) {
            buf[nc++] = db.cmapCountI[r * f + y];
          }
        }
        for (int y = 0; y < f; y++) { // s-extensions <(r)(y)>
          if ((db.cmapS[r * db.rankWords + (y >>> 6)] & (1L << y)) != 0) {
            buf[nc++] = db.cmapCountS[r * f + y];
          }
        }
        childEntries[r] = Arrays.copyOf(buf, nc);
        for (int c = 0; c < nc; c++) {
          total += buf[c];
        }
      }
      final long part = Math.max(1, total / (4L * threads));
      int[] x = new int[16];
      int[] lo = new int[16];
      int[] hi = new int[16];
      int nt = 0;
      for (int r = 0; r < f; r++) {
        long[] cw = childEntries[r];
        int from = 0;
        long acc = 0;
        for (int c = 0; c <= cw.length; c++) {
          boolean last = c == cw.length;
          if (last || (c > from && acc + cw[c] > part)) {
            x = ArrayUtil.grow(x, nt + 1L);
            lo = ArrayUtil.grow(lo, nt + 1L);
            hi = ArrayUtil.grow(hi, nt + 1L);
            x[nt] = r;
            lo[nt] = from;
            hi[nt] = last ? Integer.MAX_VALUE : c;
            nt++;
            from = c;
            acc = 0;
          }
          if (!last) {
            acc += cw[c];
          }
        }
      }
      return new Tasks(Arrays.copyOf(x, nt), Arrays.copyOf(lo, nt), Arrays.copyOf(hi, nt));
    }
  }

  /** The width class of the sequences of more than 64 steps (several bitmap words). */
  static final int LONG_CLASS = 4;

  /** The width class of a sequence of {@code nSteps} steps: 0 (up to 8), 1 (16), 2 (32), 3 (64). */
  static int widthClass(int nSteps) {
    return nSteps <= 8 ? 0 : nSteps <= 16 ? 1 : nSteps <= 32 ? 2 : nSteps <= 64 ? 3 : LONG_CLASS;
  }

  /**
   * Rank words per sequence up to which {@link Flat} keeps presence bitmaps (16: 1,024 ranks);
   * tests lower it to reach the paths without.
   */
  static int presenceMaxWords = 16;

  /**
   * Item pairs (summed over sequences) up to which {@link Flat} builds co-occurrence maps; tests
   * lower it to reach the path without.
   */
  static long cmapMaxPairs = 1L << 28;

  /**
   * Words of the recoded blocks from which list entries carry copies of their blocks (4 MB: below,
   * the blocks stay in the cache and copying them costs more than it saves); tests set it to reach
   * both paths.
   */
  static int copyMinWords = 1 << 19;

  /**
   * Item pairs per thread below which {@link Flat} counts the pairs on fewer threads; tests lower
   * it.
   */
  static long parallelPairs = 1L << 20;

  /**
   * Pool words (block copies and multi-word ends), and entries, up to which the children of one
   * prefix are projected in one pass over its list: 0 (the default) means the larger of 2M and the
   * database's (sequence, item) pairs, so a depth's lists take at most ~24 bytes per pair; tests
   * set it to force other groupings.
   */
  static int projectBudget = 0;

  /**
   * The one-word s-extension mask of an end bitmap: the steps after its first step, or with maxGap
   * g (0: none; 63 and above: every later step of one word) the steps 1..g after one of its steps.
   */
  static long sMask(long end, int maxGap) {
    if (maxGap <= 0 || maxGap >= 63) {
      long low = end & -end;
      return -(low << 1);
    }
    long acc = end << 1; // S(1): shift 0 of end << 1
    int span = 1;
    while (span * 2 <= maxGap) {
      acc |= acc << span; // S(2 span): shifts 0 .. 2 span - 1
      span <<= 1;
    }
    if (span < maxGap) {
      acc |= acc << (maxGap - span); // shifts 0 .. maxGap - 1 of end << 1
    }
    return acc;
  }

  /** The multi-word s-extension mask of {@code end[off, off+ws)} into {@code m[0, ws)}. */
  static void sMask(int maxGap, long[] end, int off, int ws, long[] m) {
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
  static void setRange(long[] m, int from, int to) {
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
   * The database recoded for mining, vertically per sequence. Items are ranks (dense, by descending
   * count, ties by id; infrequent items dropped). Invariants: <b>F0</b> sequences are renumbered
   * (the output does not depend on their numbers) by width class {@link #widthClass}, each class in
   * input order: those of up to 8, 16, 32 and 64 steps (the {@code nShort} short ones, class c from
   * {@code classStart[c]}, their blocks from {@code data[refFrom[c]]}), then the longer ones.
   * <b>F1</b> sequence {@code s} holds its distinct ranks ascending in {@code item[itemFrom[s],
   * itemFrom[s+1])}. <b>F2</b> the steps of s are numbered from 0 — without maxGap only the steps
   * holding a frequent item, with it every step (so that step distances are kept) — and {@code
   * words[s] = max(1, ceil(steps/64))}. <b>F3</b> the step bitmap of the item at k (bit t set iff
   * step t holds it): for a short sequence in its block (F5); for a long one {@code words[s]} words
   * from {@code longBits[bitFrom[s] + (k - itemFrom[s]) × words[s]]}, little-endian. <b>F4</b> rank
   * r is held by the sequences {@code vSeq[vStart[r], vStart[r+1])} ascending, at item index {@code
   * vIdx[...]}. <b>F5</b> the block of a short sequence s at {@code ref = blockFrom[s]}: {@code hw}
   * header words, then its bitmaps of {@code 2^lw} bits ({@code lw = }{@link #widthLog}{@code
   * (ref)}, 3 to 6), local item j in bits {@code (j << lw) & 63} of word {@code data[ref + hw + (j
   * >>> (6 - lw))]}. The header is the presence words when {@code rankWords = ceil(nFrequent/64) <=
   * }{@link #presenceMaxWords} ({@code pw = rankWords}, else 0): bit r set iff s holds rank r, so
   * rank r of s is local item {@code bitCount} of the presence bits below r; without them one word,
   * {@code itemFrom[s] | nl << 32}. <b>F6</b> co-occurrence maps (CM-SPADE's CMAP; null without
   * presence words or when the sequences hold more than {@link #cmapMaxPairs} item pairs): bit y of
   * the {@code rankWords} words {@code cmapS[x × rankWords ...]} is set iff {@code <(x)(y)>} is
   * frequent (within maxGap), of {@code cmapI[...]} iff {@code <(x y)>} is (y above x); their
   * counts are kept in {@code cmapCountS}, {@code cmapCountI}, and the pool words of their lists in
   * {@code cmapWordsS}, {@code cmapWordsI}, so a first-level prefix's extensions need no count.
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
    final int hw; // header words of a short sequence's block: pw, or 1 without presence words
    final int[] classStart; // sequences of width class c: [classStart[c], classStart[c+1])
    final int[] blockFrom; // short sequence s: its block at data[blockFrom[s]] (F5)
    final int[] refFrom; // the blocks of class c start at data[refFrom[c]]
    final boolean copyBlocks; // list entries carry copies of their blocks (Worker)
    final long[] cmapS;
    final long[] cmapI;
    final int[] cmapCountS; // [x × nFrequent + y]: the count of <(x)(y)>
    final int[] cmapCountI; // the count of <(x y)>, y above x (else 0)
    final long[] cmapWordsS; // the pool words of <(x)(y)>'s list entries (Worker)
    final long[] cmapWordsI; // those of <(x y)>'s

    Flat(SequenceDb db, int minCount, int maxGap) {
      this(db, minCount, maxGap, 1);
    }

    /** The database recoded; {@code threads} threads count the co-occurrence pairs. */
    Flat(SequenceDb db, int minCount, int maxGap, int threads) {
      final boolean keepSteps = maxGap > 0;
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
      pw = rankWords <= presenceMaxWords ? rankWords : 0;
      hw = pw > 0 ? pw : 1;
      // Step counts (F2), and the sequences renumbered by width class (F0): up to 8, 16, 32, 64
      // steps (one word), then the longer ones, each class in input order.
      int[] wsOf = new int[n]; // by original index
      byte[] classOf = new byte[n];
      int[] inClass = new int[LONG_CLASS + 1];
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
        int cl = widthClass(nSteps);
        classOf[o] = (byte) cl;
        inClass[cl]++;
      }
      classStart = new int[LONG_CLASS + 2];
      for (int c = 0; c <= LONG_CLASS; c++) {
        classStart[c + 1] = classStart[c] + inClass[c];
      }
      int[] order = new int[n]; // new index -> original
      int[] next = Arrays.copyOf(classStart, LONG_CLASS + 1);
      int maxW = 1;
      for (int o = 0; o < n; o++) {
        order[next[classOf[o]]++] = o;
        maxW = Math.max(maxW, wsOf[o]);
      }
      nShort = classStart[LONG_CLASS];
      maxWords = maxW;
      words = new int[n];
      // Per sequence: its distinct ranks (at most one per occurrence) and their step bitmaps.
      itemFrom = new int[n + 1];
      int[] it = new int[items.length];
      blockFrom = new int[nShort];
      refFrom = new int[LONG_CLASS];
      long[] dt = new long[16];
      int nData = 0;
      bitFrom = new int[n];
      long[] lb = new long[0];
      int nLong = 0;
      int[] slot = new int[f]; // rank -> local index + 1 in the current sequence
      int[] local = new int[16];
      long[] localBits = new long[16];
      int q = 0;
      int cls = 0;
      for (int s = 0; s < n; s++) {
        while (cls < LONG_CLASS && classStart[cls] <= s) {
          refFrom[cls++] = nData;
        }
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
              for (int z = l * ws; z < nl * ws; z++) { // a word or few: no Arrays.fill call
                localBits[z] = 0;
              }
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
        final int lw = s < nShort ? classOf[o] + 3 : 6;
        final int sh = 6 - lw; // 2^sh bitmaps per word
        final int dBase = nData; // F5: header words, then the packed bitmaps
        if (s < nShort) {
          blockFrom[s] = dBase;
          nData = Math.addExact(dBase, hw + ((nl + (1 << sh) - 1) >>> sh));
          dt = ArrayUtil.grow(dt, nData);
          Arrays.fill(dt, dBase, nData, 0L);
          if (pw == 0) {
            dt[dBase] = ((long) nl << 32) | q;
          }
        } else {
          bitFrom[s] = nLong;
          lb = ArrayUtil.grow(lb, (long) nLong + (long) nl * ws);
        }
        for (int k = 0; k < nl; k++) {
          int r = local[k];
          int l = slot[r] - 1;
          slot[r] = 0;
          it[q + k] = r;
          if (s >= nShort) {
            System.arraycopy(localBits, l * ws, lb, nLong, ws);
            nLong += ws;
            continue;
          }
          if (pw > 0) {
            dt[dBase + (r >>> 6)] |= 1L << r;
          }
          dt[dBase + hw + (k >>> sh)] |= localBits[l] << ((k << lw) & 63);
        }
        q += nl;
      }
      while (cls < LONG_CLASS) {
        refFrom[cls++] = nData;
      }
      itemFrom[n] = q;
      item = Arrays.copyOf(it, q);
      data = Arrays.copyOf(dt, nData);
      copyBlocks = nData >= copyMinWords;
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
      // Co-occurrence maps (F6), when the ranks are few and the pairs not too many.
      long pairs = 0;
      for (int s = 0; s < n; s++) {
        long m = itemFrom[s + 1] - itemFrom[s];
        pairs += m * m;
      }
      if (pw > 0 && pairs <= cmapMaxPairs) {
        // the pairs counted over slices of the sequences, one per thread, then summed
        final int nt = (int) Math.max(1, Math.min(threads, pairs / parallelPairs));
        final int ff = f * f;
        int[][] csT = new int[nt][];
        int[][] ciT = new int[nt][];
        long[][] wsT = new long[nt][];
        long[][] wiT = new long[nt][];
        Thread[] helpers = new Thread[nt - 1];
        Throwable[] failure = new Throwable[1];
        for (int t = nt - 1; t >= 0; t--) {
          final int k = t;
          Runnable slice =
              () -> {
                csT[k] = new int[ff];
                ciT[k] = new int[ff];
                wsT[k] = new long[ff];
                wiT[k] = new long[ff];
                countPairs(
                    (int) ((long) n * k / nt),
                    (int) ((long) n * (k + 1) / nt),
                    maxGap,
                    csT[k],
                    ciT[k],
                    wsT[k],
                    wiT[k]);
              };
          if (k == 0) {
            try {
              slice.run();
            } finally {
              joinAll(helpers, failure); // also when this slice failed: no helper outlives it
            }
          } else {
            helpers[k - 1] = new Thread(slice, "rusket-sequence-pairs-" + k);
            helpers[k - 1].setUncaughtExceptionHandler((th, e) -> failure[0] = e);
            helpers[k - 1].start();
          }
        }
        int[] cs = csT[0];
        int[] ci = ciT[0];
        long[] ws2 = wsT[0];
        long[] wi2 = wiT[0];
        for (int t = 1; t < nt; t++) {
          for (int i = 0; i < ff; i++) {
            cs[i] += csT[t][i];
            ci[i] += ciT[t][i];
            ws2[i] += wsT[t][i];
            wi2[i] += wiT[t][i];
          }
        }
        cmapCountS = cs;
        cmapCountI = ci;
        cmapWordsS = ws2;
        cmapWordsI = wi2;
        cmapS = new long[f * rankWords];
        cmapI = new long[f * rankWords];
        for (int x = 0; x < f; x++) {
          for (int y = 0; y < f; y++) {
            if (cs[x * f + y] >= minCount) {
              cmapS[x * rankWords + (y >>> 6)] |= 1L << y;
            }
            if (ci[x * f + y] >= minCount) {
              cmapI[x * rankWords + (y >>> 6)] |= 1L << y;
            }
          }
        }
      } else {
        cmapCountS = null;
        cmapCountI = null;
        cmapWordsS = null;
        cmapWordsI = null;
        cmapS = null;
        cmapI = null;
      }
    }

    /**
     * Counts the item pairs of sequences {@code [sFrom, sTo)} into the co-occurrence counts (F6)
     * and the pool words of the first-level lists they form.
     */
    private void countPairs(
        int sFrom, int sTo, int maxGap, int[] cs, int[] ci, long[] ws2, long[] wi2) {
      final int f = nFrequent;
      long[] ma = new long[maxWords];
      long[] bm = new long[16];
      for (int s = sFrom; s < sTo; s++) {
        final int kFrom = itemFrom[s];
        final int kTo = itemFrom[s + 1];
        if (s < nShort) {
          final int nl = kTo - kFrom;
          final int len = copyBlocks ? blockWords(blockFrom[s], nl) : 0;
          bm = ArrayUtil.grow(bm, nl);
          for (int a = 0; a < nl; a++) {
            bm[a] = bits(blockFrom[s], a);
          }
          for (int a = 0; a < nl; a++) {
            final int x = item[kFrom + a] * f;
            final long bx = bm[a];
            final long sm = sMask(bx, maxGap);
            for (int b = 0; b < nl; b++) { // branch-free: <(x)(y)>
              final int h = Worker.nonZero(sm & bm[b]);
              final int xy = x + item[kFrom + b];
              cs[xy] += h;
              ws2[xy] += -h & len;
            }
            for (int b = a + 1; b < nl; b++) { // <(x y)>, y above x
              final int h = Worker.nonZero(bx & bm[b]);
              final int xy = x + item[kFrom + b];
              ci[xy] += h;
              wi2[xy] += -h & len;
            }
          }
        } else {
          final int ws = words[s];
          for (int a = kFrom; a < kTo; a++) {
            final int x = item[a] * f;
            final int ao = bitFrom[s] + (a - kFrom) * ws;
            sMask(maxGap, longBits, ao, ws, ma);
            for (int b = kFrom; b < kTo; b++) {
              final int bo = bitFrom[s] + (b - kFrom) * ws;
              if (Worker.intersects(longBits, bo, ma, 0, ws)) {
                cs[x + item[b]]++;
                ws2[x + item[b]] += ws;
              }
              if (b > a && Worker.intersects(longBits, ao, longBits, bo, ws)) {
                ci[x + item[b]]++;
                wi2[x + item[b]] += ws;
              }
            }
          }
        }
      }
    }

    /** Waits for every helper; rethrows the first failure of one. */
    private static void joinAll(Thread[] helpers, Throwable[] failure) {
      boolean interrupted = false;
      for (Thread h : helpers) {
        while (true) {
          try {
            h.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      Throwable e = failure[0];
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      if (e instanceof Error) {
        throw (Error) e;
      }
      if (e != null) {
        throw new IllegalStateException(e);
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
          + RamUsage.sizeOf(vIdx)
          + (cmapS == null ? 0 : RamUsage.sizeOf(cmapS) + RamUsage.sizeOf(cmapI))
          + (cmapS == null ? 0 : RamUsage.sizeOf(cmapCountS) + RamUsage.sizeOf(cmapCountI))
          + (cmapS == null ? 0 : RamUsage.sizeOf(cmapWordsS) + RamUsage.sizeOf(cmapWordsI))
          + RamUsage.sizeOf(classStart)
          + RamUsage.sizeOf(blockFrom)
          + RamUsage.sizeOf(refFrom);
    }

    /**
     * log2 of the bitmap width of the short sequence whose block is at {@code ref}: 3 (8 steps), 4,
     * 5 or 6 (64), from the class boundaries without a branch (F0, F5).
     */
    int widthLog(int ref) {
      return 3
          + ((refFrom[1] - 1 - ref) >>> 31)
          + ((refFrom[2] - 1 - ref) >>> 31)
          + ((refFrom[3] - 1 - ref) >>> 31);
    }

    /** The words of the block at {@code ref} of a short sequence of {@code nl} items (F5). */
    int blockWords(int ref, int nl) {
      final int sh = 6 - widthLog(ref);
      return hw + ((nl + (1 << sh) - 1) >>> sh);
    }

    /** The step bitmap of local item {@code j} of the short sequence whose block is at ref. */
    long bits(int ref, int j) {
      final int lw = widthLog(ref);
      return (data[ref + hw + (j >>> (6 - lw))] >>> ((j << lw) & 63)) & (-1L >>> (64 - (1 << lw)));
    }
  }

  /**
   * One thread's depth-first search over the prefixes of its tasks. A prefix is held as its list of
   * entries, ascending by sequence: the sequences containing it, each with the set of steps where
   * an embedding of the prefix can end (never empty). A short sequence's entry is its block's ref
   * (F5; the width of its bitmaps), its end word and, when the database is large enough for copies
   * ({@link Flat#copyBlocks}), the offset of its block's copy in the level's pool; a long one's is
   * {@code ~s} and the offset of its {@code words[s]} end words in the pool. The lists of all
   * children of a prefix are built in one pass over its list, one after the other in a level, each
   * child's pool words together (in groups of at most {@link #projectBudget} pool words and
   * entries; the count gives each child's words beforehand). Its extensions are counted only over
   * candidates (rank bitmaps): an item can extend a prefix only if it extends the prefix's parent
   * (see {@link #grow}).
   */
  static final class Worker implements OrderedTasks.Worker {
    private final Flat db;
    private final Tasks tasks;
    private int rootLo; // the current task's first-level children [rootLo, rootHi)
    private int rootHi;
    private final int minCount;
    private final int maxLen;
    private final int maxGap; // 0: none
    private final int[] itemFrom;
    private final int[] item;
    private final long[] data;
    private final int[] words;
    private final int[] bitFrom;
    private final long[] longBits;
    private final int rw; // rank words
    private final int pw; // presence words per sequence, 0: none (F5)
    private final int hw; // header words of a short sequence's block (F5)
    private final boolean copy; // entries carry copies of their blocks, else refer to data
    private final int r16; // blocks from here have 16-bit bitmaps, then 32, 64 (F0)
    private final int r32;
    private final int r64;
    private final long[] cmapS; // null: none (F6)
    private final long[] cmapI;
    private final int budget;

    // Counting scratch, shared by all depths (reset after each node's count).
    private final int[] iCount;
    private final int[] sCount;
    private final long[] iWords; // the pool words the counted entries take in each child's list
    private final long[] sWords;
    private final long[] mask; // multi-word s-extension mask
    // Projection scratch: the next write position of the current group's children, by rank.
    private final int[] iPos;
    private final int[] sPos;
    private final int[] iBlk; // the next pool word of the current group's children, by rank
    private final int[] sBlk;
    private final long[] gI; // the group's i-children
    private final long[] gS; // the group's s-children

    // Per depth: the children lists of the prefix one level up (block refs or ~sequence; end
    // words or pool offsets; pool offsets of the block copies; the pool of block copies and
    // multi-word ends), a prefix's candidate extensions (rank bitmaps, filled by the caller) and
    // its frequent extensions (items then counts; pool words; bitmaps).
    private int[][] lSeq = new int[8][];
    private long[][] lEnd = new long[8][];
    private int[][] lBlk = new int[8][];
    private long[][] pool = new long[8][];
    private long[][] candI = new long[8][];
    private long[][] candS = new long[8][];
    private int[][] extI = new int[8][];
    private int[][] extS = new int[8][];
    private long[][] extIW = new long[8][];
    private long[][] extSW = new long[8][];
    private long[][] freqI = new long[8][];
    private long[][] freqS = new long[8][];
    private final long[] all; // every rank

    // The current prefix, as rank tokens, and the output buffer of item ids.
    private int[] prefix = new int[32];
    private int[] out = new int[32];

    private ItemsetSink sink;
    private long emitted;

    Worker(Flat db, Tasks tasks, int minCount, int maxLen, int maxGap) {
      this.db = db;
      this.tasks = tasks;
      this.minCount = minCount;
      this.maxLen = maxLen;
      this.maxGap = maxGap;
      this.itemFrom = db.itemFrom;
      this.item = db.item;
      this.data = db.data;
      this.words = db.words;
      this.bitFrom = db.bitFrom;
      this.longBits = db.longBits;
      this.rw = db.rankWords;
      this.pw = db.pw;
      this.hw = db.hw;
      this.copy = db.copyBlocks;
      this.r16 = db.refFrom[1];
      this.r32 = db.refFrom[2];
      this.r64 = db.refFrom[3];
      this.cmapS = db.cmapS;
      this.cmapI = db.cmapI;
      this.budget = projectBudget > 0 ? projectBudget : Math.max(1 << 21, db.item.length);
      int f = db.nFrequent;
      iCount = new int[f];
      sCount = new int[f];
      iPos = new int[f];
      sPos = new int[f];
      iWords = new long[f];
      sWords = new long[f];
      iBlk = new int[f];
      sBlk = new int[f];
      mask = new long[db.maxWords];
      all = new long[rw];
      gI = new long[rw];
      gS = new long[rw];
      for (int r = 0; r < f; r++) {
        all[r >>> 6] |= 1L << r;
      }
    }

    @Override
    public long mine(int t, ItemsetSink sink) {
      this.sink = sink;
      this.emitted = 0;
      final int task = tasks.x[t];
      rootLo = tasks.lo[t];
      rootHi = tasks.hi[t];
      final int from = db.vStart[task];
      final int n = db.vStart[task + 1] - from;
      ensureLevel(0, n);
      final int[] ls = lSeq[0];
      final long[] le = lEnd[0];
      final int[] lb = lBlk[0];
      int poolSize = 0;
      for (int j = 0; j < n; j++) {
        final int s = db.vSeq[from + j];
        final int k = db.vIdx[from + j];
        if (s < db.nShort) {
          // with copies (Flat.copyBlocks), the block copied, so that every level's lists are
          // read in order; without, the ref is the block
          final int ref = db.blockFrom[s];
          ls[j] = ref;
          le[j] = db.bits(ref, k - itemFrom[s]);
          if (copy) {
            final int len = db.blockWords(ref, itemFrom[s + 1] - itemFrom[s]);
            pool[0] = ArrayUtil.grow(pool[0], (long) poolSize + len);
            System.arraycopy(data, ref, pool[0], poolSize, len);
            lb[j] = poolSize;
            poolSize += len;
          }
        } else {
          ls[j] = ~s;
          final int ws = words[s];
          pool[0] = ArrayUtil.grow(pool[0], (long) poolSize + ws);
          System.arraycopy(longBits, bitFrom[s] + (k - itemFrom[s]) * ws, pool[0], poolSize, ws);
          le[j] = poolSize;
          poolSize += ws;
        }
      }
      prefix[0] = task;
      if (rootLo == 0) {
        emit(1, db.rankCount[task]);
      }
      if (maxLen > 1) {
        System.arraycopy(all, 0, candS[0], 0, rw);
        above(all, task, candI[0]);
        if (cmapS != null) {
          and(candS[0], cmapS, task);
          and(candI[0], cmapI, task);
        }
        grow(0, 0, n, 1, 1);
      }
      this.sink = null;
      return emitted;
    }

    /** dst &= the co-occurrence map of x. */
    private void and(long[] dst, long[] cmap, int x) {
      final int o = x * rw;
      for (int w = 0; w < rw; w++) {
        dst[w] &= cmap[o + w];
      }
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
              + 8L * RamUsage.sizeOf(iCount)
              + 2L * RamUsage.sizeOf(iWords)
              + RamUsage.sizeOf(mask)
              + 3L * RamUsage.sizeOf(all)
              + RamUsage.sizeOf(prefix)
              + RamUsage.sizeOf(out);
      for (int d = 0; d < lSeq.length; d++) {
        b += sizeOrZero(lSeq[d]) + sizeOrZero(extI[d]) + sizeOrZero(extS[d]);
        b += sizeOrZero(lBlk[d]) + sizeOrZero(extIW[d]) + sizeOrZero(extSW[d]);
        b += sizeOrZero(lEnd[d]) + sizeOrZero(pool[d]) + sizeOrZero(candI[d]);
        b += sizeOrZero(candS[d]) + sizeOrZero(freqI[d]) + sizeOrZero(freqS[d]);
      }
      return b;
    }

    private static long sizeOrZero(int[] a) {
      return a == null ? 0 : RamUsage.sizeOf(a);
    }

    private static long sizeOrZero(long[] a) {
      return a == null ? 0 : RamUsage.sizeOf(a);
    }

    private void ensureLevel(int d, int n) {
      if (d >= lSeq.length) {
        int len = ArrayUtil.grow(lSeq.length, d + 1L);
        lSeq = Arrays.copyOf(lSeq, len);
        lEnd = Arrays.copyOf(lEnd, len);
        lBlk = Arrays.copyOf(lBlk, len);
        pool = Arrays.copyOf(pool, len);
        candI = Arrays.copyOf(candI, len);
        candS = Arrays.copyOf(candS, len);
        extI = Arrays.copyOf(extI, len);
        extS = Arrays.copyOf(extS, len);
        extIW = Arrays.copyOf(extIW, len);
        extSW = Arrays.copyOf(extSW, len);
        freqI = Arrays.copyOf(freqI, len);
        freqS = Arrays.copyOf(freqS, len);
      }
      if (lSeq[d] == null || lSeq[d].length < n) {
        int len = ArrayUtil.grow(lSeq[d] == null ? 0 : lSeq[d].length, n);
        lSeq[d] = new int[len];
        lEnd[d] = new long[len];
        lBlk[d] = new int[len];
      }
      if (candI[d] == null) {
        pool[d] = new long[16];
        candI[d] = new long[rw];
        candS[d] = new long[rw];
        freqI[d] = new long[rw];
        freqS[d] = new long[rw];
      }
    }

    private long sMask(long end) {
      return SequenceMiner.sMask(end, maxGap);
    }

    private void sMask(long[] end, int off, int ws) {
      SequenceMiner.sMask(maxGap, end, off, ws, mask);
    }

    /**
     * Grows the prefix P = {@code prefix[0, plen)} of {@code items} items whose list is level
     * {@code d}'s entries {@code [from, from+n)} and whose candidates are {@code candI[d]}, {@code
     * candS[d]}; {@code items < maxLen}.
     *
     * <p>Candidates of a child C = P+i(x) or P+s(x) (apriori): an i-extension y of C is an
     * i-extension of P when C = P+i(x) (drop x), an s-extension of P when C = P+s(x) (drop x from
     * (x y)), y above x either way; an s-extension of C is one of P (drop x) — except, with maxGap,
     * for C = P+s(x), whose step (x) may be what keeps the gap: there every item stays a candidate.
     * And (CM-SPADE's co-occurrence pruning, F6) y must follow x in a frequent 2-pattern: {@code
     * <(x y)>} for an i-extension, {@code <(x)(y)>} (within maxGap) for an s-extension.
     */
    private void grow(int d, int from, int n, int plen, int items) {
      final int[] ls = lSeq[d];
      final long[] le = lEnd[d];
      final int[] lb = lBlk[d];
      final long[] pl = pool[d];
      final long[] bk = copy ? pl : data; // the blocks: copies in the pool, or the database's
      final long[] cI = candI[d];
      final long[] cS = candS[d];
      final int[] itm = item;
      final int[] ic = iCount;
      final int[] sc = sCount;
      final long[] iw = iWords;
      final long[] sw = sWords;
      final int p = pw;
      // Count: every candidate's counter (branch-free: those of the candidates the sequence holds
      // take 0 or 1), collected and cleared below; every PRUNE_EVERY
      // entries the candidates that can no longer reach minCount are dropped.
      int check = from + PRUNE_EVERY;
      int e0 = from;
      if (d == 0 && db.cmapCountS != null) {
        // a first-level prefix <(x)>: its extensions' counts are the co-occurrence counts (F6)
        final int x = prefix[0];
        final int nf = db.nFrequent;
        for (int w = 0; w < rw; w++) {
          long c = cI[w] | cS[w];
          while (c != 0) {
            final int y = (w << 6) + Long.numberOfTrailingZeros(c);
            c &= c - 1;
            ic[y] = db.cmapCountI[x * nf + y];
            sc[y] = db.cmapCountS[x * nf + y];
            iw[y] = db.cmapWordsI[x * nf + y];
            sw[y] = db.cmapWordsS[x * nf + y];
          }
        }
        e0 = from + n; // nothing to count
      }
      for (int e = e0; e < from + n; e++) {
        if (e == check) {
          if (!prune(cI, cS, from + n - e)) {
            break;
          }
          check += PRUNE_EVERY;
        }
        final int ref = ls[e];
        if (ref >= 0) {
          // a short sequence's block (F5) at bk[blk] (a copy in the level's pool, or the
          // database's): the word of its local item j is bk[bb + (j >>> sh)]
          final int blk = copy ? lb[e] : ref; // without copies, the block is the ref
          final long end = le[e];
          final long sm = sMask(end);
          final int lw = widthLog(ref);
          final int sh = 6 - lw;
          final long wm = -1L >>> (64 - (1 << lw));
          final int bb = blk + hw;
          final int len = copy ? blockWords(bk, blk, sh) : 0;
          if (p > 0) {
            // presence words: only the candidates the sequence holds (F5)
            int j0 = 0; // the local index of the word's first item
            for (int w = 0; w < p; w++) {
              final long pr = bk[blk + w];
              final long ci = cI[w];
              final long cs = sm == 0 ? 0 : cS[w]; // no step after the first end step: no s
              long c = pr & (ci | cs);
              while (c != 0) {
                final int t = Long.numberOfTrailingZeros(c);
                final long bit = c & -c;
                c ^= bit;
                final int j = j0 + Long.bitCount(pr & (bit - 1));
                final long b = (bk[bb + (j >>> sh)] >>> (j << lw)) & wm;
                final int y = (w << 6) + t;
                final int hs = nonZero(b & sm) & (int) (cs >>> t);
                final int hi = nonZero(b & end) & (int) (ci >>> t);
                sc[y] += hs;
                ic[y] += hi;
                if (copy) { // the pool words the entry's copies take (else none)
                  sw[y] += -hs & len;
                  iw[y] += -hi & len;
                }
              }
              j0 += Long.bitCount(pr);
            }
          } else {
            final long h = bk[blk];
            final int kFrom = (int) h;
            final int nl = (int) (h >>> 32);
            for (int j = 0; j < nl; j++) {
              final int y = itm[kFrom + j];
              final long b = (bk[bb + (j >>> sh)] >>> (j << lw)) & wm;
              if (has(cS, y) && (b & sm) != 0) {
                sc[y]++;
                sw[y] += len;
              }
              if (has(cI, y) && (b & end) != 0) {
                ic[y]++;
                iw[y] += len;
              }
            }
          }
        } else {
          // several bitmap words
          final int s = ~ref;
          final int kFrom = itemFrom[s];
          final int ws = words[s];
          final int off = (int) le[e];
          final int kTo = itemFrom[s + 1];
          sMask(pl, off, ws);
          int bo = bitFrom[s];
          for (int k = kFrom; k < kTo; k++, bo += ws) {
            final int y = itm[k];
            if (has(cS, y) && intersects(longBits, bo, mask, 0, ws)) {
              sc[y]++;
              sw[y] += ws;
            }
            if (has(cI, y) && intersects(longBits, bo, pl, off, ws)) {
              ic[y]++;
              iw[y] += ws;
            }
          }
        }
      }
      final int nI = collect(d, cI, cS);
      final int nS = nCollectedS;
      final int nc = nI + nS;
      final int[] eI = extI[d];
      final int[] eS = extS[d];
      final long[] eIW = extIW[d];
      final long[] eSW = extSW[d];
      final boolean deeper = items + 1 < maxLen;
      final long[] fI = freqI[d];
      final long[] fS = freqS[d];
      // children in order: i-extensions (the item joins the prefix's last step), then
      // s-extensions (the item starts a new step), each ascending by rank
      int c = d == 0 ? rootLo : 0;
      final int cLast = d == 0 ? Math.min(rootHi, nc) : nc; // the task's share of the root's
      while (c < cLast) {
        int cEnd = c;
        int childFrom = 0;
        if (deeper) {
          // a group of children projected in one pass: as many as the budget of pool words
          // allows, at least one
          long total = 0;
          long totalWords = 0;
          while (cEnd < cLast) {
            int count = cEnd < nI ? eI[2 * cEnd + 1] : eS[2 * (cEnd - nI) + 1];
            long wds = cEnd < nI ? eIW[cEnd] : eSW[cEnd - nI];
            if (cEnd > c && (totalWords + wds > budget || total + count > budget)) {
              break;
            }
            total += count;
            totalWords += wds;
            cEnd++;
          }
          project(d, from, n, c, cEnd, nI, (int) total, totalWords);
        } else {
          cEnd = cLast;
        }
        for (; c < cEnd; c++) {
          final boolean iExt = c < nI;
          final int x = iExt ? eI[2 * c] : eS[2 * (c - nI)];
          final int count = iExt ? eI[2 * c + 1] : eS[2 * (c - nI) + 1];
          final int len;
          if (iExt) {
            ensurePrefix(plen + 1);
            prefix[plen] = x;
            len = plen + 1;
          } else {
            ensurePrefix(plen + 2);
            prefix[plen] = SequenceSink.STEP_END;
            prefix[plen + 1] = x;
            len = plen + 2;
          }
          emit(len, count);
          if (deeper) {
            above(iExt ? fI : fS, x, candI[d + 1]);
            System.arraycopy(iExt || maxGap == 0 ? fS : all, 0, candS[d + 1], 0, rw);
            if (cmapS != null) {
              and(candS[d + 1], cmapS, x);
              and(candI[d + 1], cmapI, x);
            }
            grow(d + 1, childFrom, count, len, items + 1);
            childFrom += count;
          }
        }
      }
    }

    /** The words of a short sequence's block at {@code a[blk]} whose bitmaps are 2^(6-sh) bits. */
    private int blockWords(long[] a, int blk, int sh) {
      int nl;
      if (pw > 0) {
        nl = 0;
        for (int w = 0; w < pw; w++) {
          nl += Long.bitCount(a[blk + w]);
        }
      } else {
        nl = (int) (a[blk] >>> 32);
      }
      return hw + ((nl + (1 << sh) - 1) >>> sh);
    }

    /** {@link Flat#widthLog} from the worker's copies of the class boundaries. */
    private int widthLog(int ref) {
      return 3 + ((r16 - 1 - ref) >>> 31) + ((r32 - 1 - ref) >>> 31) + ((r64 - 1 - ref) >>> 31);
    }

    private static boolean has(long[] set, int y) {
      return (set[y >>> 6] & (1L << y)) != 0;
    }

    static boolean intersects(long[] a, int ao, long[] b, int bo, int ws) {
      for (int w = 0; w < ws; w++) {
        if ((a[ao + w] & b[bo + w]) != 0) {
          return true;
        }
      }
      return false;
    }

    /** Entries between two prunings of a count's candidates. */
    private static final int PRUNE_EVERY = 256;

    /**
     * Drops the candidates whose count plus the {@code remaining} entries is below minCount (their
     * counters cleared); returns whether any candidate is left.
     */
    private boolean prune(long[] cI, long[] cS, int remaining) {
      final int[] ic = iCount;
      final int[] sc = sCount;
      final int need = minCount - remaining;
      long left = 0;
      for (int w = 0; w < rw; w++) {
        long ci = cI[w];
        long cs = cS[w];
        long c = ci | cs;
        while (c != 0) {
          final long bit = c & -c;
          c ^= bit;
          final int y = (w << 6) + Long.numberOfTrailingZeros(bit);
          if ((ci & bit) != 0 && ic[y] < need) {
            ci &= ~bit;
          }
          if ((cs & bit) != 0 && sc[y] < need) {
            cs &= ~bit;
          }
          if (((ci | cs) & bit) == 0) {
            ic[y] = 0;
            sc[y] = 0;
            iWords[y] = 0;
            sWords[y] = 0;
          }
        }
        cI[w] = ci;
        cS[w] = cs;
        left |= ci | cs;
      }
      return left != 0;
    }

    /** 1 if x != 0, else 0, without a branch. */
    static int nonZero(long x) {
      return (int) ((x | -x) >>> 63);
    }

    private int nCollectedS;

    /**
     * Moves the frequent candidates (ascending, with counts) into level {@code d}'s extension lists
     * and bitmaps and clears the counters of every candidate; returns the number of i-extensions
     * (that of s-extensions in {@link #nCollectedS}).
     */
    private int collect(int d, long[] cI, long[] cS) {
      int nCand = 0;
      for (int w = 0; w < rw; w++) {
        nCand += Long.bitCount(cI[w] | cS[w]);
      }
      int[] eI = extI[d];
      int[] eS = extS[d];
      if (eI == null || eI.length < 2 * nCand) {
        eI = extI[d] = new int[ArrayUtil.grow(eI == null ? 0 : eI.length, 2L * nCand)];
      }
      if (eS == null || eS.length < 2 * nCand) {
        eS = extS[d] = new int[ArrayUtil.grow(eS == null ? 0 : eS.length, 2L * nCand)];
      }
      if (extIW[d] == null || extIW[d].length < nCand) {
        extIW[d] = new long[eI.length];
        extSW[d] = new long[eS.length];
      }
      final long[] eIW = extIW[d];
      final long[] eSW = extSW[d];
      final long[] fI = freqI[d];
      final long[] fS = freqS[d];
      final int[] ic = iCount;
      final int[] sc = sCount;
      int nI = 0;
      int nS = 0;
      for (int w = 0; w < rw; w++) {
        long fi = 0;
        long fs = 0;
        final long ci = cI[w];
        final long cs = cS[w];
        long c = ci | cs;
        while (c != 0) {
          final long bit = c & -c;
          c ^= bit;
          final int y = (w << 6) + Long.numberOfTrailingZeros(bit);
          if ((ci & bit) != 0 && ic[y] >= minCount) {
            eI[2 * nI] = y;
            eI[2 * nI + 1] = ic[y];
            eIW[nI] = iWords[y];
            nI++;
            fi |= bit;
          }
          if ((cs & bit) != 0 && sc[y] >= minCount) {
            eS[2 * nS] = y;
            eS[2 * nS + 1] = sc[y];
            eSW[nS] = sWords[y];
            nS++;
            fs |= bit;
          }
          ic[y] = 0;
          sc[y] = 0;
          iWords[y] = 0;
          sWords[y] = 0;
        }
        fI[w] = fi;
        fS[w] = fs;
      }
      nCollectedS = nS;
      return nI;
    }

    /**
     * Level d+1 := the lists of the children {@code [c0, c1)} of the prefix whose list is level d's
     * {@code [from, from+n)} (children below {@code nI} its i-extensions, in {@code extI[d]}, the
     * others its s-extensions), one after the other, {@code total} entries in all: one pass over
     * the prefix's list, each entry going to every child whose item it holds in an end step (i) or
     * a step its s-mask allows (s).
     */
    private void project(
        int d, int from, int n, int c0, int c1, int nI, int total, long totalWords) {
      ensureLevel(d + 1, total);
      if (totalWords > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException(
            "A prefix's list takes more than 2^31 pool words: " + totalWords);
      }
      final long[] np = pool[d + 1] = ArrayUtil.grow(pool[d + 1], totalWords);
      final int[] eI = extI[d];
      final int[] eS = extS[d];
      final long[] eIW = extIW[d];
      final long[] eSW = extSW[d];
      final long[] g1 = gI;
      final long[] g2 = gS;
      Arrays.fill(g1, 0L);
      Arrays.fill(g2, 0L);
      int at = 0;
      int atWords = 0;
      for (int c = c0; c < c1; c++) {
        if (c < nI) {
          int x = eI[2 * c];
          g1[x >>> 6] |= 1L << x;
          iPos[x] = at;
          iBlk[x] = atWords;
          at += eI[2 * c + 1];
          atWords += (int) eIW[c];
        } else {
          int x = eS[2 * (c - nI)];
          g2[x >>> 6] |= 1L << x;
          sPos[x] = at;
          sBlk[x] = atWords;
          at += eS[2 * (c - nI) + 1];
          atWords += (int) eSW[c - nI];
        }
      }
      final int[] ls = lSeq[d];
      final long[] le = lEnd[d];
      final int[] lb = lBlk[d];
      final long[] pl = pool[d];
      final long[] bk = copy ? pl : data;
      final int[] os = lSeq[d + 1];
      final long[] oe = lEnd[d + 1];
      final int[] ob = lBlk[d + 1];
      final int[] itm = item;
      final int[] ip = iPos;
      final int[] sp = sPos;
      final int[] iq = iBlk;
      final int[] sq = sBlk;
      final int p = pw;
      for (int e = from; e < from + n; e++) {
        final int ref = ls[e];
        if (ref >= 0) {
          final int blk = copy ? lb[e] : ref; // without copies, the block is the ref
          final long end = le[e];
          final long sm = sMask(end);
          final int lw = widthLog(ref);
          final int sh = 6 - lw;
          final long wm = -1L >>> (64 - (1 << lw));
          final int bb = blk + hw;
          final int len = copy ? blockWords(bk, blk, sh) : 0;
          if (p > 0) {
            int j0 = 0;
            for (int w = 0; w < p; w++) {
              final long pr = bk[blk + w];
              long c = pr & g1[w];
              while (c != 0) {
                final long bit = c & -c;
                c ^= bit;
                final int j = j0 + Long.bitCount(pr & (bit - 1));
                final long ne = (bk[bb + (j >>> sh)] >>> (j << lw)) & wm & end;
                if (ne != 0) {
                  final int y = (w << 6) + Long.numberOfTrailingZeros(bit);
                  final int q = ip[y]++;
                  os[q] = ref;
                  oe[q] = ne;
                  if (copy) {
                    ob[q] = copyBlock(bk, blk, np, iq, y, len);
                  }
                }
              }
              c = sm == 0 ? 0 : pr & g2[w];
              while (c != 0) {
                final long bit = c & -c;
                c ^= bit;
                final int j = j0 + Long.bitCount(pr & (bit - 1));
                final long ne = (bk[bb + (j >>> sh)] >>> (j << lw)) & wm & sm;
                if (ne != 0) {
                  final int y = (w << 6) + Long.numberOfTrailingZeros(bit);
                  final int q = sp[y]++;
                  os[q] = ref;
                  oe[q] = ne;
                  if (copy) {
                    ob[q] = copyBlock(bk, blk, np, sq, y, len);
                  }
                }
              }
              j0 += Long.bitCount(pr);
            }
          } else {
            final long h = bk[blk];
            final int kFrom = (int) h;
            final int nl = (int) (h >>> 32);
            for (int j = 0; j < nl; j++) {
              final int y = itm[kFrom + j];
              final long b = (bk[bb + (j >>> sh)] >>> (j << lw)) & wm;
              if (has(g1, y) && (b & end) != 0) {
                final int q = ip[y]++;
                os[q] = ref;
                oe[q] = b & end;
                if (copy) {
                  ob[q] = copyBlock(bk, blk, np, iq, y, len);
                }
              }
              if (has(g2, y) && (b & sm) != 0) {
                final int q = sp[y]++;
                os[q] = ref;
                oe[q] = b & sm;
                if (copy) {
                  ob[q] = copyBlock(bk, blk, np, sq, y, len);
                }
              }
            }
          }
        } else {
          final int s = ~ref;
          final int kFrom = itemFrom[s];
          final int ws = words[s];
          final int off = (int) le[e];
          final int kTo = itemFrom[s + 1];
          sMask(pl, off, ws);
          int bo = bitFrom[s];
          for (int k = kFrom; k < kTo; k++, bo += ws) {
            final int y = itm[k];
            if (has(g1, y) && intersects(longBits, bo, pl, off, ws)) {
              appendLong(np, os, oe, ip[y]++, iq, y, s, longBits, bo, pl, off, ws);
            }
            if (has(g2, y) && intersects(longBits, bo, mask, 0, ws)) {
              appendLong(np, os, oe, sp[y]++, sq, y, s, longBits, bo, mask, 0, ws);
            }
          }
        }
      }
    }

    /**
     * Copies the {@code len} words of a block at {@code src[blk]} to child y's next pool words in
     * {@code dst} (its position in {@code next[y]}, advanced); returns where.
     */
    private static int copyBlock(long[] src, int blk, long[] dst, int[] next, int y, int len) {
      final int o = next[y];
      next[y] = o + len;
      for (int w = 0; w < len; w++) {
        dst[o + w] = src[blk + w];
      }
      return o;
    }

    /**
     * Entry q of the next level := (~s, the end a & b over ws words, at child y's next pool words
     * in {@code np}, its position in {@code next[y]}, advanced).
     */
    private static void appendLong(
        long[] np,
        int[] os,
        long[] oe,
        int q,
        int[] next,
        int y,
        int s,
        long[] a,
        int ao,
        long[] b,
        int bo,
        int ws) {
      final int o = next[y];
      next[y] = o + ws;
      for (int w = 0; w < ws; w++) {
        np[o + w] = a[ao + w] & b[bo + w];
      }
      os[q] = ~s;
      oe[q] = o;
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
