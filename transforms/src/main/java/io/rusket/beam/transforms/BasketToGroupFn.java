package io.rusket.beam.transforms;

/**
 * Accumulates the baskets of one group into a {@link GroupBaskets}; merging remaps item ids between
 * the accumulators' dictionaries. The output is canonical, so it is the same for any order and
 * sharding of the input. Made by {@link MineGrouped#groupCombineFn(KeyKind)}.
 */
public final class BasketToGroupFn extends GroupBasketsCombineFn<Basket> {
  BasketToGroupFn(KeyKind kind) {
    super(kind);
  }

  @Override
  public GroupBaskets addInput(GroupBaskets accumulator, Basket basket) {
    return accumulator.add(basket);
  }
}
