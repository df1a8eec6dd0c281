package io.rusket.beam.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;

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

  @Description(
      "Memory budget in bytes of the per-group accumulators one reader holds before the shuffle,"
          + " all groups of a bundle together (MineGrouped.withMaxBundleBytes; beyond it the"
          + " largest are sent on early, same result). Long format, and one-hot Arrow/Parquet."
          + " Default: 67108864 (64 MiB); at least 1.")
  @Nullable Long getMaxBundleBytes();

  void setMaxBundleBytes(@Nullable Long value);
}
