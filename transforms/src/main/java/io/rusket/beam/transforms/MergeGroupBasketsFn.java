package io.rusket.beam.transforms;

import java.util.Iterator;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Merges partial one-hot {@link GroupBaskets} of one group (built by a reader, {@link
 * MineGroupedAccumulators}) into one, output in {@link GroupBaskets#canonical() canonical} form, as
 * {@link BasketToGroupFn} does for single baskets: the same for any order and sharding.
 */
final class MergeGroupBasketsFn extends CombineFn<GroupBaskets, GroupBaskets, GroupBaskets> {
  @Override
  public GroupBaskets createAccumulator() {
    return GroupBaskets.empty(KeyKind.INTEGER);
  }

  @Override
  public GroupBaskets addInput(GroupBaskets accumulator, GroupBaskets baskets) {
    return accumulator.addAll(baskets);
  }

  @Override
  public GroupBaskets mergeAccumulators(Iterable<GroupBaskets> accumulators) {
    Iterator<GroupBaskets> it = accumulators.iterator();
    if (!it.hasNext()) {
      return createAccumulator();
    }
    GroupBaskets first = it.next();
    while (it.hasNext()) {
      first.addAll(it.next());
    }
    return first;
  }

  @Override
  public GroupBaskets extractOutput(GroupBaskets accumulator) {
    return accumulator.canonical();
  }

  @Override
  public GroupBaskets compact(GroupBaskets accumulator) {
    return accumulator.compact();
  }

  @Override
  public Coder<GroupBaskets> getAccumulatorCoder(
      CoderRegistry registry, Coder<GroupBaskets> inputCoder) {
    return GroupBaskets.coder();
  }

  @Override
  public Coder<GroupBaskets> getDefaultOutputCoder(
      CoderRegistry registry, Coder<GroupBaskets> inputCoder) {
    return GroupBaskets.coder();
  }
}
