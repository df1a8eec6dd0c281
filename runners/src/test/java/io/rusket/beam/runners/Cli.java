package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs {@link Main#run} in-process and captures what it prints. */
record Cli(int exitCode, String out, String err) {
  static Cli run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Asserts success and returns the summary line's values by name, in order. */
  Map<String, Long> summary() {
    assertEquals(Main.EXIT_OK, exitCode, () -> "exit code; stderr: " + err);
    assertEquals("", err, "stderr");
    String line = out.strip();
    assertTrue(
        line.matches("transactions=\\d+ items=\\d+ itemsets=\\d+ millis=\\d+( rules=\\d+)?"),
        () -> "summary line: " + out);
    assertEquals(line + System.lineSeparator(), out, "exactly one line on stdout");
    Map<String, Long> values = new LinkedHashMap<>();
    for (String kv : line.split(" ")) {
      String[] p = kv.split("=");
      values.put(p[0], Long.parseLong(p[1]));
    }
    return values;
  }

  /** Asserts a usage error: exit code 2, nothing on stdout, one line "error: MESSAGE" on stderr. */
  void assertUsageError(String message) {
    assertEquals(Main.EXIT_USAGE, exitCode, () -> "exit code; stderr: " + err);
    assertEquals("error: " + message + System.lineSeparator(), err);
    assertEquals("", out, "stdout");
  }

  /** As {@link #assertUsageError(String)}, for a message that contains {@code part}. */
  void assertUsageErrorContaining(String part) {
    assertEquals(Main.EXIT_USAGE, exitCode, () -> "exit code; stderr: " + err);
    assertTrue(err.startsWith("error: ") && err.contains(part), () -> "stderr: " + err);
    assertEquals(1, err.lines().count(), () -> "one line on stderr: " + err);
    assertEquals("", out, "stdout");
  }
}
