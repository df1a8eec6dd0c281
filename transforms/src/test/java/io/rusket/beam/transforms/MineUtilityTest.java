package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.UtilityDb;
import io.rusket.beam.testing.BruteForceUtility;
import io.rusket.beam.testing.BruteForceUtility.Event;
import io.rusket.beam.testing.BruteForceUtility.Hui;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.junit.jupiter.api.Test;

/** MineUtility on the DirectRunner against the brute-force oracle; its CombineFn, coder, checks. */
class MineUtilityTest {
  static final Schema EVENTS =
      Schema.builder()
          .addStringField("store")
          .addInt64Field("receipt")
          .addStringField("sku")
          .addDoubleField("profit")
          .build();

  static List<Row> rows(List<Event> events) {
    List<Row> rows = new ArrayList<>();
    for (Event e : events) {
      rows.add(Row.withSchema(EVENTS).addValues(e.group(), e.txn(), e.item(), e.utility()).build());
    }
    return rows;
  }

  /** "group|utility|count|support|items" of an output row (group "all" in the global form). */
  static String line(Row r) {
    String group = r.getSchema().hasField("store") ? r.getString("store") : "all";
    return group
        + "|"
        + r.getDouble("utility")
        + "|"
        + r.getInt64("count")
        + "|"
        + r.getDouble("support")
        + "|"
        + r.getArray("itemsets");
  }

  static List<String> lines(List<Hui> huis) {
    List<String> out = new ArrayList<>();
    for (Hui h : huis) {
      out.add(h.line());
    }
    return out;
  }

  private static PipelineResult run(
      List<Event> events, MineUtility transform, List<String> expected) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    List<Row> rows = rows(events);
    Collections.shuffle(rows, new Random(events.size()));
    PCollection<String> out =
        p.apply(Create.of(rows).withRowSchema(EVENTS))
            .apply(transform)
            .apply(MapElements.into(TypeDescriptors.strings()).via(MineUtilityTest::line));
    PAssert.that(out).containsInAnyOrder(expected);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return result;
  }

  private static long counter(PipelineResult r, String name) {
    long sum = 0;
    for (MetricResult<Long> m :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(MineUtility.METRICS_NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += m.getAttempted();
    }
    return sum;
  }

  @Test
  void perGroupMatchesBruteForce() {
    for (int seed = 0; seed < 3; seed++) {
      Random rnd = new Random(seed);
      List<Event> events = BruteForceUtility.randomEvents(rnd, 4, 25, 9);
      long minCents = 500 + rnd.nextInt(3000);
      List<Hui> want = BruteForceUtility.mine(events, minCents, 0, Integer.MAX_VALUE);
      PipelineResult r =
          run(
              events,
              MineUtility.events("store", "receipt", "sku", "profit")
                  .withMinUtility(minCents / 100.0),
              lines(want));
      assertEquals(want.size(), counter(r, "itemsetsEmitted"), "seed " + seed);
      assertEquals(4, counter(r, "groupsMined"));
      assertEquals(events.size(), counter(r, "events"));
      // a fraction of each group's total, maxLen 2, and a tiny bundle budget (early flushes)
      int perMille = 20 + rnd.nextInt(200);
      List<Hui> want2 = BruteForceUtility.mine(events, 0, perMille, 2);
      PipelineResult r2 =
          run(
              events,
              MineUtility.events("store", "receipt", "sku", "profit")
                  .withMinUtilityFraction(perMille / 1000.0)
                  .withMaxLen(2)
                  .withMaxBundleBytes(1500),
              lines(want2));
      assertTrue(counter(r2, "bundleFlushes") > 0);
    }
  }

  @Test
  void globalMatchesBruteForce() {
    Random rnd = new Random(7);
    List<Event> events = BruteForceUtility.randomEvents(rnd, 3, 20, 8);
    List<Event> asOne = new ArrayList<>();
    for (Event e : events) {
      asOne.add(new Event("all", e.txn(), e.item(), e.cents()));
    }
    List<Hui> want = BruteForceUtility.mine(asOne, 0, 50, Integer.MAX_VALUE);
    run(
        events,
        MineUtility.globalEvents("receipt", "sku", "profit").withMinUtilityFraction(0.05),
        lines(want));
  }

  @Test
  void combineFnIsIndependentOfShardingAndOrder() {
    Random rnd = new Random(3);
    List<UtilityEvents> inputs = new ArrayList<>();
    UtilityEvents all = UtilityEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
    for (Event e : BruteForceUtility.randomEvents(rnd, 1, 40, 10)) {
      long fixed = e.cents() * 10_000;
      inputs.add(
          UtilityEvents.empty(KeyKind.INTEGER, KeyKind.STRING).add(e.txn(), e.item(), fixed));
      all.add(e.txn(), e.item(), fixed);
    }
    String want = all.canonicalContent();
    CombineFnTester.testCombineFn(
        MineUtility.combineFn(KeyKind.INTEGER, KeyKind.STRING),
        inputs,
        new BaseMatcher<UtilityEvents>() {
          @Override
          public boolean matches(Object o) {
            return o instanceof UtilityEvents
                && ((UtilityEvents) o).canonicalContent().equals(want);
          }

          @Override
          public void describeTo(Description d) {
            d.appendText(want);
          }
        });
  }

  @Test
  void coderRoundTrips() throws Exception {
    UtilityEvents s =
        UtilityEvents.empty(KeyKind.STRING, KeyKind.INTEGER)
            .add("r1", 5L, 1_500_000)
            .add("r1", 7, 0)
            .add("r2", 5, 123_456_789_012L)
            .add("r1", 5, 1);
    CoderProperties.coderDecodeEncodeEqual(UtilityEvents.coder(), s);
    CoderProperties.coderDeterministic(UtilityEvents.coder(), s, s.copy());
    CoderProperties.coderDecodeEncodeEqual(
        UtilityEvents.coder(), UtilityEvents.empty(KeyKind.INTEGER, KeyKind.STRING));
    // duplicates are summed in the database
    UtilityDb db = s.toDb();
    assertEquals(2, db.nTransactions());
    assertEquals(3, db.nEntries());
    assertEquals(1_500_000 + 123_456_789_012L + 1, db.totalUtilityFixed());
  }

  @Test
  void configurationIsCheckedAtConstruction() {
    MineUtility t = MineUtility.events("store", "receipt", "sku", "profit");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.withMinUtility(-3));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.withMinUtilityFraction(2));
    assertTrue(e.getMessage().contains("minUtilityFraction: 2.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.withMaxLen(0));
    assertThrows(IllegalArgumentException.class, () -> t.withMaxBundleBytes(0));
    assertThrows(IllegalArgumentException.class, () -> MineUtility.events("", "a", "b", "c"));
    // no threshold, a missing field, a bad type: at expansion, before running
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> in = p.apply(Create.empty(EVENTS)).setRowSchema(EVENTS);
    e = assertThrows(IllegalArgumentException.class, () -> in.apply("a", t));
    assertTrue(e.getMessage().contains("withMinUtility"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                in.apply(
                    "b", MineUtility.events("store", "receipt", "sku", "price").withMinUtility(1)));
    assertTrue(e.getMessage().contains("'price'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                in.apply(
                    "c",
                    MineUtility.events("store", "receipt", "profit", "sku").withMinUtility(1)));
    assertTrue(e.getMessage().contains("'profit' has type DOUBLE"), e.getMessage());
  }

  @Test
  void badUtilityFailsNamingFieldValueAndEvent() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    List<Row> rows =
        List.of(
            Row.withSchema(EVENTS).addValues("s1", 1L, "milk", 2.0).build(),
            Row.withSchema(EVENTS).addValues("s1", 9L, "jam", -1.5).build());
    p.apply(Create.of(rows).withRowSchema(EVENTS))
        .apply(MineUtility.events("store", "receipt", "sku", "profit").withMinUtility(1));
    Exception e = assertThrows(Exception.class, p::run);
    String m = String.valueOf(e.getMessage());
    for (String part : List.of("-1.5", "'profit'", "transaction 9", "item jam", "store=s1")) {
      assertTrue(m.contains(part), m);
    }
  }

  @Test
  void displayData() {
    DisplayData d =
        DisplayData.from(
            MineUtility.events("store", "receipt", "sku", "profit")
                .withMinUtilityFraction(0.01)
                .withMaxLen(3));
    assertEquals(
        "store",
        d.asMap()
            .get(
                DisplayData.Identifier.of(DisplayData.Path.root(), MineUtility.class, "groupField"))
            .getValue());
    String s = d.toString();
    for (String k : List.of("minUtilityFraction", "maxLen", "utilityField", "maxBundleBytes")) {
      assertTrue(s.contains(k), s);
    }
  }
}
