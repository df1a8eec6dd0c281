package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.testing.BruteForceRecommend;
import io.rusket.beam.testing.BruteForceRecommend.Rec;
import io.rusket.beam.testing.BruteForceRecommend.Rule;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.Recommend;
import io.rusket.beam.transforms.RecommendationSchema;
import io.rusket.beam.transforms.RulesGrouped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recommend on the Spark runner ({@code local[2]}) gives exactly the DirectRunner's rows, and both
 * the brute-force recommender's: random rules and baskets per store (events and basket rows,
 * several shards per group), and rules mined by MineGrouped + RulesGrouped from the same events.
 */
class RecommendSparkTest {
  @TempDir Path tmp;

  @AfterAll
  static void stopSpark() {
    SparkTestContext.stop();
  }

  static final Schema RULES = rulesSchema();
  static final Schema EVENTS =
      Schema.builder()
          .addStringField("store_id")
          .addInt64Field("receipt_id")
          .addStringField("item")
          .build();
  static final Schema BASKETS =
      Schema.builder()
          .addStringField("store_id")
          .addInt64Field("receipt_id")
          .addArrayField("items", FieldType.STRING)
          .build();

  static Schema rulesSchema() {
    Schema.Builder b =
        Schema.builder()
            .addStringField("store_id")
            .addArrayField("antecedents", FieldType.STRING)
            .addArrayField("consequents", FieldType.STRING);
    for (RuleMetric m : RuleMetric.values()) {
      b.addDoubleField(m.columnName());
    }
    return b.build();
  }

  /** Random rules (score = lift) and baskets of 5 stores, and brute force's lines for them. */
  static final class Data {
    final List<Row> rules = new ArrayList<>();
    final List<Row> events = new ArrayList<>();
    final List<Row> baskets = new ArrayList<>();
    final List<String> expected = new ArrayList<>();

    Data(long seed, int k) {
      Random rnd = new Random(seed);
      long id = 0;
      for (int s = 0; s < 5; s++) {
        String store = "S" + s;
        List<Rule> rs = BruteForceRecommend.randomRules(rnd, 12, 80);
        for (Rule r : rs) {
          List<Object> v = new ArrayList<>(List.of(store, r.antecedents(), r.consequents()));
          for (RuleMetric m : RuleMetric.values()) {
            v.add(
                m == RuleMetric.LIFT
                    ? r.lift()
                    : m == RuleMetric.SUPPORT
                        ? r.support()
                        : m == RuleMetric.CONFIDENCE ? r.confidence() : 0.0);
          }
          rules.add(Row.withSchema(RULES).attachValues(v));
        }
        List<Rule> byLift = new ArrayList<>();
        for (Rule r : rs) {
          byLift.add(
              new Rule(
                  r.antecedents(),
                  r.consequents(),
                  r.lift(),
                  r.lift(),
                  r.support(),
                  r.confidence()));
        }
        for (int b = 0; b < 200; b++) {
          long receipt = id++;
          List<String> items = BruteForceRecommend.randomBasket(rnd, 12);
          if (items.isEmpty()) {
            continue;
          }
          baskets.add(Row.withSchema(BASKETS).addValues(store, receipt, items).build());
          for (String i : items) {
            events.add(Row.withSchema(EVENTS).addValues(store, receipt, i).build());
          }
          for (Rec rec : BruteForceRecommend.recommend(byLift, new HashSet<>(items), k)) {
            List<String> ants = new ArrayList<>(rec.rule().antecedents());
            ants.sort(null);
            expected.add(
                ResultLines.join(
                    store,
                    receipt,
                    rec.rank(),
                    rec.item(),
                    rec.rule().score(),
                    ants,
                    rec.rule().confidence(),
                    rec.rule().lift()));
          }
        }
      }
      expected.sort(null);
    }
  }

  /**
   * The job: recommendations from events (join), basket rows and mined rules; with {@code side},
   * also from events with the rules as a side input (on Spark only: the DirectRunner runs a
   * side-input ParDo after a GroupByKey one basket per bundle, minutes for these baskets).
   */
  static ResultLines.Job job(Data d, int k, boolean side) {
    return (p, out) -> {
      PCollection<Row> rules = p.apply("Rules", Create.of(d.rules).withRowSchema(RULES));
      PCollection<Row> events = p.apply("Events", Create.of(d.events).withRowSchema(EVENTS));
      PCollection<Row> fromEvents =
          events.apply(
              "FromEvents",
              Recommend.events("store_id", "receipt_id", "item")
                  .withRules(rules)
                  .withK(k)
                  .withScore(RuleMetric.LIFT)
                  .withShardsPerGroup(3));
      PCollection<Row> fromBaskets =
          p.apply("Baskets", Create.of(d.baskets).withRowSchema(BASKETS))
              .apply(
                  "FromBaskets",
                  Recommend.baskets("store_id", "receipt_id", "items")
                      .withRules(rules)
                      .withK(k)
                      .withScore(RuleMetric.LIFT));
      PCollection<Row> mined =
          events
              .apply(
                  "Mine", MineGrouped.events("store_id", "receipt_id", "item").withMinSupport(0.02))
              .apply("MinedRules", RulesGrouped.byColumn("store_id").withMinThreshold(0.1));
      PCollection<Row> fromMined =
          events.apply(
              "FromMined",
              Recommend.events("store_id", "receipt_id", "item").withRules(mined).withK(3));
      if (side) {
        PCollection<Row> viaSideInput =
            events.apply(
                "ViaSideInput",
                Recommend.events("store_id", "receipt_id", "item")
                    .withRules(rules)
                    .withK(k)
                    .withScore(RuleMetric.LIFT)
                    .withRulesAsSideInput());
        ResultLines.write(viaSideInput, out, "side");
      }
      ResultLines.write(fromEvents, out, "events");
      ResultLines.write(fromBaskets, out, "baskets");
      ResultLines.write(fromMined, out, "mined");
    };
  }

  private static PipelineOptions direct() {
    return RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner"});
  }

  @Test
  void sameRowsOnSparkAndDirectAsBruteForce() {
    Data d = new Data(5, 3);
    assertTrue(d.expected.size() > 1_000, "recommendations: " + d.expected.size());
    Map<String, List<String>> onDirect =
        ResultLines.run(direct(), job(d, 3, false), tmp, "events", "baskets", "mined");
    Map<String, List<String>> onSpark =
        ResultLines.run(
            SparkTestContext.options("local[2]"),
            job(d, 3, true),
            tmp,
            "events",
            "baskets",
            "mined",
            "side");
    assertEquals(d.expected, onDirect.get("events"));
    assertEquals(d.expected, onDirect.get("baskets"));
    assertEquals(d.expected, onSpark.remove("side"), "the rules as a side input, on Spark");
    assertTrue(onDirect.get("mined").size() > 100, "mined: " + onDirect.get("mined").size());
    assertEquals(onDirect, onSpark);
    assertEquals(
        List.of("rank", "item", "score", "antecedents", "confidence", "lift"),
        RecommendationSchema.FIELDS);
  }
}
