package io.rusket.beam.transforms;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.testing.BruteForceRecommend;
import io.rusket.beam.testing.BruteForceRecommend.Rec;
import io.rusket.beam.testing.BruteForceRecommend.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Rows for Recommend's tests: rules as RulesGrouped writes them, baskets, expected output. */
final class RecommendRows {
  private RecommendRows() {}

  /** RulesGrouped's output schema: [group,] antecedents, consequents, the twelve metrics. */
  static Schema rulesSchema(@Nullable Field group) {
    Schema.Builder b = Schema.builder();
    if (group != null) {
      b.addField(group);
    }
    b.addArrayField("antecedents", FieldType.STRING).addArrayField("consequents", FieldType.STRING);
    for (RuleMetric m : RuleMetric.values()) {
      b.addDoubleField(m.columnName());
    }
    return b.build();
  }

  /**
   * A rule row: {@code r.score()} goes into the column of {@code score} (unless that is one of
   * support, confidence, lift, which then must equal it), the others 0.
   */
  static Row ruleRow(Schema s, @Nullable Object group, Rule r, RuleMetric score) {
    List<Object> v = new ArrayList<>();
    if (group != null) {
      v.add(group);
    }
    v.add(r.antecedents());
    v.add(r.consequents());
    for (RuleMetric m : RuleMetric.values()) {
      v.add(
          m == score
              ? r.score()
              : m == RuleMetric.SUPPORT
                  ? r.support()
                  : m == RuleMetric.CONFIDENCE
                      ? r.confidence()
                      : m == RuleMetric.LIFT ? r.lift() : 0.0);
    }
    return Row.withSchema(s).attachValues(v);
  }

  static Schema basketsSchema(@Nullable Field group, Field basket) {
    Schema.Builder b = Schema.builder();
    if (group != null) {
      b.addField(group);
    }
    return b.addField(basket).addArrayField("items", FieldType.STRING).build();
  }

  static Schema eventsSchema(@Nullable Field group, Field basket) {
    Schema.Builder b = Schema.builder();
    if (group != null) {
      b.addField(group);
    }
    return b.addField(basket).addStringField("item").build();
  }

  /** The output rows brute force expects for {@code baskets} (basket id → items) of one group. */
  static List<Row> expected(
      Schema out,
      @Nullable Object group,
      List<Rule> rules,
      Map<Object, List<String>> baskets,
      int k) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Object, List<String>> e : baskets.entrySet()) {
      for (Rec rec : BruteForceRecommend.recommend(rules, new HashSet<>(e.getValue()), k)) {
        List<Object> v = new ArrayList<>();
        if (group != null) {
          v.add(group);
        }
        List<String> ants = new ArrayList<>(rec.rule().antecedents());
        ants.sort(null);
        v.add(e.getKey());
        v.add(rec.rank());
        v.add(rec.item());
        v.add(rec.rule().score());
        v.add(ants);
        v.add(rec.rule().confidence());
        v.add(rec.rule().lift());
        rows.add(Row.withSchema(out).attachValues(v));
      }
    }
    return rows;
  }
}
