package io.rusket.beam.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Options of {@link UtilityPipeline}: high-utility itemsets from long-format events {@code (group,
 * transaction, item, utility)}; the input and output as {@link TableIOOptions} (this command's
 * descriptions of {@code --csvTypes} and {@code --output}).
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * --input=events.parquet --groupCol=store_id --txnCol=transaction_id --itemCol=item
 * --utilityCol=profit --minUtilityFraction=0.01 --maxLen=3 --output=out --outputFormat=jsonl
 * }</pre>
 */
public interface UtilityOptions extends TableIOOptions {
  @Override
  @Description(
      "CSV input: the types of some columns, as column:type,... with the types string, long, int,"
          + " double, boolean (e.g. txn:long). A column not listed is text, except --utilityCol,"
          + " read as double.")
  @Nullable String getCsvTypes();

  @Description(
      "The group column (STRING or integer): itemsets are mined per value (store, region,"
          + " segment). Without it, all events form one global result.")
  @Nullable String getGroupCol();

  void setGroupCol(@Nullable String value);

  @Description("The transaction column (STRING or integer).")
  @Validation.Required
  String getTxnCol();

  void setTxnCol(String value);

  @Description("The item column (STRING or integer).")
  @Validation.Required
  String getItemCol();

  void setItemCol(String value);

  @Description(
      "The utility column (DOUBLE, FLOAT, DECIMAL or integer; >= 0), e.g. the line's profit."
          + " Duplicate (transaction, item) rows are summed.")
  @Validation.Required
  String getUtilityCol();

  void setUtilityCol(String value);

  @Description(
      "Minimum utility, absolute (> 0, units of --utilityCol): an itemset is output iff its"
          + " utility, summed over the transactions containing it, is >= this. Give this or"
          + " --minUtilityFraction.")
  @Nullable Double getMinUtility();

  void setMinUtility(@Nullable Double value);

  @Description(
      "Minimum utility as a share, in (0, 1], of each group's total utility (of all events"
          + " without --groupCol). Give this or --minUtility.")
  @Nullable Double getMinUtilityFraction();

  void setMinUtilityFraction(@Nullable Double value);

  @Description("Longest itemset mined (at least 1); any length when absent.")
  @Nullable Integer getMaxLen();

  void setMaxLen(@Nullable Integer value);

  @Override
  @Description(
      "Output directory: the itemsets are written under <output>/itemsets/ as"
          + " part-SSSSS-of-NNNNN.<ext> shards; that directory must not already hold files.")
  @Validation.Required
  String getOutput();
}
