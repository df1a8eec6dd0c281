package io.rusket.beam.transforms;

import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * The shared part of the CombineFns into one group's {@link GroupBaskets}: an empty accumulator of
 * the item kind, merging (which remaps item ids between the accumulators' dictionaries), a {@link
 * GroupBaskets#canonical() canonical} output — the same for any order and sharding of the input —
 * and the coders. Subclasses say only how an input is added.
 */
abstract class GroupBasketsCombineFn<InputT> extends CombineFn<InputT, GroupBaskets, GroupBaskets> {
  private final KeyKind kind;

  GroupBasketsCombineFn(KeyKind kind) {
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  @Override
  public final GroupBaskets createAccumulator() {
    return GroupBaskets.empty(kind);
  }

  @Override
  public final GroupBaskets mergeAccumulators(Iterable<GroupBaskets> accumulators) {
    return Merging.intoFirst(accumulators, this::createAccumulator, GroupBaskets::addAll);
  }

  @Override
  public final GroupBaskets extractOutput(GroupBaskets accumulator) {
    return accumulator.canonical();
  }

  @Override
  public final GroupBaskets compact(GroupBaskets accumulator) {
    return accumulator.compact();
  }

  @Override
  public final Coder<GroupBaskets> getAccumulatorCoder(
      CoderRegistry registry, Coder<InputT> inputCoder) {
    return GroupBaskets.coder();
  }

  @Override
  public final Coder<GroupBaskets> getDefaultOutputCoder(
      CoderRegistry registry, Coder<InputT> inputCoder) {
    return GroupBaskets.coder();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("itemKind", kind.name()).withLabel("Item keys"));
  }
}
