package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.transforms.AssociationRules;
import io.rusket.beam.transforms.MineStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MineStream (+ AssociationRules) on the Spark runner gives exactly the DirectRunner's and the
 * miner's results, also when bundles fail once and Spark retries them ({@code local[2,3]}).
 */
class MineStreamSparkTest {
  static final Schema EVENTS =
      Schema.builder().addInt64Field("session_id").addInt32Field("item_id").build();
  static final int ITEMS = 60;
  static final double MIN_SUPPORT = 0.03;

  @TempDir Path tmp;

  @AfterAll
  static void stopSpark() {
    SparkTestContext.stop();
  }

  /** Skewed baskets, pairs shuffled (a session's pairs anywhere), some repeated. */
  static List<Row> events(long seed, int sessions) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      long id = 7_000_000_000L + 13L * s;
      int len = 1 + (int) Math.round(-3 * Math.log(1 - r.nextDouble()));
      for (int k = 0; k < len; k++) {
        int item = (int) Math.min(ITEMS - 1, Math.floor(ITEMS * Math.pow(r.nextDouble(), 2.5)));
        rows.add(Row.withSchema(EVENTS).addValues(id, item).build());
        if (r.nextInt(20) == 0) {
          rows.add(Row.withSchema(EVENTS).addValues(id, item).build());
        }
      }
    }
    Collections.shuffle(rows, r);
    return rows;
  }

  /** The miner's itemsets as result lines (support|[ids]|count|N), sorted. */
  static List<String> expected(List<Row> events) {
    long[] t = new long[events.size()];
    int[] it = new int[events.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = events.get(i).getInt64(0);
      it[i] = events.get(i).getInt32(1);
    }
    TransactionDb db = TransactionDb.fromPairs(t, it, null);
    Itemsets f = ItemsetMiner.minSupport(MIN_SUPPORT).mine(db);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < f.size(); i++) {
      List<Integer> ids = new ArrayList<>();
      for (int id : f.items(i)) {
        ids.add(id);
      }
      Collections.sort(ids);
      lines.add(ResultLines.join(f.support(i), ids, f.count(i), (long) db.size()));
    }
    lines.sort(null);
    return lines;
  }

  static ResultLines.Job job(List<Row> events, String faultTag) {
    return (p, out) -> {
      PCollection<Row> input = p.apply("Events", Create.of(events).withRowSchema(EVENTS));
      if (faultTag != null) {
        input =
            input
                .apply("Faults", ParDo.of(new SparkRunnerTest.FailOnce(faultTag + "/input")))
                .setRowSchema(EVENTS);
      }
      PCollection<Row> itemsets =
          input.apply(
              MineStream.of("session_id", "item_id")
                  .withNumItems(ITEMS)
                  .withMinSupport(MIN_SUPPORT)
                  .withShards(5));
      ResultLines.write(itemsets, out, "itemsets");
      ResultLines.write(
          itemsets.apply(
              AssociationRules.create().withMetric(RuleMetric.LIFT).withMinThreshold(1.0)),
          out,
          "rules");
    };
  }

  private static PipelineOptions direct() {
    return RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner"});
  }

  @Test
  void sameItemsetsAndRulesOnSparkAndDirectAsTheMiner() {
    List<Row> events = events(1, 2_000);
    List<String> expected = expected(events);
    assertTrue(expected.size() > 60, "enough itemsets: " + expected.size());
    Map<String, List<String>> onDirect =
        ResultLines.run(direct(), job(events, null), tmp, "itemsets", "rules");
    Map<String, List<String>> onSpark =
        ResultLines.run(
            SparkTestContext.options("local[2]"), job(events, null), tmp, "itemsets", "rules");
    assertEquals(expected, onDirect.get("itemsets"));
    assertEquals(expected, onSpark.get("itemsets"));
    assertFalse(onDirect.get("rules").isEmpty());
    assertEquals(onDirect.get("rules"), onSpark.get("rules"));
  }

  /**
   * Issue 10: on Spark, MineStream leaves nothing on the heap beside its own work. With the
   * commands' default level ({@link RunnerSetup#DEFAULT_STORAGE_LEVEL}, on disk) the context holds
   * no RDD block in memory after the run; before, the runner cached the shard join's {@code
   * CoGroupByKey} output (every shard's miner) in memory until the job ended, whatever the level.
   * The same run with a memory level does hold blocks (the shard miners, read twice): the check
   * sees them. The itemsets are taken by a DoFn, not written, so that no write step's own grouping
   * is counted.
   */
  @Test
  void sparkKeepsNoBlockOnTheHeapWithTheDefaultLevel() {
    List<Row> events = events(3, 2_000);
    List<String> expected = expected(events);
    assertEquals(0, bytesCachedInMemory(RunnerSetup.DEFAULT_STORAGE_LEVEL, events, expected));
    assertTrue(bytesCachedInMemory("MEMORY_AND_DISK_SER", events, expected) > 0);
  }

  /** Result lines taken by {@link TakeLinesFn}, by run. */
  static final Map<String, List<String>> TAKEN = new ConcurrentHashMap<>();

  /** Adds each itemset's result line to {@link #TAKEN} under its run's tag. */
  static final class TakeLinesFn extends DoFn<Row, Void> {
    private final String tag;

    TakeLinesFn(String tag) {
      this.tag = tag;
    }

    @ProcessElement
    public void process(@Element Row r) {
      TAKEN
          .computeIfAbsent(tag, k -> Collections.synchronizedList(new ArrayList<>()))
          .add(ResultLines.of(r));
    }
  }

  /**
   * Runs MineStream on a clean context at {@code level}; the bytes of RDD blocks in memory after.
   */
  private static long bytesCachedInMemory(String level, List<Row> events, List<String> expected) {
    SparkContextOptions o = SparkTestContext.options("local[2]");
    o.setStorageLevel(level);
    JavaSparkContext sc = o.getProvidedSparkContext();
    sc.getPersistentRDDs().values().forEach(r -> r.unpersist(true));
    String tag = level + "/" + UUID.randomUUID();
    Pipeline p = Pipeline.create(o);
    p.apply("Events", Create.of(events).withRowSchema(EVENTS))
        .apply(
            MineStream.of("session_id", "item_id")
                .withNumItems(ITEMS)
                .withMinSupport(MIN_SUPPORT)
                .withShards(5))
        .apply(ParDo.of(new TakeLinesFn(tag)));
    RunnerSetup.run(p);
    List<String> got = new ArrayList<>(TAKEN.remove(tag));
    got.sort(null);
    assertEquals(expected, got, level);
    long bytes = 0;
    for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
      bytes += info.memSize();
    }
    sc.getPersistentRDDs().values().forEach(r -> r.unpersist(true));
    return bytes;
  }

  @Test
  void bundlesFailingOnceOnSparkGiveTheSameResults() {
    List<Row> events = events(2, 1_500);
    String tag = UUID.randomUUID().toString();
    Map<String, List<String>> retried =
        ResultLines.run(
            SparkTestContext.options("local[2,3]"), job(events, tag), tmp, "itemsets", "rules");
    assertTrue(SparkRunnerTest.FailOnce.failures(tag + "/input") >= 1, "input bundles failed");
    assertEquals(expected(events), retried.get("itemsets"));
    Map<String, List<String>> clean =
        ResultLines.run(direct(), job(events, null), tmp, "itemsets", "rules");
    assertEquals(clean, retried);
  }
}
