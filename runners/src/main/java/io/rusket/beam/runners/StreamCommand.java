package io.rusket.beam.runners;

import io.rusket.beam.pipelines.MineStreamOptions;
import io.rusket.beam.pipelines.MineStreamPipeline;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.AssociationRules;
import io.rusket.beam.transforms.MineStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code stream}: runs {@link MineStreamPipeline} — read an event log of {@code (transaction,
 * item)} pairs (integer columns, item ids in {@code [0, --numItems)}), mine the frequent itemsets
 * of all transactions with {@link MineStream} (and with {@code --rules} global rules), write them
 * under {@code <output>/itemsets/} and {@code <output>/rules/} — on the runner the Beam options
 * choose ({@link RunnerSetup}: the SparkRunner embedded in this JVM by default). Options are those
 * of {@link MineStreamOptions}, parsed by Beam. Prints one line from the pipeline's counters:
 *
 * <pre>{@code
 * runner=SparkRunner (local[4]) transactions=N itemsets=K rules=R output=DIR millis=T
 * }</pre>
 *
 * <p>({@code rules=R} only with {@code --rules}.) Errors as {@link GroupedCommand}.
 */
final class StreamCommand implements Command {
  static final String NAME = "stream";

  /** The options of {@link MineStreamOptions}, in the order of the help. */
  static final List<String> OPTIONS =
      List.of(
          "input",
          "inputFormat",
          "csvTypes",
          "txnCol",
          "itemCol",
          "numItems",
          "minSupport",
          "maxLen",
          "method",
          "target",
          "topK",
          "minLen",
          "shards",
          "maxRamBytes",
          "rules",
          "metric",
          "minThreshold",
          "output",
          "outputFormat",
          "numShards");

  /** The counters of the progress lines: events read, pairs into the shard miners. */
  static final List<RunProgress.Counter> COUNTERS =
      List.of(
          new RunProgress.Counter("events", TableSource.METRICS_NAMESPACE, "rowsRead"),
          new RunProgress.Counter("pairs", MineStream.METRICS_NAMESPACE, "pairs"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "global itemsets and rules of a huge (transaction, item) event log, as a Beam pipeline";
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println(
        "Usage: java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --input=FILE --txnCol=NAME"
            + " --itemCol=NAME --numItems=N --output=DIR [options]");
    out.println();
    out.println("Runs MineStreamPipeline: reads an event log, one row per (transaction, item),");
    out.println("integer columns with item ids in [0, numItems); mines the frequent itemsets of");
    out.println("all transactions with MineStream (sharded, mergeable FPMiner accumulators; the");
    out.println("raw events never meet on one worker), and with --rules the association rules;");
    out.println("writes them under DIR/itemsets/ and DIR/rules/. --txnCol, --itemCol and");
    out.println("--numItems are required. Prints one line:");
    out.println("  runner=NAME transactions=N itemsets=K rules=R output=DIR millis=T");
    out.println("(rules=R only with --rules; T from the start of the run to its end).");
    out.println();
    OptionsHelp.print(out, MineStreamOptions.class, OPTIONS);
    ReportCommand.printFlagHelp(out);
    out.println();
    out.println("Example:");
    out.println(
        "  java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --input=data/events.parquet"
            + " --txnCol=transaction_id \\");
    out.println(
        "      --itemCol=item_id --numItems=500 --minSupport=0.01 --rules --metric=lift" + " \\");
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
    String[] args = report.rest();
    BeamArgs given = BeamArgs.check(args, MineStreamOptions.class);
    CliArgs.requireFlagFor("rules", given.isTrue("rules"), given::has, GroupedCommand.RULE_OPTIONS);
    Preflight.stream(given); // MiningJob's checks, before Beam parses the options
    MineStreamOptions options = RunnerSetup.optionsFrom(args, MineStreamOptions.class);
    PipelineRun.Finished f =
        PipelineRun.runFileJob(
            options,
            options.getInput(),
            options.getOutput(),
            p -> MineStreamPipeline.buildPipeline(p, options),
            PipelineRun.progress(err, a.quiet(), COUNTERS));
    String ms = MineStream.METRICS_NAMESPACE;
    out.println(
        "runner="
            + RunnerSetup.describe(options)
            + " transactions="
            + PipelineMetrics.counter(f.result(), ms, "transactions")
            + " itemsets="
            + PipelineMetrics.counter(f.result(), ms, "itemsetsEmitted")
            + (options.getRules()
                ? " rules="
                    + PipelineMetrics.counter(
                        f.result(), AssociationRules.METRICS_NAMESPACE, "rulesEmitted")
                : "")
            + " output="
            + options.getOutput()
            + " millis="
            + f.millis());
    if (report.report()) {
      ReportCommand.writeBeside(
          options.getOutput(),
          ReportCommand.runInfo(NAME, options, RunnerSetup.describe(options))
              .put("numItems", options.getNumItems())
              .put("shards", options.getShards())
              .put("transactions", PipelineMetrics.counter(f.result(), ms, "transactions"))
              .put("itemsets", PipelineMetrics.counter(f.result(), ms, "itemsetsEmitted"))
              .put(
                  "rules",
                  options.getRules()
                      ? PipelineMetrics.counter(
                          f.result(), AssociationRules.METRICS_NAMESPACE, "rulesEmitted")
                      : null)
              .put("millis", f.millis()),
          out);
    }
    return Main.EXIT_OK;
  }
}
