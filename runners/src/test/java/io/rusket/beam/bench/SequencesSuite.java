package io.rusket.beam.bench;

import io.rusket.beam.miner.SequenceDb;
import io.rusket.beam.miner.SequenceMiner;
import io.rusket.beam.miner.SequencePatterns;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.generate.SequenceGenerator;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.ParquetGroups;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.KeyKind;
import io.rusket.beam.transforms.MineSequences;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.Row;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.fpm.PrefixSpan;
import org.apache.spark.sql.SparkSession;

/**
 * Suite {@code sequences}: sequential patterns (PrefixSpan) against Spark MLlib's {@code
 * org.apache.spark.mllib.fpm.PrefixSpan}, on the {@code sequences} layout of the generator
 * (customers' time-ordered visits, items that tend to follow others; {@value #STORES} stores of
 * Zipf sizes, {@value #ITEMS} items; {@code --cases=N} events, default 1M), both on Spark {@code
 * local[2]} in this JVM.
 *
 * <ul>
 *   <li><b>Per store</b>: MLlib's {@code PrefixSpan.run} fitted store by store on each store's
 *       sequences (an RDD per store, built and cached beforehand, untimed), its patterns collected
 *       to the driver; against {@link MineSequences#events} on Beam's SparkRunner, end to end: the
 *       events read from the Parquet file column-wise as the {@code sequences} command reads them
 *       ({@link ParquetGroups#readSequences}, {@link MineSequences#ofSequenceEvents}), grouped,
 *       mined per store, every pattern folded into a counter checksum.
 *   <li><b>Global</b>: MLlib on all sequences (one cached RDD) against the core alone, {@link
 *       SequenceMiner} on 2 threads over a {@link SequenceDb} built beforehand (untimed).
 * </ul>
 *
 * <p>Both sides use minSupport {@value #MIN_SUPPORT} (1/16: exact in binary, so Spark's floating
 * point {@code ceil(minSupport × N)} equals our exact ceiling) and maxPatternLength {@value
 * #MAX_LEN}. Identical patterns are checked by count and an order-free checksum of (store, pattern,
 * count). Each configuration runs untimed on the data, again until {@code --warmup-ms} have passed
 * (so that the JIT has compiled the hot paths of the full-size run: warm-up runs on a small sample
 * left our first timed run at twice the next; MLlib's one warm-up run takes longer than the
 * default; {@code --warmup-ms=0}: none, for 10M-event runs), then {@code --peer-repeat} timed runs
 * (median), a GC before each; load average printed at start and end.
 */
final class SequencesSuite implements Suite {
  static final String MASTER = SparkSuite.MASTER;
  static final long EVENTS = 1_000_000;
  static final int STORES = 20;
  static final int ITEMS = 300;
  static final double MIN_SUPPORT = 0.0625;
  static final int MAX_LEN = 5;
  static final double TARGET_GROUPED = 20;
  static final double TARGET_GLOBAL = 50;

  private static final AtomicInteger RUNS = new AtomicInteger();

  @Override
  public String name() {
    return "sequences";
  }

  @Override
  public String description() {
    return "sequential patterns per store on the SparkRunner and the core alone globally, vs"
        + " Spark MLlib PrefixSpan, local[2], 1M generated events";
  }

  record Result(long patterns, long checksum) {}

  interface Side {
    Result run(Data d) throws Exception;
  }

  /** One generated dataset: the Parquet file and the sequences per store, as MLlib reads them. */
  static final class Data {
    final Path parquet;
    final SequenceGenerator.Events events;
    final Map<String, List<List<List<String>>>> byStore = new TreeMap<>();
    final List<List<List<String>>> all = new ArrayList<>();
    Map<String, JavaRDD<List<List<String>>>> rdds;
    JavaRDD<List<List<String>>> allRdd;
    SequenceDb globalDb;

    Data(Path dir, long events) throws Exception {
      Config c =
          Config.of(42)
              .withStores(STORES)
              .withItems(ITEMS)
              .withTransactions(Math.max(STORES, Math.round(events / 4.4)));
      GenerateData.write(c, dir, EnumSet.of(Layout.SEQUENCES), EnumSet.of(InputFormat.PARQUET));
      parquet = dir.resolve("sequences.parquet");
      this.events = SequenceGenerator.generate(c);
      SequenceGenerator.Events e = this.events;
      // store -> customer -> day -> items (file order: by store, customer, day, item id)
      Map<String, Map<Long, TreeMap<Long, TreeSet<String>>>> nested = new TreeMap<>();
      for (int k = 0; k < e.n; k++) {
        nested
            .computeIfAbsent(e.storeIds[e.store[k]], x -> new TreeMap<>())
            .computeIfAbsent(e.customer[k], x -> new TreeMap<>())
            .computeIfAbsent(e.day[k], x -> new TreeSet<>())
            .add(e.itemNames[e.item[k]]);
      }
      for (var s : nested.entrySet()) {
        List<List<List<String>>> seqs = new ArrayList<>();
        for (var customer : s.getValue().values()) {
          List<List<String>> steps = new ArrayList<>();
          for (TreeSet<String> step : customer.values()) {
            steps.add(new ArrayList<>(step));
          }
          seqs.add(steps);
        }
        byStore.put(s.getKey(), seqs);
        all.addAll(seqs);
      }
      globalDb = SequenceDb.fromStringSequences(all);
    }

    void cache(JavaSparkContext jsc) {
      rdds = new TreeMap<>();
      for (var s : byStore.entrySet()) {
        JavaRDD<List<List<String>>> rdd = jsc.parallelize(s.getValue(), 2).cache();
        rdd.count();
        rdds.put(s.getKey(), rdd);
      }
      allRdd = jsc.parallelize(all, 2).cache();
      allRdd.count();
    }
  }

  /** An order-free checksum term of one pattern (its steps' items sorted) of a store. */
  static long term(String store, String pattern, long count) {
    long h = (store + "|" + pattern).hashCode() * 0x9E3779B97F4A7C15L + count;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  static Result mllib(Map<String, JavaRDD<List<List<String>>>> rdds) {
    long n = 0;
    long sum = 0;
    for (var s : rdds.entrySet()) {
      List<PrefixSpan.FreqSequence<String>> got =
          new PrefixSpan()
              .setMinSupport(MIN_SUPPORT)
              .setMaxPatternLength(MAX_LEN)
              .run(s.getValue())
              .freqSequences()
              .toJavaRDD()
              .collect();
      for (PrefixSpan.FreqSequence<String> fs : got) {
        List<List<String>> steps = new ArrayList<>();
        for (List<String> step : fs.javaSequence()) {
          List<String> sorted = new ArrayList<>(step);
          sorted.sort(null);
          steps.add(sorted);
        }
        n++;
        sum += term(s.getKey(), steps.toString(), fs.freq());
      }
    }
    return new Result(n, sum);
  }

  static Result core(SequenceDb db) {
    SequencePatterns p =
        SequenceMiner.minSupport(MIN_SUPPORT).withMaxPatternLength(MAX_LEN).withThreads(2).mine(db);
    long sum = 0;
    for (int i = 0; i < p.size(); i++) {
      List<List<String>> steps = new ArrayList<>();
      for (String[] st : p.names(i)) {
        steps.add(List.of(st));
      }
      sum += term("", steps.toString(), p.count(i));
    }
    return new Result(p.size(), sum);
  }

  static Result beam(SparkSession spark, Path parquet) {
    String ns = "bench-sequences-" + RUNS.incrementAndGet();
    Pipeline p = Pipeline.create(SparkSuite.beamOptions(spark));
    // as the sequences command reads Parquet with an integer time (MineSequencesPipeline)
    Schema columns =
        TableSource.from(parquet.toString())
            .withColumns("store_id", "customer_id", "day", "item")
            .getSchema();
    p.apply(
            "Read",
            ParquetGroups.readSequences(
                parquet.toString(), columns, "store_id", "customer_id", "day", "item"))
        .apply(
            MineSequences.events("store_id", "customer_id", "day", "item")
                .withMinSupport(MIN_SUPPORT)
                .withMaxPatternLength(MAX_LEN)
                .ofSequenceEvents(KeyKind.INTEGER, KeyKind.STRING))
        .apply("Tally", ParDo.of(new TallyFn(ns)));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return new Result(
        RecommendSuite.counter(result, ns, "patterns"),
        RecommendSuite.counter(result, ns, "checksum"));
  }

  static final class TallyFn extends DoFn<Row, Void> {
    private static final long serialVersionUID = 1L;
    private final String ns;
    private transient Counter patterns;
    private transient Counter checksum;
    private long n;
    private long sum;

    TallyFn(String ns) {
      this.ns = ns;
    }

    @StartBundle
    public void start() {
      patterns = Metrics.counter(ns, "patterns");
      checksum = Metrics.counter(ns, "checksum");
      n = 0;
      sum = 0;
    }

    @ProcessElement
    public void processElement(@Element Row r) {
      n++;
      sum +=
          term(
              r.getString("store_id"), String.valueOf(r.getArray("sequence")), r.getInt64("count"));
    }

    @FinishBundle
    public void finish() {
      patterns.inc(n);
      checksum.inc(sum);
    }
  }

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    long n = EVENTS;
    if (!o.cases.isEmpty()) {
      try {
        n = BenchOptions.parseCount("--cases", o.cases.get(0));
      } catch (IllegalArgumentException e) {
        err.println(
            "benchmark: Invalid case for suite sequences: " + o.cases.get(0) + " (N events)");
        return 2;
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double loadStart = load();
    Path dir = Files.createTempDirectory("rusket-bench-sequences");
    err.printf(Locale.ROOT, "[bench] sequences: generating %,d events%n", n);
    Data data = new Data(dir.resolve("full"), n);
    SparkSession spark = SparkSuite.session();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> problems = new ArrayList<>();
    TimedRuns<Result> mllibGrouped;
    TimedRuns<Result> beamGrouped;
    TimedRuns<Result> mllibGlobal;
    TimedRuns<Result> coreGlobal;
    try {
      data.cache(jsc);
      mllibGrouped =
          measure("MLlib PrefixSpan per store " + MASTER, d -> mllib(d.rdds), data, o, err);
      beamGrouped =
          measure(
              "MineSequences per store, SparkRunner " + MASTER,
              d -> beam(spark, d.parquet),
              data,
              o,
              err);
      mllibGlobal =
          measure(
              "MLlib PrefixSpan global " + MASTER, d -> mllib(Map.of("", d.allRdd)), data, o, err);
      coreGlobal = measure("SequenceMiner global, 2 threads", d -> core(d.globalDb), data, o, err);
    } finally {
      org.apache.beam.runners.spark.translation.SparkContextFactory.clearProvidedSparkContext();
      spark.stop();
    }
    List<TimedRuns<Result>> all = List.of(mllibGrouped, beamGrouped, mllibGlobal, coreGlobal);
    for (TimedRuns<Result> t : all) {
      if (t.error() != null) {
        problems.add(t.label() + ": " + t.error());
      }
    }
    check(mllibGrouped, beamGrouped, problems);
    check(mllibGlobal, coreGlobal, problems);
    long sequences = data.all.size();
    out.println();
    out.println(
        "rusket-beam benchmark, suite "
            + name()
            + ", "
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
    out.printf(
        Locale.ROOT,
        "JVM %s, max heap %s, %d cores, load average %.2f at start; Spark %s %s%n",
        System.getProperty("java.version"),
        MinerSuite.mib(Runtime.getRuntime().maxMemory()),
        cores,
        loadStart,
        org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        MASTER);
    out.printf(
        Locale.ROOT,
        "%,d generated events (layout sequences: %d stores, %d items, %,d customers = sequences,"
            + " %,d visits); minSupport %s, maxPatternLength %d%n",
        data.events.n,
        STORES,
        ITEMS,
        sequences,
        data.events.visits,
        MinerSuite.support(MIN_SUPPORT),
        MAX_LEN);
    out.printf(
        Locale.ROOT,
        "Each side: %s, then %d timed runs (--peer-repeat), median%n",
        o.warmupMillis > 0
            ? "warm-up runs on the data for at least " + o.warmupMillis + " ms (--warmup-ms)"
            : "no warm-up (--warmup-ms=0: both sides timed from a cold start)",
        o.peerRepeat);
    TextTable t =
        new TextTable()
            .text("configuration")
            .num("patterns")
            .num("wall ms")
            .num("spread")
            .num("runs")
            .num("MLlib / this")
            .num("CPU ms")
            .num("MLlib / this (CPU)");
    for (TimedRuns<Result> x : all) {
      TimedRuns<Result> peer = x == mllibGrouped || x == beamGrouped ? mllibGrouped : mllibGlobal;
      t.row(
          List.of(
              x.label(),
              x.result() == null
                  ? "error"
                  : String.format(Locale.ROOT, "%,d", x.result().patterns()),
              MinerSuite.ms(x.medianMs()),
              MinerSuite.pct(StreamSuite.spread(x.nanos())),
              Integer.toString(x.nanos().length),
              MinerSuite.ratio(peer.medianMs() / x.medianMs()),
              MinerSuite.ms(x.medianCpuMs()),
              MinerSuite.ratio(peer.medianCpuMs() / x.medianCpuMs())));
    }
    t.print(out);
    out.println(
        "  per store: MLlib fitted store by store on cached RDDs of sequences (built untimed),"
            + " patterns collected; ours end to end from the Parquet file (read, group, mine,"
            + " checksum).");
    out.println(
        "  global: MLlib on one cached RDD of all sequences; the core on a SequenceDb built"
            + " beforehand; both deliver every pattern to the caller.");
    out.println(
        "  CPU: the JVM's process CPU time during a run (median; every thread, Spark's and GC's"
            + " included): less sensitive than wall time to other processes' load.");
    out.println(
        problems.isEmpty()
            ? "Correctness: PASS (identical patterns and counts: count and checksum equal)"
            : "Correctness: FAIL");
    for (String p : problems) {
      out.println("  " + p);
    }
    out.printf(
        Locale.ROOT,
        "Load average %.2f at the end (%d-core machine shared: treat timings as noisy).%n",
        load(),
        cores);
    target(out, "MineSequences per store", mllibGrouped, beamGrouped, TARGET_GROUPED);
    target(out, "SequenceMiner global", mllibGlobal, coreGlobal, TARGET_GLOBAL);
    return problems.isEmpty() ? 0 : 1;
  }

  private static void check(
      TimedRuns<Result> mllib, TimedRuns<Result> ours, List<String> problems) {
    if (mllib.result() != null && ours.result() != null) {
      if (!mllib.result().equals(ours.result())) {
        problems.add(ours.label() + " vs MLlib: " + ours.result() + " vs " + mllib.result());
      }
      if (mllib.result().patterns() == 0) {
        problems.add("no patterns at all (not a test)");
      }
    }
  }

  private static void target(
      PrintStream out, String what, TimedRuns<Result> peer, TimedRuns<Result> ours, double x) {
    double ratio = peer.medianMs() / ours.medianMs();
    out.println(
        "Target: "
            + what
            + " >= "
            + (int) x
            + "x faster than MLlib PrefixSpan: "
            + (Double.isNaN(ratio)
                ? "n/a"
                : (ratio >= x ? "PASS" : "FAIL") + " (" + MinerSuite.ratio(ratio) + ")"));
  }

  private static TimedRuns<Result> measure(
      String label, Side side, Data data, BenchOptions o, PrintStream err) {
    return TimedRuns.measure(
        label, () -> side.run(data), () -> side.run(data), o.warmupMillis, o.peerRepeat, err);
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
