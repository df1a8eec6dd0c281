package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.Datasets;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar, as users run it: {@code java -jar runners/target/rusket-beam.jar ...} in a
 * separate JVM, with no other flags. Runs in {@code verify}, after {@code package}.
 */
class BundledJarIT {
  @TempDir Path dir;

  private static Path jar() {
    Path jar = Path.of(System.getProperty("rusket.jar", "target/rusket-beam.jar"));
    assertTrue(Files.isRegularFile(jar), () -> "bundled jar not built: " + jar);
    return jar;
  }

  private record Run(int exitCode, String out, String err) {}

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private Run javaJar(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("-jar");
    command.add(jar().toString());
    Collections.addAll(command, args);
    return run(command);
  }

  private Run run(List<String> command) throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void minesAFileAndWritesJsonLines() throws Exception {
    Path in = Files.writeString(dir.resolve("abc.dat"), "a b c\na b\nb c\n");
    Path out = dir.resolve("out.jsonl");
    Run r = javaJar("mine", "--input=" + in, "--minSupport=0.5", "--output=" + out);
    assertEquals("", r.err());
    assertEquals(0, r.exitCode());
    assertTrue(
        r.out().matches("transactions=3 items=3 itemsets=5 millis=\\d+\\R"), () -> r.out());
    List<String> lines = Files.readAllLines(out);
    assertEquals(5, lines.size());
    lines.forEach(MiniJson::object);
  }

  @Test
  void minesRetail() throws Exception {
    Path retail = Datasets.require("retail.dat");
    Run r = javaJar("mine", "--input=" + retail, "--minSupport=0.01", "--method=fpgrowth");
    assertEquals("", r.err());
    assertEquals(0, r.exitCode());
    assertTrue(
        r.out().matches("transactions=88162 items=16470 itemsets=159 millis=\\d+\\R"),
        () -> r.out());
  }

  @Test
  void userMistakeIsOneErrorLineAndExitCodeTwo() throws Exception {
    Path in = Files.writeString(dir.resolve("abc.dat"), "a b\n");
    Run r = javaJar("mine", "--input=" + in, "--minSupport=2");
    assertEquals(2, r.exitCode());
    assertEquals("", r.out());
    assertEquals("error: Invalid minSupport: 2.0. Valid range is (0, 1].", r.err().strip());
    assertEquals(1, r.err().lines().count());
  }

  @Test
  void help() throws Exception {
    Run r = javaJar("--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().startsWith("Usage: java -jar rusket-beam.jar COMMAND"), r.out());
  }

  /** Main-Class, and Add-Opens listing exactly the packages of the parent's rusket.addOpens. */
  @Test
  void manifest() throws IOException {
    String flags = System.getProperty("rusket.addOpens");
    assertTrue(flags != null && !flags.isBlank(), "failsafe passes rusket.addOpens");
    List<String> packages = new ArrayList<>();
    Matcher m = Pattern.compile("--add-opens=(\\S+)=ALL-UNNAMED").matcher(flags);
    while (m.find()) {
      packages.add(m.group(1));
    }
    assertTrue(packages.contains("java.base/java.nio"), () -> packages.toString());
    try (JarFile jar = new JarFile(jar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals(Main.class.getName(), main.getValue("Main-Class"));
      assertEquals(String.join(" ", packages), main.getValue("Add-Opens"));
      assertTrue(
          jar.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]*\\.(SF|DSA|RSA)")),
          "no signature files");
      assertTrue(jar.getEntry("io/rusket/beam/miner/ItemsetMiner.class") != null, "miner bundled");
      // the runners RunnerSetup names: Spark (run by selftestRunsOnEmbeddedSpark) and Direct
      assertTrue(jar.getEntry("org/apache/beam/runners/spark/SparkRunner.class") != null);
      assertTrue(jar.getEntry("org/apache/beam/runners/direct/DirectRunner.class") != null);
    }
  }

  /** Spark embedded, as users run it: {@code java -jar} on Java 17, no flags, quiet logs. */
  @Test
  void selftestRunsOnEmbeddedSpark() throws Exception {
    Run r = javaJar("selftest");
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(
        r.out().matches(
            "runner=SparkRunner \\(local\\[\\d+]\\) stores=3 events=\\d+ itemsets=[1-9]\\d*"
                + " rules=[1-9]\\d* millis=\\d+ ok\\R"),
        r::out);
    // log4j2.properties: WARN and above only (on this machine: nothing at all), no stack trace
    assertTrue(
        r.err().lines().noneMatch(l -> l.contains(" INFO ") || l.contains(" ERROR ")
            || l.startsWith("\tat ")),
        r::err);
  }

  private static Path clusterJar() {
    Path jar = Path.of(System.getProperty("rusket.clusterJar", "target/rusket-beam-cluster.jar"));
    assertTrue(Files.isRegularFile(jar), () -> "cluster jar not built: " + jar);
    return jar;
  }

  /** The cluster jar leaves Spark, Scala, Hadoop and our logging configuration to the cluster. */
  @Test
  void clusterJarHoldsNoSpark() throws IOException {
    try (JarFile jar = new JarFile(clusterJar().toFile())) {
      for (String prefix : List.of("org/apache/spark/", "scala/", "org/apache/hadoop/", "io/netty/",
          "com/fasterxml/jackson/", "org/slf4j/", "org/apache/logging/log4j/")) {
        assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith(prefix)), prefix);
      }
      assertTrue(jar.getEntry("log4j2.properties") == null, "the cluster's logging applies");
      assertTrue(jar.getEntry("org/apache/beam/runners/spark/SparkRunner.class") != null);
      assertTrue(jar.getEntry("io/rusket/beam/runners/Main.class") != null);
      assertEquals(Main.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
      assertTrue(
          jar.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]*\\.(SF|DSA|RSA)")),
          "no signature files");
    }
  }

  /**
   * The cluster jar on Spark's classpath (the jars of the groups a Spark installation ships,
   * rusket.sparkProvidedGroups in runners/pom.xml) with the Java 17 flags, as spark-submit runs
   * a driver; here on local[2].
   */
  @Test
  void clusterJarRunsOnSparksClasspath() throws Exception {
    String sparkClasspath = System.getProperty("rusket.sparkClasspath", "");
    assertTrue(sparkClasspath.contains("spark-core_"), "failsafe passes rusket.sparkClasspath");
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(List.of(System.getProperty("rusket.addOpens").trim().split("\\s+")));
    command.add("-cp");
    command.add(clusterJar() + File.pathSeparator + sparkClasspath);
    command.add(Main.class.getName());
    command.add("selftest");
    command.add("--sparkMaster=local[2]");
    Run r = run(command);
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(r.out().startsWith("runner=SparkRunner (local[2]) stores=3 "), r::out);
    assertTrue(r.out().strip().endsWith(" ok"), r::out);
  }
}
