package io.rusket.beam.runners;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A pipeline failed while running (not a mistake found before it ran). The message is the runner it
 * ran on, e.g. {@code SparkRunner (local[4])}; the cause is what the runner threw. When the
 * pipeline read the user's data, {@link ErrorReport} tells bad input data (exit 2, the data error's
 * message) from an internal failure (exit 1); a pipeline on built-in data ({@code selftest}) always
 * fails internally. For a run out of memory, {@link #stage()} (when Spark reported it) and {@link
 * #memoryKnobs()} say where and what to turn.
 */
final class PipelineFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean readsUserData;
  private final @Nullable String stage;
  private final @Nullable String memoryKnobs;

  /** A pipeline that read the user's input failed on {@code runner}. */
  PipelineFailed(String runner, Throwable cause) {
    this(runner, cause, true, null, null);
  }

  /** A pipeline failed on {@code runner}; see {@link #readsUserData()}. */
  PipelineFailed(String runner, Throwable cause, boolean readsUserData) {
    this(runner, cause, readsUserData, null, null);
  }

  /**
   * A pipeline failed on {@code runner}, in {@code stage}.
   *
   * @param stage the Beam step of the stage whose task failed first, or null if not known
   * @param memoryKnobs what to turn if it ran out of memory ({@link PipelineRun#memoryKnobs}), or
   *     null for the general advice
   */
  PipelineFailed(
      String runner,
      Throwable cause,
      boolean readsUserData,
      @Nullable String stage,
      @Nullable String memoryKnobs) {
    super(runner, cause);
    this.readsUserData = readsUserData;
    this.stage = stage;
    this.memoryKnobs = memoryKnobs;
  }

  /** Whether the pipeline read the user's input (so that it may have failed on bad data). */
  boolean readsUserData() {
    return readsUserData;
  }

  /** The Beam step (or Spark stage) whose task failed first, or null. */
  @Nullable String stage() {
    return stage;
  }

  /** The options and settings that lower the memory needed, in words, or null. */
  @Nullable String memoryKnobs() {
    return memoryKnobs;
  }
}
