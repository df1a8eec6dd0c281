package io.rusket.beam.bench;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.transforms.MineGrouped;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.Row;

/**
 * Suite {@code grouped}: {@link MineGrouped#events} on the DirectRunner against the miner run store
 * by store in a plain loop, in one JVM, on generated sales of {@value #STORES} stores.
 *
 * <p>Data (seeded, the same every run): store sizes follow a Zipf law (store {@code s} gets a share
 * proportional to {@code 1/(s+1)}, so the largest is ~200× the smallest); {@value #ITEMS} items
 * with Zipf popularity (exponent 1); 2 to 7 item draws per receipt (an item drawn twice is one
 * event repeated, as in real logs); about {@value #TARGET_EVENTS} (store, receipt, sku) events in
 * all, shuffled. Each store is mined at minSupport {@value #MIN_SUPPORT}.
 *
 * <ul>
 *   <li><b>plain</b>: for each store, {@code TransactionDb.fromPairs} of its events, then {@link
 *       ItemsetMiner} AUTO, threads=1, into a {@link Fingerprint}; the per-store arrays are built
 *       before timing. At least {@code --warmup} runs and {@code --warmup-ms}, median of {@code
 *       --repeat}.
 *   <li><b>beam</b>: pipeline construction ({@code Create.of} the event Rows, which encodes them),
 *       {@code MineGrouped.events(...).withItemNames(false)} and a DoFn folding every output row
 *       into the same per-store fingerprints, run to completion on the DirectRunner with its
 *       defaults (immutability and encodability checks on); and again with both checks off. 1
 *       median of {@code --peer-repeat} (no separate warm-up: one run takes minutes).
 * </ul>
 *
 * Per-store itemset counts and checksums of every run must agree with the plain loop (else exit 1).
 * Target of issue 3: Beam overhead at most {@value #TARGET}× the plain loop.
 */
final class GroupedSuite implements Suite {
  static final int STORES = 200;
  static final int ITEMS = 1000;
  static final int TARGET_EVENTS = 2_000_000;
  static final double MIN_SUPPORT = 0.01;
  static final long SEED = 0x57_0E5L;
  static final double TARGET = 1.5;

  static final Schema EVENTS =
      Schema.builder().addInt32Field("store").addInt64Field("receipt").addInt32Field("sku").build();

  @Override
  public String name() {
    return "grouped";
  }

  @Override
  public String description() {
    return "MineGrouped.events on the DirectRunner vs the miner per store in a plain loop"
        + " (200 generated stores, ~2M events)";
  }

  /** The generated events, as parallel arrays, and split by store for the plain loop. */
  static final class Data {
    int[] store;
    long[] receipt;
    int[] sku;
    int receipts;
    long[][] storeReceipts = new long[STORES][];
    int[][] storeSkus = new int[STORES][];
    int[] storeTxns = new int[STORES];

    int events() {
      return store.length;
    }

    List<Row> rows() {
      List<Row> rows = new ArrayList<>(store.length);
      for (int k = 0; k < store.length; k++) {
        rows.add(Row.withSchema(EVENTS).attachValues(store[k], receipt[k], sku[k]));
      }
      return rows;
    }
  }

  static Data generate() {
    SplittableRandom rnd = new SplittableRandom(SEED);
    double[] itemCdf = EventGen.zipfCdf(ITEMS, 1.0);
    double[] storeShare = new double[STORES];
    double h = 0;
    for (int s = 0; s < STORES; s++) {
      h += storeShare[s] = 1.0 / (s + 1);
    }
    double meanBasket = 4.5;
    int[] store = new int[TARGET_EVENTS + 1024];
    long[] receipt = new long[store.length];
    int[] sku = new int[store.length];
    int n = 0;
    Data d = new Data();
    for (int s = 0; s < STORES; s++) {
      int txns = Math.max(1, (int) Math.round(TARGET_EVENTS * storeShare[s] / h / meanBasket));
      d.storeTxns[s] = txns;
      for (int t = 0; t < txns; t++) {
        long r = s * 10_000_000L + t;
        int len = 2 + rnd.nextInt(6);
        if (n + len > store.length) {
          int cap = store.length + store.length / 4;
          store = Arrays.copyOf(store, cap);
          receipt = Arrays.copyOf(receipt, cap);
          sku = Arrays.copyOf(sku, cap);
        }
        for (int k = 0; k < len; k++) {
          int i = Arrays.binarySearch(itemCdf, rnd.nextDouble());
          store[n] = s;
          receipt[n] = r;
          sku[n++] = i < 0 ? Math.min(-i - 1, ITEMS - 1) : i;
        }
        d.receipts++;
      }
    }
    // Shuffle: the events of one receipt may be anywhere.
    for (int k = n - 1; k > 0; k--) {
      int j = rnd.nextInt(k + 1);
      int ts = store[k];
      store[k] = store[j];
      store[j] = ts;
      long tr = receipt[k];
      receipt[k] = receipt[j];
      receipt[j] = tr;
      int ti = sku[k];
      sku[k] = sku[j];
      sku[j] = ti;
    }
    d.store = Arrays.copyOf(store, n);
    d.receipt = Arrays.copyOf(receipt, n);
    d.sku = Arrays.copyOf(sku, n);
    int[] fill = new int[STORES];
    for (int k = 0; k < n; k++) {
      fill[d.store[k]]++;
    }
    for (int s = 0; s < STORES; s++) {
      d.storeReceipts[s] = new long[fill[s]];
      d.storeSkus[s] = new int[fill[s]];
      fill[s] = 0;
    }
    for (int k = 0; k < n; k++) {
      int s = d.store[k];
      d.storeReceipts[s][fill[s]] = d.receipt[k];
      d.storeSkus[s][fill[s]++] = d.sku[k];
    }
    return d;
  }

  // -----------------------------------------------------------------------------------------
  // The two sides

  /** Per store: {itemsets, checksum}. */
  static Map<Integer, long[]> plainLoop(Data d, long[] keys) {
    ItemsetMiner miner = ItemsetMiner.minSupport(MIN_SUPPORT).withThreads(1);
    Map<Integer, long[]> out = new TreeMap<>();
    for (int s = 0; s < STORES; s++) {
      TransactionDb db = TransactionDb.fromPairs(d.storeReceipts[s], d.storeSkus[s], null);
      Fingerprint f = new Fingerprint(keys);
      miner.mine(db, f);
      if (f.itemsets() > 0) {
        out.put(s, new long[] {f.itemsets(), f.checksum()});
      }
    }
    return out;
  }

  /** Where the pipeline's last DoFn folds its rows (same JVM: the DirectRunner). */
  static final ConcurrentHashMap<Integer, long[]> BEAM_OUT = new ConcurrentHashMap<>();

  /** Folds each output row into its store's {itemsets, checksum}, as {@link Fingerprint} does. */
  static final class FoldFn extends DoFn<Row, Void> {
    private final long[] keys;

    FoldFn(long[] keys) {
      this.keys = keys;
    }

    @ProcessElement
    public void processElement(@Element Row row) {
      Collection<Integer> items = row.getArray(MineGrouped.ITEMSETS_FIELD);
      long k = 0;
      for (int item : items) {
        k += keys[item];
      }
      long term = Fingerprint.term(k, row.getInt64(MineGrouped.COUNT_FIELD));
      BEAM_OUT.compute(
          row.getInt32("store"),
          (s, v) -> {
            long[] a = v == null ? new long[2] : v;
            a[0]++;
            a[1] += term;
            return a;
          });
    }
  }

  static Map<Integer, long[]> beam(List<Row> rows, long[] keys, boolean checks) {
    BEAM_OUT.clear();
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(true);
    options.setEnforceImmutability(checks);
    options.setEnforceEncodability(checks);
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(rows).withRowSchema(EVENTS))
        .apply(
            MineGrouped.events("store", "receipt", "sku")
                .withMinSupport(MIN_SUPPORT)
                .withItemNames(false))
        .apply("Fold", ParDo.of(new FoldFn(keys)));
    p.run().waitUntilFinish();
    Map<Integer, long[]> out = new TreeMap<>();
    BEAM_OUT.forEach((s, v) -> out.put(s, v.clone()));
    return out;
  }

  static Outcome total(Map<Integer, long[]> perStore) {
    long n = 0;
    long sum = 0;
    for (long[] v : perStore.values()) {
      n += v[0];
      sum += v[1];
    }
    return new Outcome(n, sum, true);
  }

  /** Null if equal, else the first store that differs. */
  static String diff(Map<Integer, long[]> expected, Map<Integer, long[]> actual) {
    if (!expected.keySet().equals(actual.keySet())) {
      return "stores with itemsets differ: " + expected.size() + " vs " + actual.size();
    }
    for (Map.Entry<Integer, long[]> e : expected.entrySet()) {
      long[] a = actual.get(e.getKey());
      if (!Arrays.equals(e.getValue(), a)) {
        return "store "
            + e.getKey()
            + ": "
            + e.getValue()[0]
            + " itemsets vs "
            + a[0]
            + (e.getValue()[0] == a[0] ? " (checksums differ)" : "");
      }
    }
    return null;
  }

  // -----------------------------------------------------------------------------------------

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    double loadStart = loadAverage();
    long t0 = System.nanoTime();
    Data d = generate();
    List<Row> rows = d.rows();
    long[] keys = Fingerprint.itemKeys(ITEMS);
    int[] sizes = d.storeTxns.clone();
    Arrays.sort(sizes);
    err.printf(
        Locale.ROOT,
        "[bench] generated %,d events, %,d receipts, %d stores (receipts per store %,d .. %,d,"
            + " median %,d) in %.1f s%n",
        d.events(),
        d.receipts,
        STORES,
        sizes[0],
        sizes[STORES - 1],
        sizes[STORES / 2],
        (System.nanoTime() - t0) / 1e9);

    Map<Integer, long[]> expected = plainLoop(d, keys);
    List<String> problems = new ArrayList<>();
    String[] labels = {"beam (DirectRunner defaults)", "beam (checks off)"};

    err.println("[bench] timing the plain loop ...");
    HeapProbe.resetPoolPeaks();
    Measured plain =
        Measured.measure(o.warmup, o.warmupMillis, o.repeat, () -> total(plainLoop(d, keys)), null);
    long plainHeap = HeapProbe.poolPeaks();
    Measured[] beam = new Measured[2];
    long[] beamHeap = new long[2];
    List<Map<Integer, long[]>> beamOut = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      boolean checks = c == 0;
      String label = labels[c];
      err.println("[bench] timing " + label + " ...");
      HeapProbe.resetPoolPeaks();
      // No separate warm-up: a run takes minutes (compiled code is reached within it) and every
      // run is checked store by store.
      beam[c] =
          Measured.measure(
              0,
              0,
              o.peerRepeat,
              () -> {
                Map<Integer, long[]> perStore = beam(rows, keys, checks);
                String why = diff(expected, perStore);
                if (why != null) {
                  problems.add(label + ": " + why);
                }
                beamOut.add(perStore);
                return total(perStore);
              },
              null);
      beamHeap[c] = HeapProbe.poolPeaks();
      err.println("[bench] " + label + ": " + MinerSuite.ms(beam[c].medianMs()) + " ms");
    }
    Outcome ref = total(expected);
    for (Measured m : new Measured[] {plain, beam[0], beam[1]}) {
      if (!m.ok()) {
        problems.add("a configuration failed: " + m.error());
      } else if (!m.consistent() || !m.outcome().consistentWith(ref)) {
        problems.add("a timed configuration's output differs from the verified one");
      }
    }
    Map<Integer, long[]> lastBeam = beamOut.isEmpty() ? null : beamOut.get(beamOut.size() - 1);

    // Report.
    Runtime rt = Runtime.getRuntime();
    out.println();
    out.println(
        "rusket-beam benchmark, suite "
            + name()
            + ", "
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
    out.printf(
        Locale.ROOT,
        "JVM %s, max heap %s, GC %s, %d cores, load average %.2f at start%n",
        System.getProperty("java.version"),
        MinerSuite.mib(rt.maxMemory()),
        HeapProbe.collectorInfo(),
        cores,
        loadStart);
    out.printf(
        Locale.ROOT,
        "data: %d stores (Zipf sizes, %,d .. %,d receipts), %,d items (Zipf popularity), %,d"
            + " receipts, %,d events (store INT32, receipt INT64, sku INT32), seed %d;"
            + " minSupport %s per store%n",
        STORES,
        sizes[0],
        sizes[STORES - 1],
        ITEMS,
        d.receipts,
        d.events(),
        SEED,
        MinerSuite.support(MIN_SUPPORT));
    out.println();
    TextTable t =
        new TextTable()
            .text("configuration")
            .num("itemsets")
            .num("stores")
            .num("median ms")
            .num("spread")
            .num("runs")
            .num("vs plain")
            .num("heap peak");
    addRow(
        t,
        "plain loop (fromPairs + ItemsetMiner, threads=1)",
        plain,
        plain,
        expected,
        MinerSuite.mib(plainHeap));
    addRow(t, labels[0], beam[0], plain, lastBeam, MinerSuite.mib(beamHeap[0]));
    addRow(t, labels[1], beam[1], plain, lastBeam, MinerSuite.mib(beamHeap[1]));
    t.print(out);
    out.println(
        "  plain: per store, TransactionDb.fromPairs(receipts, skus) + ItemsetMiner AUTO"
            + " threads=1 into a checksum sink, stores one after another on one thread.");
    out.println(
        "  beam: Create.of(rows) + MineGrouped.events(store, receipt, sku).withItemNames(false)"
            + " + a DoFn folding each row into per-store checksums, DirectRunner, run to"
            + " completion (it uses all cores).");
    out.println(
        "  heap peak: sum of the heap pools' peak usage (JMX, reset before each configuration;"
            + " garbage included; the generated rows, ~"
            + MinerSuite.mib(120L * d.events())
            + ", are live throughout).");
    out.println();
    if (problems.isEmpty()) {
      out.println("Correctness: PASS (per-store itemset counts and checksums agree)");
    } else {
      out.println("Correctness: FAIL");
      for (String p : problems) {
        out.println("  " + p);
      }
    }
    double ratio = beam[0].medianMs() / plain.medianMs();
    out.printf(
        Locale.ROOT,
        "Load average %.2f at the end (%d-core machine shared: treat timings as noisy).%n",
        loadAverage(),
        cores);
    out.println(
        "Target: Beam overhead at most "
            + TARGET
            + "× the plain loop (DirectRunner defaults): "
            + (Double.isNaN(ratio)
                ? "n/a"
                : (ratio <= TARGET ? "PASS" : "FAIL")
                    + " ("
                    + MinerSuite.ratio(ratio)
                    + "; checks off: "
                    + MinerSuite.ratio(beam[1].medianMs() / plain.medianMs())
                    + ")")
            + " | correctness: "
            + (problems.isEmpty() ? "PASS" : "FAIL"));
    return problems.isEmpty() ? 0 : 1;
  }

  private static void addRow(
      TextTable t,
      String label,
      Measured m,
      Measured plain,
      Map<Integer, long[]> perStore,
      String heap) {
    List<String> row = new ArrayList<>();
    row.add(label);
    row.add(m.ok() ? String.format(Locale.ROOT, "%,d", m.outcome().itemsets()) : "error");
    row.add(Integer.toString(perStore == null ? 0 : perStore.size()));
    row.add(MinerSuite.ms(m.medianMs()));
    row.add(MinerSuite.pct(m.spread()));
    row.add(Integer.toString(m.nanos().length));
    row.add(MinerSuite.ratio(m.medianMs() / plain.medianMs()));
    row.add(heap);
    t.row(row);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
