package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.transforms.MineGrouped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.spark.SparkEnv;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class RunnerSetupTest {
  /** Options of a command, as the pipelines' commands declare theirs. */
  public interface ExampleOptions extends PipelineOptions {
    // as MiningOptions declares it: Beam checks that every options interface registered in one
    // JVM gives a property the same type
    @Description("frequent iff count / N >= minSupport")
    @Nullable Double getMinSupport();

    void setMinSupport(@Nullable Double value);

    @Description("where to write")
    @Validation.Required
    String getOutput();

    void setOutput(String value);
  }

  /** local[*], spelled with the number of cores so that Beam stages nothing. */
  private static final String ALL_CORES =
      "local[" + Runtime.getRuntime().availableProcessors() + "]";

  @Test
  void noRunnerMeansSparkEmbeddedOnAllCores() {
    PipelineOptions o = RunnerSetup.optionsFrom(new String[0]);
    assertEquals(SparkRunner.class, o.getRunner());
    assertEquals(ALL_CORES, o.as(SparkPipelineOptions.class).getSparkMaster());
    assertEquals("SparkRunner (" + ALL_CORES + ")", RunnerSetup.describe(o));
  }

  /**
   * Without an s3:// path or --awsRegion no region is looked up (none is needed); with either, the
   * region is Beam's: the one given, or the AWS chain's default.
   */
  @Test
  void awsRegionIsNoneOnlyWhenNoS3PathOrRegionIsGiven() {
    PipelineOptions local =
        RunnerSetup.optionsFrom(new String[] {"--output=out"}, ExampleOptions.class);
    assertNull(local.as(AwsOptions.class).getAwsRegion());
    PipelineOptions given =
        RunnerSetup.optionsFrom(
            new String[] {"--output=out", "--awsRegion=eu-west-1"}, ExampleOptions.class);
    assertEquals(Region.EU_WEST_1, given.as(AwsOptions.class).getAwsRegion());
    assertFalse(FileSystemSetup.usesS3(new String[] {"--input=/data/e.parquet", "--output=out"}));
    assertFalse(FileSystemSetup.usesS3(new String[] {"--input=hdfs://nn:8020/e.parquet"}));
    assertTrue(FileSystemSetup.usesS3(new String[] {"--input=s3://bucket/e.parquet"}));
    assertTrue(FileSystemSetup.usesS3(new String[] {"--output=s3://bucket/out"}));
    assertTrue(FileSystemSetup.usesS3(new String[] {"--output=S3://bucket/out"}));
    assertTrue(FileSystemSetup.usesS3(new String[] {"--rules=s3://b/rules/*.parquet"}));
    assertTrue(FileSystemSetup.usesS3(new String[] {"--awsRegion=us-east-1"}));
  }

  /** spark-submit sets the system property spark.master in the driver: that master is used. */
  @Test
  void underSparkSubmitItsMasterIsUsed() {
    System.setProperty("spark.master", "spark://h:7077");
    try {
      PipelineOptions o = RunnerSetup.optionsFrom(new String[] {"--runner=SparkRunner"});
      assertEquals("SparkRunner (spark://h:7077)", RunnerSetup.describe(o));
    } finally {
      System.clearProperty("spark.master");
    }
  }

  @Test
  void givenRunnerAndMasterAreKept() {
    PipelineOptions direct = RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner"});
    assertEquals("DirectRunner", RunnerSetup.describe(direct));

    PipelineOptions spark =
        RunnerSetup.optionsFrom(new String[] {"--runner=SparkRunner", "--sparkMaster=local[3]"});
    assertEquals("SparkRunner (local[3])", RunnerSetup.describe(spark));
    // a master alone keeps the default runner
    PipelineOptions master = RunnerSetup.optionsFrom(new String[] {"--sparkMaster=spark://h:7077"});
    assertEquals("SparkRunner (spark://h:7077)", RunnerSetup.describe(master));
    // an explicit SparkRunner without a master, or with local[*], runs embedded on all cores
    assertEquals(
        "SparkRunner (" + ALL_CORES + ")",
        RunnerSetup.describe(RunnerSetup.optionsFrom(new String[] {"--runner=SparkRunner"})));
    assertEquals(
        "SparkRunner (" + ALL_CORES + ")",
        RunnerSetup.describe(RunnerSetup.optionsFrom(new String[] {"--sparkMaster=local[*]"})));
  }

  @Test
  void commandOptionsAreParsedAndValidated() {
    ExampleOptions o =
        RunnerSetup.optionsFrom(
            new String[] {"--minSupport=0.02", "--output=/tmp/x"}, ExampleOptions.class);
    assertEquals(0.02, o.getMinSupport());
    assertEquals("/tmp/x", o.getOutput());
    assertEquals(SparkRunner.class, o.getRunner());

    UsageException missing =
        assertThrows(
            UsageException.class,
            () -> RunnerSetup.optionsFrom(new String[] {"--minSupport=0.1"}, ExampleOptions.class));
    assertTrue(missing.getMessage().contains("--output"), missing.getMessage());
  }

  @Test
  void mistakesAreUsageErrors() {
    UsageException runner =
        assertThrows(
            UsageException.class,
            () -> RunnerSetup.optionsFrom(new String[] {"--runner=NoSuchRunner"}));
    assertTrue(runner.getMessage().contains("NoSuchRunner"), runner.getMessage());
    UsageException option =
        assertThrows(
            UsageException.class, () -> RunnerSetup.optionsFrom(new String[] {"--minSuport=1"}));
    assertTrue(option.getMessage().contains("minSuport"), option.getMessage());
  }

  /**
   * With no arguments at all a pipeline runs on a Spark context that Beam creates in this JVM and
   * stops afterwards; its metrics are there.
   */
  @Test
  void runsOnTheEmbeddedDefaultAndStopsItsContext() {
    SparkTestContext.stop();
    Pipeline p = Pipeline.create(RunnerSetup.optionsFrom(new String[0]));
    ShopData data = ShopData.generate(11, 80, 30);
    p.apply(Create.of(data.events()).withRowSchema(ShopData.EVENTS))
        .apply(
            MineGrouped.events(ShopData.STORE, ShopData.RECEIPT, ShopData.SKU).withMinSupport(0.1));
    PipelineResult result = RunnerSetup.run(p);

    long expected = data.expectedItemsets(0.1).size();
    MetricsFilter filter =
        MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(MineGrouped.METRICS_NAMESPACE, "itemsetsEmitted"))
            .build();
    long emitted = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(filter).getCounters()) {
      emitted += c.getAttempted();
    }
    assertEquals(expected, emitted);
    // Spark allows one active context per JVM: a new one starts only if Beam stopped its own
    SparkTestContext.options("local[1]");
    SparkTestContext.stop();
  }

  /**
   * Issue 10: what Beam caches (a PCollection read by two steps) is kept serialized on local disk,
   * off the heap the DoFns and the final mining need (Beam's default, MEMORY_ONLY, keeps it on the
   * heap and cannot spill), unless the user says otherwise; caching stays on.
   */
  @Test
  void cachedRddsSpillToDiskUnlessTheUserChoosesALevel() {
    SparkPipelineOptions o = RunnerSetup.optionsFrom(new String[0]).as(SparkPipelineOptions.class);
    assertEquals(RunnerSetup.DEFAULT_STORAGE_LEVEL, o.getStorageLevel());
    assertEquals("DISK_ONLY", o.getStorageLevel());
    assertEquals(false, o.isCacheDisabled());
    // also with an explicit SparkRunner or master, and under spark-submit
    assertEquals(
        "DISK_ONLY",
        RunnerSetup.optionsFrom(new String[] {"--sparkMaster=spark://h:7077"})
            .as(SparkPipelineOptions.class)
            .getStorageLevel());

    SparkPipelineOptions mine =
        RunnerSetup.optionsFrom(new String[] {"--storageLevel=MEMORY_ONLY", "--cacheDisabled"})
            .as(SparkPipelineOptions.class);
    assertEquals("MEMORY_ONLY", mine.getStorageLevel());
    assertTrue(mine.isCacheDisabled());
    assertEquals(
        "MEMORY_AND_DISK_SER",
        RunnerSetup.optionsFrom(new String[] {"--storageLevel=MEMORY_AND_DISK_SER"})
            .as(SparkPipelineOptions.class)
            .getStorageLevel());

    UsageException bad =
        assertThrows(
            UsageException.class,
            () -> RunnerSetup.optionsFrom(new String[] {"--storageLevel=MEMORY_SOMETIMES"}));
    assertEquals(
        "--storageLevel: 'MEMORY_SOMETIMES' is not a Spark storage level; use e.g."
            + " MEMORY_AND_DISK_SER, DISK_ONLY, MEMORY_AND_DISK or MEMORY_ONLY",
        bad.getMessage());
  }

  /** The DirectRunner returns from run() at once, so counters can be read while it runs. */
  @Test
  void theDirectRunnerDoesNotBlockInRunUnlessAsked() {
    assertEquals(
        false,
        RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner"})
            .as(DirectOptions.class)
            .isBlockOnRun());
    assertEquals(
        true,
        RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner", "--blockOnRun=true"})
            .as(DirectOptions.class)
            .isBlockOnRun());
  }

  /** What a task of an embedded run sees of Spark's configuration, by key. */
  static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  /** Records the executor's settings of {@link RunnerSetup#EMBEDDED_SPARK_CONF}. */
  static final class ReadConfFn extends DoFn<Integer, Integer> {
    @ProcessElement
    public void process(@Element Integer x) {
      for (String key : RunnerSetup.EMBEDDED_SPARK_CONF.keySet()) {
        SEEN.put(key, SparkEnv.get().conf().get(key, "unset"));
      }
    }
  }

  /**
   * Embedded Spark gets the settings that turn an OutOfMemoryError into a failed task (not an exit
   * of this JVM) and send running tasks' counters every 2 s; only while Spark reads them.
   */
  @Test
  void embeddedSparkGetsItsSettings() {
    SparkTestContext.stop();
    SEEN.clear();
    Pipeline p = Pipeline.create(RunnerSetup.optionsFrom(new String[] {"--sparkMaster=local[1]"}));
    p.apply(Create.of(1)).apply(ParDo.of(new ReadConfFn()));
    RunnerSetup.run(p);
    assertEquals(RunnerSetup.EMBEDDED_SPARK_CONF, SEEN);
    for (String key : RunnerSetup.EMBEDDED_SPARK_CONF.keySet()) {
      assertEquals(null, System.getProperty(key), key);
    }
  }
}
