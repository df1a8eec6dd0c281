package io.rusket.beam.transforms;

import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * Accumulates (transaction, item, utility) events of one group into a {@link UtilityEvents};
 * merging remaps both dictionaries. Inputs are partial {@link UtilityEvents} of the group (as many
 * as wanted, down to one per event); the output is the group's events, trimmed, from which {@link
 * UtilityEvents#toDb()} builds the database (repeats summed). Made by {@link
 * MineUtility#combineFn(KeyKind, KeyKind)}.
 */
public final class UtilityEventsFn extends CombineFn<UtilityEvents, UtilityEvents, UtilityEvents> {
  private final KeyKind txnKind;
  private final KeyKind itemKind;

  UtilityEventsFn(KeyKind txnKind, KeyKind itemKind) {
    this.txnKind = Objects.requireNonNull(txnKind, "txnKind");
    this.itemKind = Objects.requireNonNull(itemKind, "itemKind");
  }

  @Override
  public UtilityEvents createAccumulator() {
    return UtilityEvents.empty(txnKind, itemKind);
  }

  @Override
  public UtilityEvents addInput(UtilityEvents accumulator, UtilityEvents events) {
    return accumulator.addAll(events);
  }

  @Override
  public UtilityEvents mergeAccumulators(Iterable<UtilityEvents> accumulators) {
    return Merging.intoFirst(accumulators, this::createAccumulator, UtilityEvents::addAll);
  }

  /** A trimmed copy: the accumulator stays usable. */
  @Override
  public UtilityEvents extractOutput(UtilityEvents accumulator) {
    return accumulator.copy();
  }

  @Override
  public UtilityEvents compact(UtilityEvents accumulator) {
    return accumulator.trim();
  }

  @Override
  public Coder<UtilityEvents> getAccumulatorCoder(
      CoderRegistry registry, Coder<UtilityEvents> inputCoder) {
    return UtilityEvents.coder();
  }

  @Override
  public Coder<UtilityEvents> getDefaultOutputCoder(
      CoderRegistry registry, Coder<UtilityEvents> inputCoder) {
    return UtilityEvents.coder();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("transactionKind", txnKind.name()).withLabel("Transaction keys"))
        .add(DisplayData.item("itemKind", itemKind.name()).withLabel("Item keys"));
  }
}
