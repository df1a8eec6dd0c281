package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.BruteForceRecommend;
import io.rusket.beam.testing.BruteForceRecommend.Rec;
import io.rusket.beam.testing.BruteForceRecommend.Rule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RuleIndex + BasketScorer against the brute-force recommender, many seeds; the index coder. */
class BasketScorerTest {
  static RuleIndex index(List<Rule> rules) {
    RuleIndex.Builder b = new RuleIndex.Builder("the test rules");
    for (Rule r : rules) {
      b.add(
          r.antecedents().toArray(new String[0]),
          r.consequents().toArray(new String[0]),
          r.score(),
          r.lift(),
          r.support(),
          r.confidence(),
          Double.NaN,
          Double.NaN);
    }
    return b.build();
  }

  static List<Rec> score(RuleIndex x, BasketScorer s, List<String> basket, int k) {
    int m = s.score(basket.toArray(new String[0]), k);
    List<Rec> out = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      int r = s.rule(i);
      List<String> ants = Arrays.asList(x.antecedentNames(r));
      List<String> cons = new ArrayList<>();
      for (int j = x.conOff[r]; j < x.conOff[r + 1]; j++) {
        cons.add(x.name(x.cons[j]));
      }
      out.add(
          new Rec(
              i + 1,
              x.name(s.item(i)),
              new Rule(ants, cons, x.score[r], x.lift[r], x.support[r], x.confidence[r])));
    }
    return out;
  }

  /** The brute force's answer with each rule's sides sorted, as the index returns them. */
  static List<Rec> canonical(List<Rec> recs) {
    List<Rec> out = new ArrayList<>();
    for (Rec r : recs) {
      List<String> a = new ArrayList<>(r.rule().antecedents());
      List<String> c = new ArrayList<>(r.rule().consequents());
      a.sort(null);
      c.sort(null);
      Rule s = r.rule();
      out.add(
          new Rec(
              r.rank(),
              r.item(),
              new Rule(a, c, s.score(), s.lift(), s.support(), s.confidence())));
    }
    return out;
  }

  @Test
  void equalsBruteForceOnRandomRulesAndBaskets() {
    int checked = 0;
    for (int seed = 0; seed < 400; seed++) {
      Random rnd = new Random(seed);
      int nItems = 2 + rnd.nextInt(10);
      List<Rule> rules = BruteForceRecommend.randomRules(rnd, nItems, 1 + rnd.nextInt(40));
      RuleIndex x = index(rules);
      BasketScorer s = new BasketScorer(x);
      for (int b = 0; b < 20; b++) {
        List<String> basket = BruteForceRecommend.randomBasket(rnd, nItems);
        for (int k : new int[] {1, 2, 3, Recommend.ALL}) {
          List<Rec> want =
              canonical(BruteForceRecommend.recommend(rules, new HashSet<>(basket), k));
          assertEquals(
              want, score(x, s, basket, k), "seed " + seed + " basket " + basket + " k=" + k);
          checked += want.size();
        }
      }
    }
    assertTrue(checked > 10_000, "recommendations checked: " + checked);
  }

  @Test
  void keyItemIsTheRarestKnownAntecedentItem() {
    RuleIndex.Builder b = new RuleIndex.Builder("g");
    b.add(new String[] {"a"}, new String[] {"c"}, 1, 1, 0.1, 1, 0.5, 0.2);
    b.add(new String[] {"b"}, new String[] {"c"}, 1, 1, 0.1, 1, 0.1, 0.2);
    b.add(new String[] {"a", "b"}, new String[] {"c"}, 1, 1, 0.1, 1, 0.05, 0.2);
    RuleIndex x = b.build();
    // ids: a=0, b=1, c=2; rule order: [a]->c, [a,b]->c, [b]->c
    assertArrayEquals(new int[] {0, 1, 1}, x.keyItem);
    assertArrayEquals(new int[] {0, 1, 3, 3}, x.keyOff);
  }

  @Test
  void coderRoundTripsToTheSameBytesAndAnswers() throws IOException {
    Random rnd = new Random(7);
    List<Rule> rules = BruteForceRecommend.randomRules(rnd, 9, 60);
    RuleIndex x = index(rules);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RuleIndex.Coder.of().encode(x, bytes);
    RuleIndex y = RuleIndex.Coder.of().decode(new ByteArrayInputStream(bytes.toByteArray()));
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    RuleIndex.Coder.of().encode(y, again);
    assertArrayEquals(bytes.toByteArray(), again.toByteArray());
    assertArrayEquals(x.byKey, y.byKey);
    BasketScorer sx = new BasketScorer(x);
    BasketScorer sy = new BasketScorer(y);
    for (int i = 0; i < 50; i++) {
      List<String> basket = BruteForceRecommend.randomBasket(rnd, 9);
      assertEquals(score(x, sx, basket, 4), score(y, sy, basket, 4));
    }
  }

  @Test
  void badRulesNameTheRuleAndTheGroup() {
    RuleIndex.Builder b = new RuleIndex.Builder("group store=S1");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b.add(new String[] {"a"}, new String[] {"a"}, 1, 1, 1, 1, 1, 1));
    assertEquals(
        "Recommend: invalid rule [a] -> [a] in group store=S1: item 'a' is on both sides",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> b.add(new String[] {"a"}, new String[] {"b"}, Double.NaN, 1, 1, 1, 1, 1));
    assertEquals(
        "Recommend: invalid rule [a] -> [b] in group store=S1: its score is NaN", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> b.add(new String[] {"a"}, new String[0], 1, 1, 1, 1, 1, 1));
    b.add(new String[] {"a"}, new String[] {"b"}, 1, 1, 1, 1, 1, 1);
    b.add(new String[] {"a"}, new String[] {"b"}, 1, 1, 1, 1, 1, 1);
    e = assertThrows(IllegalArgumentException.class, b::build);
    assertEquals(
        "Recommend: invalid rule [a] -> [b] in group store=S1: the rule is listed twice",
        e.getMessage());
  }
}
