package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.Target;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Exact global frequent itemsets over an event log of {@code (transaction id, item id)} pairs —
 * click streams, order lines — too large to collect anywhere: the pairs are accumulated in {@link
 * FPMiner}s spread over the workers, infrequent items are pruned before anything reaches the final
 * merge, and only the frequent items' baskets, compressed, are mined on one worker.
 *
 * <p><b>Input</b>: Rows with an integer transaction field and an integer item field ({@link
 * #of(String, String)}; any of INT8, INT16, INT32, INT64, typically {@code INT64} and {@code
 * INT32}), {@code KV<Long, Integer>} pairs ({@link #ofKvs()}), or FPMiners already keyed by shard
 * ({@link #ofShardMiners()}). Item ids must lie in {@code [0, numItems)}; memory follows the
 * distinct ids seen (dense or not), so {@code numItems} is only the bound ids are checked against.
 * The pairs of one transaction may be anywhere in the input, in any order and on any worker; a
 * repeated pair counts once. N, the number of transactions, is the number of distinct transaction
 * ids.
 *
 * <p><b>Output</b>: one Row per frequent itemset, schema {@code support DOUBLE | itemsets
 * ARRAY<STRING> | count INT64 | transactions INT64} ({@link ItemsetSchema}): the item names ({@code
 * ARRAY<INT32>} item ids without {@link #withItemNames names}), ascending by item id; {@code count}
 * transactions hold the itemset, {@code transactions} is N, {@code support = count / N}. An itemset
 * is frequent iff {@code count >= ceil(minSupport × N)} (exactly as {@link
 * ItemsetMiner#thresholdCount}). The output feeds {@link AssociationRules} directly.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // events: session_id INT64 | item_id INT32
 * PCollection<Row> freq = events.apply(
 *     MineStream.of("session_id", "item_id")
 *         .withNumItems(50_000)
 *         .withMinSupport(0.01)
 *         .withMaxLen(3)
 *         .withItemNames(namesView));      // optional: PCollectionView<Map<Integer, String>>
 * PCollection<Row> rules = freq.apply(AssociationRules.create().withMetric(RuleMetric.LIFT));
 * }</pre>
 *
 * <p><b>Shape</b> (each step per window, so fixed, sliding and session windows on unbounded input
 * each get their own result, with the default trigger):
 *
 * <ol>
 *   <li>{@code ShardPairs} ({@link ShardPairsFn}): each bundle adds its pairs to one FPMiner per
 *       shard, the shard chosen by a hash of the transaction id ({@link #shardOf}), so every
 *       transaction ends up whole in one shard. For {@link #ofShardMiners()} input, {@code
 *       CheckShards} ({@link CheckShardFn}) checks the caller's keys and item bound instead.
 *   <li>{@code MergeShards}: {@code Combine.perKey} over the shard ({@link MergeMinersFn}, whose
 *       accumulator is an FPMiner): bundles' miners are merged map-side and after the shuffle. The
 *       shuffled form is the miner's compact run (delta varints, about 2 bytes per pair).
 *   <li>{@code CountItems} ({@link CountShardFn}): each shard's exact item supports and transaction
 *       count ({@link ItemCounts}), checking that each transaction belongs to its shard; {@code
 *       SumCounts} ({@link SumCountsFn}) sums them into the window's global counts and {@code
 *       ToEveryShard} ({@link BroadcastFn}) keys them by every shard.
 *   <li>{@code JoinCounts} and {@code PruneShards} ({@link PruneShardFn}): the global counts are
 *       joined back to every shard ({@code Combine.perKey} on the shard collecting the shard's
 *       miner and the counts, {@link CollectFn}, which pairs them up window by window whatever the
 *       window function); each shard drops the infrequent items, recodes the rest to frequency
 *       ranks and keeps only transactions with at least two frequent items (the single items'
 *       counts are known exactly from step 3) as varint baskets without transaction ids ({@link
 *       PrunedBaskets}).
 *   <li>{@code KeyBaskets} and {@code GatherBaskets}: a {@code Combine.perKey} on one key ({@link
 *       CollectFn}) brings the window's shard baskets (about one byte per frequent item occurrence)
 *       to one worker, as a list of the shards' values, never concatenated — not a {@code
 *       Combine.globally}, which on Spark merges on the driver and ships the result back in a task.
 *   <li>{@code MineFrequent} ({@link MineFrequentFn}): one DoFn decodes the shards' baskets one at
 *       a time into one int database and mines it with the exact threshold, emitting a Row per
 *       itemset.
 * </ol>
 *
 * <p><b>What must fit on one worker</b>: the FPMiners of one DoFn instance of step 1, within {@link
 * #withMaxRamBytes the RAM budget} over all the windows of a bundle (the largest are sent on early
 * when it is reached); the pairs of one shard as an FPMiner (compact runs that spill to local disk
 * beyond the budget) and, while pruning it, its frequent baskets; then, on the single worker of the
 * last step, the shards' pruned baskets (about one byte per frequent item occurrence in
 * transactions with two or more frequent items, at most 2 GiB per shard), decoded shard by shard
 * into one int database of exactly their size (4 bytes per occurrence and per basket), which
 * FP-Growth turns into its ranked form in place plus two ints per occurrence: about 13 bytes per
 * frequent occurrence in all, growing linearly with the frequent part of the baskets (measured at
 * 100M events of the seed's shape: 105 MB of baskets, 77M occurrences in 21M baskets, about 1 GB
 * while mining, which fits {@code -Xmx2g}). Beyond 2^31 occurrences or baskets the job fails saying
 * to raise minSupport. The itemsets are emitted one by one, never collected. Nothing of the shape
 * keeps a second copy on that worker on the Spark runner: the joins of steps 4 and 5 are {@code
 * Combine.perKey}s ({@link CollectFn}), which the runner neither caches nor merges on the driver.
 *
 * <p><b>Errors</b>: a missing or non-integer field fails at {@code expand()} naming the field and
 * the fields present; a null, or an item id outside {@code [0, numItems)}, fails the pipeline
 * naming the field, the value, the transaction and the setting to raise; an item id without a name
 * in the names view names the id; a caller-built shard miner holding a transaction of another shard
 * names the transaction and both shards.
 *
 * <p><b>Metrics</b> (namespace {@value #METRICS_NAMESPACE}): counters {@code pairs} (input pairs),
 * {@code transactions} (N per window), {@code itemsPruned} (items seen but infrequent), {@code
 * itemsetsEmitted}, {@code earlyFlushes} (step 1 miners sent on before the end of their bundle to
 * keep within the RAM budget); distributions {@code shardBytes} (each shard's encoded FPMiner),
 * {@code finalAccumulatorBytes} (the encoded final accumulator per window) and {@code
 * miningMillis}.
 *
 * <p>The CombineFns are public for reuse: {@link #combineFn(int, ItemsetMiner)} mines pairs in one
 * {@code Combine.globally} or {@code Combine.perKey} (every pair of a key reaches one worker,
 * without pruning), and {@link #mergeMinersFn(int, long)} merges FPMiners.
 *
 * <p><b>References.</b> J. Han, J. Pei, Y. Yin, "Mining Frequent Patterns without Candidate
 * Generation", SIGMOD 2000 (FP-Growth). M. J. Zaki, "Scalable Algorithms for Association Mining",
 * IEEE TKDE 12(3), 2000 (Eclat). H. Li, Y. Wang, D. Zhang, M. Zhang, E. Y. Chang, "PFP: Parallel
 * FP-Growth for Query Recommendation", RecSys 2008 (sharding by transaction, counting, then mining
 * the frequent items' projections).
 */
public final class MineStream<InputT> extends PTransform<PCollection<InputT>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  /** Default number of shards: transactions are spread over this many FPMiners. */
  public static final int DEFAULT_SHARDS = 16;

  /** Default target: every frequent itemset ({@link Target#ALL}). */
  public static final Target DEFAULT_TARGET = Target.ALL;

  /** Default method: {@link Method#AUTO}. */
  public static final Method DEFAULT_METHOD = Method.AUTO;

  /** Default RAM budget of the FPMiners of one DoFn instance, split between the shards. */
  public static final long DEFAULT_MAX_RAM_BYTES = 128L << 20;

  /** Smallest RAM budget {@link #withMaxRamBytes} accepts: 16 KiB. */
  public static final long MIN_MAX_RAM_BYTES = 16 * FPMiner.MIN_RAM_BYTES;

  /** Most shards {@link #withShards} accepts. */
  public static final int MAX_SHARDS = StreamLimits.MAX_SHARDS;

  /** Namespace of the Beam metrics. */
  public static final String METRICS_NAMESPACE = "MineStream";

  private final PairReader<InputT> reader;

  /** Required; null until set. */
  private final @Nullable Integer numItems;

  /** Required; null until set. */
  private final @Nullable Double minSupport;

  /** Null: itemsets of any length. */
  private final @Nullable Integer maxLen;

  private final Target target;

  /** Null: every itemset. */
  private final @Nullable Integer topK;

  private final int minLen;

  private final Method method;
  private final @Nullable PCollectionView<Map<Integer, String>> itemNames;
  private final int shards;
  private final long maxRamBytes;

  /** Null: each worker's {@code availableProcessors()}. */
  private final @Nullable Integer threads;

  private MineStream(Builder<InputT> b) {
    this.reader = b.reader;
    this.numItems = b.numItems;
    this.minSupport = b.minSupport;
    this.maxLen = b.maxLen;
    this.target = b.target;
    this.topK = b.topK;
    this.minLen = b.minLen;
    this.method = b.method;
    this.itemNames = b.itemNames;
    this.shards = b.shards;
    this.maxRamBytes = b.maxRamBytes;
    this.threads = b.threads;
  }

  private Builder<InputT> toBuilder() {
    return new Builder<>(this);
  }

  /** Makes copies with one setting changed: {@code toBuilder().x(v).build()}. */
  private static final class Builder<InputT> {
    private final PairReader<InputT> reader;
    private @Nullable Integer numItems;
    private @Nullable Double minSupport;
    private @Nullable Integer maxLen;
    private Target target = DEFAULT_TARGET;
    private @Nullable Integer topK;
    private int minLen = 1;
    private Method method = DEFAULT_METHOD;
    private @Nullable PCollectionView<Map<Integer, String>> itemNames;
    private int shards = DEFAULT_SHARDS;
    private long maxRamBytes = DEFAULT_MAX_RAM_BYTES;
    private @Nullable Integer threads;

    private Builder(PairReader<InputT> reader) {
      this.reader = reader;
    }

    private Builder(MineStream<InputT> t) {
      this(t.reader);
      numItems = t.numItems;
      minSupport = t.minSupport;
      maxLen = t.maxLen;
      target = t.target;
      topK = t.topK;
      minLen = t.minLen;
      method = t.method;
      itemNames = t.itemNames;
      shards = t.shards;
      maxRamBytes = t.maxRamBytes;
      threads = t.threads;
    }

    private Builder<InputT> numItems(int numItems) {
      this.numItems = numItems;
      return this;
    }

    private Builder<InputT> minSupport(double minSupport) {
      this.minSupport = minSupport;
      return this;
    }

    private Builder<InputT> maxLen(int maxLen) {
      this.maxLen = maxLen;
      return this;
    }

    private Builder<InputT> topK(@Nullable Integer topK, int minLen) {
      this.topK = topK;
      this.minLen = minLen;
      return this;
    }

    private Builder<InputT> target(Target target) {
      this.target = target;
      return this;
    }

    private Builder<InputT> method(Method method) {
      this.method = method;
      return this;
    }

    private Builder<InputT> itemNames(PCollectionView<Map<Integer, String>> itemNames) {
      this.itemNames = itemNames;
      return this;
    }

    private Builder<InputT> shards(int shards) {
      this.shards = shards;
      return this;
    }

    private Builder<InputT> maxRamBytes(long maxRamBytes) {
      this.maxRamBytes = maxRamBytes;
      return this;
    }

    private Builder<InputT> threads(int threads) {
      this.threads = threads;
      return this;
    }

    private MineStream<InputT> build() {
      return new MineStream<>(this);
    }
  }

  /**
   * Mines Rows whose {@code txnField} holds the transaction id and {@code itemField} the item id
   * (integer fields; checked at {@code expand()}).
   *
   * @throws IllegalArgumentException if a field name is null or empty, or both are the same
   */
  public static MineStream<Row> of(String txnField, String itemField) {
    if (txnField == null || txnField.isEmpty() || itemField == null || itemField.isEmpty()) {
      throw new IllegalArgumentException(
          "MineStream.of needs a transaction field and an item field, got txnField="
              + txnField
              + ", itemField="
              + itemField);
    }
    if (txnField.equals(itemField)) {
      throw new IllegalArgumentException(
          "The transaction field and the item field must differ, both are '" + txnField + "'");
    }
    return new Builder<>(new PairReader.RowPairs(txnField, itemField)).build();
  }

  /** Mines {@code KV<transaction id, item id>} pairs. */
  public static MineStream<KV<Long, Integer>> ofKvs() {
    return new Builder<>(new PairReader.KvPairs()).build();
  }

  /**
   * Mines {@code KV<shard, FPMiner>} built by the caller — for readers that fill FPMiners straight
   * from columnar batches (see {@code ArrowPairs} in the pipelines module) instead of emitting an
   * element per pair. Every pair of transaction {@code t} must be in a miner keyed {@link #shardOf
   * shardOf(t, shards)}, with {@code shards} equal to {@link #withShards}: this is checked for
   * every transaction after the miners of a shard are merged, and a transaction in the wrong shard
   * fails the pipeline naming it and both shards. The miners' item bound must equal {@link
   * #withNumItems}. Any number of miners per shard; they are merged.
   */
  public static MineStream<KV<Integer, FPMiner>> ofShardMiners() {
    return new Builder<>(new PairReader.ShardMiners()).build();
  }

  /**
   * Required: item ids lie in {@code [0, numItems)}. Only the bound ids are checked against: memory
   * follows the distinct ids seen, not this bound.
   *
   * @throws IllegalArgumentException if {@code numItems < 1}
   */
  public MineStream<InputT> withNumItems(int numItems) {
    StreamLimits.checkNumItems(numItems);
    return toBuilder().numItems(numItems).build();
  }

  /**
   * Required: the minimum support, in {@code (0, 1]}, relative to the window's N.
   *
   * @throws IllegalArgumentException if not in (0, 1]
   */
  public MineStream<InputT> withMinSupport(double minSupport) {
    ItemsetMiner.checkMinSupport(minSupport);
    return toBuilder().minSupport(minSupport).build();
  }

  /**
   * Only itemsets of at most {@code maxLen} items (by default, any length).
   *
   * @throws IllegalArgumentException if {@code maxLen < 1}
   */
  public MineStream<InputT> withMaxLen(int maxLen) {
    if (maxLen < 1) {
      throw new IllegalArgumentException(
          "Invalid maxLen: " + maxLen + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return toBuilder().maxLen(maxLen).build();
  }

  /**
   * Which global itemsets to emit: {@link Target#ALL} (default), {@link Target#CLOSED} or {@link
   * Target#MAXIMAL}, mined directly in the last step (see {@link ItemsetMiner#withTarget}); the
   * output schema is the same. Closed and maximal single items depend on the baskets with one
   * frequent item too, so the last step also holds, per frequent item, up to the threshold's number
   * of such one-item baskets.
   */
  public MineStream<InputT> withTarget(Target target) {
    if (target == null) {
      throw new IllegalArgumentException(
          "Invalid target: null. Valid values are all, closed, maximal.");
    }
    checkTopKTarget(topK, target);
    return toBuilder().target(target).build();
  }

  /**
   * Only the {@code k} global itemsets of highest count (ties: fewer items, then smaller item ids),
   * exact however a transaction's events are spread over shards: items are pruned at the k-th
   * highest item count (or the support threshold, if given and higher; with {@link #withMinLen} 2+
   * at the threshold alone), and the last step mines the complete baskets with a rising threshold
   * ({@link ItemsetMiner#withTopK}). Without {@link #withMinSupport} no support threshold applies.
   * Target {@link Target#ALL} only.
   *
   * @throws IllegalArgumentException if {@code k < 1} or the target is not ALL
   */
  public MineStream<InputT> withTopK(int k) {
    ItemsetMiner.topK(k); // validates k
    checkTopKTarget(k, target);
    return toBuilder().topK(k, minLen).build();
  }

  /**
   * Only itemsets of at least {@code minLen} items (default 1); with top-k, the k best among those.
   *
   * @throws IllegalArgumentException if {@code minLen < 1}
   */
  public MineStream<InputT> withMinLen(int minLen) {
    ItemsetMiner.minCount(1).withMinLen(minLen); // validates
    return toBuilder().topK(topK, minLen).build();
  }

  private static void checkTopKTarget(@Nullable Integer topK, Target target) {
    if (topK != null && target != Target.ALL) {
      throw new IllegalArgumentException(
          "MineStream.withTopK applies to target ALL only, not " + target);
    }
  }

  /** The mining method of the last step (default {@link Method#AUTO}). */
  public MineStream<InputT> withMethod(Method method) {
    if (method == null) {
      throw new IllegalArgumentException(
          "Invalid method: null. Valid values are auto, fpgrowth, eclat.");
    }
    return toBuilder().method(method).build();
  }

  /**
   * Item names for the output: a map view from item id to name ({@code View.asMap()} of an item
   * table). Every id in a frequent itemset must have a name. Without names, itemsets are {@code
   * ARRAY<INT32>} item ids.
   */
  public MineStream<InputT> withItemNames(PCollectionView<Map<Integer, String>> names) {
    if (names == null) {
      throw new IllegalArgumentException("the item names view must not be null");
    }
    return toBuilder().itemNames(names).build();
  }

  /**
   * Number of shards the transactions are spread over (default {@value #DEFAULT_SHARDS}): the
   * parallelism of the merge and prune steps.
   *
   * @throws IllegalArgumentException if not in {@code [1, 65536]}
   */
  public MineStream<InputT> withShards(int shards) {
    StreamLimits.checkShards(shards);
    return toBuilder().shards(shards).build();
  }

  /**
   * RAM budget of the FPMiners held by one DoFn instance (over all the windows of its bundle) or
   * one merge accumulator (default 128 MiB): beyond it a DoFn instance sends its largest miners on
   * early, and an accumulator's runs spill to local disk.
   *
   * @throws IllegalArgumentException if below {@value #MIN_MAX_RAM_BYTES} bytes
   */
  public MineStream<InputT> withMaxRamBytes(long bytes) {
    if (bytes < MIN_MAX_RAM_BYTES) {
      throw new IllegalArgumentException(
          "Invalid maxRamBytes: "
              + bytes
              + ". Valid range is ["
              + MIN_MAX_RAM_BYTES
              + ", "
              + Long.MAX_VALUE
              + "].");
    }
    return toBuilder().maxRamBytes(bytes).build();
  }

  /**
   * Threads mining the final baskets (by default each worker's {@code availableProcessors()}, read
   * on the worker). The output is the same for any thread count.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public MineStream<InputT> withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "Invalid threads: " + threads + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return toBuilder().threads(threads).build();
  }

  @Override
  public PCollection<Row> expand(PCollection<InputT> input) {
    if (numItems == null) {
      throw new IllegalStateException(
          "MineStream needs withNumItems(n): item ids must lie in [0, n)");
    }
    if (minSupport == null && topK == null) {
      throw new IllegalStateException("MineStream needs withMinSupport(s), s in (0, 1]");
    }
    int nItems = numItems;
    long perMiner = Math.max(FPMiner.MIN_RAM_BYTES, maxRamBytes / shards);
    PCollection<KV<Integer, FPMiner>> sharded;
    if (reader instanceof PairReader.ShardMiners) {
      @SuppressWarnings("unchecked")
      PCollection<KV<Integer, FPMiner>> given = (PCollection<KV<Integer, FPMiner>>) input;
      sharded = given.apply("CheckShards", ParDo.of(new CheckShardFn(nItems, shards)));
    } else {
      PairReader<InputT> bound = reader.bind(input);
      sharded =
          input.apply(
              "ShardPairs",
              ParDo.of(new ShardPairsFn<>(bound, nItems, shards, perMiner, maxRamBytes)));
    }
    sharded.setCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of(perMiner)));
    PCollection<KV<Integer, FPMiner>> shardMiners =
        sharded
            .apply("MergeShards", Combine.perKey(new MergeMinersFn(nItems, maxRamBytes)))
            .setCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of(maxRamBytes)));

    PCollection<KV<Integer, ItemCounts>> countsByShard =
        shardMiners
            .apply("CountItems", ParDo.of(new CountShardFn(shards)))
            .setCoder(ItemCounts.coder())
            .apply("SumCounts", Combine.globally(new SumCountsFn()).withoutDefaults())
            .setCoder(ItemCounts.coder())
            .apply("ToEveryShard", ParDo.of(new BroadcastFn(shards)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ItemCounts.coder()));

    // Both joins below collect a key's few, large values with Combine.perKey(CollectFn), not a
    // (Co)GroupByKey: in the global window the Spark runner caches a GroupByKey's output in memory
    // until the job ends (see CollectFn), and a Combine.globally merges on the driver and sends the
    // result back in a task (four copies of the final baskets at once).
    Coder<ShardPart> partCoder = ShardPart.coder(maxRamBytes);
    PCollection<KV<Integer, ShardPart>> miners =
        shardMiners
            .apply("MinerParts", MapElements.via(new MinerPartFn()))
            .setCoder(KvCoder.of(VarIntCoder.of(), partCoder));
    PCollection<KV<Integer, ShardPart>> counts =
        countsByShard
            .apply("CountsParts", MapElements.via(new CountsPartFn()))
            .setCoder(KvCoder.of(VarIntCoder.of(), partCoder));
    // Closed and maximal single items need their pairs' counts: baskets even for maxLen 1.
    boolean keepBaskets = maxLen == null || maxLen >= 2 || target != Target.ALL;
    PCollection<KV<Integer, List<PrunedBaskets>>> baskets =
        PCollectionList.of(miners)
            .and(counts)
            .apply("Parts", Flatten.pCollections())
            .apply("JoinCounts", Combine.perKey(new CollectFn<>(partCoder)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(partCoder)))
            .apply(
                "PruneShards",
                ParDo.of(
                    new PruneShardFn(
                        minSupport == null ? Double.NaN : minSupport, keepBaskets, topK, minLen)))
            .setCoder(PrunedBaskets.coder())
            .apply("KeyBaskets", WithKeys.of(0))
            .setCoder(KvCoder.of(VarIntCoder.of(), PrunedBaskets.coder()))
            .apply("GatherBaskets", Combine.perKey(new CollectFn<>(PrunedBaskets.coder())))
            .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(PrunedBaskets.coder())));

    Schema out = outputSchema(itemNames != null);
    MineFrequentFn fn =
        new MineFrequentFn(out, maxLen, target, method, threads, itemNames).withTopK(topK, minLen);
    ParDo.SingleOutput<KV<Integer, List<PrunedBaskets>>, Row> mine =
        itemNames == null ? ParDo.of(fn) : ParDo.of(fn).withSideInputs(itemNames);
    return baskets.apply("MineFrequent", mine).setRowSchema(out);
  }

  /** The output schema, with item names or item ids ({@link ItemsetSchema} without a group). */
  public static Schema outputSchema(boolean withNames) {
    return ItemsetSchema.of(null, withNames);
  }

  /**
   * The shard of a transaction: a 64-bit mix of its id, so neighbouring ids spread. Callers that
   * build shard miners themselves ({@link #ofShardMiners()}) must use it.
   */
  public static int shardOf(long txn, int shards) {
    long h = txn * 0x9E3779B97F4A7C15L;
    h ^= h >>> 32;
    h *= 0xD6E8FEB86659FD93L;
    h ^= h >>> 32;
    return (int) ((h >>> 1) % shards);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    reader.populateDisplayData(builder);
    builder
        .addIfNotNull(DisplayData.item("numItems", numItems).withLabel("Item ids in [0, numItems)"))
        .addIfNotNull(DisplayData.item("minSupport", minSupport).withLabel("Minimum support"))
        .addIfNotNull(DisplayData.item("maxLen", maxLen).withLabel("Maximum itemset length"))
        .add(DisplayData.item("target", target.name()).withLabel("Itemsets mined"))
        .addIfNotNull(DisplayData.item("topK", topK).withLabel("Top-k itemsets"))
        .add(DisplayData.item("minLen", minLen).withLabel("Minimum itemset length"))
        .add(DisplayData.item("method", method.name()).withLabel("Mining method"))
        .add(DisplayData.item("itemNames", itemNames != null).withLabel("Itemsets as names"))
        .add(DisplayData.item("shards", shards).withLabel("Transaction shards"))
        .add(DisplayData.item("maxRamBytes", maxRamBytes).withLabel("FPMiner RAM budget"))
        .add(
            threads != null
                ? DisplayData.item("threads", threads).withLabel("Mining threads")
                : DisplayData.item("threads", "each worker's available processors")
                    .withLabel("Mining threads"));
  }

  /**
   * A CombineFn that mines {@code KV<transaction id, item id>} pairs into {@link Itemsets} ({@link
   * PairsCombineFn}, with the default FPMiner RAM budget). For Beam pipelines that want the
   * itemsets as one value, per key or globally:
   *
   * <pre>{@code
   * PCollection<Itemsets> freq = pairs.apply(
   *     Combine.globally(MineStream.combineFn(50_000, ItemsetMiner.minSupport(0.01).withMaxLen(3))));
   * }</pre>
   */
  public static CombineFn<KV<Long, Integer>, FPMiner, Itemsets> combineFn(
      int numItems, ItemsetMiner config) {
    return new PairsCombineFn(numItems, config, FPMiner.DEFAULT_MAX_RAM_BYTES);
  }

  /**
   * The CombineFn of step 2, {@link MergeMinersFn}: merges FPMiners over item ids in {@code [0,
   * numItems)} into one, each accumulator with RAM budget {@code maxRamBytes}.
   */
  public static MergeMinersFn mergeMinersFn(int numItems, long maxRamBytes) {
    return new MergeMinersFn(numItems, maxRamBytes);
  }

  /** A shard's merged miner as a part of the join of step 4. */
  private static final class MinerPartFn
      extends SimpleFunction<KV<Integer, FPMiner>, KV<Integer, ShardPart>> {
    private static final long serialVersionUID = 1L;

    @Override
    public KV<Integer, ShardPart> apply(KV<Integer, FPMiner> kv) {
      return KV.of(kv.getKey(), ShardPart.ofMiner(kv.getValue()));
    }
  }

  /** The window's global counts, keyed by a shard, as a part of the join of step 4. */
  private static final class CountsPartFn
      extends SimpleFunction<KV<Integer, ItemCounts>, KV<Integer, ShardPart>> {
    private static final long serialVersionUID = 1L;

    @Override
    public KV<Integer, ShardPart> apply(KV<Integer, ItemCounts> kv) {
      return KV.of(kv.getKey(), ShardPart.ofCounts(kv.getValue()));
    }
  }
}
