package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.GroupedData.GROUP;
import static io.rusket.beam.transforms.GroupedData.ITEM;
import static io.rusket.beam.transforms.GroupedData.TXN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** MineGrouped.events under a per-bundle memory budget, and with BYTES group values. */
class MineGroupedBundleTest {
  private static final int WINDOWS = 6;

  private static IntervalWindow window(int w) {
    return new IntervalWindow(new Instant(60_000L * w), Duration.standardMinutes(1));
  }

  @Test
  void tinyBudgetManyGroupsAndWindowsGiveTheExactResult() {
    GroupedData data = GroupedData.random(41, new int[] {30, 25, 20, 15, 10, 40, 35, 5}, false);
    List<Row> events = data.events(true, 41);
    List<Row> expected = data.expected(0.2, null, Method.FPGROWTH, true);
    // every event in every window: each window must give the whole expected result
    List<TimestampedValue<Row>> timed = new ArrayList<>();
    for (int w = 0; w < WINDOWS; w++) {
      for (Row r : events) {
        timed.add(TimestampedValue.of(r, new Instant(60_000L * w + 1_000)));
      }
    }
    Schema schema = GroupedData.eventsSchema(true);
    for (long budget : new long[] {1, 4_096}) {
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      PCollection<Row> out =
          p.apply(Create.timestamped(timed).withCoder(RowCoder.of(schema)))
              .setRowSchema(schema)
              .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
              .apply(
                  MineGrouped.events(GROUP, TXN, ITEM)
                      .withMinSupport(0.2)
                      .withMaxBundleBytes(budget));
      for (int w = 0; w < WINDOWS; w++) {
        PAssert.that(out).inWindow(window(w)).containsInAnyOrder(expected);
      }
      PipelineResult result = p.run();
      result.waitUntilFinish();
      assertTrue(counter(result, "bundleFlushes") > 0, "budget " + budget + " forced flushes");
      DistributionResult bytes = distribution(result, "bundleBytes");
      // the total passes the budget by at most one event's growth (a few hundred bytes here)
      assertTrue(bytes.getMax() <= budget + 4_096, "budget " + budget + ": " + bytes);
    }
  }

  @Test
  void bytesGroupValuesWithEqualContentAreOneGroup() {
    Schema schema =
        Schema.builder()
            .addByteArrayField("store")
            .addInt64Field("receipt")
            .addStringField("sku")
            .build();
    List<Row> rows = new ArrayList<>();
    Random rnd = new Random(3);
    int[] txns = {0, 0};
    for (int s = 0; s < 2; s++) {
      for (int t = 0; t < 20; t++) {
        for (String sku : new String[] {"a", "b", "c"}) {
          if (sku.equals("a") || rnd.nextBoolean()) {
            // a new byte[] per row, equal in content within a store
            rows.add(
                Row.withSchema(schema).addValues(new byte[] {9, (byte) s}, (long) t, sku).build());
          }
        }
        txns[s]++;
      }
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> out =
        p.apply(Create.of(rows).withRowSchema(schema))
            .apply(MineGrouped.events("store", "receipt", "sku").withMinSupport(1.0));
    Schema outSchema = MineGrouped.outputSchema(schema.getField("store"), true);
    PAssert.that(out)
        .containsInAnyOrder(
            Row.withSchema(outSchema)
                .addValues(new byte[] {9, 0}, 1.0, List.of("a"), 20L, 20L)
                .build(),
            Row.withSchema(outSchema)
                .addValues(new byte[] {9, 1}, 1.0, List.of("a"), 20L, 20L)
                .build());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(2, counter(result, "groupsMined"));
    assertEquals(txns[0] + txns[1], counter(result, "transactions"));
  }

  @Test
  void maxBundleBytesIsValidatedAndDisplayed() {
    MineGrouped t = MineGrouped.events("g", "t", "i");
    assertEquals(MineGrouped.DEFAULT_MAX_BUNDLE_BYTES, t.getMaxBundleBytes());
    assertEquals(64L << 20, MineGrouped.DEFAULT_MAX_BUNDLE_BYTES);
    assertEquals(1000, t.withMaxBundleBytes(1000).getMaxBundleBytes());
    assertEquals(MineGrouped.DEFAULT_MAX_BUNDLE_BYTES, t.getMaxBundleBytes(), "a copy");
    assertEquals(
        "Invalid maxBundleBytes: 0. Valid range is [1, 9223372036854775807].",
        assertThrows(IllegalArgumentException.class, () -> t.withMaxBundleBytes(0)).getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> MineGrouped.byColumn("g").withMaxBundleBytes(1000));
    boolean shown = false;
    for (DisplayData.Item item : DisplayData.from(t.withMaxBundleBytes(5000)).items()) {
      if (item.getKey().equals("maxBundleBytes")) {
        assertEquals(5000L, ((Number) item.getValue()).longValue());
        shown = true;
      }
    }
    assertTrue(shown);
    for (DisplayData.Item item : DisplayData.from(MineGrouped.byColumn("g")).items()) {
      assertFalse(item.getKey().equals("maxBundleBytes"), "events only");
    }
  }

  private static MetricQueryResults query(PipelineResult result, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(MineGrouped.METRICS_NAMESPACE, name))
                .build());
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : query(result, name).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  private static DistributionResult distribution(PipelineResult result, String name) {
    return query(result, name).getDistributions().iterator().next().getAttempted();
  }
}
