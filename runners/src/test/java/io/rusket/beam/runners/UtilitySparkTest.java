package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.BruteForceUtility;
import io.rusket.beam.testing.BruteForceUtility.Event;
import io.rusket.beam.testing.BruteForceUtility.Hui;
import io.rusket.beam.transforms.MineUtility;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MineUtility per group and globally on the SparkRunner ({@code local[2]}) and the DirectRunner,
 * with a small bundle budget (accumulators sent on early, merged across partitions): identical
 * lines, equal to the brute-force oracle.
 */
class UtilitySparkTest {
  private static final Schema EVENTS =
      Schema.builder()
          .addStringField("store")
          .addInt64Field("receipt")
          .addStringField("sku")
          .addDoubleField("profit")
          .build();

  @TempDir Path tmp;

  @AfterAll
  static void stopSpark() {
    SparkTestContext.stop();
  }

  private static PipelineOptions direct() {
    return RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner"});
  }

  @Test
  void perGroupAndGlobalAreTheSameOnSparkAndDirectAndTheOracle() {
    List<Event> events = BruteForceUtility.randomEvents(new Random(11), 6, 60, 11);
    List<Row> rows = new ArrayList<>();
    List<Event> asOne = new ArrayList<>();
    for (Event e : events) {
      rows.add(Row.withSchema(EVENTS).addValues(e.group(), e.txn(), e.item(), e.utility()).build());
      asOne.add(new Event("all", e.txn(), e.item(), e.cents()));
    }
    ResultLines.Job job =
        (p, out) -> {
          PCollection<Row> in = p.apply(Create.of(rows).withRowSchema(EVENTS));
          ResultLines.write(
              in.apply(
                  "PerStore",
                  MineUtility.events("store", "receipt", "sku", "profit")
                      .withMinUtilityFraction(0.04)
                      .withMaxBundleBytes(4096)),
              out,
              "stores");
          ResultLines.write(
              in.apply(
                  "Global",
                  MineUtility.globalEvents("receipt", "sku", "profit").withMinUtility(60)),
              out,
              "global");
        };
    Map<String, List<String>> onDirect = ResultLines.run(direct(), job, tmp, "stores", "global");
    Map<String, List<String>> onSpark =
        ResultLines.run(SparkTestContext.options("local[2]"), job, tmp, "stores", "global");
    List<String> stores = sorted(BruteForceUtility.mine(events, 0, 40, Integer.MAX_VALUE), false);
    List<String> global = sorted(BruteForceUtility.mine(asOne, 6000, 0, Integer.MAX_VALUE), true);
    assertTrue(stores.size() > 30 && global.size() > 10, stores.size() + " " + global.size());
    assertEquals(stores, onDirect.get("stores"));
    assertEquals(stores, onSpark.get("stores"));
    assertEquals(global, onDirect.get("global"));
    assertEquals(global, onSpark.get("global"));
  }

  private static List<String> sorted(List<Hui> huis, boolean global) {
    List<String> lines = new ArrayList<>();
    for (Hui h : huis) {
      String l = h.line();
      lines.add(global ? l.substring(l.indexOf('|') + 1) : l);
    }
    lines.sort(null);
    return lines;
  }
}
