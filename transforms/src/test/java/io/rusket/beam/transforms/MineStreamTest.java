package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.Target;
import io.rusket.beam.miner.TransactionDb;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MineStream on the DirectRunner against the batch miner on the same pairs. */
class MineStreamTest {
  static final Schema EVENTS =
      Schema.builder().addInt64Field("session_id").addInt32Field("item_id").build();

  /** Skewed random pairs, shuffled, with repeats; pairs of one transaction scattered. */
  static List<KV<Long, Integer>> randomPairs(long seed, int nTxns, int nItems, double meanLen) {
    Random r = new Random(seed);
    List<KV<Long, Integer>> pairs = new ArrayList<>();
    for (int t = 0; t < nTxns; t++) {
      long id = seed % 2 == 0 ? t : r.nextLong();
      int len = 1 + (int) Math.round(-meanLen * Math.log(1 - r.nextDouble()));
      for (int k = 0; k < len; k++) {
        int item = (int) Math.min(nItems - 1, Math.floor(nItems * Math.pow(r.nextDouble(), 2.2)));
        pairs.add(KV.of(id, item));
        if (r.nextInt(25) == 0) {
          pairs.add(KV.of(id, item));
        }
      }
    }
    Collections.shuffle(pairs, r);
    return pairs;
  }

  /** The expected output rows, as comparable strings, from the batch miner. */
  static Set<String> expected(
      List<KV<Long, Integer>> pairs, ItemsetMiner miner, Map<Integer, String> names) {
    long[] t = new long[pairs.size()];
    int[] it = new int[pairs.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = pairs.get(i).getKey();
      it[i] = pairs.get(i).getValue();
    }
    Set<String> out = new HashSet<>();
    if (t.length == 0) {
      return out;
    }
    TransactionDb db = TransactionDb.fromPairs(t, it, null);
    Itemsets f = miner.mine(db);
    for (int i = 0; i < f.size(); i++) {
      List<Object> items = new ArrayList<>();
      for (int id : f.items(i)) {
        items.add(names == null ? (Object) id : names.get(id));
      }
      out.add(key(f.count(i) / (double) db.size(), items, f.count(i), db.size()));
    }
    return out;
  }

  static String key(double support, List<?> items, long count, long n) {
    return items + " support=" + support + " count=" + count + " N=" + n;
  }

  static SerializableFunction<Iterable<Row>, Void> equalTo(Set<String> expected) {
    return rows -> {
      Set<String> got = new HashSet<>();
      int n = 0;
      for (Row r : rows) {
        got.add(
            key(
                r.getDouble("support"),
                new ArrayList<>(r.getArray("itemsets")),
                r.getInt64("count"),
                r.getInt64("transactions")));
        n++;
      }
      assertEquals(expected.size(), n, "one row per itemset, no duplicates");
      assertEquals(new TreeMap<>(asMap(expected)), new TreeMap<>(asMap(got)));
      return null;
    };
  }

  private static Map<String, Boolean> asMap(Set<String> s) {
    Map<String, Boolean> m = new HashMap<>();
    for (String x : s) {
      m.put(x, true);
    }
    return m;
  }

  static List<Row> rows(List<KV<Long, Integer>> pairs) {
    List<Row> rows = new ArrayList<>(pairs.size());
    for (KV<Long, Integer> kv : pairs) {
      rows.add(Row.withSchema(EVENTS).addValues(kv.getKey(), kv.getValue()).build());
    }
    return rows;
  }

  static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 8})
  void equalsTheMinerForAnySplitOfTheInputAndAnyShardCount(int parts) {
    List<KV<Long, Integer>> pairs = randomPairs(parts, 400, 30, 3.5);
    Pipeline p = pipeline();
    // The input split into `parts` PCollections (each its own bundles), flattened.
    List<PCollection<Row>> pieces = new ArrayList<>();
    List<Row> all = rows(pairs);
    for (int k = 0; k < parts; k++) {
      List<Row> piece = new ArrayList<>();
      for (int i = k; i < all.size(); i += parts) {
        piece.add(all.get(i));
      }
      pieces.add(p.apply("Piece" + k, Create.of(piece).withRowSchema(EVENTS)).setRowSchema(EVENTS));
    }
    PCollection<Row> events =
        PCollectionList.of(pieces).apply(Flatten.pCollections()).setRowSchema(EVENTS);
    PCollection<Row> out =
        events.apply(
            MineStream.of("session_id", "item_id")
                .withNumItems(30)
                .withMinSupport(0.03)
                .withShards(parts * 2 - 1));
    assertEquals(MineStream.outputSchema(false), out.getSchema());
    PAssert.that(out).satisfies(equalTo(expected(pairs, ItemsetMiner.minSupport(0.03), null)));
    p.run().waitUntilFinish();
  }

  @Test
  void kvInputWithNamesAndMaxLenAndMetrics() {
    List<KV<Long, Integer>> pairs = randomPairs(11, 600, 40, 4);
    Map<Integer, String> names = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      names.put(i, "sku-" + (char) ('A' + i % 26) + i);
    }
    Pipeline p = pipeline();
    PCollectionView<Map<Integer, String>> view =
        p.apply(
                "Names",
                Create.of(names).withCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())))
            .apply(View.asMap());
    PCollection<Row> out =
        p.apply(Create.of(pairs).withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
            .apply(
                MineStream.ofKvs()
                    .withNumItems(40)
                    .withMinSupport(0.02)
                    .withMaxLen(2)
                    .withItemNames(view));
    assertEquals(MineStream.outputSchema(true), out.getSchema());
    PAssert.that(out)
        .satisfies(equalTo(expected(pairs, ItemsetMiner.minSupport(0.02).withMaxLen(2), names)));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    MetricQueryResults m =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(MineStream.METRICS_NAMESPACE))
                    .build());
    Map<String, Long> counters = new HashMap<>();
    m.getCounters()
        .forEach(c -> counters.merge(c.getName().getName(), c.getAttempted(), Long::sum));
    assertEquals(pairs.size(), counters.get("pairs"));
    assertEquals(600L, counters.get("transactions"));
    long seen = pairs.stream().map(KV::getValue).distinct().count();
    long frequent = expected(pairs, ItemsetMiner.minSupport(0.02).withMaxLen(1), names).size();
    assertEquals(seen - frequent, counters.get("itemsPruned"));
    assertEquals(
        expected(pairs, ItemsetMiner.minSupport(0.02).withMaxLen(2), names).size(),
        counters.get("itemsetsEmitted"));
    DistributionResult finalBytes = null;
    for (var d : m.getDistributions()) {
      if (d.getName().getName().equals("finalAccumulatorBytes")) {
        finalBytes = d.getAttempted();
      }
    }
    assertTrue(finalBytes != null && finalBytes.getCount() == 1, "one final accumulator");
    assertTrue(
        finalBytes.getMax() * 4 < 12L * pairs.size(),
        "final accumulator " + finalBytes.getMax() + " B vs raw " + 12L * pairs.size() + " B");
  }

  @Test
  void maxLenOneGivesTheFrequentItemsOnly() {
    List<KV<Long, Integer>> pairs = randomPairs(12, 300, 20, 3);
    Pipeline p = pipeline();
    PCollection<Row> out =
        p.apply(Create.of(pairs).withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
            .apply(MineStream.ofKvs().withNumItems(20).withMinSupport(0.05).withMaxLen(1));
    PAssert.that(out)
        .satisfies(equalTo(expected(pairs, ItemsetMiner.minSupport(0.05).withMaxLen(1), null)));
    p.run().waitUntilFinish();
  }

  @Test
  void emptyInputGivesNoRows() {
    Pipeline p = pipeline();
    PCollection<Row> out =
        p.apply(Create.empty(RowCoder.of(EVENTS)))
            .setRowSchema(EVENTS)
            .apply(MineStream.of("session_id", "item_id").withNumItems(5).withMinSupport(0.5));
    PAssert.that(out).empty();
    p.run().waitUntilFinish();
  }

  // ---------------------------------------------------------------------------------- windows

  /** Timestamped pairs: transaction t's pairs at second t/4 + jitter (some cross windows). */
  static List<TimestampedValue<KV<Long, Integer>>> timedPairs(long seed) {
    List<KV<Long, Integer>> pairs = randomPairs(seed, 500, 25, 3);
    Random r = new Random(seed);
    List<TimestampedValue<KV<Long, Integer>>> out = new ArrayList<>();
    for (KV<Long, Integer> kv : pairs) {
      long second = Math.floorMod(kv.getKey(), 500) / 2 + r.nextInt(3);
      out.add(TimestampedValue.of(kv, new Instant(second * 1000)));
    }
    return out;
  }

  static void assertPerWindow(
      WindowFn<Object, IntervalWindow> windowFn, List<TimestampedValue<KV<Long, Integer>>> timed) {
    Pipeline p = pipeline();
    TestStream.Builder<KV<Long, Integer>> stream =
        TestStream.create(KvCoder.of(VarLongCoder.of(), VarIntCoder.of()));
    // Arrive in three batches with the watermark moving between them.
    int third = timed.size() / 3;
    stream =
        stream.addElements(timed.get(0), timed.subList(1, third).toArray(new TimestampedValue[0]));
    stream = stream.advanceWatermarkTo(new Instant(0));
    stream =
        stream.addElements(
            timed.get(third), timed.subList(third + 1, 2 * third).toArray(new TimestampedValue[0]));
    stream =
        stream.addElements(
            timed.get(2 * third),
            timed.subList(2 * third + 1, timed.size()).toArray(new TimestampedValue[0]));
    PCollection<Row> out =
        p.apply(stream.advanceWatermarkToInfinity())
            .apply(Window.into(windowFn))
            .apply(MineStream.ofKvs().withNumItems(25).withMinSupport(0.1).withShards(3));
    // Oracle: mine each window's pairs alone.
    Map<IntervalWindow, List<KV<Long, Integer>>> byWindow = new HashMap<>();
    for (TimestampedValue<KV<Long, Integer>> tv : timed) {
      for (IntervalWindow w : assign(windowFn, tv.getTimestamp())) {
        byWindow.computeIfAbsent(w, k -> new ArrayList<>()).add(tv.getValue());
      }
    }
    assertTrue(byWindow.size() >= 3, "several windows");
    for (Map.Entry<IntervalWindow, List<KV<Long, Integer>>> e : byWindow.entrySet()) {
      PAssert.that(out)
          .inWindow(e.getKey())
          .satisfies(equalTo(expected(e.getValue(), ItemsetMiner.minSupport(0.1), null)));
    }
    p.run().waitUntilFinish();
  }

  @SuppressWarnings("unchecked")
  static List<IntervalWindow> assign(WindowFn<Object, IntervalWindow> fn, Instant ts) {
    try {
      return new ArrayList<>(
          fn.assignWindows(
              fn.new AssignContext() {
                @Override
                public Object element() {
                  return null;
                }

                @Override
                public Instant timestamp() {
                  return ts;
                }

                @Override
                public BoundedWindow window() {
                  return null;
                }
              }));
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void fixedWindowsOnAStreamGiveOneResultPerWindow() {
    assertPerWindow((WindowFn) FixedWindows.of(Duration.standardSeconds(60)), timedPairs(21));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void slidingWindowsOnAStreamGiveOneResultPerWindow() {
    assertPerWindow(
        (WindowFn)
            SlidingWindows.of(Duration.standardSeconds(90)).every(Duration.standardSeconds(30)),
        timedPairs(22));
  }

  // ------------------------------------------------------------------------------ validation

  @Test
  void badFieldsFailAtExpandNamingTheField() {
    Pipeline p = pipeline();
    PCollection<Row> events = p.apply(Create.empty(RowCoder.of(EVENTS))).setRowSchema(EVENTS);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                events.apply(MineStream.of("txn", "item_id").withNumItems(5).withMinSupport(0.1)));
    assertTrue(
        e.getMessage().contains("'txn'") && e.getMessage().contains("session_id"), e.getMessage());
    Schema strings = Schema.builder().addInt64Field("t").addStringField("sku").build();
    PCollection<Row> bad = p.apply("s", Create.empty(RowCoder.of(strings))).setRowSchema(strings);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> bad.apply(MineStream.of("t", "sku").withNumItems(5).withMinSupport(0.1)));
    assertTrue(
        e.getMessage().contains("'sku'") && e.getMessage().contains("STRING"), e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> events.apply("n", MineStream.of("session_id", "item_id").withMinSupport(0.1)));
    assertThrows(
        IllegalStateException.class,
        () -> events.apply("s2", MineStream.of("session_id", "item_id").withNumItems(3)));
    assertThrows(IllegalArgumentException.class, () -> MineStream.ofKvs().withMinSupport(0));
    assertThrows(IllegalArgumentException.class, () -> MineStream.ofKvs().withMinSupport(1.5));
    assertThrows(IllegalArgumentException.class, () -> MineStream.ofKvs().withNumItems(0));
    assertThrows(IllegalArgumentException.class, () -> MineStream.ofKvs().withMaxLen(0));
    assertThrows(IllegalArgumentException.class, () -> MineStream.ofKvs().withShards(0));
    assertThrows(IllegalArgumentException.class, () -> MineStream.of("a", "a"));
  }

  @Test
  void anItemIdOutOfRangeFailsThePipelineNamingTheValue() {
    Pipeline p = pipeline();
    p.apply(
            Create.of(
                    Row.withSchema(EVENTS).addValues(1L, 2).build(),
                    Row.withSchema(EVENTS).addValues(7L, 12).build())
                .withRowSchema(EVENTS))
        .apply(MineStream.of("session_id", "item_id").withNumItems(10).withMinSupport(0.5));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String msg = rootMessage(e);
    assertTrue(
        msg.contains("item_id = 12") && msg.contains("transaction 7") && msg.contains("[0, 10)"),
        msg);
    // Understandable from the command line too: the setting, as option and as method.
    assertTrue(msg.contains("raise withNumItems"), msg);
  }

  /**
   * Regression: numItems used to size per-shard arrays (2e9 ran out of memory on 5 pairs). Now
   * neither the bound nor a huge id (a SKU number) costs memory: only the ids seen do.
   */
  @Test
  void aHugeNumItemsAndHugeIdsCostNothing() {
    int sku = 1_999_999_998;
    List<KV<Long, Integer>> pairs =
        List.of(KV.of(1L, 3), KV.of(1L, sku), KV.of(2L, 3), KV.of(2L, sku), KV.of(3L, 7));
    Pipeline p = pipeline();
    PCollection<Row> out =
        p.apply(Create.of(pairs).withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
            .apply(MineStream.ofKvs().withNumItems(2_000_000_000).withMinSupport(0.5));
    // By hand (the batch oracle sizes its tables by the largest id): N = 3, threshold 2.
    PAssert.that(out)
        .satisfies(
            equalTo(
                Set.of(
                    key(2 / 3.0, List.of(3), 2, 3),
                    key(2 / 3.0, List.of(sku), 2, 3),
                    key(2 / 3.0, List.of(3, sku), 2, 3))));
    p.run().waitUntilFinish();
  }

  @Test
  void aNullItemFailsThePipelineNamingTheTransaction() {
    Schema nullable =
        Schema.builder()
            .addInt64Field("session_id")
            .addNullableField("item_id", Schema.FieldType.INT32)
            .build();
    Pipeline p = pipeline();
    p.apply(Create.of(Row.withSchema(nullable).addValues(4L, null).build()).withRowSchema(nullable))
        .apply(MineStream.of("session_id", "item_id").withNumItems(10).withMinSupport(0.5));
    String msg = rootMessage(assertThrows(Exception.class, () -> p.run().waitUntilFinish()));
    assertTrue(msg.contains("null item_id") && msg.contains("4"), msg);
  }

  @Test
  void aFrequentItemWithoutANameFailsNamingTheId() {
    Pipeline p = pipeline();
    PCollectionView<Map<Integer, String>> view =
        p.apply(
                "Names",
                Create.of(KV.of(1, "one"))
                    .withCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())))
            .apply(View.asMap());
    p.apply(
            Create.of(KV.of(1L, 1), KV.of(1L, 3), KV.of(2L, 3))
                .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
        .apply(MineStream.ofKvs().withNumItems(5).withMinSupport(0.5).withItemNames(view));
    String msg = rootMessage(assertThrows(Exception.class, () -> p.run().waitUntilFinish()));
    assertTrue(msg.contains("item id 3 has no name"), msg);
  }

  @Test
  void callerBuiltShardMinersGiveTheSameItemsetsAndBadKeysAreRejected() {
    List<KV<Long, Integer>> pairs = randomPairs(31, 400, 20, 3);
    FPMiner[] shards = new FPMiner[4];
    for (KV<Long, Integer> kv : pairs) {
      int s = MineStream.shardOf(kv.getKey(), 4);
      if (shards[s] == null) {
        shards[s] = new FPMiner(20);
      }
      shards[s].add(kv.getKey(), kv.getValue());
    }
    List<KV<Integer, FPMiner>> miners = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      miners.add(KV.of(s, shards[s]));
    }
    Pipeline p = pipeline();
    PCollection<Row> out =
        p.apply(Create.of(miners).withCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of())))
            .apply(MineStream.ofShardMiners().withNumItems(20).withShards(4).withMinSupport(0.05));
    PAssert.that(out).satisfies(equalTo(expected(pairs, ItemsetMiner.minSupport(0.05), null)));
    p.run().waitUntilFinish();

    Pipeline q = pipeline();
    q.apply(
            Create.of(KV.of(9, shards[0]))
                .withCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of())))
        .apply(MineStream.ofShardMiners().withNumItems(20).withShards(4).withMinSupport(0.05));
    String msg = rootMessage(assertThrows(Exception.class, () -> q.run().waitUntilFinish()));
    assertTrue(msg.contains("shard key 9 is outside [0, 4)"), msg);
  }

  /** Regression: a transaction split over two shards was counted twice in N, with no error. */
  @Test
  void aShardMinerHoldingAnotherShardsTransactionFailsNamingIt() {
    FPMiner[] shards = new FPMiner[4];
    for (int s = 0; s < 4; s++) {
      shards[s] = new FPMiner(20);
    }
    long txn = 17;
    int right = MineStream.shardOf(txn, 4);
    int wrong = (right + 1) % 4;
    shards[right].add(txn, 1);
    shards[wrong].add(txn, 2); // the same transaction's other pair, in the wrong shard
    for (long t = 100; t < 140; t++) {
      shards[MineStream.shardOf(t, 4)].add(t, (int) (t % 5));
    }
    List<KV<Integer, FPMiner>> miners = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      miners.add(KV.of(s, shards[s]));
    }
    Pipeline p = pipeline();
    p.apply(Create.of(miners).withCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of())))
        .apply(MineStream.ofShardMiners().withNumItems(20).withShards(4).withMinSupport(0.05));
    String msg = rootMessage(assertThrows(Exception.class, () -> p.run().waitUntilFinish()));
    assertTrue(
        msg.contains("transaction 17 is in a miner keyed " + wrong)
            && msg.contains("belongs to shard " + right)
            && msg.contains("MineStream.shardOf(txn, 4)"),
        msg);
  }

  /**
   * Regression: the RAM budget of ShardPairs held per window, so a bundle over many windows held
   * many budgets. With a tiny budget and 40 windows the miners are sent on early, and every
   * window's result stays exact.
   */
  @Test
  void aTinyBudgetOverManyWindowsStaysExact() {
    Random r = new Random(41);
    List<TimestampedValue<KV<Long, Integer>>> timed = new ArrayList<>();
    Map<IntervalWindow, List<KV<Long, Integer>>> byWindow = new HashMap<>();
    for (long t = 0; t < 1200; t++) {
      long second = t % 40;
      IntervalWindow w =
          new IntervalWindow(new Instant(second * 1000), new Instant(second * 1000 + 1000));
      int len = 1 + r.nextInt(5);
      for (int k = 0; k < len; k++) {
        KV<Long, Integer> kv = KV.of(t, (int) Math.floor(12 * Math.pow(r.nextDouble(), 2)));
        timed.add(TimestampedValue.of(kv, new Instant(second * 1000 + r.nextInt(1000))));
        byWindow.computeIfAbsent(w, x -> new ArrayList<>()).add(kv);
      }
    }
    Collections.shuffle(timed, r);
    Pipeline p = pipeline();
    PCollection<Row> out =
        p.apply(
                Create.timestamped(timed)
                    .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
            .apply(Window.into(FixedWindows.of(Duration.standardSeconds(1))))
            .apply(
                MineStream.ofKvs()
                    .withNumItems(12)
                    .withMinSupport(0.1)
                    .withShards(4)
                    .withMaxRamBytes(MineStream.MIN_MAX_RAM_BYTES));
    for (Map.Entry<IntervalWindow, List<KV<Long, Integer>>> e : byWindow.entrySet()) {
      PAssert.that(out)
          .inWindow(e.getKey())
          .satisfies(equalTo(expected(e.getValue(), ItemsetMiner.minSupport(0.1), null)));
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long early = 0;
    for (var c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(MineStream.METRICS_NAMESPACE, "earlyFlushes"))
                    .build())
            .getCounters()) {
      early += c.getAttempted();
    }
    assertTrue(early > 0, "miners were sent on early: " + early);
  }

  @Test
  void threadsAreDecidedOnTheWorkerUnlessSet() {
    assertThrows(IllegalArgumentException.class, () -> MineStream.ofKvs().withThreads(0));
    DisplayData unset = DisplayData.from(MineStream.ofKvs().withNumItems(3).withMinSupport(0.5));
    assertTrue(
        unset.items().stream()
            .anyMatch(
                i ->
                    i.getKey().equals("threads")
                        && i.getValue().equals("each worker's available processors")),
        unset.toString());
    DisplayData set = DisplayData.from(MineStream.ofKvs().withThreads(3));
    assertTrue(
        set.items().stream().anyMatch(i -> i.getKey().equals("threads") && i.getValue().equals(3L)),
        set.toString());

    // MineFrequentFn ships no core count: a copy (as a worker gets it) reads its own in @Setup.
    MineFrequentFn fn =
        SerializableUtils.clone(
            new MineFrequentFn(
                MineStream.outputSchema(false), null, Target.ALL, Method.AUTO, null, null));
    fn.setup();
    assertEquals(Runtime.getRuntime().availableProcessors(), fn.workerThreads());
    MineFrequentFn three =
        SerializableUtils.clone(
            new MineFrequentFn(
                MineStream.outputSchema(false), null, Target.ALL, Method.AUTO, 3, null));
    three.setup();
    assertEquals(3, three.workerThreads());

    // The pairs CombineFn: the miner's default thread count is the launching JVM's, not shipped.
    PairsCombineFn byDefault =
        SerializableUtils.clone(new PairsCombineFn(5, ItemsetMiner.minSupport(0.5), 1 << 20));
    assertEquals(null, byDefault.config().threads());
    assertEquals(Runtime.getRuntime().availableProcessors(), byDefault.config().get().getThreads());
    int chosen = Runtime.getRuntime().availableProcessors() + 1;
    PairsCombineFn explicit =
        SerializableUtils.clone(
            new PairsCombineFn(5, ItemsetMiner.minSupport(0.5).withThreads(chosen), 1 << 20));
    assertEquals(chosen, explicit.config().threads());
    assertEquals(chosen, explicit.config().get().getThreads());
  }

  static String rootMessage(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append(" | ");
    }
    return sb.toString();
  }
}
