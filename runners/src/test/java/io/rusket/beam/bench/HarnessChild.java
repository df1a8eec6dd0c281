package io.rusket.beam.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for the harness's own tests ({@link ScaleSuiteTest}): {@code ok} prints a result line
 * and exits 0 after 300 ms (so that the RSS sampler, every 50 ms, sees the JVM's memory even when
 * it starts in a few tens of milliseconds on an idle machine), {@code oom} fills its heap until
 * {@code OutOfMemoryError}, {@code exit3} exits with 3 without a word, {@code sleep} sleeps a
 * minute.
 */
public final class HarnessChild {
  private HarnessChild() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "ok" -> {
        System.out.println("result itemsets=7 checksum=-12");
        Thread.sleep(300);
      }
      case "oom" -> {
        List<long[]> hold = new ArrayList<>();
        while (true) {
          hold.add(new long[1 << 20]);
        }
      }
      case "exit3" -> System.exit(3);
      case "sleep" -> Thread.sleep(60_000);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
