package io.rusket.beam.runners;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.storage.RDDInfo;
import org.checkerframework.checker.nullness.qual.Nullable;
import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * Watches the Spark context that Beam's SparkRunner started for a pipeline: which stages run (named
 * by the Beam step whose PCollection the stage computes: Beam names each RDD after its PCollection,
 * e.g. {@code MineStream/ShardPairs}), the counters of tasks still running, and the stage of the
 * first task that failed.
 *
 * <p>Counters: {@code SparkPipelineResult.metrics()} works while the pipeline runs, but it reads
 * the driver's copy of Beam's accumulator, which Spark only updates when a task ends; a stage of
 * two tasks that read a file for minutes would show nothing until they end. Executors send the
 * accumulators of their running tasks with every heartbeat ({@code
 * spark.executor.heartbeatInterval}), which Spark posts as {@link
 * SparkListenerExecutorMetricsUpdate}; the latest of each running task is kept here, and dropped
 * when the task ends (its values are then in the driver's copy). {@link #running} adds them up.
 *
 * <p>Example of use, as {@link PipelineRun} does:
 *
 * <pre>{@code
 * PipelineResult result = RunnerSetup.start(p);
 * try (SparkWatch watch = SparkWatch.attach(p.getOptions())) {   // null off Spark
 *   ... watch.uiUrl(), watch.stage(), watch.running("TableSource", "rowsRead") ...
 * }
 * }</pre>
 */
final class SparkWatch extends SparkListener implements AutoCloseable {
  private final SparkContext context;

  /** Stage id to the Beam step it computes (or Spark's name of the stage). */
  private final Map<Integer, String> names = new ConcurrentHashMap<>();

  /** Stages submitted and not completed, by id. */
  private final Map<Integer, Boolean> active = new ConcurrentHashMap<>();

  /** Running task id to the Beam metrics of its latest heartbeat. */
  private final Map<Long, MetricsContainerStepMap> runningTasks = new ConcurrentHashMap<>();

  /**
   * Tasks that ended: a heartbeat that Spark posts after a task's end (they travel separately) must
   * not bring its counters back, or they would count twice.
   */
  private final Set<Long> endedTasks = ConcurrentHashMap.newKeySet();

  private volatile @Nullable String failedStage;

  private SparkWatch(SparkContext context) {
    this.context = context;
  }

  /**
   * Watches the active Spark context, if {@code options} run on Spark and one is active (after
   * {@link RunnerSetup#start}, Beam's batch SparkRunner has started it); else null.
   */
  static @Nullable SparkWatch attach(PipelineOptions options) {
    if (!RunnerSetup.isSpark(options)) {
      return null;
    }
    scala.Option<SparkContext> active = SparkContext$.MODULE$.getActive();
    if (active.isEmpty() || active.get().isStopped()) {
      return null;
    }
    SparkWatch watch = new SparkWatch(active.get());
    active.get().addSparkListener(watch);
    return watch;
  }

  /** The address of the Spark UI, or null when it is off ({@code spark.ui.enabled=false}). */
  @Nullable String uiUrl() {
    scala.Option<String> url = context.uiWebUrl();
    return url.isDefined() ? url.get() : null;
  }

  /** The running stages, by the Beam steps they compute (in stage order), or null if none. */
  @Nullable String stage() {
    Map<Integer, String> running = new TreeMap<>();
    for (Integer id : active.keySet()) {
      running.put(id, names.getOrDefault(id, "stage " + id));
    }
    return running.isEmpty()
        ? null
        : String.join(", ", running.values().stream().distinct().toList());
  }

  /** The stage of the first task that failed, or null. */
  @Nullable String failedStage() {
    return failedStage;
  }

  /**
   * The sum of counter {@code namespace:name} over the tasks running now (as of their latest
   * heartbeat); the tasks that ended are in {@code SparkPipelineResult.metrics()}.
   */
  long running(String namespace, String name) {
    MetricsFilter filter =
        MetricsFilter.builder().addNameFilter(MetricNameFilter.named(namespace, name)).build();
    long sum = 0;
    for (MetricsContainerStepMap m : runningTasks.values()) {
      try {
        for (MetricResult<Long> c :
            MetricsContainerStepMap.asAttemptedOnlyMetricResults(m)
                .queryMetrics(filter)
                .getCounters()) {
          Long v = c.getAttempted();
          sum += v == null ? 0 : v;
        }
      } catch (RuntimeException e) {
        // a task's live metrics changed under us (embedded Spark shares them): next time
      }
    }
    return sum;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    StageInfo info = event.stageInfo();
    names.put(info.stageId(), stepName(info));
    active.put(info.stageId(), true);
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    active.remove(event.stageInfo().stageId());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    endedTasks.add(event.taskInfo().taskId());
    runningTasks.remove(event.taskInfo().taskId());
    if (failedStage == null && !event.taskInfo().successful() && !event.taskInfo().killed()) {
      failedStage = names.getOrDefault(event.stageId(), "stage " + event.stageId());
    }
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate event) {
    for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> task :
        JavaConverters.seqAsJavaList(event.accumUpdates())) {
      for (AccumulableInfo acc : JavaConverters.seqAsJavaList(task._4())) {
        Long id = (Long) task._1();
        if (acc.update().isDefined()
            && acc.update().get() instanceof MetricsContainerStepMap m
            && !endedTasks.contains(id)) {
          runningTasks.put(id, m); // events reach a listener one at a time, in order
        }
      }
    }
  }

  /**
   * The Beam step a stage computes: the name of its last RDD that Beam named after a PCollection
   * ({@code Step/Inner/ParMultiDo(Fn).output} gives {@code Step/Inner}), else Spark's name.
   */
  static String stepName(StageInfo info) {
    RDDInfo last = null;
    for (RDDInfo rdd : JavaConverters.seqAsJavaList(info.rddInfos())) {
      if (rdd.name().contains("/") && (last == null || rdd.id() > last.id())) {
        last = rdd;
      }
    }
    return last == null ? info.name() : step(last.name());
  }

  /** A PCollection's name without its last part ({@code .output}, {@code ParMultiDo(X).out0}). */
  static String step(String pcollection) {
    int slash = pcollection.lastIndexOf('/');
    String last = pcollection.substring(slash + 1);
    return slash > 0 && (last.contains(".") || last.startsWith("ParMultiDo("))
        ? pcollection.substring(0, slash)
        : pcollection;
  }

  /** Stops watching. */
  @Override
  public void close() {
    context.removeSparkListener(this);
  }
}
