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
        assertTrue(LogManager.getLogger("org.apache.spark.SparkContext").isErrorEnabled());
      }
      assertTrue(LogManager.getLogger(executor).isErrorEnabled());
      assertFalse(LogManager.getLogger(executor).isInfoEnabled(), "inherits WARN again");
      assertTrue(LogManager.getLogger(manager).isInfoEnabled(), "its own INFO again");
    } finally {
      Configurator.setLevel(manager, Level.WARN);
    }
  }
}
