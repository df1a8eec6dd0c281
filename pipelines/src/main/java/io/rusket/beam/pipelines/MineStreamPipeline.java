package io.rusket.beam.pipelines;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.transforms.AssociationRules;
import io.rusket.beam.transforms.MineStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The global job: reads an event log of {@code (transaction, item)} pairs (Parquet, Arrow IPC or
 * CSV; integer columns, item ids in {@code [0, --numItems)}), mines the frequent itemsets of all
 * transactions with {@link MineStream}, optionally derives association rules with {@link
 * AssociationRules}, and writes the results with {@link TableSink}:
 *
 * <ul>
 *   <li>{@code <output>/itemsets/part-SSSSS-of-NNNNN.<ext>}: {@code support DOUBLE | itemsets
 *       ARRAY<INT32> | count INT64 | transactions INT64};
 *   <li>with {@code --rules}, {@code <output>/rules/part-...}: {@code antecedents | consequents |
 *       antecedent_support | consequent_support | support | confidence | lift | representativity
 *       | leverage | conviction | zhangs_metric | jaccard | certainty | kulczynski}.
 * </ul>
 *
 * <p>Arrow input is read batch by batch straight into the shards' FPMiners from the column
 * buffers ({@link ArrowPairs#readShardMiners}, {@link MineStream#ofShardMiners()}), without a Row
 * per event; Parquet and CSV go through {@link TableSource} Rows. Settings, the input's columns
 * and types and the output directories are checked in {@link #buildPipeline} before anything
 * runs. No runner-specific code.
 *
 * <pre>{@code
 * MineStreamOptions options =
 *     PipelineOptionsFactory.fromArgs(args).withValidation().as(MineStreamOptions.class);
 * Pipeline p = Pipeline.create(options);
 * MineStreamPipeline.buildPipeline(p, options);
 * p.run().waitUntilFinish();
 * }</pre>
 *
 * <p>Memory: as {@link MineStream} — one shard's pairs (compact, spilling to disk) per worker, and
 * the frequent items' baskets on the one worker that mines them; with rules, all itemsets on one
 * worker.
 */
public final class MineStreamPipeline {
  private MineStreamPipeline() {}

  /** Subdirectory of {@code --output} holding the itemsets. */
  public static final String ITEMSETS_DIR = MineGroupedPipeline.ITEMSETS_DIR;

  /** Subdirectory of {@code --output} holding the rules. */
  public static final String RULES_DIR = MineGroupedPipeline.RULES_DIR;

  /** The result collections of a built pipeline (already connected to their sinks). */
  public static final class Outputs {
    /** The global itemsets, as {@link MineStream} outputs them. */
    public final PCollection<Row> itemsets;

    /** The rules, or null without {@code --rules}. */
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
   * @throws IllegalArgumentException for a bad or missing setting (naming the option), a missing
   *     or non-integer input column (naming the file and column, listing those present), an
   *     unreadable input, or an output directory that already holds files
   */
  public static Outputs buildPipeline(Pipeline pipeline, MineStreamOptions o) {
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    MiningIO.required(o.getInput(), "--input");
    MiningIO.required(o.getOutput(), "--output");
    String txn = MiningIO.required(o.getTxnCol(), "--txnCol");
    String item = MiningIO.required(o.getItemCol(), "--itemCol");
    if (o.getNumItems() == null) {
      throw new IllegalArgumentException(
          "Missing required option --numItems (item ids must lie in [0, numItems))");
    }
    // Settings first (their messages name the option), on the transform the input needs: Arrow
    // batches go straight into the shards' FPMiners, other formats come as Rows.
    boolean arrow = InputFormat.resolve(o.getInputFormat(), o.getInput()) == InputFormat.ARROW;
    MineStream<KV<Integer, FPMiner>> mineShards =
        arrow ? configure(MineStream.ofShardMiners(), o) : null;
    MineStream<Row> mineRows = arrow ? null : configure(MineStream.of(txn, item), o);
    AssociationRules rules =
        o.getRules()
            ? AssociationRules.create()
                .withMetric(RuleMetric.parse(o.getMetric()))
                .withMinThreshold(o.getMinThreshold())
            : null;
    OutputFormat.parse(o.getOutputFormat());
    MiningIO.checkNumShards(o);
    TableSource source = MiningIO.source(o).withColumns(txn, item);
    Map<String, Collection<TypeName>> required = new LinkedHashMap<>();
    required.put(txn, MiningIO.INTEGERS);
    required.put(item, MiningIO.INTEGERS);
    source.validate(required);
    TableSink itemsetsSink = MiningIO.sink(o, ITEMSETS_DIR);
    TableSink rulesSink = rules == null ? null : MiningIO.sink(o, RULES_DIR);

    PCollection<Row> itemsets;
    if (arrow) {
      itemsets =
          pipeline
              .apply(
                  "ReadArrowShards",
                  ArrowPairs.readShardMiners(
                      o.getInput(), txn, item, o.getNumItems(), o.getShards()))
              .apply("MineStream", mineShards);
    } else {
      itemsets = pipeline.apply("ReadInput", source).apply("MineStream", mineRows);
    }
    itemsets.apply("WriteItemsets", itemsetsSink);
    PCollection<Row> ruleRows = null;
    if (rules != null) {
      ruleRows = itemsets.apply("AssociationRules", rules);
      ruleRows.apply("WriteRules", rulesSink);
    }
    return new Outputs(itemsets, ruleRows);
  }

  private static <T> MineStream<T> configure(MineStream<T> mine, MineStreamOptions o) {
    MineStream<T> m =
        mine.withNumItems(o.getNumItems())
            .withMinSupport(o.getMinSupport())
            .withMethod(Method.parse(o.getMethod()))
            .withShards(o.getShards());
    return o.getMaxLen() == null ? m : m.withMaxLen(o.getMaxLen());
  }

  /** A pipeline built from {@code options} by {@link #buildPipeline}, not yet run. */
  public static Pipeline create(MineStreamOptions options) {
    Pipeline p = Pipeline.create(options);
    buildPipeline(p, options);
    return p;
  }

  /** Builds and runs the job on the options' runner; returns without waiting. */
  public static PipelineResult run(MineStreamOptions options) {
    return create(options).run();
  }

  /** Parses {@code args} (see {@link MineStreamOptions}; {@code --help} lists them), runs, waits. */
  public static void main(String[] args) {
    PipelineOptionsFactory.register(MineStreamOptions.class);
    MineStreamOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(MineStreamOptions.class);
    run(options).waitUntilFinish();
  }

}
