package io.rusket.beam.transforms;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * MineStream's step 3, "SumCounts": the shards' {@link ItemCounts} summed into the window's global
 * counts (N and supports add up because every transaction is whole in one shard). The result's
 * support array is as long as the longest input's.
 */
final class SumCountsFn extends CombineFn<ItemCounts, ItemCounts, ItemCounts> {
  private static final long serialVersionUID = 1L;

  @Override
  public ItemCounts createAccumulator() {
    return ItemCounts.empty();
  }

  @Override
  public ItemCounts addInput(ItemCounts acc, ItemCounts in) {
    return mergeAccumulators(List.of(acc, in));
  }

  @Override
  public ItemCounts mergeAccumulators(Iterable<ItemCounts> accs) {
    long n = 0;
    long[] sum = new long[0];
    for (ItemCounts c : accs) {
      n += c.n;
      if (c.support.length > sum.length) {
        sum = Arrays.copyOf(sum, c.support.length);
      }
      for (int i = 0; i < c.support.length; i++) {
        sum[i] += c.support[i];
      }
    }
    return new ItemCounts(n, sum);
  }

  @Override
  public ItemCounts extractOutput(ItemCounts acc) {
    return acc;
  }

  @Override
  public Coder<ItemCounts> getAccumulatorCoder(CoderRegistry r, Coder<ItemCounts> in) {
    return ItemCounts.coder();
  }

  @Override
  public Coder<ItemCounts> getDefaultOutputCoder(CoderRegistry r, Coder<ItemCounts> in) {
    return ItemCounts.coder();
  }
}
