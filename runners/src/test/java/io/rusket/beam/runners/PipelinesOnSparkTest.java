package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineGroupedPipeline;
import io.rusket.beam.pipelines.MineStreamOptions;
import io.rusket.beam.pipelines.MineStreamPipeline;
import io.rusket.beam.pipelines.MiningOptions;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file-to-file jobs of {@code pipelines/} — MineGroupedPipeline (Parquet events, rules) and
 * MineStreamPipeline (Arrow events, rules) — write the same result files, line for line, on the
 * DirectRunner and on the Spark runner ({@code local[2]}).
 */
class PipelinesOnSparkTest {
  @TempDir static Path data;
  @TempDir Path out;

  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        GenerateData.generate(
            Config.of(11).withStores(4).withTransactions(3_000).withItems(50).withBundles(5, 0.3)),
        data,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW));
  }

  @AfterAll
  static void stopSpark() {
    SparkTestContext.stop();
  }

  private static PipelineOptions direct() {
    return RunnerSetup.optionsFrom(new String[] {"--runner=DirectRunner"});
  }

  private static <T extends MiningOptions> T common(T o, Path output) {
    o.setTxnCol("transaction_id");
    o.setItemCol("item_id");
    o.setMinSupport(0.02);
    o.setRules(true);
    o.setMetric("lift");
    o.setMinThreshold(1.0);
    o.setOutput(output.toString());
    o.setOutputFormat("jsonl");
    return o;
  }

  private List<String> grouped(PipelineOptions base, String name) {
    MineGroupedOptions o = common(base.as(MineGroupedOptions.class), out.resolve(name));
    o.setInput(data.resolve("events.parquet").toString());
    o.setGroupCol("store_id");
    Pipeline p = Pipeline.create(o);
    MineGroupedPipeline.buildPipeline(p, o);
    RunnerSetup.run(p);
    return lines(out.resolve(name));
  }

  private List<String> stream(PipelineOptions base, String name) {
    MineStreamOptions o = common(base.as(MineStreamOptions.class), out.resolve(name));
    o.setInput(data.resolve("events.arrow").toString());
    o.setNumItems(50);
    o.setShards(4);
    Pipeline p = Pipeline.create(o);
    MineStreamPipeline.buildPipeline(p, o);
    RunnerSetup.run(p);
    return lines(out.resolve(name));
  }

  /** Every line of every result file, prefixed by its result directory, sorted. */
  private static List<String> lines(Path dir) {
    List<String> all = new ArrayList<>();
    for (String sub : List.of("itemsets", "rules")) {
      try (Stream<Path> files = Files.list(dir.resolve(sub))) {
        for (Path f : files.toList()) {
          for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            all.add(sub + " " + line);
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    all.sort(null);
    return all;
  }

  private static void assertSame(List<String> direct, List<String> spark) {
    assertTrue(direct.stream().filter(l -> l.startsWith("itemsets ")).count() > 20, "itemsets");
    assertTrue(direct.stream().anyMatch(l -> l.startsWith("rules ")), "rules");
    assertEquals(direct, spark);
  }

  @Test
  void mineGroupedPipelineWritesTheSameFilesOnSparkAndDirect() {
    assertSame(
        grouped(direct(), "grouped-direct"),
        grouped(SparkTestContext.options("local[2]"), "grouped-spark"));
  }

  @Test
  void mineStreamPipelineWritesTheSameFilesOnSparkAndDirect() {
    assertSame(
        stream(direct(), "stream-direct"),
        stream(SparkTestContext.options("local[2]"), "stream-spark"));
  }
}
