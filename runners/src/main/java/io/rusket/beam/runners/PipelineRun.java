package io.rusket.beam.runners;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the pipeline commands ({@code grouped}, {@code stream}, {@code demo}) share around a run:
 * the checks of {@code --input} and {@code --output} on the local file system that Beam would only
 * fail on while running, building the pipeline (its {@link IllegalArgumentException}s are usage
 * errors), and running it ({@link PipelineFailed} when it fails, naming the stage that failed and,
 * for memory, the knobs of the command), with its progress on stderr unless {@code --quiet} ({@link
 * RunProgress}).
 *
 * <p>Example of use, in a command:
 *
 * <pre>{@code
 * PipelineRun.checkInput(options, options.getInput());
 * Pipeline p = Pipeline.create(options);
 * PipelineRun.build(() -> MineGroupedPipeline.buildPipeline(p, options));
 * PipelineRun.prepareOutput(options, options.getOutput());
 * PipelineRun.Finished f = PipelineRun.runAndWait(p, true, PipelineRun.progress(err, quiet, counters));
 * }</pre>
 */
final class PipelineRun {
  /** The flag of the pipeline commands that turns progress off. */
  static final String QUIET = "quiet";

  private PipelineRun() {}

  /**
   * Whether {@link #runAndWait} keeps Spark's (and Flink's) logging of failed tasks off stderr
   * while the pipeline runs ({@link TaskLogging}): set by {@link Main} for a pipeline command
   * without {@code --verbose}. Logging is set up only then, when a pipeline runs, so that an
   * argument error touches no log4j class (issue 14).
   */
  static final ThreadLocal<Boolean> QUIET_TASK_LOGS = new ThreadLocal<>();

  /** A command line without {@code --quiet}, and whether it was given. */
  record Args(String[] rest, boolean quiet) {}

  /**
   * Takes {@code --quiet} (or {@code --quiet=true|false}) out of {@code args}.
   *
   * @throws UsageException for another value, or the flag given twice
   */
  static Args takeQuiet(String[] args) {
    List<String> rest = new ArrayList<>();
    Boolean quiet = null;
    for (String arg : args) {
      if (arg.equals("--" + QUIET) || arg.startsWith("--" + QUIET + "=")) {
        String value = arg.equals("--" + QUIET) ? "true" : arg.substring(QUIET.length() + 3);
        if (!value.equals("true") && !value.equals("false")) {
          throw new UsageException(
              "Invalid --quiet: " + value + ". It is a flag: --quiet or --quiet=true|false.");
        }
        if (quiet != null) {
          throw new UsageException("--quiet is given more than once");
        }
        quiet = value.equals("true");
      } else {
        rest.add(arg);
      }
    }
    return new Args(rest.toArray(new String[0]), quiet != null && quiet);
  }

  /** What to show while a pipeline runs: the counters, on {@code err}; or nothing. */
  record Progress(@Nullable PrintStream err, List<RunProgress.Counter> counters) {
    /** No progress ({@code --quiet}, or a pipeline of built-in data). */
    static final Progress NONE = new Progress(null, List.of());
  }

  /** Progress on {@code err} with {@code counters}, or {@link Progress#NONE} when {@code quiet}. */
  static Progress progress(PrintStream err, boolean quiet, List<RunProgress.Counter> counters) {
    return quiet ? Progress.NONE : new Progress(err, counters);
  }

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
    checkInput(null, input);
  }

  /**
   * As {@link #checkInput(String)}, and for a remote {@code --input} (hdfs://, s3://, gs://) with
   * {@code options}: that it can be listed within the options' timeout ({@link
   * FileSystemSetup#checkInput}).
   */
  static void checkInput(@Nullable PipelineOptions options, @Nullable String input) {
    if (options != null && FileSystemSetup.isRemote(input)) {
      FileSystemSetup.checkInput(options, input);
      return;
    }
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
    prepareOutput(null, output);
  }

  /**
   * As {@link #prepareOutput(String)}, and for a remote {@code --output} (hdfs://, s3://, gs://)
   * with {@code options}: that a file can be written in it within the options' timeout ({@link
   * FileSystemSetup#checkOutput}).
   */
  static void prepareOutput(@Nullable PipelineOptions options, @Nullable String output) {
    if (options != null && FileSystemSetup.isRemote(output)) {
      FileSystemSetup.checkOutput(options, output);
      return;
    }
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
   * A job from {@code --input} to {@code --output}, as {@code stream}, {@code sequences} and {@code
   * utility} run it: the input checked, a pipeline on {@code options} built by {@code build}, the
   * output prepared, then run and waited for with {@code progress}.
   *
   * @throws UsageException for a missing input, a bad setting or an output that holds files
   * @throws PipelineFailed if the run failed
   */
  static Finished runFileJob(
      PipelineOptions options,
      @Nullable String input,
      @Nullable String output,
      Consumer<Pipeline> build,
      Progress progress) {
    checkInput(options, input);
    Pipeline p = Pipeline.create(options);
    build(() -> build.accept(p));
    prepareOutput(options, output);
    return runAndWait(p, true, progress);
  }

  /**
   * Runs {@code p}, which reads the user's input, and waits, without progress.
   *
   * @throws PipelineFailed if it failed, naming the runner
   */
  static Finished runAndWait(Pipeline p) {
    return runAndWait(p, true, Progress.NONE);
  }

  /**
   * Runs {@code p} with {@link RunnerSetup#start} and waits ({@link RunnerSetup#waitUntilDone}),
   * showing its {@code progress}: the Spark UI address, a line every 10 s and a summary at the end
   * ({@link RunProgress}).
   *
   * @param readsUserData whether {@code p} reads the user's input (else built-in data: then no
   *     failure is the user's, see {@link PipelineFailed#readsUserData()})
   * @throws PipelineFailed if it failed (also for an OutOfMemoryError), naming the runner, the
   *     stage that failed when Spark reported it, and the memory knobs of the command's options
   */
  static Finished runAndWait(Pipeline p, boolean readsUserData, Progress progress) {
    PipelineOptions options = p.getOptions();
    RunProgress.Heap.resetPeak();
    long start = System.nanoTime();
    SparkWatch watch = null;
    RunProgress shown = null;
    Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(quietOnOutOfMemory(handler));
    AutoCloseable quietTasks = Boolean.TRUE.equals(QUIET_TASK_LOGS.get()) ? quietTasks() : null;
    try {
      PipelineResult result = RunnerSetup.start(p);
      // SparkWatch is a Spark listener: loaded only on Spark (the Flink jar has no Spark)
      watch = RunnerSetup.isSpark(options) ? SparkWatch.attach(options) : null;
      if (progress.err() != null && !progress.counters().isEmpty()) {
        shown =
            new RunProgress(
                progress.err(), progress.counters(), source(result, watch), System::nanoTime);
        shown.start(watch == null ? null : watch.uiUrl());
      }
      RunnerSetup.waitUntilDone(p, result);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (shown != null) {
        shown.finish(millis);
      }
      return new Finished(result, millis);
    } catch (Exception | OutOfMemoryError e) { // Spark throws its checked SparkException unchecked
      throw new PipelineFailed(
          RunnerSetup.describe(options),
          e,
          readsUserData,
          watch == null ? null : watch.failedStage(),
          memoryKnobs(options));
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(handler);
      if (shown != null) {
        shown.close();
      }
      if (watch != null) {
        watch.close();
      }
      if (quietTasks != null) {
        try {
          quietTasks.close();
        } catch (Exception e) {
          // TaskLogging.close throws nothing
        }
      }
    }
  }

  /** {@link TaskLogging#quiet()}, or nothing without log4j2's core. */
  private static AutoCloseable quietTasks() {
    try {
      return TaskLogging.quiet();
    } catch (LinkageError e) {
      return () -> {};
    }
  }

  /**
   * A handler for the runner's threads that says nothing of an OutOfMemoryError (the run fails with
   * it, and {@link ErrorReport} reports it as one line; printing a stack trace needs memory and
   * fails itself), and otherwise does what {@code previous} (or Java, without one) does.
   */
  private static Thread.UncaughtExceptionHandler quietOnOutOfMemory(
      Thread.@Nullable UncaughtExceptionHandler previous) {
    return (thread, e) -> {
      if (e instanceof OutOfMemoryError) {
        return;
      }
      if (previous != null) {
        previous.uncaughtException(thread, e);
      } else { // as ThreadGroup does without a default handler
        System.err.print("Exception in thread \"" + thread.getName() + "\" ");
        e.printStackTrace(System.err);
      }
    };
  }

  /** The counters of the run's result, plus those of Spark's running tasks. */
  private static RunProgress.Source source(PipelineResult result, @Nullable SparkWatch watch) {
    return new RunProgress.Source() {
      @Override
      public long count(RunProgress.Counter c) {
        long done = PipelineMetrics.counter(result, c.namespace(), c.name());
        return watch == null ? done : done + watch.running(c.namespace(), c.name());
      }

      @Override
      public @Nullable String stage() {
        return watch == null ? null : watch.stage();
      }
    };
  }

  /**
   * What to turn when a run of {@code options} runs out of memory, in words: the heap of this JVM
   * (embedded Spark or Flink, the DirectRunner) or the workers' memory (a Spark or Flink cluster),
   * then the command's options that lower the memory per worker: a lower {@code --maxRamBytes} or
   * {@code --maxBundleBytes}, more {@code --shards}, a higher {@code --minSupport} (those it has).
   */
  static String memoryKnobs(PipelineOptions options) {
    Set<String> has = new HashSet<>();
    for (Class<?> type : options.getClass().getInterfaces()) { // a Beam proxy: the types as()-ed
      if (PipelineOptions.class.isAssignableFrom(type)) {
        has.addAll(OptionsHelp.optionNames(type.asSubclass(PipelineOptions.class)));
      }
    }
    List<String> knobs = new ArrayList<>();
    if (RunnerSetup.isSpark(options) && !RunnerSetup.isLocal(options)) {
      knobs.add(
          "give the executors more memory (spark.executor.memory, spark-submit"
              + " --executor-memory; the driver: --driver-memory)");
    } else if (RunnerSetup.isFlink(options) && !RunnerSetup.isEmbeddedFlink(options)) {
      knobs.add(
          "give the task managers more memory (taskmanager.memory.process.size in the"
              + " cluster's Flink configuration)");
    } else {
      knobs.add("give Java more heap with -Xmx (e.g. java -Xmx8g -jar " + Main.JAR + ")");
    }
    if (has.contains("maxRamBytes")) {
      knobs.add("a lower --maxRamBytes");
    }
    if (has.contains("maxBundleBytes")) {
      knobs.add("a lower --maxBundleBytes");
    }
    if (has.contains("shards")) {
      knobs.add("more --shards");
    }
    knobs.add("a higher --minSupport");
    return String.join(", ", knobs.subList(0, knobs.size() - 1))
        + " or "
        + knobs.get(knobs.size() - 1);
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
