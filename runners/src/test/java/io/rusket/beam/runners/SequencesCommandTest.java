package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineSequencesOptions;
import io.rusket.beam.pipelines.MineSequencesPipeline;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sequences} in-process: a run per group and a global one, errors and help. */
class SequencesCommandTest {
  @TempDir static Path data;
  @TempDir Path dir;

  private static Path visits;

  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        Config.of(5).withStores(3).withTransactions(600).withItems(30),
        data,
        EnumSet.of(Layout.SEQUENCES),
        EnumSet.of(InputFormat.PARQUET));
    visits = data.resolve("sequences.parquet");
  }

  private String[] args(String... more) {
    return Stream.concat(
            Stream.of(
                "sequences",
                "--runner=DirectRunner",
                "--input=" + visits,
                "--sequenceCol=customer_id",
                "--timeCol=day",
                "--itemCol=item",
                "--outputFormat=jsonl",
                "--quiet",
                "--output=" + dir.resolve("out")),
            Stream.of(more))
        .toArray(String[]::new);
  }

  static List<Map<String, Object>> rows(Path shardDir) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(shardDir)) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          out.add(MiniJson.object(line));
        }
      }
    }
    return out;
  }

  @Test
  void minesPerGroupAndPrintsOneLine() throws IOException {
    Cli r = Cli.run(args("--groupCol=store_id", "--minSupport=0.3", "--maxPatternLength=3"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertEquals("", r.err());
    Matcher m =
        Pattern.compile(
                "runner=DirectRunner groups=3 sequences=(\\d+) patterns=(\\d+) output=(.+)"
                    + " millis=\\d+\\R")
            .matcher(r.out());
    assertTrue(m.matches(), r::out);
    List<Map<String, Object>> rows = rows(dir.resolve("out/sequences"));
    assertEquals(Long.parseLong(m.group(2)), rows.size());
    assertTrue(rows.size() > 20, "patterns: " + rows.size());
    TreeSet<Object> stores = new TreeSet<>();
    for (Map<String, Object> row : rows) {
      stores.add(row.get("store_id"));
      assertEquals(
          List.of("store_id", "support", "count", "sequences", "sequence"),
          new ArrayList<>(row.keySet()));
      long count = ((Number) row.get("count")).longValue();
      long n = ((Number) row.get("sequences")).longValue();
      assertTrue(count >= Math.ceil(0.3 * n - 1e-9), row::toString);
      List<?> steps = (List<?>) row.get("sequence");
      int items = 0;
      for (Object step : steps) {
        items += ((List<?>) step).size();
      }
      assertTrue(items >= 1 && items <= 3, row::toString);
    }
    assertEquals(new TreeSet<>(List.of("S001", "S002", "S003")), stores);
  }

  @Test
  void withoutGroupColOneGlobalResult() throws IOException {
    Cli r = Cli.run(args("--minCount=40", "--maxPatternLength=2", "--maxGap=1"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertTrue(r.out().startsWith("runner=DirectRunner groups=1 "), r::out);
    List<Map<String, Object>> rows = rows(dir.resolve("out/sequences"));
    assertTrue(rows.size() > 5, "patterns: " + rows.size());
    for (Map<String, Object> row : rows) {
      assertEquals(
          List.of("support", "count", "sequences", "sequence"), new ArrayList<>(row.keySet()));
      assertTrue(((Number) row.get("count")).longValue() >= 40, row::toString);
    }
    assertTrue(
        rows.stream().anyMatch(x -> ((List<?>) x.get("sequence")).size() == 2),
        "some two-step pattern");
  }

  @Test
  void mistakesAreOneLineUsageErrors() {
    Cli.run(args("--minSupport=2")).assertUsageErrorContaining("Invalid --minSupport: 2.0");
    Cli.run(args("--minSupport=0.2", "--minCount=3"))
        .assertUsageErrorContaining("Give either --minSupport or --minCount");
    Cli.run(args("--maxGap=0")).assertUsageErrorContaining("Invalid --maxGap: 0");
    Cli.run(args("--maxPatternLength=0"))
        .assertUsageErrorContaining("Invalid --maxPatternLength: 0");
    Cli.run(args("--groupCol=region")).assertUsageErrorContaining("region");
    Cli.run(args("--minSuport=0.2")).assertUsageErrorContaining("minSuport");
    Cli.run(
            "sequences",
            "--runner=DirectRunner",
            "--input=" + visits,
            "--sequenceCol=customer_id",
            "--timeCol=item",
            "--itemCol=item_id",
            "--output=" + dir.resolve("out"))
        .assertUsageErrorContaining("item");
  }

  @Test
  void helpListsEveryOption() {
    Cli r = Cli.run("sequences", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertEquals(
        OptionsHelp.optionNames(MineSequencesOptions.class),
        new TreeSet<>(SequencesCommand.OPTIONS));
    for (String o : SequencesCommand.OPTIONS) {
      assertTrue(
          Pattern.compile("(?m)^  --" + o + "(=| |$)").matcher(r.out()).find(),
          () -> o + " in\n" + r.out());
    }
    assertTrue(Cli.run("--help").out().contains("  sequences "), "listed in the commands");
  }

  /** Beam keeps one registry of option names: both commands' options parse in one JVM. */
  @Test
  void optionsLiveBesideGroupedOnes() {
    MineGroupedOptions g =
        RunnerSetup.optionsFrom(
            new String[] {"--input=x", "--groupCol=g", "--output=o", "--minSupport=0.2"},
            MineGroupedOptions.class);
    MineSequencesOptions s =
        RunnerSetup.optionsFrom(
            new String[] {
              "--input=x", "--sequenceCol=c", "--timeCol=t", "--itemCol=i", "--output=o"
            },
            MineSequencesOptions.class);
    assertEquals(0.2, g.getMinSupport());
    assertNull(s.getMinSupport(), "not written: the pipeline resolves it");
    assertEquals(0.5, MineSequencesPipeline.DEFAULT_MIN_SUPPORT);
  }
}
