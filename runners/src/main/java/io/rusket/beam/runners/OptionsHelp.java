package io.rusket.beam.runners;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The help text of a command whose options are a Beam {@link PipelineOptions} interface: each
 * option of the interface (its getters, declared there or in a parent interface of ours, not
 * Beam's) with its {@link Description}, and {@code required} or its {@link Default}, then the
 * runner options every pipeline command takes ({@link RunnerSetup}).
 */
final class OptionsHelp {
  private static final int WIDTH = 78;

  private OptionsHelp() {}

  /** The option names of {@code type} and its parent interfaces outside Beam, sorted. */
  static Set<String> optionNames(Class<? extends PipelineOptions> type) {
    Set<String> names = new TreeSet<>();
    for (Method m : type.getMethods()) {
      if (isOurs(m.getDeclaringClass()) && isGetter(m)) {
        names.add(property(m));
      }
    }
    return names;
  }

  /** Prints {@code names} (options of {@code type}, in this order), then the runner options. */
  static void print(PrintStream out, Class<? extends PipelineOptions> type, List<String> names) {
    out.println("Options:");
    for (String name : names) {
      Method getter = getter(type, name);
      boolean flag = getter.getReturnType() == boolean.class;
      String usage = "--" + name + (flag ? "" : "=" + hint(getter.getReturnType()));
      String extra =
          getter.isAnnotationPresent(Validation.Required.class) ? "required" : defaultValue(getter);
      out.println("  " + usage + (extra == null ? "" : "  (" + extra + ")"));
      Description d = getter.getAnnotation(Description.class);
      wrap(out, d == null ? "" : d.value(), "      ");
    }
    printRunnerOptions(out);
  }

  /** The runner options of {@link RunnerSetup}, as every pipeline command takes them. */
  static void printRunnerOptions(PrintStream out) {
    out.println();
    out.println("Runner (Beam pipeline options; any other option of Beam's runners is accepted):");
    out.println("  (none)                  SparkRunner embedded in this JVM, on all cores");
    out.println("  --runner=SparkRunner    with --sparkMaster=local[N] | spark://HOST:7077 | ...");
    out.println("                          (under spark-submit, spark-submit's --master wins)");
    out.println(
        "  --runner=FlinkRunner    in rusket-beam-flink.jar (its default): embedded Flink,");
    out.println(
        "                          or a cluster's job manager with --flinkMaster=HOST:PORT");
    out.println("  --runner=DirectRunner   Beam's single-JVM test runner (slow, for checking)");
    out.println(
        "  --storageLevel=LEVEL    how Spark keeps what two steps read (default: "
            + RunnerSetup.DEFAULT_STORAGE_LEVEL
            + ")");
    out.println();
    out.println("Progress (on stderr, while the pipeline runs):");
    out.println("  --quiet     none of it: without it, the Spark UI address at the start, a line");
    out.println(
        "              every "
            + RunProgress.DEFAULT_INTERVAL_MILLIS / 1000
            + " s (time, events read, stage, heap) and a summary at the end");
    out.println("              (events/s, peak heap). The result line on stdout stays.");
  }

  private static Method getter(Class<?> type, String name) {
    for (Method m : type.getMethods()) {
      if (isGetter(m) && property(m).equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("no option --" + name + " in " + type.getName());
  }

  private static boolean isOurs(Class<?> c) {
    return c.getName().startsWith("io.rusket.");
  }

  private static boolean isGetter(Method m) {
    return BeamArgs.isGetter(m);
  }

  private static String property(Method m) {
    return BeamArgs.property(m);
  }

  private static String hint(Class<?> t) {
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "N";
    }
    if (t == double.class || t == Double.class) {
      return "X";
    }
    return "VALUE";
  }

  private static String defaultValue(Method m) {
    if (m.isAnnotationPresent(Default.String.class)) {
      return "default: " + m.getAnnotation(Default.String.class).value();
    }
    if (m.isAnnotationPresent(Default.Double.class)) {
      return "default: " + m.getAnnotation(Default.Double.class).value();
    }
    if (m.isAnnotationPresent(Default.Integer.class)) {
      return "default: " + m.getAnnotation(Default.Integer.class).value();
    }
    if (m.isAnnotationPresent(Default.Long.class)) {
      return "default: " + m.getAnnotation(Default.Long.class).value();
    }
    if (m.isAnnotationPresent(Default.Boolean.class)) {
      return m.getAnnotation(Default.Boolean.class).value() ? "default: on" : null;
    }
    return null;
  }

  /** {@code text} in lines of at most {@value #WIDTH} characters, each after {@code indent}. */
  static void wrap(PrintStream out, String text, String indent) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split("\\s+")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line.setLength(0);
        line.append(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > indent.length()) {
      lines.add(line.toString());
    }
    lines.forEach(out::println);
  }
}
