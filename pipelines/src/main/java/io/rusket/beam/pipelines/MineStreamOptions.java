package io.rusket.beam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Options of {@link MineStreamPipeline}: {@link MiningOptions}, where {@code --txnCol}, {@code
 * --itemCol} (integer columns) and {@code --numItems} are required, plus the number of shards and
 * the FPMiners' RAM budget.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * --input=events.arrow --txnCol=session_id --itemCol=item_id --numItems=2600 --minSupport=0.001
 * --output=out --outputFormat=jsonl
 * }</pre>
 */
public interface MineStreamOptions extends MiningOptions {
  @Override
  @Description(
      "The transaction column, of integer ids (Parquet/Arrow integer types; CSV values are parsed"
          + " as integers). Required.")
  @Nullable String getTxnCol();

  @Override
  @Description(
      "The item column, of integer ids in [0, numItems) (Parquet/Arrow integer types; CSV values"
          + " are parsed as integers). Required.")
  @Nullable String getItemCol();

  @Override
  @Description("Number of distinct items: item ids lie in [0, numItems). Required.")
  @Nullable Integer getNumItems();

  @Description(
      "Number of shards the transactions are spread over (MineStream.withShards): the parallelism"
          + " of the accumulation step.")
  @Default.Integer(16)
  int getShards();

  void setShards(int value);

  @Description(
      "RAM budget in bytes of the FPMiners one worker's reader holds (MineStream.withMaxRamBytes,"
          + " split between the shards; beyond it the largest are sent on early) and of each"
          + " shard's merged miner (whose runs spill to local disk beyond it). Default: 134217728"
          + " (128 MiB); at least 16384.")
  @Nullable Long getMaxRamBytes();

  void setMaxRamBytes(@Nullable Long value);
}
