package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.MineGrouped.METRICS_NAMESPACE;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.ItemsetSink;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.Target;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Mines one group's baskets and emits a Row per frequent itemset, as the miner finds it. */
final class MineEachGroupFn extends DoFn<KV<Row, GroupBaskets>, Row> {
  private final Counter groupsMined = Metrics.counter(METRICS_NAMESPACE, "groupsMined");
  private final Counter transactions = Metrics.counter(METRICS_NAMESPACE, "transactions");
  private final Counter itemsetsEmitted = Metrics.counter(METRICS_NAMESPACE, "itemsetsEmitted");
  private final Distribution miningMillis = Metrics.distribution(METRICS_NAMESPACE, "miningMillis");

  private final Schema outSchema;

  /** One-hot: the item column names, by column index; null for events. */
  private final String @Nullable [] columnNames;

  private final double minSupport;
  private final Method method;
  private final @Nullable Integer maxLen;
  private final Target target;
  private final @Nullable Integer topK;
  private final int minLen;

  /** False: top-k without a support threshold. */
  private final boolean useMinSupport;

  private final boolean itemNames;
  private final int threads;
  private transient ItemsetMiner miner;

  MineEachGroupFn(
      Schema outSchema,
      String @Nullable [] columnNames,
      double minSupport,
      Method method,
      @Nullable Integer maxLen,
      Target target,
      @Nullable Integer topK,
      int minLen,
      boolean useMinSupport,
      boolean itemNames,
      int threads) {
    this.outSchema = outSchema;
    this.columnNames = columnNames;
    this.minSupport = minSupport;
    this.method = method;
    this.maxLen = maxLen;
    this.target = target;
    this.topK = topK;
    this.minLen = minLen;
    this.useMinSupport = useMinSupport;
    this.itemNames = itemNames;
    this.threads = threads;
  }

  /**
   * Builds the miner on the worker. Its thread count is the configured {@code threadsPerGroup}
   * (default 1), never a core count taken from the machine that built the pipeline.
   */
  @Setup
  public void setup() {
    ItemsetMiner m =
        (useMinSupport ? ItemsetMiner.minSupport(minSupport) : ItemsetMiner.minCount(1))
            .withMinLen(minLen)
            .withMethod(method)
            .withThreads(threads)
            .withTarget(target);
    if (topK != null) {
      m = m.withTopK(topK);
    }
    miner = maxLen == null ? m : m.withMaxLen(maxLen);
  }

  @ProcessElement
  public void processElement(@Element KV<Row, GroupBaskets> e, OutputReceiver<Row> out) {
    GroupBaskets g = e.getValue();
    long start = System.nanoTime();
    long emitted =
        mineGroup(e.getKey().getValue(0), g, miner, outSchema, columnNames, itemNames, out::output);
    miningMillis.update((System.nanoTime() - start) / 1_000_000);
    groupsMined.inc();
    transactions.inc(g.size());
    itemsetsEmitted.inc(emitted);
  }

  /**
   * Mines one group and hands {@code out} a Row per frequent itemset as the miner finds it (on the
   * calling thread), never collecting them.
   *
   * @param columnNames one-hot: the item column names, by column index; null for events
   * @return the number of rows emitted
   */
  static long mineGroup(
      Object group,
      GroupBaskets baskets,
      ItemsetMiner miner,
      Schema outSchema,
      String @Nullable [] columnNames,
      boolean itemNames,
      Consumer<Row> out) {
    // Item ids must follow key order for a deterministic item order inside itemsets; the
    // output of BasketsToGroupFn is canonical, so this copy is only for other callers.
    GroupBaskets g = baskets.keysAscending() ? baskets : baskets.canonical();
    final Object[] values = outputValues(group, g, columnNames, itemNames);
    final Long n = (long) g.size();
    final double nDouble = g.size();
    return miner.mine(
        g.toTransactionDb(),
        ItemsetSink.sorted(
            (items, length, count) -> {
              Object[] itemset = new Object[length];
              for (int k = 0; k < length; k++) {
                itemset[k] = values[items[k]];
              }
              out.accept(
                  Row.withSchema(outSchema)
                      .attachValues(group, count / nDouble, Arrays.asList(itemset), count, n));
            }));
  }

  /** What the output holds for each local item id: a name (String) or an id (Integer). */
  private static Object[] outputValues(
      Object group, GroupBaskets g, String @Nullable [] columnNames, boolean itemNames) {
    Object[] values = new Object[g.nItems()];
    for (int id = 0; id < values.length; id++) {
      if (g.kind() == KeyKind.STRING) {
        values[id] = g.stringKey(id);
      } else {
        long key = g.longKey(id);
        if (columnNames != null) {
          values[id] = itemNames ? columnNames[(int) key] : Integer.valueOf((int) key);
        } else {
          if (!itemNames && (key < Integer.MIN_VALUE || key > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(
                String.format(
                    "MineGrouped: item %d of group %s does not fit in an INT32 id;"
                        + " withItemNames(false) outputs item values as INT32 ids",
                    key, group));
          }
          values[id] = itemNames ? Long.toString(key) : Integer.valueOf((int) key);
        }
      }
    }
    return values;
  }
}
