package io.rusket.beam.pipelines;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.RulesGrouped;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The batch job: reads a table (Parquet, Arrow IPC or CSV), mines frequent itemsets per group with
 * {@link MineGrouped}, optionally derives association rules per group with {@link RulesGrouped},
 * and writes the results with {@link TableSink}:
 *
 * <ul>
 *   <li>{@code <output>/itemsets/part-SSSSS-of-NNNNN.<ext>}: {@code <groupCol> | support DOUBLE |
 *       itemsets ARRAY<STRING> | count INT64 | transactions INT64};
 *   <li>with {@code --rules}, {@code <output>/rules/part-...}: {@code <groupCol> | antecedents |
 *       consequents | antecedent_support | consequent_support | support | confidence | lift |
 *       representativity | leverage | conviction | zhangs_metric | jaccard | certainty |
 *       kulczynski}.
 * </ul>
 *
 * <p>Input: long format {@code (group, transaction, item)} when {@code --txnCol} and {@code
 * --itemCol} are given (other columns are not read), else one-hot receipts: the group column and
 * every other column a BOOLEAN or 0/1 integer item named by the column. Every setting, the input's
 * columns and types, and the output directories are checked in {@link #buildPipeline} before
 * anything runs; mistakes are {@link IllegalArgumentException}s naming the option, column or file.
 * No runner-specific code: run it on any runner.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // java ... io.rusket.beam.pipelines.MineGroupedPipeline --runner=DirectRunner \
 * //     --input=data/events.parquet --groupCol=store_id --txnCol=transaction_id \
 * //     --itemCol=item_id --minSupport=0.01 --rules --metric=lift --minThreshold=1.2 \
 * //     --output=out --outputFormat=jsonl
 * MineGroupedOptions options =
 *     PipelineOptionsFactory.fromArgs(args).withValidation().as(MineGroupedOptions.class);
 * Pipeline p = Pipeline.create(options);
 * MineGroupedPipeline.Outputs out = MineGroupedPipeline.buildPipeline(p, options);
 * p.run().waitUntilFinish();
 * }</pre>
 *
 * <p>Memory: as {@link MineGrouped} and {@link RulesGrouped} — each group's transactions, and for
 * rules its itemsets, must fit in one worker.
 */
public final class MineGroupedPipeline {
  private MineGroupedPipeline() {}

  /** Subdirectory of {@code --output} holding the itemsets. */
  public static final String ITEMSETS_DIR = "itemsets";

  /** Subdirectory of {@code --output} holding the rules. */
  public static final String RULES_DIR = "rules";

  /** The result collections of a built pipeline (already connected to their sinks). */
  public static final class Outputs {
    /** Itemsets per group, as {@link MineGrouped} outputs them. */
    public final PCollection<Row> itemsets;

    /** Rules per group, or null without {@code --rules}. */
    public final @Nullable PCollection<Row> rules;

    Outputs(PCollection<Row> itemsets, @Nullable PCollection<Row> rules) {
      this.itemsets = itemsets;
      this.rules = rules;
    }
  }

  /**
   * Validates the options and the input, then adds read → mine → (rules) → write to {@code
   * pipeline}, without running it.
   *
   * @throws IllegalArgumentException for a bad setting (naming the option and value), a missing or
   *     mistyped input column (naming the file and column, listing those present), an unreadable
   *     input file, or an output directory that already holds files
   */
  public static Outputs buildPipeline(Pipeline pipeline, MineGroupedOptions o) {
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    String group = MiningIO.required(o.getGroupCol(), "--groupCol");
    MiningIO.required(o.getInput(), "--input");
    MiningIO.required(o.getOutput(), "--output");
    boolean longFormat = o.getTxnCol() != null || o.getItemCol() != null;
    if (longFormat && (o.getTxnCol() == null || o.getItemCol() == null)) {
      throw new IllegalArgumentException(
          "Long-format input needs both --txnCol and --itemCol, got --txnCol="
              + o.getTxnCol()
              + " --itemCol="
              + o.getItemCol()
              + " (give neither for one-hot input)");
    }
    // Settings first: cheap, and their messages name the option.
    ItemsetMiner.checkMinSupport(o.getMinSupport());
    MineGrouped mine =
        (longFormat
                ? MineGrouped.events(group, o.getTxnCol(), o.getItemCol())
                : MineGrouped.byColumn(group))
            .withMinSupport(o.getMinSupport())
            .withMethod(Method.parse(o.getMethod()));
    if (o.getMaxLen() != null) {
      mine = mine.withMaxLen(o.getMaxLen());
    }
    RulesGrouped rules =
        o.getRules()
            ? RulesGrouped.byColumn(group)
                .withMetric(RuleMetric.parse(o.getMetric()))
                .withMinThreshold(o.getMinThreshold())
            : null;
    OutputFormat.parse(o.getOutputFormat());
    MiningIO.checkNumShards(o);
    // Then the input's schema and the output directories.
    TableSource source =
        longFormat
            ? MiningIO.longFormatSource(o, group, o.getTxnCol(), o.getItemCol())
            : MiningIO.oneHotSource(o, group);
    TableSink itemsetsSink = MiningIO.sink(o, ITEMSETS_DIR);
    TableSink rulesSink = rules == null ? null : MiningIO.sink(o, RULES_DIR);

    PCollection<Row> itemsets = pipeline.apply("ReadInput", source).apply("MineGrouped", mine);
    itemsets.apply("WriteItemsets", itemsetsSink);
    PCollection<Row> ruleRows = null;
    if (rules != null) {
      ruleRows = itemsets.apply("RulesGrouped", rules);
      ruleRows.apply("WriteRules", rulesSink);
    }
    return new Outputs(itemsets, ruleRows);
  }

  /** A pipeline built from {@code options} by {@link #buildPipeline}, not yet run. */
  public static Pipeline create(MineGroupedOptions options) {
    Pipeline p = Pipeline.create(options);
    buildPipeline(p, options);
    return p;
  }

  /** Builds and runs the job on the options' runner; returns without waiting. */
  public static PipelineResult run(MineGroupedOptions options) {
    return create(options).run();
  }

  /**
   * Parses {@code args} (see {@link MineGroupedOptions}; {@code --help} lists them), runs, waits.
   */
  public static void main(String[] args) {
    PipelineOptionsFactory.register(MineGroupedOptions.class);
    MineGroupedOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(MineGroupedOptions.class);
    run(options).waitUntilFinish();
  }

}
