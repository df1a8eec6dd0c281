package io.rusket.beam.transforms;

import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * Accumulates (transaction, item) events of one group into a {@link GroupEvents}: a transaction
 * dictionary, an item dictionary and the pairs of ids; merging remaps both dictionaries. The events
 * of one transaction may be in any accumulator; transactions are assembled, and repeated pairs
 * removed, only in {@link #extractOutput}. Made by {@link MineGrouped#eventsCombineFn(KeyKind,
 * KeyKind)}.
 */
public final class EventsToGroupFn extends CombineFn<GroupEvents, GroupEvents, GroupBaskets> {
  private final KeyKind txnKind;
  private final KeyKind itemKind;

  EventsToGroupFn(KeyKind txnKind, KeyKind itemKind) {
    this.txnKind = Objects.requireNonNull(txnKind, "txnKind");
    this.itemKind = Objects.requireNonNull(itemKind, "itemKind");
  }

  @Override
  public GroupEvents createAccumulator() {
    return GroupEvents.empty(txnKind, itemKind);
  }

  @Override
  public GroupEvents addInput(GroupEvents accumulator, GroupEvents events) {
    return accumulator.addAll(events);
  }

  @Override
  public GroupEvents mergeAccumulators(Iterable<GroupEvents> accumulators) {
    return Merging.intoFirst(accumulators, this::createAccumulator, GroupEvents::addAll);
  }

  @Override
  public GroupBaskets extractOutput(GroupEvents accumulator) {
    return accumulator.toBaskets();
  }

  @Override
  public GroupEvents compact(GroupEvents accumulator) {
    return accumulator.compact();
  }

  @Override
  public Coder<GroupEvents> getAccumulatorCoder(
      CoderRegistry registry, Coder<GroupEvents> inputCoder) {
    return GroupEvents.coder();
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
        .add(DisplayData.item("itemKind", itemKind.name()).withLabel("Item keys"));
  }
}
