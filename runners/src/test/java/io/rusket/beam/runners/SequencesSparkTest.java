package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.SequenceDb;
import io.rusket.beam.miner.SequenceMiner;
import io.rusket.beam.miner.SequencePatterns;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.generate.SequenceGenerator;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.ParquetGroups;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.testing.SequenceData;
import io.rusket.beam.transforms.KeyKind;
import io.rusket.beam.transforms.MineSequences;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.fpm.PrefixSpan;
import org.apache.spark.mllib.fpm.PrefixSpanModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MineSequences on the DirectRunner and the SparkRunner ({@code local[2]}) gives the same rows,
 * equal to the brute-force oracle; and our patterns equal Spark MLlib's {@code PrefixSpan} on
 * generated visits, store by store, as sets, at Spark's threshold ({@code ceil} of minSupport × N
 * in floating point).
 */
class SequencesSparkTest {
  private static final String SPARK = "local[2]";

  static final Schema EVENTS =
      Schema.builder()
          .addStringField("store")
          .addInt64Field("customer")
          .addInt64Field("day")
          .addStringField("sku")
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
  void sameRowsOnSparkAndDirectEqualToBruteForce() {
    SequenceData d = SequenceData.random(99, 5, 14);
    List<Row> rows = new ArrayList<>();
    for (SequenceData.Event e : d.events) {
      rows.add(Row.withSchema(EVENTS).addValues(e.group, e.sequence, e.time, e.item).build());
    }
    ResultLines.Job job =
        (p, out) -> {
          PCollection<Row> in = p.apply(Create.of(rows).withRowSchema(EVENTS));
          ResultLines.write(
              in.apply(
                  "Itemsets",
                  MineSequences.events("store", "customer", "day", "sku")
                      .withMinSupport(0.2)
                      .withMaxPatternLength(4)),
              out,
              "itemsetSteps");
          ResultLines.write(
              in.apply(
                  "Single",
                  MineSequences.events("store", "customer", "day", "sku")
                      .withMinSupport(0.2)
                      .withMaxPatternLength(4)
                      .withMaxGap(2)
                      .withSingleItemSteps()),
              out,
              "singleSteps");
        };
    Map<String, List<String>> onDirect =
        ResultLines.run(direct(), job, tmp, "itemsetSteps", "singleSteps");
    Map<String, List<String>> onSpark =
        ResultLines.run(SparkTestContext.options(SPARK), job, tmp, "itemsetSteps", "singleSteps");
    assertEquals(onDirect, onSpark);
    assertEquals(
        new TreeSet<>(d.expected(false, 0.2, 0, 4, 0, false)),
        asText(onDirect.get("itemsetSteps")));
    assertEquals(
        new TreeSet<>(d.expected(false, 0.2, 0, 4, 2, true)), asText(onDirect.get("singleSteps")));
    assertTrue(onDirect.get("itemsetSteps").size() > 20, "a non-trivial result");
  }

  /**
   * The sequences job's column-wise Parquet path (ParquetGroups.readSequences into
   * MineSequences.ofSequenceEvents), per store and globally: the same rows on Spark and on the
   * DirectRunner (equal to the Row path's: ParquetGroupsTest).
   */
  @Test
  void columnarParquetPathSameOnSparkAndDirect() throws Exception {
    Path data = tmp.resolve("data");
    GenerateData.write(
        Config.of(8).withStores(4).withTransactions(600).withItems(30),
        data,
        EnumSet.of(Layout.SEQUENCES),
        EnumSet.of(InputFormat.PARQUET));
    String file = data.resolve("sequences.parquet").toString();
    Schema cols =
        TableSource.from(file).withColumns("store_id", "customer_id", "day", "item").getSchema();
    MineSequences perStore =
        MineSequences.events("store_id", "customer_id", "day", "item")
            .withMinSupport(0.4)
            .withMaxPatternLength(3);
    MineSequences global =
        MineSequences.globally("customer_id", "day", "item")
            .withMinSupport(0.35)
            .withMaxPatternLength(3);
    ResultLines.Job job =
        (p, out) -> {
          for (MineSequences t : List.of(perStore, global)) {
            String name = t.getGroupField() == null ? "global" : "perStore";
            ResultLines.write(
                p.apply(
                        name + "Columns",
                        ParquetGroups.readSequences(
                            file, cols, t.getGroupField(), "customer_id", "day", "item"))
                    .apply(name + "Columnar", t.ofSequenceEvents(KeyKind.INTEGER, KeyKind.STRING)),
                out,
                name);
          }
        };
    String[] names = {"perStore", "global"};
    Map<String, List<String>> onDirect = ResultLines.run(direct(), job, tmp, names);
    Map<String, List<String>> onSpark =
        ResultLines.run(SparkTestContext.options(SPARK), job, tmp, names);
    assertEquals(onDirect, onSpark);
    assertTrue(onDirect.get("perStore").size() > 20, "a non-trivial result");
    assertTrue(onDirect.get("global").size() > 5, "a non-trivial global result");
  }

  /** ResultLines' "group|support|count|sequences|[[..]]" as SequenceData's text (no support). */
  private static TreeSet<String> asText(List<String> lines) {
    TreeSet<String> out = new TreeSet<>();
    for (String l : lines) {
      String[] f = l.split("\\|", 5);
      out.add(f[0] + "|" + f[2] + "|" + f[3] + "|" + f[4]);
    }
    return out;
  }

  @Test
  void sameAsSparkMllibPrefixSpanPerStore() {
    SequenceGenerator.Events ev =
        SequenceGenerator.generate(
            Config.of(3).withStores(4).withTransactions(4_000).withItems(40));
    // store -> customer -> day -> items
    Map<Integer, Map<Long, TreeMap<Long, TreeSet<String>>>> byStore = new TreeMap<>();
    for (int e = 0; e < ev.n; e++) {
      byStore
          .computeIfAbsent(ev.store[e], k -> new TreeMap<>())
          .computeIfAbsent(ev.customer[e], k -> new TreeMap<>())
          .computeIfAbsent(ev.day[e], k -> new TreeSet<>())
          .add(ev.itemNames[ev.item[e]]);
    }
    SparkContextOptions options = SparkTestContext.options(SPARK);
    JavaSparkContext jsc = options.getProvidedSparkContext();
    double minSupport = 0.12;
    int maxLen = 4;
    int compared = 0;
    for (var store : byStore.entrySet()) {
      List<List<List<String>>> seqs = new ArrayList<>();
      for (var customer : store.getValue().values()) {
        List<List<String>> steps = new ArrayList<>();
        for (TreeSet<String> step : customer.values()) {
          steps.add(new ArrayList<>(step));
        }
        seqs.add(steps);
      }
      PrefixSpanModel<String> model =
          new PrefixSpan()
              .setMinSupport(minSupport)
              .setMaxPatternLength(maxLen)
              .run(jsc.parallelize(seqs, 2));
      TreeSet<String> spark = new TreeSet<>();
      for (PrefixSpan.FreqSequence<String> fs : model.freqSequences().toJavaRDD().collect()) {
        List<List<String>> steps = new ArrayList<>();
        for (List<String> step : fs.javaSequence()) {
          List<String> sorted = new ArrayList<>(step);
          sorted.sort(null);
          steps.add(sorted);
        }
        spark.add(steps + "=" + fs.freq());
      }
      long n = seqs.size();
      long sparkCount = (long) Math.ceil(minSupport * n); // Spark's threshold
      SequenceDb db = SequenceDb.fromStringSequences(seqs);
      TreeSet<String> ours =
          texts(SequenceMiner.minCount(sparkCount).withMaxPatternLength(maxLen).mine(db));
      assertEquals(spark, ours, "store " + store.getKey() + " N=" + n);
      assertTrue(ours.size() > 30, "store " + store.getKey() + ": " + ours.size() + " patterns");
      if (SequenceMiner.minSupport(minSupport).minCountFor(n) == sparkCount) {
        assertEquals(
            ours,
            texts(SequenceMiner.minSupport(minSupport).withMaxPatternLength(maxLen).mine(db)),
            "the same threshold from minSupport when the ceilings agree");
      }
      compared++;
    }
    assertEquals(4, compared);
  }

  private static TreeSet<String> texts(SequencePatterns p) {
    TreeSet<String> out = new TreeSet<>();
    for (int i = 0; i < p.size(); i++) {
      List<List<String>> steps = new ArrayList<>();
      for (String[] st : p.names(i)) {
        steps.add(List.of(st));
      }
      out.add(steps + "=" + p.count(i));
    }
    return out;
  }
}
