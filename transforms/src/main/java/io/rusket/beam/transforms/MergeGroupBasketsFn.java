package io.rusket.beam.transforms;

/**
 * Merges partial one-hot {@link GroupBaskets} of one group (built by a reader, {@link
 * MineGroupedAccumulators}) into one, output in {@link GroupBaskets#canonical() canonical} form, as
 * {@link BasketToGroupFn} does for single baskets: the same for any order and sharding.
 */
final class MergeGroupBasketsFn extends GroupBasketsCombineFn<GroupBaskets> {
  MergeGroupBasketsFn() {
    super(KeyKind.INTEGER);
  }

  @Override
  public GroupBaskets addInput(GroupBaskets accumulator, GroupBaskets baskets) {
    return accumulator.addAll(baskets);
  }
}
