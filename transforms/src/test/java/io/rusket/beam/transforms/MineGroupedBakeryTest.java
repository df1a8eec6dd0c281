package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.testing.Datasets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * The bakery's sales log (bread-basket.csv: Date,Time,Transaction,Item, one row per item sold,
 * items repeated inside a transaction, an item literally named NONE) mined per weekday, in long
 * format.
 */
class MineGroupedBakeryTest {
  private static final Schema EVENTS =
      Schema.builder()
          .addStringField("weekday")
          .addInt64Field("transaction")
          .addStringField("item")
          .build();
  private static final double MIN_SUPPORT = 0.02;

  /** One parsed line of the CSV. */
  private static final class Sale {
    final String date;
    final String weekday;
    final long transaction;
    final String item;

    Sale(String date, long transaction, String item) {
      this.date = date;
      this.weekday = LocalDate.parse(date).getDayOfWeek().name();
      this.transaction = transaction;
      this.item = item;
    }
  }

  /**
   * Reads the log. The file has CRLF line ends, one NUL byte before a date and a few item names
   * with a trailing space: control characters are removed and fields trimmed. NONE stays an item.
   */
  private static List<Sale> read(Path csv) throws IOException {
    List<Sale> sales = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals("Date,Time,Transaction,Item", lines.get(0).replaceAll("\\p{Cntrl}", ""));
    for (String raw : lines.subList(1, lines.size())) {
      String line = raw.replaceAll("\\p{Cntrl}", "");
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      assertEquals(4, f.length, line);
      sales.add(new Sale(f[0].trim(), Long.parseLong(f[2].trim()), f[3].trim()));
    }
    return sales;
  }

  /** Weekday → transaction → its distinct items, by scanning the sales. */
  private static Map<String, Map<Long, Set<String>>> baskets(List<Sale> sales) {
    Map<String, Map<Long, Set<String>>> byDay = new TreeMap<>();
    for (Sale s : sales) {
      byDay
          .computeIfAbsent(s.weekday, d -> new LinkedHashMap<>())
          .computeIfAbsent(s.transaction, t -> new HashSet<>())
          .add(s.item);
    }
    return byDay;
  }

  /** Counts of transactions holding all of {@code items} on one weekday. */
  private static long count(Map<Long, Set<String>> day, String... items) {
    return day.values().stream().filter(b -> b.containsAll(List.of(items))).count();
  }

  /** The whole log as event Rows. */
  private static List<Row> events(List<Sale> sales) {
    List<Row> events = new ArrayList<>();
    for (Sale s : sales) {
      events.add(Row.withSchema(EVENTS).addValues(s.weekday, s.transaction, s.item).build());
    }
    return events;
  }

  /**
   * The whole log (21,293 events, 9,531 transactions) through the pipeline, grouped by weekday: the
   * same rows as the miner run on each weekday alone, and hand-counted Saturday supports.
   */
  @Test
  void wholeLogPerWeekdayThroughThePipeline() throws IOException {
    List<Sale> sales = read(Datasets.require("bread-basket.csv"));
    assertEquals(21293, sales.size());
    Map<String, Map<Long, Set<String>>> byDay = baskets(sales);
    assertEquals(7, byDay.size());
    assertEquals(9531, byDay.values().stream().mapToInt(Map::size).sum());
    // Hand-checkable counts on Saturdays, the busiest day.
    Map<Long, Set<String>> saturday = byDay.get("SATURDAY");
    final long n = saturday.size();
    final long coffee = count(saturday, "Coffee");
    final long breadCoffee = count(saturday, "Bread", "Coffee");
    final long none = count(saturday, "NONE");
    assertTrue(coffee > breadCoffee && breadCoffee > 0 && none > 0);

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> out =
        p.apply(Create.of(events(sales)).withRowSchema(EVENTS))
            .apply(
                MineGrouped.events("weekday", "transaction", "item").withMinSupport(MIN_SUPPORT));
    PAssert.that("the miner run on each weekday alone", out).containsInAnyOrder(expected(byDay));
    PAssert.that("hand-counted Saturday supports", out)
        .satisfies(
            rows -> {
              Map<List<Object>, Row> sat = new HashMap<>();
              for (Row r : rows) {
                if (r.getString("weekday").equals("SATURDAY")) {
                  sat.put(new ArrayList<>(r.getArray("itemsets")), r);
                }
              }
              Row c = sat.get(List.of("Coffee"));
              assertEquals(coffee, c.getInt64("count"));
              assertEquals(n, c.getInt64("transactions"));
              assertEquals(coffee / (double) n, c.getDouble("support"), 0.0);
              Row bc = sat.get(List.of("Bread", "Coffee"));
              assertEquals(breadCoffee, bc.getInt64("count"));
              assertEquals(breadCoffee / (double) n, bc.getDouble("support"), 0.0);
              assertEquals(none / (double) n, sat.get(List.of("NONE")).getDouble("support"), 0.0);
              return null;
            });
    p.run().waitUntilFinish();
  }

  /**
   * End to end: the whole log → MineGrouped.events by weekday → RulesGrouped by weekday. The
   * metrics of a few Sunday rules are recomputed here from the raw baskets (support, confidence,
   * lift by their definitions), independently of the miner and its rules code.
   */
  @Test
  void wholeLogToRulesPerWeekdayMatchesHandComputedMetrics() throws IOException {
    List<Sale> sales = read(Datasets.require("bread-basket.csv"));
    Map<Long, Set<String>> sunday = baskets(sales).get("SUNDAY");
    final double n = sunday.size();
    // {Pastry} → {Coffee}, {Coffee} → {Pastry}, {Cake} → {Coffee} on Sundays.
    final double pastry = count(sunday, "Pastry") / n;
    final double cake = count(sunday, "Cake") / n;
    final double coffee = count(sunday, "Coffee") / n;
    final double pastryCoffee = count(sunday, "Pastry", "Coffee") / n;
    final double cakeCoffee = count(sunday, "Cake", "Coffee") / n;
    assertTrue(pastryCoffee >= MIN_SUPPORT && cakeCoffee >= MIN_SUPPORT);

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> rules =
        p.apply(Create.of(events(sales)).withRowSchema(EVENTS))
            .apply(MineGrouped.events("weekday", "transaction", "item").withMinSupport(MIN_SUPPORT))
            .apply(
                RulesGrouped.byColumn("weekday")
                    .withMetric(RuleMetric.CONFIDENCE)
                    .withMinThreshold(0.0));
    PAssert.that("hand-computed Sunday rules", rules)
        .satisfies(
            rows -> {
              Map<String, Row> sun = new HashMap<>();
              Set<String> days = new HashSet<>();
              for (Row r : rows) {
                days.add(r.getString("weekday"));
                if (r.getString("weekday").equals("SUNDAY")) {
                  sun.put(r.getArray("antecedents") + "->" + r.getArray("consequents"), r);
                }
              }
              assertEquals(7, days.size(), "every weekday yields rules");
              checkRule(sun.get("[Pastry]->[Coffee]"), pastry, coffee, pastryCoffee);
              checkRule(sun.get("[Coffee]->[Pastry]"), coffee, pastry, pastryCoffee);
              checkRule(sun.get("[Cake]->[Coffee]"), cake, coffee, cakeCoffee);
              return null;
            });
    p.run().waitUntilFinish();
  }

  /** support = s(A∪C), confidence = s(A∪C)/s(A), lift = confidence/s(C). */
  private static void checkRule(Row rule, double a, double c, double ac) {
    assertTrue(rule != null, "rule missing");
    assertEquals(a, rule.getDouble("antecedent_support"), 1e-12);
    assertEquals(c, rule.getDouble("consequent_support"), 1e-12);
    assertEquals(ac, rule.getDouble("support"), 1e-12);
    assertEquals(ac / a, rule.getDouble("confidence"), 1e-12);
    assertEquals(ac / a / c, rule.getDouble("lift"), 1e-12);
  }

  /** The miner on each weekday's baskets; items named and in String order, as MineGrouped. */
  private static List<Row> expected(Map<String, Map<Long, Set<String>>> byDay) {
    Schema out = MineGrouped.outputSchema(EVENTS.getField("weekday"), true);
    List<Row> rows = new ArrayList<>();
    byDay.forEach(
        (day, baskets) -> {
          TransactionDb db = TransactionDb.fromStringBaskets(new ArrayList<>(baskets.values()));
          Itemsets sets = ItemsetMiner.minSupport(MIN_SUPPORT).withThreads(1).mine(db);
          for (int i = 0; i < sets.size(); i++) {
            String[] names = sets.names(i);
            Arrays.sort(names);
            rows.add(
                Row.withSchema(out)
                    .addValues(
                        day, sets.support(i), Arrays.asList(names), sets.count(i), (long) db.size())
                    .build());
          }
        });
    return rows;
  }
}
