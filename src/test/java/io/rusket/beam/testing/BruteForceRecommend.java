package io.rusket.beam.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The obvious recommender, for tests of {@code Recommend}: every rule is checked against every
 * basket (antecedent ⊆ basket), every consequent item not in the basket is a candidate, its
 * supporting rule the best by the documented order (score, lift, support, confidence descending,
 * then antecedent and consequent names lexicographically, a shorter prefix first), items ranked by
 * their rules' score, lift, support (descending) and then name, the first k kept.
 */
public final class BruteForceRecommend {
  private BruteForceRecommend() {}

  /** A rule with the values Recommend reads. */
  public record Rule(
      List<String> antecedents,
      List<String> consequents,
      double score,
      double lift,
      double support,
      double confidence) {}

  /** One recommended item with its rank (1-based) and supporting rule. */
  public record Rec(int rank, String item, Rule rule) {}

  private static int compareNames(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int d = a.get(i).compareTo(b.get(i));
      if (d != 0) {
        return d;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Best rule first. */
  static final Comparator<Rule> RULE_ORDER =
      Comparator.comparingDouble(Rule::score)
          .reversed()
          .thenComparing(Comparator.comparingDouble(Rule::lift).reversed())
          .thenComparing(Comparator.comparingDouble(Rule::support).reversed())
          .thenComparing(Comparator.comparingDouble(Rule::confidence).reversed())
          .thenComparing((x, y) -> compareNames(sorted(x.antecedents()), sorted(y.antecedents())))
          .thenComparing((x, y) -> compareNames(sorted(x.consequents()), sorted(y.consequents())));

  private static List<String> sorted(List<String> l) {
    List<String> s = new ArrayList<>(l);
    s.sort(null);
    return s;
  }

  /** The top {@code k} recommendations of {@code basket} from {@code rules}. */
  public static List<Rec> recommend(List<Rule> rules, Set<String> basket, int k) {
    Map<String, Rule> best = new HashMap<>();
    for (Rule r : rules) {
      if (!basket.containsAll(r.antecedents())) {
        continue;
      }
      for (String c : r.consequents()) {
        if (basket.contains(c)) {
          continue;
        }
        Rule b = best.get(c);
        if (b == null || RULE_ORDER.compare(r, b) < 0) {
          best.put(c, r);
        }
      }
    }
    List<String> items = new ArrayList<>(best.keySet());
    items.sort(
        Comparator.comparing((String i) -> best.get(i).score())
            .reversed()
            .thenComparing(Comparator.comparing((String i) -> best.get(i).lift()).reversed())
            .thenComparing(Comparator.comparing((String i) -> best.get(i).support()).reversed())
            .thenComparing(Comparator.naturalOrder()));
    List<Rec> out = new ArrayList<>();
    for (int i = 0; i < Math.min(k, items.size()); i++) {
      out.add(new Rec(i + 1, items.get(i), best.get(items.get(i))));
    }
    return out;
  }

  /**
   * Random distinct rules over {@code nItems} items named {@code i0, i1, ...} (so name order is not
   * numeric order): antecedents of 0 to 3 items, consequents of 1 or 2 others, values drawn from a
   * few levels so that ties are frequent.
   */
  public static List<Rule> randomRules(Random rnd, int nItems, int nRules) {
    double[] levels = {0.25, 0.5, 0.5, 0.75, 1.0};
    Set<List<List<String>>> seen = new HashSet<>();
    List<Rule> rules = new ArrayList<>();
    for (int t = 0; t < nRules * 3 && rules.size() < nRules; t++) {
      List<String> pool = new ArrayList<>();
      for (int i = 0; i < nItems; i++) {
        pool.add("i" + i);
      }
      java.util.Collections.shuffle(pool, rnd);
      int na = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(3);
      int nc = 1 + rnd.nextInt(2);
      if (na + nc > nItems) {
        continue;
      }
      List<String> a = new ArrayList<>(pool.subList(0, na));
      List<String> c = new ArrayList<>(pool.subList(na, na + nc));
      if (!seen.add(List.of(sorted(a), sorted(c)))) {
        continue;
      }
      rules.add(
          new Rule(
              a,
              c,
              levels[rnd.nextInt(levels.length)] * (rnd.nextBoolean() ? 1 : 3),
              levels[rnd.nextInt(levels.length)] * 2,
              levels[rnd.nextInt(levels.length)] / 4,
              levels[rnd.nextInt(levels.length)]));
    }
    return rules;
  }

  /** A random basket of 0 to 6 items (with repeats) from {@code nItems + 2} (two unknown). */
  public static List<String> randomBasket(Random rnd, int nItems) {
    int n = rnd.nextInt(7);
    List<String> b = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      b.add("i" + rnd.nextInt(nItems + 2));
    }
    return b;
  }
}
