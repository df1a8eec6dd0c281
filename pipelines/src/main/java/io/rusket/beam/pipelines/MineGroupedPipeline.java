package io.rusket.beam.pipelines;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.pipelines.io.ArrowGroups;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.ParquetGroups;
import io.rusket.beam.pipelines.io.TableSink;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.MineGroupedAccumulators;
import io.rusket.beam.transforms.RulesGrouped;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
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
 * every other column a BOOLEAN or 0/1 integer item named by the column. CSV values are the text
 * written ({@code 0012} and {@code 12} are two items, store {@code 001} is written back as {@code
 * "001"}) unless {@code --csvTypes} declares a type; one-hot CSV items are {@code true}/{@code
 * false}/{@code 1}/{@code 0}. Every setting, the input's columns and types, and the output
 * directories are checked in {@link #buildPipeline} before anything runs (the options once, into a
 * {@link MiningJob}); mistakes are {@link IllegalArgumentException}s naming the option, column or
 * file. No runner-specific code: run it on any runner.
 *
 * <p>Arrow and Parquet input are read column-wise ({@link ArrowGroups}, {@link ParquetGroups}): the
 * files' record batches / row groups are spread over the workers and go straight from the columns
 * into per-group accumulators under one byte budget per bundle, with no Row per event or receipt;
 * CSV goes through {@link TableSource} Rows. The itemsets are the same either way.
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
    MiningJob job = MiningJob.grouped(o);
    String group = job.groupCol();
    // Settings first: cheap, and their messages name the option; the transforms check the values.
    MineGrouped mine =
        (job.longFormat()
                ? MineGrouped.events(group, job.txnCol(), job.itemCol())
                : MineGrouped.byColumn(group))
            .withMethod(job.method())
            .withTarget(job.target())
            .withMinLen(job.minLen());
    if (job.minSupportGiven()) {
      mine = mine.withMinSupport(job.minSupport());
    }
    if (job.topK() != null) {
      mine = mine.withTopK(job.topK());
    }
    if (job.maxLen() != null) {
      mine = mine.withMaxLen(job.maxLen());
    }
    long maxBundleBytes = maxBundleBytes(o, job);
    if (job.longFormat()) {
      mine = mine.withMaxBundleBytes(maxBundleBytes);
    }
    RulesGrouped rules =
        job.ruleMetric() != null
            ? RulesGrouped.byColumn(group)
                .withMetric(job.ruleMetric())
                .withMinThreshold(job.minThreshold())
                .withInput(job.target())
            : null;
    // Then the input's schema and the output directories.
    TableSource source =
        job.longFormat()
            ? MiningIO.longFormatSource(job, group, job.txnCol(), job.itemCol())
            : MiningIO.oneHotSource(job, group);
    TableSink itemsetsSink = MiningIO.sink(job, ITEMSETS_DIR);
    TableSink rulesSink = rules == null ? null : MiningIO.sink(job, RULES_DIR);

    PCollection<Row> itemsets =
        job.inputFormat() == InputFormat.CSV
            ? pipeline.apply("ReadInput", source).apply("MineGrouped", mine)
            : readColumns(pipeline, job, source, maxBundleBytes);
    itemsets.apply("WriteItemsets", itemsetsSink);
    PCollection<Row> ruleRows = null;
    if (rules != null) {
      ruleRows = itemsets.apply("RulesGrouped", rules);
      ruleRows.apply("WriteRules", rulesSink);
    }
    return new Outputs(itemsets, ruleRows);
  }

  /**
   * Arrow or Parquet input, read column-wise: record batches / row groups straight into per-group
   * accumulators ({@link ArrowGroups}, {@link ParquetGroups}), mined by {@link
   * MineGrouped#ofGroupEvents} / {@link MineGrouped#ofGroupBaskets} with the job's settings — no
   * Row per event or receipt, the same itemsets.
   */
  private static PCollection<Row> readColumns(
      Pipeline pipeline, MiningJob job, TableSource source, long maxBundleBytes) {
    boolean parquet = job.inputFormat() == InputFormat.PARQUET;
    Schema columns = source.getSchema();
    String group = job.groupCol();
    Schema.Field groupField = columns.getField(group);
    if (job.longFormat()) {
      Schema.Field txn = columns.getField(job.txnCol());
      Schema.Field item = columns.getField(job.itemCol());
      return pipeline
          .apply(
              "ReadGroups",
              parquet
                  ? ParquetGroups.readEvents(
                          job.input(), columns, group, txn.getName(), item.getName())
                      .withMaxBundleBytes(maxBundleBytes)
                  : ArrowGroups.readEvents(
                          job.input(), columns, group, txn.getName(), item.getName())
                      .withMaxBundleBytes(maxBundleBytes))
          .apply(
              "MineGrouped",
              configure(
                  MineGrouped.ofGroupEvents(
                      groupField,
                      ArrowGroups.keyKind(txn.getType()),
                      ArrowGroups.keyKind(item.getType())),
                  job));
    }
    List<String> items = new ArrayList<>(columns.getFieldNames());
    items.remove(group);
    String[] itemColumns = items.toArray(new String[0]);
    return pipeline
        .apply(
            "ReadGroups",
            parquet
                ? ParquetGroups.readOneHot(job.input(), columns, group, itemColumns)
                    .withMaxBundleBytes(maxBundleBytes)
                : ArrowGroups.readOneHot(job.input(), columns, group, itemColumns)
                    .withMaxBundleBytes(maxBundleBytes))
        .apply("MineGrouped", configure(MineGrouped.ofGroupBaskets(groupField, itemColumns), job));
  }

  /**
   * The settings {@link #buildPipeline} checks before it reads anything, in its order, without
   * building a transform: {@link MiningJob#grouped}, then the miner's range checks that the
   * transforms make ({@code --minSupport}, {@code --topK}, {@code --maxLen}, with their messages),
   * then {@code --maxBundleBytes}. The command line calls this before Beam parses the options, so
   * that these argument errors start no Beam, Spark or logging.
   *
   * @throws IllegalArgumentException naming the option and value, as {@link #buildPipeline} does
   */
  public static MiningJob checkSettings(MineGroupedOptions o) {
    MiningJob job = MiningJob.grouped(o);
    if (job.minSupportGiven()) {
      ItemsetMiner.checkMinSupport(job.minSupport()); // MineGrouped.withMinSupport's check
    }
    if (job.topK() != null) {
      ItemsetMiner.topK(job.topK()).withTarget(job.target()); // MineGrouped.withTopK's
    }
    if (job.maxLen() != null) {
      ItemsetMiner.minCount(1).withMaxLen(job.maxLen()); // the message of MineGrouped.withMaxLen
    }
    maxBundleBytes(o, job);
    return job;
  }

  /**
   * {@code --maxBundleBytes}, or MineGrouped's default.
   *
   * @throws IllegalArgumentException naming the option if below 1, or given for one-hot CSV (whose
   *     rows are combined one basket at a time, with no bundle budget)
   */
  static long maxBundleBytes(MineGroupedOptions o, MiningJob job) {
    Long given = o.getMaxBundleBytes();
    if (given == null) {
      return MineGrouped.DEFAULT_MAX_BUNDLE_BYTES;
    }
    if (given < 1) {
      throw new IllegalArgumentException(
          "Invalid --maxBundleBytes: " + given + ". Valid range is [1, " + Long.MAX_VALUE + "].");
    }
    if (!job.longFormat() && job.inputFormat() == InputFormat.CSV) {
      throw new IllegalArgumentException(
          "--maxBundleBytes applies to long-format input (--txnCol, --itemCol) and to one-hot"
              + " Arrow or Parquet: one-hot CSV rows are combined one basket at a time");
    }
    return given;
  }

  private static <A> MineGroupedAccumulators<A> configure(
      MineGroupedAccumulators<A> mine, MiningJob job) {
    MineGroupedAccumulators<A> m =
        mine.withMethod(job.method()).withTarget(job.target()).withMinLen(job.minLen());
    if (job.minSupportGiven()) {
      m = m.withMinSupport(job.minSupport());
    }
    if (job.topK() != null) {
      m = m.withTopK(job.topK());
    }
    return job.maxLen() == null ? m : m.withMaxLen(job.maxLen());
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
