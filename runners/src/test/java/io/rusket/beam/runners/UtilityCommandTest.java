package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.UtilityOptions;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code utility} in-process: help, one small DirectRunner run, one-line errors. */
class UtilityCommandTest {
  @TempDir static Path data;
  @TempDir Path dir;

  private static Path events;

  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        GenerateData.generate(
            Config.of(7)
                .withStores(3)
                .withTransactions(600)
                .withItems(30)
                .withUtilityColumns(true)),
        data,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
    events = data.resolve("events.parquet");
  }

  private String[] args(String... more) {
    return Stream.concat(
            Stream.of(
                "utility",
                "--runner=DirectRunner",
                "--input=" + events,
                "--txnCol=transaction_id",
                "--itemCol=item_id",
                "--utilityCol=profit",
                "--output=" + dir.resolve("out")),
            Stream.of(more))
        .toArray(String[]::new);
  }

  @Test
  void helpListsEveryOption() {
    Cli r = Cli.run("utility", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertTrue(r.out().startsWith("Usage: java -jar rusket-beam.jar utility "), r::out);
    assertEquals(
        OptionsHelp.optionNames(UtilityOptions.class), new TreeSet<>(UtilityCommand.OPTIONS));
    for (String o : UtilityCommand.OPTIONS) {
      assertTrue(
          Pattern.compile("(?m)^  --" + o + "(=| |$)").matcher(r.out()).find(),
          () -> o + " in\n" + r.out());
    }
    assertTrue(r.out().lines().allMatch(l -> l.length() <= 100), r::out);
    assertTrue(Cli.run("--help").out().contains("  utility "), "listed among the commands");
  }

  @Test
  void minesPerStoreAndGloballyOnTheDirectRunner() throws IOException {
    Cli r =
        Cli.run(
            args(
                "--groupCol=store_id",
                "--minUtilityFraction=0.03",
                "--outputFormat=jsonl",
                "--quiet"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertEquals("", r.err());
    Matcher m =
        Pattern.compile(
                "runner=DirectRunner groups=3 transactions=600 itemsets=(\\d+) output=(.+)"
                    + " millis=\\d+\\R")
            .matcher(r.out());
    assertTrue(m.matches(), r::out);
    long n = Long.parseLong(m.group(1));
    assertTrue(n > 0, r::out);
    assertEquals(n, GroupedCommandTest.lines(dir.resolve("out/itemsets")));
    Cli g = Cli.run(args("--minUtility=500", "--maxLen=2", "--quiet").clone());
    // the output directory of the first run holds files now: a usage error naming it
    g.assertUsageErrorContaining("already holds files");
    Cli g2 =
        Cli.run(
            "utility",
            "--runner=DirectRunner",
            "--input=" + events,
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--utilityCol=profit",
            "--minUtility=500",
            "--maxLen=2",
            "--quiet",
            "--output=" + dir.resolve("global"));
    assertEquals(Main.EXIT_OK, g2.exitCode(), g2::err);
    assertTrue(g2.out().startsWith("runner=DirectRunner groups=1 transactions=600 "), g2::out);
  }

  @Test
  void mistakesAreOneLineUsageErrors() throws IOException {
    Cli.run(args()).assertUsageErrorContaining("--minUtility or --minUtilityFraction");
    Cli.run(args("--minUtility=0")).assertUsageErrorContaining("Invalid --minUtility: 0.0");
    Cli.run(args("--minUtilty=3")).assertUsageErrorContaining("minUtilty");
    Cli.run(args("--minUtility=3", "--groupCol=shop")).assertUsageErrorContaining("'shop'");
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "store,txn,sku,profit\ns1,1,milk,2.5\ns1,2,jam,NaN\n");
    Cli.run(
            "utility",
            "--runner=DirectRunner",
            "--input=" + csv,
            "--groupCol=store",
            "--txnCol=txn",
            "--itemCol=sku",
            "--utilityCol=profit",
            "--minUtility=1",
            "--quiet",
            "--output=" + dir.resolve("o"))
        .assertUsageErrorContaining("invalid value NaN in utility field 'profit' of the event");
  }
}
