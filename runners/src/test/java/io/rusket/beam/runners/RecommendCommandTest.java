package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.BruteForceRecommend;
import io.rusket.beam.testing.BruteForceRecommend.Rec;
import io.rusket.beam.testing.BruteForceRecommend.Rule;
import io.rusket.beam.testing.Datasets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recommend} and {@code grouped --recommend} in-process on the DirectRunner, on the bakery
 * log by weekday: rules mined from Monday's baskets recommend for Tuesday's. The output is checked
 * for sanity (items not in the basket, rule antecedents in it, ranks and scores in order) and
 * against the brute-force recommender run on the rules read back; the rules read back from JSON
 * lines and from CSV give the same recommendations as those just mined; bad options and files are
 * one-line errors.
 */
class RecommendCommandTest {
  @TempDir static Path data;
  @TempDir Path dir;

  private static Path monday;
  private static Path tuesday;

  /** Tuesday's baskets: transaction → items. */
  private static final Map<String, Set<String>> TUESDAY = new LinkedHashMap<>();

  @BeforeAll
  static void splitByWeekday() throws IOException {
    List<String> lines =
        Files.readAllLines(Datasets.require("bread-basket.csv"), StandardCharsets.UTF_8);
    StringBuilder mon = new StringBuilder("shop,Transaction,Item\n");
    StringBuilder tue = new StringBuilder("shop,Transaction,Item\n");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1); // Date,Time,Transaction,Item (no quoted commas)
      // one row's date starts with a NUL byte (the file's own): the date is the digits after it
      DayOfWeek d = LocalDate.parse(f[0].replaceAll("^\\p{Cntrl}+", "")).getDayOfWeek();
      String row = "bakery," + f[2] + "," + f[3] + "\n";
      if (d == DayOfWeek.MONDAY) {
        mon.append(row);
      } else if (d == DayOfWeek.TUESDAY) {
        tue.append(row);
        TUESDAY.computeIfAbsent(f[2], t -> new LinkedHashSet<>()).add(f[3]);
      }
    }
    monday = Files.writeString(data.resolve("monday.csv"), mon);
    tuesday = Files.writeString(data.resolve("tuesday.csv"), tue);
  }

  private static final Pattern GROUPED =
      Pattern.compile(
          "runner=DirectRunner groups=1 transactions=(\\d+) itemsets=(\\d+) rules=(\\d+)"
              + " recommendations=(\\d+) output=\\S+ millis=\\d+\\s*");
  private static final Pattern RECOMMEND =
      Pattern.compile(
          "runner=DirectRunner baskets=(\\d+) recommendations=(\\d+) output=\\S+ millis=\\d+\\s*");

  private Cli grouped(Path out, String format, String... more) {
    return Cli.run(
        Stream.concat(
                Stream.of(
                    "grouped",
                    "--runner=DirectRunner",
                    "--quiet",
                    "--input=" + monday,
                    "--groupCol=shop",
                    "--txnCol=Transaction",
                    "--itemCol=Item",
                    "--minSupport=0.005",
                    "--rules",
                    "--minThreshold=0.1",
                    "--outputFormat=" + format,
                    "--output=" + out),
                Stream.of(more))
            .toArray(String[]::new));
  }

  private Cli recommend(Path rules, Path out, String format, String... more) {
    return Cli.run(
        Stream.concat(
                Stream.of(
                    "recommend",
                    "--runner=DirectRunner",
                    "--quiet",
                    "--rules=" + rules,
                    "--baskets=" + tuesday,
                    "--groupCol=shop",
                    "--basketCol=Transaction",
                    "--itemCol=Item",
                    "--outputFormat=" + format,
                    "--output=" + out),
                Stream.of(more))
            .toArray(String[]::new));
  }

  /** The lines of every part file of {@code dir}. */
  private static List<String> lines(Path dir) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
        all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  private static List<Rule> rules(Path dir) throws IOException {
    List<Rule> rules = new ArrayList<>();
    for (String line : lines(dir)) {
      Map<String, Object> o = MiniJson.object(line);
      rules.add(
          new Rule(
              (List<String>) o.get("antecedents"),
              (List<String>) o.get("consequents"),
              num(o.get("confidence")),
              num(o.get("lift")),
              num(o.get("support")),
              num(o.get("confidence"))));
    }
    return rules;
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  /**
   * Recommendations as JSON lines → "basket|rank|item|score|antecedents|confidence|lift", sorted.
   */
  @SuppressWarnings("unchecked")
  private static List<String> recs(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : lines(dir)) {
      Map<String, Object> o = MiniJson.object(line);
      assertEquals("bakery", o.get("shop"));
      out.add(
          ResultLines.join(
              o.get("Transaction"),
              num(o.get("rank")),
              o.get("item"),
              num(o.get("score")),
              o.get("antecedents"),
              num(o.get("confidence")),
              num(o.get("lift"))));
    }
    out.sort(null);
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void mondaysRulesRecommendForTuesdaysBaskets() throws IOException {
    Path mined = dir.resolve("mined");
    Cli g = grouped(mined, "jsonl", "--recommend=" + tuesday, "--k=3");
    assertEquals(Main.EXIT_OK, g.exitCode(), g::err);
    Matcher m = GROUPED.matcher(g.out());
    assertTrue(m.matches(), g::out);
    long nRules = Long.parseLong(m.group(3));
    long nRecs = Long.parseLong(m.group(4));
    assertTrue(nRules > 20, "rules: " + nRules);

    // Sanity of every row, and brute force on the rules read back
    List<Rule> rules = rules(mined.resolve("rules"));
    assertEquals(nRules, rules.size());
    Map<String, List<Map<String, Object>>> byBasket = new TreeMap<>();
    for (String line : lines(mined.resolve(RecommendCommand.RECOMMENDATIONS_DIR))) {
      Map<String, Object> o = MiniJson.object(line);
      byBasket.computeIfAbsent((String) o.get("Transaction"), t -> new ArrayList<>()).add(o);
    }
    long rows = 0;
    int withRecs = 0;
    for (Map.Entry<String, Set<String>> b : TUESDAY.entrySet()) {
      List<Map<String, Object>> got = new ArrayList<>(byBasket.getOrDefault(b.getKey(), List.of()));
      got.sort((x, y) -> Double.compare(num(x.get("rank")), num(y.get("rank"))));
      List<Rec> want = BruteForceRecommend.recommend(rules, b.getValue(), 3);
      assertEquals(want.size(), got.size(), "basket " + b.getKey());
      double last = Double.POSITIVE_INFINITY;
      for (int i = 0; i < got.size(); i++) {
        Map<String, Object> o = got.get(i);
        String item = (String) o.get("item");
        assertEquals(i + 1, (int) num(o.get("rank")));
        assertTrue(!b.getValue().contains(item), "recommended an item of the basket: " + item);
        assertTrue(b.getValue().containsAll((List<String>) o.get("antecedents")), o::toString);
        assertTrue(num(o.get("confidence")) >= 0.1, o::toString);
        assertTrue(num(o.get("score")) <= last, "scores descend");
        last = num(o.get("score"));
        assertEquals(want.get(i).item(), item, "basket " + b.getKey());
        assertEquals(want.get(i).rule().score(), num(o.get("score")));
      }
      rows += got.size();
      withRecs += got.isEmpty() ? 0 : 1;
    }
    assertEquals(nRecs, rows);
    assertTrue(withRecs > TUESDAY.size() / 2, withRecs + " of " + TUESDAY.size() + " baskets");

    // recommend from the rules read back: JSON lines and CSV give the rows grouped gave
    Path fromJson = dir.resolve("from-json");
    Cli r = recommend(mined.resolve("rules"), fromJson, "jsonl", "--k=3");
    Matcher rm = RECOMMEND.matcher(r.out());
    assertTrue(rm.matches(), () -> r.out() + r.err());
    assertEquals(TUESDAY.size(), Long.parseLong(rm.group(1)));
    assertEquals(nRecs, Long.parseLong(rm.group(2)));
    List<String> expected = recs(mined.resolve(RecommendCommand.RECOMMENDATIONS_DIR));
    assertEquals(expected, recs(fromJson));

    Path csvRules = dir.resolve("csv-mined");
    assertEquals(Main.EXIT_OK, grouped(csvRules, "csv").exitCode());
    Path fromCsv = dir.resolve("from-csv");
    Cli c = recommend(csvRules.resolve("rules"), fromCsv, "jsonl", "--k=3");
    assertEquals(Main.EXIT_OK, c.exitCode(), c::err);
    assertEquals(expected, recs(fromCsv));
  }

  @Test
  void badOptionsAndFilesAreOneLineErrors() throws IOException {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Path out = dir.resolve("out");
    recommend(rules, out, "jsonl", "--k=0")
        .assertUsageError("Invalid --k: 0. It is a positive integer or 'all'.");
    recommend(rules, out, "jsonl", "--score=lifty").assertUsageErrorContaining("lifty");
    recommend(rules, out, "jsonl")
        .assertUsageErrorContaining(
            "holds no rule files (part-*.parquet, part-*.jsonl or part-*.csv)");
    Files.writeString(
        rules.resolve("part-00000-of-00001.jsonl"),
        "{\"shop\":\"bakery\",\"antecedents\":[\"a\"]}\n");
    Cli bad = recommend(rules, out, "jsonl");
    bad.assertUsageErrorContaining(
        "part-00000-of-00001.jsonl, line 1, field 'consequents': the field is missing");
    Cli.run(
            "recommend",
            "--runner=DirectRunner",
            "--rules=" + rules,
            "--baskets=" + tuesday,
            "--basketCol=Transaction",
            "--itemCol=sku",
            "--output=" + out)
        .assertUsageErrorContaining("sku");
    Cli.run(
            "grouped",
            "--runner=DirectRunner",
            "--input=" + monday,
            "--groupCol=shop",
            "--txnCol=Transaction",
            "--itemCol=Item",
            "--k=3",
            "--output=" + out)
        .assertUsageError("--k applies only with --recommend=FILE");
    Cli.run(
            "grouped",
            "--runner=DirectRunner",
            "--input=" + monday,
            "--groupCol=shop",
            "--txnCol=Transaction",
            "--itemCol=Item",
            "--recommend=" + tuesday,
            "--output=" + out)
        .assertUsageErrorContaining("--recommend needs --rules");
  }

  @Test
  void helpListsEveryOption() {
    Cli r = Cli.run("recommend", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertEquals(
        OptionsHelp.optionNames(RecommendOptions.class), new HashSet<>(RecommendCommand.OPTIONS));
    for (String o : RecommendCommand.OPTIONS.subList(1, RecommendCommand.OPTIONS.size())) {
      assertTrue(r.out().contains("  --" + o), () -> o + " in\n" + r.out());
    }
    assertTrue(Cli.run("--help").out().contains("recommend"));
  }
}
