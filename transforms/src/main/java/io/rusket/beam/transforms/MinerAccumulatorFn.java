package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import java.util.Iterator;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * The CombineFn side shared by {@link MergeMinersFn} and {@link PairsCombineFn}: an FPMiner
 * accumulator over item ids in {@code [0, numItems)} with a RAM budget; merging changes only the
 * first accumulator; compacting puts its pairs in one run (what the coder writes).
 */
abstract class MinerAccumulatorFn<InputT, OutputT> extends CombineFn<InputT, FPMiner, OutputT> {
  private static final long serialVersionUID = 1L;
  final int numItems;
  final long maxRamBytes;

  MinerAccumulatorFn(int numItems, long maxRamBytes) {
    if (numItems < 0) {
      throw new IllegalArgumentException(
          "Invalid numItems: " + numItems + ". Valid range is [0, " + Integer.MAX_VALUE + "].");
    }
    if (maxRamBytes < FPMiner.MIN_RAM_BYTES) {
      throw new IllegalArgumentException(
          "Invalid maxRamBytes: "
              + maxRamBytes
              + ". Valid range is ["
              + FPMiner.MIN_RAM_BYTES
              + ", "
              + Long.MAX_VALUE
              + "].");
    }
    this.numItems = numItems;
    this.maxRamBytes = maxRamBytes;
  }

  @Override
  public FPMiner createAccumulator() {
    return new FPMiner(numItems).withMaxRamBytes(maxRamBytes);
  }

  @Override
  public FPMiner mergeAccumulators(Iterable<FPMiner> accumulators) {
    Iterator<FPMiner> it = accumulators.iterator();
    FPMiner first = it.next();
    while (it.hasNext()) {
      first.merge(it.next());
    }
    return first;
  }

  @Override
  public FPMiner compact(FPMiner acc) {
    acc.compact();
    return acc;
  }

  @Override
  public Coder<FPMiner> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> input) {
    return FPMinerCoder.of(maxRamBytes);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("numItems", numItems).withLabel("Item ids in [0, numItems)"))
        .add(DisplayData.item("maxRamBytes", maxRamBytes).withLabel("FPMiner RAM budget"));
  }
}
