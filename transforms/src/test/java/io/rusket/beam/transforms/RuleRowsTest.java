package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * The steps of RulesGrouped without a pipeline: row validation and keying, the per-group collection
 * (deterministic whatever the input order) and rule emission, and their errors.
 */
class RuleRowsTest {
  /** Every field nullable, so that every null can be tested. */
  private static final Schema NULLABLE =
      Schema.builder()
          .addStringField("store_id")
          .addNullableField("support", FieldType.DOUBLE)
          .addNullableField("itemsets", FieldType.array(FieldType.STRING.withNullable(true)))
          .addNullableField("count", FieldType.INT64)
          .addNullableField("transactions", FieldType.INT64)
          .build();

  private static final RuleRows.Layout LAYOUT =
      RuleRows.validate(NULLABLE, "store_id", "RulesGrouped");
  private static final RuleRows.Layout GROUPED =
      RuleRows.validate(RulesGroupedTest.IN, "store_id", "RulesGrouped");
  private static final RuleRows.Layout GLOBAL =
      RuleRows.validate(AssociationRulesTest.IN, null, "AssociationRules");

  private static Row row(Object support, List<String> items, Object count, Object n) {
    return Row.withSchema(NULLABLE).addValues("s1", support, items, count, n).build();
  }

  private static String keyFailure(Row row) {
    return assertThrows(
            IllegalArgumentException.class, () -> KeyItemsetsByGroupFn.keyed(LAYOUT, row))
        .getMessage();
  }

  @Test
  void keyedProjectsAValidRowToGroupAndCompactValue() {
    KV<Row, Row> kv = KeyItemsetsByGroupFn.keyed(LAYOUT, row(0.25, List.of("b", "a"), 1L, 4L));
    assertEquals(Collections.singletonList("s1"), kv.getKey().getValues());
    assertEquals(Arrays.asList(List.of("b", "a"), 1L, 4L), kv.getValue().getValues());
    KV<Row, Row> global =
        KeyItemsetsByGroupFn.keyed(
            GLOBAL,
            Row.withSchema(AssociationRulesTest.IN).addValues(0.5, List.of("a"), 2L, 4L).build());
    assertEquals(0, global.getKey().getFieldCount());
    // A support that went through a FLOAT is close enough.
    KeyItemsetsByGroupFn.keyed(LAYOUT, row((double) (float) (1 / 3.0), List.of("a"), 1L, 3L));
  }

  @Test
  void keyedRejectsEveryBadValueNamingGroupValueAndRow() {
    for (String field : new String[] {"support", "itemsets", "count", "transactions"}) {
      Row ok = row(0.5, List.of("a"), 2L, 4L);
      List<Object> values = new ArrayList<>(ok.getValues());
      values.set(NULLABLE.indexOf(field), null);
      String msg = keyFailure(Row.withSchema(NULLABLE).addValues(values).build());
      assertTrue(
          msg.startsWith(
              "Invalid itemset row in group store_id=s1: '"
                  + field
                  + "' is null. Row: {store_id=s1, "),
          msg);
    }
    assertTrue(
        keyFailure(row(0.5, Arrays.asList("a", null), 2L, 4L))
            .contains("group store_id=s1: item 1 of the itemset is null"));
    assertTrue(keyFailure(row(0.5, List.of(), 2L, 4L)).contains("the itemset is empty"));
    assertTrue(
        keyFailure(row(0.5, List.of("a", "b", "a"), 2L, 4L))
            .contains("item a appears twice in the itemset"));
    assertTrue(
        keyFailure(row(0.5, List.of("a"), 2L, 0L))
            .contains("transactions is 0, but it must be at least 1"));
    assertTrue(
        keyFailure(row(0.0, List.of("a"), 0L, 4L))
            .contains("count is 0, outside [1, transactions = 4]"));
    assertTrue(
        keyFailure(row(1.25, List.of("a"), 5L, 4L))
            .contains("count is 5, outside [1, transactions = 4]"));
    assertTrue(
        keyFailure(row(0.3, List.of("a"), 2L, 4L))
            .contains("support 0.3 is not count / transactions = 2 / 4 = 0.5"));
    assertTrue(
        keyFailure(row(Double.NaN, List.of("a"), 2L, 4L))
            .contains("support NaN is not count / transactions"));
  }

  private static List<Row> values(RuleRows.Layout l, List<Row> rows) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(KeyItemsetsByGroupFn.keyed(l, r).getValue());
    }
    return out;
  }

  private static Row key(RuleRows.Layout l, Object group) {
    return Row.withSchema(l.keySchema).addValue(group).build();
  }

  private static List<Row> emit(GroupItemsets g, RuleMetric m, double t) {
    List<Row> out = new ArrayList<>();
    long n = g.emitRules(RuleMiner.of(m, t), out::add);
    assertEquals(out.size(), n);
    return out;
  }

  @Test
  void aGroupGivesTheMinersRulesInTheSameOrderWhateverTheInputOrder() {
    for (int seed = 0; seed < 20; seed++) {
      Random rnd = new Random(seed);
      boolean intItems = seed % 2 == 1;
      Map<Object, Itemsets> group =
          Map.of("s1", ItemsetRows.mine(rnd, 20 + rnd.nextInt(100), 10, 6, 0.05, intItems));
      Schema in = ItemsetRows.inputSchema(RulesGroupedTest.STORE, intItems);
      Schema out = ItemsetRows.outputSchema(RulesGroupedTest.STORE, intItems);
      RuleRows.Layout l = RuleRows.validate(in, "store_id", "RulesGrouped");
      RuleMetric metric = RuleMetric.values()[seed % RuleMetric.values().length];
      double threshold = metric == RuleMetric.CONVICTION ? 1.1 : 0.3;

      GroupItemsets first =
          GroupItemsets.collect(l, key(l, "s1"), values(l, ItemsetRows.rows(in, group, rnd)));
      GroupItemsets second =
          GroupItemsets.collect(l, key(l, "s1"), values(l, ItemsetRows.rows(in, group, rnd)));
      assertEquals(first.itemsets, second.itemsets, "seed " + seed);
      assertEquals(Arrays.asList(first.items), Arrays.asList(second.items), "seed " + seed);
      List<Row> rules = emit(first, metric, threshold);
      assertEquals(rules, emit(second, metric, threshold), "seed " + seed); // same order too

      ItemsetRows.sameRows(ItemsetRows.rules(out, group, metric, threshold)).apply(rules);
    }
  }

  @Test
  void groupErrorsNameTheGroupAndTheValues() {
    Row s1 = key(GROUPED, "s1");
    List<Row> rows = new ArrayList<>();
    rows.add(
        Row.withSchema(RulesGroupedTest.IN).addValues("s1", 0.5, List.of("a"), 2L, 4L).build());
    rows.add(
        Row.withSchema(RulesGroupedTest.IN)
            .addValues("s1", 0.25, List.of("a", "b"), 1L, 4L)
            .build());
    String msg =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    GroupItemsets.collect(GROUPED, s1, values(GROUPED, rows))
                        .emitRules(RuleMiner.create(), r -> {}))
            .getMessage();
    assertTrue(
        msg.startsWith(
            "Cannot generate the rules of group store_id=s1: Itemset [b] (a"
                + " subset of itemset [a, b]"),
        msg);

    rows.add(
        Row.withSchema(RulesGroupedTest.IN).addValues("s1", 0.5, List.of("b"), 2L, 4L).build());
    rows.add(
        Row.withSchema(RulesGroupedTest.IN).addValues("s1", 0.5, List.of("a"), 2L, 4L).build());
    msg =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    GroupItemsets.collect(GROUPED, s1, values(GROUPED, rows))
                        .emitRules(RuleMiner.create(), r -> {}))
            .getMessage();
    assertTrue(msg.contains("group store_id=s1: Itemset [a] appears twice"), msg);

    // Grouped itemsets fed to the global transform: groups of different sizes are caught.
    List<Row> mixed =
        List.of(
            Row.withSchema(AssociationRulesTest.IN).addValues(0.5, List.of("a"), 2L, 4L).build(),
            Row.withSchema(AssociationRulesTest.IN).addValues(0.2, List.of("b"), 2L, 10L).build());
    msg =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    GroupItemsets.collect(
                        GLOBAL, Row.withSchema(GLOBAL.keySchema).build(), values(GLOBAL, mixed)))
            .getMessage();
    assertEquals(
        "The itemsets of the global itemsets disagree on the number of transactions"
            + " they were mined from: 4 for itemset [a], 10 for itemset [b]. All the itemsets of a"
            + " group must come from one mining run (support = count / transactions).",
        msg);
  }
}
