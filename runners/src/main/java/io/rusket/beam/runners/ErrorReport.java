package io.rusket.beam.runners;

import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a command threw, as users see it: one line {@code error: ...} on stderr and the exit code;
 * the stack trace only with {@code --verbose}.
 *
 * <ul>
 *   <li>{@link UsageException} (a mistake found before anything ran): its message, exit {@link
 *       Main#EXIT_USAGE}.
 *   <li>{@link PipelineFailed} (the pipeline failed while running) caused by bad input data: the
 *       message of the {@link IllegalArgumentException} the transforms and readers throw for it
 *       (naming the file, row, column and value), dug out of the runners' wrappers
 *       (PipelineExecutionException, Spark's SparkException, Beam's UserCodeException), exit {@link
 *       Main#EXIT_USAGE}. Names of transform settings in it are replaced by the options that set
 *       them ({@code withNumItems} is {@code --numItems}).
 *   <li>Out of memory — an {@link OutOfMemoryError} in the cause chain (the driver's, or an
 *       executor's that Spark sent back), or one that Spark only quotes in its messages ({@code
 *       java.lang.OutOfMemoryError: Java heap space} in a stage failure, an {@code
 *       ExecutorLostFailure} of an executor that died of it or was killed for its memory), or Spark
 *       refusing to start on a heap below its minimum, or Flink refusing to run a task in its
 *       managed or network memory ({@code error: out of Flink's managed memory (...): KNOBS}): one
 *       line {@code error: out of memory in STAGE (heap N MB): KNOBS}, exit {@link
 *       Main#EXIT_FAILURE} (a resource failure, not a mistake). STAGE is the first of our (or Beam
 *       IO's) frames of the error's own stack, else the Beam step of the Spark stage that failed
 *       ({@link PipelineFailed#stage()}), else such a frame in a stack trace Spark quoted, else
 *       left out; KNOBS are the command's ({@link PipelineFailed#memoryKnobs()}), else -Xmx and a
 *       higher --minSupport or a --maxLen.
 *   <li>Java 17 refusing Spark a JDK package (an {@link IllegalAccessError} or {@link
 *       java.lang.reflect.InaccessibleObjectException} in the chain: the driver's JVM; or one Spark
 *       quotes from an executor): the JVM was started without the {@code --add-opens} flags Spark
 *       needs. One line naming the JVM, the first missing flag and the fix ({@link
 *       #missingJavaFlagLine}), exit {@link Main#EXIT_FAILURE}.
 *   <li>Anything else is an internal failure: the runner and the innermost exception's first line,
 *       exit {@link Main#EXIT_FAILURE}.
 * </ul>
 */
final class ErrorReport {
  /** An IllegalArgumentException as Spark prints a remote task's failure into its message. */
  private static final Pattern REMOTE_IAE =
      Pattern.compile("java\\.lang\\.IllegalArgumentException: ([^\\r\\n]+)");

  /** An OutOfMemoryError as Spark quotes an executor's, or an executor lost for its memory. */
  private static final Pattern REMOTE_OOM =
      Pattern.compile(
          "java\\.lang\\.OutOfMemoryError|ExecutorLostFailure[^\\r\\n]*(?:OutOfMemoryError|code 52"
              + "|exceeding [a-z]+ memory limits|OOMKilled)|Container killed[^\\r\\n]*memory");

  /** Spark's refusal to start on a small heap (UnifiedMemoryManager). */
  private static final Pattern SPARK_MIN_HEAP =
      Pattern.compile("System memory (\\d+) must be at least (\\d+)");

  /**
   * Flink refusing to run a task in the memory it has for it: managed memory (a sorter's pages) or
   * network buffers; on embedded Flink it divides fixed amounts among its slots, one per core.
   */
  private static final Pattern FLINK_MEMORY =
      Pattern.compile(
          "Too little memory provided to sorter|Insufficient number of network buffers");

  /** What to turn when Flink's managed or network memory is too small ({@link #FLINK_MEMORY}). */
  static final String FLINK_MEMORY_KNOBS =
      "give Flink more (taskmanager.memory.managed.size, taskmanager.memory.network.min and"
          + " .max in DIR/flink-conf.yaml, with --flinkConfDir=DIR; on a cluster, in its"
          + " configuration) or a lower --parallelism";

  /** A stack frame as Spark prints it into a message: our classes' and Beam IO's. */
  private static final Pattern FRAME =
      Pattern.compile(
          "\\bat ((?:io\\.rusket|org\\.apache\\.beam\\.sdk\\.io)\\.[\\w.$]+)\\.([\\w$<>]+)\\(");

  /**
   * Java 17's refusal of a package to the unnamed module: an IllegalAccessError ({@code module
   * java.base does not export sun.nio.ch to unnamed module}) or an InaccessibleObjectException
   * ({@code module java.base does not "opens java.nio" to unnamed module}).
   */
  private static final Pattern CLOSED_PACKAGE =
      Pattern.compile(
          "module ([\\w.]+) does not (?:export ([\\w.]+)|\"opens ([\\w.]+)\") to unnamed module");

  private ErrorReport() {}

  /**
   * Prints {@code t} as one {@code error:} line on {@code err} (and its stack trace when {@code
   * verbose}).
   *
   * @return the exit code
   */
  static int report(Throwable t, boolean verbose, PrintStream err) {
    int code;
    if (t instanceof UsageException) {
      err.println("error: " + oneLine(t.getMessage()));
      code = Main.EXIT_USAGE;
    } else if (missingLibraryLine(t) != null) {
      err.println("error: " + missingLibraryLine(t));
      code = Main.EXIT_FAILURE;
    } else if (missingJavaFlagLine(t) != null) {
      err.println("error: " + missingJavaFlagLine(t));
      code = Main.EXIT_FAILURE;
    } else if (outOfMemory(t)) {
      err.println("error: " + outOfMemoryLine(t));
      code = Main.EXIT_FAILURE;
    } else {
      String data = t instanceof PipelineFailed f && f.readsUserData() ? inputError(t) : null;
      if (data != null) {
        err.println("error: " + data);
        code = Main.EXIT_USAGE;
      } else {
        String where =
            t instanceof PipelineFailed
                ? "the pipeline failed on " + t.getMessage()
                : "internal error";
        err.println(
            "error: "
                + where
                + ": "
                + firstLine(innermost(t).toString())
                + (verbose ? "" : " (--verbose shows the stack trace)"));
        code = Main.EXIT_FAILURE;
      }
    }
    if (verbose) {
      t.printStackTrace(err);
    }
    return code;
  }

  /**
   * For a class not found because the bundled jar was copied without the jar its manifest's
   * Class-Path names ({@code lib/rusket-beam-lib.jar}, beside it): which file is missing and the
   * fix; null for any other failure (and in a jar without a Class-Path, or on a class path of
   * folders).
   */
  static @Nullable String missingLibraryLine(Throwable t) {
    Throwable cause = innermost(t);
    if (!(cause instanceof ClassNotFoundException || cause instanceof NoClassDefFoundError)) {
      return null;
    }
    try {
      java.security.CodeSource source = Main.class.getProtectionDomain().getCodeSource();
      if (source == null || !source.getLocation().getPath().endsWith(".jar")) {
        return null;
      }
      java.nio.file.Path jar = java.nio.file.Path.of(source.getLocation().toURI());
      String classPath;
      try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
        java.util.jar.Manifest m = f.getManifest();
        classPath = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      }
      if (classPath == null) {
        return null;
      }
      for (String entry : classPath.trim().split("\\s+")) {
        java.nio.file.Path lib = jar.resolveSibling(entry);
        if (!entry.isEmpty() && !java.nio.file.Files.isRegularFile(lib)) {
          return jar.getFileName()
              + " needs "
              + lib
              + " beside it ("
              + firstLine(cause.toString())
              + "): copy the jar together with its lib/ folder (runners/target/lib/)";
        }
      }
    } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /**
   * For a JVM started without the flags Spark needs on Java 17 (see the class comment): which JVM
   * (this one, the driver; or an executor, whose error Spark quotes), the first flag missing and
   * the fix; null for any other failure.
   */
  static @Nullable String missingJavaFlagLine(Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      Matcher m = CLOSED_PACKAGE.matcher(String.valueOf(c.getMessage()));
      if (m.find()) {
        String flag =
            "--add-opens="
                + m.group(1)
                + "/"
                + (m.group(2) != null ? m.group(2) : m.group(3))
                + "=ALL-UNNAMED";
        boolean driver =
            c instanceof IllegalAccessError
                || c instanceof java.lang.reflect.InaccessibleObjectException;
        return (driver
            ? "this JVM (the Spark driver) was started without the Java 17 flags Spark needs"
                + " (missing: "
                + flag
                + "): launch it with spark-submit of Spark 3.3 or newer, which adds them, or"
                + " put the flags of README \"On a cluster\" on its java command"
            : "an executor's JVM was started without the Java 17 flags Spark needs (missing: "
                + flag
                + "): run on Spark 3.3 or newer, which adds them, or pass the flags of README"
                + " \"On a cluster\" in --conf spark.executor.extraJavaOptions=...");
      }
    }
    return null;
  }

  /** Whether {@code t} is a run out of memory (see the class comment). */
  static boolean outOfMemory(Throwable t) {
    if (find(t, OutOfMemoryError.class) != null) {
      return true;
    }
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      if (REMOTE_OOM.matcher(m).find()
          || SPARK_MIN_HEAP.matcher(m).find()
          || FLINK_MEMORY.matcher(m).find()) {
        return true;
      }
    }
    return false;
  }

  /** {@code out of memory in STAGE (heap N MB): KNOBS}, for {@link #outOfMemory} failures. */
  static String outOfMemoryLine(Throwable t) {
    PipelineFailed failed = t instanceof PipelineFailed f ? f : null;
    String knobs =
        failed != null && failed.memoryKnobs() != null
            ? failed.memoryKnobs()
            : "give Java more heap with -Xmx (e.g. java -Xmx8g -jar "
                + Main.JAR
                + ") or ask for less (a higher --minSupport, a --maxLen)";
    String stage = failed == null ? null : failed.stage();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      Matcher flink = FLINK_MEMORY.matcher(m);
      if (flink.find()) { // Flink's own words, from where they start (wrappers prefix theirs)
        String why = firstLine(m.substring(flink.start()));
        return "out of Flink's "
            + (why.contains("sorter") ? "managed" : "network")
            + " memory ("
            + why
            + "): "
            + FLINK_MEMORY_KNOBS;
      }
      Matcher min = SPARK_MIN_HEAP.matcher(m);
      if (min.find()) {
        return "out of memory in Spark's start (heap "
            + (Long.parseLong(min.group(1)) >> 20)
            + " MB): Spark needs a heap of at least "
            + (Long.parseLong(min.group(2)) >> 20)
            + " MB; "
            + knobs;
      }
    }
    // The frame where memory ran out names the step exactly; a Spark stage fuses several Beam steps
    // and is described by its last one (e.g. the write after the mining that failed).
    String at = ownFrame(t);
    if (at != null) {
      stage = at;
    } else if (stage == null) {
      stage = quotedFrame(t);
    }
    return "out of memory"
        + (stage == null ? "" : " in " + stage)
        + " (heap "
        + (Runtime.getRuntime().maxMemory() >> 20)
        + " MB): "
        + knobs;
  }

  /**
   * {@code Class.method} of the first frame of our code (or Beam IO's) in the OutOfMemoryError's
   * own stack; null if none.
   */
  private static @Nullable String ownFrame(Throwable t) {
    Throwable oom = find(t, OutOfMemoryError.class);
    if (oom != null) {
      for (StackTraceElement e : oom.getStackTrace()) {
        if (isStep(e.getClassName())) {
          return simpleName(e.getClassName()) + "." + e.getMethodName();
        }
      }
    }
    return null;
  }

  /** The first frame of our code (or Beam IO's) in an OutOfMemoryError Spark quoted as text. */
  private static @Nullable String quotedFrame(Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      Matcher oomAt = REMOTE_OOM.matcher(m);
      if (oomAt.find()) {
        Matcher f = FRAME.matcher(m);
        if (f.find(oomAt.start())) {
          return simpleName(f.group(1)) + "." + f.group(2);
        }
      }
    }
    return null;
  }

  /** A class of the pipeline's steps: ours (not the command line's) or Beam IO's. */
  private static boolean isStep(String className) {
    return (className.startsWith("io.rusket.") && !className.startsWith("io.rusket.beam.runners."))
        || className.startsWith("org.apache.beam.sdk.io.");
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /**
   * The message of the input-data error that failed a pipeline, or null: the first {@link
   * IllegalArgumentException} with a message in the cause chain, or one that Spark only quotes in a
   * message (a remote executor's failure that did not travel as an object); on one line, with the
   * transforms' setting names replaced by options.
   */
  static @Nullable String inputError(Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      if (c instanceof IllegalArgumentException && c.getMessage() != null) {
        return options(oneLine(c.getMessage()));
      }
    }
    seen.clear();
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      Matcher m = REMOTE_IAE.matcher(String.valueOf(c.getMessage()));
      if (m.find()) {
        return options(m.group(1).strip());
      }
    }
    return null;
  }

  /** {@code message} with the transforms' names of settings the commands set by options. */
  private static String options(String message) {
    return message
        .replace("withNumItems(n)", "--numItems")
        .replaceAll("\\bwithNumItems\\b", "--numItems")
        .replaceAll("\\bwithShards\\b", "--shards");
  }

  private static @Nullable Throwable find(Throwable t, Class<? extends Throwable> type) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
    }
    return null;
  }

  /** The last exception of the cause chain (the one the others wrap). */
  private static Throwable innermost(Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    Throwable last = t;
    for (Throwable c = t; c != null && seen.put(c, true) == null; c = c.getCause()) {
      last = c;
    }
    return last;
  }

  /** {@code text} on one line: line breaks and the indentation after them become one space. */
  static String oneLine(@Nullable String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** The first line of {@code text} (Spark puts whole stack traces into its messages). */
  static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
