package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.testing.Datasets;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.RulesGrouped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same pipelines on the DirectRunner and on the SparkRunner ({@code local[2]}, one shared
 * context) give the same rows, equal to the miner run group by group; and on {@code local[2,3]},
 * where Spark retries failed tasks, bundles that fail on their first attempt change nothing.
 */
class SparkRunnerTest {
  private static final String SPARK = "local[2]";
  private static final double MIN_SUPPORT = 0.05;

  @TempDir Path tmp;

  @AfterAll
  static void stopSpark() {
    SparkTestContext.stop();
  }

  private static PipelineOptions direct() {
    return RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner"});
  }

  /** Events → MineGrouped.events → itemsets, and → RulesGrouped → rules; faults optional. */
  private static ResultLines.Job eventsAndRules(List<Row> events, String faultTag) {
    return (p, out) -> {
      PCollection<Row> input =
          p.apply("Events", Create.of(events).withRowSchema(ShopData.EVENTS))
              .apply("FaultsBeforeMining", faults(faultTag, "input"));
      PCollection<Row> itemsets =
          input
              .apply(
                  MineGrouped.events(ShopData.STORE, ShopData.RECEIPT, ShopData.SKU)
                      .withMinSupport(MIN_SUPPORT))
              .apply("FaultsAfterMining", faults(faultTag, "itemsets"));
      PCollection<Row> rules =
          itemsets.apply(
              RulesGrouped.byColumn(ShopData.STORE)
                  .withMetric(RuleMetric.CONFIDENCE)
                  .withMinThreshold(0.3));
      ResultLines.write(itemsets, out, "itemsets");
      ResultLines.write(rules, out, "rules");
    };
  }

  @Test
  void generatedEventsAndRulesAreTheSameOnSparkAndDirect() {
    ShopData data = ShopData.generate(42, 600, 250, 90, 25);
    ResultLines.Job job = eventsAndRules(data.events(), null);
    Map<String, List<String>> onDirect = ResultLines.run(direct(), job, tmp, "itemsets", "rules");
    Map<String, List<String>> onSpark =
        ResultLines.run(SparkTestContext.options(SPARK), job, tmp, "itemsets", "rules");

    List<String> expected = data.expectedItemsets(MIN_SUPPORT);
    assertTrue(expected.size() > 50, () -> "too few itemsets to be a test: " + expected.size());
    assertEquals(expected, onDirect.get("itemsets"));
    assertEquals(expected, onSpark.get("itemsets"));
    assertFalse(onDirect.get("rules").isEmpty(), "some rules");
    assertEquals(onDirect.get("rules"), onSpark.get("rules"));
    assertEquals(4, groups(onSpark.get("rules")).size(), "rules in every store");
  }

  @Test
  void generatedOneHotIsTheSameOnSparkAndDirect() {
    ShopData data = ShopData.generate(7, 500, 120, 40, 12);
    List<Row> rows = data.oneHot();
    ResultLines.Job job =
        (p, out) ->
            ResultLines.write(
                p.apply(Create.of(rows).withRowSchema(ShopData.ONE_HOT))
                    .apply(MineGrouped.byColumn(ShopData.STORE).withMinSupport(MIN_SUPPORT)),
                out,
                "itemsets");
    List<String> onDirect = ResultLines.run(direct(), job, tmp, "itemsets").get("itemsets");
    List<String> onSpark =
        ResultLines.run(SparkTestContext.options(SPARK), job, tmp, "itemsets").get("itemsets");
    List<String> expected = data.expectedItemsets(MIN_SUPPORT);
    assertEquals(expected, onDirect);
    assertEquals(expected, onSpark);
  }

  /**
   * The bakery log (bread-basket.csv: Date,Time,Transaction,Item) grouped by the period of the day
   * of its sale time, itemsets and rules per period.
   */
  @Test
  void bakeryByPeriodOfDayIsTheSameOnSparkAndDirect() throws IOException {
    List<Row> events = bakery(Datasets.require("bread-basket.csv"));
    ResultLines.Job job =
        (p, out) -> {
          PCollection<Row> itemsets =
              p.apply(Create.of(events).withRowSchema(BAKERY))
                  .apply(
                      MineGrouped.events("period_day", "Transaction", "Item").withMinSupport(0.02));
          ResultLines.write(itemsets, out, "itemsets");
          ResultLines.write(
              itemsets.apply(
                  RulesGrouped.byColumn("period_day")
                      .withMetric(RuleMetric.LIFT)
                      .withMinThreshold(1.0)),
              out,
              "rules");
        };
    Map<String, List<String>> onDirect = ResultLines.run(direct(), job, tmp, "itemsets", "rules");
    Map<String, List<String>> onSpark =
        ResultLines.run(SparkTestContext.options(SPARK), job, tmp, "itemsets", "rules");
    assertEquals(
        Set.of("morning", "afternoon", "evening", "night"), groups(onDirect.get("itemsets")));
    assertFalse(onDirect.get("rules").isEmpty(), "some rules");
    assertEquals(onDirect, onSpark);
  }

  /**
   * Spark {@code local[2,3]} retries a failed task up to twice. Every bundle of the input and of
   * the mined itemsets fails once, at its end, after its outputs were emitted; the retried tasks
   * must give exactly the rows of a run without failures.
   */
  @Test
  void bundlesFailingOnceOnSparkGiveTheSameResults() {
    ShopData data = ShopData.generate(3, 400, 150, 30);
    List<Row> events = data.events();
    Map<String, List<String>> clean =
        ResultLines.run(direct(), eventsAndRules(events, null), tmp, "itemsets", "rules");

    String tag = UUID.randomUUID().toString();
    Map<String, List<String>> retried =
        ResultLines.run(
            SparkTestContext.options("local[2,3]"),
            eventsAndRules(events, tag),
            tmp,
            "itemsets",
            "rules");
    assertTrue(FailOnce.failures(tag + "/input") >= 1, "input bundles failed");
    assertTrue(FailOnce.failures(tag + "/itemsets") >= 1, "itemset bundles failed");
    assertEquals(data.expectedItemsets(MIN_SUPPORT), retried.get("itemsets"));
    assertEquals(clean, retried);
  }

  private static Set<String> groups(List<String> lines) {
    Set<String> groups = new TreeSet<>();
    lines.forEach(l -> groups.add(l.substring(0, l.indexOf('|'))));
    return groups;
  }

  // ------------------------------------------------------------------------------------------
  // Fault injection

  private static PTransform<PCollection<Row>, PCollection<Row>> faults(String tag, String stage) {
    return new PTransform<>() {
      @Override
      public PCollection<Row> expand(PCollection<Row> input) {
        return tag == null
            ? input
            : input
                .apply(ParDo.of(new FailOnce(tag + "/" + stage)))
                .setRowSchema(input.getSchema());
      }
    };
  }

  /**
   * Passes its elements on, then fails the bundle at its end the first time a bundle with this
   * content (the same elements, in any order) ends. Spark runs the executors in this JVM in local
   * mode, so the static set sees every attempt.
   */
  static final class FailOnce extends DoFn<Row, Row> {
    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    private final String stage;
    private transient long count;
    private transient long hash;

    FailOnce(String stage) {
      this.stage = stage;
    }

    static int failures(String stage) {
      AtomicInteger n = FAILURES.get(stage);
      return n == null ? 0 : n.get();
    }

    @StartBundle
    public void startBundle() {
      count = 0;
      hash = 0;
    }

    @ProcessElement
    public void processElement(@Element Row row, OutputReceiver<Row> out) {
      count++;
      hash += mix(ResultLines.of(row).hashCode()); // order-independent content key
      out.output(row);
    }

    @FinishBundle
    public void finishBundle() {
      if (count > 0 && FAILED.add(stage + "/" + count + "/" + hash)) {
        FAILURES.computeIfAbsent(stage, s -> new AtomicInteger()).incrementAndGet();
        throw new IllegalStateException(
            "injected failure: first attempt of a bundle of " + count + " rows in " + stage);
      }
    }

    private static long mix(long x) {
      x *= 0x9E3779B97F4A7C15L;
      return x ^ (x >>> 29);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Bakery

  private static final Schema BAKERY =
      Schema.builder()
          .addStringField("period_day")
          .addInt64Field("Transaction")
          .addStringField("Item")
          .build();

  /**
   * The log as events (period_day, Transaction, Item): control characters removed, fields trimmed;
   * period_day from the sale time: morning before 12:00, afternoon before 17:00, evening before
   * 21:00, night otherwise.
   */
  private static List<Row> bakery(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals("Date,Time,Transaction,Item", lines.get(0).replaceAll("\\p{Cntrl}", ""));
    List<Row> rows = new ArrayList<>();
    for (String raw : lines.subList(1, lines.size())) {
      String line = raw.replaceAll("\\p{Cntrl}", "");
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      int hour = Integer.parseInt(f[1].trim().substring(0, 2));
      String period =
          hour < 12 ? "morning" : hour < 17 ? "afternoon" : hour < 21 ? "evening" : "night";
      rows.add(
          Row.withSchema(BAKERY)
              .addValues(period, Long.parseLong(f[2].trim()), f[3].trim())
              .build());
    }
    assertEquals(21293, rows.size());
    return rows;
  }
}
