package io.rusket.beam.runners;

import io.rusket.beam.pipelines.MineSequencesOptions;
import io.rusket.beam.pipelines.MineSequencesPipeline;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.MineSequences;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code sequences}: runs {@link MineSequencesPipeline} — read long-format events {@code (group,
 * sequence, time, item)}, mine the frequent sequential patterns (PrefixSpan) of each group, or of
 * all sequences without {@code --groupCol}, write them under {@code <output>/sequences/} — on the
 * runner the Beam options choose ({@link RunnerSetup}: the SparkRunner embedded in this JVM by
 * default). Options are those of {@link MineSequencesOptions}, parsed by Beam. Prints one line from
 * the pipeline's counters:
 *
 * <pre>{@code
 * runner=SparkRunner (local[4]) groups=G sequences=N patterns=K output=DIR millis=T
 * }</pre>
 *
 * <p>Errors as {@link GroupedCommand}.
 */
final class SequencesCommand implements Command {
  static final String NAME = "sequences";

  /** The options of {@link MineSequencesOptions}, in the order of the help. */
  static final List<String> OPTIONS =
      List.of(
          "input",
          "inputFormat",
          "csvTypes",
          "groupCol",
          "sequenceCol",
          "timeCol",
          "itemCol",
          "minSupport",
          "minCount",
          "maxPatternLength",
          "maxGap",
          "singleItemSteps",
          "output",
          "outputFormat",
          "numShards");

  /** The counters of the progress lines: events read, groups mined. */
  static final List<RunProgress.Counter> COUNTERS =
      List.of(
          new RunProgress.Counter("events", TableSource.METRICS_NAMESPACE, "rowsRead"),
          new RunProgress.Counter("groups", MineSequences.METRICS_NAMESPACE, "groupsMined"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "sequential patterns (PrefixSpan) per group or global, of (sequence, time, item) events";
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println(
        "Usage: java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --input=FILE [--groupCol=NAME] --sequenceCol=NAME --timeCol=NAME --itemCol=NAME"
            + " --output=DIR [options]");
    out.println();
    out.println(
        "Runs MineSequencesPipeline: reads events (Parquet, Arrow IPC or CSV), one row per");
    out.println("(group, sequence, time, item); the events of a sequence (a customer, a session)");
    out.println("with the same time form one step (an itemset), steps ordered by time. Mines the");
    out.println(
        "patterns <(a b)(c)...> contained in at least --minSupport of the sequences of each");
    out.println("group (or --minCount of them), with PrefixSpan; without --groupCol one global");
    out.println("result. Writes DIR/sequences/: group | support | count | sequences | sequence");
    out.println("(JSON lines: \"sequence\":[[\"a\",\"b\"],[\"c\"]]). Prints one line:");
    out.println("  runner=NAME groups=G sequences=N patterns=K output=DIR millis=T");
    out.println();
    OptionsHelp.print(out, MineSequencesOptions.class, OPTIONS);
    out.println();
    out.println("Example:");
    out.println(
        "  java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --input=data/sequences.parquet --groupCol=store_id \\");
    out.println(
        "      --sequenceCol=customer_id --timeCol=day --itemCol=item --minSupport=0.05"
            + " --maxPatternLength=4 \\");
    out.println("      --output=out --outputFormat=jsonl");
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
    String[] args = a.rest();
    BeamArgs given = BeamArgs.check(args, MineSequencesOptions.class);
    if (given.has("minSupport") && given.has("minCount")) {
      throw new UsageException(
          "Give either --minSupport or --minCount, not both: --minCount replaces --minSupport");
    }
    Preflight.sequences(given);
    MineSequencesOptions options = RunnerSetup.optionsFrom(args, MineSequencesOptions.class);
    PipelineRun.Finished f =
        PipelineRun.runFileJob(
            options,
            options.getInput(),
            options.getOutput(),
            p -> MineSequencesPipeline.buildPipeline(p, options),
            PipelineRun.progress(err, a.quiet(), COUNTERS));
    String ns = MineSequences.METRICS_NAMESPACE;
    out.println(
        "runner="
            + RunnerSetup.describe(options)
            + " groups="
            + PipelineMetrics.counter(f.result(), ns, "groupsMined")
            + " sequences="
            + PipelineMetrics.counter(f.result(), ns, "sequences")
            + " patterns="
            + PipelineMetrics.counter(f.result(), ns, "patternsEmitted")
            + " output="
            + options.getOutput()
            + " millis="
            + f.millis());
    return Main.EXIT_OK;
  }
}
