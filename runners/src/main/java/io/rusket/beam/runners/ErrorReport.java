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
 *   <li>{@link OutOfMemoryError}: how to give Java more heap, exit {@link Main#EXIT_FAILURE}.
 *   <li>Anything else is an internal failure: the runner and the innermost exception's first line,
 *       exit {@link Main#EXIT_FAILURE}.
 * </ul>
 */
final class ErrorReport {
  /** An IllegalArgumentException as Spark prints a remote task's failure into its message. */
  private static final Pattern REMOTE_IAE =
      Pattern.compile("java\\.lang\\.IllegalArgumentException: ([^\\r\\n]+)");

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
    } else if (find(t, OutOfMemoryError.class) != null) {
      err.println(
          "error: out of memory (max heap "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MB): give Java more with -Xmx, e.g. java -Xmx8g -jar "
              + Main.JAR
              + ", or ask for less (a higher --minSupport, a --maxLen)");
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
