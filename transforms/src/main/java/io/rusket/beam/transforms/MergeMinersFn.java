package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;

/**
 * Merges {@link FPMiner}s (all over the same item bound) into one: the accumulator is an FPMiner,
 * the output the merged, compacted miner — MineStream's step 2, "MergeShards", public for reuse.
 * Only the first accumulator is changed by a merge and inputs are never changed; the output is the
 * accumulator itself, so extracting it twice gives the same miner. Accumulators are shuffled as the
 * miner's compact run ({@link FPMinerCoder}).
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<KV<Integer, FPMiner>> merged =
 *     minersByShard.apply(Combine.perKey(MineStream.mergeMinersFn(50_000, 64L << 20)));
 * }</pre>
 *
 * <p>Memory: a merged miner keeps at most {@code maxRamBytes} of runs on the heap and spills the
 * rest to local disk; all the pairs of a key end on one worker, as compact runs.
 */
public final class MergeMinersFn extends MinerAccumulatorFn<FPMiner, FPMiner> {
  private static final long serialVersionUID = 1L;

  /**
   * Miners over item ids in {@code [0, numItems)}, each accumulator with RAM budget {@code
   * maxRamBytes}.
   *
   * @throws IllegalArgumentException if {@code numItems < 0} or {@code maxRamBytes} is below {@link
   *     FPMiner#MIN_RAM_BYTES}
   */
  public MergeMinersFn(int numItems, long maxRamBytes) {
    super(numItems, maxRamBytes);
  }

  @Override
  public FPMiner addInput(FPMiner acc, FPMiner input) {
    acc.merge(input);
    return acc;
  }

  @Override
  public FPMiner extractOutput(FPMiner acc) {
    acc.compact();
    return acc;
  }

  @Override
  public Coder<FPMiner> getDefaultOutputCoder(CoderRegistry registry, Coder<FPMiner> input) {
    return FPMinerCoder.of(maxRamBytes);
  }
}
