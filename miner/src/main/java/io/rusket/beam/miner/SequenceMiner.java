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
 * steps holding it (one word up to 64 steps, more beyond). A prefix is the list of the sequences
 * containing it, each with its <i>end bitmap</i>: the steps where an embedding of the prefix can
 * end. Extending by x: {@code end & bits(x)} (i), {@code mask(end) & bits(x)} (s), where {@code
 * mask} holds the steps after the first end step — with maxGap g the steps 1..g after any end step
 * — so i-extensions and gap constraints are exact; the support is the number of sequences left.
 * Only candidates are counted: an item must extend the prefix's parent (apriori) and form a
 * frequent 2-pattern with the prefix's last item (CM-SPADE's co-occurrence maps); with up to 1,024
 * frequent ranks each sequence carries presence words, so a count visits only the candidates a
 * sequence holds. The lists of a prefix's children are built in one pass over its list. Patterns
 * are delivered in the order of a depth-first walk: a prefix, then its i-extensions by ascending
 * rank, then its s-extensions, each followed by its own extensions.
 *
 * <p><b>Threads.</b> The first-level prefixes (one per frequent item) are mined in parallel on
 * {@link #withThreads(int) threads} threads (default: all cores); patterns are delivered from the
 * calling thread in the order of a single-threaded run, so results are identical.
 *
 * <p><b>Memory.</b> The recoded database (per sequence and distinct frequent item 4 bytes for the
 * rank, 8 per bitmap word, 16 for the vertical index; 8 per presence word per sequence; with
 * co-occurrence maps 8 bytes per item pair, transiently), and per thread and depth the lists of the
 * current prefix's children (12 bytes per entry, at most the larger of 2M and the number of
 * (sequence, item) pairs unless one child alone has more).
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
    Flat flat = new Flat(db, (int) threshold, maxGap == null ? 0 : maxGap);
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
   * Entries up to which the children of one prefix are projected in one pass over its list: 0 (the
   * default) means the larger of 2M and the database's (sequence, item) pairs, so a depth's lists
   * take at most ~12 bytes per pair; tests set it to force other groupings.
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
   * (the output does not depend on their numbers): the {@code nShort} whose bitmaps fit one word
   * first, each group in input order. <b>F1</b> sequence {@code s} holds its distinct ranks
   * ascending in {@code item[itemFrom[s], itemFrom[s+1])}. <b>F2</b> the steps of s are numbered
   * from 0 — without maxGap only the steps holding a frequent item, with it every step (so that
   * step distances are kept) — and {@code words[s] = max(1, ceil(steps/64))}. <b>F3</b> the step
   * bitmap of the item at k (bit t set iff step t holds it): with one word {@code data[k + (s + 1)
   * × pw]}; with more, {@code words[s]} words from {@code longBits[bitFrom[s] + (k - itemFrom[s]) ×
   * words[s]]}, little-endian. <b>F4</b> rank r is held by the sequences {@code vSeq[vStart[r],
   * vStart[r+1])} ascending, at item index {@code vIdx[...]}. <b>F5</b> presence: when {@code
   * rankWords = ceil(nFrequent/64) <= }{@link #presenceMaxWords}, {@code pw = rankWords} (else 0)
   * words at {@code data[itemFrom[s] + s × pw]} just before the sequence's bitmaps, bit r set iff s
   * holds rank r; so s's block of {@code data} is its presence words then its items' bitmaps, and
   * rank r of s is item {@code bitCount} of the presence bits below r. <b>F6</b> co-occurrence maps
   * (CM-SPADE's CMAP; null without presence words or when the sequences hold more than {@link
   * #cmapMaxPairs} item pairs): bit y of the {@code rankWords} words {@code cmapS[x × rankWords
   * ...]} is set iff {@code <(x)(y)>} is frequent (within maxGap), of {@code cmapI[...]} iff {@code
   * <(x y)>} is (y above x); their counts are kept in {@code cmapCountS}, {@code cmapCountI}, so a
   * first-level prefix's extensions need no count.
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
    final long[] cmapS;
    final long[] cmapI;
    final int[] cmapCountS; // [x × nFrequent + y]: the count of <(x)(y)>
    final int[] cmapCountI; // the count of <(x y)>, y above x (else 0)

    Flat(SequenceDb db, int minCount, int maxGap) {
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
      // Co-occurrence maps (F6), when the ranks are few and the pairs not too many.
      long pairs = 0;
      for (int s = 0; s < n; s++) {
        long m = itemFrom[s + 1] - itemFrom[s];
        pairs += m * m;
      }
      if (pw > 0 && pairs <= cmapMaxPairs) {
        int[] cs = new int[f * f];
        int[] ci = new int[f * f];
        long[] ma = new long[maxWords];
        for (int s = 0; s < n; s++) {
          final int kFrom = itemFrom[s];
          final int kTo = itemFrom[s + 1];
          if (s < nShort) {
            final int bb = kFrom + (s + 1) * pw - kFrom; // bitmap of item k: data[bb + k]
            for (int a = kFrom; a < kTo; a++) {
              final int x = item[a] * f;
              final long bx = data[bb + a];
              final long sm = sMask(bx, maxGap);
              for (int b = kFrom; b < kTo; b++) {
                final long by = data[bb + b];
                if ((sm & by) != 0) {
                  cs[x + item[b]]++;
                }
                if (b > a && (bx & by) != 0) {
                  ci[x + item[b]]++;
                }
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
                }
                if (b > a && Worker.intersects(longBits, ao, longBits, bo, ws)) {
                  ci[x + item[b]]++;
                }
              }
            }
          }
        }
        cmapCountS = cs;
        cmapCountI = ci;
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
        cmapS = null;
        cmapI = null;
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
          + (cmapS == null ? 0 : RamUsage.sizeOf(cmapCountS) + RamUsage.sizeOf(cmapCountI));
    }
  }

  /**
   * One thread's depth-first search over the prefixes of its first-level tasks. A prefix is held as
   * its list of (sequence, end bitmap) entries, ascending by sequence: the sequences containing it,
   * each with the set of steps where an embedding of the prefix can end (never empty): the word
   * itself for a sequence below {@code nShort}, else the offset of its {@code words[s]} words in
   * the level's pool. The lists of all children of a prefix are built in one pass over its list,
   * one after the other in a level (in groups of at most {@link #projectBudget} entries). Its
   * extensions are counted only over candidates (rank bitmaps): an item can extend a prefix only if
   * it extends the prefix's parent (see {@link #grow}).
   */
  static final class Worker implements OrderedTasks.Worker {
    private final Flat db;
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
    private final int nShort; // sequences below: one bitmap word (F0)
    private final long[] cmapS; // null: none (F6)
    private final long[] cmapI;
    private final int budget;

    // Counting scratch, shared by all depths (reset after each node's count).
    private final int[] iCount;
    private final int[] sCount;
    private final long[] mask; // multi-word s-extension mask
    // Projection scratch: the next write position of the current group's children, by rank.
    private final int[] iPos;
    private final int[] sPos;
    private final long[] gI; // the group's i-children
    private final long[] gS; // the group's s-children

    // Per depth: the children lists of the prefix one level up (sequences; end words or pool
    // offsets; the pool of multi-word ends), a prefix's candidate extensions (rank bitmaps, filled
    // by the caller) and its frequent extensions (items then counts; bitmaps).
    private int[][] lSeq = new int[8][];
    private long[][] lEnd = new long[8][];
    private long[][] pool = new long[8][];
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
      this.itemFrom = db.itemFrom;
      this.item = db.item;
      this.data = db.data;
      this.words = db.words;
      this.bitFrom = db.bitFrom;
      this.longBits = db.longBits;
      this.rw = db.rankWords;
      this.pw = db.pw;
      this.nShort = db.nShort;
      this.cmapS = db.cmapS;
      this.cmapI = db.cmapI;
      this.budget = projectBudget > 0 ? projectBudget : Math.max(1 << 21, db.item.length);
      int f = db.nFrequent;
      iCount = new int[f];
      sCount = new int[f];
      iPos = new int[f];
      sPos = new int[f];
      mask = new long[db.maxWords];
      all = new long[rw];
      gI = new long[rw];
      gS = new long[rw];
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
      ensureLevel(0, n);
      final int[] ls = lSeq[0];
      final long[] le = lEnd[0];
      int poolSize = 0;
      for (int j = 0; j < n; j++) {
        final int s = db.vSeq[from + j];
        final int k = db.vIdx[from + j];
        ls[j] = s;
        if (s < nShort) {
          le[j] = data[k + (s + 1) * pw];
        } else {
          final int ws = words[s];
          pool[0] = ArrayUtil.grow(pool[0], (long) poolSize + ws);
          System.arraycopy(longBits, bitFrom[s] + (k - itemFrom[s]) * ws, pool[0], poolSize, ws);
          le[j] = poolSize;
          poolSize += ws;
        }
      }
      prefix[0] = task;
      emit(1, db.rankCount[task]);
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
              + 6L * RamUsage.sizeOf(iCount)
              + RamUsage.sizeOf(mask)
              + 3L * RamUsage.sizeOf(all)
              + RamUsage.sizeOf(prefix)
              + RamUsage.sizeOf(out);
      for (int d = 0; d < lSeq.length; d++) {
        b += sizeOrZero(lSeq[d]) + sizeOrZero(extI[d]) + sizeOrZero(extS[d]);
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
        pool = Arrays.copyOf(pool, len);
        candI = Arrays.copyOf(candI, len);
        candS = Arrays.copyOf(candS, len);
        extI = Arrays.copyOf(extI, len);
        extS = Arrays.copyOf(extS, len);
        freqI = Arrays.copyOf(freqI, len);
        freqS = Arrays.copyOf(freqS, len);
      }
      if (lSeq[d] == null || lSeq[d].length < n) {
        int len = ArrayUtil.grow(lSeq[d] == null ? 0 : lSeq[d].length, n);
        lSeq[d] = new int[len];
        lEnd[d] = new long[len];
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
      final long[] pl = pool[d];
      final long[] cI = candI[d];
      final long[] cS = candS[d];
      final int[] itm = item;
      final long[] dt = data;
      final int[] ic = iCount;
      final int[] sc = sCount;
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
        final int s = ls[e];
        final int kFrom = itemFrom[s];
        if (s < nShort) {
          final long end = le[e];
          final long sm = sMask(end);
          if (p > 0) {
            // presence words: only the candidates the sequence holds (F5)
            final int pb = kFrom + s * p;
            int bb = pb + p; // the bitmap of the word's first item
            for (int w = 0; w < p; w++) {
              final long pr = dt[pb + w];
              long c = sm == 0 ? 0 : pr & cS[w]; // no step after the first end step: no s
              while (c != 0) {
                final long bit = c & -c;
                c ^= bit;
                final long b = dt[bb + Long.bitCount(pr & (bit - 1))];
                sc[(w << 6) + Long.numberOfTrailingZeros(bit)] += nonZero(b & sm);
              }
              c = pr & cI[w];
              while (c != 0) {
                final long bit = c & -c;
                c ^= bit;
                final long b = dt[bb + Long.bitCount(pr & (bit - 1))];
                ic[(w << 6) + Long.numberOfTrailingZeros(bit)] += nonZero(b & end);
              }
              bb += Long.bitCount(pr);
            }
          } else {
            final int kTo = itemFrom[s + 1];
            for (int k = kFrom; k < kTo; k++) {
              final int y = itm[k];
              final long b = dt[k];
              if (has(cS, y) && (b & sm) != 0) {
                sc[y]++;
              }
              if (has(cI, y) && (b & end) != 0) {
                ic[y]++;
              }
            }
          }
        } else {
          // several bitmap words
          final int ws = words[s];
          final int off = (int) le[e];
          final int kTo = itemFrom[s + 1];
          sMask(pl, off, ws);
          int bo = bitFrom[s];
          for (int k = kFrom; k < kTo; k++, bo += ws) {
            final int y = itm[k];
            if (has(cS, y) && intersects(longBits, bo, mask, 0, ws)) {
              sc[y]++;
            }
            if (has(cI, y) && intersects(longBits, bo, pl, off, ws)) {
              ic[y]++;
            }
          }
        }
      }
      final int nI = collect(d, cI, cS);
      final int nS = nCollectedS;
      final int nc = nI + nS;
      final int[] eI = extI[d];
      final int[] eS = extS[d];
      final boolean deeper = items + 1 < maxLen;
      final long[] fI = freqI[d];
      final long[] fS = freqS[d];
      // children in order: i-extensions (the item joins the prefix's last step), then
      // s-extensions (the item starts a new step), each ascending by rank
      int c = 0;
      while (c < nc) {
        int cEnd = c;
        int childFrom = 0;
        if (deeper) {
          // a group of children projected in one pass: as many as the budget allows, at least one
          long total = 0;
          while (cEnd < nc) {
            int count = cEnd < nI ? eI[2 * cEnd + 1] : eS[2 * (cEnd - nI) + 1];
            if (cEnd > c && total + count > budget) {
              break;
            }
            total += count;
            cEnd++;
          }
          project(d, from, n, c, cEnd, nI, (int) total);
        } else {
          cEnd = nc;
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
          }
        }
        cI[w] = ci;
        cS[w] = cs;
        left |= ci | cs;
      }
      return left != 0;
    }

    /** 1 if x != 0, else 0, without a branch. */
    private static int nonZero(long x) {
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
            nI++;
            fi |= bit;
          }
          if ((cs & bit) != 0 && sc[y] >= minCount) {
            eS[2 * nS] = y;
            eS[2 * nS + 1] = sc[y];
            nS++;
            fs |= bit;
          }
          ic[y] = 0;
          sc[y] = 0;
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
    private void project(int d, int from, int n, int c0, int c1, int nI, int total) {
      ensureLevel(d + 1, total);
      final int[] eI = extI[d];
      final int[] eS = extS[d];
      final long[] g1 = gI;
      final long[] g2 = gS;
      Arrays.fill(g1, 0L);
      Arrays.fill(g2, 0L);
      int at = 0;
      for (int c = c0; c < c1; c++) {
        if (c < nI) {
          int x = eI[2 * c];
          g1[x >>> 6] |= 1L << x;
          iPos[x] = at;
          at += eI[2 * c + 1];
        } else {
          int x = eS[2 * (c - nI)];
          g2[x >>> 6] |= 1L << x;
          sPos[x] = at;
          at += eS[2 * (c - nI) + 1];
        }
      }
      final int[] ls = lSeq[d];
      final long[] le = lEnd[d];
      final long[] pl = pool[d];
      final int[] os = lSeq[d + 1];
      final long[] oe = lEnd[d + 1];
      final int[] itm = item;
      final long[] dt = data;
      final int[] ip = iPos;
      final int[] sp = sPos;
      final int p = pw;
      int poolSize = 0;
      for (int e = from; e < from + n; e++) {
        final int s = ls[e];
        final int kFrom = itemFrom[s];
        if (s < nShort) {
          final long end = le[e];
          final long sm = sMask(end);
          if (p > 0) {
            final int pb = kFrom + s * p;
            int bb = pb + p;
            for (int w = 0; w < p; w++) {
              final long pr = dt[pb + w];
              long c = pr & g1[w];
              while (c != 0) {
                final long bit = c & -c;
                c ^= bit;
                final long ne = dt[bb + Long.bitCount(pr & (bit - 1))] & end;
                if (ne != 0) {
                  final int q = ip[(w << 6) + Long.numberOfTrailingZeros(bit)]++;
                  os[q] = s;
                  oe[q] = ne;
                }
              }
              c = sm == 0 ? 0 : pr & g2[w];
              while (c != 0) {
                final long bit = c & -c;
                c ^= bit;
                final long ne = dt[bb + Long.bitCount(pr & (bit - 1))] & sm;
                if (ne != 0) {
                  final int q = sp[(w << 6) + Long.numberOfTrailingZeros(bit)]++;
                  os[q] = s;
                  oe[q] = ne;
                }
              }
              bb += Long.bitCount(pr);
            }
          } else {
            final int kTo = itemFrom[s + 1];
            for (int k = kFrom; k < kTo; k++) {
              final int y = itm[k];
              final long b = dt[k];
              if (has(g1, y) && (b & end) != 0) {
                final int q = ip[y]++;
                os[q] = s;
                oe[q] = b & end;
              }
              if (has(g2, y) && (b & sm) != 0) {
                final int q = sp[y]++;
                os[q] = s;
                oe[q] = b & sm;
              }
            }
          }
        } else {
          final int ws = words[s];
          final int off = (int) le[e];
          final int kTo = itemFrom[s + 1];
          sMask(pl, off, ws);
          int bo = bitFrom[s];
          for (int k = kFrom; k < kTo; k++, bo += ws) {
            final int y = itm[k];
            if (has(g1, y) && intersects(longBits, bo, pl, off, ws)) {
              poolSize = appendLong(d + 1, ip[y]++, s, longBits, bo, pl, off, ws, poolSize);
            }
            if (has(g2, y) && intersects(longBits, bo, mask, 0, ws)) {
              poolSize = appendLong(d + 1, sp[y]++, s, longBits, bo, mask, 0, ws, poolSize);
            }
          }
        }
      }
    }

    /** Entry q of level {@code lv} := (s, a & b over ws words, kept in the level's pool). */
    private int appendLong(
        int lv, int q, int s, long[] a, int ao, long[] b, int bo, int ws, int poolSize) {
      long[] pl = pool[lv] = ArrayUtil.grow(pool[lv], (long) poolSize + ws);
      for (int w = 0; w < ws; w++) {
        pl[poolSize + w] = a[ao + w] & b[bo + w];
      }
      lSeq[lv][q] = s;
      lEnd[lv][q] = poolSize;
      return poolSize + ws;
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
