package io.rusket.beam.pipelines;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.ShardMinerSource;
import io.rusket.beam.pipelines.io.TableSink;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.AssociationRules;
import io.rusket.beam.transforms.MineStream;
import io.rusket.beam.transforms.StreamLimits;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The global job: reads an event log of {@code (transaction, item)} pairs (Parquet, Arrow IPC or
 * CSV; integer columns — CSV ones parsed strictly as INT64, a non-integer value failing with its
 * file, line, column and value —, item ids in {@code [0, --numItems)}), mines the frequent itemsets
 * of all transactions with {@link MineStream}, optionally derives association rules with {@link
 * AssociationRules}, and writes the results with {@link TableSink}:
 *
 * <ul>
 *   <li>{@code <output>/itemsets/part-SSSSS-of-NNNNN.<ext>}: {@code support DOUBLE | itemsets
 *       ARRAY<INT32> | count INT64 | transactions INT64};
 *   <li>with {@code --rules}, {@code <output>/rules/part-...}: {@code antecedents | consequents |
 *       antecedent_support | consequent_support | support | confidence | lift | representativity |
 *       leverage | conviction | zhangs_metric | jaccard | certainty | kulczynski}.
 * </ul>
 *
 * <p>Parquet and Arrow input is read column-wise straight into the shards' FPMiners ({@link
 * ShardMinerSource}, {@link MineStream#ofShardMiners()}), without a Row per event: Parquet split by
 * row group, Arrow by runs of record batches, so every core reads. CSV goes through {@link
 * TableSource} Rows. The itemsets are the same either way. Settings, the input's columns and types
 * and the output directories are checked in {@link #buildPipeline} before anything runs. No
 * runner-specific code.
 *
 * <pre>{@code
 * MineStreamOptions options =
 *     PipelineOptionsFactory.fromArgs(args).withValidation().as(MineStreamOptions.class);
 * Pipeline p = Pipeline.create(options);
 * MineStreamPipeline.buildPipeline(p, options);
 * p.run().waitUntilFinish();
 * }</pre>
 *
 * <p>Memory: reading holds, per core, the shard miners within MineStream's RAM budget ({@code
 * --maxRamBytes}, default 128 MiB) and one slice of decoded rows (see {@link ShardMinerSource});
 * then as {@link MineStream} — one shard's pairs (compact, spilling to disk beyond the same budget)
 * per worker, and the frequent items' baskets on the one worker that mines them (about 13 bytes per
 * frequent item occurrence while mining: ~1 GB at 100M events of the seed's shape); with rules, all
 * itemsets on one worker.
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
   * @throws IllegalArgumentException for a bad or missing setting (naming the option), a missing or
   *     non-integer input column (naming the file and column, listing those present), an unreadable
   *     input, or an output directory that already holds files
   */
  public static Outputs buildPipeline(Pipeline pipeline, MineStreamOptions o) {
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    MiningJob job = MiningJob.stream(o);
    String txn = job.txnCol();
    String item = job.itemCol();
    // Settings first (their messages name the option), on the transform the input needs: Parquet
    // and Arrow columns go straight into the shards' FPMiners, CSV comes as Rows.
    boolean columnar = isColumnar(job.inputFormat());
    long maxRamBytes = maxRamBytes(o);
    MineStream<KV<Integer, FPMiner>> mineShards =
        columnar ? configure(MineStream.ofShardMiners(), job, o.getShards(), maxRamBytes) : null;
    MineStream<Row> mineRows =
        columnar ? null : configure(MineStream.of(txn, item), job, o.getShards(), maxRamBytes);
    AssociationRules rules =
        job.ruleMetric() != null
            ? AssociationRules.create()
                .withMetric(job.ruleMetric())
                .withMinThreshold(job.minThreshold())
                .withInput(job.target())
            : null;
    // Then the input's schema (integer columns; CSV ones declared INT64 and parsed strictly) and
    // the output directories.
    TableSource source = MiningIO.integerSource(job, txn, item);
    TableSink itemsetsSink = MiningIO.sink(job, ITEMSETS_DIR);
    TableSink rulesSink = rules == null ? null : MiningIO.sink(job, RULES_DIR);

    PCollection<Row> itemsets;
    if (columnar) {
      itemsets =
          pipeline
              .apply(
                  "ReadShardMiners",
                  MiningIO.shardMinerSource(job, txn, item, o.getShards())
                      .withMaxRamBytes(maxRamBytes))
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

  /** Whether {@code format} is read column-wise into shard miners (Parquet, Arrow). */
  static boolean isColumnar(InputFormat format) {
    return format == InputFormat.PARQUET || format == InputFormat.ARROW;
  }

  /**
   * The settings {@link #buildPipeline} checks before it reads anything, in its order, without
   * building a transform: {@link MiningJob#stream}, {@code --maxRamBytes}, then the range checks
   * that {@link MineStream} makes ({@code --numItems}, {@code --shards}, {@code --minSupport},
   * {@code --topK}, {@code --maxLen}, with its messages). The command line calls this before Beam
   * parses the options, so that these argument errors start no Beam, Spark or logging.
   *
   * @throws IllegalArgumentException naming the option and value, as {@link #buildPipeline} does
   */
  public static MiningJob checkSettings(MineStreamOptions o) {
    MiningJob job = MiningJob.stream(o);
    maxRamBytes(o);
    StreamLimits.checkNumItems(job.numItems()); // MineStream.withNumItems's check
    StreamLimits.checkShards(o.getShards()); // MineStream.withShards's
    if (job.minSupportGiven()) {
      ItemsetMiner.checkMinSupport(job.minSupport()); // MineStream.withMinSupport's
    }
    if (job.topK() != null) {
      ItemsetMiner.topK(job.topK()); // MineStream.withTopK's (the target is MiningJob's check)
    }
    if (job.maxLen() != null) {
      ItemsetMiner.minCount(1).withMaxLen(job.maxLen()); // the message of MineStream.withMaxLen
    }
    return job;
  }

  /**
   * {@code --maxRamBytes}, or MineStream's default.
   *
   * @throws IllegalArgumentException naming the option if below {@link
   *     MineStream#MIN_MAX_RAM_BYTES}
   */
  static long maxRamBytes(MineStreamOptions o) {
    Long given = o.getMaxRamBytes();
    if (given == null) {
      return MineStream.DEFAULT_MAX_RAM_BYTES;
    }
    if (given < MineStream.MIN_MAX_RAM_BYTES) {
      throw new IllegalArgumentException(
          "Invalid --maxRamBytes: "
              + given
              + ". Valid range is ["
              + MineStream.MIN_MAX_RAM_BYTES
              + ", "
              + Long.MAX_VALUE
              + "].");
    }
    return given;
  }

  private static <T> MineStream<T> configure(
      MineStream<T> mine, MiningJob job, int shards, long maxRamBytes) {
    MineStream<T> m =
        mine.withNumItems(job.numItems())
            .withMethod(job.method())
            .withTarget(job.target())
            .withMinLen(job.minLen())
            .withShards(shards)
            .withMaxRamBytes(maxRamBytes);
    if (job.minSupportGiven()) {
      m = m.withMinSupport(job.minSupport());
    }
    if (job.topK() != null) {
      m = m.withTopK(job.topK());
    }
    return job.maxLen() == null ? m : m.withMaxLen(job.maxLen());
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

  /**
   * Parses {@code args} (see {@link MineStreamOptions}; {@code --help} lists them), runs, waits.
   */
  public static void main(String[] args) {
    PipelineOptionsFactory.register(MineStreamOptions.class);
    MineStreamOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(MineStreamOptions.class);
    run(options).waitUntilFinish();
  }
}
