package io.rusket.beam.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.Dataset;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.MineStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MineStreamPipeline on the DirectRunner: every input format against the miner on all events. */
class MineStreamPipelineTest {
  private static final double MIN_SUPPORT = 0.02;
  private static final Schema OUT = MineStream.outputSchema(false);

  @TempDir static Path data;
  @TempDir Path out;

  static Dataset generated;

  @BeforeAll
  static void generate() throws IOException {
    generated =
        GenerateData.generate(
            Config.of(77).withStores(4).withTransactions(1_500).withItems(40).withBundles(5, 0.3));
    GenerateData.write(
        generated, data, EnumSet.of(Layout.EVENTS), EnumSet.allOf(InputFormat.class));
  }

  static MineStreamOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(MineStreamOptions.class);
  }

  /** The miner on all transactions; items ascending by id. */
  static List<Row> expected(Dataset d) {
    int[][] baskets = new int[d.numTransactions()][];
    for (int t = 0; t < baskets.length; t++) {
      baskets[t] = Arrays.copyOfRange(d.items, d.offsets[t], d.offsets[t + 1]);
    }
    TransactionDb db = TransactionDb.fromIntBaskets(baskets);
    Itemsets sets = ItemsetMiner.minSupport(MIN_SUPPORT).withThreads(1).mine(db);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      int[] ids = sets.items(i).clone();
      Arrays.sort(ids);
      List<Integer> items = new ArrayList<>();
      for (int id : ids) {
        items.add(id);
      }
      rows.add(
          Row.withSchema(OUT)
              .addValues(sets.support(i), items, sets.count(i), (long) db.size())
              .build());
    }
    return rows;
  }

  @Test
  void eventsInEveryFormatEqualTheMinerOnAllTransactions() throws IOException {
    List<Row> expected = expected(generated);
    assertTrue(expected.size() > 40, "enough itemsets: " + expected.size());
    assertTrue(expected.stream().anyMatch(r -> r.getArray("itemsets").size() >= 3));
    for (String ext : List.of("parquet", "arrow", "csv")) {
      Path o = out.resolve(ext);
      MineStreamOptions opts =
          options(
              "--input=" + data.resolve("events." + ext),
              "--txnCol=transaction_id",
              "--itemCol=item_id",
              "--numItems=40",
              "--minSupport=" + MIN_SUPPORT,
              "--shards=3",
              "--rules",
              "--metric=lift",
              "--minThreshold=1.0",
              "--output=" + o,
              "--outputFormat=jsonl",
              "--numShards=2");
      Pipeline p = Pipeline.create(opts);
      MineStreamPipeline.Outputs outputs = MineStreamPipeline.buildPipeline(p, opts);
      PAssert.that(ext, outputs.itemsets).containsInAnyOrder(expected);
      p.run().waitUntilFinish();
      assertEquals(List.of("itemsets", "rules"), MineGroupedPipelineTest.files(o), ext);
      MineGroupedPipelineTest.assertOnlyShards(o.resolve("itemsets"), "jsonl");
      assertEquals(expected.size(), MineGroupedPipelineTest.lines(o.resolve("itemsets")), ext);
      assertTrue(MineGroupedPipelineTest.lines(o.resolve("rules")) > 0, "bundles give rules");
    }
  }

  /**
   * {@code --maxRamBytes} reaches the readers' shard miners: at the smallest budget they are sent
   * on many times more often (the {@code minersEmitted} counter) and the itemsets are the same;
   * below the smallest it fails before running, naming the option.
   */
  @Test
  void maxRamBytesBoundsTheReadersMinersWithTheSameItemsets() throws IOException {
    // ~130K pairs: several times the smallest budget, far below the default
    Dataset big =
        GenerateData.generate(
            Config.of(5).withStores(2).withTransactions(30_000).withItems(40).withBundles(5, 0.3));
    Path bigDir = out.resolve("big-input");
    GenerateData.write(big, bigDir, EnumSet.of(Layout.EVENTS), EnumSet.of(InputFormat.PARQUET));
    List<Row> expected = expected(big);
    long[] emitted = new long[2];
    String[] budgets = {null, String.valueOf(MineStream.MIN_MAX_RAM_BYTES)};
    for (int i = 0; i < budgets.length; i++) {
      Path o = out.resolve("budget" + i);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--input=" + bigDir.resolve("events.parquet"),
                  "--txnCol=transaction_id",
                  "--itemCol=item_id",
                  "--numItems=40",
                  "--minSupport=" + MIN_SUPPORT,
                  "--shards=3",
                  "--output=" + o,
                  "--outputFormat=jsonl"));
      if (budgets[i] != null) {
        args.add("--maxRamBytes=" + budgets[i]);
      }
      MineStreamOptions opts = options(args.toArray(new String[0]));
      Pipeline p = Pipeline.create(opts);
      MineStreamPipeline.Outputs outputs = MineStreamPipeline.buildPipeline(p, opts);
      PAssert.that(outputs.itemsets).containsInAnyOrder(expected);
      PipelineResult r = p.run();
      r.waitUntilFinish();
      emitted[i] =
          r.metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(
                          MetricNameFilter.named(TableSource.METRICS_NAMESPACE, "minersEmitted"))
                      .build())
              .getCounters()
              .iterator()
              .next()
              .getAttempted();
    }
    assertTrue(emitted[1] > 2 * emitted[0], () -> Arrays.toString(emitted));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MineStreamPipeline.buildPipeline(
                    Pipeline.create(PipelineOptionsFactory.create()),
                    options(
                        "--input=" + data.resolve("events.parquet"),
                        "--output=" + out.resolve("small"),
                        "--txnCol=transaction_id",
                        "--itemCol=item_id",
                        "--numItems=40",
                        "--maxRamBytes=1000")));
    assertEquals(
        "Invalid --maxRamBytes: 1000. Valid range is ["
            + MineStream.MIN_MAX_RAM_BYTES
            + ", "
            + Long.MAX_VALUE
            + "].",
        e.getMessage());
  }

  @Test
  void badOptionsAndInputsFailBeforeRunning() {
    String events = "--input=" + data.resolve("events.parquet");
    String o = "--output=" + out.resolve("x");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MineStreamPipeline.buildPipeline(
                    Pipeline.create(PipelineOptionsFactory.create()),
                    options(events, o, "--txnCol=transaction_id", "--itemCol=item_id")));
    assertTrue(e.getMessage().contains("--numItems"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MineStreamPipeline.buildPipeline(
                    Pipeline.create(PipelineOptionsFactory.create()),
                    options(events, o, "--itemCol=item_id", "--numItems=40")));
    assertTrue(e.getMessage().contains("--txnCol"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MineStreamPipeline.buildPipeline(
                    Pipeline.create(PipelineOptionsFactory.create()),
                    options(
                        events,
                        o,
                        "--txnCol=transaction_id",
                        "--itemCol=store_id",
                        "--numItems=40")));
    assertTrue(
        e.getMessage().contains("store_id") && e.getMessage().contains("STRING"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MineStreamPipeline.buildPipeline(
                    Pipeline.create(PipelineOptionsFactory.create()),
                    options(events, o, "--txnCol=session", "--itemCol=item_id", "--numItems=40")));
    assertTrue(
        e.getMessage().contains("session") && e.getMessage().contains("transaction_id"),
        e.getMessage());
  }

  /**
   * CSV ids: declared INT64 by the job and parsed strictly — a value that is not a canonical
   * integer fails naming file, line, column and value ({@code 007} must not silently become 7).
   */
  @Test
  void csvIdsAreParsedStrictly() throws IOException {
    Path ok = Files.writeString(out.resolve("ok.csv"), "t,i\n1,0\n1,1\n2,1\n", UTF_8);
    MineStreamOptions opts =
        options(
            "--input=" + ok,
            "--txnCol=t",
            "--itemCol=i",
            "--numItems=2",
            "--minSupport=1.0",
            "--output=" + out.resolve("ok"));
    Pipeline p = Pipeline.create(opts);
    PAssert.that(MineStreamPipeline.buildPipeline(p, opts).itemsets)
        .containsInAnyOrder(Row.withSchema(OUT).addValues(1.0, List.of(1), 2L, 2L).build());
    p.run().waitUntilFinish();

    String[][] cases = {{"007", "t"}, {"+5", "t"}, {"x", "i"}, {" 1", "i"}};
    for (String[] c : cases) {
      String row = c[1].equals("t") ? c[0] + ",1" : "3," + c[0];
      String quoted = "\"" + row.replace(",", "\",\"") + "\"";
      Path in = Files.writeString(out.resolve("bad.csv"), "t,i\n1,0\n" + quoted + "\n", UTF_8);
      MineStreamOptions bad =
          options(
              "--input=" + in,
              "--txnCol=t",
              "--itemCol=i",
              "--numItems=2",
              "--output=" + out.resolve("bad-" + c[1] + c[0].trim()));
      Exception e =
          assertThrows(
              Exception.class,
              () -> {
                Pipeline q = Pipeline.create(bad);
                MineStreamPipeline.buildPipeline(q, bad);
                q.run().waitUntilFinish();
              });
      String want = in + " line 3: column '" + c[1] + "': '" + c[0] + "' is not a valid INT64";
      assertTrue(String.valueOf(e.getMessage()).contains(want), e.getMessage());
    }
  }
}
