package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.TransactionDb;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Exact global frequent itemsets over an event log of {@code (transaction id, item id)} pairs —
 * click streams, order lines — too large to collect anywhere: the pairs are accumulated in {@link
 * FPMiner}s spread over the workers, infrequent items are pruned before anything reaches the final
 * merge, and only the frequent items' baskets, compressed, are mined on one worker.
 *
 * <p><b>Input</b>: Rows with an integer transaction field and an integer item field ({@link
 * #of(String, String)}; any of INT8, INT16, INT32, INT64, typically {@code INT64} and {@code
 * INT32}), or {@code KV<Long, Integer>} pairs ({@link #ofKvs()}). Item ids must lie in {@code [0,
 * numItems)}. The pairs of one transaction may be anywhere in the input, in any order and on any
 * worker; a repeated pair counts once. N, the number of transactions, is the number of distinct
 * transaction ids.
 *
 * <p><b>Output</b>: one Row per frequent itemset, schema {@code support DOUBLE | itemsets
 * ARRAY<STRING> | count INT64 | transactions INT64}: the item names ({@code ARRAY<INT32>} item ids
 * without {@link #withItemNames names}), ascending by item id; {@code count} transactions hold the
 * itemset, {@code transactions} is N, {@code support = count / N}. An itemset is frequent iff
 * {@code count >= ceil(minSupport × N)} (exactly as {@link ItemsetMiner#thresholdCount}). The
 * output feeds {@link AssociationRules} directly.
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
 *   <li>{@code ShardPairs}: each bundle adds its pairs to one {@link FPMiner} per shard, the shard
 *       chosen by a hash of the transaction id, so every transaction ends up whole in one shard.
 *   <li>{@code MergeShards}: {@code Combine.perKey} over the shard ({@link MergeMinersFn}, whose
 *       accumulator is an FPMiner): bundles' miners are merged map-side and after the shuffle.
 *       The shuffled form is the miner's compact run (about 2 bytes per pair).
 *   <li>{@code CountItems}: each shard's exact item supports and transaction count, summed into
 *       the window's global counts ({@code Combine.globally}).
 *   <li>{@code PruneShards}: the global counts are joined back to every shard ({@code
 *       CoGroupByKey} on the shard, which pairs them up window by window whatever the window
 *       function); each shard drops the infrequent items, recodes the rest to frequency ranks and
 *       keeps only transactions with at least two frequent items (the single items' counts are
 *       known exactly from step 3) as varint baskets without transaction ids.
 *   <li>{@code MergeBaskets}: {@code Combine.globally} concatenates the shards' baskets — the
 *       final accumulator (12.9 times smaller than the 12 bytes per raw pair on the benchmark
 *       log of README).
 *   <li>{@code MineFrequent}: one DoFn mines the baskets with the exact threshold and emits a Row
 *       per itemset.
 * </ol>
 *
 * <p><b>What must fit on one worker</b>: the pairs of one shard as an FPMiner (compact runs that
 * spill to local disk beyond {@link #withMaxRamBytes the budget}) and, while pruning it, its
 * frequent baskets; then, on the single worker of the last step, the final accumulator (about one
 * byte per frequent item occurrence in transactions with two or more frequent items), the same as
 * int arrays (4 bytes per occurrence), the miner's structures (of the same order) and an {@code
 * INT64} count per item id. The itemsets are emitted one by one, never collected.
 *
 * <p><b>Errors</b>: a missing or non-integer field fails at {@code expand()} naming the field and
 * the fields present; a null, or an item id outside {@code [0, numItems)}, fails the pipeline
 * naming the field, the value and the transaction; an item id without a name in the names view
 * names the id.
 *
 * <p><b>Metrics</b> (namespace {@value #METRICS_NAMESPACE}): counters {@code pairs} (input
 * pairs), {@code transactions} (N per window), {@code itemsPruned} (items seen but infrequent),
 * {@code itemsetsEmitted}; distributions {@code shardBytes} (each shard's encoded FPMiner), {@code
 * finalAccumulatorBytes} (the encoded final accumulator per window) and {@code miningMillis}.
 *
 * <p>The CombineFns are public for reuse: {@link #combineFn(int, ItemsetMiner)} mines pairs in one
 * {@code Combine.globally} or {@code Combine.perKey} (every pair of a key reaches one worker,
 * without pruning), and {@link MergeMinersFn} merges FPMiners.
 */
public final class MineStream<InputT> extends PTransform<PCollection<InputT>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  /** Default number of shards: transactions are spread over this many FPMiners. */
  public static final int DEFAULT_SHARDS = 16;

  /** Default method: {@link Method#AUTO}. */
  public static final Method DEFAULT_METHOD = Method.AUTO;

  /** Default RAM budget of the FPMiners of one DoFn instance, split between the shards. */
  public static final long DEFAULT_MAX_RAM_BYTES = 128L << 20;

  /** Namespace of the Beam metrics. */
  public static final String METRICS_NAMESPACE = "MineStream";

  private final PairReader<InputT> reader;
  private final int numItems;
  private final double minSupport;
  private final @Nullable Integer maxLen;
  private final Method method;
  private final @Nullable PCollectionView<Map<Integer, String>> itemNames;
  private final int shards;
  private final long maxRamBytes;

  private MineStream(
      PairReader<InputT> reader,
      int numItems,
      double minSupport,
      @Nullable Integer maxLen,
      Method method,
      @Nullable PCollectionView<Map<Integer, String>> itemNames,
      int shards,
      long maxRamBytes) {
    this.reader = reader;
    this.numItems = numItems;
    this.minSupport = minSupport;
    this.maxLen = maxLen;
    this.method = method;
    this.itemNames = itemNames;
    this.shards = shards;
    this.maxRamBytes = maxRamBytes;
  }

  /**
   * Mines Rows whose {@code txnField} holds the transaction id and {@code itemField} the item id
   * (integer fields; checked at {@code expand()}).
   */
  public static MineStream<Row> of(String txnField, String itemField) {
    if (txnField == null || txnField.isEmpty() || itemField == null || itemField.isEmpty()) {
      throw new IllegalArgumentException(
          "MineStream.of needs a transaction field and an item field, got txnField="
              + txnField + ", itemField=" + itemField);
    }
    if (txnField.equals(itemField)) {
      throw new IllegalArgumentException(
          "The transaction field and the item field must differ, both are '" + txnField + "'");
    }
    return new MineStream<>(
        new RowPairs(txnField, itemField),
        0,
        0,
        null,
        DEFAULT_METHOD,
        null,
        DEFAULT_SHARDS,
        DEFAULT_MAX_RAM_BYTES);
  }

  /** Mines {@code KV<transaction id, item id>} pairs. */
  public static MineStream<KV<Long, Integer>> ofKvs() {
    return new MineStream<>(
        new KvPairs(), 0, 0, null, DEFAULT_METHOD, null, DEFAULT_SHARDS, DEFAULT_MAX_RAM_BYTES);
  }

  /**
   * Mines {@code KV<shard, FPMiner>} built by the caller — for readers that fill FPMiners straight
   * from columnar batches (see {@code ArrowPairs} in the pipelines module) instead of emitting an
   * element per pair. Every pair of transaction {@code t} must be in a miner keyed {@link
   * #shardOf shardOf(t, shards)}, with {@code shards} equal to {@link #withShards}; the miners'
   * item bound must equal {@link #withNumItems}. Any number of miners per shard; they are merged.
   */
  public static MineStream<KV<Integer, FPMiner>> ofShardMiners() {
    return new MineStream<>(
        new ShardMiners(), 0, 0, null, DEFAULT_METHOD, null, DEFAULT_SHARDS, DEFAULT_MAX_RAM_BYTES);
  }

  /** Required: item ids lie in {@code [0, numItems)}. */
  public MineStream<InputT> withNumItems(int numItems) {
    if (numItems < 1) {
      throw new IllegalArgumentException("numItems must be at least 1, got " + numItems);
    }
    return new MineStream<>(
        reader, numItems, minSupport, maxLen, method, itemNames, shards, maxRamBytes);
  }

  /** Required: the minimum support, in {@code (0, 1]}, relative to the window's N. */
  public MineStream<InputT> withMinSupport(double minSupport) {
    ItemsetMiner.checkMinSupport(minSupport);
    return new MineStream<>(
        reader, numItems, minSupport, maxLen, method, itemNames, shards, maxRamBytes);
  }

  /** Only itemsets of at most {@code maxLen} items ({@code >= 1}). */
  public MineStream<InputT> withMaxLen(int maxLen) {
    if (maxLen < 1) {
      throw new IllegalArgumentException("maxLen must be at least 1, got " + maxLen);
    }
    return new MineStream<>(
        reader, numItems, minSupport, maxLen, method, itemNames, shards, maxRamBytes);
  }

  /** The mining method of the last step (default {@link Method#AUTO}). */
  public MineStream<InputT> withMethod(Method method) {
    if (method == null) {
      throw new IllegalArgumentException("method must not be null");
    }
    return new MineStream<>(
        reader, numItems, minSupport, maxLen, method, itemNames, shards, maxRamBytes);
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
    return new MineStream<>(
        reader, numItems, minSupport, maxLen, method, names, shards, maxRamBytes);
  }

  /** Number of shards the transactions are spread over (default {@value #DEFAULT_SHARDS}). */
  public MineStream<InputT> withShards(int shards) {
    if (shards < 1 || shards > 1 << 16) {
      throw new IllegalArgumentException("shards must be in [1, 65536], got " + shards);
    }
    return new MineStream<>(
        reader, numItems, minSupport, maxLen, method, itemNames, shards, maxRamBytes);
  }

  /**
   * RAM budget of the FPMiners held by one DoFn instance or accumulator (default 128 MiB);
   * beyond it their runs spill to local disk.
   */
  public MineStream<InputT> withMaxRamBytes(long bytes) {
    if (bytes < 16 * FPMiner.MIN_RAM_BYTES) {
      throw new IllegalArgumentException(
          "maxRamBytes must be at least " + 16 * FPMiner.MIN_RAM_BYTES + ", got " + bytes);
    }
    return new MineStream<>(
        reader, numItems, minSupport, maxLen, method, itemNames, shards, bytes);
  }

  @Override
  public PCollection<Row> expand(PCollection<InputT> input) {
    if (numItems < 1) {
      throw new IllegalStateException(
          "MineStream needs withNumItems(n): item ids must lie in [0, n)");
    }
    if (minSupport <= 0) {
      throw new IllegalStateException("MineStream needs withMinSupport(s), s in (0, 1]");
    }
    long perMiner = Math.max(FPMiner.MIN_RAM_BYTES, maxRamBytes / shards);
    PCollection<KV<Integer, FPMiner>> sharded;
    if (reader instanceof ShardMiners) {
      @SuppressWarnings("unchecked")
      PCollection<KV<Integer, FPMiner>> given = (PCollection<KV<Integer, FPMiner>>) input;
      sharded =
          given
              .apply("CheckShards", ParDo.of(new CheckShardFn(numItems, shards)))
              .setCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of(perMiner)));
    } else {
      PairReader<InputT> bound = reader.bind(input);
      sharded =
          input
              .apply(
                  "ShardPairs", ParDo.of(new ShardPairsFn<>(bound, numItems, shards, perMiner)))
              .setCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of(perMiner)));
    }
    PCollection<KV<Integer, FPMiner>> shardMiners =
        sharded
            .apply("MergeShards", Combine.perKey(new MergeMinersFn(numItems, maxRamBytes)))
            .setCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of(maxRamBytes)));

    PCollection<KV<Integer, ItemCounts>> countsByShard =
        shardMiners
            .apply("CountItems", ParDo.of(new CountShardFn()))
            .setCoder(ItemCounts.CODER)
            .apply("SumCounts", Combine.globally(new SumCountsFn()).withoutDefaults())
            .setCoder(ItemCounts.CODER)
            .apply("ToEveryShard", ParDo.of(new BroadcastFn(shards)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ItemCounts.CODER));

    TupleTag<FPMiner> minerTag = new TupleTag<>("miners");
    TupleTag<ItemCounts> countsTag = new TupleTag<>("counts");
    PCollection<Baskets> baskets =
        KeyedPCollectionTuple.of(minerTag, shardMiners)
            .and(countsTag, countsByShard)
            .apply("JoinCounts", CoGroupByKey.create())
            .apply(
                "PruneShards",
                ParDo.of(new PruneShardFn(minerTag, countsTag, minSupport)))
            .setCoder(Baskets.CODER)
            .apply("MergeBaskets", Combine.globally(new MergeBasketsFn()).withoutDefaults())
            .setCoder(Baskets.CODER);

    Schema out = outputSchema(itemNames != null);
    MineFrequentFn fn = new MineFrequentFn(out, maxLen, method, itemNames);
    ParDo.SingleOutput<Baskets, Row> mine =
        itemNames == null ? ParDo.of(fn) : ParDo.of(fn).withSideInputs(itemNames);
    return baskets.apply("MineFrequent", mine).setRowSchema(out);
  }

  /** The output schema, with item names or item ids. */
  public static Schema outputSchema(boolean withNames) {
    return ItemsetSchema.of(null, withNames);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    reader.populateDisplayData(builder);
    builder
        .add(DisplayData.item("numItems", numItems).withLabel("Item ids in [0, numItems)"))
        .add(DisplayData.item("minSupport", minSupport).withLabel("Minimum support"))
        .addIfNotNull(DisplayData.item("maxLen", maxLen).withLabel("Maximum itemset length"))
        .add(DisplayData.item("method", method.name()).withLabel("Mining method"))
        .add(DisplayData.item("itemNames", itemNames != null).withLabel("Itemsets as names"))
        .add(DisplayData.item("shards", shards).withLabel("Transaction shards"))
        .add(DisplayData.item("maxRamBytes", maxRamBytes).withLabel("FPMiner RAM budget"));
  }

  // ------------------------------------------------------------------------------------------
  // Reading pairs from input elements

  /** Reads the transaction and item of an input element; bound to the input at expand. */
  abstract static class PairReader<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A reader for this input; validates its type or schema (naming the field). */
    abstract PairReader<T> bind(PCollection<T> input);

    abstract long txn(T element);

    /** The item id as a long (range-checked by the caller, with the transaction). */
    abstract long item(T element, long txn);

    abstract String itemLabel();

    void populateDisplayData(DisplayData.Builder builder) {}
  }

  static final class KvPairs extends PairReader<KV<Long, Integer>> {
    private static final long serialVersionUID = 1L;

    @Override
    PairReader<KV<Long, Integer>> bind(PCollection<KV<Long, Integer>> input) {
      return this;
    }

    @Override
    long txn(KV<Long, Integer> e) {
      Long t = e.getKey();
      if (t == null) {
        throw new IllegalArgumentException(
            "MineStream: null transaction id in pair " + e + " (pairs are never dropped)");
      }
      return t;
    }

    @Override
    long item(KV<Long, Integer> e, long txn) {
      Integer i = e.getValue();
      if (i == null) {
        throw new IllegalArgumentException(
            "MineStream: null item id in transaction " + txn + " (pairs are never dropped)");
      }
      return i;
    }

    @Override
    String itemLabel() {
      return "item id";
    }
  }

  static final class RowPairs extends PairReader<Row> {
    private static final long serialVersionUID = 1L;
    private final String txnField;
    private final String itemField;
    private final int txnIndex;
    private final int itemIndex;

    RowPairs(String txnField, String itemField) {
      this(txnField, itemField, -1, -1);
    }

    private RowPairs(String txnField, String itemField, int txnIndex, int itemIndex) {
      this.txnField = txnField;
      this.itemField = itemField;
      this.txnIndex = txnIndex;
      this.itemIndex = itemIndex;
    }

    @Override
    PairReader<Row> bind(PCollection<Row> input) {
      if (!input.hasSchema()) {
        throw new IllegalArgumentException(
            "MineStream.of(\"" + txnField + "\", \"" + itemField
                + "\") needs a PCollection<Row> with a schema; use MineStream.ofKvs() for"
                + " KV<Long, Integer> pairs");
      }
      Schema schema = input.getSchema();
      return new RowPairs(
          txnField, itemField, integerField(schema, txnField, "transaction"),
          integerField(schema, itemField, "item"));
    }

    private static int integerField(Schema schema, String name, String role) {
      if (!schema.hasField(name)) {
        throw new IllegalArgumentException(
            "MineStream: the " + role + " field '" + name + "' is not in the input schema; fields: "
                + schema.getFieldNames());
      }
      FieldType type = schema.getField(name).getType();
      TypeName t = type.getTypeName();
      if (t != TypeName.BYTE && t != TypeName.INT16 && t != TypeName.INT32
          && t != TypeName.INT64) {
        throw new IllegalArgumentException(
            "MineStream: the " + role + " field '" + name + "' must be an integer (INT8, INT16,"
                + " INT32 or INT64), but it is " + type);
      }
      return schema.indexOf(name);
    }

    @Override
    long txn(Row row) {
      Object t = row.getValue(txnIndex);
      if (t == null) {
        throw new IllegalArgumentException(
            "MineStream: null " + txnField + " in row " + row + " (rows are never dropped)");
      }
      return ((Number) t).longValue();
    }

    @Override
    long item(Row row, long txn) {
      Object i = row.getValue(itemIndex);
      if (i == null) {
        throw new IllegalArgumentException(
            "MineStream: null " + itemField + " in transaction " + txnField + " = " + txn
                + " (rows are never dropped)");
      }
      return ((Number) i).longValue();
    }

    @Override
    String itemLabel() {
      return itemField;
    }

    @Override
    void populateDisplayData(DisplayData.Builder builder) {
      builder
          .add(DisplayData.item("transactionField", txnField).withLabel("Transaction field"))
          .add(DisplayData.item("itemField", itemField).withLabel("Item field"));
    }
  }

  /** Marks {@link #ofShardMiners()} input: no pairs to read. */
  static final class ShardMiners extends PairReader<KV<Integer, FPMiner>> {
    private static final long serialVersionUID = 1L;

    @Override
    PairReader<KV<Integer, FPMiner>> bind(PCollection<KV<Integer, FPMiner>> input) {
      return this;
    }

    @Override
    long txn(KV<Integer, FPMiner> element) {
      throw new UnsupportedOperationException("shard miners hold no single pair");
    }

    @Override
    long item(KV<Integer, FPMiner> element, long txn) {
      throw new UnsupportedOperationException("shard miners hold no single pair");
    }

    @Override
    String itemLabel() {
      return "item id";
    }
  }

  /** Checks a caller-built shard miner's key and item bound; counts its pairs. */
  static final class CheckShardFn extends DoFn<KV<Integer, FPMiner>, KV<Integer, FPMiner>> {
    private static final long serialVersionUID = 1L;
    private final Counter pairs = Metrics.counter(METRICS_NAMESPACE, "pairs");
    private final int numItems;
    private final int shards;

    CheckShardFn(int numItems, int shards) {
      this.numItems = numItems;
      this.shards = shards;
    }

    @ProcessElement
    public void processElement(
        @Element KV<Integer, FPMiner> e, OutputReceiver<KV<Integer, FPMiner>> out) {
      Integer shard = e.getKey();
      FPMiner m = e.getValue();
      if (shard == null || shard < 0 || shard >= shards || m == null) {
        throw new IllegalArgumentException(
            "MineStream.ofShardMiners: shard key " + shard + " is outside [0, " + shards
                + ") set by withShards (or the miner is null)");
      }
      if (m.nItems() != numItems) {
        throw new IllegalArgumentException(
            "MineStream.ofShardMiners: a miner of shard " + shard + " is over " + m.nItems()
                + " items, but withNumItems is " + numItems);
      }
      pairs.inc(m.nRows());
      out.output(e);
    }
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

  // ------------------------------------------------------------------------------------------
  // Step 1: pairs → one FPMiner per shard and window, per bundle

  static final class ShardPairsFn<T> extends DoFn<T, KV<Integer, FPMiner>> {
    private static final long serialVersionUID = 1L;
    private final Counter pairs = Metrics.counter(METRICS_NAMESPACE, "pairs");
    private final PairReader<T> reader;
    private final int numItems;
    private final int shards;
    private final long perMinerBytes;
    private transient @Nullable LinkedHashMap<BoundedWindow, FPMiner[]> pending;
    private transient @Nullable BoundedWindow lastWindow;
    private transient FPMiner @Nullable [] lastMiners;
    private transient long bundlePairs;

    ShardPairsFn(PairReader<T> reader, int numItems, int shards, long perMinerBytes) {
      this.reader = reader;
      this.numItems = numItems;
      this.shards = shards;
      this.perMinerBytes = perMinerBytes;
    }

    @StartBundle
    public void startBundle() {
      pending = new LinkedHashMap<>();
      bundlePairs = 0;
    }

    @ProcessElement
    public void processElement(@Element T element, BoundedWindow window) {
      long txn = reader.txn(element);
      long item = reader.item(element, txn);
      if (item < 0 || item >= numItems) {
        throw new IllegalArgumentException(
            "MineStream: " + reader.itemLabel() + " = " + item + " (transaction " + txn
                + ") is outside [0, " + numItems + ") set by withNumItems");
      }
      FPMiner[] miners = window == lastWindow ? lastMiners : pending.get(window);
      if (miners == null) {
        miners = new FPMiner[shards];
        pending.put(window, miners);
      }
      lastWindow = window; // consecutive elements usually share a window: skip the map
      lastMiners = miners;
      int s = shardOf(txn, shards);
      FPMiner m = miners[s];
      if (m == null) {
        m = miners[s] = new FPMiner(numItems).withMaxRamBytes(perMinerBytes);
      }
      m.add(txn, (int) item);
      bundlePairs++;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      for (Map.Entry<BoundedWindow, FPMiner[]> e : pending.entrySet()) {
        BoundedWindow window = e.getKey();
        FPMiner[] miners = e.getValue();
        for (int s = 0; s < miners.length; s++) {
          if (miners[s] != null) {
            miners[s].compact();
            c.output(KV.of(s, miners[s]), window.maxTimestamp(), window);
          }
        }
      }
      pairs.inc(bundlePairs);
      pending = null;
      lastWindow = null;
      lastMiners = null;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Step 2: merge the miners of a shard

  /**
   * Merges FPMiners (all over the same item bound) into one: the accumulator is an FPMiner, the
   * output the merged, compacted miner. Only the first accumulator is changed by a merge; the
   * output is the accumulator itself, so extracting it twice gives the same miner.
   */
  public static final class MergeMinersFn extends MinerAccumulatorFn<FPMiner, FPMiner> {
    private static final long serialVersionUID = 1L;

    /** Miners over item ids in {@code [0, numItems)}, each with RAM budget {@code maxRamBytes}. */
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

  /**
   * The CombineFn side shared by {@link MergeMinersFn} and {@link PairsCombineFn}: an FPMiner
   * accumulator with a RAM budget; merging changes only the first accumulator; compacting puts
   * its pairs in one run (what the coder writes).
   */
  abstract static class MinerAccumulatorFn<InputT, OutputT>
      extends CombineFn<InputT, FPMiner, OutputT> {
    private static final long serialVersionUID = 1L;
    final int numItems;
    final long maxRamBytes;

    MinerAccumulatorFn(int numItems, long maxRamBytes) {
      if (numItems < 0) {
        throw new IllegalArgumentException("numItems must be >= 0, got " + numItems);
      }
      if (maxRamBytes < FPMiner.MIN_RAM_BYTES) {
        throw new IllegalArgumentException(
            "maxRamBytes must be at least " + FPMiner.MIN_RAM_BYTES + ", got " + maxRamBytes);
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

  /**
   * A CombineFn that mines {@code KV<transaction id, item id>} pairs: the accumulator is an
   * FPMiner, the output the frequent itemsets of everything combined (item ids, N = distinct
   * transaction ids). Exact for any split of the pairs between accumulators; no pruning (every
   * pair of a key reaches the worker that extracts the output, as compact runs). For Beam
   * pipelines that want the itemsets as one value, per key or globally:
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

  /** The CombineFn of {@link #combineFn(int, ItemsetMiner)}. */
  public static final class PairsCombineFn
      extends MinerAccumulatorFn<KV<Long, Integer>, Itemsets> {
    private static final long serialVersionUID = 1L;
    private final ItemsetMinerConfig config;

    /** Pairs with item ids in {@code [0, numItems)}, mined with {@code config}. */
    public PairsCombineFn(int numItems, ItemsetMiner config, long maxRamBytes) {
      super(numItems, maxRamBytes);
      if (config == null) {
        throw new IllegalArgumentException("config must not be null");
      }
      this.config = new ItemsetMinerConfig(config);
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

  /** A serializable copy of an {@link ItemsetMiner} configuration. */
  static final class ItemsetMinerConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double minSupport;
    private final long minCount;
    private final @Nullable Integer maxLen;
    private final Method method;
    private final int threads;

    ItemsetMinerConfig(ItemsetMiner m) {
      this.minSupport = m.getMinSupport();
      this.minCount = m.getMinSupport() > 0 ? 0 : m.minCountFor(0);
      this.maxLen = m.getMaxLen();
      this.method = m.getMethod();
      this.threads = m.getThreads();
    }

    ItemsetMiner get() {
      ItemsetMiner m =
          minSupport > 0 ? ItemsetMiner.minSupport(minSupport) : ItemsetMiner.minCount(minCount);
      m = m.withMethod(method).withThreads(threads);
      return maxLen == null ? m : m.withMaxLen(maxLen);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Step 3: exact item counts

  /** N and each item's support, exactly (per window). */
  static final class ItemCounts {
    static final Coder<ItemCounts> CODER = new ItemCountsCoder();
    final long n;
    final long[] support;

    ItemCounts(long n, long[] support) {
      this.n = n;
      this.support = support;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ItemCounts
          && ((ItemCounts) o).n == n
          && Arrays.equals(((ItemCounts) o).support, support);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(n) * 31 + Arrays.hashCode(support);
    }
  }

  /** N, the number of items, then each support as a varint (one byte for most items). */
  static final class ItemCountsCoder extends CustomCoder<ItemCounts> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(ItemCounts value, OutputStream out) throws IOException {
      VarInt.encode(value.n, out);
      VarInt.encode(value.support.length, out);
      for (long s : value.support) {
        VarInt.encode(s, out);
      }
    }

    @Override
    public ItemCounts decode(InputStream in) throws IOException {
      long n = VarInt.decodeLong(in);
      int len = VarInt.decodeInt(in);
      if (len < 0) {
        throw new CoderException("Corrupt item counts: " + len + " items");
      }
      long[] s = new long[len];
      for (int i = 0; i < len; i++) {
        s[i] = VarInt.decodeLong(in);
      }
      return new ItemCounts(n, s);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof ItemCountsCoder;
    }

    @Override
    public int hashCode() {
      return ItemCountsCoder.class.hashCode();
    }
  }

  static final class CountShardFn extends DoFn<KV<Integer, FPMiner>, ItemCounts> {
    private static final long serialVersionUID = 1L;
    private final Distribution shardBytes = Metrics.distribution(METRICS_NAMESPACE, "shardBytes");

    @ProcessElement
    public void processElement(@Element KV<Integer, FPMiner> e, OutputReceiver<ItemCounts> out) {
      FPMiner m = e.getValue();
      long[] support = m.itemSupports();
      shardBytes.update(m.encodedSize());
      out.output(new ItemCounts(m.nTransactions(), support));
    }
  }

  static final class SumCountsFn extends CombineFn<ItemCounts, ItemCounts, ItemCounts> {
    private static final long serialVersionUID = 1L;

    @Override
    public ItemCounts createAccumulator() {
      return new ItemCounts(0, new long[0]);
    }

    @Override
    public ItemCounts addInput(ItemCounts acc, ItemCounts in) {
      return mergeAccumulators(List.of(acc, in));
    }

    @Override
    public ItemCounts mergeAccumulators(Iterable<ItemCounts> accs) {
      long n = 0;
      long[] sum = new long[0];
      for (ItemCounts c : accs) {
        n += c.n;
        if (c.support.length > sum.length) {
          sum = Arrays.copyOf(sum, c.support.length);
        }
        for (int i = 0; i < c.support.length; i++) {
          sum[i] += c.support[i];
        }
      }
      return new ItemCounts(n, sum);
    }

    @Override
    public ItemCounts extractOutput(ItemCounts acc) {
      return acc;
    }

    @Override
    public Coder<ItemCounts> getAccumulatorCoder(CoderRegistry r, Coder<ItemCounts> in) {
      return ItemCounts.CODER;
    }

    @Override
    public Coder<ItemCounts> getDefaultOutputCoder(CoderRegistry r, Coder<ItemCounts> in) {
      return ItemCounts.CODER;
    }
  }

  static final class BroadcastFn extends DoFn<ItemCounts, KV<Integer, ItemCounts>> {
    private static final long serialVersionUID = 1L;
    private final int shards;

    BroadcastFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void processElement(@Element ItemCounts c, OutputReceiver<KV<Integer, ItemCounts>> out) {
      for (int s = 0; s < shards; s++) {
        out.output(KV.of(s, c));
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Step 4: prune each shard to the frequent items' baskets

  /**
   * The frequent items' baskets of some transactions, as varints without transaction ids: each
   * basket is its length then its ascending frequency ranks as deltas. Carries the window's
   * global facts (N, the threshold, the rank → item id table and each rank's support) so that the
   * last step needs nothing else. Mutable only through {@link #append}.
   */
  static final class Baskets {
    static final Coder<Baskets> CODER = new BasketsCoder();

    /** -1 in an empty accumulator (no facts yet). */
    long n = -1;

    long minCount;
    int[] rankToItem = new int[0];
    long[] rankSupport = new long[0];
    /** Items with support > 0 that are not frequent. */
    long pruned;

    long nBaskets;
    long nEntries;
    byte[] data = new byte[0];
    int length;

    boolean isEmpty() {
      return n < 0;
    }

    /** The length of this value's {@link BasketsCoder} encoding. */
    long encodedSize() {
      long size = VarInt.getLength(n + 1);
      if (isEmpty()) {
        return size;
      }
      size += VarInt.getLength(minCount) + VarInt.getLength(pruned)
          + VarInt.getLength(rankToItem.length);
      for (int r = 0; r < rankToItem.length; r++) {
        size += VarInt.getLength(rankToItem[r]) + VarInt.getLength(rankSupport[r]);
      }
      return size + VarInt.getLength(nBaskets) + VarInt.getLength(nEntries)
          + VarInt.getLength(length) + length;
    }

    /** Adds {@code other}'s baskets (and facts, which must agree); {@code other} is unchanged. */
    void append(Baskets other) {
      if (other.isEmpty()) {
        return;
      }
      if (isEmpty()) {
        n = other.n;
        minCount = other.minCount;
        rankToItem = other.rankToItem;
        rankSupport = other.rankSupport;
        pruned = other.pruned;
      } else if (n != other.n
          || minCount != other.minCount
          || !Arrays.equals(rankToItem, other.rankToItem)) {
        throw new IllegalStateException(
            "MineStream: shards of one window disagree on the global counts (N " + n + " vs "
                + other.n + ")");
      }
      if (length + other.length > data.length) {
        data = Arrays.copyOf(data, Math.max(length + other.length, 2 * data.length));
      }
      System.arraycopy(other.data, 0, data, length, other.length);
      length += other.length;
      nBaskets += other.nBaskets;
      nEntries += other.nEntries;
    }

    /** Appends one basket of ascending ranks. */
    void add(int[] ranks, int len) {
      if (length + 5L * (len + 1) > data.length) {
        data = Arrays.copyOf(data, (int) Math.max(length + 5L * (len + 1), 2L * data.length + 64));
      }
      int p = putVarInt(data, length, len);
      int prev = -1;
      for (int k = 0; k < len; k++) {
        p = putVarInt(data, p, ranks[k] - prev - 1);
        prev = ranks[k];
      }
      length = p;
      nBaskets++;
      nEntries += len;
    }

    /** The baskets as a database over the ranks. */
    TransactionDb toTransactionDb() {
      int[] offsets = new int[Math.toIntExact(nBaskets) + 1];
      int[] items = new int[Math.toIntExact(nEntries)];
      int p = 0;
      int fill = 0;
      int[] v = new int[1];
      for (int b = 0; b < nBaskets; b++) {
        p = getVarInt(data, p, v);
        int len = v[0];
        int prev = -1;
        for (int k = 0; k < len; k++) {
          p = getVarInt(data, p, v);
          prev = prev + 1 + v[0];
          items[fill++] = prev;
        }
        offsets[b + 1] = fill;
      }
      return TransactionDb.fromCsr(offsets, items, null);
    }

    private static int putVarInt(byte[] buf, int pos, int v) {
      while ((v & ~0x7F) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
      return pos;
    }

    private static int getVarInt(byte[] buf, int pos, int[] out) {
      int v = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = buf[pos++];
        v |= (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
      }
      out[0] = v;
      return pos;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Baskets)) {
        return false;
      }
      Baskets b = (Baskets) o;
      return n == b.n
          && minCount == b.minCount
          && pruned == b.pruned
          && nBaskets == b.nBaskets
          && nEntries == b.nEntries
          && Arrays.equals(rankToItem, b.rankToItem)
          && Arrays.equals(rankSupport, b.rankSupport)
          && Arrays.equals(data, 0, length, b.data, 0, b.length);
    }

    @Override
    public int hashCode() {
      return Objects.hash(n, nBaskets, nEntries, length);
    }
  }

  static final class BasketsCoder extends CustomCoder<Baskets> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(Baskets b, OutputStream out) throws IOException {
      VarInt.encode(b.n + 1, out);
      if (b.isEmpty()) {
        return;
      }
      VarInt.encode(b.minCount, out);
      VarInt.encode(b.pruned, out);
      VarInt.encode(b.rankToItem.length, out);
      for (int r = 0; r < b.rankToItem.length; r++) {
        VarInt.encode(b.rankToItem[r], out);
        VarInt.encode(b.rankSupport[r], out);
      }
      VarInt.encode(b.nBaskets, out);
      VarInt.encode(b.nEntries, out);
      VarInt.encode(b.length, out);
      out.write(b.data, 0, b.length);
    }

    @Override
    public Baskets decode(InputStream in) throws IOException {
      Baskets b = new Baskets();
      b.n = VarInt.decodeLong(in) - 1;
      if (b.isEmpty()) {
        return b;
      }
      b.minCount = VarInt.decodeLong(in);
      b.pruned = VarInt.decodeLong(in);
      int f = VarInt.decodeInt(in);
      if (f < 0) {
        throw new CoderException("Corrupt MineStream baskets: " + f + " frequent items");
      }
      b.rankToItem = new int[f];
      b.rankSupport = new long[f];
      for (int r = 0; r < f; r++) {
        b.rankToItem[r] = VarInt.decodeInt(in);
        b.rankSupport[r] = VarInt.decodeLong(in);
      }
      b.nBaskets = VarInt.decodeLong(in);
      b.nEntries = VarInt.decodeLong(in);
      int len = VarInt.decodeInt(in);
      if (len < 0) {
        throw new CoderException("Corrupt MineStream baskets: " + len + " bytes");
      }
      b.data = in.readNBytes(len);
      if (b.data.length < len) {
        throw new CoderException(
            "Truncated MineStream baskets: " + b.data.length + " of " + len + " bytes");
      }
      b.length = len;
      return b;
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof BasketsCoder;
    }

    @Override
    public int hashCode() {
      return BasketsCoder.class.hashCode();
    }
  }

  static final class PruneShardFn extends DoFn<KV<Integer, CoGbkResult>, Baskets> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<FPMiner> minerTag;
    private final TupleTag<ItemCounts> countsTag;
    private final double minSupport;

    PruneShardFn(
        TupleTag<FPMiner> minerTag,
        TupleTag<ItemCounts> countsTag,
        double minSupport) {
      this.minerTag = minerTag;
      this.countsTag = countsTag;
      this.minSupport = minSupport;
    }

    @ProcessElement
    public void processElement(@Element KV<Integer, CoGbkResult> e, OutputReceiver<Baskets> out) {
      ItemCounts counts = e.getValue().getOnly(countsTag, null);
      if (counts == null) {
        throw new IllegalStateException(
            "MineStream: shard " + e.getKey() + " has no global counts in its window");
      }
      Baskets facts = facts(counts, minSupport);
      int[] rankOf = new int[counts.support.length];
      Arrays.fill(rankOf, -1);
      for (int r = 0; r < facts.rankToItem.length; r++) {
        rankOf[facts.rankToItem[r]] = r;
      }
      for (FPMiner m : e.getValue().getAll(minerTag)) {
        Baskets b = new Baskets();
        b.n = facts.n;
        b.minCount = facts.minCount;
        b.rankToItem = facts.rankToItem;
        b.rankSupport = facts.rankSupport;
        b.pruned = facts.pruned;
        int[][] scratch = {new int[16]};
        m.forEachTransaction(
            (txn, items, n) -> {
              if (n > scratch[0].length) {
                scratch[0] = new int[Math.max(n, 2 * scratch[0].length)];
              }
              int[] ranks = scratch[0];
              int k = 0;
              for (int i = 0; i < n; i++) {
                int r = rankOf[items[i]];
                if (r >= 0) {
                  ranks[k++] = r;
                }
              }
              if (k >= 2) {
                Arrays.sort(ranks, 0, k);
                b.add(ranks, k);
              }
            });
        out.output(b);
      }
    }
  }

  /** The window's global facts: threshold, frequent items by descending support (then id). */
  static Baskets facts(ItemCounts counts, double minSupport) {
    long minCount = ItemsetMiner.thresholdCount(minSupport, counts.n);
    List<Integer> frequent = new ArrayList<>();
    long pruned = 0;
    for (int i = 0; i < counts.support.length; i++) {
      if (counts.support[i] >= minCount) {
        frequent.add(i);
      } else if (counts.support[i] > 0) {
        pruned++;
      }
    }
    frequent.sort(
        (a, b) -> {
          int c = Long.compare(counts.support[b], counts.support[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    Baskets f = new Baskets();
    f.n = counts.n;
    f.minCount = minCount;
    f.pruned = pruned;
    f.rankToItem = new int[frequent.size()];
    f.rankSupport = new long[frequent.size()];
    for (int r = 0; r < f.rankToItem.length; r++) {
      f.rankToItem[r] = frequent.get(r);
      f.rankSupport[r] = counts.support[frequent.get(r)];
    }
    return f;
  }

  // ------------------------------------------------------------------------------------------
  // Step 5: concatenate the baskets (the final accumulator)

  static final class MergeBasketsFn extends CombineFn<Baskets, Baskets, Baskets> {
    private static final long serialVersionUID = 1L;

    @Override
    public Baskets createAccumulator() {
      return new Baskets();
    }

    @Override
    public Baskets addInput(Baskets acc, Baskets input) {
      acc.append(input);
      return acc;
    }

    @Override
    public Baskets mergeAccumulators(Iterable<Baskets> accs) {
      Iterator<Baskets> it = accs.iterator();
      Baskets first = it.next();
      while (it.hasNext()) {
        first.append(it.next());
      }
      return first;
    }

    @Override
    public Baskets extractOutput(Baskets acc) {
      return acc;
    }

    @Override
    public Coder<Baskets> getAccumulatorCoder(CoderRegistry r, Coder<Baskets> in) {
      return Baskets.CODER;
    }

    @Override
    public Coder<Baskets> getDefaultOutputCoder(CoderRegistry r, Coder<Baskets> in) {
      return Baskets.CODER;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Step 6: mine

  static final class MineFrequentFn extends DoFn<Baskets, Row> {
    private static final long serialVersionUID = 1L;
    private final Counter transactions = Metrics.counter(METRICS_NAMESPACE, "transactions");
    private final Counter itemsPruned = Metrics.counter(METRICS_NAMESPACE, "itemsPruned");
    private final Counter itemsetsEmitted = Metrics.counter(METRICS_NAMESPACE, "itemsetsEmitted");
    private final Distribution finalBytes =
        Metrics.distribution(METRICS_NAMESPACE, "finalAccumulatorBytes");
    private final Distribution miningMillis =
        Metrics.distribution(METRICS_NAMESPACE, "miningMillis");

    private final Schema outSchema;
    private final @Nullable Integer maxLen;
    private final Method method;
    private final @Nullable PCollectionView<Map<Integer, String>> namesView;

    MineFrequentFn(
        Schema outSchema,
        @Nullable Integer maxLen,
        Method method,
        @Nullable PCollectionView<Map<Integer, String>> namesView) {
      this.outSchema = outSchema;
      this.maxLen = maxLen;
      this.method = method;
      this.namesView = namesView;
    }

    @ProcessElement
    public void processElement(ProcessContext c) throws IOException {
      Baskets b = c.element();
      if (b.isEmpty()) {
        return;
      }
      long start = System.nanoTime();
      finalBytes.update(b.encodedSize());
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
      // Single items: exact supports from the global counts, in ascending item id order.
      Integer[] byId = new Integer[f];
      for (int r = 0; r < f; r++) {
        byId[r] = r;
      }
      Arrays.sort(byId, (x, y) -> Integer.compare(b.rankToItem[x], b.rankToItem[y]));
      for (int r : byId) {
        long count = b.rankSupport[r];
        c.output(
            Row.withSchema(outSchema)
                .attachValues(count / nd, List.of(values[r]), count, n));
        emitted++;
      }
      if (f >= 2 && (maxLen == null || maxLen >= 2)) {
        ItemsetMiner miner = ItemsetMiner.minCount(b.minCount).withMethod(method);
        if (maxLen != null) {
          miner = miner.withMaxLen(maxLen);
        }
        long[] more = new long[1];
        int[] ids = new int[f];
        miner.mine(
            b.toTransactionDb(),
            (items, len, count) -> {
              if (len < 2) {
                return; // counted within baskets of 2+ items only; exact counts above
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
}
