package io.rusket.beam.transforms;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.Target;
import io.rusket.beam.miner.TransactionDb;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  private final Target target;
  private final Method method;
  private final @Nullable Integer threads;
  private final @Nullable PCollectionView<Map<Integer, String>> namesView;
  private transient int workerThreads;

  /** Top-k: the number of itemsets, or null for all; and the least length. */
  private @Nullable Integer topK;

  private int minLen = 1;

  /** Sets top-k (null: every itemset) and the minimum length; returns this DoFn. */
  MineFrequentFn withTopK(@Nullable Integer topK, int minLen) {
    this.topK = topK;
    this.minLen = minLen;
    return this;
  }

  MineFrequentFn(
      Schema outSchema,
      @Nullable Integer maxLen,
      Target target,
      Method method,
      @Nullable Integer threads,
      @Nullable PCollectionView<Map<Integer, String>> namesView) {
    this.outSchema = outSchema;
    this.maxLen = maxLen;
    this.target = target;
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

  /**
   * Whether the baskets are needed: for itemsets of two or more items, and for the closed and
   * maximal targets (a single item is closed or maximal depending on its supersets).
   */
  private boolean keepBaskets() {
    return maxLen == null || maxLen >= 2 || target != Target.ALL;
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
    // Closed and maximal (not top-k): stand-ins for the one-frequent-item transactions follow the
    // baskets, so that single items are judged exactly too.
    boolean condensed = topK == null && target != Target.ALL;
    TransactionDb db = null;
    if (keepBaskets() && (nBaskets > 0 || condensed)) {
      long[] missing = condensed ? PrunedBaskets.singleStandIns(b, shards) : null;
      long extra = 0;
      if (missing != null) {
        for (long m : missing) {
          extra += m;
        }
      }
      PrunedBaskets.CsrBuilder csr =
          new PrunedBaskets.CsrBuilder(b, nBaskets + extra, nEntries + extra);
      for (PrunedBaskets shard : shards) {
        csr.add(shard);
      }
      if (missing != null) {
        csr.addSingles(missing);
      }
      db = csr.build();
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
    if (topK != null) {
      emitted += mineTopK(c, b, db, values);
      itemsetsEmitted.inc(emitted);
      miningMillis.update((System.nanoTime() - start) / 1_000_000);
      return;
    }
    if (target != Target.ALL) {
      emitted += mineCondensed(c, b, Objects.requireNonNull(db), values, names);
      itemsetsEmitted.inc(emitted);
      miningMillis.update((System.nanoTime() - start) / 1_000_000);
      return;
    }
    for (long key : byId) {
      int r = (int) key;
      long count = b.rankSupport[r];
      c.output(Row.withSchema(outSchema).attachValues(count / nd, List.of(values[r]), count, n));
      emitted++;
    }
    if (f >= 2 && db != null && nBaskets > 0) {
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
          db,
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

  /**
   * Top-k over the whole window, exact: single items from the global counts, longer itemsets from
   * the baskets (their counts are exact there). A first run of the miner's top-k gives the k-th
   * count c over both; a second collects every itemset reaching c, and the k best by count, then
   * length, then item ids (not ranks) are emitted, best first.
   */
  private long mineTopK(
      ProcessContext c, PrunedBaskets b, @Nullable TransactionDb db, Object[] values) {
    final int k = topK;
    final int longMin = Math.max(2, minLen);
    final int f = b.rankToItem.length;
    boolean longer = f >= 2 && (maxLen == null || maxLen >= longMin) && db != null && db.size() > 0;
    ItemsetMiner base =
        ItemsetMiner.minCount(b.minCount)
            .withMethod(method)
            .withThreads(workerThreads)
            .withMinLen(longMin);
    if (maxLen != null) {
      base = base.withMaxLen(Math.max(maxLen, longMin));
    }
    Itemsets firstK = longer ? base.withTopK(k).mine(db) : null;
    // The k-th count over the single items (exact, from the global counts) and the longer k best.
    long[] best = new long[(minLen <= 1 ? f : 0) + (firstK == null ? 0 : firstK.size())];
    int nBest = 0;
    if (minLen <= 1) {
      for (int r = 0; r < f; r++) {
        best[nBest++] = b.rankSupport[r];
      }
    }
    if (firstK != null) {
      for (int i = 0; i < firstK.size(); i++) {
        best[nBest++] = firstK.count(i);
      }
    }
    Arrays.sort(best);
    long kth = nBest >= k ? best[nBest - k] : b.minCount;
    // Every itemset reaching the k-th count.
    List<Candidate> candidates = new ArrayList<>();
    if (minLen <= 1) {
      for (int r = 0; r < f; r++) {
        if (b.rankSupport[r] >= kth) {
          candidates.add(new Candidate(new long[] {idRank(b, r)}, b.rankSupport[r]));
        }
      }
    }
    if (longer) {
      ItemsetMiner all = ItemsetMiner.minCount(Math.max(kth, 1)).withMethod(method);
      all = all.withThreads(workerThreads).withMinLen(longMin);
      if (maxLen != null) {
        all = all.withMaxLen(Math.max(maxLen, longMin));
      }
      all.mineConsuming(
          db,
          (items, len, count) -> {
            long[] idRanks = new long[len];
            for (int q = 0; q < len; q++) {
              idRanks[q] = idRank(b, items[q]);
            }
            Arrays.sort(idRanks);
            candidates.add(new Candidate(idRanks, count));
          });
    }
    candidates.sort(Candidate.BEST_FIRST);
    final Long n = b.n;
    final double nd = b.n;
    long emitted = 0;
    for (int i = 0; i < candidates.size() && emitted < k; i++) {
      Candidate cand = candidates.get(i);
      long[] idRanks = cand.idRanks();
      if (maxLen != null && idRanks.length > maxLen) {
        continue;
      }
      Object[] itemset = new Object[idRanks.length];
      for (int q = 0; q < idRanks.length; q++) {
        itemset[q] = values[(int) idRanks[q]]; // the low half is the rank
      }
      long count = cand.count();
      c.output(
          Row.withSchema(outSchema).attachValues(count / nd, Arrays.asList(itemset), count, n));
      emitted++;
    }
    return emitted;
  }

  /** Rank {@code r}'s item id and the rank packed in one long: ordered by item id (ids >= 0). */
  private static long idRank(PrunedBaskets b, int r) {
    return ((long) b.rankToItem[r] << 32) | r;
  }

  /**
   * A top-k candidate: its items as {@link #idRank} values ascending (so by item id) and its count.
   */
  private record Candidate(long[] idRanks, long count) {
    /** Count descending, then fewer items, then item ids ascending: the documented tie-break. */
    static final Comparator<Candidate> BEST_FIRST =
        (x, y) -> {
          int cmp = Long.compare(y.count, x.count);
          if (cmp != 0) {
            return cmp;
          }
          if (x.idRanks.length != y.idRanks.length) {
            return Integer.compare(x.idRanks.length, y.idRanks.length);
          }
          return Arrays.compare(x.idRanks, y.idRanks);
        };
  }

  /**
   * Closed and maximal targets: mines the baskets with stand-ins for the one-frequent-item
   * transactions ({@link PrunedBaskets#singleStandIns}), so single items are judged exactly too;
   * their counts come from the global counts.
   */
  private long mineCondensed(
      ProcessContext c,
      PrunedBaskets b,
      TransactionDb db,
      Object[] values,
      @Nullable Map<Integer, String> names) {
    ItemsetMiner miner =
        ItemsetMiner.minCount(b.minCount)
            .withMethod(method)
            .withThreads(workerThreads)
            .withTarget(target);
    if (maxLen != null) {
      miner = miner.withMaxLen(maxLen);
    }
    final Long n = b.n;
    final double nd = b.n;
    int[] ids = new int[Math.max(1, b.rankToItem.length)];
    return miner.mineConsuming(
        db,
        (items, len, count) -> {
          if (len == 1) {
            long exact = b.rankSupport[items[0]];
            c.output(
                Row.withSchema(outSchema)
                    .attachValues(exact / nd, List.of(values[items[0]]), exact, n));
            return;
          }
          for (int k = 0; k < len; k++) {
            ids[k] = b.rankToItem[items[k]];
          }
          Arrays.sort(ids, 0, len);
          Object[] itemset = new Object[len];
          for (int k = 0; k < len; k++) {
            itemset[k] = names != null ? names.get(ids[k]) : (Object) ids[k];
          }
          c.output(
              Row.withSchema(outSchema).attachValues(count / nd, Arrays.asList(itemset), count, n));
        });
  }
}
