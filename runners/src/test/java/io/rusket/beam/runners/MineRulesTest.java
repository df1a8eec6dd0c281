package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.Datasets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mine --rules}: association rules through the command line, run in-process. */
class MineRulesTest {
  /** N = 3; frequent at 0.5: a:2 b:3 c:2 ab:2 bc:2; rules a->b 1, b->a 2/3, b->c 2/3, c->b 1. */
  private static final String ABC = "a b c\na b\nb c\n";

  private static final List<String> RULE_KEYS =
      List.of(
          "antecedents",
          "consequents",
          "antecedent_support",
          "consequent_support",
          "support",
          "confidence",
          "lift",
          "representativity",
          "leverage",
          "conviction",
          "zhangs_metric",
          "jaccard",
          "certainty",
          "kulczynski");

  @TempDir Path dir;

  private Path abc() throws IOException {
    return Files.writeString(dir.resolve("abc.dat"), ABC);
  }

  @Test
  void rulesAsJsonLines() throws IOException {
    Path out = dir.resolve("rules.jsonl");
    Map<String, Long> s =
        Cli.run(
                "mine",
                "--input=" + abc(),
                "--minSupport=0.5",
                "--rules",
                "--minThreshold=0.6",
                "--rulesOutput=" + out)
            .summary();
    assertEquals(
        List.of("transactions", "items", "itemsets", "millis", "rules"), List.copyOf(s.keySet()));
    assertEquals(5, s.get("itemsets"));
    assertEquals(4, s.get("rules"));
    Map<String, Map<String, Object>> byRule = new HashMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      Map<String, Object> rule = MiniJson.object(line);
      assertEquals(RULE_KEYS, List.copyOf(rule.keySet()));
      byRule.put(rule.get("antecedents") + "->" + rule.get("consequents"), rule);
    }
    assertEquals(4, byRule.size());
    Map<String, Object> ab = byRule.get("[a]->[b]");
    assertEquals(2 / 3.0, (Double) ab.get("antecedent_support"), 1e-12);
    assertEquals(1.0, (Double) ab.get("consequent_support"), 1e-12);
    assertEquals(2 / 3.0, (Double) ab.get("support"), 1e-12);
    assertEquals(1.0, (Double) ab.get("confidence"), 1e-12);
    assertTrue(ab.containsKey("conviction"));
    assertNull(ab.get("conviction"), "infinite conviction is null");
    assertEquals(2 / 3.0, (Double) byRule.get("[b]->[c]").get("confidence"), 1e-12);
    assertTrue(byRule.containsKey("[b]->[a]") && byRule.containsKey("[c]->[b]"), byRule::toString);
  }

  @Test
  void rulesAsCsv() throws IOException {
    Path out = dir.resolve("rules.csv");
    Cli.run("mine", "--input=" + abc(), "--minSupport=0.5", "--rules", "--rulesOutput=" + out)
        .summary();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(String.join(",", RULE_KEYS), lines.get(0));
    Map<String, String[]> byRule = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertEquals(RULE_KEYS.size(), f.length, line);
      byRule.put(f[0] + "->" + f[1], f);
    }
    assertEquals(
        List.of("a->b", "c->b"),
        byRule.keySet().stream().sorted().collect(Collectors.toList()),
        "default: confidence >= 0.8");
    assertEquals("inf", byRule.get("a->b")[RULE_KEYS.indexOf("conviction")]);
    assertEquals("1.0", byRule.get("a->b")[RULE_KEYS.indexOf("confidence")]);
  }

  @Test
  void withoutRulesOutputOnlyCounts() throws IOException {
    Path in = abc();
    Map<String, Long> s = Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--rules").summary();
    assertEquals(2, s.get("rules"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(in), files.collect(Collectors.toList()), "nothing written");
    }
  }

  @Test
  void itemsetsAreTheSameWithRules() throws IOException {
    Path in = abc();
    Path streamed = dir.resolve("streamed.csv");
    Path collected = dir.resolve("collected.csv");
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + streamed).summary();
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + collected, "--rules")
        .summary();
    assertEquals(Files.readString(streamed), Files.readString(collected));
  }

  /** 14 rules with lift >= 1.2 at minSupport 0.01, by a brute-force Python oracle. */
  @Test
  void bakeryRulesByLift() throws IOException {
    Path bakery = Datasets.require("bread-basket.csv");
    Path out = dir.resolve("rules.jsonl");
    Map<String, Long> s =
        Cli.run(
                "mine",
                "--input=" + bakery,
                "--txnCol=Transaction",
                "--itemCol=Item",
                "--minSupport=0.01",
                "--rules",
                "--metric=lift",
                "--minThreshold=1.2",
                "--rulesOutput=" + out)
            .summary();
    assertEquals(63, s.get("itemsets"));
    assertEquals(14, s.get("rules"));
    List<Map<String, Object>> rules = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      rules.add(MiniJson.object(line));
    }
    assertEquals(14, rules.size());
    for (Map<String, Object> r : rules) {
      double confidence = (Double) r.get("confidence");
      assertTrue((Double) r.get("lift") >= 1.2, r::toString);
      assertEquals(
          (Double) r.get("support") / (Double) r.get("antecedent_support"), confidence, 1e-12);
      assertEquals(confidence / (Double) r.get("consequent_support"), (Double) r.get("lift"), 1e-9);
    }
  }

  @Test
  void ruleOptionMistakes() throws IOException {
    String in = "--input=" + abc();
    Cli.run("mine", in, "--minSupport=0.5", "--metric=lift")
        .assertUsageError("--metric needs --rules");
    Cli.run("mine", in, "--minSupport=0.5", "--minThreshold=1")
        .assertUsageError("--minThreshold needs --rules");
    Cli.run("mine", in, "--minSupport=0.5", "--rules=false", "--rulesOutput=r.jsonl")
        .assertUsageError("--rulesOutput needs --rules");
    Cli.run("mine", in, "--minSupport=0.5", "--rules=maybe")
        .assertUsageError("Invalid --rules: maybe. It is a flag: --rules or --rules=true|false.");
    Cli.run("mine", in, "--minSupport=0.5", "--rules", "--minThreshold=high")
        .assertUsageError("Invalid --minThreshold: high (expected a number)");
    Cli.run("mine", in, "--minSupport=0.5", "--rules", "--metric=wow")
        .assertUsageErrorContaining("wow");
    Cli.run("mine", in, "--minSupport=0.5", "--rules", "--rulesOutput=rules.txt")
        .assertUsageError(
            "cannot tell the format of --rulesOutput=rules.txt from its extension: name it"
                + " .jsonl, .json or .csv");
    Path same = dir.resolve("same.jsonl");
    Cli.run(
            "mine",
            in,
            "--minSupport=0.5",
            "--rules",
            "--output=" + same,
            "--rulesOutput=" + dir.resolve(".").resolve("same.jsonl"))
        .assertUsageError("--output and --rulesOutput are the same file: " + same);
  }
}
