package io.rusket.beam.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;

import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.MineStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.runners.spark.coders.SparkRunnerKryoRegistrator;
import org.apache.beam.runners.spark.translation.SparkContextFactory;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.fpm.FPGrowth;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Suite {@code spark}: rusket's Beam transforms on Beam's SparkRunner against Spark MLlib's {@code
 * ml.fpm.FPGrowth}, both on Spark {@code local[2]} in this JVM (one SparkContext, handed to Beam as
 * a provided context), end to end: each side generates the same data itself, mines it and folds
 * every itemset into a {@link Fingerprint} checksum on the executors.
 *
 * <ul>
 *   <li>{@code stream[:EVENTS]} (default {@value #EVENTS} events): the {@link EventGen} log (2,600
 *       Zipf items, ~4.4 items per basket), minSupport {@value #STREAM_MIN_SUPPORT}. <b>Beam</b>:
 *       {@code Create} of the chunk ids, a ParDo generating each chunk's {@code KV<Long, Integer>}
 *       events, {@code MineStream.ofKvs()}, a ParDo adding each itemset to Beam counters.
 *       <b>MLlib</b>: {@code parallelize} of the chunk ids, {@code flatMap} to the chunk's events,
 *       a DataFrame {@code (txn, item)}, {@code groupBy(txn).agg(collect_set(item))}, {@code
 *       FPGrowth.fit}, and an {@code aggregate} of {@code freqItemsets} (count and checksum).
 *   <li>{@code grouped[:RECEIPTS]} (default {@value #RECEIPTS} receipts): {@link ReceiptGen}'s
 *       receipts over 200 stores, minSupport {@value #GROUPED_MIN_SUPPORT} per store. <b>Beam</b>:
 *       {@code Create} of the chunk ids, a ParDo generating one-hot Rows ({@code store INT32} + one
 *       BOOLEAN field per item), {@code MineGrouped.byColumn("store") .withItemNames(false)}, a
 *       ParDo adding each itemset to its store's counters. <b>MLlib</b>, as a Spark user without
 *       rusket would: the receipts generated as {@code (store, items array<int>)} rows (no one-hot
 *       step: less work than Beam's side), cached, the distinct stores collected, then per store
 *       {@code filter(store = s)}, {@code FPGrowth.fit} and the same {@code aggregate}.
 * </ul>
 *
 * <p>Results are read back through Beam counters (attempted values; a namespace of its own per run,
 * since the SparkRunner's metrics accumulator lives as long as the JVM) and, for MLlib, from the
 * {@code aggregate} action: nothing relies on executors sharing the driver's statics. MLlib gets
 * minSupport − 1e-12: it computes its threshold as {@code ceil(minSupport × n)} in floating point,
 * rusket in exact decimal; the nudge makes both the same integer (for these supports and sizes the
 * exact product's fraction is a multiple of 0.001, far above the nudge).
 *
 * <p>After every run, untimed, the RDDs it left cached in the shared context are dropped. Each side
 * first runs once, untimed, on 1/20 of the data (for MLlib per store, its first 3 stores only; JIT,
 * Spark SQL's code generation, class loading), then {@code --peer-repeat} timed runs (median). Heap
 * peak: the JMX heap pools' peaks, reset after a {@code System.gc()} before each configuration's
 * timed runs: everything in the JVM, garbage and the idle SparkContext included.
 */
final class SparkSuite implements Suite {
  static final String MASTER = "local[2]";
  static final long EVENTS = 10_000_000;
  static final double STREAM_MIN_SUPPORT = StreamChild.MIN_SUPPORT;
  static final long RECEIPTS = 1_000_000;
  static final double GROUPED_MIN_SUPPORT = 0.01;
  static final double STREAM_TARGET = 5;
  static final double GROUPED_TARGET = 20;

  /** Subtracted from minSupport for MLlib (see the class javadoc). */
  static final double MLLIB_NUDGE = 1e-12;

  private static final AtomicInteger RUNS = new AtomicInteger();

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public String description() {
    return "MineStream and MineGrouped on the SparkRunner vs Spark MLlib FPGrowth, local[2]"
        + " (10M events; 1M one-hot receipts in 200 stores)";
  }

  /** One side's result: itemsets and checksum per group (group -1 for a global result). */
  record Result(Map<Integer, long[]> perGroup, long transactions) {
    long itemsets() {
      return perGroup.values().stream().mapToLong(v -> v[0]).sum();
    }

    long checksum() {
      return perGroup.values().stream().mapToLong(v -> v[1]).sum();
    }
  }

  /** Timed runs of one configuration. */
  record Timed(String label, long[] nanos, Result result, long heapPeak, String error) {
    double medianMs() {
      return nanos.length == 0 ? Double.NaN : StreamSuite.median(nanos) / 1e6;
    }
  }

  interface Side {
    Result run(long size, int storeLimit) throws Exception;
  }

  // -----------------------------------------------------------------------------------------

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    long streamEvents = -1;
    long groupedReceipts = -1;
    List<String> specs = o.cases.isEmpty() ? List.of("stream", "grouped") : o.cases;
    for (String c : specs) {
      String[] kv = c.split(":", 2);
      long size;
      try {
        size = kv.length == 1 ? -2 : Long.parseLong(kv[1].replace("_", ""));
      } catch (NumberFormatException e) {
        size = 0;
      }
      if (size == 0 || size < -2 || !(kv[0].equals("stream") || kv[0].equals("grouped"))) {
        err.println(
            "benchmark: Invalid case for suite spark: "
                + c
                + ". Valid values are stream, stream:EVENTS, grouped, grouped:RECEIPTS.");
        return 2;
      }
      if (kv[0].equals("stream")) {
        streamEvents = size == -2 ? EVENTS : size;
      } else {
        groupedReceipts = size == -2 ? RECEIPTS : size;
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double loadStart = loadAverage();
    SparkSession spark = session();
    List<String> problems = new ArrayList<>();
    List<Timed[]> pairs = new ArrayList<>();
    try {
      if (streamEvents > 0) {
        long n = streamEvents;
        err.printf(Locale.ROOT, "[bench] spark/stream: %,d events%n", n);
        Timed beam =
            measure(
                spark,
                "MineStream, SparkRunner " + MASTER,
                (size, limit) -> beamStream(spark, size),
                n,
                o.peerRepeat,
                err);
        Timed mllib =
            measure(
                spark,
                "Spark MLlib FPGrowth " + MASTER + " (groupBy + collect_set + fit)",
                (size, limit) -> mllibStream(spark, size),
                n,
                o.peerRepeat,
                err);
        pairs.add(new Timed[] {beam, mllib});
        check("stream", beam, mllib, problems);
      }
      if (groupedReceipts > 0) {
        long n = groupedReceipts;
        err.printf(Locale.ROOT, "[bench] spark/grouped: %,d receipts%n", n);
        Timed beam =
            measure(
                spark,
                "MineGrouped.byColumn, SparkRunner " + MASTER,
                (size, limit) -> beamGrouped(spark, size),
                n,
                o.peerRepeat,
                err);
        Timed mllib =
            measure(
                spark,
                "Spark MLlib FPGrowth " + MASTER + ", fit per store",
                (size, limit) -> mllibGrouped(spark, size, limit, err),
                n,
                o.peerRepeat,
                err);
        pairs.add(new Timed[] {beam, mllib});
        check("grouped", beam, mllib, problems);
      }
    } finally {
      SparkContextFactory.clearProvidedSparkContext();
      spark.stop();
    }

    out.println();
    out.println(
        "rusket-beam benchmark, suite "
            + name()
            + ", "
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
    out.printf(
        Locale.ROOT,
        "JVM %s, max heap %s, %d cores, load average %.2f at start;"
            + " Spark %s %s, one SparkContext for both sides%n",
        System.getProperty("java.version"),
        MinerSuite.mib(Runtime.getRuntime().maxMemory()),
        cores,
        loadStart,
        org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        MASTER);
    double streamRatio = Double.NaN;
    double groupedRatio = Double.NaN;
    int i = 0;
    if (streamEvents > 0) {
      Timed[] p = pairs.get(i++);
      out.println();
      out.printf(
          Locale.ROOT,
          "stream: %,d generated events (%,d items, Zipf %.1f; baskets 1 + geometric, mean %.1f),"
              + " %s transactions, minSupport %s, itemsets over all transactions%n",
          streamEvents,
          EventGen.ITEMS,
          EventGen.ZIPF,
          EventGen.MEAN_BASKET,
          p[0].result() == null
              ? "?"
              : String.format(Locale.ROOT, "%,d", p[0].result().transactions()),
          MinerSuite.support(STREAM_MIN_SUPPORT));
      streamRatio = table(out, p);
    }
    if (groupedReceipts > 0) {
      Timed[] p = pairs.get(i);
      int[] sizes = ReceiptGen.storeSizes(groupedReceipts);
      int[] sorted = sizes.clone();
      Arrays.sort(sorted);
      out.println();
      out.printf(
          Locale.ROOT,
          "grouped: %,d generated one-hot receipts, %d stores (Zipf sizes, %,d .. %,d receipts),"
              + " %d BOOLEAN item columns (Zipf %.1f), 1 + geometric draws (mean %.1f, at most %d),"
              + " minSupport %s per store%n",
          groupedReceipts,
          ReceiptGen.STORES,
          sorted[0],
          sorted[sorted.length - 1],
          ReceiptGen.ITEMS,
          ReceiptGen.ZIPF,
          ReceiptGen.MEAN_DRAWS,
          ReceiptGen.MAX_DRAWS,
          MinerSuite.support(GROUPED_MIN_SUPPORT));
      groupedRatio = table(out, p);
    }
    out.println();
    out.println(
        "  wall: end to end, from building the pipeline (or the first RDD) to the last"
            + " itemset folded into the checksum on the executors; data generated inside each system"
            + " (chunk ids -> generator), nothing read from files.");
    out.println(
        "  heap peak: sum of the JMX heap pools' peaks, reset after a GC before each"
            + " configuration; everything in the JVM (garbage, Spark's caches and the idle context"
            + " included).");
    out.println(
        "  results read back through Beam counters (itemsets and checksum sums, per store"
            + " for grouped) and MLlib's aggregate action.");
    out.println();
    out.println(
        problems.isEmpty()
            ? "Correctness: PASS (itemset counts and checksums identical"
                + (groupedReceipts > 0 ? ", per store" : "")
                + ")"
            : "Correctness: FAIL");
    for (String p : problems) {
      out.println("  " + p);
    }
    out.printf(
        Locale.ROOT,
        "Load average %.2f at the end (%d-core machine shared: treat timings as noisy).%n",
        loadAverage(),
        cores);
    out.println(
        "Targets: MineStream >= "
            + (int) STREAM_TARGET
            + "x faster than MLlib: "
            + verdict(streamRatio, STREAM_TARGET)
            + " | MineGrouped >= "
            + (int) GROUPED_TARGET
            + "x faster than MLlib per store: "
            + verdict(groupedRatio, GROUPED_TARGET)
            + " | correctness: "
            + (problems.isEmpty() ? "PASS" : "FAIL"));
    return problems.isEmpty() ? 0 : 1;
  }

  private static String verdict(double ratio, double target) {
    return Double.isNaN(ratio)
        ? "n/a"
        : (ratio >= target ? "PASS" : "FAIL") + " (" + MinerSuite.ratio(ratio) + ")";
  }

  /** Prints the two rows; returns MLlib's median / Beam's median. */
  private static double table(PrintStream out, Timed[] p) {
    TextTable t =
        new TextTable()
            .text("configuration")
            .num("itemsets")
            .num("wall ms")
            .num("spread")
            .num("runs")
            .num("MLlib / this")
            .num("heap peak");
    double ratio = p[1].medianMs() / p[0].medianMs();
    for (Timed x : p) {
      t.row(
          List.of(
              x.label(),
              x.result() == null
                  ? "error"
                  : String.format(Locale.ROOT, "%,d", x.result().itemsets()),
              MinerSuite.ms(x.medianMs()),
              MinerSuite.pct(StreamSuite.spread(x.nanos())),
              Integer.toString(x.nanos().length),
              MinerSuite.ratio(p[1].medianMs() / x.medianMs()),
              MinerSuite.mib(x.heapPeak())));
    }
    t.print(out);
    return ratio;
  }

  private static void check(String what, Timed beam, Timed mllib, List<String> problems) {
    for (Timed x : new Timed[] {beam, mllib}) {
      if (x.error() != null) {
        problems.add(what + ", " + x.label() + ": " + x.error());
      }
    }
    if (beam.result() == null || mllib.result() == null) {
      return;
    }
    Map<Integer, long[]> a = beam.result().perGroup();
    Map<Integer, long[]> b = mllib.result().perGroup();
    if (a.isEmpty()) {
      problems.add(what + ": no itemsets at all (not a test)");
    }
    String why = GroupedSuite.diff(a, b);
    if (why != null) {
      problems.add(what + ": MineStream/MineGrouped vs MLlib: " + why.replace("-1: ", ""));
    }
  }

  /**
   * One untimed run on 1/20 of the data (and for grouped, MLlib on 3 stores only), then {@code
   * repeat} timed runs, each after a GC; every run's result must equal the first timed one's.
   */
  private static Timed measure(
      SparkSession spark, String label, Side side, long size, int repeat, PrintStream err) {
    TimedRuns<Result> t =
        TimedRuns.measure(
            label,
            () -> {
              Result warm = side.run(Math.max(1, size / 20), 3);
              releaseCaches(spark);
              HeapProbe.resetPoolPeaks();
              return warm;
            },
            () -> side.run(size, Integer.MAX_VALUE),
            () -> releaseCaches(spark),
            r -> String.format(Locale.ROOT, "%,d itemsets", r.itemsets()),
            (a, b) -> GroupedSuite.diff(a.perGroup(), b.perGroup()) == null,
            repeat,
            err);
    long heapPeak = t.nanos().length == 0 ? 0 : HeapProbe.poolPeaks();
    return new Timed(t.label(), t.nanos(), t.result(), heapPeak, t.error());
  }

  /**
   * Untimed, after every run: drops any RDDs the run left cached in the shared context (Beam's
   * SparkRunner may cache a PCollection that several transforms read; whether it unpersists them
   * was not checked), so that the next run, of either side, starts with the context's memory free.
   */
  static void releaseCaches(SparkSession spark) {
    spark.catalog().clearCache();
    for (JavaRDD<?> rdd :
        JavaSparkContext.fromSparkContext(spark.sparkContext()).getPersistentRDDs().values()) {
      rdd.unpersist(true);
    }
  }

  // -----------------------------------------------------------------------------------------
  // Spark

  static SparkSession session() {
    SparkConf conf =
        new SparkConf()
            .setMaster(MASTER)
            .setAppName("rusket-benchmark-spark")
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.sql.shuffle.partitions", "2")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            // as Beam's SparkContextFactory sets it for the contexts it creates
            .set("spark.kryo.registrator", SparkRunnerKryoRegistrator.class.getName());
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Beam options on the SparkRunner in the session's context (not stopped by pipelines). */
  static SparkContextOptions beamOptions(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkContextFactory.setProvidedSparkContext(jsc);
    SparkContextOptions options = PipelineOptionsFactory.as(SparkContextOptions.class);
    options.setRunner(SparkRunner.class);
    options.setSparkMaster(MASTER);
    options.setUsesProvidedSparkContext(true);
    options.setProvidedSparkContext(jsc);
    // No S3 here: no AWS region, as the commands set it without an s3:// path or --awsRegion
    // (FileSystemSetup.usesS3). Left to its default, every pipeline run asks the AWS region chain,
    // whose EC2 metadata lookup sleeps ~1.5 s through its retries on a machine outside EC2.
    options.as(AwsOptions.class).setAwsRegion(null);
    return options;
  }

  static List<Integer> chunkIds(int chunks) {
    List<Integer> ids = new ArrayList<>(chunks);
    for (int k = 0; k < chunks; k++) {
      ids.add(k);
    }
    return ids;
  }

  /** The itemsets of a {@code freqItemsets} DataFrame as {itemsets, checksum}, on the executors. */
  static long[] fold(Dataset<org.apache.spark.sql.Row> freqItemsets, long[] keys) {
    return freqItemsets
        .javaRDD()
        .aggregate(
            new long[2],
            (acc, row) -> {
              List<Integer> items = row.getList(0);
              long k = 0;
              for (int i = 0, n = items.size(); i < n; i++) {
                k += keys[items.get(i)];
              }
              acc[0]++;
              acc[1] += Fingerprint.term(k, row.getLong(1));
              return acc;
            },
            (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
  }

  static Result mllibStream(SparkSession spark, long events) {
    long[] keys = Fingerprint.itemKeys(EventGen.ITEMS);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<org.apache.spark.sql.Row> rows =
        jsc.parallelize(chunkIds(EventGen.CHUNKS)).flatMap(k -> new EventRows(k, events));
    StructType schema =
        new StructType()
            .add("txn", DataTypes.LongType, false)
            .add("item", DataTypes.IntegerType, false);
    Dataset<org.apache.spark.sql.Row> baskets =
        spark.createDataFrame(rows, schema).groupBy("txn").agg(collect_set("item").as("items"));
    Dataset<org.apache.spark.sql.Row> freq =
        new FPGrowth()
            .setItemsCol("items")
            .setMinSupport(STREAM_MIN_SUPPORT - MLLIB_NUDGE)
            .fit(baskets)
            .freqItemsets();
    long[] r = fold(freq, keys);
    Map<Integer, long[]> m = new TreeMap<>();
    m.put(-1, r);
    return new Result(m, -1);
  }

  /** The events of chunk k as Spark rows (txn, item), generated lazily. */
  static final class EventRows implements Iterator<org.apache.spark.sql.Row> {
    private final EventGen gen;
    private final long[] txn = new long[1 << 12];
    private final int[] item = new int[1 << 12];
    private int n;
    private int i;

    EventRows(int k, long total) {
      gen = new EventGen(k, total);
    }

    @Override
    public boolean hasNext() {
      if (i == n) {
        n = gen.next(txn, item);
        i = 0;
      }
      return i < n;
    }

    @Override
    public org.apache.spark.sql.Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      org.apache.spark.sql.Row r = RowFactory.create(txn[i], item[i]);
      i++;
      return r;
    }
  }

  static Result mllibGrouped(
      SparkSession spark, long receipts, int storeLimit, PrintStream progress) {
    long t0 = System.nanoTime();
    long[] keys = Fingerprint.itemKeys(ReceiptGen.ITEMS);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<org.apache.spark.sql.Row> rows =
        jsc.parallelize(chunkIds(ReceiptGen.CHUNKS))
            .flatMap(
                k -> {
                  ReceiptGen g = new ReceiptGen(k, receipts);
                  List<org.apache.spark.sql.Row> out = new ArrayList<>();
                  int[] store = new int[1];
                  int[] items = new int[ReceiptGen.ITEMS];
                  int n;
                  while ((n = g.next(store, items)) >= 0) {
                    // int[]: Spark's row encoder takes a primitive array for array<int> as is
                    out.add(RowFactory.create(store[0], Arrays.copyOf(items, n)));
                  }
                  return out.iterator();
                });
    StructType schema =
        new StructType()
            .add("store", DataTypes.IntegerType, false)
            .add("items", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
    Dataset<org.apache.spark.sql.Row> df = spark.createDataFrame(rows, schema).cache();
    Map<Integer, long[]> m = new TreeMap<>();
    try {
      List<org.apache.spark.sql.Row> stores =
          df.select("store").distinct().orderBy("store").collectAsList();
      int done = 0;
      for (org.apache.spark.sql.Row s : stores) {
        if (done++ == storeLimit) {
          break;
        }
        int store = s.getInt(0);
        Dataset<org.apache.spark.sql.Row> freq =
            new FPGrowth()
                .setItemsCol("items")
                .setMinSupport(GROUPED_MIN_SUPPORT - MLLIB_NUDGE)
                .fit(df.filter(col("store").equalTo(store)))
                .freqItemsets();
        long[] r = fold(freq, keys);
        if (r[0] > 0) {
          m.put(store, r);
        }
        if (done % 20 == 0) {
          progress.printf(
              Locale.ROOT,
              "[bench]   MLlib: %d of %d stores fitted, %.0f s%n",
              done,
              stores.size(),
              (System.nanoTime() - t0) / 1e9);
        }
      }
    } finally {
      df.unpersist(true);
    }
    return new Result(m, receipts);
  }

  // -----------------------------------------------------------------------------------------
  // Beam on the SparkRunner

  /** Emits chunk k of a log of {@code total} events. */
  static final class GenerateEventsFn extends DoFn<Integer, KV<Long, Integer>> {
    private final long total;

    GenerateEventsFn(long total) {
      this.total = total;
    }

    @ProcessElement
    public void processElement(@Element Integer k, OutputReceiver<KV<Long, Integer>> out) {
      EventGen g = new EventGen(k, total);
      long[] t = new long[1 << 12];
      int[] it = new int[1 << 12];
      int n;
      while ((n = g.next(t, it)) > 0) {
        for (int i = 0; i < n; i++) {
          out.output(KV.of(t[i], it[i]));
        }
      }
    }
  }

  /** Emits chunk k of {@code total} receipts as one-hot Rows. */
  static final class GenerateReceiptsFn extends DoFn<Integer, org.apache.beam.sdk.values.Row> {
    private final long total;
    private final Schema schema;

    GenerateReceiptsFn(long total, Schema schema) {
      this.total = total;
      this.schema = schema;
    }

    @ProcessElement
    public void processElement(
        @Element Integer k, OutputReceiver<org.apache.beam.sdk.values.Row> out) {
      ReceiptGen g = new ReceiptGen(k, total);
      int[] store = new int[1];
      int[] items = new int[ReceiptGen.ITEMS];
      int n;
      while ((n = g.next(store, items)) >= 0) {
        Object[] values = new Object[1 + ReceiptGen.ITEMS];
        values[0] = store[0];
        Arrays.fill(values, 1, values.length, Boolean.FALSE);
        for (int i = 0; i < n; i++) {
          values[1 + items[i]] = Boolean.TRUE;
        }
        out.output(org.apache.beam.sdk.values.Row.withSchema(schema).attachValues(values));
      }
    }
  }

  static Schema receiptSchema() {
    Schema.Builder b = Schema.builder().addInt32Field("store");
    for (int i = 0; i < ReceiptGen.ITEMS; i++) {
      b.addBooleanField("item" + i);
    }
    return b.build();
  }

  /**
   * Adds each itemset row to counters {@code itemsets<g>} and {@code checksum<g>} of its group
   * ({@code g} the store, or empty without a group field), and N to distribution {@code
   * transactions}.
   */
  static final class TallyFn extends DoFn<org.apache.beam.sdk.values.Row, Void> {
    private final String namespace;
    private final long[] keys;
    private final boolean grouped;
    private transient Map<Integer, Counter[]> counters;
    private transient Distribution transactions;

    TallyFn(String namespace, long[] keys, boolean grouped) {
      this.namespace = namespace;
      this.keys = keys;
      this.grouped = grouped;
    }

    @Setup
    public void setup() {
      counters = new HashMap<>();
      transactions = Metrics.distribution(namespace, "transactions");
    }

    @ProcessElement
    public void processElement(@Element org.apache.beam.sdk.values.Row row) {
      Collection<Integer> items = row.getArray(MineGrouped.ITEMSETS_FIELD);
      long k = 0;
      for (int item : items) {
        k += keys[item];
      }
      int g = grouped ? row.getInt32("store") : -1;
      Counter[] c =
          counters.computeIfAbsent(
              g,
              s ->
                  new Counter[] {
                    Metrics.counter(namespace, "itemsets" + (s < 0 ? "" : s)),
                    Metrics.counter(namespace, "checksum" + (s < 0 ? "" : s))
                  });
      c[0].inc();
      c[1].inc(Fingerprint.term(k, row.getInt64(MineGrouped.COUNT_FIELD)));
      transactions.update(row.getInt64(MineGrouped.TRANSACTIONS_FIELD));
    }
  }

  /** The counters of a TallyFn as per-group {itemsets, checksum}, and the max N seen. */
  static Result tally(PipelineResult result, String namespace) {
    MetricQueryResults m =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(namespace))
                    .build());
    Map<Integer, long[]> out = new TreeMap<>();
    for (MetricResult<Long> c : m.getCounters()) {
      String name = c.getName().getName();
      boolean isCount = name.startsWith("itemsets");
      String g = name.substring(isCount ? "itemsets".length() : "checksum".length());
      int group = g.isEmpty() ? -1 : Integer.parseInt(g);
      out.computeIfAbsent(group, x -> new long[2])[isCount ? 0 : 1] += c.getAttempted();
    }
    long n = 0;
    for (MetricResult<DistributionResult> d : m.getDistributions()) {
      n = Math.max(n, d.getAttempted().getMax());
    }
    return new Result(out, n);
  }

  static Result beamStream(SparkSession spark, long events) {
    String ns = "bench-spark-" + RUNS.incrementAndGet();
    Pipeline p = Pipeline.create(beamOptions(spark));
    p.apply(Create.of(chunkIds(EventGen.CHUNKS)))
        .apply("Generate", ParDo.of(new GenerateEventsFn(events)))
        .setCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of()))
        .apply(MineStream.ofKvs().withNumItems(EventGen.ITEMS).withMinSupport(STREAM_MIN_SUPPORT))
        .apply("Tally", ParDo.of(new TallyFn(ns, Fingerprint.itemKeys(EventGen.ITEMS), false)));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return tally(result, ns);
  }

  static Result beamGrouped(SparkSession spark, long receipts) {
    String ns = "bench-spark-" + RUNS.incrementAndGet();
    Schema schema = receiptSchema();
    Pipeline p = Pipeline.create(beamOptions(spark));
    p.apply(Create.of(chunkIds(ReceiptGen.CHUNKS)))
        .apply("Generate", ParDo.of(new GenerateReceiptsFn(receipts, schema)))
        .setRowSchema(schema)
        .apply(
            MineGrouped.byColumn("store").withMinSupport(GROUPED_MIN_SUPPORT).withItemNames(false))
        .apply("Tally", ParDo.of(new TallyFn(ns, Fingerprint.itemKeys(ReceiptGen.ITEMS), true)));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return tally(result, ns);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
