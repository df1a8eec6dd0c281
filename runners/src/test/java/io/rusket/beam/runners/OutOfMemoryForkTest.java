package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a command that runs out of memory, in a real JVM with a small heap ({@code java -Xmx..
 * -cp <test classpath> io.rusket.beam.runners.Main stream ...}), prints one line {@code error: out
 * of memory in STAGE (heap N MB): KNOBS} and exits with 1, on embedded Spark (where Spark's
 * executor would otherwise exit the JVM with status 52) and where Spark refuses a heap that small.
 */
class OutOfMemoryForkTest {
  @TempDir static Path dir;

  /**
   * A CSV event log whose second event's item is 100 million digits: no heap below that holds it.
   */
  private static Path huge;

  @BeforeAll
  static void hugeField() throws IOException {
    huge = dir.resolve("huge.csv");
    byte[] digits = new byte[1 << 20];
    Arrays.fill(digits, (byte) '1');
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(huge))) {
      out.write("txn,item\n1,0\n2,".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 100; i++) {
        out.write(digits);
      }
      out.write('\n');
    }
  }

  private record Run(int exitCode, String out, String err) {}

  /** Main in a child JVM on this test's classpath, with the Java 17 flags Spark needs. */
  private static Run main(String heap, List<String> jvm, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")) {
        command.add(a);
      }
    }
    command.addAll(jvm);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static String[] stream(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "stream",
                "--input=" + huge,
                "--txnCol=txn",
                "--itemCol=item",
                "--numItems=10",
                "--minSupport=0.5",
                "--output=" + dir.resolve("out"),
                "--quiet"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  /**
   * The embedded SparkRunner's executor task runs out of heap: one line naming the Beam step of the
   * stage, the heap and the knobs, exit 1 (Spark would exit with 52 after printing its trace).
   * Spark's minimum heap check is lowered ({@code spark.testing.memory}) so that a small heap
   * starts.
   */
  @Test
  void onEmbeddedSparkATaskOutOfMemoryIsOneLineAndExitOne() throws Exception {
    Run r =
        main("192m", List.of("-Dspark.testing.memory=600000000"), stream("--sparkMaster=local[2]"));
    assertEquals(Main.EXIT_FAILURE, r.exitCode(), r::err);
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r::err);
    assertTrue(
        r.err()
            .matches(
                "error: out of memory in \\S+ \\(heap 192 MB\\): give Java more heap with -Xmx"
                    + " \\(e\\.g\\. java -Xmx8g -jar rusket-beam\\.jar\\), .*more --shards or a"
                    + " higher --minSupport\\R"),
        r::err);
  }

  /** The DirectRunner on 64 MB: the CSV reader's frame names where. */
  @Test
  void onTheDirectRunnerToo() throws Exception {
    Run r = main("64m", List.of(), stream("--runner=DirectRunner"));
    assertEquals(Main.EXIT_FAILURE, r.exitCode(), r::err);
    assertEquals("", r.out());
    assertTrue(
        r.err().matches("error: out of memory in \\S+ \\(heap 64 MB\\): give Java more heap .*\\R"),
        r::err);
  }

  /** Spark refuses to start below its minimum heap: that is memory too, not a usage error. */
  @Test
  void sparkOnSixtyFourMegabytesSaysItNeedsMore() throws Exception {
    Run r = main("64m", List.of(), stream());
    assertEquals(Main.EXIT_FAILURE, r.exitCode(), r::err);
    assertTrue(
        r.err()
            .matches(
                "error: out of memory in Spark's start \\(heap 64 MB\\): Spark needs a heap of at"
                    + " least 450 MB; give Java more heap with -Xmx .*\\R"),
        r::err);
  }
}
