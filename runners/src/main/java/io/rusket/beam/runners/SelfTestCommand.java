package io.rusket.beam.runners;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.RulesGrouped;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * {@code selftest}: checks that a runner works end to end, with nothing but the jar. Runs a small
 * built-in pipeline — seeded receipts of {@value #STORES} stores of very different sizes as
 * long-format events, {@link MineGrouped#events} then {@link RulesGrouped} — on the runner chosen
 * by the Beam options ({@link RunnerSetup}: embedded Spark by default), and compares what came out
 * with the miner run store by store in this JVM: the number of itemsets and an order-independent
 * checksum of every itemset row, and the number of rules. The results reach the driver as Beam
 * counters, so this works on a cluster too ({@code spark-submit ... selftest}). Prints one line:
 *
 * <pre>{@code runner=SparkRunner (local[4]) stores=3 events=E itemsets=K rules=R millis=T ok}</pre>
 *
 * <p>Exit status 0 when everything matches; 1 (with {@code error: } lines naming the differences)
 * when not, or when the pipeline failed.
 */
final class SelfTestCommand implements Command {
  static final String NAME = "selftest";

  static final int STORES = 3;
  private static final int[] RECEIPTS = {1500, 400, 60};
  private static final int ITEMS = 20;
  private static final long SEED = 20261124L;
  static final double MIN_SUPPORT = 0.05;
  static final double MIN_CONFIDENCE = 0.3;

  private static final String NAMESPACE = "selftest";

  /** The built-in events' schema, in a holder: listing the command does not initialise Beam. */
  private static final class Events {
    static final Schema SCHEMA =
        Schema.builder()
            .addStringField("store")
            .addInt64Field("receipt")
            .addStringField("sku")
            .build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "run a small built-in pipeline on a runner and check its results";
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println(
        "Usage: java -jar " + Main.JAR + " " + NAME + " [--runner=NAME] [--option=value ...]");
    out.println();
    out.println(
        "Runs MineGrouped.events and RulesGrouped on "
            + STORES
            + " built-in stores ("
            + Arrays.stream(RECEIPTS).mapToObj(String::valueOf).collect(Collectors.joining(", "))
            + " receipts)");
    out.println("and checks the itemsets and rules against the miner run in this JVM.");
    out.println();
    out.println("Options are Beam pipeline options:");
    out.println("  (none)                  SparkRunner embedded in this JVM, on all cores");
    out.println("  --runner=SparkRunner    with --sparkMaster=local[N] | spark://HOST:7077 | ...");
    out.println("                          (under spark-submit, spark-submit's --master wins)");
    out.println("  --runner=DirectRunner   Beam's single-JVM test runner");
    out.println();
    out.println("Prints: runner=NAME stores=S events=E itemsets=K rules=R millis=T ok");
    out.println("Exit status 0 when the results match, 1 when not or when the pipeline failed.");
  }

  @Override
  public boolean runsPipelines() {
    return true;
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    PipelineOptions options = RunnerSetup.optionsFrom(args);
    List<Row> events = new ArrayList<>();
    Expected expected = generate(events);

    Pipeline p = Pipeline.create(options);
    PCollection<Row> itemsets =
        p.apply("BuiltInEvents", Create.of(events).withRowSchema(Events.SCHEMA))
            .apply(MineGrouped.events("store", "receipt", "sku").withMinSupport(MIN_SUPPORT));
    itemsets.apply("TallyItemsets", ParDo.of(new Tally("itemsets")));
    itemsets
        .apply(
            RulesGrouped.byColumn("store")
                .withMetric(RuleMetric.CONFIDENCE)
                .withMinThreshold(MIN_CONFIDENCE))
        .apply("TallyRules", ParDo.of(new Tally("rules")));

    PipelineRun.Finished f = PipelineRun.runAndWait(p, false, PipelineRun.Progress.NONE);
    PipelineResult result = f.result();
    long millis = f.millis();

    long itemsetCount = counter(result, "itemsets");
    long checksum = counter(result, "itemsetsChecksum");
    long ruleCount = counter(result, "rules");
    List<String> problems = new ArrayList<>();
    if (itemsetCount != expected.itemsets) {
      problems.add("itemsets: " + itemsetCount + ", the miner finds " + expected.itemsets);
    } else if (checksum != expected.checksum) {
      problems.add("itemsets: same number, different rows (checksum)");
    }
    if (ruleCount != expected.rules) {
      problems.add("rules: " + ruleCount + ", the miner finds " + expected.rules);
    }
    out.println(
        "runner="
            + RunnerSetup.describe(options)
            + " stores="
            + STORES
            + " events="
            + events.size()
            + " itemsets="
            + itemsetCount
            + " rules="
            + ruleCount
            + " millis="
            + millis
            + (problems.isEmpty() ? " ok" : " MISMATCH"));
    problems.forEach(m -> err.println("error: " + m));
    return problems.isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILURE;
  }

  /** The sum of a {@link Tally} counter. */
  private static long counter(PipelineResult result, String name) {
    return PipelineMetrics.counter(result, NAMESPACE, name);
  }

  /** What the miner finds on the built-in data. */
  private record Expected(long itemsets, long checksum, long rules) {}

  /**
   * Fills {@code events} with the built-in receipts — Zipf-like item popularity, each store with
   * its own favourites, 1 to 6 draws per receipt — and mines them store by store.
   */
  private static Expected generate(List<Row> events) {
    Random rnd = new Random(SEED);
    long itemsets = 0;
    long checksum = 0;
    long rules = 0;
    for (int s = 0; s < RECEIPTS.length; s++) {
      String store = "store" + s;
      int shift = rnd.nextInt(ITEMS);
      List<List<String>> baskets = new ArrayList<>();
      for (int r = 0; r < RECEIPTS[s]; r++) {
        TreeSet<String> basket = new TreeSet<>();
        int draws = 1 + rnd.nextInt(6);
        for (int k = 0; k < draws; k++) {
          basket.add(String.format("sku%02d", (zipf(rnd) + shift) % ITEMS));
        }
        for (String sku : basket) {
          events.add(Row.withSchema(Events.SCHEMA).addValues(store, (long) r, sku).build());
        }
        baskets.add(new ArrayList<>(basket));
      }
      TransactionDb db = TransactionDb.fromStringBaskets(baskets);
      Itemsets sets = ItemsetMiner.minSupport(MIN_SUPPORT).withThreads(1).mine(db);
      for (int i = 0; i < sets.size(); i++) {
        String[] names = sets.names(i);
        Arrays.sort(names); // MineGrouped's order for STRING items
        checksum +=
            Tally.mix(line(store, sets.support(i), List.of(names), sets.count(i), db.size()));
      }
      itemsets += sets.size();
      rules += RuleMiner.of(RuleMetric.CONFIDENCE, MIN_CONFIDENCE).generate(sets).size();
    }
    return new Expected(itemsets, checksum, rules);
  }

  /** An item index from 0 to ITEMS - 1, index i with weight 1 / (i + 1). */
  private static int zipf(Random rnd) {
    double total = 0;
    for (int i = 0; i < ITEMS; i++) {
      total += 1.0 / (i + 1);
    }
    double x = rnd.nextDouble() * total;
    for (int i = 0; i < ITEMS; i++) {
      x -= 1.0 / (i + 1);
      if (x < 0) {
        return i;
      }
    }
    return ITEMS - 1;
  }

  /** One itemset row as text: {@code store|support|[a, b]|count|transactions}. */
  static String line(String store, double support, List<?> items, long count, long transactions) {
    return store + "|" + support + "|" + items + "|" + count + "|" + transactions;
  }

  /**
   * Counts the rows passing by in counter {@code name}; for itemset rows also adds up a hash of
   * each in {@code itemsetsChecksum} (a sum, so the order and sharding do not matter).
   */
  static final class Tally extends DoFn<Row, Void> {
    private final String name;
    private final Counter rows;
    private final Counter checksum;

    Tally(String name) {
      this.name = name;
      this.rows = Metrics.counter(NAMESPACE, name);
      this.checksum = Metrics.counter(NAMESPACE, name + "Checksum");
    }

    @ProcessElement
    public void processElement(@Element Row row) {
      rows.inc();
      if (name.equals("itemsets")) {
        checksum.inc(
            mix(
                line(
                    row.getString("store"),
                    row.getDouble(MineGrouped.SUPPORT_FIELD),
                    new ArrayList<>(row.getArray(MineGrouped.ITEMSETS_FIELD)),
                    row.getInt64(MineGrouped.COUNT_FIELD),
                    row.getInt64(MineGrouped.TRANSACTIONS_FIELD))));
      }
    }

    /** A well-spread 64-bit hash of a line. */
    static long mix(String line) {
      long x = line.hashCode() * 0x9E3779B97F4A7C15L + line.length();
      x ^= x >>> 31;
      x *= 0xBF58476D1CE4E5B9L;
      return x ^ (x >>> 29);
    }
  }
}
