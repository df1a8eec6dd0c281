package io.rusket.beam.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Collects the values of a key into a list, by reference (nothing is copied): a {@code GroupByKey}
 * for values that are few and large (MineStream's shard miners with their counts, a window's shard
 * baskets). As {@code Combine.perKey} it runs on the Spark runner as a {@code combineByKey}, whose
 * map is spillable and whose output is not kept; the Spark runner's {@code GroupByKey} in the
 * global window collects each key's values in a list too, but then caches the result in memory
 * until the job ends ({@code GroupNonMergingWindowsFunctions.groupByKeyInGlobalWindow}, Beam 2.62),
 * which at 100M events kept two copies of every shard on the worker that mines.
 *
 * <p>The list's order is not defined; callers must not depend on it.
 */
final class CollectFn<T> extends CombineFn<T, List<T>, List<T>> {
  private static final long serialVersionUID = 1L;
  private final Coder<T> valueCoder;

  CollectFn(Coder<T> valueCoder) {
    this.valueCoder = valueCoder;
  }

  @Override
  public List<T> createAccumulator() {
    return new ArrayList<>(2);
  }

  @Override
  public List<T> addInput(List<T> acc, T input) {
    acc.add(input);
    return acc;
  }

  @Override
  public List<T> mergeAccumulators(Iterable<List<T>> accs) {
    List<T> out = new ArrayList<>();
    for (List<T> a : accs) {
      out.addAll(a);
    }
    return out;
  }

  @Override
  public List<T> extractOutput(List<T> acc) {
    return acc;
  }

  @Override
  public Coder<List<T>> getAccumulatorCoder(CoderRegistry r, Coder<T> in) {
    return ListCoder.of(valueCoder);
  }

  @Override
  public Coder<List<T>> getDefaultOutputCoder(CoderRegistry r, Coder<T> in) {
    return ListCoder.of(valueCoder);
  }
}
