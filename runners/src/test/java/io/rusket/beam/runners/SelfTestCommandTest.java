package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code selftest} in-process; through the jar on embedded Spark in {@link BundledJarIT}. */
class SelfTestCommandTest {
  @Test
  void passesOnTheDirectRunner() {
    Cli r = Cli.run("selftest", "--runner=DirectRunner");
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertTrue(
        r.out()
            .matches(
                "runner=DirectRunner stores=3 events=\\d+ itemsets=[1-9]\\d* rules=[1-9]\\d* millis=\\d+ ok\\R"),
        r::out);
  }

  @Test
  void unknownRunnerIsAUsageError() {
    Cli.run("selftest", "--runner=Nope").assertUsageErrorContaining("Nope");
  }

  @Test
  void helpNamesTheRunners() {
    Cli r = Cli.run("selftest", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertTrue(r.out().contains("--runner=DirectRunner"), r::out);
    assertTrue(r.out().contains("--sparkMaster=local[N]"), r::out);
  }
}
