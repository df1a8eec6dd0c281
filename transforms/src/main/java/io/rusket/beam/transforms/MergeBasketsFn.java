package io.rusket.beam.transforms;

import java.util.Iterator;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * MineStream's step 5, "MergeBaskets": concatenates the shards' {@link PrunedBaskets} of a window
 * into the final accumulator (their facts must agree). Only the first accumulator of a merge
 * changes; the output is the accumulator itself.
 */
final class MergeBasketsFn extends CombineFn<PrunedBaskets, PrunedBaskets, PrunedBaskets> {
  private static final long serialVersionUID = 1L;

  @Override
  public PrunedBaskets createAccumulator() {
    return new PrunedBaskets();
  }

  @Override
  public PrunedBaskets addInput(PrunedBaskets acc, PrunedBaskets input) {
    acc.append(input);
    return acc;
  }

  @Override
  public PrunedBaskets mergeAccumulators(Iterable<PrunedBaskets> accs) {
    Iterator<PrunedBaskets> it = accs.iterator();
    PrunedBaskets first = it.next();
    while (it.hasNext()) {
      first.append(it.next());
    }
    return first;
  }

  @Override
  public PrunedBaskets extractOutput(PrunedBaskets acc) {
    return acc;
  }

  @Override
  public Coder<PrunedBaskets> getAccumulatorCoder(CoderRegistry r, Coder<PrunedBaskets> in) {
    return PrunedBaskets.coder();
  }

  @Override
  public Coder<PrunedBaskets> getDefaultOutputCoder(CoderRegistry r, Coder<PrunedBaskets> in) {
    return PrunedBaskets.coder();
  }
}
