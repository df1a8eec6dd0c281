package io.rusket.beam.transforms;

import java.util.Iterator;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * Accumulates the baskets of one group into a {@link GroupBaskets}; merging remaps item ids between
 * the accumulators' dictionaries. The output is canonical, so it is the same for any order and
 * sharding of the input. Made by {@link MineGrouped#groupCombineFn(KeyKind)}.
 */
public final class BasketToGroupFn extends CombineFn<Basket, GroupBaskets, GroupBaskets> {
  private final KeyKind kind;

  BasketToGroupFn(KeyKind kind) {
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  @Override
  public GroupBaskets createAccumulator() {
    return GroupBaskets.empty(kind);
  }

  @Override
  public GroupBaskets addInput(GroupBaskets accumulator, Basket basket) {
    return accumulator.add(basket);
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
  public Coder<GroupBaskets> getAccumulatorCoder(CoderRegistry registry, Coder<Basket> inputCoder) {
    return GroupBaskets.coder();
  }

  @Override
  public Coder<GroupBaskets> getDefaultOutputCoder(
      CoderRegistry registry, Coder<Basket> inputCoder) {
    return GroupBaskets.coder();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("itemKind", kind.name()).withLabel("Item keys"));
  }
}
