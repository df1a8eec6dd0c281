package io.rusket.beam.transforms;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Merges the per-bundle {@link SequenceEvents} of one group into one ({@link MineSequences}'
 * "AccumulateGroups"). The accumulator is a SequenceEvents; the first is mutated, the others left
 * unchanged; the empty accumulator (no events) is the identity.
 */
public final class MergeSequenceEventsFn
    extends Combine.CombineFn<SequenceEvents, SequenceEvents, SequenceEvents> {
  private static final long serialVersionUID = 1L;

  private final KeyKind seqKind;
  private final KeyKind itemKind;

  /** Merges accumulators of sequence and item keys of these kinds. */
  public MergeSequenceEventsFn(KeyKind seqKind, KeyKind itemKind) {
    this.seqKind = seqKind;
    this.itemKind = itemKind;
  }

  @Override
  public SequenceEvents createAccumulator() {
    return SequenceEvents.empty(seqKind, itemKind);
  }

  @Override
  public SequenceEvents addInput(SequenceEvents acc, SequenceEvents input) {
    return acc.addAll(input);
  }

  @Override
  public SequenceEvents mergeAccumulators(Iterable<SequenceEvents> accumulators) {
    SequenceEvents out = null;
    for (SequenceEvents a : accumulators) {
      if (out == null) {
        out = a;
      } else {
        out.addAll(a);
      }
    }
    return out == null ? createAccumulator() : out;
  }

  @Override
  public SequenceEvents extractOutput(SequenceEvents acc) {
    return acc;
  }

  @Override
  public SequenceEvents compact(SequenceEvents acc) {
    return acc.trim();
  }

  @Override
  public Coder<SequenceEvents> getAccumulatorCoder(
      CoderRegistry registry, Coder<SequenceEvents> inputCoder) {
    return SequenceEvents.coder();
  }

  @Override
  public Coder<SequenceEvents> getDefaultOutputCoder(
      CoderRegistry registry, Coder<SequenceEvents> inputCoder) {
    return SequenceEvents.coder();
  }
}
