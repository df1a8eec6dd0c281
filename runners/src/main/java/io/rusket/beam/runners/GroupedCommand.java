package io.rusket.beam.runners;

import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineGroupedPipeline;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.Recommend;
import io.rusket.beam.transforms.RulesGrouped;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code grouped}: runs {@link MineGroupedPipeline} — read a Parquet, Arrow or CSV table, mine
 * frequent itemsets (and with {@code --rules} association rules) per group, write them under {@code
 * <output>/itemsets/} and {@code <output>/rules/} — on the runner the Beam options choose ({@link
 * RunnerSetup}: the SparkRunner embedded in this JVM by default). Options are those of {@link
 * MineGroupedOptions}, parsed by Beam. Prints one line, the counts taken from the pipeline's Beam
 * counters:
 *
 * <pre>{@code
 * runner=SparkRunner (local[4]) groups=G transactions=N itemsets=K rules=R output=DIR millis=T
 * }</pre>
 *
 * <p>({@code rules=R} only with {@code --rules}.) A bad option (also {@code --metric} or {@code
 * --minThreshold} without {@code --rules}, and {@code --numItems}, which only {@code stream} uses),
 * a missing or mistyped input column, an input that is a directory, or an output that already holds
 * files, is a file or is not writable is a usage error (exit 2), reported before the pipeline runs;
 * bad input data met while running (an empty or malformed value, a ragged row, a null) is one too,
 * reported by {@link ErrorReport}; any other failure exits with 1.
 */
final class GroupedCommand implements Command {
  static final String NAME = "grouped";

  /**
   * The options of {@link MineGroupedOptions}, in the order of the help: all but {@link
   * #NOT_TAKEN}.
   */
  static final List<String> OPTIONS =
      List.of(
          "input",
          "inputFormat",
          "csvTypes",
          "groupCol",
          "txnCol",
          "itemCol",
          "minSupport",
          "maxLen",
          "method",
          "target",
          "topK",
          "minLen",
          "maxBundleBytes",
          "rules",
          "metric",
          "minThreshold",
          "output",
          "outputFormat",
          "numShards");

  /** The option of {@link MineGroupedOptions} that only {@code stream} uses: an error here. */
  static final String NOT_TAKEN = "numItems";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "itemsets and rules per group (store, region, ...) of a table, as a Beam pipeline";
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println(
        "Usage: java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --input=FILE --groupCol=NAME --output=DIR [options]");
    out.println();
    out.println("Runs MineGroupedPipeline: reads a table (Parquet, Arrow IPC or CSV), mines the");
    out.println("frequent itemsets of each group (and with --rules its association rules) and");
    out.println("writes them under DIR/itemsets/ and DIR/rules/. Long format with --txnCol and");
    out.println("--itemCol (one row per transaction and item), one-hot receipts otherwise (every");
    out.println("column but the group is an item). Prints one line:");
    out.println("  runner=NAME groups=G transactions=N itemsets=K rules=R output=DIR millis=T");
    out.println("(rules=R only with --rules; T from the start of the run to its end).");
    out.println();
    OptionsHelp.print(out, MineGroupedOptions.class, OPTIONS);
    out.println("  --recommend=FILE  with --rules and long format: also recommend for the baskets");
    out.println("      of FILE (same columns) into DIR/recommendations/ (see recommend --help);");
    out.println("      with --k=K (default 5, or all) and --score=METRIC (default confidence)");
    ReportCommand.printFlagHelp(out);
    out.println();
    out.println("Example:");
    out.println(
        "  java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --input=data/events.parquet"
            + " --groupCol=store_id \\");
    out.println(
        "      --txnCol=transaction_id --itemCol=item --minSupport=0.01 --rules"
            + " --metric=lift \\");
    out.println("      --minThreshold=1.2 --output=out --outputFormat=jsonl");
    out.println();
    out.println("Exit status 0 on success; 2 on a mistake in the options or the input data (also");
    out.println("one met while the pipeline runs), reported as one line 'error: ...' naming the");
    out.println("option, file, row or value; 1 when the pipeline failed for another reason, e.g.");
    out.println("'error: out of memory in STAGE (heap N MB): ...' naming what to turn.");
  }

  @Override
  public boolean runsPipelines() {
    return true;
  }

  @Override
  public int run(String[] commandLine, PrintStream out, PrintStream err) {
    PipelineRun.Args a = PipelineRun.takeQuiet(commandLine);
    ReportCommand.Taken report = ReportCommand.take(a.rest());
    RecommendCommand.Taken taken = RecommendCommand.take(report.rest());
    String[] args = taken.rest();
    BeamArgs given = BeamArgs.check(args, MineGroupedOptions.class);
    CliArgs.requireFlagFor("rules", given.isTrue("rules"), given::has, RULE_OPTIONS);
    if (taken.request() != null && !(given.isTrue("rules") && given.has("txnCol"))) {
      throw new UsageException(
          "--recommend needs --rules and long-format input (--txnCol, --itemCol): the baskets"
              + " are read in that layout");
    }
    if (given.has(NOT_TAKEN)) {
      throw new UsageException(
          "--" + NOT_TAKEN + " applies to stream only; " + NAME + " finds the items in the input");
    }
    Preflight.grouped(given); // MiningJob's checks, before Beam parses the options
    MineGroupedOptions options = RunnerSetup.optionsFrom(args, MineGroupedOptions.class);
    Counts c =
        runPipeline(
            options,
            true,
            PipelineRun.progress(err, a.quiet(), counters(options)),
            taken.request());
    out.println(
        "runner="
            + RunnerSetup.describe(options)
            + " groups="
            + c.groups()
            + " transactions="
            + c.transactions()
            + " itemsets="
            + c.itemsets()
            + (options.getRules() ? " rules=" + c.rules() : "")
            + (taken.request() != null ? " recommendations=" + c.recommendations() : "")
            + " output="
            + options.getOutput()
            + " millis="
            + c.millis());
    if (report.report()) {
      ReportCommand.writeBeside(options.getOutput(), runInfo(NAME, options, c), out);
    }
    return Main.EXIT_OK;
  }

  /** What {@code --report} records of a run: its settings and counts ({@link ReportCommand}). */
  static io.rusket.beam.runners.report.RunInfo runInfo(
      String command, MineGroupedOptions options, Counts c) {
    return ReportCommand.runInfo(command, options, RunnerSetup.describe(options))
        .put("groupCol", options.getGroupCol())
        .put("groups", c.groups())
        .put("transactions", c.transactions())
        .put("itemsets", c.itemsets())
        .put("rules", options.getRules() ? c.rules() : null)
        .put("millis", c.millis());
  }

  /** The options that only act with {@code --rules} (grouped's and stream's). */
  static final List<String> RULE_OPTIONS = List.of("metric", "minThreshold");

  /** What a run of the pipeline reported through its counters, and how long it took. */
  record Counts(
      long groups,
      long transactions,
      long itemsets,
      long rules,
      long millis,
      long recommendations) {}

  /**
   * The counters of the progress lines: the rows read ({@code events} in long format, {@code
   * receipts} one-hot) and the groups mined so far.
   */
  static List<RunProgress.Counter> counters(MineGroupedOptions options) {
    return List.of(
        new RunProgress.Counter(
            options.getTxnCol() != null ? "events" : "receipts",
            TableSource.METRICS_NAMESPACE,
            "rowsRead"),
        new RunProgress.Counter("groups", MineGrouped.METRICS_NAMESPACE, "groupsMined"));
  }

  /**
   * Builds {@link MineGroupedPipeline} from {@code options}, runs it and waits.
   *
   * @param userData whether the input is the user's (else built-in, as the demo's: then a failure
   *     is never the user's)
   * @param progress what to show on stderr while it runs
   * @throws UsageException for a bad setting, input or output, found before running
   * @throws PipelineFailed if the pipeline failed while running
   */
  static Counts runPipeline(
      MineGroupedOptions options, boolean userData, PipelineRun.Progress progress) {
    return runPipeline(options, userData, progress, null);
  }

  /** As above; with {@code recommend}, also recommends from the rules (grouped --recommend). */
  static Counts runPipeline(
      MineGroupedOptions options,
      boolean userData,
      PipelineRun.Progress progress,
      RecommendCommand.@Nullable Request recommend) {
    PipelineRun.checkInput(options, options.getInput());
    Pipeline p = Pipeline.create(options);
    PipelineRun.build(
        () -> {
          MineGroupedPipeline.Outputs outputs = MineGroupedPipeline.buildPipeline(p, options);
          if (recommend != null) {
            RecommendCommand.addTo(p, options, outputs, recommend);
          }
        });
    PipelineRun.prepareOutput(options, options.getOutput());
    PipelineRun.Finished f = PipelineRun.runAndWait(p, userData, progress);
    String mg = MineGrouped.METRICS_NAMESPACE;
    return new Counts(
        PipelineMetrics.counter(f.result(), mg, "groupsMined"),
        PipelineMetrics.counter(f.result(), mg, "transactions"),
        PipelineMetrics.counter(f.result(), mg, "itemsetsEmitted"),
        PipelineMetrics.counter(f.result(), RulesGrouped.METRICS_NAMESPACE, "rulesEmitted"),
        f.millis(),
        PipelineMetrics.counter(f.result(), Recommend.METRICS_NAMESPACE, "recommendationsEmitted"));
  }
}
