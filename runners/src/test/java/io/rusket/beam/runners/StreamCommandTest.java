package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.MineStreamOptions;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stream} in-process: options, errors, and one small run on the DirectRunner. */
class StreamCommandTest {
  @TempDir static Path data;
  @TempDir Path dir;

  private static Path events;

  /** 600 receipts over 40 items (ids 0..39). */
  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        GenerateData.generate(Config.of(11).withStores(2).withTransactions(600).withItems(40)),
        data,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
    events = data.resolve("events.parquet");
  }

  private String[] args(String... more) {
    return Stream.concat(
            Stream.of(
                "stream",
                "--runner=DirectRunner",
                "--input=" + events,
                "--txnCol=transaction_id",
                "--itemCol=item_id",
                "--output=" + dir.resolve("out")),
            Stream.of(more))
        .toArray(String[]::new);
  }

  @Test
  void minesAllTransactionsOnTheDirectRunnerAndPrintsOneLine() throws IOException {
    Cli r =
        Cli.run(
            args(
                "--numItems=40",
                "--minSupport=0.05",
                "--rules",
                "--metric=lift",
                "--minThreshold=1.2",
                "--outputFormat=jsonl",
                "--shards=2",
                "--quiet")); // progress on stderr: PipelineProgressTest
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertEquals("", r.err());
    Matcher m =
        Pattern.compile(
                "runner=DirectRunner transactions=600 itemsets=(\\d+) rules=(\\d+) output=(.+)"
                    + " millis=\\d+\\R")
            .matcher(r.out());
    assertTrue(m.matches(), r::out);
    assertEquals(dir.resolve("out").toString(), m.group(3));
    assertEquals(Long.parseLong(m.group(1)), GroupedCommandTest.lines(dir.resolve("out/itemsets")));
    assertEquals(Long.parseLong(m.group(2)), GroupedCommandTest.lines(dir.resolve("out/rules")));
    assertTrue(Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(2)) > 0, r::out);
  }

  @Test
  void numItemsIsRequired() {
    Cli.run(args()).assertUsageErrorContaining("--numItems");
  }

  @Test
  void mistakesAreUsageErrors() {
    Cli.run(args("--numItems=40", "--minSupport=0")).assertUsageErrorContaining("minSupport");
    Cli.run(args("--numItems=40", "--shard=2")).assertUsageErrorContaining("shard");
    Cli.run(args("--numItems=40", "--maxRamBytes=1000"))
        .assertUsageErrorContaining("Invalid --maxRamBytes: 1000. Valid range is [16384, ");
    Cli.run(args("--numItems=40", "--maxRamBytes=lots"))
        .assertUsageErrorContaining("--maxRamBytes: 'lots' is not an integer");
    Cli.run(
            "stream",
            "--runner=DirectRunner",
            "--input=" + events,
            "--txnCol=store_id",
            "--itemCol=item_id",
            "--numItems=40",
            "--output=" + dir.resolve("out"))
        .assertUsageErrorContaining("store_id");
  }

  @Test
  void helpListsEveryOption() {
    Cli r = Cli.run("stream", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertEquals(
        OptionsHelp.optionNames(MineStreamOptions.class), new TreeSet<>(StreamCommand.OPTIONS));
    for (String o : StreamCommand.OPTIONS) {
      assertTrue(
          Pattern.compile("(?m)^  --" + o + "(=| |$)").matcher(r.out()).find(),
          () -> o + " in\n" + r.out());
    }
    assertTrue(r.out().contains("  --shards=N  (default: 16)"), r::out);
  }
}
