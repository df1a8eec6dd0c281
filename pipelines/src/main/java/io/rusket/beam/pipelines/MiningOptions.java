package io.rusket.beam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Options shared by the mining pipelines: the input table and the output ({@link TableIOOptions}),
 * the long-format columns, and the mining and rule settings. {@link MineGroupedOptions} adds the
 * group column; a streaming pipeline over {@code (transaction, item)} events uses {@code --txnCol},
 * {@code --itemCol} and {@code --numItems} from here. A pipeline parses them once into a {@link
 * MiningJob}.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * MineGroupedOptions o = PipelineOptionsFactory.fromArgs(
 *         "--input=events/*.parquet", "--groupCol=store_id", "--txnCol=transaction_id",
 *         "--itemCol=item_id", "--minSupport=0.01", "--rules", "--output=out")
 *     .withValidation().as(MineGroupedOptions.class);
 * }</pre>
 */
public interface MiningOptions extends TableIOOptions {
  @Description(
      "Long format: the transaction column (STRING or integer). With --itemCol; without both,"
          + " the input is one-hot.")
  @Nullable String getTxnCol();

  void setTxnCol(@Nullable String value);

  @Description("Long format: the item column (STRING or integer). With --txnCol.")
  @Nullable String getItemCol();

  void setItemCol(@Nullable String value);

  @Description(
      "Number of distinct items (dense ids 0..numItems-1), for pipelines that need it up front"
          + " (streaming); optional.")
  @Nullable Integer getNumItems();

  void setNumItems(@Nullable Integer value);

  /**
   * {@code --minSupport} as written, or null when absent: the job resolves an absent one to {@link
   * MiningJob#DEFAULT_MIN_SUPPORT} without {@code --topK} and to no threshold with it ({@link
   * MiningJob#minSupportGiven}), so an explicit {@code --minSupport=0.5} is always honoured.
   */
  @Description(
      "Minimum support, in (0, 1]: an itemset is frequent iff count / N >= minSupport. With --topK,"
          + " no threshold unless given.")
  @Nullable Double getMinSupport();

  void setMinSupport(@Nullable Double value);

  @Description("Longest itemset mined (at least 1); any length when absent.")
  @Nullable Integer getMaxLen();

  void setMaxLen(@Nullable Integer value);

  @Description(
      "Which itemsets: all (every frequent itemset), closed (no superset of the same count) or"
          + " maximal (no frequent superset); same output schema.")
  @Default.String("all")
  String getTarget();

  void setTarget(String value);

  @Description(
      "Only the K itemsets of highest count (per group for grouped), ties by fewer items then item"
          + " order; --minSupport then applies only when given.")
  @Nullable Integer getTopK();

  void setTopK(@Nullable Integer value);

  @Description("Shortest itemset output (at least 1; default 1), e.g. 2 to skip single items.")
  @Nullable Integer getMinLen();

  void setMinLen(@Nullable Integer value);

  @Description("Mining method: auto, fpgrowth or eclat.")
  @Default.String("auto")
  String getMethod();

  void setMethod(String value);

  @Description("Also generate association rules (written under <output>/rules/).")
  @Default.Boolean(false)
  boolean getRules();

  void setRules(boolean value);

  @Description(
      "Rule metric that selects rules: confidence, lift, support, leverage, conviction, ...")
  @Default.String("confidence")
  String getMetric();

  void setMetric(String value);

  @Description("Least value of --metric for a rule to be kept (inclusive).")
  @Default.Double(0.8)
  double getMinThreshold();

  void setMinThreshold(double value);

  @Override
  @Description("Number of output shards per result; the runner chooses when absent.")
  @Nullable Integer getNumShards();
}
