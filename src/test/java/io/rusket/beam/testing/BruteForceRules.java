package io.rusket.beam.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The test oracle for association rules: every rule {@code A → C} of every frequent itemset {@code
 * A ∪ C}, with the counts of A, C and A ∪ C obtained by scanning the baskets (bitmasks), and
 * mlxtend's twelve metrics transcribed here independently of the code under test. Exponential, so
 * for at most 16 items.
 *
 * <p>Metrics are in mlxtend's column order ({@link #METRICS}), the order of {@code RuleMetric}.
 */
public final class BruteForceRules {
  private BruteForceRules() {}

  /** mlxtend's metric columns, in order (snake_case). */
  public static final String[] METRICS = {
    "antecedent_support",
    "consequent_support",
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

  /** One rule with its counts and metrics. */
  public static final class Rule {
    public final int[] antecedent;
    public final int[] consequent;

    /** The items of A ∪ C, ascending. */
    public final int[] itemset;

    public final long countA;
    public final long countC;
    public final long countAC;
    public final double[] metrics;

    Rule(int[] a, int[] c, int[] ac, long cA, long cC, long cAC, double[] metrics) {
      this.antecedent = a;
      this.consequent = c;
      this.itemset = ac;
      this.countA = cA;
      this.countC = cC;
      this.countAC = cAC;
      this.metrics = metrics;
    }

    /** "[a, b] -> [c]". */
    public String key() {
      return Arrays.toString(antecedent) + " -> " + Arrays.toString(consequent);
    }

    @Override
    public String toString() {
      return key()
          + " counts(A,C,AC)="
          + countA
          + ","
          + countC
          + ","
          + countAC
          + " "
          + Arrays.toString(metrics);
    }
  }

  /**
   * Every rule of every itemset of 2 to {@code maxLen} items with count ≥ {@code minCount}, over
   * items {@code 0 .. nItems-1}. Order: itemsets by length, then lexicographically; within an
   * itemset, antecedents by decreasing size, then lexicographically (mlxtend's order).
   */
  public static List<Rule> all(int[][] baskets, int nItems, long minCount, int maxLen) {
    if (nItems > 16) {
      throw new IllegalArgumentException("brute force is for at most 16 items, got " + nItems);
    }
    int[] masks = new int[baskets.length];
    for (int t = 0; t < baskets.length; t++) {
      for (int item : baskets[t]) {
        masks[t] |= 1 << item;
      }
    }
    // count[s] = number of baskets containing every item of s, by scanning.
    long[] count = new long[1 << nItems];
    for (int s = 0; s < count.length; s++) {
      for (int m : masks) {
        if ((m & s) == s) {
          count[s]++;
        }
      }
    }
    List<Integer> itemsets = new ArrayList<>();
    for (int s = 0; s < count.length; s++) {
      int len = Integer.bitCount(s);
      if (len >= 2 && len <= maxLen && count[s] >= minCount) {
        itemsets.add(s);
      }
    }
    int[][] itemsOf = new int[1 << nItems][];
    for (int s = 0; s < itemsOf.length; s++) {
      itemsOf[s] = items(s, nItems);
    }
    itemsets.sort((x, y) -> compare(x, y, itemsOf));
    List<Rule> out = new ArrayList<>();
    long n = baskets.length;
    for (int x : itemsets) {
      List<Integer> antecedents = new ArrayList<>();
      for (int a = (x - 1) & x; a != 0; a = (a - 1) & x) {
        antecedents.add(a);
      }
      // Decreasing size, then lexicographic order of the ascending item lists.
      antecedents.sort(
          (p, q) -> {
            int c = Integer.compare(Integer.bitCount(q), Integer.bitCount(p));
            return c != 0 ? c : compare(p, q, itemsOf);
          });
      for (int a : antecedents) {
        int c = x & ~a;
        out.add(
            new Rule(
                itemsOf[a],
                itemsOf[c],
                itemsOf[x],
                count[a],
                count[c],
                count[x],
                metrics(count[x], count[a], count[c], n)));
      }
    }
    return out;
  }

  /**
   * mlxtend's metrics (association_rules.py, without null values, so {@code disAC = disA = disC =
   * dis_int = dis_int_ = 0}) from the counts of A ∪ C, A and C among {@code n} transactions.
   */
  public static double[] metrics(long countAC, long countA, long countC, long n) {
    double sAC = countAC / (double) n;
    double sA = countA / (double) n;
    double sC = countC / (double) n;
    double confidence = sAC / sA;
    double lift = confidence / sC;
    double representativity = (n - 0) / (double) n;
    double leverage = sAC - sA * sC;
    double conviction = Double.POSITIVE_INFINITY;
    if (confidence < 1.0) {
      conviction = (1.0 - sC) / (1.0 - confidence);
    }
    double zDen = Math.max(sAC * (1 - sA), sA * (sC - sAC));
    double zhang = zDen == 0 ? 0 : leverage / zDen;
    double jaccard = sAC / (sA + sC - sAC);
    double certaintyDen = 1 - sC;
    double certainty = certaintyDen == 0 ? 0 : (confidence - sC) / certaintyDen;
    double confCA = sAC / sC;
    double kulczynski = (confidence + confCA) / 2;
    return new double[] {
      sA,
      sC,
      sAC,
      confidence,
      lift,
      representativity,
      leverage,
      conviction,
      zhang,
      jaccard,
      certainty,
      kulczynski
    };
  }

  private static int[] items(int set, int nItems) {
    int[] out = new int[Integer.bitCount(set)];
    for (int i = 0, k = 0; i < nItems; i++) {
      if ((set & (1 << i)) != 0) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** By length, then lexicographically by ascending item lists. */
  private static int compare(int x, int y, int[][] itemsOf) {
    int c = Integer.compare(Integer.bitCount(x), Integer.bitCount(y));
    return c != 0 ? c : Arrays.compare(itemsOf[x], itemsOf[y]);
  }
}
