package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grouped} in-process: options, errors, and one small run on the DirectRunner. */
class GroupedCommandTest {
  @TempDir static Path data;
  @TempDir Path dir;

  private static Path events;
  private static Path receiptsCsv;

  /** 3 stores, 600 receipts, 40 items: a DirectRunner run of a few seconds. */
  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        GenerateData.generate(
            Config.of(7)
                .withStores(3)
                .withTransactions(600)
                .withItems(40)
                .withItemNameColumn(true)),
        data,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
    events = data.resolve("events.parquet");
    Files.createDirectories(data.resolve("onehot"));
    GenerateData.write(
        GenerateData.generate(Config.of(7).withStores(2).withTransactions(50).withItems(8)),
        data.resolve("onehot"),
        EnumSet.of(Layout.RECEIPTS),
        EnumSet.of(InputFormat.CSV));
    receiptsCsv = data.resolve("onehot/receipts.csv");
  }

  private String[] args(String... more) {
    return Stream.concat(
            Stream.of(
                "grouped",
                "--runner=DirectRunner",
                "--input=" + events,
                "--groupCol=store_id",
                "--txnCol=transaction_id",
                "--itemCol=item",
                "--output=" + dir.resolve("out")),
            Stream.of(more))
        .toArray(String[]::new);
  }

  @Test
  void helpListsEveryOptionWithItsDefaultAndTheRunners() {
    Cli r = Cli.run("grouped", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertEquals("", r.err());
    assertTrue(r.out().startsWith("Usage: java -jar rusket-beam.jar grouped "), r::out);
    // every option of MineGroupedOptions, and only those, in the help's list; but --numItems,
    // which grouped rejects (it used to be listed and silently ignored: issue 9 §2)
    TreeSet<String> listed = new TreeSet<>(GroupedCommand.OPTIONS);
    listed.add(GroupedCommand.NOT_TAKEN);
    assertEquals(OptionsHelp.optionNames(MineGroupedOptions.class), listed);
    assertFalse(r.out().contains("--numItems"), r::out);
    for (String o : GroupedCommand.OPTIONS) {
      assertTrue(
          Pattern.compile("(?m)^  --" + o + "(=| |$)").matcher(r.out()).find(),
          () -> o + " in\n" + r.out());
    }
    assertTrue(r.out().contains("  --minSupport=X  (default: 0.5)"), r::out);
    assertTrue(r.out().contains("  --input=VALUE  (required)"), r::out);
    assertTrue(r.out().lines().anyMatch(l -> l.equals("  --rules")), r::out);
    assertTrue(r.out().contains("Minimum support, in (0, 1]"), r::out);
    assertTrue(r.out().contains("--runner=DirectRunner"), r::out);
    assertTrue(r.out().contains("--sparkMaster=local[N]"), r::out);
    assertTrue(r.out().lines().allMatch(l -> l.length() <= 100), r::out);
  }

  @Test
  void minesPerStoreOnTheDirectRunnerAndPrintsOneLine() throws IOException {
    Cli r =
        Cli.run(
            args(
                "--minSupport=0.05",
                "--rules",
                "--metric=lift",
                "--minThreshold=1.2",
                "--outputFormat=jsonl",
                "--quiet")); // progress on stderr: PipelineProgressTest
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertEquals("", r.err());
    Matcher m =
        Pattern.compile(
                "runner=DirectRunner groups=3 transactions=600 itemsets=(\\d+) rules=(\\d+)"
                    + " output=(.+) millis=\\d+\\R")
            .matcher(r.out());
    assertTrue(m.matches(), r::out);
    assertEquals(dir.resolve("out").toString(), m.group(3));
    // the counters agree with the files
    assertEquals(Long.parseLong(m.group(1)), lines(dir.resolve("out/itemsets")));
    assertEquals(Long.parseLong(m.group(2)), lines(dir.resolve("out/rules")));
    assertTrue(Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(2)) > 0, r::out);
  }

  static long lines(Path shardDir) throws IOException {
    long n = 0;
    try (Stream<Path> files = Files.list(shardDir)) {
      for (Path f : files.toList()) {
        assertTrue(
            f.getFileName().toString().matches("part-\\d{5}-of-\\d{5}\\.jsonl"), f::toString);
        List<String> lines = Files.readAllLines(f);
        lines.forEach(MiniJson::object);
        n += lines.size();
      }
    }
    return n;
  }

  @Test
  void withoutRulesTheLineHasNoRules() {
    Cli r = Cli.run(args("--minSupport=0.2", "--numShards=1"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertTrue(
        r.out()
            .matches(
                "runner=DirectRunner groups=3 transactions=600 itemsets=\\d+ output=\\S+"
                    + " millis=\\d+\\R"),
        r::out);
  }

  /** The itemsets' JSON lines of an output directory, sorted (shards and order vary). */
  static List<String> sortedItemsets(Path out) throws IOException {
    List<String> all = new java.util.ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("itemsets"))) {
      for (Path f : files.toList()) {
        all.addAll(Files.readAllLines(f));
      }
    }
    java.util.Collections.sort(all);
    return all;
  }

  @Test
  void maxBundleBytesIsValidatedAndASmallBudgetGivesTheSameItemsets() throws IOException {
    Cli.run(args("--maxBundleBytes=0"))
        .assertUsageErrorContaining("Invalid --maxBundleBytes: 0. Valid range is [1, ");
    Cli.run(args("--maxBundleBytes=lots"))
        .assertUsageErrorContaining("--maxBundleBytes: 'lots' is not an integer");
    Cli.run(
            "grouped",
            "--runner=DirectRunner",
            "--input=" + receiptsCsv,
            "--groupCol=store_id",
            "--maxBundleBytes=4096",
            "--output=" + dir.resolve("onehot"))
        .assertUsageErrorContaining("--maxBundleBytes applies to long-format input");
    List<List<String>> results = new java.util.ArrayList<>();
    for (String budget : List.of("", "--maxBundleBytes=2048")) {
      Path out = dir.resolve("budget" + budget.length());
      List<String> a = new java.util.ArrayList<>(List.of(args()));
      a.removeIf(s -> s.startsWith("--output="));
      a.addAll(List.of("--output=" + out, "--minSupport=0.05", "--outputFormat=jsonl", "--quiet"));
      if (!budget.isEmpty()) {
        a.add(budget);
      }
      Cli r = Cli.run(a.toArray(new String[0]));
      assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
      results.add(sortedItemsets(out));
    }
    assertFalse(results.get(0).isEmpty());
    assertEquals(results.get(0), results.get(1), "a 2 KiB budget only flushes more often");
  }

  @Test
  void unknownOptionIsAUsageError() {
    Cli.run(args("--minSuport=0.1")).assertUsageErrorContaining("minSuport");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Cli.run("grouped", "--runner=DirectRunner", "--input=" + events, "--output=x")
        .assertUsageErrorContaining("groupCol");
  }

  @Test
  void badSettingIsAUsageErrorNamingIt() {
    Cli.run(args("--minSupport=2"))
        .assertUsageError("Invalid minSupport: 2.0. Valid range is (0, 1].");
    Cli.run(args("--metric=lfit", "--rules")).assertUsageErrorContaining("lfit");
    Cli.run(args("--numShards=0")).assertUsageErrorContaining("--numShards: 0");
  }

  @Test
  void missingInputColumnOrFileIsAUsageError() {
    Cli.run(
            "grouped",
            "--runner=DirectRunner",
            "--input=" + events,
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=sku",
            "--output=" + dir.resolve("out"))
        .assertUsageErrorContaining("sku");
    Cli.run(
            "grouped",
            "--runner=DirectRunner",
            "--input=" + dir.resolve("none.parquet"),
            "--groupCol=store_id",
            "--output=" + dir.resolve("out"))
        .assertUsageErrorContaining("none.parquet");
  }

  @Test
  void outputThatHoldsFilesIsAUsageError() throws IOException {
    Files.createDirectories(dir.resolve("out/itemsets"));
    Files.writeString(dir.resolve("out/itemsets/keep.txt"), "mine");
    Cli.run(args()).assertUsageErrorContaining("already holds files");
    assertTrue(Files.exists(dir.resolve("out/itemsets/keep.txt")));
  }
}
