package io.rusket.beam.runners.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes the HTML report of a result directory: the {@code itemsets/} and {@code rules/} shards a
 * {@code grouped} or {@code stream} run wrote (Parquet, JSON lines or CSV; any Beam file system
 * registered: local, hdfs://, s3://, gs://) and its {@value RunInfo#FILE} if there is one, into one
 * self-contained page: the run's summary, a sortable table of the groups, and per group a
 * support–confidence scatter of its strongest rules coloured by lift, its itemsets by length, its
 * most frequent items, a sortable and filterable table of its strongest rules and a graph of the
 * strongest (items as nodes, rules as edges). Per group at most {@code topRules} rules and {@code
 * topItems} items are kept, and the page says how many are not shown, so it stays small and quick
 * with hundreds of groups and millions of rules; reading is one pass over the files.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * Report.Written w = Report.write("out", "out/report.html", Report.DEFAULT_TOP_RULES,
 *     Report.DEFAULT_TOP_ITEMS);
 * System.out.println(w.groups() + " groups, " + w.rules() + " rules -> " + w.file());
 * }</pre>
 *
 * <p>Memory: the kept rules and items of every group, not the result's size.
 */
public final class Report {
  private Report() {}

  /** The report's file name beside the results ({@code --report}). */
  public static final String FILE = "report.html";

  /** Rules kept per group, strongest first. */
  public static final int DEFAULT_TOP_RULES = 200;

  /** Items kept per group, most frequent first. */
  public static final int DEFAULT_TOP_ITEMS = 15;

  /** What was written: the file and the result's totals. */
  public record Written(String file, long groups, long itemsets, long rules) {}

  /** {@code <dir>/report.html}, on dir's file system. */
  public static String besides(String dir) {
    return FileSystems.matchNewResource(dir, true)
        .resolve(FILE, StandardResolveOptions.RESOLVE_FILE)
        .toString();
  }

  /**
   * Reads result directory {@code dir} and writes its report to {@code file} (replaced).
   *
   * @throws IllegalArgumentException if {@code dir} holds no itemsets or rules, or a file is not
   *     what a job writes (naming the file, line or row and column)
   * @throws IOException if a file cannot be read or the report written
   */
  public static Written write(String dir, String file, int topRules, int topItems)
      throws IOException {
    ObjectNode data = data(dir, topRules, topItems);
    String page = HtmlPage.of(data, "rusket-beam report: " + dir);
    ResourceId out = FileSystems.matchNewResource(file, false);
    try (OutputStream o = Channels.newOutputStream(FileSystems.create(out, MimeTypes.TEXT))) {
      o.write(page.getBytes(StandardCharsets.UTF_8));
    }
    var totals = data.get("totals");
    return new Written(
        out.toString(),
        totals.get("groups").asLong(),
        totals.get("itemsets").asLong(),
        totals.get("rules").asLong());
  }

  /** The page's data block for result directory {@code dir} ({@link ReportData#toJson}). */
  static ObjectNode data(String dir, int topRules, int topItems) throws IOException {
    ResourceId root = FileSystems.matchNewResource(dir, true);
    String itemsetsDir = root.resolve("itemsets", StandardResolveOptions.RESOLVE_DIRECTORY) + "";
    String rulesDir = root.resolve("rules", StandardResolveOptions.RESOLVE_DIRECTORY) + "";
    ResultFiles.Shards itemsets = ResultFiles.shards(itemsetsDir);
    ResultFiles.Shards rules = ResultFiles.shards(rulesDir);
    if (itemsets == null && rules == null) {
      throw new IllegalArgumentException(
          dir
              + " holds no results: no part-*.parquet, part-*.jsonl or part-*.csv under itemsets/"
              + " or rules/; give the --output directory of grouped or stream");
    }
    ReportData data = new ReportData(topRules, topItems);
    String groupCol = null;
    if (itemsets != null) {
      groupCol = ResultFiles.readItemsets(itemsets, data::add);
    }
    if (rules != null) {
      String g = ResultFiles.readRules(rules, data::add);
      groupCol = groupCol == null ? g : groupCol;
    }
    RunInfo run = RunInfo.read(dir);
    ObjectNode source = JsonNodeFactory.instance.objectNode();
    source.put("dir", dir);
    putFormat(source, "itemsets", itemsets);
    putFormat(source, "rules", rules);
    return data.toJson(run, source, groupCol);
  }

  private static void putFormat(ObjectNode source, String name, ResultFiles.@Nullable Shards s) {
    if (s == null) {
      source.putNull(name);
    } else {
      source.put(name, s.format().substring(1) + " (" + s.files().size() + " files)");
    }
  }
}
