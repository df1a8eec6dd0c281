package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * RulesGrouped on the DirectRunner against the miner's rules run group by group (exact doubles: the
 * same code computes them), plus schema, value and configuration errors and display data.
 */
class RulesGroupedTest {
  static final Field STORE = Field.of("store_id", FieldType.STRING);
  static final Schema IN = ItemsetRows.inputSchema(STORE, false);
  static final Schema OUT = ItemsetRows.outputSchema(STORE, false);

  static TestPipeline pipeline() {
    return TestPipeline.create().enableAbandonedNodeEnforcement(false);
  }

  static PCollection<Row> input(TestPipeline p, String name, Schema schema, List<Row> rows) {
    return p.apply(name, Create.of(rows).withRowSchema(schema));
  }

  // ------------------------------------------------------------------------------------------
  // Results

  @Test
  void matchesMinerGroupByGroupForSeveralMetricsAndThresholds() {
    Map<Object, Itemsets> groups = ItemsetRows.stores(1, 6, false);
    List<Row> rows = ItemsetRows.rows(IN, groups, new Random(2));
    TestPipeline p = pipeline();
    PCollection<Row> freq = input(p, "Freq", IN, rows);
    Object[][] configs = {
      {RuleMetric.CONFIDENCE, 0.6},
      {RuleMetric.LIFT, 1.2},
      {RuleMetric.LEVERAGE, Double.NEGATIVE_INFINITY}, // every rule
    };
    long allRules = 0;
    for (Object[] c : configs) {
      RuleMetric m = (RuleMetric) c[0];
      double t = (double) c[1];
      PCollection<Row> rules =
          freq.apply(
              m.columnName() + "-" + t,
              RulesGrouped.byColumn("store_id").withMetric(m).withMinThreshold(t));
      assertEquals(OUT, rules.getSchema());
      List<Row> expected = ItemsetRows.rules(OUT, groups, m, t);
      if (m == RuleMetric.LEVERAGE) {
        allRules = expected.size();
      }
      PAssert.that(rules).satisfies(ItemsetRows.sameRows(expected));
    }
    // No itemsets, no rules.
    PAssert.that(
            p.apply("NoItemsets", Create.empty(IN))
                .apply("NoRules", RulesGrouped.byColumn("store_id")))
        .empty();

    PipelineResult result = p.run();
    long nonEmpty = groups.values().stream().filter(s -> s.size() > 0).count();
    assertTrue(allRules > 300, "the data should yield plenty of rules, got " + allRules);
    assertEquals(nonEmpty, counter(result, "RulesGrouped", "leverage--Infinity", "groups"));
    assertEquals(
        ItemsetRows.itemsets(groups),
        counter(result, "RulesGrouped", "leverage--Infinity", "itemsetsRead"));
    assertEquals(allRules, counter(result, "RulesGrouped", "leverage--Infinity", "rulesEmitted"));
  }

  @Test
  void oneGroupWithTheDefaultConfiguration() {
    Map<Object, Itemsets> groups = new HashMap<>();
    groups.put("only", ItemsetRows.mine(new Random(3), 20, 10, 9, 0.1, false));
    TestPipeline p = pipeline();
    PCollection<Row> rules =
        input(p, "Freq", IN, ItemsetRows.rows(IN, groups, new Random(4)))
            .apply(RulesGrouped.byColumn("store_id")); // confidence >= 0.8
    List<Row> expected = ItemsetRows.rules(OUT, groups, RuleMetric.CONFIDENCE, 0.8);
    assertTrue(expected.size() > 20, "expected rules: " + expected.size());
    PAssert.that(rules).satisfies(ItemsetRows.sameRows(expected));
    p.run().waitUntilFinish();
  }

  @Test
  void intItemsAndAnInt64GroupKey() {
    Field region = Field.of("region", FieldType.INT64);
    Schema in = ItemsetRows.inputSchema(region, true);
    Schema out = ItemsetRows.outputSchema(region, true);
    Map<Object, Itemsets> groups = new LinkedHashMap<>();
    Random rnd = new Random(5);
    for (long g : new long[] {-3, 0, 17, 1L << 40}) {
      groups.put(g, ItemsetRows.mine(rnd, 30 + rnd.nextInt(60), 12, 6, 0.1, true));
    }
    TestPipeline p = pipeline();
    PCollection<Row> rules =
        input(p, "Freq", in, ItemsetRows.rows(in, groups, rnd))
            .apply(
                RulesGrouped.byColumn("region")
                    .withMetric(RuleMetric.CERTAINTY)
                    .withMinThreshold(0.1));
    assertEquals(out, rules.getSchema());
    List<Row> expected = ItemsetRows.rules(out, groups, RuleMetric.CERTAINTY, 0.1);
    assertTrue(expected.size() > 20, "expected rules: " + expected.size());
    PAssert.that(rules).satisfies(ItemsetRows.sameRows(expected));
    p.run().waitUntilFinish();
  }

  @Test
  void shuffledAndShardedInputGivesIdenticalOutput() {
    Map<Object, Itemsets> groups = ItemsetRows.stores(6, 8, false);
    List<Row> expected = ItemsetRows.rules(OUT, groups, RuleMetric.JACCARD, 0.3);
    TestPipeline p = pipeline();
    for (int shards : new int[] {1, 3, 8}) {
      // Another shuffle of the rows and of the items inside each itemset for every layout.
      List<Row> rows = ItemsetRows.rows(IN, groups, new Random(shards));
      List<PCollection<Row>> parts = new ArrayList<>();
      List<List<Row>> split = ItemsetRows.shards(rows, shards);
      for (int s = 0; s < shards; s++) {
        parts.add(input(p, "Shard" + s + "of" + shards, IN, split.get(s)));
      }
      PCollection<Row> rules =
          PCollectionList.of(parts)
              .apply("Flatten" + shards, Flatten.pCollections())
              .apply(
                  "Rules" + shards,
                  RulesGrouped.byColumn("store_id").withMetric("jaccard").withMinThreshold(0.3));
      PAssert.that(rules).satisfies(ItemsetRows.sameRows(expected));
    }
    p.run().waitUntilFinish();
  }

  @Test
  void extraInputFieldsInAnyOrderAreIgnored() {
    Schema in =
        Schema.builder()
            .addStringField("note")
            .addInt64Field("transactions")
            .addArrayField("itemsets", FieldType.STRING)
            .addField(Field.nullable("store_id", FieldType.STRING))
            .addInt64Field("count")
            .addDoubleField("support")
            .build();
    Schema out = ItemsetRows.outputSchema(Field.nullable("store_id", FieldType.STRING), false);
    // Two baskets {a, b} and {a}: a → b has confidence 1/2, b → a has confidence 1.
    List<Row> rows = new ArrayList<>();
    for (String store : Arrays.asList("x", null)) {
      rows.add(Row.withSchema(in).addValues("n", 2L, List.of("a"), store, 2L, 1.0).build());
      rows.add(Row.withSchema(in).addValues("n", 2L, List.of("b"), store, 1L, 0.5).build());
      rows.add(Row.withSchema(in).addValues("n", 2L, List.of("b", "a"), store, 1L, 0.5).build());
    }
    TestPipeline p = pipeline();
    PCollection<Row> rules = input(p, "Freq", in, rows).apply(RulesGrouped.byColumn("store_id"));
    assertEquals(out, rules.getSchema());
    double inf = Double.POSITIVE_INFINITY;
    List<Row> expected = new ArrayList<>();
    for (String store : Arrays.asList("x", null)) {
      // sA = 0.5, sC = 1, sAC = 0.5: confidence 1, lift 1, leverage 0, conviction +inf,
      // zhang 0 / max(0.25, 0.25) = 0, jaccard 0.5, certainty 0 (1 - sC = 0), kulczynski 0.75.
      expected.add(
          Row.withSchema(out)
              .addValues(
                  store,
                  List.of("b"),
                  List.of("a"),
                  0.5,
                  1.0,
                  0.5,
                  1.0,
                  1.0,
                  1.0,
                  0.0,
                  inf,
                  0.0,
                  0.5,
                  0.0,
                  0.75)
              .build());
    }
    PAssert.that(rules).satisfies(ItemsetRows.sameRows(expected));
    p.run().waitUntilFinish();
  }

  // ------------------------------------------------------------------------------------------
  // Run-time errors

  /** Three itemsets of group "s1" (N = 4): {a}:2, {b}:2, {a,b}:1 — as rows. */
  private static List<Row> smallGroup() {
    List<Row> rows = new ArrayList<>();
    rows.add(Row.withSchema(IN).addValues("s1", 0.5, List.of("a"), 2L, 4L).build());
    rows.add(Row.withSchema(IN).addValues("s1", 0.5, List.of("b"), 2L, 4L).build());
    rows.add(Row.withSchema(IN).addValues("s1", 0.25, List.of("a", "b"), 1L, 4L).build());
    return rows;
  }

  /** Runs RulesGrouped on {@code rows} and returns the IllegalArgumentException it failed with. */
  static IllegalArgumentException runFailure(
      Schema schema,
      List<Row> rows,
      org.apache.beam.sdk.transforms.PTransform<PCollection<Row>, PCollection<Row>> rules) {
    TestPipeline p = pipeline();
    input(p, "Freq", schema, rows).apply(rules);
    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, p::run);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException) {
        return (IllegalArgumentException) t;
      }
    }
    throw new AssertionError("no IllegalArgumentException in the cause chain", e);
  }

  @Test
  void rowsOfAGroupThatDisagreeOnTransactionsFailNamingGroupAndValues() {
    List<Row> rows = smallGroup();
    rows.add(Row.withSchema(IN).addValues("s2", 0.5, List.of("c"), 5L, 10L).build());
    rows.set(1, Row.withSchema(IN).addValues("s1", 0.2, List.of("b"), 2L, 10L).build());
    String msg = runFailure(IN, rows, RulesGrouped.byColumn("store_id")).getMessage();
    assertTrue(msg.contains("group store_id=s1"), msg);
    assertTrue(msg.contains("disagree on the number of transactions"), msg);
    assertTrue(msg.contains("4") && msg.contains("10"), msg);
  }

  @Test
  void aNullValueFailsNamingGroupFieldAndRow() {
    Schema in =
        Schema.builder()
            .addStringField("store_id")
            .addDoubleField("support")
            .addArrayField("itemsets", FieldType.STRING)
            .addNullableField("count", FieldType.INT64)
            .addInt64Field("transactions")
            .build();
    List<Row> rows = new ArrayList<>();
    rows.add(Row.withSchema(in).addValues("s9", 0.5, List.of("a"), null, 4L).build());
    String msg = runFailure(in, rows, RulesGrouped.byColumn("store_id")).getMessage();
    assertTrue(msg.contains("group store_id=s9"), msg);
    assertTrue(
        msg.contains(
            "'count' is null. Row: {store_id=s9, support=0.5, itemsets=[a],"
                + " count=null, transactions=4}"),
        msg);
  }

  @Test
  void aMissingSubsetFailsNamingTheItemsetAndGroup() {
    List<Row> rows = smallGroup();
    rows.remove(1); // {b}
    String msg =
        runFailure(IN, rows, RulesGrouped.byColumn("store_id").withMinThreshold(0)).getMessage();
    assertTrue(msg.contains("group store_id=s1"), msg);
    assertTrue(msg.contains("Itemset [b]") && msg.contains("missing"), msg);
  }

  // ------------------------------------------------------------------------------------------
  // Schema errors, in expand(), without running a pipeline

  static IllegalArgumentException expandFailure(
      Schema schema,
      org.apache.beam.sdk.transforms.PTransform<PCollection<Row>, PCollection<Row>> rules) {
    TestPipeline p = pipeline();
    PCollection<Row> in = p.apply(Create.empty(schema));
    return assertThrows(IllegalArgumentException.class, () -> in.apply(rules));
  }

  private static Schema without(Schema s, String field) {
    return new Schema(
        s.getFields().stream()
            .filter(f -> !f.getName().equals(field))
            .collect(Collectors.toList()));
  }

  private static Schema retyped(Schema s, String field, FieldType type) {
    return new Schema(
        s.getFields().stream()
            .map(f -> f.getName().equals(field) ? Field.of(field, type) : f)
            .collect(Collectors.toList()));
  }

  @Test
  void missingOrMistypedFieldsFailInExpandNamingFieldTypeAndFieldsPresent() {
    String msg = expandFailure(IN, RulesGrouped.byColumn("region")).getMessage();
    assertTrue(msg.contains("input field 'region' is missing"), msg);
    assertTrue(
        msg.contains(
            "Fields present: store_id STRING, support DOUBLE, itemsets"
                + " ARRAY<STRING>, count INT64, transactions INT64"),
        msg);

    msg =
        expandFailure(without(IN, "transactions"), RulesGrouped.byColumn("store_id")).getMessage();
    assertTrue(msg.contains("'transactions' is missing; expected INT64"), msg);

    msg =
        expandFailure(retyped(IN, "count", FieldType.INT32), RulesGrouped.byColumn("store_id"))
            .getMessage();
    assertTrue(msg.contains("'count' has type INT32; expected INT64"), msg);
    assertTrue(msg.contains("count INT32"), msg);

    msg =
        expandFailure(
                retyped(IN, "itemsets", FieldType.array(FieldType.INT64)),
                RulesGrouped.byColumn("store_id"))
            .getMessage();
    assertTrue(
        msg.contains(
            "'itemsets' has type ARRAY<INT64>; expected ARRAY<STRING> or" + " ARRAY<INT32>"),
        msg);

    msg =
        expandFailure(retyped(IN, "support", FieldType.FLOAT), RulesGrouped.byColumn("store_id"))
            .getMessage();
    assertTrue(msg.contains("'support' has type FLOAT; expected DOUBLE"), msg);
  }

  @Test
  void unusableGroupFieldsFailInExpand() {
    String msg =
        expandFailure(
                ItemsetRows.inputSchema(Field.of("lift", FieldType.STRING), false),
                RulesGrouped.byColumn("lift"))
            .getMessage();
    assertTrue(msg.contains("the group field 'lift' has the name of an output field"), msg);

    msg = expandFailure(IN, RulesGrouped.byColumn("transactions")).getMessage();
    assertTrue(msg.contains("the group field 'transactions' is one of the itemset fields"), msg);

    msg =
        expandFailure(
                ItemsetRows.inputSchema(Field.of("score", FieldType.DOUBLE), false),
                RulesGrouped.byColumn("score"))
            .getMessage();
    assertTrue(
        msg.contains("the group field 'score' of type DOUBLE cannot be a grouping key"), msg);
  }

  @Test
  void inputWithoutSchemaFailsInExpand() {
    TestPipeline p = pipeline();
    PCollection<Row> in =
        p.apply(Create.empty(org.apache.beam.sdk.coders.SerializableCoder.of(Row.class)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> in.apply(RulesGrouped.byColumn("s")));
    assertTrue(e.getMessage().contains("needs a PCollection<Row> with a schema"), e.getMessage());
  }

  // ------------------------------------------------------------------------------------------
  // Configuration

  @Test
  void configurationIsImmutableWithDocumentedDefaults() {
    RulesGrouped base = RulesGrouped.byColumn("store_id");
    assertEquals(RuleMetric.CONFIDENCE, RulesGrouped.DEFAULT_METRIC);
    assertEquals(0.8, RulesGrouped.DEFAULT_MIN_THRESHOLD);
    assertEquals(RulesGrouped.DEFAULT_METRIC, base.getMetric());
    assertEquals(RulesGrouped.DEFAULT_MIN_THRESHOLD, base.getMinThreshold());
    RulesGrouped lift = base.withMetric("Lift").withMinThreshold(1.2);
    assertEquals(RuleMetric.LIFT, lift.getMetric());
    assertEquals(1.2, lift.getMinThreshold());
    assertEquals("store_id", lift.getGroupColumn());
    assertEquals(RuleMetric.CONFIDENCE, base.getMetric());
    assertEquals(0.8, base.getMinThreshold());
    assertEquals(RuleMetric.ANTECEDENT_SUPPORT, base.withMetric("antecedent support").getMetric());
    assertEquals(
        Double.NEGATIVE_INFINITY,
        base.withMinThreshold(Double.NEGATIVE_INFINITY).getMinThreshold());
  }

  @Test
  void invalidConfigurationFailsEarlyNamingTheValue() {
    String msg =
        assertThrows(IllegalArgumentException.class, () -> RulesGrouped.byColumn("")).getMessage();
    assertTrue(msg.contains("Invalid group column: ''"), msg);
    msg =
        assertThrows(IllegalArgumentException.class, () -> RulesGrouped.byColumn(null))
            .getMessage();
    assertTrue(msg.contains("Invalid group column: null"), msg);
    RulesGrouped base = RulesGrouped.byColumn("store_id");
    msg =
        assertThrows(IllegalArgumentException.class, () -> base.withMinThreshold(Double.NaN))
            .getMessage();
    assertTrue(msg.contains("Invalid minThreshold: NaN"), msg);
    msg =
        assertThrows(IllegalArgumentException.class, () -> base.withMetric((RuleMetric) null))
            .getMessage();
    assertTrue(msg.contains("Invalid metric: null") && msg.contains("kulczynski"), msg);
    msg =
        assertThrows(IllegalArgumentException.class, () -> base.withMetric("confidance"))
            .getMessage();
    assertTrue(msg.contains("Invalid metric: 'confidance'") && msg.contains("confidence"), msg);
  }

  @Test
  void displayDataShowsEveryKnob() {
    DisplayData dd =
        DisplayData.from(
            RulesGrouped.byColumn("store_id").withMetric(RuleMetric.LIFT).withMinThreshold(1.5));
    Map<String, Object> items = new HashMap<>();
    for (DisplayData.Item item : dd.items()) {
      items.put(item.getKey(), item.getValue());
      assertNotNull(item.getLabel(), item.getKey());
    }
    assertEquals("store_id", items.get("groupColumn"));
    assertEquals("lift", items.get("metric"));
    assertEquals(1.5, items.get("minThreshold"));
    assertEquals("ALL", items.get("input"));
    assertEquals(4, items.size(), items.toString());
  }

  @Test
  void theRowCheckCatchesMissingAndUnexpectedRows() {
    List<Row> rows = smallGroup();
    ItemsetRows.sameRows(rows).apply(new ArrayList<>(rows));
    List<Row> fewer = new ArrayList<>(rows.subList(0, 2));
    String msg =
        assertThrows(AssertionError.class, () -> ItemsetRows.sameRows(rows).apply(fewer))
            .getMessage();
    assertTrue(msg.contains("Expected 3 rows, got 2; 1 distinct rows missing"), msg);
    List<Row> more = new ArrayList<>(rows);
    more.add(rows.get(0));
    msg =
        assertThrows(AssertionError.class, () -> ItemsetRows.sameRows(rows).apply(more))
            .getMessage();
    assertTrue(msg.contains("1 unexpected"), msg);
  }

  // ------------------------------------------------------------------------------------------

  /** The committed value of a counter of the steps under {@code step}. */
  static long counter(PipelineResult result, String namespace, String step, String name) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .addStep(step)
                    .build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getCommitted();
    }
    return sum;
  }
}
