package io.rusket.beam.transforms;

import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * Accumulates the partial {@link GroupEvents} a reader made for one group ({@link
 * MineGroupedAccumulators}) as encoded parts ({@link GroupEventParts}): an input is encoded once,
 * merges concatenate lists of parts, and the group's baskets are built only in {@link
 * #extractOutput}, with the same result as {@link EventsToGroupFn} for the same events. So what the
 * runner's combine holds for every group of a partition is about the encoded size of the events (on
 * Spark, in the map side's sorter and the reduce side's map), not merged, growing arrays with their
 * lookup tables.
 */
final class EventPartsToGroupFn extends CombineFn<GroupEvents, GroupEventParts, GroupBaskets> {
  private final KeyKind txnKind;
  private final KeyKind itemKind;

  EventPartsToGroupFn(KeyKind txnKind, KeyKind itemKind) {
    this.txnKind = Objects.requireNonNull(txnKind, "txnKind");
    this.itemKind = Objects.requireNonNull(itemKind, "itemKind");
  }

  @Override
  public GroupEventParts createAccumulator() {
    return GroupEventParts.empty(txnKind, itemKind);
  }

  @Override
  public GroupEventParts addInput(GroupEventParts accumulator, GroupEvents events) {
    return accumulator.add(events);
  }

  @Override
  public GroupEventParts mergeAccumulators(Iterable<GroupEventParts> accumulators) {
    return Merging.intoFirst(accumulators, this::createAccumulator, GroupEventParts::addAll);
  }

  @Override
  public GroupBaskets extractOutput(GroupEventParts accumulator) {
    return accumulator.toBaskets();
  }

  @Override
  public Coder<GroupEventParts> getAccumulatorCoder(
      CoderRegistry registry, Coder<GroupEvents> inputCoder) {
    return GroupEventParts.coder();
  }

  @Override
  public Coder<GroupBaskets> getDefaultOutputCoder(
      CoderRegistry registry, Coder<GroupEvents> inputCoder) {
    return GroupBaskets.coder();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("transactionKind", txnKind.name()).withLabel("Transaction keys"))
        .add(DisplayData.item("itemKind", itemKind.name()).withLabel("Item keys"))
        .add(
            DisplayData.item("accumulator", "encoded parts")
                .withLabel("Accumulator (merged at the end)"));
  }
}
