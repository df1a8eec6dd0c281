package io.rusket.beam.runners;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.spark.SparkCommonPipelineOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns a command line into Beam {@link PipelineOptions} and runs pipelines, so that every command
 * of the bundled jar chooses its runner the same way.
 *
 * <ul>
 *   <li>No {@code --runner}: the {@link SparkRunner}, embedded in this JVM, with {@code
 *       --sparkMaster=}{@value #EMBEDDED_SPARK_MASTER} (all cores, written {@code local[N]}: see
 *       {@link #embeddedMaster()}) unless {@code --sparkMaster} is given. Nothing needs to be
 *       installed: Spark is in the jar.
 *   <li>{@code --runner=SparkRunner}: the same, with any {@code --sparkMaster} and the other
 *       options of {@code SparkPipelineOptions}.
 *   <li>Under {@code spark-submit} (which sets the system property {@code spark.master}): the
 *       SparkRunner on spark-submit's {@code --master}; Beam only sets {@code spark.master} when
 *       Spark's configuration lacks it, so spark-submit's wins even over {@code --sparkMaster}.
 *       Beam stages only this jar (not every jar of Spark's classpath) unless {@code
 *       --filesToStage} says otherwise.
 *   <li>{@code --runner=DirectRunner}: Beam's single-JVM test runner (checks immutability and
 *       encodability of every element; slow, for debugging).
 *   <li>{@code --runner=FlinkRunner}: only if a Flink runner is on the classpath (it is not in the
 *       bundled jar: see the README).
 * </ul>
 *
 * <p>Logging: the jar's {@code log4j2.properties} sets Spark, Beam and everything else to WARN so
 * that a command's own output stays readable; {@code -Dlog4j2.configurationFile=FILE} replaces it.
 * While a command runs a pipeline, Spark's logging of failed tasks is off unless {@code --verbose}
 * ({@link TaskLogging}).
 *
 * <p>Example of use, in a command:
 *
 * <pre>{@code
 * GroupedOptions options = RunnerSetup.optionsFrom(args, GroupedOptions.class);
 * Pipeline p = Pipeline.create(options);
 * p.apply(...).apply(MineGrouped.events("store", "receipt", "sku")).apply(...);
 * RunnerSetup.run(p);   // waits; throws if the pipeline failed
 * }</pre>
 */
public final class RunnerSetup {
  /** The runner without {@code --runner}. */
  public static final String DEFAULT_RUNNER = "SparkRunner";

  /** The Spark master without {@code --sparkMaster}: Spark in this JVM, on all cores. */
  public static final String EMBEDDED_SPARK_MASTER = "local[*]";

  /** The system property spark-submit sets to its {@code --master} in the driver's JVM. */
  static final String SPARK_SUBMIT_MASTER = "spark.master";

  private RunnerSetup() {}

  /**
   * Parses {@code args} ({@code --name=value}, as Beam's {@link PipelineOptionsFactory#fromArgs})
   * into validated options of {@code type}, on the {@link #DEFAULT_RUNNER} in {@link
   * #EMBEDDED_SPARK_MASTER} unless {@code --runner} or {@code --sparkMaster} say otherwise.
   *
   * @throws UsageException for an unknown option or runner, a bad value, an option given twice, a
   *     missing required option ({@link BeamArgs}) or a {@code --sparkMaster} that is not a Spark
   *     master URL ({@link #checkSparkMaster})
   */
  public static <T extends PipelineOptions> T optionsFrom(String[] args, Class<T> type) {
    BeamArgs.check(args, type);
    boolean hasRunner = given(args, "runner");
    boolean hasMaster = given(args, "sparkMaster");
    T options;
    try {
      PipelineOptionsFactory.register(type);
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    } catch (IllegalArgumentException e) {
      throw new UsageException(BeamArgs.beamMessage(e), e);
    }
    if (!hasRunner) {
      options.setRunner(SparkRunner.class);
    }
    if (isSpark(options)) {
      SparkCommonPipelineOptions spark = options.as(SparkCommonPipelineOptions.class);
      String submitted = System.getProperty(SPARK_SUBMIT_MASTER);
      if (!hasMaster) {
        spark.setSparkMaster(submitted != null ? submitted : embeddedMaster());
      } else {
        checkSparkMaster(spark.getSparkMaster());
        if (spark.getSparkMaster().equals(EMBEDDED_SPARK_MASTER)) {
          spark.setSparkMaster(embeddedMaster());
        }
      }
      Path jar = ownJar();
      if (submitted != null && jar != null && !given(args, "filesToStage")) {
        // Beam would stage every jar it finds on the classpath, Spark's own included.
        spark.setFilesToStage(List.of(jar.toString()));
      }
    }
    return options;
  }

  /**
   * {@code local[N]}, {@code local[*]}, {@code local[N,F]} (N threads, F task failures), spaced as
   * Spark's SparkContext accepts them.
   */
  private static final Pattern LOCAL =
      Pattern.compile("local\\[([0-9]+|\\*)(?:\\s*,\\s*([0-9]+))?]");

  /** Spark's test master, {@code local-cluster[workers, cores, MB]}. */
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*]");

  /** A standalone master, or several for standby masters: {@code spark://h1:7077,h2:7077}. */
  private static final Pattern STANDALONE =
      Pattern.compile("spark://[^\\s:/,]+:[0-9]+(?:,[^\\s:/,]+:[0-9]+)*");

  /**
   * Checks a {@code --sparkMaster} value before Spark starts (Spark fails on a bad one with a stack
   * trace and no message of ours): {@code local}, {@code local[N]}, {@code local[*]}, {@code
   * local[N,F]}, {@code local-cluster[W,C,M]}, {@code spark://HOST:PORT[,HOST:PORT...]}, {@code
   * yarn}, {@code k8s://URL} or {@code mesos://URL}, with every count at least 1.
   *
   * @throws UsageException naming the option and the value
   */
  static void checkSparkMaster(String master) {
    Matcher local = LOCAL.matcher(master);
    Matcher cluster = LOCAL_CLUSTER.matcher(master);
    if (local.matches()) {
      atLeastOne(master, local.group(1), "threads N");
      atLeastOne(master, local.group(2), "task failures F");
    } else if (cluster.matches()) {
      atLeastOne(master, cluster.group(1), "workers");
      atLeastOne(master, cluster.group(2), "cores per worker");
      atLeastOne(master, cluster.group(3), "MB per worker");
    } else if (!(master.equals("local")
        || master.equals("yarn")
        || STANDALONE.matcher(master).matches()
        || master.matches("(k8s|mesos)://\\S+"))) {
      throw new UsageException(
          "--sparkMaster: '"
              + master
              + "' is not a Spark master URL; use local, local[N],"
              + " local[*], local[N,F], spark://HOST:PORT, yarn, k8s://URL or mesos://URL");
    }
  }

  private static void atLeastOne(String master, @Nullable String count, String what) {
    if (count != null && !count.equals("*") && !count.matches("0*[1-9]\\d*")) {
      throw new UsageException(
          "--sparkMaster: '"
              + master
              + "' asks for "
              + count
              + " "
              + what
              + "; it must be at least 1"
              + (what.startsWith("threads") ? ", e.g. local[2] or local[*]" : ""));
    }
  }

  /** {@link #optionsFrom(String[], Class)} for plain {@link PipelineOptions}. */
  public static PipelineOptions optionsFrom(String[] args) {
    return optionsFrom(args, PipelineOptions.class);
  }

  /**
   * Runs {@code pipeline} on the runner of its options and waits until it has finished.
   *
   * @return the finished pipeline's result (its metrics can be queried)
   * @throws org.apache.beam.sdk.Pipeline.PipelineExecutionException if user code failed, as the
   *     runners report it; {@link IllegalStateException} if the pipeline ended in another state
   *     than {@link PipelineResult.State#DONE}
   */
  public static PipelineResult run(Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(
          "pipeline on " + describe(pipeline.getOptions()) + " ended " + state);
    }
    return result;
  }

  /**
   * {@value #EMBEDDED_SPARK_MASTER} spelled with the number of cores, {@code local[N]}: Beam's
   * SparkRunner stages the whole classpath for any master but {@code local} and {@code local[N]},
   * which for {@code local[*]} means copying the bundled jar to the executors in this same JVM on
   * every run.
   */
  static String embeddedMaster() {
    return "local[" + Runtime.getRuntime().availableProcessors() + "]";
  }

  /** The jar this class was loaded from, or null (classes in a directory, as in tests). */
  private static @Nullable Path ownJar() {
    try {
      CodeSource source = RunnerSetup.class.getProtectionDomain().getCodeSource();
      Path p = source == null ? null : Path.of(source.getLocation().toURI());
      return p != null && Files.isRegularFile(p) ? p : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** The runner in words, e.g. {@code SparkRunner (local[4])} or {@code DirectRunner}. */
  public static String describe(PipelineOptions options) {
    String runner = options.getRunner().getSimpleName();
    return isSpark(options)
        ? runner + " (" + options.as(SparkCommonPipelineOptions.class).getSparkMaster() + ")"
        : runner;
  }

  /** Whether the options run on the (non-portable, batch and streaming) Spark runner. */
  static boolean isSpark(PipelineOptions options) {
    return SparkRunner.class.isAssignableFrom(options.getRunner());
  }

  /** Whether {@code --name} or {@code --name=...} is among {@code args}. */
  private static boolean given(String[] args, String name) {
    return Arrays.stream(args)
        .anyMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="));
  }
}
