package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.testing.BruteForceRecommend;
import io.rusket.beam.testing.BruteForceRecommend.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * Recommend on the DirectRunner: a small example worked by hand, random rules and baskets against
 * the brute-force recommender (events and basket rows, per group and global), errors, display data
 * and metrics.
 */
class RecommendTest {
  static final Field STORE = Field.of("store_id", FieldType.STRING);
  static final Field RECEIPT = Field.of("receipt_id", FieldType.INT64);
  static final Schema RULES = RecommendRows.rulesSchema(STORE);
  static final Schema EVENTS = RecommendRows.eventsSchema(STORE, RECEIPT);
  static final Schema BASKETS = RecommendRows.basketsSchema(STORE, RECEIPT);
  static final Schema OUT = RecommendationSchema.of(STORE, RECEIPT);

  static TestPipeline pipeline() {
    return TestPipeline.create().enableAbandonedNodeEnforcement(false);
  }

  static Rule rule(List<String> a, List<String> c, double conf, double lift, double support) {
    return new Rule(a, c, conf, lift, support, conf);
  }

  static Row out(
      String store,
      long receipt,
      int rank,
      String item,
      double score,
      List<String> ants,
      double conf,
      double lift) {
    return Row.withSchema(OUT)
        .addValues(store, receipt, rank, item, score, ants, conf, lift)
        .build();
  }

  static Row event(String store, long receipt, String item) {
    return Row.withSchema(EVENTS).addValues(store, receipt, item).build();
  }

  /** S1's rules of the hand-worked example. */
  static final List<Rule> S1 =
      List.of(
          rule(List.of("bread"), List.of("butter"), 0.6, 1.5, 0.3),
          rule(List.of("milk", "bread"), List.of("butter"), 0.8, 2.0, 0.2),
          rule(List.of("milk"), List.of("cookies"), 0.6, 1.2, 0.1),
          rule(List.of("milk"), List.of("jam"), 0.6, 1.2, 0.2),
          rule(List.of("coffee"), List.of("croissant", "cake"), 0.5, 3.0, 0.05),
          rule(List.of("bread"), List.of("milk"), 0.7, 1.1, 0.35));

  /** The example's rules, their score the value of {@code score} (confidence or lift). */
  static PCollection<Row> exampleRules(TestPipeline p, RuleMetric score) {
    List<Row> rows = new ArrayList<>();
    for (Rule r : S1) {
      Rule s =
          score == RuleMetric.LIFT
              ? new Rule(
                  r.antecedents(), r.consequents(), r.lift(), r.lift(), r.support(), r.confidence())
              : r;
      rows.add(RecommendRows.ruleRow(RULES, "S1", s, score));
    }
    rows.add(
        RecommendRows.ruleRow(
            RULES, "S2", rule(List.of("bread"), List.of("jam"), 0.9, 1.3, 0.4), score));
    return p.apply("Rules", Create.of(rows).withRowSchema(RULES));
  }

  static PCollection<Row> exampleEvents(TestPipeline p) {
    return p.apply(
        "Events",
        Create.of(
                event("S1", 1, "milk"),
                event("S1", 1, "bread"),
                event("S1", 1, "milk"), // a repeat counts once
                event("S1", 2, "coffee"),
                event("S1", 2, "bread"),
                event("S1", 3, "tea"),
                event("S2", 4, "bread"),
                event("S2", 4, "butter"),
                event("S3", 5, "bread")) // S3 has no rules
            .withRowSchema(EVENTS));
  }

  @Test
  void smallExampleByHand() {
    TestPipeline p = pipeline();
    PCollection<Row> recs =
        exampleEvents(p)
            .apply(
                Recommend.events("store_id", "receipt_id", "item")
                    .withRules(exampleRules(p, RuleMetric.CONFIDENCE))
                    .withK(3));
    assertEquals(OUT, recs.getSchema());
    List<String> bm = List.of("bread", "milk");
    PAssert.that(recs)
        .containsInAnyOrder(
            // {bread, milk}: butter by {bread, milk} (0.8 beats 0.6); jam and cookies tie on
            // confidence and lift, jam has the higher support; milk is in the basket
            out("S1", 1, 1, "butter", 0.8, bm, 0.8, 2.0),
            out("S1", 1, 2, "jam", 0.6, List.of("milk"), 0.6, 1.2),
            out("S1", 1, 3, "cookies", 0.6, List.of("milk"), 0.6, 1.2),
            // {coffee, bread}: milk 0.7, butter 0.6, then cake and croissant tie on all values:
            // by name, cake first, and k = 3 stops there
            out("S1", 2, 1, "milk", 0.7, List.of("bread"), 0.7, 1.1),
            out("S1", 2, 2, "butter", 0.6, List.of("bread"), 0.6, 1.5),
            out("S1", 2, 3, "cake", 0.5, List.of("coffee"), 0.5, 3.0),
            // S2's own rule; receipt 3 (tea) and store S3 (no rules) get nothing
            out("S2", 4, 1, "jam", 0.9, List.of("bread"), 0.9, 1.3));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(5, counter(result, "baskets"));
    assertEquals(1, counter(result, "basketsWithoutRules"));
    assertEquals(2, counter(result, "basketsWithoutRecommendations"));
    assertEquals(7, counter(result, "recommendationsEmitted"));
    assertEquals(2, counter(result, "groupsIndexed"));
    assertEquals(7, counter(result, "rulesIndexed"));
  }

  @Test
  void smallExampleByLiftAsBasketRows() {
    TestPipeline p = pipeline();
    PCollection<Row> baskets =
        p.apply(
            "Baskets",
            Create.of(
                    Row.withSchema(BASKETS).addValues("S1", 2L, List.of("bread", "coffee")).build())
                .withRowSchema(BASKETS));
    PCollection<Row> recs =
        baskets.apply(
            Recommend.baskets("store_id", "receipt_id", "items")
                .withRules(exampleRules(p, RuleMetric.LIFT))
                .withScore("lift")
                .withK(Recommend.ALL));
    // scores are lifts: cake and croissant 3.0 (cake first by name), butter 1.5, milk 1.1
    PAssert.that(recs)
        .containsInAnyOrder(
            out("S1", 2, 1, "cake", 3.0, List.of("coffee"), 0.5, 3.0),
            out("S1", 2, 2, "croissant", 3.0, List.of("coffee"), 0.5, 3.0),
            out("S1", 2, 3, "butter", 1.5, List.of("bread"), 0.6, 1.5),
            out("S1", 2, 4, "milk", 1.1, List.of("bread"), 0.7, 1.1));
    p.run().waitUntilFinish();
  }

  static long counter(PipelineResult r, String name) {
    long sum = 0;
    for (var c :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(Recommend.METRICS_NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /** Random groups of rules and baskets, and brute force's rows for them. */
  static final class RandomCase {
    final List<Row> rules = new ArrayList<>();
    final List<Row> events = new ArrayList<>();
    final List<Row> baskets = new ArrayList<>();
    final List<Row> expected = new ArrayList<>();

    /** Without the empty baskets, which events cannot express. */
    final List<Row> expectedFromEvents = new ArrayList<>();

    RandomCase(
        long seed,
        int groups,
        int k,
        RuleMetric score,
        Schema rulesSchema,
        Schema eventsSchema,
        Schema basketsSchema,
        Schema out) {
      Random rnd = new Random(seed);
      long id = 0;
      boolean grouped = rulesSchema.hasField("store_id");
      for (int g = 0; g < groups; g++) {
        String store = grouped ? "S" + g : null;
        int nItems = 3 + rnd.nextInt(8);
        List<Rule> rs =
            g == 1 ? List.of() : BruteForceRecommend.randomRules(rnd, nItems, 1 + rnd.nextInt(30));
        for (Rule r : rs) {
          rules.add(RecommendRows.ruleRow(rulesSchema, store, r, score));
        }
        Map<Object, List<String>> bs = new LinkedHashMap<>();
        Map<Object, List<String>> nonEmpty = new LinkedHashMap<>();
        for (int b = 0; b < 15; b++) {
          long basket = id++;
          List<String> items = BruteForceRecommend.randomBasket(rnd, nItems);
          bs.put(basket, items);
          if (!items.isEmpty()) {
            nonEmpty.put(basket, items);
          }
          List<Object> v = new ArrayList<>();
          if (grouped) {
            v.add(store);
          }
          v.add(basket);
          v.add(items);
          baskets.add(Row.withSchema(basketsSchema).attachValues(v));
          for (String item : items) {
            List<Object> e = new ArrayList<>(v.subList(0, v.size() - 1));
            e.add(item);
            events.add(Row.withSchema(eventsSchema).attachValues(e));
          }
        }
        expected.addAll(RecommendRows.expected(out, store, rs, bs, k));
        expectedFromEvents.addAll(RecommendRows.expected(out, store, rs, nonEmpty, k));
      }
    }
  }

  @Test
  void randomRulesAndBasketsEqualBruteForce() {
    for (long seed = 1; seed <= 3; seed++) {
      int k = seed == 3 ? Recommend.ALL : (int) seed;
      RandomCase c = new RandomCase(seed, 4, k, RuleMetric.LEVERAGE, RULES, EVENTS, BASKETS, OUT);
      assertTrue(c.expected.size() > 20, "seed " + seed + ": " + c.expected.size());
      TestPipeline p = pipeline();
      PCollection<Row> rules = p.apply("Rules", Create.of(c.rules).withRowSchema(RULES));
      PCollection<Row> fromEvents =
          p.apply("Events", Create.of(c.events).withRowSchema(EVENTS))
              .apply(
                  "FromEvents",
                  Recommend.events("store_id", "receipt_id", "item")
                      .withRules(rules)
                      .withK(k)
                      .withScore(RuleMetric.LEVERAGE)
                      .withShardsPerGroup((int) seed));
      PCollection<Row> fromBaskets =
          p.apply("Baskets", Create.of(c.baskets).withRowSchema(BASKETS))
              .apply(
                  "FromBaskets",
                  Recommend.baskets("store_id", "receipt_id", "items")
                      .withRules(rules)
                      .withK(k)
                      .withScore(RuleMetric.LEVERAGE));
      PCollection<Row> viaSideInput =
          p.apply("Baskets2", Create.of(c.baskets).withRowSchema(BASKETS))
              .apply(
                  "ViaSideInput",
                  Recommend.baskets("store_id", "receipt_id", "items")
                      .withRules(rules)
                      .withK(k)
                      .withScore(RuleMetric.LEVERAGE)
                      .withRulesAsSideInput());
      PCollection<Row> eventsViaSideInput =
          p.apply("Events2", Create.of(c.events).withRowSchema(EVENTS))
              .apply(
                  "EventsViaSideInput",
                  Recommend.events("store_id", "receipt_id", "item")
                      .withRules(rules)
                      .withK(k)
                      .withScore(RuleMetric.LEVERAGE)
                      .withRulesAsSideInput());
      PAssert.that("side input, seed " + seed, viaSideInput).containsInAnyOrder(c.expected);
      PAssert.that("events, side input, seed " + seed, eventsViaSideInput)
          .containsInAnyOrder(c.expectedFromEvents);
      PAssert.that("events, seed " + seed, fromEvents).containsInAnyOrder(c.expectedFromEvents);
      PAssert.that("baskets, seed " + seed, fromBaskets).containsInAnyOrder(c.expected);
      p.run().waitUntilFinish();
    }
  }

  @Test
  void globalRulesEqualBruteForce() {
    Schema rulesSchema = RecommendRows.rulesSchema(null);
    Schema events = RecommendRows.eventsSchema(null, RECEIPT);
    Schema baskets = RecommendRows.basketsSchema(null, RECEIPT);
    Schema out = RecommendationSchema.of(null, RECEIPT);
    RandomCase c =
        new RandomCase(11, 1, 3, RuleMetric.CONVICTION, rulesSchema, events, baskets, out);
    TestPipeline p = pipeline();
    PCollection<Row> rules = p.apply("Rules", Create.of(c.rules).withRowSchema(rulesSchema));
    Recommend fromEvents =
        Recommend.eventsGlobally("receipt_id", "item")
            .withRules(rules)
            .withK(3)
            .withScore(RuleMetric.CONVICTION);
    Recommend fromBaskets =
        Recommend.basketsGlobally("receipt_id", "items")
            .withRules(rules)
            .withK(3)
            .withScore(RuleMetric.CONVICTION);
    // global rules: a side input by default; the join on request; rules per group: the join
    assertTrue(fromEvents.isRulesAsSideInput());
    assertFalse(fromEvents.withRulesAsSideInput(false).isRulesAsSideInput());
    assertFalse(Recommend.events("store_id", "receipt_id", "item").isRulesAsSideInput());
    PCollection<Row> eventRows = p.apply("Events", Create.of(c.events).withRowSchema(events));
    PCollection<Row> basketRows = p.apply("Baskets", Create.of(c.baskets).withRowSchema(baskets));
    PCollection<Row> recs = eventRows.apply("EventsSide", fromEvents);
    assertEquals(out, recs.getSchema());
    PAssert.that("events, side input", recs).containsInAnyOrder(c.expectedFromEvents);
    PAssert.that(
            "events, join",
            eventRows.apply(
                "EventsJoin", fromEvents.withRulesAsSideInput(false).withShardsPerGroup(3)))
        .containsInAnyOrder(c.expectedFromEvents);
    PAssert.that("baskets, side input", basketRows.apply("BasketsSide", fromBaskets))
        .containsInAnyOrder(c.expected);
    PAssert.that(
            "baskets, join",
            basketRows.apply("BasketsJoin", fromBaskets.withRulesAsSideInput(false)))
        .containsInAnyOrder(c.expected);
    p.run().waitUntilFinish();
  }

  // ------------------------------------------------------------------------------------------
  // Errors

  @Test
  void settingsAreValidatedNamingTheValue() {
    Recommend r = Recommend.events("store_id", "receipt_id", "item");
    assertEquals(
        "Invalid k: 0. Valid range is [1, 2147483647] (2147483647 = all items).",
        assertThrows(IllegalArgumentException.class, () -> r.withK(0)).getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> r.withScore("lifty"))
            .getMessage()
            .contains("lifty"));
    assertEquals(
        "Invalid shardsPerGroup: 0. Valid range is [1, 65536].",
        assertThrows(IllegalArgumentException.class, () -> r.withShardsPerGroup(0)).getMessage());
    assertEquals(
        "Invalid basket id field: ''. It must be the non-empty name of an input field.",
        assertThrows(IllegalArgumentException.class, () -> Recommend.events("s", "", "i"))
            .getMessage());
  }

  @Test
  void schemaErrorsNameTheField() {
    TestPipeline p = pipeline();
    PCollection<Row> rules = exampleRules(p, RuleMetric.CONFIDENCE);
    PCollection<Row> events = exampleEvents(p);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> events.apply("NoRules", Recommend.events("store_id", "receipt_id", "item")));
    assertTrue(e.getMessage().contains("withRules"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                events.apply(
                    "BadItem", Recommend.events("store_id", "receipt_id", "sku").withRules(rules)));
    assertTrue(
        e.getMessage().startsWith("Recommend: the baskets have no field 'sku'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                events.apply(
                    "Arrays",
                    Recommend.baskets("store_id", "receipt_id", "item").withRules(rules)));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Recommend: the baskets field 'item' has type STRING; expected ARRAY<STRING>"),
        e.getMessage());
    Schema intStores = RecommendRows.eventsSchema(Field.of("store_id", FieldType.INT64), RECEIPT);
    PCollection<Row> other =
        p.apply(
            "IntStores",
            Create.of(Row.withSchema(intStores).addValues(1L, 1L, "a").build())
                .withRowSchema(intStores));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                other.apply(
                    "Types", Recommend.events("store_id", "receipt_id", "item").withRules(rules)));
    assertEquals(
        "Recommend: the group field 'store_id' has type STRING in the rules but INT64 in the"
            + " baskets; they must be the same type to be joined",
        e.getMessage());
  }

  @Test
  void aNullItemFailsNamingTheBasket() {
    Schema nullable =
        Schema.builder()
            .addField(STORE)
            .addField(RECEIPT)
            .addNullableField("item", FieldType.STRING)
            .build();
    TestPipeline p = pipeline();
    PCollection<Row> rules = exampleRules(p, RuleMetric.CONFIDENCE);
    p.apply(
            "Events",
            Create.of(Row.withSchema(nullable).addValues("S1", 9L, null).build())
                .withRowSchema(nullable))
        .apply(Recommend.events("store_id", "receipt_id", "item").withRules(rules));
    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
    assertTrue(
        e.getCause()
            .getMessage()
            .startsWith(
                "Recommend: invalid value null in item field 'item' of basket receipt_id=9"),
        e.getCause().getMessage());
  }

  /** A null item of a basket row, joined or via the side input: the same error. */
  @Test
  void aNullItemInABasketRowFailsNamingTheBasket() {
    Schema rows =
        Schema.builder()
            .addField(STORE)
            .addField(RECEIPT)
            .addArrayField("items", FieldType.STRING.withNullable(true))
            .build();
    for (boolean side : new boolean[] {false, true}) {
      TestPipeline p = pipeline();
      PCollection<Row> rules = exampleRules(p, RuleMetric.CONFIDENCE);
      p.apply(
              "Baskets",
              Create.of(
                      Row.withSchema(rows)
                          .addValues("S1", 9L, java.util.Arrays.asList("a", null))
                          .build())
                  .withRowSchema(rows))
          .apply(
              Recommend.baskets("store_id", "receipt_id", "items")
                  .withRules(rules)
                  .withRulesAsSideInput(side));
      PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
      assertTrue(
          e.getCause()
              .getMessage()
              .startsWith(
                  "Recommend: invalid value null in items field 'items' of basket receipt_id=9:"
                      + " an item is null"),
          e.getCause().getMessage());
    }
  }

  @Test
  void displayDataShowsEverySetting() {
    DisplayData d =
        DisplayData.from(
            Recommend.baskets("store_id", "cart", "items")
                .withK(3)
                .withScore(RuleMetric.LIFT)
                .withShardsPerGroup(4));
    assertEquals(
        "store_id",
        d.asMap()
            .get(DisplayData.Identifier.of(DisplayData.Path.root(), Recommend.class, "groupField"))
            .getValue());
    assertEquals(7, d.items().size(), d.toString());
    assertTrue(d.toString().contains("lift"), d.toString());
  }
}
