package io.rusket.beam.transforms;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * MineStream's step 3, "SumCounts": the shards' {@link ItemCounts} summed into the window's global
 * counts (N and supports add up because every transaction is whole in one shard), by merging their
 * ascending id lists.
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
    ItemCounts sum = ItemCounts.empty();
    for (ItemCounts c : accs) {
      sum = add(sum, c);
    }
    return sum;
  }

  /** {@code a + b}: N added, the ascending id lists merged, supports of a shared id added. */
  static ItemCounts add(ItemCounts a, ItemCounts b) {
    if (b.ids.length == 0 && b.n == 0) {
      return a;
    }
    int[] ids = new int[a.ids.length + b.ids.length];
    long[] support = new long[ids.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.ids.length || j < b.ids.length) {
      int x = i < a.ids.length ? a.ids[i] : Integer.MAX_VALUE;
      int y = j < b.ids.length ? b.ids[j] : Integer.MAX_VALUE;
      if (i < a.ids.length && (j == b.ids.length || x < y)) {
        ids[k] = x;
        support[k++] = a.support[i++];
      } else if (j < b.ids.length && (i == a.ids.length || y < x)) {
        ids[k] = y;
        support[k++] = b.support[j++];
      } else {
        ids[k] = x;
        support[k++] = a.support[i++] + b.support[j++];
      }
    }
    return new ItemCounts(
        a.n + b.n,
        k == ids.length ? ids : Arrays.copyOf(ids, k),
        k == ids.length ? support : Arrays.copyOf(support, k));
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
