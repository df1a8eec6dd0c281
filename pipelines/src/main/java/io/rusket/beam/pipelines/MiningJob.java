package io.rusket.beam.pipelines;

import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.Target;
import io.rusket.beam.pipelines.io.CsvTypes;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.OutputFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a mining pipeline is to do, parsed once from its {@link MiningOptions}: the input (path,
 * format, columns, declared CSV types), the mining and rule settings as values (a {@link Method}, a
 * {@link RuleMetric}), and the output (directory, {@link OutputFormat}, shard count). Shared by
 * {@link MineGroupedPipeline} and {@link MineStreamPipeline}; immutable.
 *
 * <p>Building a job converts and checks what only the options know (a required option, an option
 * name, {@code --txnCol} with {@code --itemCol}, a format or metric name, {@code --csvTypes} on
 * non-CSV input); thresholds and lengths are checked once, by the transforms they configure, and
 * the input's columns and the output directories by {@code MiningIO} when the pipeline is built.
 * Every mistake is an {@link IllegalArgumentException} naming the option and the value.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * MiningJob job = MiningJob.grouped(options);   // or MiningJob.stream(streamOptions)
 * MineGrouped mine = MineGrouped.byColumn(job.groupCol()).withMinSupport(job.minSupport());
 * PCollection<Row> rows = pipeline.apply("ReadInput", MiningIO.oneHotSource(job));
 * }</pre>
 */
public final class MiningJob {
  private final String input;
  private final InputFormat inputFormat;
  private final @Nullable String groupCol;
  private final @Nullable String txnCol;
  private final @Nullable String itemCol;
  private final Map<String, TypeName> csvTypes;
  private final @Nullable Integer numItems;
  private final double minSupport;
  private final @Nullable Integer maxLen;
  private final Method method;
  private final Target target;
  private final @Nullable Integer topK;
  private final int minLen;
  private final boolean minSupportGiven;
  private final @Nullable RuleMetric ruleMetric;
  private final double minThreshold;
  private final String output;
  private final OutputFormat outputFormat;
  private final @Nullable Integer numShards;

  private MiningJob(MiningOptions o, @Nullable String groupCol) {
    this.input = MiningIO.required(o.getInput(), "--input");
    this.output = MiningIO.required(o.getOutput(), "--output");
    this.groupCol = groupCol;
    this.txnCol = o.getTxnCol();
    this.itemCol = o.getItemCol();
    this.inputFormat = InputFormat.resolve(o.getInputFormat(), input);
    Map<String, TypeName> types =
        o.getCsvTypes() == null ? Map.of() : CsvTypes.parse(o.getCsvTypes(), "--csvTypes");
    if (!types.isEmpty() && inputFormat != InputFormat.CSV) {
      throw new IllegalArgumentException(
          "--csvTypes applies to CSV input only; "
              + input
              + " is read as "
              + inputFormat.optionName()
              + ", whose columns have their types");
    }
    this.csvTypes = Collections.unmodifiableMap(new LinkedHashMap<>(types));
    this.numItems = o.getNumItems();
    Double givenSupport = o.getMinSupport();
    this.minSupport = givenSupport == null ? DEFAULT_MIN_SUPPORT : givenSupport;
    this.maxLen = o.getMaxLen();
    this.method = Method.parse(o.getMethod());
    this.target = parseTarget(o.getTarget());
    this.topK = o.getTopK();
    this.minLen = o.getMinLen() == null ? 1 : o.getMinLen();
    if (topK != null && topK < 1) {
      throw new IllegalArgumentException(
          "Invalid --topK: " + topK + ". Valid range is [1, 2147483647].");
    }
    if (minLen < 1) {
      throw new IllegalArgumentException(
          "Invalid --minLen: " + minLen + ". Valid range is [1, 2147483647].");
    }
    if (topK != null && target == Target.MAXIMAL) {
      throw new IllegalArgumentException(
          "--topK does not apply to --target=maximal; use --target=all or --target=closed");
    }
    this.minSupportGiven = topK == null || givenSupport != null;
    this.ruleMetric = o.getRules() ? RuleMetric.parse(o.getMetric()) : null;
    if (ruleMetric != null && (topK != null || minLen > 1)) {
      throw new IllegalArgumentException(
          "--rules needs every frequent itemset (or the closed ones), so not --topK or --minLen"
              + " above 1, which leave out the subsets rules take their supports from");
    }
    if (ruleMetric != null && target == Target.MAXIMAL) {
      throw new IllegalArgumentException(
          "--rules with --target=maximal: maximal itemsets do not give the supports of their"
              + " subsets; use --target=closed (rules recover every support) or --target=all");
    }
    this.minThreshold = o.getMinThreshold();
    this.outputFormat = OutputFormat.parse(o.getOutputFormat());
    if (o.getNumShards() != null && o.getNumShards() < 1) {
      throw new IllegalArgumentException(
          "Invalid --numShards: " + o.getNumShards() + ". Valid range is [1, 2147483647].");
    }
    this.numShards = o.getNumShards();
    if (txnCol != null && txnCol.equals(itemCol)) {
      throw new IllegalArgumentException(
          "--txnCol and --itemCol name the same column '"
              + txnCol
              + "'; a transaction and its items need a column each");
    }
  }

  /**
   * The job of {@link MineGroupedPipeline}: long format with both {@code --txnCol} and {@code
   * --itemCol}, else one-hot.
   *
   * @throws IllegalArgumentException for a missing {@code --input}, {@code --output} or {@code
   *     --groupCol}, only one of {@code --txnCol}/{@code --itemCol}, or a bad option value
   */
  public static MiningJob grouped(MineGroupedOptions o) {
    String group = MiningIO.required(o.getGroupCol(), "--groupCol");
    MiningJob job = new MiningJob(o, group);
    if ((job.txnCol == null) != (job.itemCol == null)) {
      throw new IllegalArgumentException(
          "Long-format input needs both --txnCol and --itemCol, got --txnCol="
              + job.txnCol
              + " --itemCol="
              + job.itemCol
              + " (give neither for one-hot input)");
    }
    return job;
  }

  /**
   * The job of {@link MineStreamPipeline}: {@code --txnCol}, {@code --itemCol} and {@code
   * --numItems} are required.
   *
   * @throws IllegalArgumentException for a missing option or a bad option value
   */
  public static MiningJob stream(MineStreamOptions o) {
    MiningJob job = new MiningJob(o, null);
    MiningIO.required(job.txnCol, "--txnCol");
    MiningIO.required(job.itemCol, "--itemCol");
    if (job.numItems == null) {
      throw new IllegalArgumentException(
          "Missing required option --numItems (item ids must lie in [0, numItems))");
    }
    if (job.topK != null && job.target != Target.ALL) {
      // MineStream's global top-k is exact over shards for ALL only (its k-th count is found
      // among every itemset reaching the items' k-th count); a closed top-k could need more
      throw new IllegalArgumentException(
          "--topK with --target="
              + job.target.name().toLowerCase(java.util.Locale.ROOT)
              + " does not apply to stream: its top-k over shards is for --target=all; mine and"
              + " grouped give the top-k closed itemsets");
    }
    return job;
  }

  /** {@code --input}: a path or glob. */
  public String input() {
    return input;
  }

  /** {@code --inputFormat}, or the one inferred from the input's extension. */
  public InputFormat inputFormat() {
    return inputFormat;
  }

  /** {@code --groupCol}; null for a global job. */
  public @Nullable String groupCol() {
    return groupCol;
  }

  /** {@code --txnCol}; null for one-hot input. */
  public @Nullable String txnCol() {
    return txnCol;
  }

  /** {@code --itemCol}; null for one-hot input. */
  public @Nullable String itemCol() {
    return itemCol;
  }

  /** True for long-format input ({@code --txnCol} and {@code --itemCol}). */
  public boolean longFormat() {
    return txnCol != null;
  }

  /** {@code --csvTypes}, by column; empty when not given. */
  public Map<String, TypeName> csvTypes() {
    return csvTypes;
  }

  /** {@code --numItems}, or null. */
  public @Nullable Integer numItems() {
    return numItems;
  }

  /**
   * {@code --minSupport}, unchecked (the transform checks it); {@link #DEFAULT_MIN_SUPPORT} when
   * absent. It applies iff {@link #minSupportGiven}.
   */
  public double minSupport() {
    return minSupport;
  }

  /** {@code --maxLen}, or null for any length. */
  public @Nullable Integer maxLen() {
    return maxLen;
  }

  /** What an absent {@code --minSupport} means without {@code --topK}. */
  public static final double DEFAULT_MIN_SUPPORT = 0.5;

  /** {@code --topK}, or null for every itemset. */
  public @Nullable Integer topK() {
    return topK;
  }

  /** {@code --minLen} (1 when absent). */
  public int minLen() {
    return minLen;
  }

  /**
   * Whether {@code --minSupport} applies: always without {@code --topK} (its default when absent);
   * with it, only when given (any value, also 0.5).
   */
  public boolean minSupportGiven() {
    return minSupportGiven;
  }

  /** {@code --target}. */
  public Target target() {
    return target;
  }

  private static Target parseTarget(@Nullable String value) {
    try {
      return Target.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid --target: " + value + ". Valid values are all, closed, maximal.");
    }
  }

  /** {@code --method}. */
  public Method method() {
    return method;
  }

  /** {@code --metric} with {@code --rules}; null without {@code --rules}. */
  public @Nullable RuleMetric ruleMetric() {
    return ruleMetric;
  }

  /** {@code --minThreshold}, unchecked (the rule transform checks it). */
  public double minThreshold() {
    return minThreshold;
  }

  /** {@code --output}: the output directory. */
  public String output() {
    return output;
  }

  /** {@code --outputFormat}. */
  public OutputFormat outputFormat() {
    return outputFormat;
  }

  /** {@code --numShards}, or null to let the runner choose. */
  public @Nullable Integer numShards() {
    return numShards;
  }

  @Override
  public String toString() {
    return "MiningJob{input="
        + input
        + " ("
        + inputFormat.optionName()
        + "), groupCol="
        + groupCol
        + ", txnCol="
        + txnCol
        + ", itemCol="
        + itemCol
        + ", csvTypes="
        + csvTypes
        + ", minSupport="
        + minSupport
        + ", output="
        + output
        + " ("
        + outputFormat.optionName()
        + ")}";
  }
}
