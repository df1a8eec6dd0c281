package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
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

  /**
   * The whole log, per weekday, through the transform's own steps without a runner: the
   * per-transaction CombineFn, the per-group CombineFn and the per-group mining. (Through the
   * DirectRunner, whose every (group, transaction) key costs milliseconds, the whole log would take
   * minutes; the pipeline test below mines its first eight days.)
   */
  @Test
  void wholeLogPerWeekdayMatchesTheMinerAndHandCountedSupports() throws IOException {
    List<Sale> sales = read(Datasets.require("bread-basket.csv"));
    assertEquals(21293, sales.size());
    Map<String, Map<Long, Set<String>>> byDay = baskets(sales);
    assertEquals(7, byDay.size());

    MineGrouped.ItemsToBasketFn toBasket = MineGrouped.basketCombineFn(ItemSet.Kind.STRING);
    MineGrouped.BasketsToGroupFn toGroup = MineGrouped.groupCombineFn(ItemSet.Kind.STRING);
    Map<String, Map<Long, ItemSet>> txnAccumulators = new TreeMap<>();
    for (Sale s : sales) {
      Map<Long, ItemSet> day = txnAccumulators.computeIfAbsent(s.weekday, d -> new HashMap<>());
      ItemSet acc = day.computeIfAbsent(s.transaction, t -> toBasket.createAccumulator());
      toBasket.addInput(acc, ItemSet.ofStrings(s.item));
    }
    Schema out = MineGrouped.outputSchema(EVENTS.getField("weekday"), true);
    ItemsetMiner miner = ItemsetMiner.minSupport(MIN_SUPPORT).withThreads(1);
    List<Row> rows = new ArrayList<>();
    txnAccumulators.forEach(
        (day, txns) -> {
          GroupBaskets acc = toGroup.createAccumulator();
          for (ItemSet t : txns.values()) {
            toGroup.addInput(acc, toBasket.extractOutput(t));
          }
          MineGrouped.mineGroup(day, toGroup.extractOutput(acc), miner, out, null, true, rows::add);
        });
    assertEquals(new HashSet<>(expected(byDay)), new HashSet<>(rows));
    assertEquals(expected(byDay).size(), rows.size());

    Map<List<Object>, Row> saturday = new HashMap<>();
    for (Row r : rows) {
      if (r.getString("weekday").equals("SATURDAY")) {
        saturday.put(new ArrayList<>(r.getArray("itemsets")), r);
      }
    }
    Map<Long, Set<String>> sat = byDay.get("SATURDAY");
    long n = sat.size();
    assertEquals(n, saturday.get(List.of("Coffee")).getInt64("transactions"));
    assertEquals(count(sat, "Coffee"), saturday.get(List.of("Coffee")).getInt64("count"));
    assertEquals(
        count(sat, "Bread", "Coffee") / (double) n,
        saturday.get(List.of("Bread", "Coffee")).getDouble("support"),
        0.0);
    assertEquals(
        count(sat, "NONE") / (double) n, saturday.get(List.of("NONE")).getDouble("support"), 0.0);
  }

  /**
   * The first eight days of the log (Sunday 2016-10-30 to Sunday 2016-11-06, so the Sunday group
   * joins two dates) through the pipeline.
   */
  @Test
  void firstEightDaysPerWeekdayThroughThePipeline() throws IOException {
    List<Sale> sales = new ArrayList<>();
    for (Sale s : read(Datasets.require("bread-basket.csv"))) {
      if (s.date.compareTo("2016-11-06") <= 0) {
        sales.add(s);
      }
    }
    Map<String, Map<Long, Set<String>>> byDay = baskets(sales);
    assertEquals(7, byDay.size());
    List<Row> events = new ArrayList<>();
    for (Sale s : sales) {
      events.add(Row.withSchema(EVENTS).addValues(s.weekday, s.transaction, s.item).build());
    }
    // Hand-checkable counts on Saturdays, the busiest day.
    Map<Long, Set<String>> saturday = byDay.get("SATURDAY");
    final long n = saturday.size();
    final long coffee = count(saturday, "Coffee");
    final long breadCoffee = count(saturday, "Bread", "Coffee");
    final long none = count(saturday, "NONE");
    assertTrue(coffee > breadCoffee && breadCoffee > 0 && none > 0);

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> out =
        p.apply(Create.of(events).withRowSchema(EVENTS))
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
