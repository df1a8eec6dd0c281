package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a browser: a {@code grouped --report} page opened from disk in Debian's headless
 * Chromium ({@link HeadlessChromium}, skipped with a message when {@code /usr/bin/chromium} is
 * absent; {@code .ci/run} installs it). It loads with no console error or uncaught exception and
 * requests nothing but itself; every group has its section and its four plots, the scatter a point
 * per rule shown; a click on a column header sorts the rows; the filter keeps the rules of an item;
 * hovering a point shows its rule. A screenshot is left in {@code
 * target/report-browser/report.png}.
 */
class ReportBrowserTest {
  @TempDir Path dir;

  private static List<String> strings(JsonNode array) {
    List<String> s = new ArrayList<>();
    array.forEach(e -> s.add(e.asText()));
    return s;
  }

  @Test
  void theReportRendersSortsFiltersAndShowsRulesOnHover() throws Exception {
    assumeTrue(
        HeadlessChromium.installed(),
        "skipped: "
            + HeadlessChromium.CHROMIUM
            + " is absent (Debian: apt-get install chromium; .ci/run installs it)");
    GenerateData.write(
        GenerateData.generate(
            Config.of(9)
                .withStores(6)
                .withTransactions(1500)
                .withItems(40)
                .withItemNameColumn(true)),
        dir,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
    Path out = dir.resolve("out");
    Cli r =
        Cli.run(
            "grouped",
            "--runner=DirectRunner",
            "--input=" + dir.resolve("events.parquet"),
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item",
            "--minSupport=0.03",
            "--rules",
            "--metric=lift",
            "--minThreshold=1.0",
            "--outputFormat=jsonl",
            "--output=" + out,
            "--report",
            "--quiet");
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    Path page = out.resolve("report.html");
    JsonNode data = ReportCommandTest.data(page);
    List<String> keys = new ArrayList<>();
    data.get("groups").forEach(g -> keys.add(g.get("key").asText()));
    assertEquals(6, keys.size());

    try (HeadlessChromium chromium = new HeadlessChromium(1280, 1000)) {
      chromium.open(page);
      assertEquals(
          "true", chromium.eval("document.getElementById('report').dataset.ready").asText());

      // every group's section, with its four plots; a point per rule shown
      assertEquals(
          keys,
          strings(
              chromium.eval(
                  "Array.from(document.querySelectorAll('section.group')).map(s => s.dataset.group)")));
      JsonNode plots =
          chromium.eval(
              "Array.from(document.querySelectorAll('section.group')).map(s => ["
                  + " s.querySelectorAll('svg.plot').length,"
                  + " s.querySelectorAll('svg.scatter-plot circle').length,"
                  + " s.querySelectorAll('svg.graph-plot line.edge').length > 0,"
                  + " s.querySelectorAll('svg.items-plot rect.bar').length,"
                  + " s.querySelectorAll('svg.lengths-plot rect.bar').length])");
      for (int i = 0; i < keys.size(); i++) {
        JsonNode g = data.get("groups").get(i);
        JsonNode p = plots.get(i);
        String key = keys.get(i);
        assertEquals(4, p.get(0).asInt(), key);
        assertEquals(g.get("topRules").size(), p.get(1).asInt(), key);
        assertEquals(g.get("topRules").size() > 0, p.get(2).asBoolean(), key);
        assertEquals(g.get("topItems").size(), p.get(3).asInt(), key);
        assertTrue(p.get(4).asInt() >= 1, key);
      }

      // the groups table: a click on "transactions" sorts descending, another ascending
      String groupRows =
          "Array.from(document.querySelectorAll('#groups-table tbody tr'))"
              + ".map(r => r.cells[0].textContent)";
      List<String> before = strings(chromium.eval(groupRows));
      assertEquals(keys, before);
      List<JsonNode> byTransactions = new ArrayList<>();
      data.get("groups").forEach(byTransactions::add);
      byTransactions.sort(
          Comparator.comparingLong((JsonNode g) -> g.get("transactions").asLong()).reversed());
      List<String> descending = new ArrayList<>();
      byTransactions.forEach(g -> descending.add(g.get("key").asText()));
      chromium.click("#groups-table th:nth-child(2)");
      assertEquals(descending, strings(chromium.eval(groupRows)));
      chromium.click("#groups-table th:nth-child(2)");
      List<String> ascending = strings(chromium.eval(groupRows));
      List<String> reversed = new ArrayList<>(descending);
      java.util.Collections.reverse(reversed);
      assertEquals(reversed, ascending);
      assertNotEquals(before, ascending, "sorting changed the order");

      // the largest group's rules: strongest first, then by support on a click
      int largest = keys.indexOf(descending.get(0));
      String table = "#group-" + largest + " .rules-table";
      String supports =
          "Array.from(document.querySelectorAll('"
              + table
              + " tbody tr')).map(r => r.cells[2].textContent)";
      List<String> bySupportBefore = strings(chromium.eval(supports));
      chromium.click(table + " th:nth-child(3)");
      List<String> bySupport = strings(chromium.eval(supports));
      assertNotEquals(bySupportBefore, bySupport, "sorting by support changed the order");
      for (int i = 1; i < bySupport.size(); i++) {
        assertTrue(
            Double.parseDouble(bySupport.get(i - 1)) >= Double.parseDouble(bySupport.get(i)),
            bySupport::toString);
      }

      // the filter keeps the rules that hold an item
      JsonNode strongest = data.get("groups").get(largest).get("topRules").get(0);
      String item = data.get("items").get(strongest.get(1).get(0).asInt()).asText();
      JsonNode filtered =
          chromium.eval(
              "(function(){var f=document.querySelector('#group-"
                  + largest
                  + " input.filter');f.value='"
                  + item
                  + "';f.dispatchEvent(new Event('input'));return Array.from("
                  + "document.querySelectorAll('"
                  + table
                  + " tbody tr')).map(r => r.cells[0].textContent + ' | ' + r.cells[1].textContent);})()");
      assertTrue(filtered.size() > 0);
      filtered.forEach(row -> assertTrue(row.asText().contains(item), row::asText));

      // hovering the strongest rule's point (drawn last, on top) shows the rule
      chromium.hover("#group-" + largest + " svg.scatter-plot circle:last-of-type");
      assertEquals("block", chromium.eval("document.getElementById('tip').style.display").asText());
      String tip = chromium.eval("document.getElementById('tip').textContent").asText();
      assertTrue(tip.contains(" → " + item) && tip.contains("lift "), tip);

      chromium.eval("window.scrollTo(0, 0)");
      byte[] png = chromium.screenshot();
      assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
      Path shot =
          Files.createDirectories(Path.of("target", "report-browser")).resolve("report.png");
      Files.write(shot, png);

      assertEquals(List.of(), chromium.errors, "console errors and exceptions");
      List<String> requests = new ArrayList<>(chromium.requests);
      assertTrue(
          requests.stream().allMatch(u -> u.equals(page.toUri().toString())),
          () -> "the page requested only itself: " + requests);
    }
  }
}
