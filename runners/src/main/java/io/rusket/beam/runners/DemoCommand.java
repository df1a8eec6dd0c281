package io.rusket.beam.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineGroupedPipeline;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.Dataset;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code demo} (and the jar run without arguments): the main job end to end, with nothing but the
 * jar. Generates a small multi-store event log with {@link GenerateData} (fixed seed: {@value
 * #STORES} stores of very different sizes, {@value #ITEMS} items, {@value #TRANSACTIONS} receipts),
 * writes it as Arrow IPC to {@code <output>/data/events.arrow} (quicker to write and to read than
 * Parquet), runs {@link MineGroupedPipeline} on it (itemsets per store, and rules by lift) on the
 * runner of the Beam options ({@link RunnerSetup}: the SparkRunner embedded in this JVM by
 * default), which writes JSON lines under {@code <output>/itemsets/} and {@code <output>/rules/},
 * then reads those files back and prints per store its transactions, itemsets, rules and its top
 * {@value #TOP_RULES} rules by lift (one per itemset: see {@link #topRules}). In the same pipeline
 * {@link io.rusket.beam.transforms.Recommend} scores every receipt of the log against its store's
 * rules ({@code grouped --recommend}: top {@value #TOP_RECOMMENDATIONS} items by confidence, into
 * {@code <output>/recommendations/}); for the {@value #SAMPLE_STORES} largest stores the demo
 * prints a sample receipt with its recommendations and their rules. Then a last summary line:
 *
 * <pre>{@code
 * runner=SparkRunner (local[4]) stores=5 transactions=N events=E itemsets=K rules=R output=DIR millis=T
 * }</pre>
 *
 * <p>and, last, {@code report=DIR/report.html}: the HTML report of the results ({@link
 * ReportCommand}), written with the run's {@code run-info.json} beside them.
 *
 * <p>Re-running works: the files a previous demo wrote there (the event log and the result shards)
 * are deleted first; any other file in those directories is left alone and makes the pipeline
 * refuse to write (a usage error). The results are read back from the files, not collected inside
 * the pipeline, so the same works on a cluster with a shared file system.
 */
final class DemoCommand implements Command {
  static final String NAME = "demo";

  /** Where the demo writes without {@code --output}, relative to the working directory. */
  static final String DEFAULT_OUTPUT = "rusket-demo-output";

  static final long SEED = 20261124L;
  static final int STORES = 5;
  static final int TRANSACTIONS = 8_000;
  static final int ITEMS = 300;

  /** Zipf exponent of the store sizes: the largest store is ~11 times the smallest. */
  static final double STORE_SKEW = 1.5;

  static final double MIN_SUPPORT = 0.01;
  static final String METRIC = "lift";
  static final double MIN_LIFT = 1.5;
  static final int TOP_RULES = 3;

  /** Recommendations per receipt, and how they are scored. */
  static final int TOP_RECOMMENDATIONS = 3;

  static final io.rusket.beam.miner.RuleMetric RECOMMEND_BY =
      io.rusket.beam.miner.RuleMetric.CONFIDENCE;

  /** Stores whose sample receipt and recommendations are printed. */
  static final int SAMPLE_STORES = 2;

  static final String DATA_DIR = "data";
  static final String EVENTS_FILE = "events.arrow";

  /** The shards {@link io.rusket.beam.pipelines.io.TableSink} writes as JSON lines. */
  private static final Pattern SHARD = Pattern.compile("part-\\d+-of-\\d+\\.jsonl");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "the demo (also the jar without arguments): generate, mine per store, show rules";
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println(
        "Usage: java -jar " + Main.JAR + " [" + NAME + "] [--output=DIR] [--runner=NAME ...]");
    out.println();
    out.println("The main job, end to end, with nothing but the jar:");
    out.println(
        "  1. generates "
            + TRANSACTIONS
            + " receipts of "
            + STORES
            + " stores of very"
            + " different sizes over "
            + ITEMS
            + " items");
    out.println(
        "     (seed "
            + SEED
            + ") into DIR/"
            + DATA_DIR
            + "/"
            + EVENTS_FILE
            + " (store_id, transaction_id, item_id, item);");
    out.println(
        "  2. runs MineGroupedPipeline on it: itemsets with support >= "
            + MIN_SUPPORT
            + " per store,");
    out.println(
        "     rules with "
            + METRIC
            + " >= "
            + MIN_LIFT
            + ", written as JSON lines to"
            + " DIR/itemsets/ and DIR/rules/;");
    out.println(
        "  3. reads them back and prints, per store, its transactions, itemsets, rules and");
    out.println("     top " + TOP_RULES + " rules by lift (one per itemset);");
    out.println(
        "  4. recommends for every receipt the top "
            + TOP_RECOMMENDATIONS
            + " items by confidence of its");
    out.println(
        "     store's rules (DIR/recommendations/) and prints a sample receipt of the "
            + SAMPLE_STORES);
    out.println("     largest stores with its recommendations and their rules; then one line:");
    out.println(
        "     runner=NAME stores=S transactions=N events=E itemsets=K rules=R output=DIR"
            + " millis=T");
    out.println("  5. writes DIR/report.html, an HTML report of the results (see report --help),");
    out.println("     and prints its path: report=FILE.");
    out.println("Files a previous demo wrote in DIR are replaced; other files are left alone.");
    out.println();
    out.println("Options:");
    out.println("  --output=DIR  (default: " + DEFAULT_OUTPUT + ", in the working directory)");
    OptionsHelp.printRunnerOptions(out);
    out.println();
    out.println("For other data and settings use 'generate' and 'grouped'.");
  }

  @Override
  public boolean runsPipelines() {
    return true;
  }

  @Override
  public int run(String[] commandLine, PrintStream out, PrintStream err) {
    PipelineRun.Args a = PipelineRun.takeQuiet(commandLine);
    String[] args = a.rest();
    String output = DEFAULT_OUTPUT;
    Set<String> fixed = OptionsHelp.optionNames(MineGroupedOptions.class);
    List<String> beamArgs = new ArrayList<>();
    for (String arg : args) {
      String name = arg.startsWith("--") ? arg.substring(2).split("=", 2)[0] : arg;
      if (name.equals("output")) {
        if (!arg.startsWith("--output=") || arg.length() == "--output=".length()) {
          throw new UsageException("--output needs a value: --output=DIR");
        }
        output = arg.substring("--output=".length());
      } else if (fixed.contains(name)) {
        throw new UsageException(
            "the demo does not take --"
                + name
                + " (its data and settings are fixed);"
                + " use generate and grouped for your own");
      } else {
        beamArgs.add(arg);
      }
    }
    Path dir;
    try {
      dir = Path.of(output).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new UsageException("Invalid --output: " + output + " (" + e.getReason() + ")");
    }
    Path events = dir.resolve(DATA_DIR).resolve(EVENTS_FILE);
    beamArgs.addAll(
        List.of(
            "--input=" + events,
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item",
            "--minSupport=" + MIN_SUPPORT,
            "--rules",
            "--metric=" + METRIC,
            "--minThreshold=" + MIN_LIFT,
            "--output=" + dir,
            "--outputFormat=jsonl",
            "--numShards=1"));
    MineGroupedOptions options =
        RunnerSetup.optionsFrom(beamArgs.toArray(new String[0]), MineGroupedOptions.class);

    clearPreviousRun(dir);
    Dataset data = GenerateData.generate(config());
    try {
      GenerateData.write(
          data, events.getParent(), EnumSet.of(Layout.EVENTS), EnumSet.of(InputFormat.ARROW));
    } catch (IOException e) {
      throw UsageException.io("cannot write", events.getParent(), e);
    }

    GroupedCommand.Counts counts =
        GroupedCommand.runPipeline(
            options,
            false,
            PipelineRun.progress(err, a.quiet(), GroupedCommand.counters(options)),
            new RecommendCommand.Request(events.toString(), TOP_RECOMMENDATIONS, RECOMMEND_BY));

    Map<String, StoreResult> stores = new TreeMap<>();
    for (int t = 0; t < data.numTransactions(); t++) {
      stores.computeIfAbsent(data.storeIds[data.store[t]], k -> new StoreResult()).transactions++;
    }
    long itemsets = 0;
    long rules = 0;
    try {
      for (JsonNode row : readShards(dir.resolve(MineGroupedPipeline.ITEMSETS_DIR))) {
        stores.get(row.get("store_id").asText()).itemsets++;
        itemsets++;
      }
      for (JsonNode row : readShards(dir.resolve(MineGroupedPipeline.RULES_DIR))) {
        stores.get(row.get("store_id").asText()).rules.add(Rule.of(row));
        rules++;
      }
      for (JsonNode row : readShards(dir.resolve(RecommendCommand.RECOMMENDATIONS_DIR))) {
        stores
            .get(row.get("store_id").asText())
            .recommendations
            .computeIfAbsent(row.get("transaction_id").asLong(), t -> new ArrayList<>())
            .add(row);
      }
    } catch (IOException | RuntimeException e) {
      err.println("error: cannot read back the demo's results in " + dir + ": " + e);
      return Main.EXIT_FAILURE;
    }

    String shown = output.endsWith("/") ? output : output + "/";
    out.printf(
        Locale.ROOT,
        "Demo data: %d stores, %d receipts, %d events, %d items (seed %d) -> %s%s/%s%n",
        STORES,
        data.numTransactions(),
        data.numEvents(),
        ITEMS,
        SEED,
        shown,
        DATA_DIR,
        EVENTS_FILE);
    out.printf(
        Locale.ROOT,
        "MineGroupedPipeline on %s in %d ms: itemsets with support >= %s per store, rules with"
            + " %s >= %s%n",
        RunnerSetup.describe(options),
        counts.millis(),
        MIN_SUPPORT,
        METRIC,
        MIN_LIFT);
    out.printf(
        Locale.ROOT,
        "Results (JSON lines): %d itemsets in %s%s/, %d rules in %s%s/%n",
        itemsets,
        shown,
        MineGroupedPipeline.ITEMSETS_DIR,
        rules,
        shown,
        MineGroupedPipeline.RULES_DIR);
    for (Map.Entry<String, StoreResult> e : stores.entrySet()) {
      StoreResult s = e.getValue();
      out.println();
      out.printf(
          Locale.ROOT,
          "%s: %d transactions, %d itemsets, %d rules%s%n",
          e.getKey(),
          s.transactions,
          s.itemsets,
          s.rules.size(),
          s.rules.isEmpty() ? "" : "; top rules by lift (one per itemset):");
      topRules(s.rules).forEach(r -> out.println("  " + r));
    }
    printRecommendations(out, stores, data, counts.recommendations(), shown);
    out.println();
    out.println(
        "runner="
            + RunnerSetup.describe(options)
            + " stores="
            + stores.size()
            + " transactions="
            + data.numTransactions()
            + " events="
            + data.numEvents()
            + " itemsets="
            + itemsets
            + " rules="
            + rules
            + " output="
            + output
            + " millis="
            + counts.millis());
    ReportCommand.writeBeside(dir.toString(), GroupedCommand.runInfo(NAME, options, counts), out);
    return Main.EXIT_OK;
  }

  /**
   * For the {@value #SAMPLE_STORES} largest stores, the first receipt (by id) with {@value
   * #TOP_RECOMMENDATIONS} recommendations: its items, then each recommended item with its score and
   * the rule that supports it.
   */
  private static void printRecommendations(
      PrintStream out, Map<String, StoreResult> stores, Dataset data, long total, String shown) {
    out.println();
    out.printf(
        Locale.ROOT,
        "Recommendations: top %d items per receipt, by %s of the matching rules (%d in %s%s/);"
            + " samples:%n",
        TOP_RECOMMENDATIONS,
        RECOMMEND_BY.columnName(),
        total,
        shown,
        RecommendCommand.RECOMMENDATIONS_DIR);
    int shownStores = 0;
    for (Map.Entry<String, StoreResult> e : stores.entrySet()) {
      if (shownStores == SAMPLE_STORES) {
        break;
      }
      Map.Entry<Long, List<JsonNode>> sample = null;
      for (Map.Entry<Long, List<JsonNode>> r : e.getValue().recommendations.entrySet()) {
        if (r.getValue().size() == TOP_RECOMMENDATIONS) {
          sample = r;
          break;
        }
      }
      if (sample == null) {
        continue;
      }
      shownStores++;
      int t = (int) (sample.getKey() - 1); // transaction t has id t + 1
      List<String> basket = new ArrayList<>();
      for (int i = data.offsets[t]; i < data.offsets[t + 1]; i++) {
        basket.add(data.itemNames[data.items[i]]);
      }
      out.printf(
          Locale.ROOT,
          "%s receipt %d: %s%n",
          e.getKey(),
          sample.getKey(),
          String.join(" + ", basket));
      List<JsonNode> recs = new ArrayList<>(sample.getValue());
      recs.sort(Comparator.comparingInt(n -> n.get("rank").asInt()));
      for (JsonNode r : recs) {
        out.printf(
            Locale.ROOT,
            "    %d. %s  score=%.3f (rule %s -> %s: confidence=%.3f lift=%.2f)%n",
            r.get("rank").asInt(),
            r.get("item").asText(),
            r.get("score").asDouble(),
            String.join(" + ", Rule.items(r.get("antecedents"))),
            r.get("item").asText(),
            r.get("confidence").asDouble(),
            r.get("lift").asDouble());
      }
    }
  }

  /**
   * The {@value #TOP_RULES} rules of highest lift, one per itemset: {@code A -> C} and {@code C ->
   * A} have the same lift, so only the first (by {@link Rule#BY_LIFT}, the more confident) is
   * shown.
   */
  static List<Rule> topRules(List<Rule> rules) {
    List<Rule> top = new ArrayList<>();
    Set<Set<String>> itemsets = new HashSet<>();
    for (Rule r : rules.stream().sorted(Rule.BY_LIFT).toList()) {
      Set<String> items = new HashSet<>(r.antecedents());
      items.addAll(r.consequents());
      if (itemsets.add(items)) {
        top.add(r);
        if (top.size() == TOP_RULES) {
          break;
        }
      }
    }
    return top;
  }

  /** The demo's data settings. */
  static Config config() {
    return Config.of(SEED)
        .withStores(STORES)
        .withTransactions(TRANSACTIONS)
        .withItems(ITEMS)
        .withStoreSkew(STORE_SKEW)
        .withItemNameColumn(true);
  }

  /**
   * Deletes what an earlier demo wrote under {@code dir}: the event log and the JSON-lines shards
   * of the itemsets and rules; nothing else.
   */
  private static void clearPreviousRun(Path dir) {
    Path current = dir;
    try {
      current = dir.resolve(DATA_DIR).resolve(EVENTS_FILE);
      Files.deleteIfExists(current);
      for (String sub :
          List.of(
              MineGroupedPipeline.ITEMSETS_DIR,
              MineGroupedPipeline.RULES_DIR,
              RecommendCommand.RECOMMENDATIONS_DIR)) {
        current = dir.resolve(sub);
        if (!Files.isDirectory(current)) {
          continue;
        }
        for (Path f : shards(current)) {
          current = f;
          Files.delete(f);
        }
      }
    } catch (IOException e) {
      throw UsageException.io("cannot delete the previous demo's", current, e);
    }
  }

  /** The JSON-lines shards in {@code dir}, by name. */
  private static List<Path> shards(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path f : s) {
        if (SHARD.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)) {
          files.add(f);
        }
      }
    }
    files.sort(Comparator.naturalOrder());
    return files;
  }

  private static List<JsonNode> readShards(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (Path f : shards(dir)) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          rows.add(json.readTree(line));
        }
      }
    }
    return rows;
  }

  /** One store's results, as read back. */
  private static final class StoreResult {
    long transactions;
    long itemsets;
    final List<Rule> rules = new ArrayList<>();

    /** Recommendation rows by receipt id, ascending. */
    final Map<Long, List<JsonNode>> recommendations = new TreeMap<>();
  }

  /** A rule as the summary shows it. */
  record Rule(
      List<String> antecedents,
      List<String> consequents,
      double support,
      double confidence,
      double lift) {
    /** Highest lift first; ties by confidence, then support, then the items. */
    static final Comparator<Rule> BY_LIFT =
        Comparator.comparingDouble(Rule::lift)
            .thenComparingDouble(Rule::confidence)
            .thenComparingDouble(Rule::support)
            .reversed()
            .thenComparing(Rule::toString);

    static Rule of(JsonNode row) {
      return new Rule(
          items(row.get("antecedents")),
          items(row.get("consequents")),
          row.get("support").asDouble(),
          row.get("confidence").asDouble(),
          row.get("lift").asDouble());
    }

    private static List<String> items(JsonNode array) {
      List<String> items = new ArrayList<>();
      array.forEach(n -> items.add(n.asText()));
      return items;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s -> %s  support=%.4f confidence=%.3f lift=%.2f",
          String.join(" + ", antecedents),
          String.join(" + ", consequents),
          support,
          confidence,
          lift);
    }
  }
}
