package io.rusket.beam.transforms;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Events are mined per group and window: the bundle-level accumulators keep windows apart. */
class MineGroupedWindowsTest {
  private static final Schema EVENTS =
      Schema.builder().addStringField("store").addInt64Field("t").addStringField("item").build();

  private static TimestampedValue<Row> at(long second, long txn, String item) {
    return TimestampedValue.of(
        Row.withSchema(EVENTS).addValues("s1", txn, item).build(), new Instant(second * 1000));
  }

  @Test
  void eventsAreMinedPerWindow() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> out =
        p.apply(
                Create.timestamped(
                        // window [0, 60 s): transactions 1 {a, b}, 2 {a}; [60, 120 s): 3 {b}
                        at(1, 1, "a"), at(2, 1, "b"), at(3, 2, "a"), at(61, 3, "b"))
                    .withCoder(RowCoder.of(EVENTS)))
            .setRowSchema(EVENTS)
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply(MineGrouped.events("store", "t", "item").withMinSupport(0.5));
    Schema s = MineGrouped.outputSchema(EVENTS.getField("store"), true);
    IntervalWindow first = new IntervalWindow(new Instant(0), Duration.standardMinutes(1));
    IntervalWindow second = new IntervalWindow(new Instant(60_000), Duration.standardMinutes(1));
    PAssert.that(out)
        .inWindow(first)
        .containsInAnyOrder(
            Row.withSchema(s).addValues("s1", 1.0, List.of("a"), 2L, 2L).build(),
            Row.withSchema(s).addValues("s1", 0.5, List.of("b"), 1L, 2L).build(),
            Row.withSchema(s).addValues("s1", 0.5, List.of("a", "b"), 1L, 2L).build());
    PAssert.that(out)
        .inWindow(second)
        .containsInAnyOrder(Row.withSchema(s).addValues("s1", 1.0, List.of("b"), 1L, 1L).build());
    p.run().waitUntilFinish();
  }
}
