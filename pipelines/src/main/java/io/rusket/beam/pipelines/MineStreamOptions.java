package io.rusket.beam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of {@link MineStreamPipeline}: {@link MiningOptions}, where {@code --txnCol}, {@code
 * --itemCol} (integer columns) and {@code --numItems} are required, plus the number of shards.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * --input=events.arrow --txnCol=session_id --itemCol=item_id --numItems=2600 --minSupport=0.001
 * --output=out --outputFormat=jsonl
 * }</pre>
 */
public interface MineStreamOptions extends MiningOptions {
  @Description(
      "Number of shards the transactions are spread over (MineStream.withShards): the parallelism"
          + " of the accumulation step.")
  @Default.Integer(16)
  int getShards();

  void setShards(int value);
}
