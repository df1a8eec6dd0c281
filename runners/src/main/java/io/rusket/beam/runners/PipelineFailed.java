package io.rusket.beam.runners;

/**
 * A pipeline failed while running (not a mistake found before it ran). The message is the runner it
 * ran on, e.g. {@code SparkRunner (local[4])}; the cause is what the runner threw. When the
 * pipeline read the user's data, {@link ErrorReport} tells bad input data (exit 2, the data error's
 * message) from an internal failure (exit 1); a pipeline on built-in data ({@code selftest}) always
 * fails internally.
 */
final class PipelineFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean readsUserData;

  /** A pipeline that read the user's input failed on {@code runner}. */
  PipelineFailed(String runner, Throwable cause) {
    this(runner, cause, true);
  }

  PipelineFailed(String runner, Throwable cause, boolean readsUserData) {
    super(runner, cause);
    this.readsUserData = readsUserData;
  }

  /** Whether the pipeline read the user's input (so that it may have failed on bad data). */
  boolean readsUserData() {
    return readsUserData;
  }
}
