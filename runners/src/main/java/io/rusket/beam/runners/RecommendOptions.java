package io.rusket.beam.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Options of the {@code recommend} command ({@link RecommendCommand}): the rules directory, the
 * baskets table and its columns, the recommendation settings and the output. The command line's
 * {@code --rules=DIR} is {@link #getRulesDir()} here: Beam keeps one registry of option names for
 * all interfaces, and {@code MiningOptions} already has a boolean {@code --rules}.
 */
public interface RecommendOptions extends PipelineOptions {
  @Description(
      "Directory of rules as 'grouped --rules' (or 'stream --rules') writes them:"
          + " DIR/part-*.parquet, .jsonl or .csv (the rules/ directory of their --output).")
  @Nullable String getRulesDir();

  void setRulesDir(@Nullable String value);

  @Description(
      "Baskets: a Parquet, Arrow IPC or CSV file (or glob) in long format, one row per basket and"
          + " item (--basketCol, --itemCol; items STRING or integer).")
  @Validation.Required
  String getBaskets();

  void setBaskets(String value);

  @Description("Baskets' format: parquet, arrow or csv; inferred from the extension when absent.")
  @Nullable String getInputFormat();

  void setInputFormat(@Nullable String value);

  @Description("CSV baskets: the types of some columns, as column:type,... (e.g. store_id:long).")
  @Nullable String getCsvTypes();

  void setCsvTypes(@Nullable String value);

  @Description(
      "The group column (store, region, ...), in the baskets and in the rules; without it the"
          + " rules are global (as 'stream' writes them).")
  @Nullable String getGroupCol();

  void setGroupCol(@Nullable String value);

  @Description("The baskets' basket (transaction) id column, STRING or integer.")
  @Validation.Required
  String getBasketCol();

  void setBasketCol(String value);

  @Description("The baskets' item column, STRING or integer (integers as their decimal text).")
  @Validation.Required
  String getItemCol();

  void setItemCol(String value);

  @Description("Items per basket, at most: a positive integer, or 'all'.")
  @Default.String("5")
  String getK();

  void setK(String value);

  @Description(
      "The rule metric that scores items: confidence, lift, conviction, leverage, ... (any rule"
          + " column). Ties by lift, then support, then item name.")
  @Default.String("confidence")
  String getScore();

  void setScore(String value);

  @Description("Shards of each group's baskets (each gets a copy of the group's rule index).")
  @Default.Integer(8)
  int getShardsPerGroup();

  void setShardsPerGroup(int value);

  @Description("Output directory: the recommendations as part-*.<ext> shards.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Output format: parquet, jsonl or csv.")
  @Default.String("parquet")
  String getOutputFormat();

  void setOutputFormat(String value);
}
