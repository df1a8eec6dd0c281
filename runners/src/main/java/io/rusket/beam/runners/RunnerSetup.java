package io.rusket.beam.runners;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.spark.SparkCommonPipelineOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.spark.storage.StorageLevel;
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
 *   <li>{@code --runner=FlinkRunner}: in the Flink jar ({@code rusket-beam-flink.jar}, module
 *       {@code runners/flink}), which holds Beam's Flink runner and no Spark; there it is also the
 *       runner without {@code --runner}. Beam's {@code --flinkMaster} decides where: {@code [auto]}
 *       (Beam's default: Flink embedded in this JVM, or the cluster of Flink's {@code flink run}),
 *       {@code [local]}, or {@code HOST:PORT}, a Flink cluster's REST endpoint (the job manager),
 *       to which Beam uploads this jar.
 * </ul>
 *
 * <p><b>Spark classes</b> are touched only when the runner is Spark's: the runners are compared by
 * name ({@link #isSpark}, {@link #defaultRunner}), so the Flink jar, which has no Spark class, runs
 * the same commands.
 *
 * <p><b>Caching</b> (SparkRunner): Beam's Spark runner persists the RDD of every PCollection that
 * more than one transform reads (its {@code CacheVisitor} counts the readers), at {@code
 * --storageLevel}, until the job ends: in MineStream the shards' merged FPMiners (read by {@code
 * CountItems} and {@code MinerParts}), with {@code --rules} the itemsets (written and turned into
 * rules). (Beam 2.62 also caches, at {@code MEMORY_ONLY} whatever the level, the output of every
 * {@code GroupByKey} in the global window, which our transforms therefore avoid for large values:
 * see {@code CollectFn}.) Beam's default, {@code MEMORY_ONLY}, keeps the decoded objects on the
 * heap and cannot spill: a partition that does not fit Spark's storage memory is dropped and
 * recomputed for the next reader (the whole read and merge again). A level that keeps the bytes in
 * memory ({@code MEMORY_AND_DISK_SER}, the default here before) does not spill when our DoFns need
 * the heap either: Spark evicts cached blocks only for its own shuffles, and does not see the
 * FPMiners or the final mining, which must fit beside the cache. At 100M events (heap dump at the
 * out-of-memory in {@code -Xmx2g}) the cached shard miners held 164 MB of the heap while the final
 * mining needed 3 ints per frequent occurrence, and the run failed; with the cache on disk it
 * finished. So without {@code --storageLevel} the default here is {@value #DEFAULT_STORAGE_LEVEL}:
 * Beam encodes each element once with its coder (shard miners as compact runs, about 2 bytes per
 * pair), Spark writes the bytes to its local directory (the OS page cache keeps them warm), each
 * reader decodes them, and nothing is recomputed or held on the heap. Caching stays on ({@code
 * --cacheDisabled} is false): without it Spark recomputes a cached PCollection for its second
 * reader, which for the itemsets means mining again. {@code --storageLevel} (any Spark level) and
 * {@code --cacheDisabled} given by the user win.
 *
 * <p><b>Embedded Spark</b> ({@code local} masters) gets, unless set as system properties ({@code
 * -Dspark...=}), the settings of {@link #EMBEDDED_SPARK_CONF}: an {@code OutOfMemoryError} in a
 * task fails the task, so the command reports it as one line, instead of Spark's executor calling
 * {@code System.exit(52)} in this JVM (its default for fatal errors, right for a cluster's executor
 * JVM, not for the driver's); and executors report running tasks' counters every 2 s (the progress
 * lines of {@link RunProgress} read them). Two more keep Spark's own structures bounded beside our
 * DoFns, which Spark does not see (measured at 100M events in {@code -Xmx2g}, heap dumps at the
 * out-of-memory): {@code spark.memory.fraction=0.15} (Spark's default 0.6 lets the maps of a {@code
 * combineByKey} — every group's accumulator in {@code grouped} — take 60% of the heap before they
 * spill, leaving too little for the reader's accumulators and the mining), and {@code
 * spark.serializer.objectStreamReset=1} (Spark's Java serializer resets its stream every 100
 * objects by default, so reading a spilled map back kept up to 100 decoded accumulators — half the
 * groups — reachable from the stream's handle table; reset after each one, one group at a time is
 * in memory). The Spark UI is on (Spark's default; the commands print its address at start); {@code
 * -Dspark.ui.enabled=false} turns it off.
 *
 * <p><b>DirectRunner</b>: without {@code --blockOnRun}, {@code blockOnRun=false}, so that {@code
 * run()} returns at once and the run's counters can be read while it runs ({@link #run} still waits
 * for the end).
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
  /** The runner without {@code --runner} (in the Flink jar, which has no Spark: FlinkRunner). */
  public static final String DEFAULT_RUNNER = "SparkRunner";

  /** Beam's Spark runner, named: RunnerSetup loads it only when it is there. */
  static final String SPARK_RUNNER = "org.apache.beam.runners.spark.SparkRunner";

  /** Beam's Flink runner, named: the runner of the Flink jar. */
  static final String FLINK_RUNNER = "org.apache.beam.runners.flink.FlinkRunner";

  /** Beam's Flink runner's options (where {@code --flinkMaster} is), named. */
  private static final String FLINK_OPTIONS = "org.apache.beam.runners.flink.FlinkPipelineOptions";

  /** The Spark master without {@code --sparkMaster}: Spark in this JVM, on all cores. */
  public static final String EMBEDDED_SPARK_MASTER = "local[*]";

  /** The system property spark-submit sets to its {@code --master} in the driver's JVM. */
  static final String SPARK_SUBMIT_MASTER = "spark.master";

  /**
   * The storage level of the RDDs Beam's SparkRunner caches without {@code --storageLevel} (Beam's
   * own default is {@code MEMORY_ONLY}): see the class comment.
   */
  public static final String DEFAULT_STORAGE_LEVEL = "DISK_ONLY";

  /**
   * Spark settings of embedded runs ({@code local} masters) unless given as system properties: an
   * OutOfMemoryError fails the task instead of exiting the JVM ({@code
   * spark.executor.killOnFatalError.depth=0}), running tasks' counters reach the driver every 2 s
   * ({@code spark.executor.heartbeatInterval}), Spark's shuffle maps spill at 15% of the heap
   * ({@code spark.memory.fraction}) and a spilled map is read back one accumulator at a time
   * ({@code spark.serializer.objectStreamReset}): see the class comment.
   */
  static final Map<String, String> EMBEDDED_SPARK_CONF =
      Map.of(
          "spark.executor.killOnFatalError.depth",
          "0",
          "spark.executor.heartbeatInterval",
          "2s",
          "spark.memory.fraction",
          "0.15",
          "spark.serializer.objectStreamReset",
          "1");

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
    T options = parse(args, type);
    if (options.getRunner().getSimpleName().equals("DirectRunner") && !given(args, "blockOnRun")) {
      List<String> more = new ArrayList<>(Arrays.asList(args));
      more.add("--blockOnRun=false");
      options = parse(more.toArray(new String[0]), type);
    }
    if (!hasRunner) {
      options.setRunner(defaultRunner());
    }
    if (isSpark(options)) {
      SparkCommonPipelineOptions spark = options.as(SparkCommonPipelineOptions.class);
      if (!given(args, "storageLevel")) {
        spark.setStorageLevel(DEFAULT_STORAGE_LEVEL);
      } else {
        checkStorageLevel(spark.getStorageLevel());
      }
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
    FileSystemSetup.apply(options, args);
    return options;
  }

  private static <T extends PipelineOptions> T parse(String[] args, Class<T> type) {
    try {
      PipelineOptionsFactory.register(type);
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    } catch (IllegalArgumentException e) {
      throw new UsageException(BeamArgs.beamMessage(e), e);
    }
  }

  /**
   * Checks a {@code --storageLevel} before Spark reads it (Beam only parses it when it caches an
   * RDD, in the middle of the run).
   *
   * @throws UsageException naming the option and the value
   */
  static void checkStorageLevel(String level) {
    try {
      StorageLevel.fromString(level);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--storageLevel: '"
              + level
              + "' is not a Spark storage level; use e.g. MEMORY_AND_DISK_SER, DISK_ONLY,"
              + " MEMORY_AND_DISK or MEMORY_ONLY",
          e);
    }
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
    return waitUntilDone(pipeline, start(pipeline));
  }

  /**
   * Starts {@code pipeline} on the runner of its options, on embedded Spark with {@link
   * #EMBEDDED_SPARK_CONF} (set as system properties while Spark reads its configuration, then
   * cleared). On the SparkRunner (batch) and on the DirectRunner with {@code blockOnRun=false} it
   * returns while the pipeline runs; then {@link #waitUntilDone} waits.
   */
  static PipelineResult start(Pipeline pipeline) {
    List<String> set = new ArrayList<>();
    if (isSpark(pipeline.getOptions()) && isLocal(pipeline.getOptions())) {
      for (Map.Entry<String, String> e : EMBEDDED_SPARK_CONF.entrySet()) {
        if (System.getProperty(e.getKey()) == null) {
          System.setProperty(e.getKey(), e.getValue());
          set.add(e.getKey());
        }
      }
    }
    try {
      return pipeline.run();
    } finally {
      set.forEach(System::clearProperty);
    }
  }

  /**
   * Waits until the pipeline of {@code result} has finished.
   *
   * @return {@code result}
   * @throws org.apache.beam.sdk.Pipeline.PipelineExecutionException if user code failed, as the
   *     runners report it; {@link IllegalStateException} if the pipeline ended in another state
   *     than {@link PipelineResult.State#DONE}
   */
  static PipelineResult waitUntilDone(Pipeline pipeline, PipelineResult result) {
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(
          "pipeline on " + describe(pipeline.getOptions()) + " ended " + state);
    }
    return result;
  }

  /** Whether the options run on Spark in this JVM (a {@code local} master). */
  static boolean isLocal(PipelineOptions options) {
    String master = System.getProperty(SPARK_SUBMIT_MASTER);
    if (master == null) {
      master = options.as(SparkCommonPipelineOptions.class).getSparkMaster();
    }
    return master.equals("local") || master.startsWith("local[");
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

  /**
   * The runner in words, e.g. {@code SparkRunner (local[4])}, {@code FlinkRunner ([auto])}, {@code
   * FlinkRunner (HOST:PORT)} or {@code DirectRunner}.
   */
  public static String describe(PipelineOptions options) {
    String runner = options.getRunner().getSimpleName();
    if (isSpark(options)) {
      return runner + " (" + options.as(SparkCommonPipelineOptions.class).getSparkMaster() + ")";
    }
    String flinkMaster = flinkMaster(options);
    return flinkMaster != null ? runner + " (" + flinkMaster + ")" : runner;
  }

  /** Whether the options run on the (non-portable, batch and streaming) Spark runner. */
  static boolean isSpark(PipelineOptions options) {
    return runs(options, SPARK_RUNNER);
  }

  /** Whether the options run on Beam's Flink runner. */
  static boolean isFlink(PipelineOptions options) {
    return runs(options, FLINK_RUNNER);
  }

  /**
   * Whether the Flink runner of {@code options} runs in this JVM: {@code --flinkMaster} {@code
   * [auto]} (outside Flink's {@code flink run}), {@code [local]} or {@code [collection]}, not a
   * cluster's {@code HOST:PORT}.
   */
  static boolean isEmbeddedFlink(PipelineOptions options) {
    String master = flinkMaster(options);
    return master != null && master.startsWith("[");
  }

  /** Whether the runner of {@code options} is the class named {@code runner} or extends it. */
  private static boolean runs(PipelineOptions options, String runner) {
    for (Class<?> c = options.getRunner(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(runner)) {
        return true;
      }
    }
    return false;
  }

  /** {@code --flinkMaster} on the Flink runner (Flink's classes read by name), else null. */
  private static @Nullable String flinkMaster(PipelineOptions options) {
    if (!isFlink(options)) {
      return null;
    }
    try {
      Class<? extends PipelineOptions> type =
          Class.forName(FLINK_OPTIONS, false, options.getRunner().getClassLoader())
              .asSubclass(PipelineOptions.class);
      return String.valueOf(type.getMethod("getFlinkMaster").invoke(options.as(type)));
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /**
   * The runner without {@code --runner}: the {@link SparkRunner} where it is on the classpath (the
   * Spark jars), else the Flink runner (the Flink jar).
   *
   * @throws UsageException if neither is there
   */
  @SuppressWarnings("unchecked") // a PipelineRunner subclass, checked by asSubclass
  static Class<? extends PipelineRunner<?>> defaultRunner() {
    for (String name : List.of(SPARK_RUNNER, FLINK_RUNNER)) {
      try {
        return (Class<? extends PipelineRunner<?>>)
            Class.forName(name, false, RunnerSetup.class.getClassLoader())
                .asSubclass(PipelineRunner.class);
      } catch (ClassNotFoundException e) {
        // not in this jar: the next
      }
    }
    throw new UsageException(
        "neither Spark's nor Flink's Beam runner is on the classpath; give --runner=DirectRunner");
  }

  /** Whether {@code --name} or {@code --name=...} is among {@code args}. */
  private static boolean given(String[] args, String name) {
    return Arrays.stream(args)
        .anyMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="));
  }
}
