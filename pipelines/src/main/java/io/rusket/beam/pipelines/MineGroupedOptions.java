package io.rusket.beam.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of {@link MineGroupedPipeline}: {@link MiningOptions} plus the group column.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * --input=receipts.arrow --groupCol=store_id --minSupport=0.05 --output=out --outputFormat=jsonl
 * }</pre>
 */
public interface MineGroupedOptions extends MiningOptions {
  @Description(
      "The group column (STRING or integer): itemsets and rules are mined per value (store,"
          + " region, segment).")
  @Validation.Required
  String getGroupCol();

  void setGroupCol(String value);
}
