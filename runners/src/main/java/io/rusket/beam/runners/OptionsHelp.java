package io.rusket.beam.runners;

import io.rusket.beam.pipelines.MiningJob;
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
    printFileSystemOptions(out);
    out.println();
    out.println("Progress (on stderr, while the pipeline runs):");
    out.println("  --quiet     none of it: without it, the Spark UI address at the start, a line");
    out.println(
        "              every "
            + RunProgress.DEFAULT_INTERVAL_MILLIS / 1000
            + " s (time, events read, stage, heap) and a summary at the end");
    out.println("              (events/s, peak heap). The result line on stdout stays.");
  }

  /** The file systems of --input and --output and their options (README, "File systems"). */
  static void printFileSystemOptions(PrintStream out) {
    out.println();
    out.println("File systems (--input: a file or a glob; --output: a directory):");
    out.println("  /local/path, file:///...   this machine's (on a cluster: every worker's)");
    out.println("  hdfs://NAMENODE:PORT/...   Hadoop's client (also webhdfs://, viewfs://)");
    out.println(
        "    --hdfsConfiguration='[{\"fs.defaultFS\":\"hdfs://nn:8020\",\"KEY\":\"VALUE\"}]'");
    out.println("        Hadoop settings (default: core-site.xml and hdfs-site.xml of");
    out.println("        $HADOOP_CONF_DIR or $YARN_CONF_DIR, else the namenode of the path)");
    out.println("  s3://BUCKET/KEY            AWS SDK v2");
    out.println("    --awsRegion=REGION       (default: $AWS_REGION, ~/.aws/config, ...)");
    out.println("    --endpoint=http://HOST:PORT  an S3-compatible store (MinIO, Ceph, ...)");
    out.println("    --s3PathStyleAccess      ENDPOINT/BUCKET/KEY addressing (most such stores)");
    out.println(
        "    --awsCredentialsProvider='{\"@type\":\"StaticCredentialsProvider\","
            + "\"accessKeyId\":\"ID\",");
    out.println("        \"secretAccessKey\":\"KEY\"}'  (default: AWS's chain: $AWS_ACCESS_KEY_ID");
    out.println("        and $AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, instance roles)");
    out.println("  gs://BUCKET/OBJECT         Google Cloud Storage");
    out.println("    --project=ID             credentials: $GOOGLE_APPLICATION_CREDENTIALS (a key");
    out.println("        file) or gcloud auth application-default login");
    out.println(
        "  --fileSystemTimeoutSeconds=N  how long the checks before the run wait for a remote");
    out.println(
        "        path (default: "
            + FileSystemOptions.DEFAULT_TIMEOUT_SECONDS
            + "); a missing bucket, refused credentials or no answer is an error");
    out.println("        before the pipeline starts");
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
    if (m.getName().equals("getMinSupport") && m.getReturnType() == Double.class) {
      // nullable so that a written 0.5 is told from none (with --topK, or beside sequences'
      // --minCount); MiningJob and MineSequencesPipeline resolve it to the same 0.5
      return "default: " + MiningJob.DEFAULT_MIN_SUPPORT;
    }
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
