package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --target=all|closed|maximal} on mine, grouped and stream, and rules from closed sets. */
class TargetOptionTest {
  @TempDir static Path data;
  @TempDir Path dir;
  private static Path events;

  /** Baskets where a ⊂ ab ⊂ abc with counts 4, 3, 2 and c alone twice. */
  private static final String BASKETS = "a b c\na b c\na b\na\nc\nc\n";

  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        GenerateData.generate(
            Config.of(11)
                .withStores(2)
                .withTransactions(400)
                .withItems(30)
                .withItemNameColumn(true)),
        data,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
    events = data.resolve("events.parquet");
  }

  @Test
  void mineCountsClosedAndMaximalAndRulesFromClosedEqualRulesFromAll() throws IOException {
    Path in = Files.writeString(dir.resolve("b.dat"), BASKETS, StandardCharsets.UTF_8);
    String[] base = {"mine", "--input=" + in, "--minCount=2"};
    // all: a4 b3 c4 ab3 ac2 bc2 abc2; closed: a4 c4 ab3 abc2; maximal: abc
    assertEquals(7, Cli.run(base).summary().get("itemsets"));
    assertEquals(4, Cli.run(concat(base, "--target=closed")).summary().get("itemsets"));
    assertEquals(1, Cli.run(concat(base, "--target=maximal")).summary().get("itemsets"));
    Path all = dir.resolve("all.csv");
    Path closed = dir.resolve("closed.csv");
    String[] rules = {"--rules", "--metric=confidence", "--minThreshold=0"};
    Map<String, Long> a = Cli.run(concat(concat(base, rules), "--rulesOutput=" + all)).summary();
    Map<String, Long> c =
        Cli.run(concat(concat(base, rules), "--target=closed", "--rulesOutput=" + closed))
            .summary();
    assertEquals(a.get("rules"), c.get("rules"));
    assertEquals(sortedLines(all), sortedLines(closed));
    assertTrue(a.get("rules") > 5);
    Cli.run(concat(concat(base, rules), "--target=maximal"))
        .assertUsageErrorContaining("--rules with --target=maximal");
    Cli.run(concat(base, "--target=most")).assertUsageErrorContaining("Invalid target: most");
  }

  @Test
  void groupedRulesFromClosedEqualRulesFromAllAndMaximalRulesAreRefused() throws IOException {
    long[] allCounts = grouped("all", "out-all");
    long[] closedCounts = grouped("closed", "out-closed");
    assertTrue(closedCounts[0] < allCounts[0], "fewer closed itemsets");
    assertEquals(allCounts[1], closedCounts[1], "the same number of rules");
    assertEquals(ruleLines(dir.resolve("out-all")), ruleLines(dir.resolve("out-closed")));
    Cli.run(groupedArgs("maximal", "out-max", "--rules"))
        .assertUsageErrorContaining("--rules with --target=maximal");
    Cli.run(groupedArgs("nope", "out-nope", "--rules"))
        .assertUsageErrorContaining("--target: nope");
  }

  @Test
  void topKAndMinLenOnEveryCommand() throws IOException {
    Path in = Files.writeString(dir.resolve("b.dat"), BASKETS, StandardCharsets.UTF_8);
    Path out = dir.resolve("top.csv");
    // top 2 of length >= 2 without a threshold: ab (3), then abc? no: ac and bc (2) tie at 2,
    // fewer items first, then items: ac
    Cli.run("mine", "--input=" + in, "--topK=2", "--minLen=2", "--output=" + out).summary();
    List<String> lines = Files.readAllLines(out);
    assertEquals(List.of("support,count,itemsets", "0.5,3,a|b", "0.3333333333333333,2,a|c"), lines);
    Cli.run("mine", "--input=" + in, "--topK=0").assertUsageErrorContaining("Invalid topK: 0");
    Cli r = Cli.run(groupedArgs("all", "out-top", "--topK=3", "--minLen=2"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertTrue(r.out().contains("groups=2 transactions=400 itemsets=6 "), r::out);
    Cli s =
        Cli.run(
            "stream",
            "--runner=DirectRunner",
            "--input=" + events,
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--numItems=30",
            "--topK=5",
            "--quiet",
            "--output=" + dir.resolve("stream-top"));
    assertEquals(Main.EXIT_OK, s.exitCode(), s::err);
    assertTrue(s.out().contains("itemsets=5 "), s::out);
    Cli.run(groupedArgs("maximal", "out-tm", "--topK=3", "--rules"))
        .assertUsageErrorContaining("--topK does not apply to --target=maximal");
    Cli.run(groupedArgs("all", "out-tr", "--topK=3", "--rules"))
        .assertUsageErrorContaining("--rules needs every frequent itemset");
  }

  @Test
  void streamTakesTheTarget() {
    Cli r =
        Cli.run(
            "stream",
            "--runner=DirectRunner",
            "--input=" + events,
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--numItems=30",
            "--minSupport=0.05",
            "--target=maximal",
            "--quiet",
            "--output=" + dir.resolve("stream"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertTrue(r.out().contains("itemsets="), r::out);
  }

  private long[] grouped(String target, String out) {
    Cli r = Cli.run(groupedArgs(target, out, "--rules"));
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    Matcher m = Pattern.compile("itemsets=(\\d+) rules=(\\d+)").matcher(r.out());
    assertTrue(m.find(), r::out);
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  private String[] groupedArgs(String target, String out, String... more) {
    return Stream.of(
            Stream.of(
                "grouped",
                "--runner=DirectRunner",
                "--input=" + events,
                "--groupCol=store_id",
                "--txnCol=transaction_id",
                "--itemCol=item",
                "--minSupport=0.05",
                "--outputFormat=csv",
                "--quiet",
                "--target=" + target,
                "--output=" + dir.resolve(out)),
            Stream.of(more),
            List.of(more).contains("--rules")
                ? Stream.of("--metric=lift", "--minThreshold=1.1")
                : Stream.empty())
        .flatMap(x -> x)
        .toArray(String[]::new);
  }

  private static List<String> ruleLines(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("rules"))) {
      for (Path f : files.toList()) {
        List<String> l = Files.readAllLines(f);
        lines.addAll(l.subList(1, l.size())); // without the header
      }
    }
    Collections.sort(lines);
    return lines;
  }

  private static List<String> sortedLines(Path f) throws IOException {
    List<String> l = new ArrayList<>(Files.readAllLines(f));
    Collections.sort(l);
    return l;
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
