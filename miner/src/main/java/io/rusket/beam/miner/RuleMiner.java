package io.rusket.beam.miner;

import java.util.Arrays;
import java.util.Objects;

/**
 * Generates association rules from frequent itemsets, exactly as mlxtend's {@code
 * association_rules} (and rusket, which copies it): for every itemset {@code X} of at least two
 * items and every non-empty proper subset {@code A} of {@code X}, the rule {@code A → C} with
 * {@code C = X \ A}, its {@link RuleMetric metrics} computed from the supports of {@code X}, {@code
 * A} and {@code C}, is kept iff the chosen metric is at least the threshold.
 *
 * <p>Configuration is immutable: each {@code withX} returns a copy. Example of use:
 *
 * <pre>{@code
 * TransactionDb db = TransactionDb.readBaskets(Path.of("retail.dat"));
 * Itemsets freq = ItemsetMiner.minSupport(0.01).mine(db);
 * Rules rules = RuleMiner.of(RuleMetric.LIFT, 1.2).generate(freq);
 * for (int i = 0; i < rules.size(); i++) {
 *   System.out.println(Arrays.toString(rules.antecedentNames(i)) + " -> "
 *       + Arrays.toString(rules.consequentNames(i)) + " lift=" + rules.metric(i, RuleMetric.LIFT));
 * }
 * // or stream huge results without holding them:
 * RuleMiner.create().generate(freq, (ant, aLen, con, cLen, metrics) -> { ... });
 * }</pre>
 *
 * <p><b>Supports.</b> Support = count / N for every itemset, as {@link Itemsets#support(int)}. The
 * supports of {@code A} and {@code C} are looked up in the itemsets themselves (through an
 * open-addressing hash over the itemsets' compressed rows), so every non-empty subset of an itemset
 * of two or more items must be present, as it is in the output of {@link ItemsetMiner} with or
 * without a maximum length. A missing subset is an {@link IllegalArgumentException} naming it, as
 * mlxtend raises a {@code KeyError}; so is an itemset listed twice (mlxtend's dict would silently
 * keep one).
 *
 * <p><b>Order.</b> Deterministic: itemsets in the order of the {@link Itemsets}; within an itemset
 * {@code X} of length {@code L}, mlxtend's order: antecedent sizes from {@code L − 1} down to 1,
 * and for each size the antecedents in lexicographic order of their positions in {@code X} (items
 * ascending), that is {@code itertools.combinations} order.
 *
 * <p><b>Threshold.</b> A rule is kept iff {@code metric >= minThreshold}, a NaN metric never, as in
 * mlxtend. Any non-NaN threshold is accepted, including ±∞ ({@code -∞} keeps every rule, {@code +∞}
 * with {@link RuleMetric#CONVICTION} keeps the rules of confidence 1). How the comparison is made
 * depends on the metric:
 *
 * <ul>
 *   <li><b>Exact</b> for the four metrics that are ratios of counts — {@link
 *       RuleMetric#ANTECEDENT_SUPPORT} ({@code count(A) / N}), {@link
 *       RuleMetric#CONSEQUENT_SUPPORT} ({@code count(C) / N}), {@link RuleMetric#SUPPORT} ({@code
 *       count(A ∪ C) / N}) and {@link RuleMetric#CONFIDENCE} ({@code count(A ∪ C) / count(A)}):
 *       with {@code minThreshold = p / q} its exact decimal value (as {@link Double#toString}
 *       prints it, the value you wrote), a rule is kept iff {@code numerator × q >= p ×
 *       denominator} on the integer counts — the decimal arithmetic of {@link
 *       ItemsetMiner#thresholdCount minSupport}. So a confidence of exactly 4/5 is kept by {@code
 *       minThreshold = 0.8}, although its double {@code sAC / sA} can fall below 0.8 ({@code (4/6.)
 *       / (5/6.)} is 0.7999999999999999).
 *   <li><b>Floating point</b> for the other eight ({@link RuleMetric#LIFT}, {@link
 *       RuleMetric#REPRESENTATIVITY}, {@link RuleMetric#LEVERAGE}, {@link RuleMetric#CONVICTION},
 *       {@link RuleMetric#ZHANGS_METRIC}, {@link RuleMetric#JACCARD}, {@link RuleMetric#CERTAINTY},
 *       {@link RuleMetric#KULCZYNSKI}): the double that {@link RuleMetric#compute} returns is
 *       compared with {@code >=} to the double {@code minThreshold}, so a value that is
 *       mathematically equal to the threshold may fall a last bit short of it and be dropped, as in
 *       mlxtend.
 * </ul>
 *
 * <p>Either way the metric values delivered with a rule are the doubles of {@link RuleMetric} (for
 * instance {@code confidence = sAC / sA}), unchanged by the exact comparison.
 *
 * <p><b>Differences from mlxtend.</b> No missing values ({@code null_values}), so {@link
 * RuleMetric#REPRESENTATIVITY} is always 1; no {@code support_only} mode (all metrics are always
 * computed); no itemsets means no rules, where mlxtend raises a {@code ValueError}; confidence is
 * {@code sAC / sA} (see {@link RuleMetric} for the last-bit difference when mlxtend is given {@code
 * num_itemsets}).
 *
 * <p><b>Memory.</b> The itemsets and an index of 8 to 16 bytes per itemset must fit in the heap;
 * the rules need not, when streamed to a {@link RuleSink}. Collected {@link Rules} take 96 bytes of
 * metrics plus 8 bytes and 4 per item per rule (before array growth slack). An itemset of {@code L}
 * items yields {@code 2^L − 2} candidate rules, each costing two hash lookups and no allocation
 * (the exact threshold test multiplies longs; only a threshold below about 1e-18 or above 9e18
 * needs {@code BigInteger}).
 *
 * <p>References: Agrawal and Srikant, "Fast algorithms for mining association rules", Proc. 20th
 * VLDB, 1994, pp. 487–499 (rules from frequent itemsets); metric definitions as in mlxtend
 * (Raschka, "MLxtend", Journal of Open Source Software 3(24), 2018), with the original references
 * listed on {@link RuleMetric}.
 */
public final class RuleMiner {
  /** Default metric, as mlxtend's {@code metric="confidence"}. */
  public static final RuleMetric DEFAULT_METRIC = RuleMetric.CONFIDENCE;

  /** Default threshold, as mlxtend's {@code min_threshold=0.8}. */
  public static final double DEFAULT_MIN_THRESHOLD = 0.8;

  private final RuleMetric metric;
  private final double minThreshold;
  private final Target input;

  private RuleMiner(RuleMetric metric, double minThreshold) {
    this(metric, minThreshold, Target.ALL);
  }

  private RuleMiner(RuleMetric metric, double minThreshold, Target input) {
    this.metric = metric;
    this.minThreshold = minThreshold;
    this.input = input;
  }

  /** Rules with confidence at least 0.8 (mlxtend's defaults). */
  public static RuleMiner create() {
    return new RuleMiner(DEFAULT_METRIC, DEFAULT_MIN_THRESHOLD);
  }

  /**
   * Rules whose {@code metric} is at least {@code minThreshold}.
   *
   * @throws IllegalArgumentException if {@code metric} is null or {@code minThreshold} is NaN
   */
  public static RuleMiner of(RuleMetric metric, double minThreshold) {
    return new RuleMiner(checkMetric(metric), checkThreshold(minThreshold));
  }

  /**
   * The metric that selects rules.
   *
   * @throws IllegalArgumentException if {@code m} is null
   */
  public RuleMiner withMetric(RuleMetric m) {
    return new RuleMiner(checkMetric(m), minThreshold, input);
  }

  /**
   * The least value of the metric for a rule to be kept (inclusive; exact for the ratios of counts,
   * see "Threshold" in the class documentation).
   *
   * @throws IllegalArgumentException if {@code t} is NaN
   */
  public RuleMiner withMinThreshold(double t) {
    return new RuleMiner(metric, checkThreshold(t), input);
  }

  /**
   * What the itemsets given to {@code generate} are: {@link Target#ALL} (the default: every
   * frequent itemset, each subset of an itemset listed) or {@link Target#CLOSED} (the closed
   * itemsets, as {@code ItemsetMiner.withTarget(Target.CLOSED)} mines them): the support of every
   * frequent itemset is then recovered as that of its smallest closed superset, and the rules are
   * exactly those of all frequent itemsets (in canonical itemset order). The recovered itemsets are
   * held in memory (8 bytes and 4 per item each, plus an index), as the full set would be. Example:
   * {@code RuleMiner.of(RuleMetric.LIFT, 1.2).withInput(Target.CLOSED).generate(closed)}.
   *
   * @throws IllegalArgumentException for {@link Target#MAXIMAL} (maximal itemsets do not give the
   *     supports of their subsets) or null
   */
  public RuleMiner withInput(Target input) {
    return new RuleMiner(metric, minThreshold, checkInput(input));
  }

  /** Validates the kind of itemsets rules are generated from (ALL or CLOSED). */
  public static Target checkInput(Target input) {
    if (input == null) {
      throw new IllegalArgumentException(
          "Invalid rules input: null. Valid values are all, closed.");
    }
    if (input == Target.MAXIMAL) {
      throw new IllegalArgumentException(
          "Rules cannot be generated from maximal itemsets: they do not give the supports of their"
              + " subsets. Mine closed itemsets (target closed), which give every support, or all.");
    }
    return input;
  }

  /** What the itemsets given to {@code generate} are (ALL or CLOSED). */
  public Target getInput() {
    return input;
  }

  /** The metric that selects rules. */
  public RuleMetric getMetric() {
    return metric;
  }

  /** The least value of the metric for a rule to be kept. */
  public double getMinThreshold() {
    return minThreshold;
  }

  private static RuleMetric checkMetric(RuleMetric m) {
    if (m == null) {
      throw new IllegalArgumentException(
          "Invalid metric: null. Valid metrics are " + RuleMetric.validNames() + ".");
    }
    return m;
  }

  private static double checkThreshold(double t) {
    if (Double.isNaN(t)) {
      throw new IllegalArgumentException(
          "Invalid minThreshold: "
              + t
              + ". It must be a number (-Infinity and Infinity are"
              + " allowed).");
    }
    return t;
  }

  /** Generates and collects every rule. */
  public Rules generate(Itemsets itemsets) {
    Objects.requireNonNull(itemsets, "itemsets");
    Rules.Collector c = Rules.collector(itemsets.nTransactions(), itemsets.itemNames());
    generate(itemsets, c);
    return c.build();
  }

  /**
   * Generates every rule, delivering each to {@code sink} from the calling thread, in the order
   * documented above.
   *
   * @return the number of rules delivered
   * @throws IllegalArgumentException if a subset of an itemset is missing from {@code itemsets}, or
   *     an itemset is listed twice or is not strictly ascending
   */
  public long generate(Itemsets itemsets, RuleSink sink) {
    Objects.requireNonNull(itemsets, "itemsets");
    Objects.requireNonNull(sink, "sink");
    if (input == Target.CLOSED) {
      itemsets = ClosedExpansion.expand(itemsets);
    }
    final int size = itemsets.size();
    final int maxLen = itemsets.maxLength();
    if (maxLen < 2) {
      ItemsetIndex.of(itemsets); // validates the input all the same
      return 0;
    }
    final ItemsetIndex index = ItemsetIndex.of(itemsets);
    final int[] offsets = itemsets.rawOffsets();
    final int[] items = itemsets.rawItems();
    final long[] counts = itemsets.rawCounts();
    final long nTxns = itemsets.nTransactions();
    final double n = nTxns;
    final RuleMetric selector = metric;
    final double threshold = minThreshold;
    // The four ratios of counts are compared exactly on the counts (see "Threshold" above).
    final int ratio = ratioKind(selector);
    final RatioThreshold exact =
        ratio == NOT_A_RATIO ? null : new RatioThreshold(threshold, maxCount(nTxns, counts, size));
    final int[] pos = new int[maxLen]; // positions in X of the antecedent's items, ascending
    final int[] ant = new int[maxLen];
    final int[] con = new int[maxLen];
    final double[] metrics = new double[RuleMetric.COUNT];
    long rules = 0;
    for (int i = 0; i < size; i++) {
      final int from = offsets[i];
      final int len = offsets[i + 1] - from;
      if (len < 2) {
        continue;
      }
      final double sAC = counts[i] / n;
      for (int k = len - 1; k >= 1; k--) {
        for (int j = 0; j < k; j++) {
          pos[j] = j;
        }
        while (true) {
          // Split X into the antecedent (positions pos[0, k)) and the consequent (the rest).
          for (int q = 0, p = 0, c = 0; q < len; q++) {
            if (p < k && pos[p] == q) {
              ant[p++] = items[from + q];
            } else {
              con[c++] = items[from + q];
            }
          }
          final int cLen = len - k;
          final int ia = index.find(ant, k);
          if (ia < 0) {
            throw missing(itemsets, i, ant, k);
          }
          final int ic = index.find(con, cLen);
          if (ic < 0) {
            throw missing(itemsets, i, con, cLen);
          }
          final double sA = counts[ia] / n;
          final double sC = counts[ic] / n;
          final boolean keep =
              exact != null
                  ? keepsRatio(
                      ratio, exact, counts[i], counts[ia], counts[ic], nTxns, selector, threshold)
                  : selector.compute(sAC, sA, sC) >= threshold;
          if (keep) {
            RuleMetric.computeAll(sAC, sA, sC, metrics);
            sink.accept(ant, k, con, cLen, metrics);
            rules++;
          }
          // Next combination of k positions out of len, in lexicographic order.
          int j = k - 1;
          while (j >= 0 && pos[j] == len - k + j) {
            j--;
          }
          if (j < 0) {
            break;
          }
          pos[j]++;
          for (int t = j + 1; t < k; t++) {
            pos[t] = pos[t - 1] + 1;
          }
        }
      }
    }
    return rules;
  }

  /** {@link #ratioKind}: the metric is not a ratio of counts. */
  private static final int NOT_A_RATIO = -1;

  /** {@link #ratioKind}: count(A) / N, count(C) / N, count(A ∪ C) / N, count(A ∪ C) / count(A). */
  private static final int A_OVER_N = 0;

  private static final int C_OVER_N = 1;
  private static final int AC_OVER_N = 2;
  private static final int AC_OVER_A = 3;

  /** Which ratio of counts {@code m} is, or {@link #NOT_A_RATIO}. */
  private static int ratioKind(RuleMetric m) {
    switch (m) {
      case ANTECEDENT_SUPPORT:
        return A_OVER_N;
      case CONSEQUENT_SUPPORT:
        return C_OVER_N;
      case SUPPORT:
        return AC_OVER_N;
      case CONFIDENCE:
        return AC_OVER_A;
      default:
        return NOT_A_RATIO;
    }
  }

  /** The largest of N and the itemsets' counts: the bound of every numerator and denominator. */
  private static long maxCount(long nTxns, long[] counts, int size) {
    long max = Math.max(0, nTxns);
    for (int i = 0; i < size; i++) {
      max = Math.max(max, counts[i]);
    }
    return max;
  }

  /**
   * Whether the rule's ratio of counts reaches the threshold, exactly. A zero denominator (N = 0 or
   * count(A) = 0, only in hand-made itemsets) or a negative count takes the floating-point
   * comparison of the metric instead, so ∞ and NaN behave as before.
   */
  private static boolean keepsRatio(
      int ratio,
      RatioThreshold exact,
      long cAC,
      long cA,
      long cC,
      long nTxns,
      RuleMetric selector,
      double threshold) {
    long num;
    long den;
    switch (ratio) {
      case A_OVER_N:
        num = cA;
        den = nTxns;
        break;
      case C_OVER_N:
        num = cC;
        den = nTxns;
        break;
      case AC_OVER_N:
        num = cAC;
        den = nTxns;
        break;
      case AC_OVER_A:
      default:
        num = cAC;
        den = cA;
        break;
    }
    if (den > 0 && num >= 0) {
      return exact.accepts(num, den);
    }
    double n = nTxns;
    return selector.compute(cAC / n, cA / n, cC / n) >= threshold;
  }

  private static IllegalArgumentException missing(Itemsets itemsets, int i, int[] subset, int len) {
    String[] names = new String[len];
    for (int k = 0; k < len; k++) {
      names[k] = itemsets.itemName(subset[k]);
    }
    return new IllegalArgumentException(
        "Itemset "
            + Arrays.toString(names)
            + " (a subset of itemset "
            + Arrays.toString(itemsets.names(i))
            + " at index "
            + i
            + ") is missing from the itemsets, so its support is unknown. Rules need every"
            + " non-empty subset of each itemset, as ItemsetMiner outputs them; for closed"
            + " itemsets use withInput(Target.CLOSED), which recovers the missing supports"
            + " (maximal or otherwise filtered itemsets do not have them).");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RuleMiner)) {
      return false;
    }
    RuleMiner other = (RuleMiner) o;
    return metric == other.metric
        && Double.compare(minThreshold, other.minThreshold) == 0
        && input == other.input;
  }

  @Override
  public int hashCode() {
    return (31 * metric.hashCode() + Double.hashCode(minThreshold)) * 31 + input.hashCode();
  }

  @Override
  public String toString() {
    return "RuleMiner{metric="
        + metric.columnName()
        + ", minThreshold="
        + minThreshold
        + (input == Target.ALL ? "" : ", input=" + input)
        + "}";
  }
}
