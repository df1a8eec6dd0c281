package io.rusket.beam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.SequenceDb;
import io.rusket.beam.miner.SequenceMiner;
import io.rusket.beam.miner.SequencePatterns;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.generate.SequenceGenerator;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MineSequencesPipeline on the DirectRunner: every input format against the core per store. */
class MineSequencesPipelineTest {
  @TempDir static Path data;
  @TempDir Path out;

  static final Config CONFIG = Config.of(11).withStores(3).withTransactions(900).withItems(25);
  static SequenceGenerator.Events events;

  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        CONFIG, data, EnumSet.of(Layout.SEQUENCES), EnumSet.allOf(InputFormat.class));
    events = SequenceGenerator.generate(CONFIG);
  }

  static MineSequencesOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(MineSequencesOptions.class);
  }

  /** The core on each store's (or all) sequences, as "store|count|N|[[a, b], [c]]". */
  static List<String> expected(boolean global, SequenceMiner miner) {
    Map<String, List<Integer>> byStore = new HashMap<>();
    for (int e = 0; e < events.n; e++) {
      String g = global ? "" : events.storeIds[events.store[e]];
      byStore.computeIfAbsent(g, k -> new ArrayList<>()).add(e);
    }
    // item ids in ascending name order, as the transform numbers them
    String[] sorted = new TreeSet<>(Arrays.asList(events.itemNames)).toArray(new String[0]);
    Map<String, Integer> rank = new HashMap<>();
    for (int i = 0; i < sorted.length; i++) {
      rank.put(sorted[i], i);
    }
    List<String> out = new ArrayList<>();
    for (var g : byStore.entrySet()) {
      List<Integer> idx = g.getValue();
      Map<Long, Integer> seqIds = new HashMap<>();
      int n = idx.size();
      int[] seq = new int[n];
      long[] time = new long[n];
      int[] item = new int[n];
      for (int k = 0; k < n; k++) {
        int e = idx.get(k);
        seq[k] = seqIds.computeIfAbsent(events.customer[e], c -> seqIds.size());
        time[k] = events.day[e];
        item[k] = rank.get(events.itemNames[events.item[e]]);
      }
      SequenceDb db = SequenceDb.fromEvents(seq, time, item, n, seqIds.size(), sorted, false);
      SequencePatterns p = miner.withThreads(1).mine(db);
      for (int i = 0; i < p.size(); i++) {
        List<List<String>> steps = new ArrayList<>();
        for (String[] st : p.names(i)) {
          steps.add(Arrays.asList(st));
        }
        out.add((global ? "" : g.getKey() + "|") + p.count(i) + "|" + db.size() + "|" + steps);
      }
    }
    return out;
  }

  static PCollection<String> text(PCollection<Row> rows, boolean global) {
    return rows.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(
                r ->
                    (global ? "" : r.getString("store_id") + "|")
                        + r.getInt64("count")
                        + "|"
                        + r.getInt64("sequences")
                        + "|"
                        + r.getArray("sequence")));
  }

  /** The names of the pipeline's top-level transforms. */
  static java.util.Set<String> transformNames(Pipeline p) {
    java.util.Set<String> names = new java.util.HashSet<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(
              org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
            if (!node.isRootNode() && node.getEnclosingNode().isRootNode()) {
              names.add(node.getFullName());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    return names;
  }

  @Test
  void everyInputFormatMatchesTheCorePerStore() {
    List<String> want =
        expected(false, SequenceMiner.minSupport(0.3).withMaxPatternLength(3).withMaxGap(2));
    assertTrue(want.size() > 50 && want.size() < 2000, "a fair-sized expectation: " + want.size());
    for (String ext : new String[] {"parquet", "arrow", "csv"}) {
      MineSequencesOptions o =
          options(
              "--input=" + data.resolve("sequences." + ext),
              "--groupCol=store_id",
              "--sequenceCol=customer_id",
              "--timeCol=day",
              "--itemCol=item",
              "--minSupport=0.3",
              "--maxPatternLength=3",
              "--maxGap=2",
              "--output=" + out.resolve(ext));
      Pipeline p = Pipeline.create(o);
      PAssert.that(ext, text(MineSequencesPipeline.buildPipeline(p, o), false))
          .containsInAnyOrder(want);
      // Parquet with an integer time is read column-wise (ParquetGroups), the others as Rows
      assertEquals(ext.equals("parquet"), transformNames(p).contains("ReadGroups"), ext);
      assertEquals(!ext.equals("parquet"), transformNames(p).contains("ReadInput"), ext);
      p.run().waitUntilFinish();
      assertTrue(Files.isDirectory(out.resolve(ext).resolve("sequences")), ext);
    }
  }

  @Test
  void globalJsonLinesCarryTheSequenceAsAListOfLists() throws IOException {
    MineSequencesOptions o =
        options(
            "--input=" + data.resolve("sequences.parquet"),
            "--sequenceCol=customer_id",
            "--timeCol=day",
            "--itemCol=item",
            "--minSupport=0.1",
            "--maxPatternLength=3",
            "--numShards=1",
            "--outputFormat=jsonl",
            "--output=" + out);
    Pipeline p = Pipeline.create(o);
    MineSequencesPipeline.buildPipeline(p, o);
    p.run().waitUntilFinish();
    List<String> lines;
    try (Stream<Path> files = Files.list(out.resolve("sequences"))) {
      Path f = files.filter(x -> x.toString().endsWith(".jsonl")).findFirst().orElseThrow();
      lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    }
    long n = events.customer[events.n - 1]; // customer ids are 1..C
    assertEquals(
        expected(true, SequenceMiner.minSupport(0.1).withMaxPatternLength(3)).size(), lines.size());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "\\{\"support\":[0-9.E-]+,\"count\":[0-9]+,\"sequences\":"
                            + n
                            + ",\"sequence\":\\[\\[\"[a-z_]+\"\\],\\[\"[a-z_]+\"\\]\\]\\}")),
        lines.subList(0, Math.min(5, lines.size())).toString());
  }

  @Test
  void badOptionsNameTheOptionAndValue() {
    String[] base = {
      "--input=" + data.resolve("sequences.parquet"),
      "--sequenceCol=customer_id",
      "--itemCol=item",
      "--output=" + out
    };
    assertEquals(
        "Give either --minSupport or --minCount, not both (got --minSupport=0.1 and --minCount=3)",
        fail(base, "--timeCol=day", "--minSupport=0.1", "--minCount=3"));
    assertEquals(
        "Invalid --minSupport: 1.5. Valid range is (0, 1].",
        fail(base, "--timeCol=day", "--minSupport=1.5"));
    assertEquals(
        "Invalid --maxGap: 0. Valid range is [1, 2147483647].",
        fail(base, "--timeCol=day", "--maxGap=0"));
    String noGroup = fail(base, "--timeCol=day", "--groupCol=region");
    assertTrue(noGroup.contains("region"), noGroup);
    String stringTime = fail(base, "--timeCol=store_id");
    assertTrue(stringTime.contains("store_id"), stringTime);
  }

  private String fail(String[] base, String... extra) {
    String[] args = Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    MineSequencesOptions o = options(args);
    return assertThrows(
            IllegalArgumentException.class,
            () -> MineSequencesPipeline.buildPipeline(Pipeline.create(o), o))
        .getMessage();
  }
}
