package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.values.KV;

/**
 * A CombineFn that mines {@code KV<transaction id, item id>} pairs: the accumulator is an FPMiner,
 * the output the frequent itemsets of everything combined (item ids, N = distinct transaction ids).
 * Exact for any split of the pairs between accumulators; no pruning: every pair of a key reaches
 * the worker that extracts the output, as compact runs. Usually made by {@link
 * MineStream#combineFn(int, ItemsetMiner)}.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<Itemsets> freq = pairs.apply(
 *     Combine.globally(new PairsCombineFn(50_000, ItemsetMiner.minSupport(0.01), 64L << 20)));
 * }</pre>
 *
 * <p>Threads: a thread count set on the configuration with {@link ItemsetMiner#withThreads} is used
 * as it is; the default (all cores of the JVM that built the configuration) means all cores of the
 * worker that extracts the output, decided there.
 */
public final class PairsCombineFn extends MinerAccumulatorFn<KV<Long, Integer>, Itemsets> {
  private static final long serialVersionUID = 1L;
  private final ItemsetMinerConfig config;

  /**
   * Pairs with item ids in {@code [0, numItems)}, mined with {@code config}, each accumulator with
   * RAM budget {@code maxRamBytes}.
   *
   * @throws IllegalArgumentException for a null config, {@code numItems < 0} or a budget below
   *     {@link FPMiner#MIN_RAM_BYTES}
   */
  public PairsCombineFn(int numItems, ItemsetMiner config, long maxRamBytes) {
    super(numItems, maxRamBytes);
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = ItemsetMinerConfig.of(config);
  }

  /** The configuration shipped to workers (for tests). */
  ItemsetMinerConfig config() {
    return config;
  }

  @Override
  public FPMiner addInput(FPMiner acc, KV<Long, Integer> pair) {
    Long txn = pair.getKey();
    Integer item = pair.getValue();
    if (txn == null || item == null) {
      throw new IllegalArgumentException(
          "Null " + (txn == null ? "transaction" : "item") + " id in pair " + pair);
    }
    acc.add(txn, item);
    return acc;
  }

  @Override
  public Itemsets extractOutput(FPMiner acc) {
    return acc.mine(config.get());
  }

  @Override
  public Coder<Itemsets> getDefaultOutputCoder(
      CoderRegistry registry, Coder<KV<Long, Integer>> input) {
    return ItemsetsCoder.of();
  }
}
