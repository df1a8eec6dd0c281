package io.rusket.beam.runners;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * Keeps Spark's logging of failed tasks off stderr while a command runs a pipeline, unless {@code
 * --verbose}: a task that throws makes Spark log the exception with its stack trace up to three
 * times ({@code ERROR Executor: Exception in task ...}, {@code WARN TaskSetManager: Lost task ...},
 * {@code ERROR TaskSetManager: Task 0 in stage 1.0 failed 1 times; aborting job}) before the
 * failure reaches the command, which reports it as one line ({@link ErrorReport}). The jar's {@code
 * log4j2.properties} applies otherwise (WARN and above).
 *
 * <p>Set up programmatically on the running log4j2 configuration (Spark logs through slf4j to
 * log4j2): the loggers of {@link #TASK_FAILURE_LOGGERS} are turned off, and {@link #close()} puts
 * them back as they were. Without log4j2's core (another logging backend), it does nothing.
 *
 * <p>Example of use, as {@link PipelineRun#runAndWait} does (for {@link Main}: not on {@code
 * --verbose}):
 *
 * <pre>{@code
 * try (AutoCloseable quiet = TaskLogging.quiet()) {
 *   RunnerSetup.run(pipeline);
 * }
 * }</pre>
 */
final class TaskLogging implements AutoCloseable {
  /**
   * The loggers that report a task's failure with its stack trace: Spark's executor (the exception
   * in the task), the task set manager (the lost task, the aborted job), the block manager (a
   * cached partition whose computation failed) and the Spark context (one that fails to start, e.g.
   * on a heap below Spark's minimum: {@code Error initializing SparkContext} and its trace); in the
   * Flink jar, Flink's batch task ({@code Error in task code}), its task (streaming) and Beam's
   * Flink runner ({@code Pipeline execution failed}).
   */
  static final List<String> TASK_FAILURE_LOGGERS =
      List.of(
          "org.apache.spark.executor.Executor",
          "org.apache.spark.scheduler.TaskSetManager",
          "org.apache.spark.storage.BlockManager",
          "org.apache.spark.SparkContext",
          "org.apache.flink.runtime.operators.BatchTask",
          "org.apache.flink.runtime.taskmanager.Task",
          "org.apache.beam.runners.flink.FlinkRunner");

  private final LoggerContext context;

  /** Loggers that had a configuration of their own, with their level before. */
  private final Map<String, Level> previous = new HashMap<>();

  private TaskLogging(LoggerContext context) {
    this.context = context;
    Configuration config = context.getConfiguration();
    for (String name : TASK_FAILURE_LOGGERS) {
      LoggerConfig own = config.getLoggers().get(name);
      if (own != null) {
        previous.put(name, own.getLevel());
        own.setLevel(Level.OFF);
      } else {
        config.addLogger(name, new LoggerConfig(name, Level.OFF, true));
      }
    }
    context.updateLoggers();
  }

  /**
   * Turns the loggers of {@link #TASK_FAILURE_LOGGERS} off until the result is closed; a no-op when
   * log4j2's core is not the logging backend.
   */
  static AutoCloseable quiet() {
    try {
      if (LogManager.getContext(false) instanceof LoggerContext context) {
        return new TaskLogging(context);
      }
    } catch (LinkageError e) {
      // log4j-core absent: nothing to configure
    }
    return () -> {};
  }

  /** Puts the loggers back as they were. */
  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    for (String name : TASK_FAILURE_LOGGERS) {
      Level before = previous.get(name);
      LoggerConfig own = config.getLoggers().get(name);
      if (before != null && own != null) {
        own.setLevel(before);
      } else if (own != null && own.getName().equals(name)) {
        config.removeLogger(name);
      }
    }
    context.updateLoggers();
  }
}
