package io.rusket.beam.runners;

import io.rusket.beam.pipelines.UtilityOptions;
import io.rusket.beam.pipelines.UtilityPipeline;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.MineUtility;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code utility}: runs {@link UtilityPipeline} — read long-format events {@code (group,
 * transaction, item, utility)} from a Parquet, Arrow or CSV table, mine the high-utility itemsets
 * (EFIM) per group, or globally without {@code --groupCol}, write them under {@code
 * <output>/itemsets/} — on the runner the Beam options choose ({@link RunnerSetup}: the SparkRunner
 * embedded in this JVM by default). Prints one line, the counts from the pipeline's counters:
 *
 * <pre>{@code
 * runner=SparkRunner (local[4]) groups=G transactions=N itemsets=K output=DIR millis=T
 * }</pre>
 *
 * <p>A bad option, a missing or mistyped column, or an output that already holds files is a usage
 * error (exit 2) before the pipeline runs; a bad value met while running (a negative, NaN or
 * infinite utility, a null key) is one too, one line naming the column, the value and the event's
 * transaction, item and group; any other failure exits with 1.
 */
final class UtilityCommand implements Command {
  static final String NAME = "utility";

  /** The options of {@link UtilityOptions}, in the order of the help. */
  static final List<String> OPTIONS =
      List.of(
          "input",
          "inputFormat",
          "csvTypes",
          "groupCol",
          "txnCol",
          "itemCol",
          "utilityCol",
          "minUtility",
          "minUtilityFraction",
          "maxLen",
          "output",
          "outputFormat",
          "numShards");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "high-utility itemsets (EFIM: itemsets by profit) per group or global, as a pipeline";
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println(
        "Usage: java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --input=FILE --txnCol=NAME --itemCol=NAME --utilityCol=NAME");
    out.println("           (--minUtility=U | --minUtilityFraction=F) --output=DIR [options]");
    out.println();
    out.println("Runs UtilityPipeline: reads events (one row per transaction, item and utility,");
    out.println("e.g. the line's profit), and writes under DIR/itemsets/ every itemset whose");
    out.println("utility - summed over the transactions holding all its items - reaches the");
    out.println("threshold, per --groupCol value or over all events without it:");
    out.println(
        "  [group |] utility DOUBLE | count INT64 | support DOUBLE | itemsets ARRAY<STRING>");
    out.println("Duplicate (transaction, item) rows are summed; utilities are exact to 1e-6.");
    out.println("Prints one line:");
    out.println("  runner=NAME groups=G transactions=N itemsets=K output=DIR millis=T");
    out.println();
    OptionsHelp.print(out, UtilityOptions.class, OPTIONS);
    out.println();
    out.println("Example:");
    out.println(
        "  java -jar "
            + Main.JAR
            + " generate --output=data --layouts=events --formats=parquet \\");
    out.println("      --utilityColumns");
    out.println(
        "  java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --input=data/events.parquet --groupCol=store_id \\");
    out.println(
        "      --txnCol=transaction_id --itemCol=item_id --utilityCol=profit"
            + " --minUtilityFraction=0.01 \\");
    out.println("      --maxLen=3 --output=out --outputFormat=jsonl");
    out.println();
    out.println("Exit status 0 on success; 2 on a mistake in the options or the input data (also");
    out.println("one met while the pipeline runs), reported as one line 'error: ...' naming the");
    out.println("option, column, value or event; 1 when the pipeline failed for another reason.");
  }

  @Override
  public boolean runsPipelines() {
    return true;
  }

  @Override
  public int run(String[] commandLine, PrintStream out, PrintStream err) {
    PipelineRun.Args a = PipelineRun.takeQuiet(commandLine);
    String[] args = a.rest();
    Preflight.utility(BeamArgs.check(args, UtilityOptions.class));
    UtilityOptions options = RunnerSetup.optionsFrom(args, UtilityOptions.class);
    PipelineRun.Finished f =
        PipelineRun.runFileJob(
            options,
            options.getInput(),
            options.getOutput(),
            p -> UtilityPipeline.buildPipeline(p, options),
            PipelineRun.progress(
                err,
                a.quiet(),
                List.of(
                    new RunProgress.Counter("events", TableSource.METRICS_NAMESPACE, "rowsRead"),
                    new RunProgress.Counter(
                        "groups", MineUtility.METRICS_NAMESPACE, "groupsMined"))));
    String ns = MineUtility.METRICS_NAMESPACE;
    out.println(
        "runner="
            + RunnerSetup.describe(options)
            + " groups="
            + PipelineMetrics.counter(f.result(), ns, "groupsMined")
            + " transactions="
            + PipelineMetrics.counter(f.result(), ns, "transactions")
            + " itemsets="
            + PipelineMetrics.counter(f.result(), ns, "itemsetsEmitted")
            + " output="
            + options.getOutput()
            + " millis="
            + f.millis());
    return Main.EXIT_OK;
  }
}
