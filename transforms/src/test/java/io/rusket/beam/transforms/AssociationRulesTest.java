package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.RulesGroupedTest.counter;
import static io.rusket.beam.transforms.RulesGroupedTest.expandFailure;
import static io.rusket.beam.transforms.RulesGroupedTest.pipeline;
import static io.rusket.beam.transforms.RulesGroupedTest.runFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** The global AssociationRules transform against the miner's rules, on the DirectRunner. */
class AssociationRulesTest {
  static final Schema IN = ItemsetRows.inputSchema(null, false);
  static final Schema OUT = ItemsetRows.outputSchema(null, false);

  private static Map<Object, Itemsets> global(long seed, boolean intItems) {
    Map<Object, Itemsets> one = new HashMap<>();
    one.put(null, ItemsetRows.mine(new Random(seed), 200, 12, 7, 0.05, intItems));
    return one;
  }

  @Test
  void matchesMinerForNamedAndIntItemsAndAnySharding() {
    Map<Object, Itemsets> named = global(11, false);
    Map<Object, Itemsets> ints = global(12, true);
    Schema inInt = ItemsetRows.inputSchema(null, true);
    Schema outInt = ItemsetRows.outputSchema(null, true);
    TestPipeline p = pipeline();

    PCollection<Row> freq =
        p.apply("Freq", Create.of(ItemsetRows.rows(IN, named, new Random(1))).withRowSchema(IN));
    PCollection<Row> lift =
        freq.apply(
            "Lift", AssociationRules.create().withMetric(RuleMetric.LIFT).withMinThreshold(1.2));
    assertEquals(OUT, lift.getSchema());
    List<Row> expectedLift = ItemsetRows.rules(OUT, named, RuleMetric.LIFT, 1.2);
    assertTrue(expectedLift.size() > 50, "expected rules: " + expectedLift.size());
    PAssert.that(lift).satisfies(ItemsetRows.sameRows(expectedLift));
    PAssert.that(freq.apply("Defaults", AssociationRules.create()))
        .satisfies(ItemsetRows.sameRows(ItemsetRows.rules(OUT, named, RuleMetric.CONFIDENCE, 0.8)));

    // The same itemsets, shuffled again and split into 4 shards.
    List<PCollection<Row>> parts = new ArrayList<>();
    List<List<Row>> split = ItemsetRows.shards(ItemsetRows.rows(IN, named, new Random(2)), 4);
    for (int s = 0; s < split.size(); s++) {
      parts.add(p.apply("Shard" + s, Create.of(split.get(s)).withRowSchema(IN)));
    }
    PAssert.that(
            PCollectionList.of(parts)
                .apply(Flatten.pCollections())
                .apply(
                    "LiftSharded",
                    AssociationRules.create().withMetric("LIFT").withMinThreshold(1.2)))
        .satisfies(ItemsetRows.sameRows(expectedLift));

    PCollection<Row> intRules =
        p.apply(
                "IntFreq",
                Create.of(ItemsetRows.rows(inInt, ints, new Random(3))).withRowSchema(inInt))
            .apply(
                "IntRules",
                AssociationRules.create().withMetric(RuleMetric.LEVERAGE).withMinThreshold(0.01));
    assertEquals(outInt, intRules.getSchema());
    PAssert.that(intRules)
        .satisfies(
            ItemsetRows.sameRows(ItemsetRows.rules(outInt, ints, RuleMetric.LEVERAGE, 0.01)));

    PipelineResult result = p.run();
    assertEquals(1, counter(result, "AssociationRules", "Lift", "groups"));
    assertEquals(
        named.get(null).size(), counter(result, "AssociationRules", "Lift", "itemsetsRead"));
    assertEquals(expectedLift.size(), counter(result, "AssociationRules", "Lift", "rulesEmitted"));
  }

  @Test
  void aMissingSubsetFailsNamingTheItemset() {
    List<Row> rows = new ArrayList<>();
    rows.add(Row.withSchema(IN).addValues(0.5, List.of("a"), 2L, 4L).build());
    rows.add(Row.withSchema(IN).addValues(0.25, List.of("a", "b"), 1L, 4L).build());
    String msg = runFailure(IN, rows, AssociationRules.create()).getMessage();
    assertTrue(
        msg.contains("the global itemsets")
            && msg.contains("Itemset [b]")
            && msg.contains("missing"),
        msg);
  }

  @Test
  void missingFieldFailsInExpand() {
    Schema noCount =
        Schema.builder()
            .addDoubleField("support")
            .addArrayField("itemsets", Schema.FieldType.STRING)
            .addInt64Field("transactions")
            .build();
    String msg = expandFailure(noCount, AssociationRules.create()).getMessage();
    assertTrue(
        msg.startsWith(
            "AssociationRules: input field 'count' is missing; expected INT64."
                + " Fields present: support DOUBLE, itemsets ARRAY<STRING>, transactions INT64."),
        msg);
  }

  @Test
  void configurationAndDisplayData() {
    AssociationRules base = AssociationRules.create();
    assertEquals(RuleMetric.CONFIDENCE, base.getMetric());
    assertEquals(0.8, base.getMinThreshold());
    assertEquals(AssociationRules.DEFAULT_METRIC, base.getMetric());
    assertEquals(AssociationRules.DEFAULT_MIN_THRESHOLD, base.getMinThreshold());
    AssociationRules conviction = base.withMetric("conviction").withMinThreshold(2);
    assertEquals(RuleMetric.CONVICTION, conviction.getMetric());
    assertEquals(RuleMetric.CONFIDENCE, base.getMetric());
    assertThrows(IllegalArgumentException.class, () -> base.withMinThreshold(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> base.withMetric("nope"));

    Map<String, Object> items = new HashMap<>();
    for (DisplayData.Item item : DisplayData.from(conviction).items()) {
      items.put(item.getKey(), item.getValue());
    }
    assertEquals("conviction", items.get("metric"));
    assertEquals(2.0, items.get("minThreshold"));
    assertEquals("ALL", items.get("input"));
    assertEquals(3, items.size(), items.toString());
  }
}
