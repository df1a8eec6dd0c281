package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.GroupedData.GROUP;
import static io.rusket.beam.transforms.GroupedData.ITEM;
import static io.rusket.beam.transforms.GroupedData.TXN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** MineGrouped on the DirectRunner, against the miner run group by group. */
class MineGroupedTest {
  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  private static PCollection<Row> create(Pipeline p, String name, List<Row> rows, Schema schema) {
    return rows.isEmpty()
        ? p.apply(name, Create.empty(RowCoder.of(schema)))
        : p.apply(name, Create.of(rows).withRowSchema(schema));
  }

  private static int[] randomSizes(Random rnd, int groups, int min, int max) {
    int[] sizes = new int[groups];
    for (int g = 0; g < groups; g++) {
      sizes[g] = min + rnd.nextInt(max - min + 1);
    }
    return sizes;
  }

  @Test
  void matchesTheMinerGroupByGroupWith1248Groups() {
    Pipeline p = pipeline();
    for (int groups : new int[] {1, 2, 4, 8}) {
      long seed = 1000 + groups;
      GroupedData data =
          GroupedData.random(seed, randomSizes(new Random(seed), groups, 20, 150), true);
      PCollection<Row> out =
          create(p, "Receipts" + groups, data.oneHotRows(), GroupedData.oneHotSchema())
              .apply("Mine" + groups, MineGrouped.byColumn(GROUP).withMinSupport(0.1));
      assertEquals(
          MineGrouped.outputSchema(GroupedData.oneHotSchema().getField(GROUP), true),
          out.getSchema());
      PAssert.that("groups=" + groups + " seed=" + seed + " " + data, out)
          .containsInAnyOrder(data.expected(0.1, null, Method.FPGROWTH, true));
    }
    p.run().waitUntilFinish();
  }

  /**
   * One group 100 times the size of the others. Long format gets a smaller skewed input: on the
   * DirectRunner every (group, transaction) key of its first step costs milliseconds.
   */
  @Test
  void skewedGroupOneHundredTimesTheOthers() {
    long seed = 77;
    GroupedData big = GroupedData.random(seed, new int[] {3000, 30, 30, 30}, true);
    GroupedData small = GroupedData.random(seed, new int[] {300, 3, 3, 3}, false);
    Pipeline p = pipeline();
    PCollection<Row> oneHot =
        create(p, "Receipts", big.oneHotRows(), GroupedData.oneHotSchema())
            .apply("MineOneHot", MineGrouped.byColumn(GROUP).withMinSupport(0.05).withMaxLen(3));
    PCollection<Row> events =
        create(p, "Events", small.events(true, seed), GroupedData.eventsSchema(true))
            .apply(
                "MineEvents",
                MineGrouped.events(GROUP, TXN, ITEM).withMinSupport(0.05).withMaxLen(3));
    PAssert.that("one-hot, seed=" + seed, oneHot)
        .containsInAnyOrder(big.expected(0.05, 3, Method.FPGROWTH, true));
    PAssert.that("events, seed=" + seed, events)
        .containsInAnyOrder(small.expected(0.05, 3, Method.FPGROWTH, true));
    p.run().waitUntilFinish();
  }

  @Test
  void oneHotAndEventsGiveTheSameItemsetsWithNamesAndWithIds() {
    long seed = 5;
    GroupedData data = GroupedData.random(seed, new int[] {60, 40, 25}, false);
    Pipeline p = pipeline();
    PCollection<Row> receipts =
        create(p, "Receipts", data.oneHotRows(), GroupedData.oneHotSchema());
    PCollection<Row> stringEvents =
        create(p, "StringEvents", data.events(true, seed), GroupedData.eventsSchema(true));
    PCollection<Row> intEvents =
        create(p, "IntEvents", data.events(false, seed + 1), GroupedData.eventsSchema(false));
    MineGrouped oneHot = MineGrouped.byColumn(GROUP).withMinSupport(0.15);
    MineGrouped events = MineGrouped.events(GROUP, TXN, ITEM).withMinSupport(0.15);

    List<Row> names = data.expected(0.15, null, Method.FPGROWTH, true);
    List<Row> ids = data.expected(0.15, null, Method.FPGROWTH, false);
    PAssert.that("one-hot names", receipts.apply("OneHotNames", oneHot)).containsInAnyOrder(names);
    PAssert.that("string events names", stringEvents.apply("StringEventsNames", events))
        .containsInAnyOrder(names);
    PCollection<Row> oneHotIds = receipts.apply("OneHotIds", oneHot.withItemNames(false));
    PCollection<Row> intEventIds = intEvents.apply("IntEventsIds", events.withItemNames(false));
    Schema idSchema = MineGrouped.outputSchema(GroupedData.oneHotSchema().getField(GROUP), false);
    assertEquals(idSchema, oneHotIds.getSchema());
    assertEquals(FieldType.array(FieldType.INT32), idSchema.getField("itemsets").getType());
    assertEquals(idSchema, intEventIds.getSchema());
    PAssert.that("one-hot ids (column index)", oneHotIds).containsInAnyOrder(ids);
    PAssert.that("int events ids (item value)", intEventIds).containsInAnyOrder(ids);
    p.run().waitUntilFinish();
  }

  @Test
  void sameOutputForAnyShardingOfTheInput() {
    long seed = 11;
    GroupedData data = GroupedData.random(seed, new int[] {25, 15, 10, 6}, false);
    List<Row> events = data.events(true, seed);
    List<Row> receipts = data.oneHotRows();
    java.util.Collections.shuffle(receipts, new Random(seed));
    List<Row> expected = data.expected(0.1, 3, Method.FPGROWTH, true);
    Pipeline p = pipeline();
    for (int k : new int[] {1, 2, 4, 8}) {
      PCollectionList<Row> eventShards = PCollectionList.empty(p);
      PCollectionList<Row> receiptShards = PCollectionList.empty(p);
      List<List<Row>> es = GroupedData.shards(events, k);
      List<List<Row>> rs = GroupedData.shards(receipts, k);
      for (int s = 0; s < k; s++) {
        eventShards =
            eventShards.and(
                create(p, "Events" + k + "." + s, es.get(s), GroupedData.eventsSchema(true)));
        receiptShards =
            receiptShards.and(
                create(p, "Receipts" + k + "." + s, rs.get(s), GroupedData.oneHotSchema()));
      }
      PCollection<Row> e =
          eventShards
              .apply("FlattenEvents" + k, Flatten.pCollections())
              .apply(
                  "MineEvents" + k,
                  MineGrouped.events(GROUP, TXN, ITEM).withMinSupport(0.1).withMaxLen(3));
      PCollection<Row> r =
          receiptShards
              .apply("FlattenReceipts" + k, Flatten.pCollections())
              .apply(
                  "MineReceipts" + k,
                  MineGrouped.byColumn(GROUP).withMinSupport(0.1).withMaxLen(3));
      PAssert.that("events in " + k + " shards", e).containsInAnyOrder(expected);
      PAssert.that("receipts in " + k + " shards", r).containsInAnyOrder(expected);
    }
    p.run().waitUntilFinish();
  }

  @Test
  void everyMethodMaxLenAndThreadCountGivesTheMinersResult() {
    long seed = 23;
    GroupedData data = GroupedData.random(seed, new int[] {200, 70}, true);
    Pipeline p = pipeline();
    PCollection<Row> receipts =
        create(p, "Receipts", data.oneHotRows(), GroupedData.oneHotSchema());
    Object[][] settings = {
      {Method.FPGROWTH, 1, 1}, {Method.ECLAT, 2, 2}, {Method.AUTO, null, 2}, {Method.ECLAT, null, 1}
    };
    for (Object[] s : settings) {
      Method method = (Method) s[0];
      Integer maxLen = (Integer) s[1];
      int threads = (Integer) s[2];
      MineGrouped t =
          MineGrouped.byColumn(GROUP)
              .withMinSupport(0.08)
              .withMethod(method)
              .withThreadsPerGroup(threads);
      t = maxLen == null ? t.withoutMaxLen() : t.withMaxLen(maxLen);
      String name = method + " maxLen=" + maxLen + " threads=" + threads;
      PAssert.that(name, receipts.apply(name, t))
          .containsInAnyOrder(data.expected(0.08, maxLen, Method.FPGROWTH, true));
    }
    p.run().waitUntilFinish();
  }

  @Test
  void itemColumnsSelectTheItemsAndTheirIds() {
    Schema schema =
        Schema.builder()
            .addStringField("region")
            .addInt64Field("receipt_id")
            .addBooleanField("a")
            .addBooleanField("b")
            .addBooleanField("c")
            .build();
    List<Row> rows = new ArrayList<>();
    boolean[][] flags = {{true, true, false}, {true, true, true}, {false, true, true}};
    for (int t = 0; t < flags.length; t++) {
      rows.add(
          Row.withSchema(schema)
              .addValues("north", (long) t, flags[t][0], flags[t][1], flags[t][2])
              .build());
    }
    Pipeline p = pipeline();
    PCollection<Row> out =
        create(p, "Receipts", rows, schema)
            .apply(
                MineGrouped.byColumn("region")
                    .withItemColumns("c", "b") // ids follow this order: c = 0, b = 1
                    .withItemNames(false)
                    .withMinSupport(0.6));
    Schema outSchema = MineGrouped.outputSchema(schema.getField("region"), false);
    PAssert.that(out)
        .containsInAnyOrder(
            Row.withSchema(outSchema).addValues("north", 1.0, List.of(1), 3L, 3L).build(),
            Row.withSchema(outSchema).addValues("north", 2 / 3.0, List.of(0), 2L, 3L).build(),
            Row.withSchema(outSchema).addValues("north", 2 / 3.0, List.of(0, 1), 2L, 3L).build());
    p.run().waitUntilFinish();
  }

  @Test
  void emptyTransactionsCountAndAGroupOfEmptyTransactionsYieldsNothing() {
    Schema schema =
        Schema.builder().addStringField("g").addBooleanField("x").addBooleanField("y").build();
    List<Row> rows =
        List.of(
            Row.withSchema(schema).addValues("full", true, false).build(),
            Row.withSchema(schema).addValues("full", true, true).build(),
            Row.withSchema(schema).addValues("full", false, false).build(),
            Row.withSchema(schema).addValues("empty", false, false).build(),
            Row.withSchema(schema).addValues("empty", false, false).build());
    Pipeline p = pipeline();
    PCollection<Row> out =
        create(p, "Receipts", rows, schema).apply(MineGrouped.byColumn("g").withMinSupport(0.5));
    Schema outSchema = MineGrouped.outputSchema(schema.getField("g"), true);
    PAssert.that(out)
        .containsInAnyOrder(
            Row.withSchema(outSchema).addValues("full", 2 / 3.0, List.of("x"), 2L, 3L).build());
    PCollection<Row> none =
        create(p, "NoReceipts", List.of(), schema).apply("MineNothing", MineGrouped.byColumn("g"));
    PAssert.that("empty input", none).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void thresholdIsExactAtACountBoundary() {
    // N = 100 transactions; minSupport 0.07 means count >= 7 (0.07 * 100 is 7.000000000000001
    // in floating point, whose ceiling would wrongly be 8).
    Schema schema = GroupedData.eventsSchema(true);
    List<Row> rows = new ArrayList<>();
    for (long t = 0; t < 100; t++) {
      rows.add(Row.withSchema(schema).addValues(1, t, "base").build());
      if (t < 7) {
        rows.add(Row.withSchema(schema).addValues(1, t, "seven").build());
      }
      if (t >= 50 && t < 56) {
        rows.add(Row.withSchema(schema).addValues(1, t, "six").build());
      }
    }
    Pipeline p = pipeline();
    PCollection<Row> out =
        create(p, "Events", rows, schema)
            .apply(MineGrouped.events(GROUP, TXN, ITEM).withMinSupport(0.07));
    Schema outSchema = MineGrouped.outputSchema(schema.getField(GROUP), true);
    PAssert.that(out)
        .containsInAnyOrder(
            Row.withSchema(outSchema).addValues(1, 1.0, List.of("base"), 100L, 100L).build(),
            Row.withSchema(outSchema).addValues(1, 0.07, List.of("seven"), 7L, 100L).build(),
            Row.withSchema(outSchema)
                .addValues(1, 0.07, List.of("base", "seven"), 7L, 100L)
                .build());
    p.run().waitUntilFinish();
  }

  @Test
  void integerItemsWithNamesComeInNumericOrderAndStringGroupsKeepTheirType() {
    Schema schema =
        Schema.builder()
            .addStringField("segment")
            .addStringField("order")
            .addInt64Field("product")
            .build();
    List<Row> rows = new ArrayList<>();
    long[][] baskets = {{100, 9, 10}, {10, 100, 9, 9}, {9}};
    for (int t = 0; t < baskets.length; t++) {
      for (long item : baskets[t]) {
        rows.add(Row.withSchema(schema).addValues("vip", "o" + t, item).build());
      }
    }
    Pipeline p = pipeline();
    PCollection<Row> out =
        create(p, "Events", rows, schema)
            .apply(
                MineGrouped.events("segment", "order", "product")
                    .withMinSupport(0.6)
                    .withMaxLen(2));
    Schema outSchema = MineGrouped.outputSchema(schema.getField("segment"), true);
    PAssert.that(out)
        .containsInAnyOrder(
            Row.withSchema(outSchema).addValues("vip", 1.0, List.of("9"), 3L, 3L).build(),
            Row.withSchema(outSchema).addValues("vip", 2 / 3.0, List.of("10"), 2L, 3L).build(),
            Row.withSchema(outSchema).addValues("vip", 2 / 3.0, List.of("100"), 2L, 3L).build(),
            Row.withSchema(outSchema).addValues("vip", 2 / 3.0, List.of("9", "10"), 2L, 3L).build(),
            Row.withSchema(outSchema)
                .addValues("vip", 2 / 3.0, List.of("9", "100"), 2L, 3L)
                .build(),
            Row.withSchema(outSchema)
                .addValues("vip", 2 / 3.0, List.of("10", "100"), 2L, 3L)
                .build());
    p.run().waitUntilFinish();
  }

  @Test
  void metricsCountGroupsTransactionsAndItemsets() {
    long seed = 3;
    GroupedData data = GroupedData.random(seed, new int[] {60, 40, 30}, true);
    List<Row> expected = data.expected(0.2, null, Method.FPGROWTH, true);
    Pipeline p = pipeline();
    create(p, "Receipts", data.oneHotRows(), GroupedData.oneHotSchema())
        .apply(MineGrouped.byColumn(GROUP).withMinSupport(0.2));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(3, counter(result, "groupsMined"));
    assertEquals(data.transactions(), counter(result, "transactions"));
    assertEquals(expected.size(), counter(result, "itemsetsEmitted"));
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(MineGrouped.METRICS_NAMESPACE, "miningMillis"))
                    .build());
    DistributionResult millis = q.getDistributions().iterator().next().getAttempted();
    assertEquals(3, millis.getCount(), "one value per group");
    assertTrue(millis.getMin() >= 0);
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(MineGrouped.METRICS_NAMESPACE, name))
                    .build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  // ------------------------------------------------------------------------------------------
  // Bad values met while running: the failure names the group, the field and the value.

  private static String failureMessage(Pipeline p) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> p.run().waitUntilFinish());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && t.getMessage().startsWith("MineGrouped:")) {
        return t.getMessage();
      }
    }
    throw new AssertionError("no MineGrouped failure in the cause chain", e);
  }

  private static Schema oneHotInts() {
    return Schema.builder()
        .addInt32Field("store")
        .addNullableField("milk", FieldType.INT32)
        .addNullableField("bread", FieldType.BOOLEAN)
        .build();
  }

  @Test
  void nonBinaryItemValueFailsNamingGroupFieldAndValue() {
    Pipeline p = pipeline();
    create(
            p,
            "Receipts",
            List.of(Row.withSchema(oneHotInts()).addValues(7, 2, true).build()),
            oneHotInts())
        .apply(MineGrouped.byColumn("store"));
    assertEquals(
        "MineGrouped: invalid value 2 in item field 'milk' of a row of group store=7: one-hot item"
            + " fields must be 0 or 1 (or false/true); rows are never dropped silently",
        failureMessage(p));
  }

  @Test
  void nullItemValueFailsNamingGroupFieldAndValue() {
    Pipeline p = pipeline();
    create(
            p,
            "Receipts",
            List.of(Row.withSchema(oneHotInts()).addValues(8, 1, null).build()),
            oneHotInts())
        .apply(MineGrouped.byColumn("store"));
    String m = failureMessage(p);
    assertTrue(
        m.startsWith(
            "MineGrouped: invalid value null in item field 'bread' of a row of group" + " store=8"),
        m);
  }

  @Test
  void nullGroupFailsNamingTheField() {
    Schema schema =
        Schema.builder().addNullableField("store", FieldType.INT32).addBooleanField("milk").build();
    Pipeline p = pipeline();
    create(p, "Receipts", List.of(Row.withSchema(schema).addValues(null, true).build()), schema)
        .apply(MineGrouped.byColumn("store"));
    assertEquals(
        "MineGrouped: invalid value null in group field 'store': every row must belong to a group"
            + " (rows are never dropped silently)",
        failureMessage(p));
  }

  @Test
  void nullTransactionOrItemInEventsFailsNamingGroupFieldAndValue() {
    Schema schema =
        Schema.builder()
            .addStringField("store")
            .addNullableField("receipt", FieldType.INT64)
            .addNullableField("sku", FieldType.STRING)
            .build();
    Pipeline p1 = pipeline();
    create(p1, "Events", List.of(Row.withSchema(schema).addValues("s1", null, "a").build()), schema)
        .apply(MineGrouped.events("store", "receipt", "sku"));
    String m1 = failureMessage(p1);
    assertTrue(
        m1.startsWith(
            "MineGrouped: invalid value null in transaction field 'receipt' of a row of group"
                + " store=s1"),
        m1);
    Pipeline p2 = pipeline();
    create(p2, "Events", List.of(Row.withSchema(schema).addValues("s2", 5L, null).build()), schema)
        .apply(MineGrouped.events("store", "receipt", "sku"));
    String m2 = failureMessage(p2);
    assertTrue(
        m2.startsWith(
            "MineGrouped: invalid value null in item field 'sku' of a row of group store=s2"),
        m2);
  }

  @Test
  void itemValueBeyondInt32FailsWhenNamesAreOff() {
    Schema schema =
        Schema.builder()
            .addStringField("store")
            .addInt64Field("receipt")
            .addInt64Field("sku")
            .build();
    Pipeline p = pipeline();
    create(
            p,
            "Events",
            List.of(Row.withSchema(schema).addValues("s1", 1L, 4006381333931L).build()),
            schema)
        .apply(MineGrouped.events("store", "receipt", "sku").withItemNames(false));
    assertEquals(
        "MineGrouped: invalid value 4006381333931 in item field 'sku' of a row of group store=s1:"
            + " withItemNames(false) outputs item values as INT32 ids, and this one does not fit",
        failureMessage(p));
  }
}
