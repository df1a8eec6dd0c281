package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo} on the DirectRunner (its per-element checks off: ~35k events); on embedded Spark, as
 * {@code java -jar} without arguments, in {@link BundledJarIT}.
 */
class DemoCommandTest {
  @TempDir Path dir;

  private static final Pattern STORE =
      Pattern.compile(
          "(?m)^(S\\d{3}): (\\d+) transactions, (\\d+) itemsets, (\\d+) rules; top rules"
              + " by lift \\(one per itemset\\):$");
  private static final Pattern RULE =
      Pattern.compile(
          "  [a-z_0-9+ ]+ -> [a-z_0-9+ ]+  support=0\\.\\d{4} confidence=[01]\\.\\d{3}"
              + " lift=\\d+\\.\\d{2}");

  @Test
  void generatesMinesPerStoreAndSummarises() throws IOException {
    Path out = dir.resolve("demo");
    // leftovers of an earlier demo are replaced
    Files.createDirectories(out.resolve("data"));
    Files.writeString(out.resolve("data/events.arrow"), "stale");
    Files.createDirectories(out.resolve("itemsets"));
    Files.writeString(out.resolve("itemsets/part-00000-of-00003.jsonl"), "{\"stale\":1}\n");
    Files.createDirectories(out.resolve("rules"));
    Files.writeString(out.resolve("rules/part-00002-of-00003.jsonl"), "{\"stale\":1}\n");

    Cli r =
        Cli.run(
            "demo",
            "--output=" + out,
            "--runner=DirectRunner",
            "--enforceImmutability=false",
            "--enforceEncodability=false",
            "--quiet"); // progress on stderr: PipelineProgressTest
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(
        lines
            .get(0)
            .matches(
                "Demo data: 5 stores, 8000 receipts, \\d+ events, 300 items"
                    + " \\(seed 20261124\\) -> "
                    + Pattern.quote(out + "/data/events.arrow")),
        lines.get(0));
    assertTrue(lines.get(1).startsWith("MineGroupedPipeline on DirectRunner in "), lines.get(1));

    // per store: transactions adding up to 8000, sizes very different, 3 rules each
    Matcher m = STORE.matcher(r.out());
    long transactions = 0;
    long itemsets = 0;
    long rules = 0;
    int stores = 0;
    long largest = 0;
    long smallest = Long.MAX_VALUE;
    while (m.find()) {
      stores++;
      long n = Long.parseLong(m.group(2));
      transactions += n;
      largest = Math.max(largest, n);
      smallest = Math.min(smallest, n);
      itemsets += Long.parseLong(m.group(3));
      rules += Long.parseLong(m.group(4));
    }
    assertEquals(5, stores, r::out);
    assertEquals(8000, transactions);
    assertTrue(largest > 5 * smallest, r::out);
    assertEquals(5 * 3, lines.stream().filter(l -> RULE.matcher(l).matches()).count(), r::out);

    // recommendations: a sample receipt of each of the two largest stores, with 3 items not in it,
    // each from a rule whose antecedent is in it, in rank order with scores not increasing
    Matcher receipt = Pattern.compile("(?m)^(S\\d{3}) receipt (\\d+): (.+)$").matcher(r.out());
    Pattern rec =
        Pattern.compile(
            "    ([123])\\. (\\S+)  score=([01]\\.\\d{3}) \\(rule (.+) -> (\\S+):"
                + " confidence=([01]\\.\\d{3}) lift=(\\d+\\.\\d{2})\\)");
    List<String> samples = new ArrayList<>();
    while (receipt.find()) {
      samples.add(receipt.group(1));
      List<String> basket = List.of(receipt.group(3).split(" \\+ "));
      int at = lines.indexOf(receipt.group());
      double last = 2;
      for (int i = 1; i <= 3; i++) {
        Matcher x = rec.matcher(lines.get(at + i));
        assertTrue(x.matches(), lines.get(at + i));
        assertEquals(i, Integer.parseInt(x.group(1)));
        assertFalse(basket.contains(x.group(2)), x.group());
        assertEquals(x.group(2), x.group(5));
        assertTrue(basket.containsAll(List.of(x.group(4).split(" \\+ "))), x.group());
        assertEquals(x.group(3), x.group(6), "scored by confidence");
        double score = Double.parseDouble(x.group(3));
        assertTrue(score <= last, x.group());
        last = score;
      }
    }
    assertEquals(List.of("S001", "S002"), samples, r::out);
    assertTrue(GroupedCommandTest.lines(out.resolve("recommendations")) > 1000);

    // the summary line, the files it counted, and last the report's path
    assertEquals("report=" + out.resolve("report.html"), lines.get(lines.size() - 1));
    String last = lines.get(lines.size() - 2);
    Matcher s =
        Pattern.compile(
                "runner=DirectRunner stores=5 transactions=8000 events=\\d+"
                    + " itemsets=(\\d+) rules=(\\d+) output=(\\S+) millis=\\d+")
            .matcher(last);
    assertTrue(s.matches(), last);
    assertEquals(itemsets, Long.parseLong(s.group(1)));
    assertEquals(rules, Long.parseLong(s.group(2)));
    assertEquals(out.toString(), s.group(3));
    assertEquals(itemsets, GroupedCommandTest.lines(out.resolve("itemsets")));
    assertEquals(rules, GroupedCommandTest.lines(out.resolve("rules")));
    var report = ReportCommandTest.data(out.resolve("report.html"));
    assertEquals(5, report.get("groups").size());
    assertEquals(8000, report.get("totals").get("transactions").asLong());
    assertEquals(itemsets, report.get("totals").get("itemsets").asLong());
    assertEquals(rules, report.get("totals").get("rules").asLong());
    assertEquals("demo", report.get("run").get("command").asText());
    assertFalse(Files.exists(out.resolve("itemsets/part-00000-of-00003.jsonl")));
    assertFalse(Files.exists(out.resolve("rules/part-00002-of-00003.jsonl")));
    assertTrue(Files.size(out.resolve("data/events.arrow")) > 1000);
    // every rule is a JSON object with the rule columns, lift >= 1.5
    for (String line :
        Files.readAllLines(Files.list(out.resolve("rules")).findFirst().orElseThrow())) {
      Map<String, Object> rule = MiniJson.object(line);
      assertTrue(((Number) rule.get("lift")).doubleValue() >= 1.5, line);
    }
  }

  @Test
  void foreignFilesAreKeptAndRefused() throws IOException {
    Path out = dir.resolve("demo");
    Files.createDirectories(out.resolve("rules"));
    Files.writeString(out.resolve("rules/notes.txt"), "mine");
    Cli.run("demo", "--output=" + out, "--runner=DirectRunner")
        .assertUsageErrorContaining("already holds files");
    assertEquals("mine", Files.readString(out.resolve("rules/notes.txt")));
  }

  @Test
  void miningOptionsAreNotDemoOptions() {
    Cli.run("demo", "--minSupport=0.1")
        .assertUsageError(
            "the demo does not take --minSupport (its data and settings are fixed);"
                + " use generate and grouped for your own");
    Cli.run("demo", "--output").assertUsageError("--output needs a value: --output=DIR");
    Cli.run("demo", "--output=" + dir, "--runner=Nope").assertUsageErrorContaining("Nope");
  }

  @Test
  void help() {
    Cli r = Cli.run("demo", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertTrue(r.out().contains("--output=DIR  (default: rusket-demo-output"), r::out);
    assertTrue(r.out().contains("--runner=DirectRunner"), r::out);
  }
}
