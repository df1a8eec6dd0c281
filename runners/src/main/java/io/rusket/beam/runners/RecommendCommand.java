package io.rusket.beam.runners;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.OutputFormat;
import io.rusket.beam.pipelines.io.TableSink;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.Recommend;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code recommend}: reads rules as {@code grouped --rules} (or {@code stream --rules}) wrote them
 * and a table of baskets, and writes each basket's top k items with {@link Recommend}, on the
 * runner the Beam options choose (embedded Spark by default). Options: {@link RecommendOptions}.
 * Prints one line, the counts from the pipeline's Beam counters:
 *
 * <pre>{@code
 * runner=SparkRunner (local[2]) baskets=B recommendations=R output=DIR millis=T
 * }</pre>
 *
 * <p>The same step runs inside {@code grouped} with {@code --recommend=FILE} (baskets in the layout
 * of grouped's own long-format input, from the rules just mined; {@code --k} and {@code --score} as
 * here), writing {@code <output>/recommendations/}: see {@link Request}.
 */
final class RecommendCommand implements Command {
  static final String NAME = "recommend";

  /** The rules directory option, as users type it ... */
  static final String RULES = "rules";

  /** ... and as {@link RecommendOptions} holds it. */
  static final String RULES_DIR = "rulesDir";

  /** Subdirectory of grouped's {@code --output} for {@code --recommend}. */
  static final String RECOMMENDATIONS_DIR = "recommendations";

  static final List<String> OPTIONS =
      List.of(
          "rulesDir",
          "baskets",
          "inputFormat",
          "csvTypes",
          "groupCol",
          "basketCol",
          "itemCol",
          "k",
          "score",
          "shardsPerGroup",
          "output",
          "outputFormat");

  /**
   * Types accepted for a group, basket or item key: STRING or an integer (a method, not a constant:
   * listing the command does not initialise Beam).
   */
  static Set<TypeName> keys() {
    return EnumSet.of(
        TypeName.STRING, TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "top-k items for each basket from mined rules, as a Beam pipeline";
  }

  @Override
  public boolean runsPipelines() {
    return true;
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println(
        "Usage: java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --rules=DIR --baskets=FILE --basketCol=NAME --itemCol=NAME --output=DIR"
            + " [options]");
    out.println();
    out.println("Reads rules as 'grouped --rules' wrote them (DIR = its OUTPUT/rules) and baskets");
    out.println("in long format (Parquet, Arrow IPC or CSV; one row per basket and item), and");
    out.println("writes, per basket, the top k items not in it: group | basket | rank | item |");
    out.println("score | antecedents | confidence | lift. An item's score is the best value of");
    out.println("--score among the rules whose antecedent is in the basket; ties by lift, then");
    out.println("support, then item name. Each group's rules must fit in one worker. Prints:");
    out.println("  runner=NAME baskets=B recommendations=R output=DIR millis=T");
    out.println();
    java.io.ByteArrayOutputStream help = new java.io.ByteArrayOutputStream();
    OptionsHelp.print(
        new PrintStream(help, true, java.nio.charset.StandardCharsets.UTF_8),
        RecommendOptions.class,
        OPTIONS);
    out.print(
        help.toString(java.nio.charset.StandardCharsets.UTF_8)
            .replace("--" + RULES_DIR + "=VALUE", "--" + RULES + "=DIR  (required)"));
    out.println();
    out.println("Example:");
    out.println(
        "  java -jar " + Main.JAR + " " + NAME + " --rules=out/rules --baskets=today.parquet \\");
    out.println(
        "      --groupCol=store_id --basketCol=transaction_id --itemCol=item --k=5"
            + " --output=recs");
    out.println();
    out.println("Also: grouped ... --rules --recommend=FILE [--k=5] [--score=confidence] mines,");
    out.println("then recommends for FILE (grouped's input layout) into OUTPUT/recommendations/.");
  }

  @Override
  public int run(String[] commandLine, PrintStream out, PrintStream err) {
    PipelineRun.Args a = PipelineRun.takeQuiet(commandLine);
    String[] args = a.rest().clone();
    boolean hasRules = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--" + RULES + "=") || args[i].equals("--" + RULES)) {
        args[i] = "--" + RULES_DIR + args[i].substring(RULES.length() + 2);
        hasRules = true;
      } else if (args[i].startsWith("--" + RULES_DIR)) {
        throw new UsageException("unknown option " + args[i] + "; did you mean --" + RULES + "?");
      }
    }
    if (!hasRules) {
      throw new UsageException("missing required option --" + RULES + " (see --help)");
    }
    BeamArgs given = BeamArgs.check(args, RecommendOptions.class);
    Preflight.recommend(given); // the settings' checks, before Beam parses the options
    RecommendOptions o = RunnerSetup.optionsFrom(args, RecommendOptions.class);
    Settings settings = settings(o);
    int k = settings.k();
    RuleMetric score = settings.score();
    OutputFormat format = settings.format();
    Pipeline p = Pipeline.create(o);
    PipelineRun.build(
        () -> {
          FileSystems.setDefaultPipelineOptions(o);
          Baskets b =
              readBaskets(
                  p,
                  o.getBaskets(),
                  o.getInputFormat(),
                  o.getCsvTypes(),
                  o.getGroupCol(),
                  o.getBasketCol(),
                  o.getItemCol());
          PCollection<Row> rules = RuleFiles.read(p, o.getRulesDir(), b.group());
          TableSink sink = sink(o.getOutput(), format);
          recommend(b, rules, k, score, o.getShardsPerGroup()).apply("WriteRecommendations", sink);
        });
    PipelineRun.prepareOutput(o, o.getOutput());
    PipelineRun.Finished f =
        PipelineRun.runAndWait(
            p,
            true,
            PipelineRun.progress(
                err,
                a.quiet(),
                List.of(
                    new RunProgress.Counter("events", TableSource.METRICS_NAMESPACE, "rowsRead"),
                    new RunProgress.Counter("baskets", Recommend.METRICS_NAMESPACE, "baskets"))));
    out.println(
        "runner="
            + RunnerSetup.describe(o)
            + " baskets="
            + PipelineMetrics.counter(f.result(), Recommend.METRICS_NAMESPACE, "baskets")
            + " recommendations="
            + PipelineMetrics.counter(
                f.result(), Recommend.METRICS_NAMESPACE, "recommendationsEmitted")
            + " output="
            + o.getOutput()
            + " millis="
            + f.millis());
    return Main.EXIT_OK;
  }

  /** The settings of the command, checked ({@link #settings}). */
  record Settings(int k, RuleMetric score, OutputFormat format) {}

  /**
   * The settings of {@code o}, checked: {@code --rules} has a value, {@code --k}, {@code --score},
   * {@code --outputFormat}, {@code --shardsPerGroup}, and {@code --baskets} is not a directory. Run
   * on Beam's options and, before Beam parses them, on the given values ({@link Preflight}).
   *
   * @throws UsageException naming the option and the value
   */
  static Settings settings(RecommendOptions o) {
    if (o.getRulesDir() == null || o.getRulesDir().isBlank()) {
      throw new UsageException("--" + RULES + " needs a value: --" + RULES + "=DIR");
    }
    int k = parseK(o.getK());
    RuleMetric score = parseScore(o.getScore());
    OutputFormat format = parseFormat(o.getOutputFormat());
    if (o.getShardsPerGroup() < 1 || o.getShardsPerGroup() > Recommend.MAX_SHARDS_PER_GROUP) {
      throw new UsageException(
          "Invalid --shardsPerGroup: "
              + o.getShardsPerGroup()
              + ". Valid range is [1, "
              + Recommend.MAX_SHARDS_PER_GROUP
              + "].");
    }
    checkBaskets(o.getBaskets(), "--baskets");
    return new Settings(k, score, format);
  }

  // ------------------------------------------------------------------------------------------
  // Shared with grouped --recommend

  /**
   * {@code --recommend=FILE}, {@code --k} and {@code --score} of {@code grouped}: recommend for the
   * baskets of FILE (grouped's long-format layout: --groupCol, --txnCol, --itemCol, --csvTypes)
   * from the rules just mined, into {@code <output>/recommendations/}.
   */
  record Request(String baskets, int k, RuleMetric score) {}

  /** {@code args} without grouped's recommend options, and the request they make (or null). */
  record Taken(String[] rest, @Nullable Request request) {}

  /**
   * Takes {@code --recommend=FILE}, {@code --k=K} and {@code --score=METRIC} out of grouped's
   * arguments.
   *
   * @throws UsageException for a bad value, an option given twice, or --k / --score without
   *     --recommend
   */
  static Taken take(String[] args) {
    Map<String, String> found = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    for (String arg : args) {
      String name = null;
      for (String n : List.of("recommend", "k", "score")) {
        if (arg.equals("--" + n) || arg.startsWith("--" + n + "=")) {
          name = n;
        }
      }
      if (name == null) {
        rest.add(arg);
        continue;
      }
      if (found.containsKey(name)) {
        throw new UsageException("--" + name + " is given more than once");
      }
      int eq = arg.indexOf('=');
      String value = eq < 0 ? "" : arg.substring(eq + 1);
      if (value.isEmpty()) {
        throw new UsageException("--" + name + " needs a value: --" + name + "=...");
      }
      found.put(name, value);
    }
    String file = found.get("recommend");
    if (file == null) {
      for (String n : found.keySet()) {
        throw new UsageException("--" + n + " applies only with --recommend=FILE");
      }
      return new Taken(rest.toArray(new String[0]), null);
    }
    checkBaskets(file, "--recommend");
    int k = parseK(found.getOrDefault("k", Integer.toString(Recommend.DEFAULT_K)));
    RuleMetric score =
        parseScore(found.getOrDefault("score", Recommend.DEFAULT_SCORE.columnName()));
    return new Taken(rest.toArray(new String[0]), new Request(file, k, score));
  }

  /**
   * Adds grouped's {@code --recommend}: the baskets of {@code r.baskets()} (grouped's layout),
   * recommended for from {@code outputs.rules}, written to {@code <output>/recommendations/}.
   */
  static void addTo(
      Pipeline p,
      io.rusket.beam.pipelines.MineGroupedOptions o,
      io.rusket.beam.pipelines.MineGroupedPipeline.Outputs outputs,
      Request r) {
    Baskets b =
        readBaskets(
            p, r.baskets(), null, o.getCsvTypes(), o.getGroupCol(), o.getTxnCol(), o.getItemCol());
    ResourceId dir =
        FileSystems.matchNewResource(o.getOutput(), true)
            .resolve(RECOMMENDATIONS_DIR, StandardResolveOptions.RESOLVE_DIRECTORY);
    TableSink sink = sink(dir.toString(), parseFormat(o.getOutputFormat()));
    recommend(b, outputs.rules, r.k(), r.score(), Recommend.DEFAULT_SHARDS_PER_GROUP)
        .apply("WriteRecommendations", sink);
  }

  static int parseK(String k) {
    if (k.equalsIgnoreCase("all")) {
      return Recommend.ALL;
    }
    try {
      int v = Integer.parseInt(k);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new UsageException("Invalid --k: " + k + ". It is a positive integer or 'all'.");
  }

  static RuleMetric parseScore(String score) {
    try {
      return RuleMetric.parse(score);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--score: " + e.getMessage(), e);
    }
  }

  private static OutputFormat parseFormat(String f) {
    try {
      return OutputFormat.parse(f);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--outputFormat: " + e.getMessage(), e);
    }
  }

  /** A local baskets path that is a directory is an error naming the option. */
  private static void checkBaskets(String file, String option) {
    java.nio.file.Path path;
    try {
      path = file.contains("://") ? null : java.nio.file.Path.of(file);
    } catch (java.nio.file.InvalidPathException e) {
      path = null;
    }
    if (path != null && java.nio.file.Files.isDirectory(path)) {
      throw new UsageException(
          option + ": " + file + " is a directory; give a file or a glob of basket files");
    }
  }

  /** Baskets as events {@code ([group,] basket, item STRING)}, and the group field (or null). */
  record Baskets(
      PCollection<Row> events, @Nullable Field group, String basketCol, String itemCol) {}

  /**
   * Reads long-format baskets, items as STRING (integers as their decimal text).
   *
   * @throws IllegalArgumentException for a missing or mistyped column, naming the file and column
   */
  static Baskets readBaskets(
      Pipeline p,
      String file,
      @Nullable String inputFormat,
      @Nullable String csvTypes,
      @Nullable String groupCol,
      String basketCol,
      String itemCol) {
    TableSource src = TableSource.from(file).withFormat(InputFormat.resolve(inputFormat, file));
    if (csvTypes != null && !csvTypes.isBlank()) {
      src = src.withCsvTypes(TableSource.parseCsvTypes(csvTypes, "--csvTypes"));
    }
    List<String> columns = new ArrayList<>();
    if (groupCol != null) {
      columns.add(groupCol);
    }
    columns.add(basketCol);
    columns.add(itemCol);
    Map<String, Collection<TypeName>> required = new LinkedHashMap<>();
    for (String c : columns) {
      required.put(c, keys());
    }
    src = src.withColumns(columns.toArray(new String[0])).validate(required);
    Schema schema = src.getSchema();
    PCollection<Row> rows = p.apply("ReadBaskets", src);
    if (schema.getField(itemCol).getType().getTypeName() != TypeName.STRING) {
      Schema.Builder b = Schema.builder();
      for (Field f : schema.getFields()) {
        b.addField(f.getName().equals(itemCol) ? Field.of(itemCol, FieldType.STRING) : f);
      }
      Schema text = b.build();
      rows =
          rows.apply("ItemsAsText", ParDo.of(new ItemAsTextFn(text, schema.indexOf(itemCol))))
              .setRowSchema(text);
    }
    return new Baskets(
        rows, groupCol == null ? null : schema.getField(groupCol), basketCol, itemCol);
  }

  /** An integer item column as decimal text (as MineGrouped names integer items). */
  static final class ItemAsTextFn extends DoFn<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema text;
    private final int item;

    ItemAsTextFn(Schema text, int item) {
      this.text = text;
      this.item = item;
    }

    @ProcessElement
    public void processElement(@Element Row row, OutputReceiver<Row> out) {
      List<Object> v = new ArrayList<>(row.getValues());
      Object i = v.get(item);
      v.set(item, i == null ? null : i.toString());
      out.output(Row.withSchema(text).attachValues(v));
    }
  }

  /** Recommend for {@code b} from {@code rules}. */
  static PCollection<Row> recommend(
      Baskets b, PCollection<Row> rules, int k, RuleMetric score, int shardsPerGroup) {
    Recommend r =
        b.group() == null
            ? Recommend.eventsGlobally(b.basketCol(), b.itemCol())
            : Recommend.events(b.group().getName(), b.basketCol(), b.itemCol());
    return b.events()
        .apply(
            "Recommend",
            r.withRules(rules).withK(k).withScore(score).withShardsPerGroup(shardsPerGroup));
  }

  /**
   * The sink of {@code dir} in {@code format}.
   *
   * @throws IllegalArgumentException if {@code dir} already holds files, naming one
   */
  static TableSink sink(String dir, OutputFormat format) {
    ResourceId d = FileSystems.matchNewResource(dir, true);
    try {
      MatchResult m =
          FileSystems.match(
              d.resolve("*", StandardResolveOptions.RESOLVE_FILE).toString(),
              EmptyMatchTreatment.ALLOW);
      if (m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                "Output directory %s already holds files (e.g. %s); choose another --output or"
                    + " remove them",
                d, m.metadata().get(0).resourceId()));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + d + ": " + e.getMessage(), e);
    }
    return TableSink.to(d.toString()).withFormat(format);
  }
}
