package io.rusket.beam.bench;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.transforms.Recommend;
import io.rusket.beam.transforms.RecommendationSchema;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.fpm.FPGrowth;
import org.apache.spark.ml.fpm.FPGrowthModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Suite {@code recommend}: {@link Recommend} on Beam's SparkRunner against Spark MLlib's {@code
 * FPGrowthModel.transform}, both on Spark {@code local[2]} in this JVM, on the same rules.
 *
 * <p>Data: {@link Gen} baskets (1,000 Zipf items {@code i0 ... i999}, 60 planted bundles of 2 to 4
 * items, each basket 1 + geometric items, a bundle in 40% of them), generated chunk by chunk from a
 * seed on the executors by both sides. Rules: MLlib's {@code FPGrowth.fit} on {@value #TRAIN}
 * training baskets (another seed), minSupport {@value #MIN_SUPPORT}, minConfidence {@value
 * #MIN_CONFIDENCE}; its {@code associationRules} (cached, untimed) are what {@code transform} uses,
 * and the same rules, collected, are Recommend's input (a {@code Create} of rule rows: {@code
 * antecedents, consequents, support, confidence, lift}). Then, timed, on {@code --cases=N} baskets
 * (default {@value #BASKETS}): <b>MLlib</b> {@code model.transform(baskets)} and an aggregate of
 * the prediction column (count of (basket, item) pairs and an order-free checksum); <b>Beam</b> a
 * pipeline generating the same baskets, {@code Recommend.basketsGlobally(...).withK(ALL)} and a
 * ParDo adding each (basket, item) to counters, once with the rules as a side input (the default
 * for global rules) and once joined by (group, shard) ({@code withRulesAsSideInput(false)}, the
 * default for rules per group). With k = ∞ and the same rules, our items per basket must equal
 * MLlib's predictions as sets: count and checksum must be equal. A second Beam row times the
 * default top 5.
 *
 * <p>As in suite {@code spark}: each side runs once untimed on 1/20 of the data, then {@code
 * --peer-repeat} timed runs (median), a GC before each; load average printed at start and end.
 */
final class RecommendSuite implements Suite {
  static final String MASTER = SparkSuite.MASTER;
  static final long BASKETS = 1_000_000;
  static final long TRAIN = 100_000;
  static final double MIN_SUPPORT = 0.002;
  static final double MIN_CONFIDENCE = 0.1;
  static final double TARGET = 10;
  static final int CHUNKS = 50;

  private static final AtomicInteger RUNS = new AtomicInteger();

  @Override
  public String name() {
    return "recommend";
  }

  @Override
  public String description() {
    return "Recommend (top-k per basket from rules) on the SparkRunner vs Spark MLlib"
        + " FPGrowthModel.transform, local[2], 1M baskets, the same rules";
  }

  /** Generated baskets: Zipf items plus planted bundles. Deterministic per (seed, chunk). */
  static final class Gen implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int ITEMS = 1000;
    static final int BUNDLES = 60;
    static final double[] CDF = EventGen.zipfCdf(ITEMS, 1.0);

    static int[][] bundles() {
      Random r = new Random(42);
      int[][] b = new int[BUNDLES][];
      for (int i = 0; i < BUNDLES; i++) {
        b[i] = new int[2 + r.nextInt(3)];
        for (int j = 0; j < b[i].length; j++) {
          b[i][j] = r.nextInt(ITEMS / 2);
        }
      }
      return b;
    }

    /** The baskets of chunk {@code k} of {@code total}: ids and distinct item names. */
    static void chunk(long seed, int k, long total, BasketSink sink) {
      int[][] bundles = bundles();
      long from = total * k / CHUNKS;
      long to = total * (k + 1) / CHUNKS;
      Random r = new Random(seed * 1_000_003L + k);
      boolean[] seen = new boolean[ITEMS];
      int[] items = new int[64];
      for (long id = from; id < to; id++) {
        int n = 0;
        int size = 1;
        while (size < 20 && r.nextDouble() < 0.75) {
          size++;
        }
        for (int i = 0; i < size; i++) {
          int item = Arrays.binarySearch(CDF, r.nextDouble());
          item = item < 0 ? Math.min(-item - 1, ITEMS - 1) : item;
          if (!seen[item]) {
            seen[item] = true;
            items[n++] = item;
          }
        }
        if (r.nextDouble() < 0.4) {
          for (int item : bundles[r.nextInt(BUNDLES)]) {
            if (r.nextDouble() < 0.8 && !seen[item]) {
              seen[item] = true;
              items[n++] = item;
            }
          }
        }
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
          names[i] = "i" + items[i];
          seen[items[i]] = false;
        }
        sink.accept(id, names);
      }
    }
  }

  interface BasketSink {
    void accept(long id, String[] items);
  }

  /** An order-free checksum term of one (basket, item) pair. */
  static long term(long basket, String item) {
    long h = basket * 0x9E3779B97F4A7C15L + item.hashCode();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  record Result(long pairs, long checksum, long baskets) {}

  interface Side {
    Result run(long baskets) throws Exception;
  }

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    long n = BASKETS;
    if (!o.cases.isEmpty()) {
      try {
        n = BenchOptions.parseCount("--cases", o.cases.get(0));
      } catch (IllegalArgumentException e) {
        err.println(
            "benchmark: Invalid case for suite recommend: " + o.cases.get(0) + " (N baskets)");
        return 2;
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double loadStart = load();
    SparkSession spark = SparkSuite.session();
    List<String> problems = new ArrayList<>();
    TimedRuns<Result> mllib;
    TimedRuns<Result> beamAll;
    TimedRuns<Result> beamSide;
    TimedRuns<Result> beamTop5;
    long nRules;
    try {
      err.println("[bench] recommend: fitting MLlib FPGrowth on " + TRAIN + " training baskets");
      FPGrowthModel model =
          new FPGrowth()
              .setItemsCol("items")
              .setPredictionCol("prediction")
              .setMinSupport(MIN_SUPPORT)
              .setMinConfidence(MIN_CONFIDENCE)
              .fit(baskets(spark, 7, TRAIN));
      Dataset<org.apache.spark.sql.Row> ruleFrame = model.associationRules().cache();
      List<org.apache.spark.sql.Row> collected = ruleFrame.collectAsList();
      nRules = collected.size();
      List<Row> rules = new ArrayList<>();
      for (org.apache.spark.sql.Row r : collected) {
        List<String> a = new ArrayList<>(r.<String>getList(r.fieldIndex("antecedent")));
        List<String> c = new ArrayList<>(r.<String>getList(r.fieldIndex("consequent")));
        List<Object> v = new ArrayList<>(List.of(a, c));
        for (RuleMetric m : RuleMetric.values()) {
          v.add(
              m == RuleMetric.SUPPORT
                  ? r.getDouble(r.fieldIndex("support"))
                  : m == RuleMetric.CONFIDENCE
                      ? r.getDouble(r.fieldIndex("confidence"))
                      : m == RuleMetric.LIFT ? r.getDouble(r.fieldIndex("lift")) : 0.0);
        }
        rules.add(Row.withSchema(RULES).attachValues(v));
      }
      err.printf(Locale.ROOT, "[bench] recommend: %,d rules%n", nRules);
      long size = n;
      mllib =
          measure(
              spark,
              "Spark MLlib FPGrowthModel.transform " + MASTER,
              b -> mllib(spark, model, b),
              size,
              o.peerRepeat,
              err);
      beamAll =
          measure(
              spark,
              "Recommend k=all, join (CoGroupByKey), SparkRunner " + MASTER,
              b -> beam(spark, rules, b, Recommend.ALL, false),
              size,
              o.peerRepeat,
              err);
      beamSide =
          measure(
              spark,
              "Recommend k=all, side input (default), SparkRunner " + MASTER,
              b -> beam(spark, rules, b, Recommend.ALL, true),
              size,
              o.peerRepeat,
              err);
      beamTop5 =
          measure(
              spark,
              "Recommend k=5, side input (default), SparkRunner " + MASTER,
              b -> beam(spark, rules, b, 5, true),
              size,
              o.peerRepeat,
              err);
    } finally {
      org.apache.beam.runners.spark.translation.SparkContextFactory.clearProvidedSparkContext();
      spark.stop();
    }
    for (TimedRuns<Result> t : List.of(mllib, beamAll, beamSide, beamTop5)) {
      if (t.error() != null) {
        problems.add(t.label() + ": " + t.error());
      }
    }
    for (TimedRuns<Result> all : List.of(beamAll, beamSide)) {
      if (mllib.result() != null && all.result() != null) {
        if (mllib.result().pairs() != all.result().pairs()
            || mllib.result().checksum() != all.result().checksum()) {
          problems.add(
              all.label()
                  + " vs MLlib: "
                  + all.result()
                  + " vs "
                  + mllib.result()
                  + " (pairs and checksum of (basket, item) must be equal)");
        }
        if (mllib.result().pairs() == 0) {
          problems.add("no predictions at all (not a test)");
        }
      }
    }
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
        "%,d generated baskets (%d Zipf items + %d bundles); %,d rules (MLlib FPGrowth on %,d"
            + " other baskets, minSupport %s, minConfidence %s), the same for both%n",
        n,
        Gen.ITEMS,
        Gen.BUNDLES,
        nRules,
        TRAIN,
        MinerSuite.support(MIN_SUPPORT),
        MinerSuite.support(MIN_CONFIDENCE));
    TextTable t =
        new TextTable()
            .text("configuration")
            .num("(basket, item) pairs")
            .num("wall ms")
            .num("spread")
            .num("runs")
            .num("MLlib / this");
    for (TimedRuns<Result> x : List.of(mllib, beamAll, beamSide, beamTop5)) {
      t.row(
          List.of(
              x.label(),
              x.result() == null ? "error" : String.format(Locale.ROOT, "%,d", x.result().pairs()),
              MinerSuite.ms(x.medianMs()),
              MinerSuite.pct(StreamSuite.spread(x.nanos())),
              Integer.toString(x.nanos().length),
              MinerSuite.ratio(mllib.medianMs() / x.medianMs())));
    }
    t.print(out);
    out.println(
        "  wall: end to end, baskets generated inside each system, to the last pair folded into"
            + " the checksum; rules fitted and cached beforehand (untimed) for both.");
    out.println(
        problems.isEmpty()
            ? "Correctness: PASS (k=all: the same (basket, item) pairs as MLlib's predictions)"
            : "Correctness: FAIL");
    for (String p : problems) {
      out.println("  " + p);
    }
    double ratio = mllib.medianMs() / Math.min(beamAll.medianMs(), beamSide.medianMs());
    out.printf(
        Locale.ROOT,
        "Load average %.2f at the end (%d-core machine shared: treat timings as noisy).%n",
        load(),
        cores);
    out.println(
        "Target: Recommend >= "
            + (int) TARGET
            + "x faster than MLlib's transform: "
            + (Double.isNaN(ratio)
                ? "n/a"
                : (ratio >= TARGET ? "PASS" : "FAIL") + " (" + MinerSuite.ratio(ratio) + ")"));
    return problems.isEmpty() ? 0 : 1;
  }

  static final Schema RULES = rulesSchema();
  static final Schema BASKET =
      Schema.builder().addInt64Field("basket").addArrayField("items", FieldType.STRING).build();

  private static Schema rulesSchema() {
    Schema.Builder b =
        Schema.builder()
            .addArrayField("antecedents", FieldType.STRING)
            .addArrayField("consequents", FieldType.STRING);
    for (RuleMetric m : RuleMetric.values()) {
      b.addDoubleField(m.columnName());
    }
    return b.build();
  }

  static Dataset<org.apache.spark.sql.Row> baskets(SparkSession spark, long seed, long n) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    StructType schema =
        new StructType()
            .add("basket", DataTypes.LongType, false)
            .add("items", DataTypes.createArrayType(DataTypes.StringType, false), false);
    return spark.createDataFrame(
        jsc.parallelize(SparkSuite.chunkIds(CHUNKS), CHUNKS)
            .flatMap(
                k -> {
                  List<org.apache.spark.sql.Row> rows = new ArrayList<>();
                  Gen.chunk(seed, k, n, (id, items) -> rows.add(RowFactory.create(id, items)));
                  return rows.iterator();
                }),
        schema);
  }

  static Result mllib(SparkSession spark, FPGrowthModel model, long n) {
    long[] r =
        model
            .transform(baskets(spark, 11, n))
            .select("basket", "prediction")
            .javaRDD()
            .aggregate(
                new long[3],
                (acc, row) -> {
                  long id = row.getLong(0);
                  List<String> p = row.getList(1);
                  for (int i = 0, m = p.size(); i < m; i++) {
                    acc[0]++;
                    acc[1] += term(id, p.get(i));
                  }
                  acc[2]++;
                  return acc;
                },
                (x, y) -> new long[] {x[0] + y[0], x[1] + y[1], x[2] + y[2]});
    return new Result(r[0], r[1], r[2]);
  }

  static Result beam(SparkSession spark, List<Row> rules, long n, int k, boolean sideInput) {
    String ns = "bench-recommend-" + RUNS.incrementAndGet();
    Pipeline p = Pipeline.create(SparkSuite.beamOptions(spark));
    PCollection<Row> ruleRows = p.apply("Rules", Create.of(rules).withRowSchema(RULES));
    p.apply(Create.of(SparkSuite.chunkIds(CHUNKS)))
        .apply("Generate", ParDo.of(new GenerateFn(11, n)))
        .setRowSchema(BASKET)
        .apply(
            Recommend.basketsGlobally("basket", "items")
                .withRules(ruleRows)
                .withK(k)
                .withRulesAsSideInput(sideInput))
        .apply("Tally", ParDo.of(new TallyFn(ns)));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return new Result(counter(result, ns, "pairs"), counter(result, ns, "checksum"), n);
  }

  static final class GenerateFn extends DoFn<Integer, Row> {
    private static final long serialVersionUID = 1L;
    private final long seed;
    private final long n;

    GenerateFn(long seed, long n) {
      this.seed = seed;
      this.n = n;
    }

    @ProcessElement
    public void processElement(@Element Integer k, OutputReceiver<Row> out) {
      Gen.chunk(
          seed,
          k,
          n,
          // attachValues, as a reader producing rows of this schema does: Row.Builder.build()
          // would re-verify every field's type per row (MLlib's side uses RowFactory.create)
          (id, items) -> out.output(Row.withSchema(BASKET).attachValues(id, Arrays.asList(items))));
    }
  }

  static final class TallyFn extends DoFn<Row, Void> {
    private static final long serialVersionUID = 1L;

    /** The item's field in the global recommendation rows: basket id, rank, item, ... */
    static final int ITEM_FIELD =
        RecommendationSchema.of(null, Schema.Field.of("basket", FieldType.INT64))
            .indexOf(RecommendationSchema.ITEM);

    private final String ns;
    private transient Counter pairs;
    private transient Counter checksum;
    private long nPairs;
    private long sum;

    TallyFn(String ns) {
      this.ns = ns;
    }

    @StartBundle
    public void start() {
      pairs = Metrics.counter(ns, "pairs");
      checksum = Metrics.counter(ns, "checksum");
      nPairs = 0;
      sum = 0;
    }

    @ProcessElement
    public void processElement(@Element Row r) {
      nPairs++;
      // by field index, as MLlib's side reads its rows (row.getLong(0)); basket id first
      sum += term(r.getInt64(0), r.getString(ITEM_FIELD));
    }

    @FinishBundle
    public void finish() {
      pairs.inc(nPairs);
      checksum.inc(sum);
    }
  }

  static long counter(PipelineResult r, String ns, String name) {
    long v = 0;
    for (MetricResult<Long> c :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(ns, name)).build())
            .getCounters()) {
      v += c.getAttempted();
    }
    return v;
  }

  private static TimedRuns<Result> measure(
      SparkSession spark, String label, Side side, long size, int repeat, PrintStream err) {
    return TimedRuns.measure(
        label,
        () -> {
          Result warm = side.run(Math.max(1, size / 20));
          SparkSuite.releaseCaches(spark);
          return warm;
        },
        () -> side.run(size),
        repeat,
        err);
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
