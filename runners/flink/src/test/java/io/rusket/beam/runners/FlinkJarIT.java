package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink jar as users run it: {@code java -jar runners/target/rusket-beam-flink.jar ...}, no
 * other flags, Flink embedded in that JVM. It holds no Spark class, so these runs also prove that
 * the shared command line touches Spark only on the Spark runner. Runs in {@code verify}.
 */
class FlinkJarIT {
  @TempDir Path dir;

  /** Flink and Beam's Flink runner, the shared commands, and nothing of Spark or Scala. */
  @Test
  void jarHoldsFlinkAndNoSpark() throws IOException {
    String flags = System.getProperty("rusket.addOpens");
    assertTrue(flags != null && !flags.isBlank(), "failsafe passes rusket.addOpens");
    List<String> packages = new ArrayList<>();
    Matcher m = Pattern.compile("--add-opens=(\\S+)=ALL-UNNAMED").matcher(flags);
    while (m.find()) {
      packages.add(m.group(1));
    }
    try (JarFile jar = new JarFile(JarRun.jar().toFile())) {
      for (String prefix :
          List.of("org/apache/spark/", "org/apache/beam/runners/spark/", "scala/", "py4j/")) {
        assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith(prefix)), prefix);
      }
      assertNull(jar.getEntry("META-INF/maven/com.esotericsoftware/kryo-shaded/pom.xml"), "Kryo 4");
      assertNotNull(jar.getEntry("org/apache/beam/runners/flink/FlinkRunner.class"));
      assertNotNull(jar.getEntry("org/apache/flink/runtime/minicluster/MiniCluster.class"));
      assertNotNull(jar.getEntry("org/apache/beam/runners/direct/DirectRunner.class"));
      assertNotNull(jar.getEntry("io/rusket/beam/runners/Main.class"));
      assertNotNull(jar.getEntry("log4j2.properties"));
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals(Main.class.getName(), main.getValue("Main-Class"));
      assertEquals(String.join(" ", packages), main.getValue("Add-Opens"));
      assertTrue(
          jar.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]*\\.(SF|DSA|RSA)")),
          "no signature files");
    }
  }

  /**
   * {@code grouped} from Parquet with rules, on embedded Flink and on the DirectRunner of the same
   * jar: the same counts and rows; stderr holds the progress summary only (no Flink logging).
   */
  @Test
  void groupedOnEmbeddedFlinkWritesWhatTheDirectRunnerWrites() throws Exception {
    Path data = dir.resolve("data");
    JarRun g =
        JarRun.of(
            dir,
            "generate",
            "--output=" + data,
            "--stores=3",
            "--transactions=1500",
            "--items=30",
            "--layouts=events",
            "--formats=parquet");
    assertEquals(0, g.exitCode(), g::err);
    String[] args = {
      "grouped",
      "--input=" + data.resolve("events.parquet"),
      "--groupCol=store_id",
      "--txnCol=transaction_id",
      "--itemCol=item_id",
      "--minSupport=0.03",
      "--rules",
      "--metric=lift",
      "--minThreshold=1.0"
    };
    JarRun flink =
        JarRun.of(dir, concat(args, "--runner=FlinkRunner", "--output=" + dir.resolve("f")));
    JarRun direct =
        JarRun.of(
            dir, concat(args, "--runner=DirectRunner", "--output=" + dir.resolve("d"), "--quiet"));
    assertEquals(0, flink.exitCode(), flink::err);
    assertEquals(0, direct.exitCode(), direct::err);
    Matcher f =
        Pattern.compile(
                "runner=FlinkRunner \\(\\[auto]\\) (groups=3 transactions=1500 itemsets=[1-9]\\d*"
                    + " rules=[1-9]\\d*) output=\\S+ millis=\\d+\\R")
            .matcher(flink.out());
    assertTrue(f.matches(), flink::out);
    assertTrue(direct.out().startsWith("runner=DirectRunner " + f.group(1) + " "), direct::out);
    assertEquals(
        ResultRows.read(dir.resolve("d"), "parquet"), ResultRows.read(dir.resolve("f"), "parquet"));
    assertTrue(flink.err().lines().anyMatch(l -> l.startsWith("done: ")), flink::err);
    assertTrue(
        flink
            .err()
            .lines()
            .noneMatch(
                l ->
                    l.contains(" INFO ")
                        || l.contains(" WARN ")
                        || l.contains(" ERROR ")
                        || l.startsWith("\tat ")),
        flink::err);
  }

  /** No --runner: Flink; bad data met by a Flink task is one line and exit 2, nothing else. */
  @Test
  void badDataOnTheDefaultRunnerIsOneLineAndExitCodeTwo() throws Exception {
    Path in = java.nio.file.Files.writeString(dir.resolve("e.csv"), "txn,item\n1,0\n1,1\n2,5\n");
    JarRun r =
        JarRun.of(
            dir,
            "stream",
            "--input=" + in,
            "--txnCol=txn",
            "--itemCol=item",
            "--numItems=3",
            "--minSupport=0.5",
            "--output=" + dir.resolve("out"),
            "--quiet");
    assertEquals(2, r.exitCode(), r::err);
    assertEquals("", r.out());
    assertEquals(
        "error: MineStream: item = 5 in transaction 2 is out of range [0, 3): raise --numItems"
            + System.lineSeparator(),
        r.err());
  }

  @Test
  void streamHelpNamesFlink() throws Exception {
    JarRun r = JarRun.of(dir, "stream", "--help");
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(r.out().startsWith("Usage: java -jar rusket-beam-flink.jar stream "), r::out);
    assertTrue(r.out().contains("--runner=FlinkRunner"), r::out);
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
