package io.rusket.beam.miner;

import java.util.Locale;

/**
 * The measures computed for an association rule {@code A → C}, from the supports of the antecedent
 * {@code sA}, the consequent {@code sC} and the whole itemset {@code sAC} (support = count / N).
 * Constants are in the column order of mlxtend's {@code association_rules}, and {@link #ordinal()}
 * indexes the metric arrays handed to a {@link RuleSink}.
 *
 * <p>The formulas, including the handling of zero denominators, are those of mlxtend 0.23 ({@code
 * mlxtend/frequent_patterns/association_rules.py}), which the Rust/Python library rusket copies:
 *
 * <table>
 *   <caption>Metric definitions</caption>
 *   <tr><th>metric</th><th>value</th><th>range</th></tr>
 *   <tr><td>antecedent_support</td><td>sA</td><td>[0, 1]</td></tr>
 *   <tr><td>consequent_support</td><td>sC</td><td>[0, 1]</td></tr>
 *   <tr><td>support</td><td>sAC</td><td>[0, 1]</td></tr>
 *   <tr><td>confidence</td><td>sAC / sA</td><td>[0, 1]</td></tr>
 *   <tr><td>lift</td><td>confidence / sC</td><td>[0, ∞)</td></tr>
 *   <tr><td>representativity</td><td>1 (see {@link #REPRESENTATIVITY})</td><td>[0, 1]</td></tr>
 *   <tr><td>leverage</td><td>sAC − sA·sC</td><td>[−1, 1]</td></tr>
 *   <tr><td>conviction</td><td>(1 − sC) / (1 − confidence); +∞ unless confidence &lt; 1</td>
 *       <td>[0, ∞]</td></tr>
 *   <tr><td>zhangs_metric</td><td>leverage / max(sAC·(1 − sA), sA·(sC − sAC)); 0 when that
 *       maximum is 0</td><td>[−1, 1]</td></tr>
 *   <tr><td>jaccard</td><td>sAC / (sA + sC − sAC)</td><td>[0, 1]</td></tr>
 *   <tr><td>certainty</td><td>(confidence − sC) / (1 − sC); 0 when 1 − sC is 0</td>
 *       <td>[−1, 1]</td></tr>
 *   <tr><td>kulczynski</td><td>(sAC / sA + sAC / sC) / 2</td><td>[0, 1]</td></tr>
 * </table>
 *
 * <p>Other divisions by zero are not guarded, as in mlxtend (numpy): they give ±∞ or NaN. They
 * cannot happen for rules generated from frequent itemsets, whose supports are all positive.
 *
 * <p>One rounding difference: when mlxtend is given {@code num_itemsets = N} it evaluates
 * confidence as {@code (sAC·N) / (sA·N)}; this class evaluates {@code sAC / sA}, which is what
 * mlxtend computes with its default {@code num_itemsets = 1}. The two can differ in the last bit.
 *
 * <p><b>Thresholds.</b> The values are doubles, computed as above. When {@link RuleMiner} selects
 * rules by a metric, the four ratios of counts — {@link #ANTECEDENT_SUPPORT}, {@link
 * #CONSEQUENT_SUPPORT}, {@link #SUPPORT} and {@link #CONFIDENCE} — are compared with the threshold
 * exactly, on the integer counts and the threshold's decimal value (confidence 4/5 passes 0.8
 * although {@code (4/6.) / (5/6.)} is 0.7999999999999999); the other eight are compared as doubles
 * with {@code >=}, so a value mathematically equal to the threshold can miss it by the last bit.
 * See {@link RuleMiner} ("Threshold").
 *
 * <p>References: lift and conviction, Brin, Motwani, Ullman and Tsur, "Dynamic itemset counting and
 * implication rules for market basket data", SIGMOD 1997; leverage, Piatetsky-Shapiro, "Discovery,
 * analysis, and presentation of strong rules", Knowledge Discovery in Databases, 1991; Zhang's
 * metric, Zhang, "Association rules", PAKDD 2000; certainty factor, Berzal, Blanco, Sánchez and
 * Vila, "Measuring the accuracy and interest of association rules: a new framework", Intelligent
 * Data Analysis 6(3), 2002; Kulczynski, Wu, Chen and Han, "Re-examination of interestingness
 * measures in pattern mining: a unified framework", Data Mining and Knowledge Discovery 21(3),
 * 2010; Jaccard and a survey of the others, Tan, Kumar and Srivastava, "Selecting the right
 * objective measure for association analysis", Information Systems 29(4), 2004; the implementation,
 * Raschka, "MLxtend", Journal of Open Source Software 3(24), 2018.
 */
public enum RuleMetric {
  /** Support of the antecedent A: sA. */
  ANTECEDENT_SUPPORT("antecedent_support"),
  /** Support of the consequent C: sC. */
  CONSEQUENT_SUPPORT("consequent_support"),
  /** Support of the rule, that is of A ∪ C: sAC. */
  SUPPORT("support"),
  /** sAC / sA: the fraction of transactions containing A that also contain C. */
  CONFIDENCE("confidence"),
  /** confidence / sC: 1 when A and C are independent. */
  LIFT("lift"),
  /**
   * The fraction of transactions usable to evaluate the rule. mlxtend computes it as {@code
   * (num_itemsets − disAC) / num_itemsets}, where {@code disAC} counts the transactions with a
   * missing value (NaN in the one-hot input, only with {@code null_values=True}) in one of the
   * items of A ∪ C, following the treatment of missing values of Ragel and Crémilleux (PAKDD 1998).
   * Transactions here never have missing values, so {@code disAC = 0} and representativity is
   * always exactly 1.0, as mlxtend reports without {@code null_values}.
   */
  REPRESENTATIVITY("representativity"),
  /** sAC − sA·sC: 0 when A and C are independent. */
  LEVERAGE("leverage"),
  /** (1 − sC) / (1 − confidence), and +∞ when confidence ≥ 1 (or is NaN), as in mlxtend. */
  CONVICTION("conviction"),
  /**
   * Zhang's metric: leverage / max(sAC·(1 − sA), sA·(sC − sAC)), and 0 when the denominator is 0
   * (for instance when A is in every transaction), as in mlxtend.
   */
  ZHANGS_METRIC("zhangs_metric"),
  /** sAC / (sA + sC − sAC). */
  JACCARD("jaccard"),
  /** Certainty factor: (confidence − sC) / (1 − sC), and 0 when sC = 1, as in mlxtend. */
  CERTAINTY("certainty"),
  /** The mean of the confidences of A → C and C → A: (sAC / sA + sAC / sC) / 2. */
  KULCZYNSKI("kulczynski");

  /** Number of metrics: the length of the metric arrays handed to a {@link RuleSink}. */
  static final int COUNT = 12;

  private static final RuleMetric[] VALUES = values();

  static {
    assert VALUES.length == COUNT : "COUNT=" + COUNT + ", values=" + VALUES.length;
  }

  private final String columnName;

  RuleMetric(String columnName) {
    this.columnName = columnName;
  }

  /**
   * The snake_case column name: {@code "antecedent_support"}, ..., {@code "zhangs_metric"}, {@code
   * "kulczynski"}. (mlxtend's own columns spell the first two with a space.)
   */
  public String columnName() {
    return columnName;
  }

  /**
   * The metric named {@code s}, case-insensitively, in any of these spellings: the column name
   * ({@code "antecedent_support"}), the enum name ({@code "ANTECEDENT_SUPPORT"}) or mlxtend's
   * spaced name ({@code "antecedent support"}); hyphens are accepted in place of spaces.
   *
   * @throws IllegalArgumentException naming the bad value and listing the valid ones
   */
  public static RuleMetric parse(String s) {
    if (s != null) {
      String key = s.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", "_");
      for (RuleMetric m : VALUES) {
        if (m.columnName.equals(key)) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(
        "Invalid metric: "
            + (s == null ? "null" : "'" + s + "'")
            + ". Valid metrics are "
            + validNames()
            + " (case-insensitive; mlxtend's spaced names such as"
            + " 'antecedent support' are accepted too).");
  }

  /** The column names of all metrics, comma-separated, in order. */
  static String validNames() {
    StringBuilder sb = new StringBuilder();
    for (RuleMetric m : VALUES) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(m.columnName);
    }
    return sb.toString();
  }

  /**
   * This metric for a rule A → C, with mlxtend's formula (see the class documentation).
   *
   * @param sAC support of A ∪ C
   * @param sA support of the antecedent A
   * @param sC support of the consequent C
   */
  public double compute(double sAC, double sA, double sC) {
    switch (this) {
      case ANTECEDENT_SUPPORT:
        return sA;
      case CONSEQUENT_SUPPORT:
        return sC;
      case SUPPORT:
        return sAC;
      case CONFIDENCE:
        return sAC / sA;
      case LIFT:
        return (sAC / sA) / sC;
      case REPRESENTATIVITY:
        return 1.0;
      case LEVERAGE:
        return sAC - sA * sC;
      case CONVICTION:
        return conviction(sAC / sA, sC);
      case ZHANGS_METRIC:
        return zhang(sAC, sA, sC, sAC - sA * sC);
      case JACCARD:
        return sAC / (sA + sC - sAC);
      case CERTAINTY:
        return certainty(sAC / sA, sC);
      case KULCZYNSKI:
        return (sAC / sA + sAC / sC) / 2;
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Every metric at once into {@code out[0, COUNT)}, indexed by ordinal; each value is bit for bit
   * the one {@link #compute} returns.
   */
  static void computeAll(double sAC, double sA, double sC, double[] out) {
    assert out.length >= COUNT : "out.length=" + out.length;
    double confidence = sAC / sA;
    double leverage = sAC - sA * sC;
    out[0] = sA; // ANTECEDENT_SUPPORT
    out[1] = sC; // CONSEQUENT_SUPPORT
    out[2] = sAC; // SUPPORT
    out[3] = confidence; // CONFIDENCE
    out[4] = confidence / sC; // LIFT
    out[5] = 1.0; // REPRESENTATIVITY
    out[6] = leverage; // LEVERAGE
    out[7] = conviction(confidence, sC); // CONVICTION
    out[8] = zhang(sAC, sA, sC, leverage); // ZHANGS_METRIC
    out[9] = sAC / (sA + sC - sAC); // JACCARD
    out[10] = certainty(confidence, sC); // CERTAINTY
    out[11] = (confidence + sAC / sC) / 2; // KULCZYNSKI
  }

  private static double conviction(double confidence, double sC) {
    // mlxtend fills with +inf and overwrites where confidence < 1 (so NaN stays +inf too).
    return confidence < 1.0 ? (1.0 - sC) / (1.0 - confidence) : Double.POSITIVE_INFINITY;
  }

  private static double zhang(double sAC, double sA, double sC, double leverage) {
    double denominator = Math.max(sAC * (1 - sA), sA * (sC - sAC));
    return denominator == 0 ? 0.0 : leverage / denominator;
  }

  private static double certainty(double confidence, double sC) {
    double denominator = 1 - sC;
    return denominator == 0 ? 0.0 : (confidence - sC) / denominator;
  }
}
