package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemIdMap;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.testing.Datasets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** MineStream's CombineFns and coders without a pipeline, and retail as shuffled events. */
class MineStreamCombineFnsTest {
  @Test
  void pairsCombineFnHonoursTheCombineFnContract() {
    for (int seed = 0; seed < 4; seed++) {
      List<KV<Long, Integer>> pairs = MineStreamTest.randomPairs(seed, 120, 15, 3);
      ItemsetMiner cfg = ItemsetMiner.minSupport(0.05).withMaxLen(3).withThreads(1);
      CombineFn<KV<Long, Integer>, FPMiner, Itemsets> fn = MineStream.combineFn(15, cfg);
      // CombineFnTester shards, reorders, merges with empty accumulators and extracts twice.
      CombineFnTester.testCombineFn(fn, new ArrayList<>(pairs), cfg.mine(db(pairs)));
    }
    CombineFn<KV<Long, Integer>, FPMiner, Itemsets> fn =
        MineStream.combineFn(4, ItemsetMiner.minCount(1));
    assertEquals(0, fn.apply(List.of()).size(), "empty accumulator: no itemsets");
  }

  @Test
  void mergeMinersFnMergesOnlyIntoTheFirstAccumulator() throws IOException {
    List<KV<Long, Integer>> pairs = MineStreamTest.randomPairs(5, 300, 20, 3);
    List<FPMiner> parts = new ArrayList<>();
    FPMiner all = new FPMiner(20);
    for (int k = 0; k < 6; k++) {
      parts.add(new FPMiner(20));
    }
    Random r = new Random(1);
    for (KV<Long, Integer> kv : pairs) {
      parts.get(r.nextInt(6)).add(kv.getKey(), kv.getValue());
      all.add(kv.getKey(), kv.getValue());
    }
    List<byte[]> before = new ArrayList<>();
    for (FPMiner m : parts) {
      before.add(m.toBytes());
    }
    MergeMinersFn fn = MineStream.mergeMinersFn(20, 1 << 20);
    CombineFnTester.testCombineFn(fn, new ArrayList<>(parts), all);
    for (int k = 0; k < parts.size(); k++) {
      assertArrayEquals(before.get(k), parts.get(k).toBytes(), "input " + k + " unchanged");
    }
    // mergeAccumulators: only the first changes.
    FPMiner a = fn.createAccumulator();
    FPMiner b = fn.addInput(fn.createAccumulator(), parts.get(1));
    byte[] bBytes = b.toBytes();
    FPMiner merged = fn.mergeAccumulators(List.of(a, b));
    assertTrue(merged == a);
    assertArrayEquals(bBytes, b.toBytes());
    assertEquals(fn.extractOutput(merged), fn.extractOutput(merged), "extract is repeatable");
  }

  @Test
  void codersRoundTrip() throws Exception {
    List<KV<Long, Integer>> pairs = MineStreamTest.randomPairs(6, 200, 25, 3);
    FPMiner m = new FPMiner(25);
    for (KV<Long, Integer> kv : pairs) {
      m.add(kv.getKey(), kv.getValue());
    }
    CoderProperties.coderDecodeEncodeEqual(FPMinerCoder.of(), m);
    CoderProperties.coderDecodeEncodeEqual(FPMinerCoder.of(), new FPMiner(3));
    CoderProperties.coderDeterministic(FPMinerCoder.of(), m, FPMiner.fromBytes(m.toBytes()));
    CoderProperties.coderSerializable(FPMinerCoder.of());

    Itemsets freq = m.mine(ItemsetMiner.minSupport(0.05));
    CoderProperties.coderDecodeEncodeEqual(ItemsetsCoder.of(), freq);
    CoderProperties.coderDecodeEncodeEqual(
        ItemsetsCoder.of(),
        ItemsetMiner.minCount(1)
            .mine(TransactionDb.fromStringBaskets(List.of(List.of("x", "y"), List.of("y")))));
    CoderProperties.coderSerializable(ItemsetsCoder.of());

    ItemCounts counts = ItemCounts.ofDense(200, m.itemSupports());
    CoderProperties.coderDecodeEncodeEqual(ItemCounts.coder(), counts);

    PrunedBaskets b = PrunedBaskets.forCounts(counts, 0.05);
    b.add(new int[] {0, 2, 5}, 3);
    b.add(new int[] {1, 300}, 2);
    CoderProperties.coderDecodeEncodeEqual(PrunedBaskets.coder(), b);
    assertEquals(CoderUtils.encodeToByteArray(PrunedBaskets.coder(), b).length, b.encodedSize());
    CoderProperties.coderDecodeEncodeEqual(PrunedBaskets.coder(), new PrunedBaskets());
    PrunedBaskets.CsrBuilder one = new PrunedBaskets.CsrBuilder(b.withoutBaskets(), 2, 5);
    one.add(b);
    TransactionDb db = one.build();
    assertArrayEquals(new int[] {0, 2, 5}, db.transaction(0));
    assertArrayEquals(new int[] {1, 300}, db.transaction(1));

    // A truncated accumulator is a CoderException that says so.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FPMinerCoder.of().encode(m, out);
    byte[] bytes = Arrays.copyOf(out.toByteArray(), out.size() - 3);
    CoderException e =
        assertThrows(
            CoderException.class,
            () -> FPMinerCoder.of().decode(new java.io.ByteArrayInputStream(bytes)));
    assertTrue(e.getMessage().contains("Truncated"), e.getMessage());
  }

  @Test
  void csrBuilderDecodesShardsOneByOneAndChecksTheFacts() {
    ItemCounts counts = ItemCounts.ofDense(10, new long[] {5, 4, 3, 1});
    PrunedBaskets x = PrunedBaskets.forCounts(counts, 0.2);
    x.add(new int[] {0, 1}, 2);
    PrunedBaskets y = PrunedBaskets.forCounts(counts, 0.2);
    y.add(new int[] {0, 2}, 2);
    y.add(new int[] {0, 1, 2}, 3);
    assertEquals(1, x.pruned, "item 3 (support 1 < 2) is pruned");
    PrunedBaskets.CsrBuilder csr = new PrunedBaskets.CsrBuilder(x.withoutBaskets(), 3, 7);
    csr.add(x);
    csr.add(new PrunedBaskets()); // an empty value adds nothing
    csr.add(y);
    TransactionDb db = csr.build();
    assertEquals(3, db.size());
    assertArrayEquals(new int[] {0, 1}, db.transaction(0));
    assertArrayEquals(new int[] {0, 2}, db.transaction(1));
    assertArrayEquals(new int[] {0, 1, 2}, db.transaction(2));
    assertEquals(3, db.nItems());

    // Other facts (another N): the shards disagree, which names both N.
    PrunedBaskets other =
        PrunedBaskets.forCounts(ItemCounts.ofDense(11, new long[] {5, 4, 3, 1}), 0.2);
    other.add(new int[] {0, 1}, 2);
    PrunedBaskets.CsrBuilder mixed = new PrunedBaskets.CsrBuilder(x.withoutBaskets(), 2, 4);
    mixed.add(x);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> mixed.add(other));
    assertTrue(e.getMessage().contains("N 10 vs 11"), e.getMessage());

    // Counts that do not match the baskets added are a clear error, not a corrupt database.
    PrunedBaskets.CsrBuilder few = new PrunedBaskets.CsrBuilder(x.withoutBaskets(), 1, 2);
    assertThrows(IllegalStateException.class, () -> few.add(y));
    PrunedBaskets.CsrBuilder many = new PrunedBaskets.CsrBuilder(x.withoutBaskets(), 2, 4);
    many.add(x);
    assertThrows(IllegalStateException.class, many::build);
  }

  /** The shards' parts are collected by reference, in any grouping, to the same multiset. */
  @Test
  void collectFnCollectsEveryValue() {
    CollectFn<Integer> fn = new CollectFn<>(VarIntCoder.of());
    List<Integer> in = List.of(3, 1, 4, 1, 5);
    List<Integer> out =
        fn.extractOutput(
            fn.mergeAccumulators(
                List.of(
                    fn.addInput(fn.addInput(fn.createAccumulator(), 3), 1),
                    fn.createAccumulator(),
                    fn.addInput(fn.addInput(fn.addInput(fn.createAccumulator(), 4), 1), 5))));
    List<Integer> sorted = new ArrayList<>(out);
    sorted.sort(null);
    List<Integer> expected = new ArrayList<>(in);
    expected.sort(null);
    assertEquals(expected, sorted);
  }

  @Test
  void shardPartsRoundTrip() throws Exception {
    FPMiner m = new FPMiner(25);
    m.add(7, 3);
    m.add(7, 4);
    CoderProperties.coderDecodeEncodeEqual(ShardPart.coder(1 << 20), ShardPart.ofMiner(m));
    CoderProperties.coderDecodeEncodeEqual(
        ShardPart.coder(1 << 20), ShardPart.ofCounts(ItemCounts.ofDense(3, new long[] {1, 2})));
    CoderProperties.coderSerializable(ShardPart.coder(1 << 20));
  }

  /**
   * Regression: ShardPairs' budget held per window. Over 60 windows with a tiny budget the held
   * miners stay within it after every pair (by their own measure, not only by the accounting), and
   * the miners emitted per window merge to exactly that window's pairs.
   */
  @Test
  void pendingMinersKeepOneBudgetOverAllWindowsAndLoseNothing() {
    int shards = 4;
    long budget = MineStream.MIN_MAX_RAM_BYTES;
    ShardPairsFn.PendingMiners pending =
        new ShardPairsFn.PendingMiners(30, shards, budget / shards, budget);
    Map<BoundedWindow, FPMiner> expected = new HashMap<>();
    Map<BoundedWindow, FPMiner> got = new HashMap<>();
    ShardPairsFn.Emitter collect =
        (w, shard, m) -> {
          assertTrue(shard >= 0 && shard < shards);
          got.computeIfAbsent(w, x -> new FPMiner(30)).merge(m);
        };
    IntervalWindow[] windows = new IntervalWindow[60];
    for (int k = 0; k < windows.length; k++) {
      windows[k] = new IntervalWindow(new Instant(k * 1000L), new Instant(k * 1000L + 1000));
    }
    Random r = new Random(7);
    for (int i = 0; i < 30_000; i++) {
      // Mostly the current window, sometimes an old one, as late data or sliding windows give.
      int k = r.nextInt(10) == 0 ? r.nextInt(windows.length) : (i / 500) % windows.length;
      long txn = r.nextInt(400) + 1000L * k;
      int item = r.nextInt(30);
      expected.computeIfAbsent(windows[k], x -> new FPMiner(30)).add(txn, item);
      if (pending.add(windows[k], txn, item)) {
        assertTrue(pending.emitLargest(collect) > 0);
        assertTrue(pending.heldBytes() <= budget / 2, "emitted down to half the budget");
      }
      assertTrue(pending.heldBytes() <= budget, "held " + pending.heldBytes() + " of " + budget);
      if (i % 97 == 0) {
        assertEquals(pending.measuredHeldBytes(), pending.heldBytes(), "accounting at pair " + i);
      }
    }
    assertTrue(pending.emittedEarly() > 0, "the budget was reached");
    assertTrue(pending.peakHeldBytes() <= budget);
    pending.flushAll(collect);
    assertEquals(0, pending.windows());
    assertEquals(expected.keySet(), got.keySet());
    for (BoundedWindow w : expected.keySet()) {
      assertArrayEquals(expected.get(w).toBytes(), got.get(w).toBytes(), "window " + w);
    }
  }

  /** Regression: past 1 GiB the growth cast went negative; past 2 GiB the size sum overflowed. */
  @Test
  void prunedBasketsSizesAreLongAndTheLimitIsNamed() {
    int grown = PrunedBaskets.capacity(1_500_000_000, 1_500_000_100L, PrunedBaskets.SHARD_FIX);
    assertTrue(grown >= 1_500_000_100L, "grown to " + grown);
    // The old growth, (int) Math.max(needed, 2L * length + 64), is negative here.
    assertTrue((int) Math.max(1_500_000_100L, 2L * 1_500_000_000 + 64) < 0);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                PrunedBaskets.capacity(
                    2_000_000_000, 2_000_000_000L + 2_000_000_000L, PrunedBaskets.WINDOW_FIX));
    assertTrue(
        e.getMessage().contains("4000000000 bytes")
            && e.getMessage().contains(String.valueOf(ArrayUtil.MAX_ARRAY_LENGTH))
            && e.getMessage().contains("raise minSupport"),
        e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> PrunedBaskets.capacity(0, Integer.MAX_VALUE, PrunedBaskets.SHARD_FIX));
    assertTrue(e.getMessage().contains("raise withShards"), e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class, () -> PrunedBaskets.checkMineable(10, 3_000_000_000L));
    assertTrue(e.getMessage().contains("3000000000 frequent item occurrences"), e.getMessage());
    PrunedBaskets.checkMineable(10, 40);
  }

  @Test
  void factsRankTheFrequentItemsByDescendingSupportThenId() {
    PrunedBaskets f =
        PrunedBaskets.forCounts(ItemCounts.ofDense(10, new long[] {3, 5, 5, 0, 1}), 0.2);
    assertEquals(2, f.minCount);
    assertArrayEquals(new int[] {1, 2, 0}, f.rankToItem);
    assertArrayEquals(new long[] {5, 5, 3}, f.rankSupport);
    assertEquals(1, f.pruned, "item 4 is seen but infrequent; item 3 is not seen");
    PrunedBaskets none = PrunedBaskets.forCounts(ItemCounts.empty(), 0.5);
    assertEquals(0, none.rankToItem.length);
    assertEquals(0, none.n);
  }

  /** Regression: the counts were sized by numItems (2e9 → an array of 16 GB per shard). */
  @Test
  void itemCountsAreSizedByTheIdsSeen() throws Exception {
    FPMiner m = new FPMiner(2_000_000_000);
    for (long t : new long[] {5, 9, 12}) {
      m.add(t, 3);
    }
    m.add(9, 17);
    m.add(12, 1_999_999_998);
    m.add(5, 1_999_999_998);
    m.add(5, ItemIdMap.DENSE_IDS);
    ItemCounts c = ItemCounts.ofShard(m, 0, 1);
    assertEquals(3, c.n);
    assertArrayEquals(new int[] {3, 17, ItemIdMap.DENSE_IDS, 1_999_999_998}, c.ids);
    assertArrayEquals(new long[] {3, 1, 1, 2}, c.support);
    assertEquals(0, ItemCounts.ofShard(new FPMiner(2_000_000_000), 0, 1).ids.length);
    CoderProperties.coderDecodeEncodeEqual(ItemCounts.coder(), c);
    CoderProperties.coderDecodeEncodeEqual(ItemCounts.coder(), ItemCounts.empty());
    assertTrue(CoderUtils.encodeToByteArray(ItemCounts.coder(), c).length < 20, "gaps as varints");

    PrunedBaskets f = PrunedBaskets.forCounts(c, 0.6); // threshold 2
    assertArrayEquals(new int[] {3, 1_999_999_998}, f.rankToItem);
    assertEquals(2, f.pruned);
  }

  @Test
  void sumCountsFnMergesSparseCounts() {
    ItemCounts a = new ItemCounts(4, new int[] {1, 5, 3_000_000}, new long[] {1, 2, 4});
    ItemCounts b = new ItemCounts(3, new int[] {0, 5, 2_000_000_000}, new long[] {3, 1, 1});
    ItemCounts c = new ItemCounts(2, new int[] {3_000_000}, new long[] {2});
    ItemCounts sum =
        new ItemCounts(
            9, new int[] {0, 1, 5, 3_000_000, 2_000_000_000}, new long[] {3, 1, 3, 6, 1});
    CombineFnTester.testCombineFn(new SumCountsFn(), new ArrayList<>(List.of(a, b, c)), sum);
    assertEquals(ItemCounts.empty(), new SumCountsFn().apply(List.of()));
  }

  /** The sparse side of the counts and ranks: many ids, collisions, growth. */
  @Test
  void itemIdMapAgreesWithAPlainMap() {
    ItemIdMap m = new ItemIdMap();
    Map<Integer, Long> oracle = new HashMap<>();
    Random r = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      int id = r.nextInt(3) == 0 ? r.nextInt(Integer.MAX_VALUE) : r.nextInt(500) << 20;
      long d = r.nextInt(5);
      m.addTo(id, d);
      oracle.merge(id, d, Long::sum);
    }
    assertEquals(oracle.size(), m.size());
    for (Map.Entry<Integer, Long> e : oracle.entrySet()) {
      assertEquals(e.getValue(), m.get(e.getKey(), -1), "id " + e.getKey());
    }
    assertEquals(-1, m.get(7, -1));
    int[] ids = m.sortedIds();
    assertEquals(oracle.size(), ids.length);
    for (int i = 1; i < ids.length; i++) {
      assertTrue(ids[i - 1] < ids[i]);
    }
  }

  /**
   * The retail dataset as shuffled (txn, item) events through the DirectRunner. The events are
   * generated inside the pipeline (a large {@code Create.of} list is re-serialized at every split
   * by the DirectRunner), and the runner's per-element immutability and encodability checks, which
   * every other test keeps on, are off: they cost 5× the pipeline itself at 900k events.
   */
  @Test
  void retailAsShuffledEventsGivesTheReferenceCounts() throws IOException {
    Path file = Datasets.require("retail.dat");
    List<Datasets.Reference> refs = new ArrayList<>();
    for (Datasets.Reference ref : Datasets.references()) {
      if (ref.dataset.equals("retail") && ref.exact() && ref.minSupport >= 0.001) {
        refs.add(ref);
      }
    }
    assertEquals(3, refs.size());
    Pipeline p =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(
                    "--enforceImmutability=false", "--enforceEncodability=false")
                .create());
    List<Integer> chunks = new ArrayList<>();
    for (int k = 0; k < ShuffledRetailFn.CHUNKS; k++) {
      chunks.add(k);
    }
    PCollection<KV<Long, Integer>> events =
        p.apply(Create.of(chunks))
            .apply("ShuffledEvents", ParDo.of(new ShuffledRetailFn(file.toString())))
            .setCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of()));
    for (Datasets.Reference ref : refs) {
      PCollection<Row> out =
          events.apply(
              "Mine" + ref.minSupport,
              MineStream.ofKvs().withNumItems(16_471).withMinSupport(ref.minSupport));
      final long[] byLength = ref.byLength;
      final long total = ref.itemsets;
      PAssert.that(out)
          .satisfies(
              rows -> {
                long[] got = new long[byLength.length + 1];
                long n = 0;
                Set<List<Object>> seen = new HashSet<>();
                for (Row r : rows) {
                  got[Math.min(byLength.length, r.getArray("itemsets").size() - 1)]++;
                  assertEquals(88_162L, r.getInt64("transactions"));
                  assertTrue(seen.add(new ArrayList<>(r.getArray("itemsets"))));
                  n++;
                }
                assertEquals(total, n, "itemsets");
                assertArrayEquals(byLength, Arrays.copyOf(got, byLength.length), "by length");
                assertEquals(0, got[byLength.length]);
                return null;
              });
    }
    p.run().waitUntilFinish();
  }

  /** Emits chunk k of retail's pairs, shuffled over the whole file (txn id = 31 × line + 5). */
  static final class ShuffledRetailFn extends DoFn<Integer, KV<Long, Integer>> {
    static final int CHUNKS = 64;
    private static final Map<String, Object[]> CACHE = new ConcurrentHashMap<>();
    private final String file;

    ShuffledRetailFn(String file) {
      this.file = file;
    }

    @ProcessElement
    public void processElement(@Element Integer k, OutputReceiver<KV<Long, Integer>> out) {
      Object[] pairs = CACHE.computeIfAbsent(file, ShuffledRetailFn::load);
      long[] txn = (long[]) pairs[0];
      int[] item = (int[]) pairs[1];
      int from = (int) ((long) txn.length * k / CHUNKS);
      int to = (int) ((long) txn.length * (k + 1) / CHUNKS);
      for (int i = from; i < to; i++) {
        out.output(KV.of(txn[i], item[i]));
      }
    }

    private static Object[] load(String file) {
      TransactionDb retail;
      try {
        retail = TransactionDb.readBaskets(Paths.get(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long[] txn = new long[(int) retail.nEntries()];
      int[] item = new int[txn.length];
      int k = 0;
      for (int t = 0; t < retail.size(); t++) {
        for (int it : retail.transaction(t)) {
          txn[k] = 31L * t + 5;
          // readBaskets numbers items by first appearance; use the file's own item numbers
          item[k++] = Integer.parseInt(retail.itemName(it));
        }
      }
      Random r = new Random(3);
      for (int i = txn.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        long tt = txn[i];
        txn[i] = txn[j];
        txn[j] = tt;
        int ii = item[i];
        item[i] = item[j];
        item[j] = ii;
      }
      return new Object[] {txn, item};
    }
  }

  static TransactionDb db(List<KV<Long, Integer>> pairs) {
    long[] t = new long[pairs.size()];
    int[] it = new int[pairs.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = pairs.get(i).getKey();
      it[i] = pairs.get(i).getValue();
    }
    return TransactionDb.fromPairs(t, it, null);
  }
}
