package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rusket.beam.testing.BruteForce;
import io.rusket.beam.testing.BruteForceRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Association rules: a hand-worked example with every metric, the brute-force oracle on random data
 * for every metric and several thresholds, input validation and metric names.
 */
class RuleMinerTest {
  private static final int SEEDS = 300;
  private static final double TOL = 1e-12;
  private static final double INF = Double.POSITIVE_INFINITY;

  // ------------------------------------------------------------------------------------------
  // Hand-worked example

  /**
   * N = 6 baskets over 0 = bread (in every basket), 1 = milk, 2 = eggs, 3 = beer.
   *
   * <pre>
   * counts: {0}=6 {1}=4 {2}=4 {3}=2 {0,1}=4 {0,2}=4 {0,3}=2 {1,2}=3 {0,1,2}=3
   *         {1,3}=1 {2,3}=1 and larger ones containing 3: 1 (infrequent at minCount 2)
   * </pre>
   */
  private static final int[][] SHOP = {
    {0, 1, 2}, {0, 1, 2}, {0, 1}, {0, 2}, {0, 3}, {0, 1, 2, 3},
  };

  private static Itemsets shop(long minCount) {
    return ItemsetMiner.minCount(minCount)
        .withThreads(1)
        .mine(TransactionDb.fromIntBaskets(SHOP))
        .canonical();
  }

  /** Metrics in RuleMetric order: sA sC sAC conf lift repr lev conv zhang jacc cert kulc. */
  private static double[] m(double... v) {
    assertEquals(RuleMetric.values().length, v.length);
    return v;
  }

  // {1}->{2} and the rules with the same supports (sA = 2/3, sC = 2/3, sAC = 1/2):
  //   confidence = (1/2)/(2/3) = 3/4; lift = (3/4)/(2/3) = 9/8; leverage = 1/2 - 4/9 = 1/18;
  //   conviction = (1 - 2/3)/(1 - 3/4) = 4/3;
  //   zhang: denominator max((1/2)(1 - 2/3), (2/3)(2/3 - 1/2)) = max(1/6, 1/9) = 1/6,
  //          so (1/18)/(1/6) = 1/3;
  //   jaccard = (1/2)/(2/3 + 2/3 - 1/2) = 3/5; certainty = (3/4 - 2/3)/(1 - 2/3) = 1/4;
  //   kulczynski = (3/4 + (1/2)/(2/3))/2 = 3/4; representativity = 1 (no missing values).
  private static final double[] MILK_EGGS =
      m(2 / 3., 2 / 3., 1 / 2., 3 / 4., 9 / 8., 1, 1 / 18., 4 / 3., 1 / 3., 3 / 5., 1 / 4., 3 / 4.);

  // X -> {bread} with sX = sAC = s: confidence 1, so conviction = +Infinity; lift = 1/1 = 1;
  //   leverage = s - s·1 = 0; zhang = 0 / max(s(1-s), s(1-s)) = 0; jaccard = s/(s + 1 - s) = s;
  //   certainty: 1 - sC = 0, so 0 (zero denominator); kulczynski = (1 + s)/2.
  private static double[] toBread(double s) {
    return m(s, 1, s, 1, 1, 1, 0, INF, 0, s, 0, (1 + s) / 2);
  }

  // {bread} -> Y with sY = sAC = s: confidence = s, lift = s/s = 1, leverage = s - 1·s = 0,
  //   conviction = (1 - s)/(1 - s) = 1; zhang: denominator max(s(1 - 1), 1(s - s)) = 0, so 0
  //   (zero denominator); jaccard = s/(1 + s - s) = s; certainty = (s - s)/(1 - s) = 0;
  //   kulczynski = (s + s/s)/2 = (s + 1)/2.
  private static double[] fromBread(double s) {
    return m(1, s, s, s, 1, 1, 0, 1, 0, s, 0, (s + 1) / 2);
  }

  @Test
  void handWorkedExampleEveryRuleEveryMetricInMlxtendOrder() {
    Rules rules = RuleMiner.of(RuleMetric.SUPPORT, Double.NEGATIVE_INFINITY).generate(shop(2));
    Object[][] want = {
      // itemset {0,1}: antecedent size 1, positions in order
      {new int[] {0}, new int[] {1}, fromBread(2 / 3.)},
      {new int[] {1}, new int[] {0}, toBread(2 / 3.)},
      // {0,2}
      {new int[] {0}, new int[] {2}, fromBread(2 / 3.)},
      {new int[] {2}, new int[] {0}, toBread(2 / 3.)},
      // {0,3}
      {new int[] {0}, new int[] {3}, fromBread(1 / 3.)},
      {new int[] {3}, new int[] {0}, toBread(1 / 3.)},
      // {1,2}
      {new int[] {1}, new int[] {2}, MILK_EGGS},
      {new int[] {2}, new int[] {1}, MILK_EGGS},
      // {0,1,2}: antecedents of size 2 first, then size 1, each in lexicographic order
      {new int[] {0, 1}, new int[] {2}, MILK_EGGS}, // s{0,1} = 2/3, s{2} = 2/3
      {new int[] {0, 2}, new int[] {1}, MILK_EGGS},
      {new int[] {1, 2}, new int[] {0}, toBread(1 / 2.)}, // confidence 1: conviction +Infinity
      {new int[] {0}, new int[] {1, 2}, fromBread(1 / 2.)}, // zhang denominator 0
      {new int[] {1}, new int[] {0, 2}, MILK_EGGS},
      {new int[] {2}, new int[] {0, 1}, MILK_EGGS},
    };
    assertEquals(want.length, rules.size(), rules.toString());
    for (int i = 0; i < want.length; i++) {
      String ctx = "rule " + i + " " + rules.toString();
      assertArrayEquals((int[]) want[i][0], rules.antecedent(i), ctx);
      assertArrayEquals((int[]) want[i][1], rules.consequent(i), ctx);
      double[] w = (double[]) want[i][2];
      for (RuleMetric metric : RuleMetric.values()) {
        assertEquals(w[metric.ordinal()], rules.metric(i, metric), TOL, ctx + " " + metric);
      }
    }
    assertEquals(6, rules.nTransactions());
  }

  @Test
  void handWorkedNegativeAssociation() {
    // {1}->{3} (minCount 1): sA = 4/6, sC = 2/6, sAC = 1/6.
    //   confidence = (1/6)/(2/3) = 1/4; lift = (1/4)/(1/3) = 3/4; leverage = 1/6 - 2/9 = -1/18;
    //   conviction = (2/3)/(3/4) = 8/9;
    //   zhang: denominator max((1/6)(1/3), (2/3)(1/3 - 1/6)) = max(1/18, 1/9) = 1/9, so -1/2;
    //   jaccard = (1/6)/(2/3 + 1/3 - 1/6) = 1/5; certainty = (1/4 - 1/3)/(2/3) = -1/8;
    //   kulczynski = (1/4 + 1/2)/2 = 3/8.
    double[] want =
        m(
            2 / 3., 1 / 3., 1 / 6., 1 / 4., 3 / 4., 1, -1 / 18., 8 / 9., -1 / 2., 1 / 5., -1 / 8.,
            3 / 8.);
    Rules rules = RuleMiner.of(RuleMetric.LIFT, 0).generate(shop(1));
    int found = -1;
    for (int i = 0; i < rules.size(); i++) {
      if (Arrays.equals(rules.antecedent(i), new int[] {1})
          && Arrays.equals(rules.consequent(i), new int[] {3})) {
        found = i;
      }
    }
    assertTrue(found >= 0, rules.toString());
    for (RuleMetric metric : RuleMetric.values()) {
      assertEquals(want[metric.ordinal()], rules.metric(found, metric), TOL, metric.toString());
    }
  }

  @Test
  void defaultsKeepConfidenceAtLeastPoint8() {
    Rules rules = RuleMiner.create().generate(shop(2));
    // Only the rules into bread have confidence >= 0.8 (all 1); the others have 3/4 or less.
    String[] want = {"[1] -> [0]", "[2] -> [0]", "[3] -> [0]", "[1, 2] -> [0]"};
    assertEquals(want.length, rules.size(), rules.toString());
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], key(rules, i));
      assertEquals(INF, rules.metric(i, RuleMetric.CONVICTION));
    }
  }

  @Test
  void thresholdIsInclusive() {
    Itemsets itemsets = shop(2);
    // The confidence of {1} -> {2} is the double (3/6.)/(4/6.): 6 rules have it (MILK_EGGS), 4
    // have confidence 1 (into bread) and the other 4 less.
    double c = (3 / 6.) / (4 / 6.);
    assertEquals(10, RuleMiner.of(RuleMetric.CONFIDENCE, c).generate(itemsets).size());
    assertEquals(4, RuleMiner.of(RuleMetric.CONFIDENCE, Math.nextUp(c)).generate(itemsets).size());
    // +Infinity conviction is kept by an infinite threshold.
    assertEquals(4, RuleMiner.of(RuleMetric.CONVICTION, INF).generate(itemsets).size());
  }

  @Test
  void itemNamesComeBackInRules() {
    TransactionDb db =
        TransactionDb.fromStringBaskets(
            List.of(List.of("bread", "milk"), List.of("bread", "milk"), List.of("bread")));
    Rules rules = RuleMiner.create().generate(ItemsetMiner.minCount(1).mine(db));
    assertEquals(1, rules.size(), rules.toString()); // milk -> bread (1); bread -> milk is 2/3
    assertTrue(rules.hasItemNames());
    assertArrayEquals(new String[] {"milk"}, rules.antecedentNames(0));
    assertArrayEquals(new String[] {"bread"}, rules.consequentNames(0));
    assertEquals("bread", rules.itemName(0));
    assertTrue(rules.toString().contains("[milk] -> [bread]"), rules.toString());
    // Without names, ids in decimal.
    Rules unnamed = RuleMiner.create().generate(shop(2));
    assertArrayEquals(new String[] {"1", "2"}, unnamed.antecedentNames(3));
  }

  // ------------------------------------------------------------------------------------------
  // Brute force

  private static final Map<RuleMetric, double[]> THRESHOLDS = new LinkedHashMap<>();

  static {
    THRESHOLDS.put(RuleMetric.ANTECEDENT_SUPPORT, new double[] {0.1, 0.3, 0.5});
    THRESHOLDS.put(RuleMetric.CONSEQUENT_SUPPORT, new double[] {0.1, 0.3, 0.5});
    THRESHOLDS.put(RuleMetric.SUPPORT, new double[] {0.05, 0.2, 0.1, 0.07});
    THRESHOLDS.put(RuleMetric.CONFIDENCE, new double[] {0.5, 0.8, 1.0, 0.7, 0.1, 0.6, 0.75});
    THRESHOLDS.put(RuleMetric.LIFT, new double[] {1.0, 1.5});
    THRESHOLDS.put(RuleMetric.REPRESENTATIVITY, new double[] {1.0, Math.nextUp(1.0)});
    THRESHOLDS.put(RuleMetric.LEVERAGE, new double[] {0.0, 0.02});
    THRESHOLDS.put(RuleMetric.CONVICTION, new double[] {1.0, 2.0, INF});
    THRESHOLDS.put(RuleMetric.ZHANGS_METRIC, new double[] {-0.5, 0.0, 0.5});
    THRESHOLDS.put(RuleMetric.JACCARD, new double[] {0.2, 0.5});
    THRESHOLDS.put(RuleMetric.CERTAINTY, new double[] {0.0, 0.3});
    THRESHOLDS.put(RuleMetric.KULCZYNSKI, new double[] {0.5, 0.7});
  }

  @Test
  void matchesBruteForceOnRandomData() {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      int nItems = 1 + rnd.nextInt(10);
      int n = rnd.nextInt(50);
      int[][] baskets = BruteForce.randomBaskets(rnd, n, nItems, 1 + rnd.nextInt(nItems + 2));
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      long minCount = 1 + (n == 0 ? 0 : rnd.nextInt(Math.max(1, n / 3)));
      int maxLen = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(2) : Integer.MAX_VALUE;
      ItemsetMiner miner = ItemsetMiner.minCount(minCount).withThreads(1);
      if (maxLen != Integer.MAX_VALUE) {
        miner = miner.withMaxLen(maxLen);
      }
      Itemsets itemsets = miner.mine(db);
      String ctx =
          "seed="
              + seed
              + " n="
              + n
              + " items="
              + nItems
              + " minCount="
              + minCount
              + " maxLen="
              + maxLen;
      List<BruteForceRules.Rule> oracle =
          BruteForceRules.all(baskets, db.nItems(), minCount, maxLen);

      // Every rule, itemsets in canonical order: the same list, in the same order.
      Rules all =
          RuleMiner.of(RuleMetric.SUPPORT, Double.NEGATIVE_INFINITY).generate(itemsets.canonical());
      assertSameRules(oracle, all, ctx + " all rules");
      for (int i = 0; i < all.size(); i++) {
        double sAC = all.metric(i, RuleMetric.SUPPORT);
        double sA = all.metric(i, RuleMetric.ANTECEDENT_SUPPORT);
        double sC = all.metric(i, RuleMetric.CONSEQUENT_SUPPORT);
        for (RuleMetric metric : RuleMetric.values()) {
          if (Double.compare(metric.compute(sAC, sA, sC), all.metric(i, metric)) != 0) {
            fail(ctx + ": compute() and the generator differ on " + metric + " of " + key(all, i));
          }
        }
      }

      // Each metric with a threshold, itemsets in the miner's order: the oracle's rules for each
      // itemset in that order, filtered.
      Map<String, List<BruteForceRules.Rule>> byItemset = new LinkedHashMap<>();
      for (BruteForceRules.Rule r : oracle) {
        byItemset.computeIfAbsent(Arrays.toString(r.itemset), k -> new ArrayList<>()).add(r);
      }
      for (Map.Entry<RuleMetric, double[]> e : THRESHOLDS.entrySet()) {
        RuleMetric metric = e.getKey();
        double threshold = e.getValue()[rnd.nextInt(e.getValue().length)];
        List<BruteForceRules.Rule> want = new ArrayList<>();
        for (int i = 0; i < itemsets.size(); i++) {
          for (BruteForceRules.Rule r :
              byItemset.getOrDefault(Arrays.toString(itemsets.items(i)), List.of())) {
            if (oracleKeeps(r, n, metric, threshold)) {
              want.add(r);
            }
          }
        }
        RuleMiner gen = RuleMiner.of(metric, threshold);
        String c = ctx + " metric=" + metric.columnName() + " threshold=" + threshold;
        Rules got = gen.generate(itemsets);
        assertSameRules(want, got, c);
        long[] streamed = {0};
        assertEquals(got.size(), gen.generate(itemsets, (a, al, cs, cl, ms) -> streamed[0]++), c);
        assertEquals(got.size(), streamed[0], c);
      }
    }
  }

  /**
   * The oracle's decision: for the ratios of counts, exactly in rational arithmetic on the counts
   * and the threshold's decimal value ({@code num / den >= t} as {@code num >= t × den} in
   * BigDecimal); for the other metrics, the oracle's double compared with {@code >=}.
   */
  private static boolean oracleKeeps(
      BruteForceRules.Rule r, long n, RuleMetric metric, double threshold) {
    long num;
    long den;
    switch (metric) {
      case ANTECEDENT_SUPPORT:
        num = r.countA;
        den = n;
        break;
      case CONSEQUENT_SUPPORT:
        num = r.countC;
        den = n;
        break;
      case SUPPORT:
        num = r.countAC;
        den = n;
        break;
      case CONFIDENCE:
        num = r.countAC;
        den = r.countA;
        break;
      default:
        return r.metrics[metric.ordinal()] >= threshold;
    }
    if (threshold == Double.NEGATIVE_INFINITY) {
      return true;
    }
    if (threshold == INF) {
      return false;
    }
    return BigDecimal.valueOf(num)
            .compareTo(new BigDecimal(Double.toString(threshold)).multiply(BigDecimal.valueOf(den)))
        >= 0;
  }

  /** Baskets where count(A ∪ C) = {@code ac} and count(A) = {@code a}, among {@code n}. */
  private static Itemsets ratioBaskets(int ac, int a, int n) {
    int[][] baskets = new int[n][];
    for (int t = 0; t < n; t++) {
      baskets[t] = t < ac ? new int[] {0, 1} : t < a ? new int[] {0} : new int[0];
    }
    return ItemsetMiner.minCount(1).withThreads(1).mine(TransactionDb.fromIntBaskets(baskets));
  }

  /** The rule {0} -> {1} of {@code rules}, or -1. */
  private static int zeroToOne(Rules rules) {
    for (int i = 0; i < rules.size(); i++) {
      if (Arrays.equals(rules.antecedent(i), new int[] {0})
          && Arrays.equals(rules.consequent(i), new int[] {1})) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void confidenceOfExactlyFourFifthsPassesPointEight() {
    // count({0,1}) = 4, count({0}) = 5, N = 6: the double (4/6.)/(5/6.) is 0.7999999999999999,
    // which a floating-point comparison with 0.8 drops; the rule's confidence is exactly 4/5.
    Itemsets itemsets = ratioBaskets(4, 5, 6);
    assertTrue((4 / 6.) / (5 / 6.) < 0.8, "the premise of this test");
    Rules rules = RuleMiner.of(RuleMetric.CONFIDENCE, 0.8).generate(itemsets);
    int i = zeroToOne(rules);
    assertTrue(i >= 0, rules.toString());
    // The value written out is still mlxtend's double.
    assertEquals((4 / 6.) / (5 / 6.), rules.metric(i, RuleMetric.CONFIDENCE));
    assertEquals(RuleMiner.DEFAULT_MIN_THRESHOLD, 0.8);
    assertTrue(zeroToOne(RuleMiner.create().generate(itemsets)) >= 0, "the defaults keep it");
    // Just above 4/5 drops it.
    assertEquals(-1, zeroToOne(RuleMiner.of(RuleMetric.CONFIDENCE, 0.8000001).generate(itemsets)));
  }

  @Test
  void confidenceBoundariesSevenTenthsAndOneTenth() {
    // 7/10 with N = 147 and 1/10 with N = 12 also round below their decimal in double.
    assertTrue((7 / 147.) / (10 / 147.) < 0.7);
    assertTrue((1 / 12.) / (10 / 12.) < 0.1);
    assertTrue(
        zeroToOne(RuleMiner.of(RuleMetric.CONFIDENCE, 0.7).generate(ratioBaskets(7, 10, 147)))
            >= 0);
    assertTrue(
        zeroToOne(RuleMiner.of(RuleMetric.CONFIDENCE, 0.1).generate(ratioBaskets(1, 10, 12))) >= 0);
    assertEquals(
        -1,
        zeroToOne(
            RuleMiner.of(RuleMetric.CONFIDENCE, 0.70000001).generate(ratioBaskets(7, 10, 147))));
    // Support and antecedent support of the same rule at their exact values: 7/147 = 1/21 is
    // not a finite decimal, 10/100 is.
    Itemsets tenth = ratioBaskets(10, 20, 100);
    assertTrue(zeroToOne(RuleMiner.of(RuleMetric.SUPPORT, 0.1).generate(tenth)) >= 0);
    assertEquals(-1, zeroToOne(RuleMiner.of(RuleMetric.SUPPORT, 0.1000001).generate(tenth)));
    assertTrue(zeroToOne(RuleMiner.of(RuleMetric.ANTECEDENT_SUPPORT, 0.2).generate(tenth)) >= 0);
    assertEquals(
        -1, zeroToOne(RuleMiner.of(RuleMetric.ANTECEDENT_SUPPORT, 0.2000001).generate(tenth)));
    assertTrue(zeroToOne(RuleMiner.of(RuleMetric.CONSEQUENT_SUPPORT, 0.1).generate(tenth)) >= 0);
    assertEquals(
        -1, zeroToOne(RuleMiner.of(RuleMetric.CONSEQUENT_SUPPORT, 0.10000001).generate(tenth)));
  }

  @Test
  void ratioThresholdsAreExactAgainstARationalOracleAtEveryBoundary() {
    // Thresholds at the decimal roundings of actual ratios (so at, just below and just above the
    // boundaries), against the exact oracle, for the four ratio metrics.
    RuleMetric[] ratios = {
      RuleMetric.ANTECEDENT_SUPPORT,
      RuleMetric.CONSEQUENT_SUPPORT,
      RuleMetric.SUPPORT,
      RuleMetric.CONFIDENCE
    };
    java.math.RoundingMode[] modes = {
      java.math.RoundingMode.UP, java.math.RoundingMode.DOWN, java.math.RoundingMode.HALF_EVEN
    };
    for (int seed = 0; seed < 200; seed++) {
      Random rnd = new Random(1000 + seed);
      int nItems = 2 + rnd.nextInt(6);
      int n = 1 + rnd.nextInt(200);
      int[][] baskets = BruteForce.randomBaskets(rnd, n, nItems, 1 + rnd.nextInt(nItems + 1));
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      Itemsets itemsets = ItemsetMiner.minCount(1).withThreads(1).mine(db).canonical();
      List<BruteForceRules.Rule> oracle =
          BruteForceRules.all(baskets, db.nItems(), 1, Integer.MAX_VALUE);
      if (oracle.isEmpty()) {
        continue;
      }
      for (RuleMetric metric : ratios) {
        for (int trial = 0; trial < 4; trial++) {
          BruteForceRules.Rule pick = oracle.get(rnd.nextInt(oracle.size()));
          long num =
              metric == RuleMetric.ANTECEDENT_SUPPORT
                  ? pick.countA
                  : metric == RuleMetric.CONSEQUENT_SUPPORT ? pick.countC : pick.countAC;
          long den = metric == RuleMetric.CONFIDENCE ? pick.countA : n;
          double threshold =
              BigDecimal.valueOf(num)
                  .divide(BigDecimal.valueOf(den), 1 + rnd.nextInt(17), modes[rnd.nextInt(3)])
                  .doubleValue();
          List<BruteForceRules.Rule> want = new ArrayList<>();
          for (BruteForceRules.Rule r : oracle) {
            if (oracleKeeps(r, n, metric, threshold)) {
              want.add(r);
            }
          }
          String ctx =
              "seed="
                  + (1000 + seed)
                  + " n="
                  + n
                  + " metric="
                  + metric.columnName()
                  + " threshold="
                  + threshold;
          assertSameRules(want, RuleMiner.of(metric, threshold).generate(itemsets), ctx);
        }
      }
    }
  }

  private static void assertSameRules(List<BruteForceRules.Rule> want, Rules got, String ctx) {
    int common = Math.min(want.size(), got.size());
    for (int i = 0; i < common; i++) {
      BruteForceRules.Rule w = want.get(i);
      if (!Arrays.equals(w.antecedent, got.antecedent(i))
          || !Arrays.equals(w.consequent, got.consequent(i))) {
        fail(ctx + ": rule " + i + " is " + key(got, i) + ", expected " + w.key());
      }
      for (RuleMetric metric : RuleMetric.values()) {
        double want1 = w.metrics[metric.ordinal()];
        double got1 = got.metric(i, metric);
        if (Double.compare(want1, got1) != 0 && !(Math.abs(want1 - got1) <= TOL)) {
          fail(ctx + ": " + metric.columnName() + " of " + w + " is " + got1);
        }
      }
    }
    if (want.size() != got.size()) {
      fail(
          ctx
              + ": "
              + got.size()
              + " rules, expected "
              + want.size()
              + "; first difference at "
              + common
              + ": "
              + (common < want.size()
                  ? "missing " + want.get(common)
                  : "extra " + key(got, common)));
    }
  }

  private static String key(Rules rules, int i) {
    return Arrays.toString(rules.antecedent(i)) + " -> " + Arrays.toString(rules.consequent(i));
  }

  // ------------------------------------------------------------------------------------------
  // Edge cases

  @Test
  void noItemsetsNoRules() {
    Itemsets empty = Itemsets.collector(0, null).build();
    assertEquals(0, RuleMiner.create().generate(empty).size());
    Itemsets none = ItemsetMiner.minCount(1).mine(TransactionDb.fromIntBaskets(new int[0][]));
    assertEquals(0, RuleMiner.create().generate(none, (a, al, c, cl, m) -> fail()));
  }

  @Test
  void singletonsOnlyNoRules() {
    Itemsets singles =
        ItemsetMiner.minCount(1).withMaxLen(1).mine(TransactionDb.fromIntBaskets(SHOP));
    assertEquals(4, singles.size());
    assertEquals(0, RuleMiner.of(RuleMetric.SUPPORT, 0).generate(singles).size());
  }

  @Test
  void oneTransactionAllItemsEverywhere() {
    // 10 items in every basket: every itemset has support 1, every rule confidence 1, and the
    // number of rules is sum over k of C(10,k)(2^k - 2) = 3^10 - 2·2^10 + 1.
    int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    Itemsets itemsets =
        ItemsetMiner.minCount(1)
            .withThreads(1)
            .mine(TransactionDb.fromIntBaskets(new int[][] {all}));
    assertEquals(1023, itemsets.size());
    long[] checked = {0};
    long count =
        RuleMiner.create()
            .generate(
                itemsets,
                (a, al, c, cl, m) -> {
                  assertTrue(al >= 1 && cl >= 1 && al + cl <= 10, al + " + " + cl);
                  // lift 1, leverage 0, conviction +inf, zhang 0 (zero denominator), certainty 0
                  // (sC = 1)
                  assertEquals(1.0, m[RuleMetric.LIFT.ordinal()]);
                  assertEquals(0.0, m[RuleMetric.LEVERAGE.ordinal()]);
                  assertEquals(INF, m[RuleMetric.CONVICTION.ordinal()]);
                  assertEquals(0.0, m[RuleMetric.ZHANGS_METRIC.ordinal()]);
                  assertEquals(0.0, m[RuleMetric.CERTAINTY.ordinal()]);
                  assertEquals(1.0, m[RuleMetric.JACCARD.ordinal()]);
                  assertEquals(1.0, m[RuleMetric.KULCZYNSKI.ordinal()]);
                  checked[0]++;
                });
    assertEquals(59049 - 2048 + 1, count);
    assertEquals(count, checked[0]);
  }

  @Test
  void collectedRulesReplayEqualAndReportMemory() {
    Itemsets itemsets = shop(1);
    RuleMiner gen = RuleMiner.of(RuleMetric.LIFT, 0);
    Rules rules = gen.generate(itemsets);
    Rules.Collector replay = Rules.collector(rules.nTransactions(), null);
    rules.forEach(replay);
    Rules copy = replay.build();
    assertEquals(rules, copy);
    assertEquals(rules.hashCode(), copy.hashCode());
    assertNotEquals(rules, RuleMiner.of(RuleMetric.LIFT, 1.01).generate(itemsets));
    assertTrue(rules.ramBytesUsed() >= 96L * rules.size(), "ramBytesUsed=" + rules.ramBytesUsed());
  }

  // ------------------------------------------------------------------------------------------
  // Validation

  @Test
  void missingSubsetIsRejectedNamingIt() {
    Itemsets.Collector c = Itemsets.collector(4, null);
    c.accept(new int[] {0}, 1, 3);
    c.accept(new int[] {0, 1}, 2, 2); // {1} is missing
    Itemsets itemsets = c.build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RuleMiner.create().generate(itemsets));
    assertTrue(
        e.getMessage().startsWith("Itemset [1] (a subset of itemset [0, 1] at index 1)"),
        e.getMessage());
  }

  @Test
  void duplicateOrUnsortedItemsetsAreRejected() {
    Itemsets.Collector dup = Itemsets.collector(4, null);
    dup.accept(new int[] {2}, 1, 3);
    dup.accept(new int[] {2}, 1, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RuleMiner.create().generate(dup.build()));
    assertTrue(e.getMessage().contains("[2] appears twice, at indices 0 and 1"), e.getMessage());

    // The collector sorts items, so the one malformed row left is a repeated item.
    Itemsets.Collector repeated = Itemsets.collector(4, null);
    repeated.accept(new int[] {1, 1}, 2, 3);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> RuleMiner.create().generate(repeated.build()));
    assertTrue(e.getMessage().contains("not strictly ascending: [1, 1]"), e.getMessage());
  }

  @Test
  void nanThresholdAndNullMetricAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RuleMiner.create().withMinThreshold(Double.NaN));
    assertEquals(
        "Invalid minThreshold: NaN. It must be a number (-Infinity and Infinity are allowed).",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> RuleMiner.of(RuleMetric.LIFT, Double.NaN));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RuleMiner.create().withMetric(null));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Invalid metric: null. Valid metrics are"
                    + " antecedent_support, consequent_support, support, confidence,"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RuleMiner.of(null, 0.5));
  }

  @Test
  void configurationIsImmutableWithDocumentedDefaults() {
    RuleMiner d = RuleMiner.create();
    assertSame(RuleMetric.CONFIDENCE, d.getMetric());
    assertEquals(0.8, d.getMinThreshold());
    assertEquals(RuleMiner.DEFAULT_METRIC, d.getMetric());
    assertEquals(RuleMiner.DEFAULT_MIN_THRESHOLD, d.getMinThreshold());
    RuleMiner lift = d.withMetric(RuleMetric.LIFT).withMinThreshold(1.2);
    assertEquals(RuleMetric.CONFIDENCE, d.getMetric());
    assertEquals(0.8, d.getMinThreshold());
    assertEquals(RuleMiner.of(RuleMetric.LIFT, 1.2), lift);
    assertEquals("RuleMiner{metric=lift, minThreshold=1.2}", lift.toString());
    assertEquals(INF, d.withMinThreshold(INF).getMinThreshold());
  }

  @Test
  void rulesAccessorsValidate() {
    Rules rules = RuleMiner.create().generate(shop(2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> rules.metric(4, RuleMetric.LIFT));
    assertEquals("Invalid rule index: 4. Valid range is [0, 4).", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> rules.antecedent(-1));
    assertThrows(IllegalArgumentException.class, () -> rules.metric(0, null));
  }

  // ------------------------------------------------------------------------------------------
  // Metric names

  @Test
  void columnNamesInMlxtendOrder() {
    String[] mlxtend = {
      "antecedent support",
      "consequent support",
      "support",
      "confidence",
      "lift",
      "representativity",
      "leverage",
      "conviction",
      "zhangs_metric",
      "jaccard",
      "certainty",
      "kulczynski"
    };
    RuleMetric[] values = RuleMetric.values();
    assertEquals(mlxtend.length, values.length);
    for (int i = 0; i < values.length; i++) {
      assertEquals(BruteForceRules.METRICS[i], values[i].columnName());
      assertSame(values[i], RuleMetric.parse(mlxtend[i]), mlxtend[i]);
    }
  }

  @ParameterizedTest
  @EnumSource(RuleMetric.class)
  void parseAcceptsEverySpelling(RuleMetric metric) {
    String col = metric.columnName();
    String spaced = col.replace('_', ' ');
    for (String s :
        new String[] {
          col,
          metric.name(),
          spaced,
          spaced.toUpperCase(Locale.ROOT),
          col.replace('_', '-'),
          "  " + col + " ",
          Character.toUpperCase(col.charAt(0)) + col.substring(1),
          metric.name().toLowerCase(Locale.ROOT)
        }) {
      assertSame(metric, RuleMetric.parse(s), s);
    }
  }

  @Test
  void parseRejectsBadNamesListingValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RuleMetric.parse("confidnce"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Invalid metric: 'confidnce'. Valid metrics are "
                    + "antecedent_support, consequent_support, support, confidence, lift, representativity,"
                    + " leverage, conviction, zhangs_metric, jaccard, certainty, kulczynski"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RuleMetric.parse(null));
    assertTrue(e.getMessage().startsWith("Invalid metric: null."), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RuleMetric.parse(""));
    assertThrows(IllegalArgumentException.class, () -> RuleMetric.parse("zhang"));
  }

  @Test
  void computeHandlesZeroDenominatorsAsMlxtend() {
    // conviction: +inf when confidence >= 1
    assertEquals(INF, RuleMetric.CONVICTION.compute(0.5, 0.5, 0.7));
    // zhang: 0 when max(sAC(1 - sA), sA(sC - sAC)) == 0 (sA = 1, sC = sAC)
    assertEquals(0.0, RuleMetric.ZHANGS_METRIC.compute(0.4, 1.0, 0.4));
    // certainty: 0 when sC == 1
    assertEquals(0.0, RuleMetric.CERTAINTY.compute(0.4, 0.4, 1.0));
    // representativity: always 1 without missing values
    assertEquals(1.0, RuleMetric.REPRESENTATIVITY.compute(0.1, 0.2, 0.3));
    double[] all = new double[RuleMetric.values().length];
    RuleMetric.computeAll(0.2, 0.6, 0.4, all);
    for (RuleMetric metric : RuleMetric.values()) {
      assertEquals(metric.compute(0.2, 0.6, 0.4), all[metric.ordinal()], 0.0, metric.toString());
    }
  }
}
