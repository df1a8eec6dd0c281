package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.MineGroupedOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

/** {@link BeamArgs}: what passes to Beam, and Beam's remaining messages on one line. */
class BeamArgsTest {
  @Test
  void runnerOptionsAndRepeatableListsPass() {
    BeamArgs a =
        BeamArgs.check(
            new String[] {
              "--runner=DirectRunner",
              "--experiments=a",
              "--experiments=b",
              "--sparkMaster=local[2]",
              "--targetParallelism=4"
            },
            PipelineOptions.class);
    assertTrue(a.has("experiments") && a.has("sparkMaster"));
    assertFalse(a.has("metric"));
  }

  @Test
  void flagsAreTrueBareOrWritten() {
    String[] base = {"--input=x", "--output=y", "--groupCol=g"};
    assertTrue(BeamArgs.check(concat(base, "--rules"), MineGroupedOptions.class).isTrue("rules"));
    assertTrue(
        BeamArgs.check(concat(base, "--rules=true"), MineGroupedOptions.class).isTrue("rules"));
    assertFalse(BeamArgs.check(base, MineGroupedOptions.class).isTrue("rules"));
    assertFalse(
        BeamArgs.check(concat(base, "--rules=FALSE"), MineGroupedOptions.class).isTrue("rules"));
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> BeamArgs.check(concat(base, "--targetParallelism=x"), MineGroupedOptions.class));
    assertEquals("--targetParallelism: 'x' is not an integer", e.getMessage());
  }

  @Test
  void jacksonLocationsAreDroppedFromBeamsMessages() {
    assertEquals(
        "Cannot deserialize value of type `Foo` from String \"a\": not one of the values",
        BeamArgs.beamMessage(
            new IllegalArgumentException(
                "Cannot deserialize value of type `Foo` from String \"a\": not one of the values\n"
                    + " at [Source: UNKNOWN; byte offset: #UNKNOWN]")));
    assertEquals("two lines", BeamArgs.beamMessage(new IllegalArgumentException("two\n  lines")));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
