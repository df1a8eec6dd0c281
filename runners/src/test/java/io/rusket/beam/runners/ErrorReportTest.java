package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.util.UserCodeException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** How {@link ErrorReport} unwraps the runners' wrappers, and {@link TaskLogging}. */
class ErrorReportTest {
  private record Report(int code, String err) {}

  private static Report report(Throwable t, boolean verbose) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ErrorReport.report(t, verbose, new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Report(code, err.toString(StandardCharsets.UTF_8));
  }

  private static final String BAD_ROW = "/data/x.csv:4: column 'txn': '' is not a valid INT64";

  @Test
  void inputDataErrorsAreUnwrappedFromEveryRunnersWrappers() {
    IllegalArgumentException bad = new IllegalArgumentException(BAD_ROW);
    // DirectRunner
    Throwable direct = new PipelineExecutionException(bad);
    // SparkRunner: the task's UserCodeException inside Spark's SparkException
    Throwable spark =
        new PipelineExecutionException(
            new SparkException(
                "Job aborted due to stage failure: ...", UserCodeException.wrap(bad)));
    for (Throwable t : new Throwable[] {direct, spark, UserCodeException.wrap(bad)}) {
      Report r = report(new PipelineFailed("SparkRunner (local[2])", t), false);
      assertEquals(Main.EXIT_USAGE, r.code());
      assertEquals("error: " + BAD_ROW + System.lineSeparator(), r.err());
    }
  }

  /** A remote executor's exception that reached the driver only as text in Spark's message. */
  @Test
  void aRemoteTasksErrorIsFoundInSparksMessage() {
    SparkException remote =
        new SparkException(
            "Job aborted due to stage failure: Task 1 in stage 1.0 failed 4 times, most recent"
                + " failure: Lost task 1.3 (TID 7) (worker-2 executor 1):"
                + " org.apache.beam.sdk.util.UserCodeException: java.lang.IllegalArgumentException: "
                + BAD_ROW
                + "\n\tat org.apache.beam.sdk.util.UserCodeException.wrap(...)\n");
    Report r = report(new PipelineFailed("SparkRunner (spark://h:7077)", remote), false);
    assertEquals(Main.EXIT_USAGE, r.code());
    assertEquals("error: " + BAD_ROW + System.lineSeparator(), r.err());
  }

  /**
   * A JVM without Spark's Java 17 flags: the driver's own IllegalAccessError (as Spark's
   * StorageUtils throws it), or an executor's InaccessibleObjectException that Spark quotes.
   */
  @Test
  void missingJava17FlagsNameTheJvmTheFlagAndTheFix() {
    IllegalAccessError driver =
        new IllegalAccessError(
            "class org.apache.spark.storage.StorageUtils$ (in unnamed module @0x69eee410) cannot"
                + " access class sun.nio.ch.DirectBuffer (in module java.base) because module"
                + " java.base does not export sun.nio.ch to unnamed module @0x69eee410");
    Report d = report(new ExceptionInInitializerError(driver), false);
    assertEquals(Main.EXIT_FAILURE, d.code());
    assertEquals(
        "error: this JVM (the Spark driver) was started without the Java 17 flags Spark needs"
            + " (missing: --add-opens=java.base/sun.nio.ch=ALL-UNNAMED): launch it with"
            + " spark-submit of Spark 3.3 or newer, which adds them, or put the flags of README"
            + " \"On a cluster\" on its java command"
            + System.lineSeparator(),
        d.err());
    SparkException remote =
        new SparkException(
            "Job aborted due to stage failure: Task 0 in stage 0.0 failed 4 times, most recent"
                + " failure: Lost task 0.3 (TID 3) (127.0.0.1 executor 1):"
                + " java.lang.reflect.InaccessibleObjectException: Unable to make field long"
                + " java.nio.Buffer.address accessible: module java.base does not \"opens"
                + " java.nio\" to unnamed module @5f2108b5\n\tat java.base/...\n");
    Report e = report(new PipelineFailed("SparkRunner (spark://h:7077)", remote), false);
    assertEquals(Main.EXIT_FAILURE, e.code());
    assertTrue(
        e.err()
            .startsWith(
                "error: an executor's JVM was started without the Java 17 flags Spark needs"
                    + " (missing: --add-opens=java.base/java.nio=ALL-UNNAMED): "),
        e::err);
    assertEquals(1, e.err().lines().count(), e::err);
  }

  @Test
  void internalFailuresExitOneWithOneLine() {
    SparkException internal =
        new SparkException("Job aborted: boom\nDriver stacktrace:\n\tat a.b.C(C.java:1)\n");
    Report r = report(new PipelineFailed("SparkRunner (local[2])", internal), false);
    assertEquals(Main.EXIT_FAILURE, r.code());
    assertEquals(
        "error: the pipeline failed on SparkRunner (local[2]): org.apache.spark.SparkException:"
            + " Job aborted: boom (--verbose shows the stack trace)"
            + System.lineSeparator(),
        r.err());
    Report npe =
        report(
            new PipelineFailed(
                "DirectRunner",
                new PipelineExecutionException(new NullPointerException("x is null"))),
            false);
    assertEquals(Main.EXIT_FAILURE, npe.code());
    assertEquals(1, npe.err().lines().count(), npe::err);
    assertTrue(npe.err().contains("java.lang.NullPointerException: x is null"), npe::err);
    // built-in data (selftest): an IllegalArgumentException is ours, not the user's
    Report selftest =
        report(
            new PipelineFailed("DirectRunner", new IllegalArgumentException("bug"), false), false);
    assertEquals(Main.EXIT_FAILURE, selftest.code());
  }

  @Test
  void verbosePrintsTheTraceAfterTheLine() {
    Report r =
        report(
            new PipelineFailed(
                "DirectRunner",
                new PipelineExecutionException(new IllegalArgumentException(BAD_ROW))),
            true);
    assertEquals(Main.EXIT_USAGE, r.code());
    assertTrue(r.err().startsWith("error: " + BAD_ROW + System.lineSeparator()), r::err);
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("\tat ")), r::err);
    Report internal =
        report(new PipelineFailed("DirectRunner", new IllegalStateException("x")), true);
    assertFalse(internal.err().lines().findFirst().get().contains("--verbose"), internal::err);
    assertTrue(internal.err().lines().anyMatch(l -> l.startsWith("\tat ")), internal::err);
  }

  @Test
  void multiLineMessagesBecomeOneLine() {
    Report r =
        report(
            new PipelineFailed("DirectRunner", new IllegalArgumentException("first\n  second")),
            false);
    assertEquals("error: first second" + System.lineSeparator(), r.err());
  }

  @Test
  void taskLoggingTurnsSparksTaskFailureLoggersOffAndBack() throws Exception {
    String executor = "org.apache.spark.executor.Executor";
    String manager = "org.apache.spark.scheduler.TaskSetManager";
    Configurator.setLevel(manager, Level.INFO); // one with a level of its own
    try {
      assertTrue(LogManager.getLogger(executor).isErrorEnabled());
      try (AutoCloseable quiet = TaskLogging.quiet()) {
        for (String name : TaskLogging.TASK_FAILURE_LOGGERS) {
          assertFalse(LogManager.getLogger(name).isErrorEnabled(), name);
        }
        assertTrue(LogManager.getLogger("org.apache.spark.SparkEnv").isErrorEnabled());
      }
      assertTrue(LogManager.getLogger(executor).isErrorEnabled());
      assertFalse(LogManager.getLogger(executor).isInfoEnabled(), "inherits WARN again");
      assertTrue(LogManager.getLogger(manager).isInfoEnabled(), "its own INFO again");
    } finally {
      Configurator.setLevel(manager, Level.WARN);
    }
  }

  private static final long HEAP_MB = Runtime.getRuntime().maxMemory() >> 20;

  /** Spark's text for an executor's OutOfMemoryError, with the task's stack trace in it. */
  private static final String STAGE_FAILURE =
      "Job aborted due to stage failure: Task 0 in stage 9.0 failed 1 times, most recent failure:"
          + " Lost task 0.0 in stage 9.0 (TID 31) (127.0.0.1 executor driver):"
          + " java.lang.OutOfMemoryError: Java heap space\n"
          + "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n"
          + "\tat io.rusket.beam.miner.FPMiner.grow(FPMiner.java:400)\n"
          + "\tat io.rusket.beam.transforms.MineFrequentFn.process(MineFrequentFn.java:61)\n"
          + "\tat org.apache.beam.sdk.transforms.DoFnInvoker.invokeProcessElement(...)\n\n"
          + "Driver stacktrace:\n\tat org.apache.spark.scheduler.DAGScheduler.fail(...)";

  /**
   * A Spark stage fuses several Beam steps and is described by its last one (the write after the
   * mining): the frame of our code where memory ran out names the step more exactly and wins.
   */
  @Test
  void theFrameWhereMemoryRanOutWinsOverTheFusedSparkStage() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    oom.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "io.rusket.beam.transforms.PrunedBaskets", "toTransactionDb", null, 1),
          new StackTraceElement(
              "io.rusket.beam.transforms.MineFrequentFn", "processElement", null, 2)
        });
    Throwable wrapped = new PipelineExecutionException(new SparkException(STAGE_FAILURE, oom));
    Report r =
        report(
            new PipelineFailed(
                "SparkRunner (local[2])", wrapped, true, "WriteItemsets/WriteFiles", "knobs"),
            false);
    assertEquals(
        "error: out of memory in PrunedBaskets.toTransactionDb (heap "
            + HEAP_MB
            + " MB): knobs"
            + System.lineSeparator(),
        r.err());
  }

  /**
   * Issue 10: an OutOfMemoryError in an executor, wrapped as the SparkRunner wraps it (Spark's
   * SparkException, Beam's PipelineExecutionException), or only quoted in Spark's text, is one line
   * naming the stage, the heap and the knobs; exit 1 (a resource failure, not a mistake).
   */
  @Test
  void outOfMemoryOnAnExecutorIsOneLineWithStageHeapAndKnobs() {
    String knobs =
        "give Java more heap with -Xmx (e.g. java -Xmx8g -jar rusket-beam.jar), more"
            + " --shards or a higher --minSupport";
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    Throwable wrapped = new PipelineExecutionException(new SparkException(STAGE_FAILURE, oom));
    Report r =
        report(
            new PipelineFailed(
                "SparkRunner (local[2])", wrapped, true, "MineStream/MineFrequent", knobs),
            false);
    assertEquals(Main.EXIT_FAILURE, r.code());
    assertEquals(
        "error: out of memory in MineStream/MineFrequent (heap "
            + HEAP_MB
            + " MB): "
            + knobs
            + System.lineSeparator(),
        r.err());

    // no stage from Spark's listener, the error only as text (a remote executor's): the first of
    // our frames in the quoted stack trace
    Throwable quoted = new PipelineExecutionException(new SparkException(STAGE_FAILURE));
    Report q =
        report(
            new PipelineFailed("SparkRunner (spark://h:7077)", quoted, true, null, knobs), false);
    assertEquals(Main.EXIT_FAILURE, q.code());
    assertEquals(
        "error: out of memory in FPMiner.grow (heap "
            + HEAP_MB
            + " MB): "
            + knobs
            + System.lineSeparator(),
        q.err());

    // an executor that died of it: Spark only says it was lost
    Throwable lost =
        new SparkException(
            "Job aborted due to stage failure: Task 3 in stage 2.0 failed 4 times, most recent"
                + " failure: Lost task 3.3 in stage 2.0 (TID 40) (worker-1 executor 2):"
                + " ExecutorLostFailure (executor 2 exited caused by one of the running tasks)"
                + " Reason: Container killed by YARN for exceeding physical memory limits.");
    Report l =
        report(new PipelineFailed("SparkRunner (yarn)", lost, true, "ReadEvents", knobs), false);
    assertEquals(Main.EXIT_FAILURE, l.code());
    assertTrue(l.err().startsWith("error: out of memory in ReadEvents (heap "), l::err);
    assertEquals(1, l.err().lines().count(), l::err);

    // the trace only with --verbose
    Report v =
        report(
            new PipelineFailed(
                "SparkRunner (local[2])", wrapped, true, "MineStream/MineFrequent", knobs),
            true);
    assertTrue(v.err().startsWith("error: out of memory in MineStream/MineFrequent "), v::err);
    assertTrue(v.err().lines().anyMatch(line -> line.startsWith("\tat ")), v::err);
  }

  /** The driver's own OutOfMemoryError (no Spark, no command context): our frame and -Xmx. */
  @Test
  void outOfMemoryInTheDriverNamesOurFrame() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    oom.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("java.util.Arrays", "copyOf", "Arrays.java", 1),
          new StackTraceElement(
              "io.rusket.beam.miner.TransactionDb", "grow", "TransactionDb.java", 2)
        });
    Report r = report(oom, false);
    assertEquals(Main.EXIT_FAILURE, r.code());
    assertEquals(
        "error: out of memory in TransactionDb.grow (heap "
            + HEAP_MB
            + " MB): give Java more heap with -Xmx (e.g. java -Xmx8g -jar rusket-beam.jar) or ask"
            + " for less (a higher --minSupport, a --maxLen)"
            + System.lineSeparator(),
        r.err());
  }

  /** Spark refuses a heap below its minimum with an IllegalArgumentException: not a usage error. */
  @Test
  void sparksMinimumHeapIsAMemoryErrorNotAUsageError() {
    IllegalArgumentException small =
        new IllegalArgumentException(
            "System memory 66060288 must be at least 471859200. Please increase heap size using the"
                + " --driver-memory option or spark.driver.memory in Spark configuration.");
    Report r =
        report(new PipelineFailed("SparkRunner (local[2])", small, true, null, "more"), false);
    assertEquals(Main.EXIT_FAILURE, r.code());
    assertEquals(
        "error: out of memory in Spark's start (heap 63 MB): Spark needs a heap of at least 450 MB;"
            + " more"
            + System.lineSeparator(),
        r.err());
  }
}
