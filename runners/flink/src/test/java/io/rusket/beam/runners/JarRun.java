package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar rusket-beam-flink.jar ...} in a separate JVM, as users do. */
record JarRun(int exitCode, String out, String err) {
  static Path jar() {
    Path jar = Path.of(System.getProperty("rusket.flinkJar", "../target/rusket-beam-flink.jar"));
    assertTrue(Files.isRegularFile(jar), () -> "Flink jar not built: " + jar);
    return jar.toAbsolutePath();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * {@code java -jar} the Flink jar with {@code args}; stdout and stderr go through {@code dir}.
   */
  static JarRun of(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
    Collections.addAll(command, args);
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("timed out: " + command + "\n" + Files.readString(err));
    }
    return new JarRun(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
