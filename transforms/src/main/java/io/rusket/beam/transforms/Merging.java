package io.rusket.beam.transforms;

import java.util.Iterator;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** The one merge loop of the CombineFns whose accumulators absorb one another in place. */
final class Merging {
  private Merging() {}

  /**
   * Adds every accumulator after the first into the first and returns it; {@code empty} when there
   * is none.
   */
  static <A> A intoFirst(Iterable<A> accumulators, Supplier<A> empty, BiConsumer<A, A> addAll) {
    Iterator<A> it = accumulators.iterator();
    if (!it.hasNext()) {
      return empty.get();
    }
    A first = it.next();
    while (it.hasNext()) {
      addAll.accept(first, it.next());
    }
    return first;
  }
}
