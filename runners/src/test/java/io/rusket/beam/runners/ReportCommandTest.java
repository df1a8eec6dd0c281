package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} and {@code --report}: the page's data block, parsed back, equals the results it
 * was built from (read here independently from the JSON-lines shards), for results written as JSON
 * lines, Parquet and CSV; the summary lines stay as they were; errors. The page in a browser:
 * {@link ReportBrowserTest}.
 */
class ReportCommandTest {
  @TempDir static Path data;
  @TempDir static Path results;
  @TempDir Path dir;

  private static Path events;

  /** A grouped run with --report, JSON lines (the reference results of most tests). */
  private static Path jsonl;

  private static Cli jsonlRun;

  /** 4 stores, 1,200 receipts, 40 items: DirectRunner runs of a few seconds. */
  @BeforeAll
  static void generate() throws IOException {
    GenerateData.write(
        GenerateData.generate(
            Config.of(3)
                .withStores(4)
                .withTransactions(1200)
                .withItems(40)
                .withItemNameColumn(true)),
        data,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
    events = data.resolve("events.parquet");
    jsonl = results.resolve("jsonl");
    jsonlRun = Cli.run(grouped(jsonl, "jsonl", "--report"));
  }

  static String[] grouped(Path out, String format, String... more) {
    return Stream.concat(
            Stream.of(
                "grouped",
                "--runner=DirectRunner",
                "--input=" + events,
                "--groupCol=store_id",
                "--txnCol=transaction_id",
                "--itemCol=item",
                "--minSupport=0.03",
                "--rules",
                "--metric=lift",
                "--minThreshold=1.0",
                "--outputFormat=" + format,
                "--output=" + out,
                "--quiet"),
            Stream.of(more))
        .toArray(String[]::new);
  }

  /** The page's data block, cut out of the HTML and parsed (independently of the report code). */
  static JsonNode data(Path page) throws IOException {
    String html = Files.readString(page, StandardCharsets.UTF_8);
    String open = "<script type=\"application/json\" id=\"report-data\">";
    int start = html.indexOf(open);
    assertTrue(start > 0, "no data block in " + page);
    int end = html.indexOf("</script>", start);
    return new ObjectMapper().readTree(html.substring(start + open.length(), end));
  }

  /** Every row of the JSON-lines shards of {@code dir}. */
  static List<JsonNode> rows(Path dir) throws IOException {
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          rows.add(m.readTree(line));
        }
      }
    }
    return rows;
  }

  /** A rule as the data block holds it, with item names: "a + b -> c S C L". */
  private static String rule(JsonNode items, JsonNode r) {
    return side(items, r.get(0))
        + " -> "
        + side(items, r.get(1))
        + " "
        + r.get(2).asDouble()
        + " "
        + r.get(3).asDouble()
        + " "
        + r.get(4).asDouble();
  }

  private static String side(JsonNode items, JsonNode ids) {
    List<String> s = new ArrayList<>();
    ids.forEach(i -> s.add(items.get(i.asInt()).asText()));
    return String.join(" + ", s);
  }

  private record ExpectedRule(String text, double support, double confidence, double lift) {
    String line() {
      return text + " " + support + " " + confidence + " " + lift;
    }
  }

  /** Per group: transactions, itemsets, lengths, rules (strongest first), single items by count. */
  private static final class Expected {
    long transactions = -1;
    long itemsets;
    List<Long> lengths = new ArrayList<>();
    List<ExpectedRule> rules = new ArrayList<>();
    List<JsonNode> singles = new ArrayList<>();
  }

  private static String joined(JsonNode array) {
    List<String> s = new ArrayList<>();
    array.forEach(e -> s.add(e.asText()));
    return String.join(" + ", s);
  }

  /** The expected content of the data block, computed from the result files. */
  private static Map<String, Expected> expected(Path out) throws IOException {
    Map<String, Expected> groups = new TreeMap<>();
    for (JsonNode r : rows(out.resolve("itemsets"))) {
      Expected e = groups.computeIfAbsent(r.get("store_id").asText(), k -> new Expected());
      e.transactions = r.get("transactions").asLong();
      e.itemsets++;
      int len = r.get("itemsets").size();
      while (e.lengths.size() <= len) {
        e.lengths.add(0L);
      }
      e.lengths.set(len, e.lengths.get(len) + 1);
      if (len == 1) {
        e.singles.add(r);
      }
    }
    for (JsonNode r : rows(out.resolve("rules"))) {
      groups
          .computeIfAbsent(r.get("store_id").asText(), k -> new Expected())
          .rules
          .add(
              new ExpectedRule(
                  joined(r.get("antecedents")) + " -> " + joined(r.get("consequents")),
                  r.get("support").asDouble(),
                  r.get("confidence").asDouble(),
                  r.get("lift").asDouble()));
    }
    for (Expected e : groups.values()) {
      e.rules.sort(
          Comparator.comparingDouble(ExpectedRule::lift)
              .thenComparingDouble(ExpectedRule::confidence)
              .thenComparingDouble(ExpectedRule::support)
              .reversed()
              .thenComparing(ExpectedRule::text));
      e.singles.sort(
          Comparator.comparingLong((JsonNode n) -> n.get("count").asLong())
              .reversed()
              .thenComparing(n -> n.get("itemsets").get(0).asText()));
    }
    return groups;
  }

  /** Asserts that {@code d} holds exactly the results of {@code out}, top rules and items cut. */
  private static void assertDataEquals(Path out, JsonNode d, int topRules, int topItems)
      throws IOException {
    Map<String, Expected> expected = expected(out);
    assertEquals(1, d.get("version").asInt());
    assertEquals("store_id", d.get("groupCol").asText());
    JsonNode items = d.get("items");
    List<String> keys = new ArrayList<>();
    d.get("groups").forEach(g -> keys.add(g.get("key").asText()));
    assertEquals(new ArrayList<>(expected.keySet()), keys, "the groups, by key");
    long transactions = 0;
    long itemsets = 0;
    long rules = 0;
    for (JsonNode g : d.get("groups")) {
      String key = g.get("key").asText();
      Expected e = expected.get(key);
      assertEquals(e.transactions, g.get("transactions").asLong(), key);
      assertEquals(e.itemsets, g.get("itemsets").asLong(), key);
      assertEquals(e.rules.size(), g.get("rules").asLong(), key);
      List<Long> lengths = new ArrayList<>();
      g.get("lengths").forEach(n -> lengths.add(n.asLong()));
      assertEquals(e.lengths, lengths, key);
      List<String> shownRules = new ArrayList<>();
      g.get("topRules").forEach(r -> shownRules.add(rule(items, r)));
      List<String> wantRules = e.rules.stream().limit(topRules).map(ExpectedRule::line).toList();
      assertEquals(wantRules, shownRules, key);
      assertEquals(e.rules.size() - wantRules.size(), g.get("rulesNotShown").asLong(), key);
      List<String> shownItems = new ArrayList<>();
      g.get("topItems")
          .forEach(t -> shownItems.add(items.get(t.get(0).asInt()).asText() + "=" + t.get(1)));
      List<String> wantItems =
          e.singles.stream()
              .limit(topItems)
              .map(n -> n.get("itemsets").get(0).asText() + "=" + n.get("count").asLong())
              .toList();
      assertEquals(wantItems, shownItems, key);
      assertEquals(e.singles.size() - wantItems.size(), g.get("itemsNotShown").asLong(), key);
      transactions += e.transactions;
      itemsets += e.itemsets;
      rules += e.rules.size();
    }
    JsonNode t = d.get("totals");
    assertEquals(expected.size(), t.get("groups").asLong());
    assertEquals(transactions, t.get("transactions").asLong());
    assertEquals(itemsets, t.get("itemsets").asLong());
    assertEquals(rules, t.get("rules").asLong());
  }

  @Test
  void groupedWithReportKeepsItsSummaryLineAndPrintsThePathAfterIt() throws IOException {
    assertEquals(Main.EXIT_OK, jsonlRun.exitCode(), jsonlRun::err);
    assertEquals("", jsonlRun.err());
    List<String> lines = jsonlRun.out().lines().toList();
    assertEquals(2, lines.size(), jsonlRun::out);
    Matcher m =
        Pattern.compile(
                "runner=DirectRunner groups=4 transactions=1200 itemsets=(\\d+) rules=(\\d+)"
                    + " output=(.+) millis=(\\d+)")
            .matcher(lines.get(0));
    assertTrue(m.matches(), lines.get(0));
    assertEquals("report=" + jsonl.resolve("report.html"), lines.get(1));

    JsonNode d = data(jsonl.resolve("report.html"));
    assertDataEquals(jsonl, d, 200, 15);
    assertEquals(Long.parseLong(m.group(1)), d.get("totals").get("itemsets").asLong());
    assertEquals(Long.parseLong(m.group(2)), d.get("totals").get("rules").asLong());
    assertTrue(d.get("totals").get("rules").asLong() > 20, "enough rules to test with");
    // the run, as run-info.json recorded it
    JsonNode run = d.get("run");
    assertEquals("grouped", run.get("command").asText());
    assertEquals("DirectRunner", run.get("runner").asText());
    assertEquals(events.toString(), run.get("input").asText());
    assertEquals("store_id", run.get("groupCol").asText());
    assertEquals(0.03, run.get("minSupport").asDouble());
    assertEquals("lift", run.get("metric").asText());
    assertEquals(1.0, run.get("minThreshold").asDouble());
    assertEquals(4, run.get("groups").asLong());
    assertEquals(1200, run.get("transactions").asLong());
    assertEquals(Long.parseLong(m.group(4)), run.get("millis").asLong());
    assertTrue(Files.isRegularFile(jsonl.resolve("run-info.json")));
  }

  @Test
  void theReportOfParquetAndCsvResultsHoldsTheSameData() throws IOException {
    JsonNode want = data(jsonl.resolve("report.html"));
    for (String format : List.of("parquet", "csv")) {
      Path out = dir.resolve(format);
      Cli g = Cli.run(grouped(out, format));
      assertEquals(Main.EXIT_OK, g.exitCode(), g::err);
      assertEquals(1, g.out().lines().count(), g::out); // no --report: no path
      assertFalse(Files.exists(out.resolve("report.html")));
      Path page = dir.resolve(format + ".html");
      Cli r = Cli.run("report", "--input=" + out, "--output=" + page);
      assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
      assertTrue(
          r.out()
              .matches(
                  "groups=4 itemsets="
                      + want.get("totals").get("itemsets")
                      + " rules="
                      + want.get("totals").get("rules")
                      + " report="
                      + Pattern.quote(page.toString())
                      + " millis=\\d+\\R"),
          r::out);
      JsonNode got = data(page);
      assertEquals(0, got.get("run").size(), "no run-info.json without --report");
      assertTrue(got.get("source").get("itemsets").asText().startsWith(format), format);
      for (String field : List.of("groups", "items", "totals", "groupCol", "limits")) {
        assertEquals(want.get(field), got.get(field), format + ": " + field);
      }
    }
  }

  @Test
  void topRulesAndItemsKeepTheStrongestAndCountTheRest() throws IOException {
    Path page = dir.resolve("top.html");
    Cli r =
        Cli.run("report", "--input=" + jsonl, "--output=" + page, "--topRules=3", "--topItems=2");
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    JsonNode d = data(page);
    assertDataEquals(jsonl, d, 3, 2);
    assertEquals(3, d.get("limits").get("topRules").asInt());
    long notShown = 0;
    for (JsonNode g : d.get("groups")) {
      notShown += g.get("rulesNotShown").asLong();
    }
    assertTrue(notShown > 0, "some rules cut");
  }

  @Test
  void theDataBlockCannotEndTheScriptEarly() throws IOException {
    // an item named like a closing tag, in a hand-written result
    Path out = dir.resolve("odd");
    Files.createDirectories(out.resolve("itemsets"));
    Files.writeString(
        out.resolve("itemsets/part-00000-of-00001.jsonl"),
        "{\"g\":\"x\",\"support\":0.5,\"itemsets\":[\"</script><b>\"],\"count\":1,"
            + "\"transactions\":2}\n");
    Cli r = Cli.run("report", "--input=" + out);
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    String html = Files.readString(out.resolve("report.html"));
    assertFalse(html.contains("</script><b>"), "escaped");
    JsonNode d = data(out.resolve("report.html"));
    assertEquals("</script><b>", d.get("items").get(0).asText());
    assertEquals("g", d.get("groupCol").asText());
    assertEquals(2, d.get("groups").get(0).get("transactions").asLong());
    // self-contained: no script or style from elsewhere, no address but the SVG namespace
    assertTrue(html.contains("<script>") && !html.contains("src=") && !html.contains("<link"));
    assertFalse(
        Pattern.compile("(https?|ftp)://(?!www\\.w3\\.org/2000/svg)").matcher(html).find(),
        "an address in the page");
  }

  @Test
  void streamWithReportHasOneGroupAndItsItemsetsByLength() throws IOException {
    GenerateData.write(
        GenerateData.generate(Config.of(5).withStores(2).withTransactions(500).withItems(30)),
        dir.resolve("in"),
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
    Path out = dir.resolve("stream");
    Cli r =
        Cli.run(
            "stream",
            "--runner=DirectRunner",
            "--input=" + dir.resolve("in/events.parquet"),
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--numItems=30",
            "--minSupport=0.05",
            "--rules",
            "--output=" + out,
            "--outputFormat=jsonl",
            "--report",
            "--quiet");
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("runner=DirectRunner transactions=500 itemsets="), r::out);
    assertEquals("report=" + out.resolve("report.html"), lines.get(1));
    JsonNode d = data(out.resolve("report.html"));
    assertTrue(d.get("groupCol").isNull());
    assertEquals(1, d.get("groups").size());
    JsonNode g = d.get("groups").get(0);
    assertEquals(500, g.get("transactions").asLong());
    long[] lengths = new long[g.get("lengths").size()];
    for (JsonNode row : rows(out.resolve("itemsets"))) {
      lengths[row.get("itemsets").size()]++;
    }
    List<Long> want = new ArrayList<>();
    for (long n : lengths) {
      want.add(n);
    }
    List<Long> got = new ArrayList<>();
    g.get("lengths").forEach(n -> got.add(n.asLong()));
    assertEquals(want, got);
    assertEquals(rows(out.resolve("rules")).size(), g.get("rules").asLong());
    assertEquals("stream", d.get("run").get("command").asText());
    assertEquals(30, d.get("run").get("numItems").asInt());
  }

  @Test
  void errorsAreOneLineNamingTheProblem() throws IOException {
    Cli.run("report").assertUsageErrorContaining("--input");
    Cli.run("report", "--input=" + dir)
        .assertUsageErrorContaining("holds no results: no part-*.parquet");
    Cli.run("report", "--input=" + jsonl, "--topRules=0")
        .assertUsageError("Invalid --topRules: 0. It must be at least 1.");
    Cli.run("report", "--input=" + jsonl, "--top=3").assertUsageErrorContaining("--top");
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad.resolve("rules"));
    Files.writeString(bad.resolve("rules/part-00000-of-00001.jsonl"), "{\"antecedents\":1}\n");
    Cli.run("report", "--input=" + bad)
        .assertUsageErrorContaining("part-00000-of-00001.jsonl line 1: not a result file");
    Cli.run(grouped(dir.resolve("x"), "jsonl", "--report=maybe"))
        .assertUsageError(
            "Invalid --report: maybe. It is a flag: --report or --report=true|false.");
  }

  @Test
  void helpNamesTheOptionsAndGroupedAndStreamDocumentTheFlag() {
    Cli r = Cli.run("report", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    for (String o : List.of("--input=DIR", "--output=FILE", "--topRules=N", "--topItems=N")) {
      assertTrue(r.out().contains("  " + o + " "), () -> o + " in " + r.out());
    }
    for (String command : List.of("grouped", "stream")) {
      assertTrue(Cli.run(command, "--help").out().contains("  --report  "), command);
    }
  }
}
