package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.Datasets;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
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
    command.add(jar().toAbsolutePath().toString());
    Collections.addAll(command, args);
    return run(command);
  }

  private Run run(List<String> command) throws IOException, InterruptedException {
    return run(command, null);
  }

  /** Runs {@code command} in {@code workDir} (null: this JVM's). */
  private Run run(List<String> command, Path workDir) throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(command);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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
    assertTrue(r.out().matches("transactions=3 items=3 itemsets=5 millis=\\d+\\R"), () -> r.out());
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

  /**
   * Issue 9 §2 through the jar: bad input data met by a Spark executor (embedded, local[2]) is one
   * line on stderr and exit 2 — none of Spark's task-failure logs, no stack trace — and the trace
   * (and Spark's logs) only with --verbose.
   */
  @Test
  void badDataOnEmbeddedSparkIsOneLineAndExitCodeTwo() throws Exception {
    Path in = Files.writeString(dir.resolve("events.csv"), "txn,item\n1,0\n1,1\n2,5\n");
    String line =
        "error: MineStream: item = 5 in transaction 2 is out of range [0, 3): raise --numItems";
    String[] args = {
      "stream",
      "--sparkMaster=local[2]",
      "--input=" + in,
      "--txnCol=txn",
      "--itemCol=item",
      "--numItems=3",
      "--minSupport=0.5",
      "--output=" + dir.resolve("out"),
      "--quiet" // without it, the Spark UI's address comes first (issue 10)
    };
    Run r = javaJar(args);
    assertEquals(2, r.exitCode(), r::err);
    assertEquals("", r.out());
    assertEquals(line + System.lineSeparator(), r.err());

    Run v = javaJar(concat(args, "--verbose"));
    assertEquals(2, v.exitCode(), v::err);
    assertTrue(v.err().lines().anyMatch(line::equals), v::err);
    assertTrue(v.err().lines().anyMatch(l -> l.startsWith("\tat ")), v::err);
    assertTrue(v.err().contains("Lost task"), v::err);
  }

  /** Option errors and a bad Spark master: one line naming the option, before Spark starts. */
  @Test
  void optionMistakesOfBeamCommandsAreOneLine() throws Exception {
    Path in = Files.writeString(dir.resolve("g.csv"), "store,txn,item\nS1,1,a\n");
    String[] args = {
      "grouped", "--input=" + in, "--groupCol=store", "--output=" + dir.resolve("o")
    };
    Run r = javaJar(concat(args, "--minSupport=abc"));
    assertEquals(2, r.exitCode(), r::err);
    assertEquals("error: --minSupport: 'abc' is not a number" + System.lineSeparator(), r.err());
    Run m = javaJar(concat(args, "--txnCol=txn", "--itemCol=item", "--sparkMaster=local[0]"));
    assertEquals(2, m.exitCode(), m::err);
    assertEquals(
        "error: --sparkMaster: 'local[0]' asks for 0 threads N; it must be at least 1, e.g."
            + " local[2] or local[*]"
            + System.lineSeparator(),
        m.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
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
    Path jarFile = jar().toAbsolutePath();
    try (JarFile jar = new JarFile(jarFile.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals(Main.class.getName(), main.getValue("Main-Class"));
      assertEquals(String.join(" ", packages), main.getValue("Add-Opens"));
      assertTrue(
          jar.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]*\\.(SF|DSA|RSA)")),
          "no signature files");
      // our modules (and Commons CSV, for `mine`) in the jar itself, nothing else
      for (String c :
          List.of(
              "io/rusket/beam/miner/ItemsetMiner.class",
              "io/rusket/beam/transforms/MineGrouped.class",
              "io/rusket/beam/pipelines/MineGroupedPipeline.class",
              "io/rusket/beam/runners/Main.class",
              "org/apache/commons/csv/CSVParser.class")) {
        assertTrue(jar.getEntry(c) != null, c);
      }
      assertTrue(
          jar.stream().noneMatch(e -> e.getName().startsWith("org/apache/spark/")),
          "Spark is in lib/, not in the jar");
      // every other runtime jar merged into lib/rusket-beam-lib.jar beside it, which the
      // manifest's Class-Path names
      assertEquals("lib/rusket-beam-lib.jar", main.getValue("Class-Path"));
      assertTrue(Files.isRegularFile(jarFile.resolveSibling("lib/rusket-beam-lib.jar")));
    }
    // What `java -jar` sees: the jar and its Class-Path, as a class loader of its own resolves
    // them. The runners RunnerSetup names: Spark (run by selftestRunsOnEmbeddedSpark) and Direct.
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {jarFile.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (String c :
          List.of(
              "org/apache/beam/runners/spark/SparkRunner.class",
              "org/apache/beam/runners/direct/DirectRunner.class",
              "org/apache/spark/SparkContext.class",
              "org/apache/logging/log4j/core/LoggerContext.class")) {
        assertTrue(loader.getResource(c) != null, c);
      }
      URL log4j = loader.getResource("log4j2.properties");
      assertTrue(
          log4j != null && log4j.toString().contains(jarFile.getFileName().toString()),
          () -> "our log4j2.properties first: " + log4j);
    }
  }

  /**
   * The jar copied without its lib/ folder: {@code mine} (our classes only) still runs; a command
   * that needs Beam fails with one line naming the missing file and the fix, exit status 1.
   */
  @Test
  void jarWithoutItsLibFolderSaysWhatIsMissing() throws Exception {
    Path lone = Files.createDirectories(dir.resolve("lone"));
    Path copy = Files.copy(jar(), lone.resolve("rusket-beam.jar"));
    Path in = Files.writeString(dir.resolve("abc.dat"), "a b c\na b\nb c\n");
    Run mine =
        run(List.of(java(), "-jar", copy.toString(), "mine", "--input=" + in, "--minSupport=0.5"));
    assertEquals(0, mine.exitCode(), mine::err);
    assertTrue(mine.out().startsWith("transactions=3 items=3 itemsets="), mine::out);
    Run r =
        run(
            List.of(
                java(),
                "-jar",
                copy.toString(),
                "generate",
                "--output=" + dir.resolve("gen"),
                "--transactions=10"));
    assertEquals(Main.EXIT_FAILURE, r.exitCode(), r::err);
    assertEquals(1, r.err().strip().lines().count(), r::err);
    assertTrue(
        r.err()
            .startsWith(
                "error: rusket-beam.jar needs "
                    + lone.resolve("lib/rusket-beam-lib.jar")
                    + " beside it (java.lang."),
        r::err);
    assertTrue(
        r.err()
            .strip()
            .endsWith("copy the jar together with its lib/ folder (runners/target/lib/)"),
        r::err);
  }

  /** Spark embedded, as users run it: {@code java -jar} on Java 17, no flags, quiet logs. */
  @Test
  void selftestRunsOnEmbeddedSpark() throws Exception {
    Run r = javaJar("selftest");
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(
        r.out()
            .matches(
                "runner=SparkRunner \\(local\\[\\d+]\\) stores=3 events=\\d+ itemsets=[1-9]\\d*"
                    + " rules=[1-9]\\d* millis=\\d+ ok\\R"),
        r::out);
    // log4j2.properties: WARN and above only (on this machine: nothing at all), no stack trace
    assertTrue(
        r.err()
            .lines()
            .noneMatch(l -> l.contains(" INFO ") || l.contains(" ERROR ") || l.startsWith("\tat ")),
        r::err);
  }

  /**
   * The README's main job: {@code java -jar rusket-beam.jar}, no arguments, runs the demo on
   * embedded Spark in the working directory and leaves its data and results there.
   */
  @Test
  void noArgumentsRunTheDemoOnEmbeddedSpark() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    List<String> command = List.of(java(), "-jar", jar().toAbsolutePath().toString());
    Run r = run(command, work);
    assertEquals(0, r.exitCode(), r::err);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("Demo data: 5 stores, 8000 receipts, "), r::out);
    assertTrue(
        lines
            .get(1)
            .matches("MineGroupedPipeline on SparkRunner \\(local\\[\\d+]\\) in \\d+ ms: .*"),
        r::out);
    assertEquals(
        5, lines.stream().filter(l -> l.matches("S00\\d: \\d+ transactions, .*")).count(), r::out);
    assertTrue(
        lines.stream().filter(l -> l.matches("  .+ -> .+  support=.* lift=.*")).count() >= 5,
        r::out);
    Path out = work.resolve("rusket-demo-output");
    assertEquals("report=" + out.toRealPath().resolve("report.html"), lines.get(lines.size() - 1));
    assertTrue(Files.size(out.resolve("report.html")) > 10_000);
    assertTrue(
        lines
            .get(lines.size() - 2)
            .matches(
                "runner=SparkRunner \\(local\\[\\d+]\\) stores=5"
                    + " transactions=8000 events=\\d+ itemsets=[1-9]\\d* rules=[1-9]\\d*"
                    + " output=rusket-demo-output millis=\\d+"),
        r::out);
    assertTrue(
        r.err()
            .lines()
            .noneMatch(l -> l.contains(" INFO ") || l.contains(" ERROR ") || l.startsWith("\tat ")),
        r::err);
    assertTrue(Files.isRegularFile(out.resolve("data/events.arrow")));
    for (String result : List.of("itemsets", "rules")) {
      try (var files = Files.list(out.resolve(result))) {
        List<Path> shards = files.toList();
        assertEquals(1, shards.size(), shards::toString);
        assertTrue(shards.get(0).getFileName().toString().matches("part-00000-of-00001\\.jsonl"));
        List<String> rows = Files.readAllLines(shards.get(0));
        assertTrue(rows.size() > 10, result);
        rows.forEach(MiniJson::object);
      }
    }
  }

  @Test
  void groupedHelp() throws Exception {
    Run r = javaJar("grouped", "--help");
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(r.out().startsWith("Usage: java -jar rusket-beam.jar grouped "), r::out);
    assertTrue(r.out().contains("  --groupCol=VALUE  (required)"), r::out);
    assertTrue(r.out().contains("--runner=SparkRunner"), r::out);
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
      for (String prefix :
          List.of(
              "org/apache/spark/",
              "scala/",
              "org/apache/hadoop/",
              "io/netty/",
              "com/fasterxml/jackson/",
              "org/slf4j/",
              "org/apache/logging/log4j/")) {
        assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith(prefix)), prefix);
      }
      assertTrue(jar.getEntry("log4j2.properties") == null, "the cluster's logging applies");
      assertTrue(jar.getEntry("org/apache/beam/runners/spark/SparkRunner.class") != null);
      assertTrue(jar.getEntry("io/rusket/beam/runners/Main.class") != null);
      assertTrue(
          jar.getEntry("org/apache/commons/csv/CSVParser.class") != null,
          "Commons CSV (the CSV reader's), which Spark does not ship");
      assertEquals(
          Main.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
      assertTrue(
          jar.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]*\\.(SF|DSA|RSA)")),
          "no signature files");
    }
  }

  /**
   * The cluster jar on Spark's classpath (the jars of the groups a Spark installation ships,
   * rusket.sparkProvidedGroups in runners/pom.xml) with the Java 17 flags, as spark-submit runs a
   * driver; here on local[2].
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
