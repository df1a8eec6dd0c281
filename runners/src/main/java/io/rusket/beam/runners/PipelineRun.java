package io.rusket.beam.runners;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the pipeline commands ({@code grouped}, {@code stream}, {@code demo}) share around a run:
 * the checks of {@code --input} and {@code --output} on the local file system that Beam would only
 * fail on while running, building the pipeline (its {@link IllegalArgumentException}s are usage
 * errors), and running it ({@link PipelineFailed} when it fails).
 *
 * <p>Example of use, in a command:
 *
 * <pre>{@code
 * PipelineRun.checkInput(options.getInput());
 * Pipeline p = Pipeline.create(options);
 * PipelineRun.build(() -> MineGroupedPipeline.buildPipeline(p, options));
 * PipelineRun.prepareOutput(options.getOutput());
 * PipelineRun.Finished f = PipelineRun.runAndWait(p);
 * }</pre>
 */
final class PipelineRun {
  private PipelineRun() {}

  /** A finished pipeline and the milliseconds from its start to its end. */
  record Finished(PipelineResult result, long millis) {}

  /**
   * Checks {@code --input} when it is a local path without wildcards: it must not be a directory.
   * (A missing file or a glob that matches nothing is reported by the pipeline's source, naming
   * it.)
   *
   * @throws UsageException for a directory, naming it and suggesting a glob
   */
  static void checkInput(@Nullable String input) {
    Path path = localPath(input);
    if (path != null
        && input.chars().noneMatch(c -> "*?[{".indexOf(c) >= 0)
        && Files.isDirectory(path)) {
      throw new UsageException(
          "--input: "
              + input
              + " is a directory; give a file or a glob, e.g. --input="
              + path.resolve("*.parquet"));
    }
  }

  /**
   * Creates the {@code --output} directory when it is a local path, and checks that files can be
   * written in it, so that an output that is a file or is not writable fails before the run instead
   * of after it.
   *
   * @throws UsageException naming the option, the path and the reason
   */
  static void prepareOutput(@Nullable String output) {
    Path dir = localPath(output);
    if (dir == null) {
      return;
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageException("--output: " + output + " is a file, not a directory");
    }
    for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new UsageException("--output: cannot create " + output + ": " + p + " is a file");
        }
        break;
      }
    }
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".rusket-write-check", ""));
    } catch (FileAlreadyExistsException e) {
      throw new UsageException(
          "--output: cannot create " + output + ": " + e.getFile() + " is a file", e);
    } catch (IOException e) {
      throw new UsageException(
          "--output: " + UsageException.io("cannot write in", dir, e).getMessage(), e);
    }
  }

  /**
   * Runs {@code build} (which adds the transforms to a pipeline and checks settings, input and
   * output).
   *
   * @throws UsageException for its {@link IllegalArgumentException}, with that message
   */
  static void build(Runnable build) {
    try {
      build.run();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /**
   * Runs {@code p}, which reads the user's input, with {@link RunnerSetup#run} and waits.
   *
   * @throws PipelineFailed if it failed, naming the runner
   */
  static Finished runAndWait(Pipeline p) {
    return runAndWait(p, true);
  }

  /**
   * Runs {@code p} with {@link RunnerSetup#run} and waits.
   *
   * @param readsUserData whether {@code p} reads the user's input (else built-in data: then no
   *     failure is the user's, see {@link PipelineFailed#readsUserData()})
   * @throws PipelineFailed if it failed, naming the runner
   */
  static Finished runAndWait(Pipeline p, boolean readsUserData) {
    long start = System.nanoTime();
    PipelineResult result;
    try {
      result = RunnerSetup.run(p);
    } catch (Exception e) { // Spark throws its checked SparkException unchecked
      throw new PipelineFailed(RunnerSetup.describe(p.getOptions()), e, readsUserData);
    }
    return new Finished(result, (System.nanoTime() - start) / 1_000_000);
  }

  /** {@code value} as a path on this machine, or null (absent, or a URL such as gs://b/x). */
  private static @Nullable Path localPath(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      if (value.startsWith("file:")) {
        return Path.of(URI.create(value));
      }
      if (value.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
        return null;
      }
      return Path.of(value);
    } catch (IllegalArgumentException e) { // InvalidPathException too
      return null;
    }
  }
}
