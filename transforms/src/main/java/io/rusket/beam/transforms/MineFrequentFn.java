package io.rusket.beam.transforms;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * MineStream's step 6, "MineFrequent": mines a window's {@link PrunedBaskets}, one per shard as
 * grouped by step 5, with the exact threshold and emits one Row per frequent itemset, as it is
 * found. The shards' baskets are decoded one at a time, as the grouped values are iterated (on
 * Spark, straight from the shuffle), into one database over the ranks ({@link
 * PrunedBaskets.CsrBuilder}), which the miner then works in. Single items take their exact counts
 * from the global counts; longer itemsets are mined from the baskets of two or more frequent items.
 * The thread count is decided on the worker, in {@code @Setup}: the one set with {@code
 * MineStream.withThreads}, else the worker's {@code availableProcessors()}.
 */
final class MineFrequentFn extends DoFn<KV<Integer, List<PrunedBaskets>>, Row> {
  private static final long serialVersionUID = 1L;
  private final Counter transactions =
      Metrics.counter(MineStream.METRICS_NAMESPACE, "transactions");
  private final Counter itemsPruned = Metrics.counter(MineStream.METRICS_NAMESPACE, "itemsPruned");
  private final Counter itemsetsEmitted =
      Metrics.counter(MineStream.METRICS_NAMESPACE, "itemsetsEmitted");
  private final Distribution finalBytes =
      Metrics.distribution(MineStream.METRICS_NAMESPACE, "finalAccumulatorBytes");
  private final Distribution miningMillis =
      Metrics.distribution(MineStream.METRICS_NAMESPACE, "miningMillis");

  private final Schema outSchema;
  private final @Nullable Integer maxLen;
  private final Method method;
  private final @Nullable Integer threads;
  private final @Nullable PCollectionView<Map<Integer, String>> namesView;
  private transient int workerThreads;

  MineFrequentFn(
      Schema outSchema,
      @Nullable Integer maxLen,
      Method method,
      @Nullable Integer threads,
      @Nullable PCollectionView<Map<Integer, String>> namesView) {
    this.outSchema = outSchema;
    this.maxLen = maxLen;
    this.method = method;
    this.threads = threads;
    this.namesView = namesView;
  }

  @Setup
  public void setup() {
    workerThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** The thread count used on this worker (after {@code @Setup}). */
  int workerThreads() {
    return workerThreads;
  }

  /** Whether itemsets of two or more items are mined (else the baskets are not needed). */
  private boolean keepBaskets() {
    return maxLen == null || maxLen >= 2;
  }

  @ProcessElement
  public void processElement(ProcessContext c) {
    // The facts come with every shard's value; the baskets are decoded shard by shard into arrays
    // of the exact size, counted first.
    List<PrunedBaskets> shards = c.element().getValue();
    PrunedBaskets b = null;
    long bytes = 0;
    long nBaskets = 0;
    long nEntries = 0;
    long start = System.nanoTime();
    for (PrunedBaskets shard : shards) {
      if (shard.isEmpty()) {
        continue;
      }
      if (b == null) {
        b = shard.withoutBaskets();
      }
      b.checkSameFacts(shard);
      bytes += shard.encodedSize();
      nBaskets += shard.nBaskets;
      nEntries += shard.nEntries;
    }
    if (b == null) {
      return;
    }
    PrunedBaskets.CsrBuilder csr = null;
    if (keepBaskets() && nBaskets > 0) {
      csr = new PrunedBaskets.CsrBuilder(b, nBaskets, nEntries);
      for (PrunedBaskets shard : shards) {
        csr.add(shard);
      }
    }
    finalBytes.update(bytes);
    transactions.inc(b.n);
    itemsPruned.inc(b.pruned);
    Map<Integer, String> names = namesView == null ? null : c.sideInput(namesView);
    int f = b.rankToItem.length;
    Object[] values = new Object[f];
    for (int r = 0; r < f; r++) {
      int id = b.rankToItem[r];
      if (names != null) {
        String name = names.get(id);
        if (name == null) {
          throw new IllegalArgumentException(
              "MineStream: frequent item id " + id + " has no name in the item names view");
        }
        values[r] = name;
      } else {
        values[r] = id;
      }
    }
    final Long n = b.n;
    final double nd = b.n;
    long emitted = 0;
    // Single items: exact supports from the global counts, in ascending item id order (ids are
    // distinct and non-negative: sort (id, rank) packed in one long).
    long[] byId = new long[f];
    for (int r = 0; r < f; r++) {
      byId[r] = ((long) b.rankToItem[r] << 32) | r;
    }
    Arrays.sort(byId);
    for (long key : byId) {
      int r = (int) key;
      long count = b.rankSupport[r];
      c.output(Row.withSchema(outSchema).attachValues(count / nd, List.of(values[r]), count, n));
      emitted++;
    }
    if (f >= 2 && csr != null) {
      ItemsetMiner miner =
          ItemsetMiner.minCount(b.minCount).withMethod(method).withThreads(workerThreads);
      if (maxLen != null) {
        miner = miner.withMaxLen(maxLen);
      }
      long[] more = new long[1];
      int[] ids = new int[f];
      // The database is built for this one run: the miner may work in its arrays (one copy of
      // the frequent baskets less in memory).
      int[] rankToItem = b.rankToItem;
      miner.mineConsuming(
          csr.build(),
          (items, len, count) -> {
            if (len < 2) {
              return; // counted within baskets of 2+ items only; exact counts above
            }
            for (int k = 0; k < len; k++) {
              ids[k] = rankToItem[items[k]];
            }
            Arrays.sort(ids, 0, len);
            Object[] itemset = new Object[len];
            for (int k = 0; k < len; k++) {
              itemset[k] = names != null ? names.get(ids[k]) : (Object) ids[k];
            }
            c.output(
                Row.withSchema(outSchema)
                    .attachValues(count / nd, Arrays.asList(itemset), count, n));
            more[0]++;
          });
      emitted += more[0];
    }
    itemsetsEmitted.inc(emitted);
    miningMillis.update((System.nanoTime() - start) / 1_000_000);
  }
}
