package io.rusket.beam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark installation as a standalone cluster's machines have it: {@code SPARK_HOME/jars} (Spark's
 * own jar set, resolved by {@code spark-home/pom.xml} with Spark's parent POM as the BOM), a {@code
 * RELEASE} file (which tells Spark's launcher to take its classpath from {@code jars/}) and {@code
 * conf/log4j2.properties}. Commands are built the way {@code bin/spark-class} builds them: Spark's
 * launcher ({@code org.apache.spark.launcher.Main}) prints the java command for a class, with the
 * JVM flags Spark adds itself (for spark-submit's driver: the Java 17 {@code --add-opens}), and the
 * test runs that command.
 */
final class SparkHome {
  final Path home;
  final String sparkVersion;
  final String scalaVersion;

  private SparkHome(Path home, String sparkVersion, String scalaVersion) {
    this.home = home;
    this.sparkVersion = sparkVersion;
    this.scalaVersion = scalaVersion;
  }

  /** The SPARK_HOME the build prepared (system property spark.home), completed. */
  static SparkHome prepare() throws IOException {
    Path home = Path.of(required("spark.home"));
    String spark = required("spark.version");
    String scala = required("scala.binary.version");
    Path core = home.resolve("jars").resolve("spark-core_" + scala + "-" + spark + ".jar");
    assertTrue(Files.isRegularFile(core), () -> "SPARK_HOME/jars not built: no " + core);
    Files.writeString(
        home.resolve("RELEASE"),
        "Spark " + spark + " (jars from Maven, spark-parent_" + scala + " as BOM)\n");
    Files.createDirectories(home.resolve("conf"));
    // WARN and above, plus what the tests read: executors starting tasks, executors launched and
    // lost (master, worker, the driver's scheduler backend).
    Files.writeString(
        home.resolve("conf").resolve("log4j2.properties"),
        String.join(
            "\n",
            "rootLogger.level = warn",
            "rootLogger.appenderRef.stderr.ref = stderr",
            "appender.console.type = Console",
            "appender.console.name = stderr",
            "appender.console.target = SYSTEM_ERR",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
            "logger.executor.name = org.apache.spark.executor.Executor",
            "logger.executor.level = info",
            "logger.deploy.name = org.apache.spark.deploy",
            "logger.deploy.level = info",
            "logger.backend.name = org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend",
            "logger.backend.level = info",
            ""),
        StandardCharsets.UTF_8);
    return new SparkHome(home, spark, scala);
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    assertTrue(v != null && !v.isBlank(), () -> "failsafe passes -D" + property);
    return v;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The environment Spark's scripts would set up (load-spark-env.sh), on loopback. */
  Map<String, String> env() {
    return Map.of(
        "SPARK_HOME",
        home.toString(),
        "SPARK_SCALA_VERSION",
        scalaVersion,
        "SPARK_CONF_DIR",
        home.resolve("conf").toString(),
        "JAVA_HOME",
        System.getProperty("java.home"),
        "SPARK_LOCAL_IP",
        "127.0.0.1",
        "SPARK_LOCAL_HOSTNAME",
        "127.0.0.1");
  }

  /**
   * The java command that {@code bin/spark-class CLASS ARGS...} would run: Spark's launcher's
   * output (NUL-separated), as spark-class reads it.
   */
  List<String> command(String mainClass, List<String> args)
      throws IOException, InterruptedException {
    List<String> launcher = new ArrayList<>();
    launcher.add(java());
    launcher.add("-Xmx128m");
    launcher.add("-cp");
    launcher.add(home.resolve("jars") + "/*");
    launcher.add("org.apache.spark.launcher.Main");
    launcher.add(mainClass);
    launcher.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(launcher).redirectErrorStream(false);
    pb.environment().putAll(env());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    // the command is a few KB: it fits the pipe, so waiting first cannot block the launcher
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("Spark's launcher hangs: " + launcher);
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.exitValue(), () -> "Spark's launcher failed: " + launcher);
    String text = new String(out, StandardCharsets.UTF_8);
    // The launcher starts its output with "\0\n", then the command's arguments, each ended by NUL.
    List<String> command = new ArrayList<>();
    for (String arg : text.split("\0")) {
      if (!arg.isBlank()) {
        command.add(arg.strip());
      }
    }
    assertTrue(command.size() > 3 && command.contains(mainClass), () -> "launcher: " + command);
    return command;
  }
}
