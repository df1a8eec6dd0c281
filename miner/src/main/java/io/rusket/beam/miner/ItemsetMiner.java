package io.rusket.beam.miner;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Objects;

/**
 * Mines frequent itemsets from a {@link TransactionDb}: every itemset whose count (number of
 * transactions containing all its items) reaches the threshold.
 *
 * <p>Configuration is immutable: each {@code withX} returns a copy. Example of use:
 *
 * <pre>{@code
 * TransactionDb db = TransactionDb.readBaskets(Path.of("retail.dat"));
 * Itemsets freq = ItemsetMiner.minSupport(0.01).withMaxLen(3).withMethod(Method.AUTO).mine(db);
 * for (int i = 0; i < freq.size(); i++) {
 *   System.out.println(Arrays.toString(freq.names(i)) + " " + freq.support(i));
 * }
 * // or stream huge results without holding them:
 * ItemsetMiner.minCount(100).mine(db, (items, len, count) -> { ... });
 * }</pre>
 *
 * <p><b>Support.</b> As in mlxtend and rusket, {@code support = count / N} and an itemset is
 * frequent iff {@code support >= minSupport}. The integer threshold is computed once, exactly, from
 * the decimal value of {@code minSupport}: {@code minCount = ceil(minSupport × N)} in decimal
 * arithmetic, so 0.1 × 8124 gives 813 and 0.07 × 100 gives 7 (floating point would give 8). An
 * absolute {@link #minCount(long)} may be given instead.
 *
 * <p><b>Threads.</b> The first-level projections (one per frequent item) are mined in parallel on
 * {@link #withThreads(int) threads} threads (default: all cores). Results are delivered from the
 * calling thread, in the same order as a single-threaded run, so they are identical.
 *
 * <p><b>Memory.</b> The database and the mining structures (the FP-tree, or Eclat's tid-lists) must
 * fit in the heap; the results need not, when streamed to an {@link ItemsetSink}. In parallel mode
 * each thread buffers the results of the projection it is mining until earlier projections have
 * been delivered.
 */
public final class ItemsetMiner {
  /** Default method. */
  public static final Method DEFAULT_METHOD = Method.AUTO;

  /** Default target: every frequent itemset. */
  public static final Target DEFAULT_TARGET = Target.ALL;

  private final double minSupport; // NaN when minCount is given
  private final long minCount; // -1 when minSupport is given
  private final Integer maxLen; // null = unlimited
  private final Method method;
  private final int threads;
  private final Target target;
  private final Integer topK; // null = every itemset
  private final int minLen;

  private ItemsetMiner(
      double minSupport,
      long minCount,
      Integer maxLen,
      Method method,
      int threads,
      Target target,
      Integer topK,
      int minLen) {
    this.minSupport = minSupport;
    this.minCount = minCount;
    this.maxLen = maxLen;
    this.method = method;
    this.threads = threads;
    this.target = target;
    this.topK = topK;
    this.minLen = minLen;
  }

  private ItemsetMiner copy(Integer maxLen, Method method, int threads, Target target) {
    return new ItemsetMiner(minSupport, minCount, maxLen, method, threads, target, topK, minLen);
  }

  /**
   * A miner with a relative threshold: frequent iff {@code count / N >= minSupport}.
   *
   * @throws IllegalArgumentException if {@code minSupport} is not in (0, 1]
   */
  public static ItemsetMiner minSupport(double minSupport) {
    checkMinSupport(minSupport);
    return new ItemsetMiner(
        minSupport,
        -1,
        null,
        DEFAULT_METHOD,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_TARGET,
        null,
        1);
  }

  /**
   * A miner with an absolute threshold: frequent iff {@code count >= minCount}.
   *
   * @throws IllegalArgumentException if {@code minCount < 1}
   */
  public static ItemsetMiner minCount(long minCount) {
    if (minCount < 1 || minCount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Invalid minCount: " + minCount + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return new ItemsetMiner(
        Double.NaN,
        minCount,
        null,
        DEFAULT_METHOD,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_TARGET,
        null,
        1);
  }

  /**
   * A miner of the {@code k} itemsets of highest count, with no support threshold: see {@link
   * #withTopK(int)}. Example: {@code ItemsetMiner.topK(10).withMinLen(2).mine(db)} gives the ten
   * most frequent itemsets of two or more items.
   *
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public static ItemsetMiner topK(int k) {
    return minCount(1).withTopK(k);
  }

  /** Validates a relative support threshold; the message names the value and the range. */
  public static void checkMinSupport(double minSupport) {
    if (!(minSupport > 0.0 && minSupport <= 1.0)) {
      throw new IllegalArgumentException(
          "Invalid minSupport: " + minSupport + ". Valid range is (0, 1].");
    }
  }

  /**
   * The exact integer threshold {@code ceil(minSupport × n)}, computed on the decimal value of
   * {@code minSupport} (as printed by {@link Double#toString}), and at least 1.
   */
  public static long thresholdCount(double minSupport, long n) {
    checkMinSupport(minSupport);
    if (n < 0) {
      throw new IllegalArgumentException("Invalid number of transactions: " + n);
    }
    long c =
        BigDecimal.valueOf(minSupport)
            .multiply(BigDecimal.valueOf(n))
            .setScale(0, RoundingMode.CEILING)
            .longValueExact();
    return Math.max(1, c);
  }

  /**
   * Only itemsets of at most {@code maxLen} items.
   *
   * @throws IllegalArgumentException if {@code maxLen < 1}
   */
  public ItemsetMiner withMaxLen(int maxLen) {
    if (maxLen < 1) {
      throw new IllegalArgumentException(
          "Invalid maxLen: " + maxLen + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return copy(maxLen, method, threads, target);
  }

  /** Itemsets of any length (the default). */
  public ItemsetMiner withoutMaxLen() {
    return copy(null, method, threads, target);
  }

  /** The algorithm; {@link Method#AUTO} by default. */
  public ItemsetMiner withMethod(Method method) {
    Objects.requireNonNull(method, "method");
    return copy(maxLen, method, threads, target);
  }

  /**
   * Number of mining threads, at most; 1 mines on the calling thread. The others join a job only
   * once it has run 1 ms, and in a cold JVM (its first 0.5 s of mining) only after 0.2 s, since a
   * second thread of interpreted code would slow a short job down; the output is the same.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public ItemsetMiner withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "Invalid threads: " + threads + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return copy(maxLen, method, threads, target);
  }

  /**
   * Which frequent itemsets to deliver: {@link Target#ALL} (the default), only the {@link
   * Target#CLOSED closed} ones or only the {@link Target#MAXIMAL maximal} ones. Closed and maximal
   * itemsets are mined directly, by both methods: the search skips every subtree whose itemsets
   * cannot be closed, so on dense data it visits far fewer nodes than mining every frequent
   * itemset. Example: {@code ItemsetMiner.minSupport(0.1).withTarget(Target.CLOSED).mine(db)}.
   */
  public ItemsetMiner withTarget(Target target) {
    Objects.requireNonNull(target, "target");
    checkTopKTarget(topK, target);
    return copy(maxLen, method, threads, target);
  }

  /**
   * Only the {@code k} itemsets (of the target, with {@link #withMinLen minLen} to {@link
   * #withMaxLen maxLen} items) of highest count, among those reaching the support threshold if one
   * was given ({@link #topK(int)} gives none). Ties are broken deterministically: higher count
   * first, then fewer items, then the lexicographically smaller ascending item ids, so exactly
   * {@code min(k, available)} itemsets are delivered, best first, with items ascending, the same on
   * any number of threads. Mined with a threshold that rises as the k best fill (the search prunes
   * every itemset below the k-th count held so far; for all itemsets without a minimum length it
   * starts at the k-th highest item count), not by mining everything. Not with {@link
   * Target#MAXIMAL}, whose itemsets depend on the threshold itself.
   *
   * @throws IllegalArgumentException if {@code k < 1}, or the target is MAXIMAL
   */
  public ItemsetMiner withTopK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException(
          "Invalid topK: " + k + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    checkTopKTarget(k, target);
    return new ItemsetMiner(minSupport, minCount, maxLen, method, threads, target, k, minLen);
  }

  /** Every itemset (the default): no top-k. */
  public ItemsetMiner withoutTopK() {
    return new ItemsetMiner(minSupport, minCount, maxLen, method, threads, target, null, minLen);
  }

  /**
   * Only itemsets of at least {@code minLen} items (default 1), e.g. 2 to skip single items; with
   * top-k, the k best among those.
   *
   * @throws IllegalArgumentException if {@code minLen < 1}
   */
  public ItemsetMiner withMinLen(int minLen) {
    if (minLen < 1) {
      throw new IllegalArgumentException(
          "Invalid minLen: " + minLen + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return new ItemsetMiner(minSupport, minCount, maxLen, method, threads, target, topK, minLen);
  }

  /** The top-k size, or null for every itemset. */
  public Integer getTopK() {
    return topK;
  }

  /** The minimum itemset length (1 by default). */
  public int getMinLen() {
    return minLen;
  }

  private static void checkTopKTarget(Integer k, Target target) {
    if (k != null && target == Target.MAXIMAL) {
      throw new IllegalArgumentException(
          "topK does not apply to maximal itemsets (they depend on the threshold itself); use"
              + " target all or closed with topK");
    }
  }

  /** The target; {@link Target#ALL} by default. */
  public Target getTarget() {
    return target;
  }

  /** The relative threshold, or NaN when an absolute one was given. */
  public double getMinSupport() {
    return minSupport;
  }

  /** The maximum itemset length, or null for unlimited. */
  public Integer getMaxLen() {
    return maxLen;
  }

  /** The configured method (possibly {@link Method#AUTO}). */
  public Method getMethod() {
    return method;
  }

  /** Number of mining threads. */
  public int getThreads() {
    return threads;
  }

  /** The absolute threshold this miner applies to a database of {@code n} transactions. */
  public long minCountFor(long n) {
    return minCount >= 1 ? minCount : thresholdCount(minSupport, n);
  }

  /**
   * The algorithm used for {@code db}: the configured one, or for {@link Method#AUTO}: {@link
   * Method#ECLAT} (on bitsets) when the frequent items are dense — their mean support is at least
   * N/32 — and their bitsets take at most 1 GiB, else {@link Method#FPGROWTH}. See README
   * ("Choosing the method") for the measurements behind the rule.
   */
  public Method resolveMethod(TransactionDb db) {
    if (method != Method.AUTO) {
      return method;
    }
    return AutoRule.choose(db, minCountFor(db.size()));
  }

  /** Mines {@code db} and collects every frequent itemset. */
  public Itemsets mine(TransactionDb db) {
    Itemsets.Collector c = Itemsets.collector(db.size(), db.itemNames());
    mine(db, c);
    return c.build();
  }

  /**
   * Mines {@code db}, delivering every frequent itemset to {@code sink} from the calling thread.
   *
   * @return the number of itemsets delivered
   */
  public long mine(TransactionDb db, ItemsetSink sink) {
    return mineWithStats(db, sink).itemsets();
  }

  /**
   * Mines {@code db} like {@link #mine(TransactionDb, ItemsetSink)}, and reports the method that
   * ran and the memory it used.
   */
  public MiningStats mineWithStats(TransactionDb db, ItemsetSink sink) {
    return mineWithStats(db, sink, false);
  }

  /**
   * Mines {@code db} like {@link #mine(TransactionDb, ItemsetSink)}, but may overwrite {@code db}'s
   * arrays with its own working form instead of copying them (FP-Growth's ranked transactions): for
   * a database built for one mining run, e.g. the last step of a pipeline, whose transactions then
   * need to be in memory once instead of twice. {@code db} must not be used afterwards.
   *
   * @return the number of itemsets delivered
   */
  public long mineConsuming(TransactionDb db, ItemsetSink sink) {
    return mineWithStats(db, sink, true).itemsets();
  }

  private MiningStats mineWithStats(TransactionDb db, ItemsetSink sink, boolean consume) {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(sink, "sink");
    long threshold = minCountFor(db.size());
    int limit = maxLen == null ? Integer.MAX_VALUE : maxLen;
    if (minLen > limit) {
      throw new IllegalArgumentException(
          "Invalid minLen: " + minLen + " is above maxLen " + limit + "; no itemset fits");
    }
    if (topK != null) {
      return mineTopK(db, sink, threshold, limit);
    }
    long[] kept = new long[1];
    ItemsetSink out = sink;
    if (minLen > 1) {
      out =
          (items, len, count) -> {
            if (len >= minLen) {
              sink.accept(items, len, count);
              kept[0]++;
            }
          };
    }
    MiningStats stats = run(db, out, threshold, limit, consume, null);
    return minLen > 1 ? stats.withItemsets(kept[0]) : stats;
  }

  private MiningStats run(
      TransactionDb db,
      ItemsetSink out,
      long threshold,
      int limit,
      boolean consume,
      Threshold rising) {
    Method m = method != Method.AUTO ? method : AutoRule.choose(db, threshold);
    if (db.size() == 0 || threshold > db.size()) {
      return MiningStats.empty(m, threshold, threads);
    } else if (m == Method.ECLAT) {
      return new Eclat(db, (int) threshold, limit, threads, Eclat.Layout.AUTO, target)
          .rising(rising)
          .run(out);
    } else {
      return new FpGrowth(db, (int) threshold, limit, threads, consume, target)
          .rising(rising)
          .run(out);
    }
  }

  /**
   * Top-k: mines from a starting threshold T — the k-th highest item count (exact for all itemsets
   * of any length: those k items are itemsets), else the same as a guess — that rises as the k best
   * fill; when fewer than k itemsets reach T, T is halved (down to the given threshold) and the
   * search rerun. Exact: once k itemsets reach T, nothing below T can be among the best k. Each
   * rerun costs at most about as much as the last, so the total is within a small factor of one run
   * at the final threshold.
   */
  private MiningStats mineTopK(TransactionDb db, ItemsetSink sink, long floor, int limit) {
    long t = db.size() == 0 ? floor : Math.max(floor, kthItemCount(db.itemCounts(), topK));
    while (true) {
      Threshold rising = new Threshold((int) Math.min(t, Integer.MAX_VALUE));
      TopK top = new TopK(topK, minLen, rising);
      MiningStats stats = run(db, top, t, limit, false, rising);
      if (top.size() >= topK || t <= floor) {
        return stats.withItemsets(top.deliver(sink));
      }
      t = Math.max(floor, t / 2);
    }
  }

  /** The k-th highest item count (1 when fewer than k items occur): a floor of the top-k count. */
  private static long kthItemCount(int[] counts, int k) {
    if (k > counts.length) {
      return 1;
    }
    int[] c = counts.clone();
    Arrays.sort(c);
    return Math.max(1, c[c.length - k]);
  }

  @Override
  public String toString() {
    return "ItemsetMiner{"
        + (minCount >= 1 ? "minCount=" + minCount : "minSupport=" + minSupport)
        + ", maxLen="
        + maxLen
        + ", method="
        + method
        + ", threads="
        + threads
        + ", target="
        + target
        + (topK == null ? "" : ", topK=" + topK)
        + (minLen == 1 ? "" : ", minLen=" + minLen)
        + "}";
  }
}
