package io.rusket.beam.runners.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rusket.beam.pipelines.io.BeamInputFile;
import io.rusket.beam.pipelines.io.CsvReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the shards a job wrote under {@code itemsets/} and {@code rules/} ({@code part-*.parquet},
 * {@code .jsonl} or {@code .csv}, as {@code TableSink} writes them) through Beam's {@link
 * FileSystems}, so any file system the jar has (local, hdfs://, s3://, gs://), without a pipeline:
 * one file at a time, one row at a time, into a callback. The group column is the one column that
 * is not an itemset or rule column (none: a global result, as {@code stream}'s). Bad content is an
 * {@link IllegalArgumentException} naming the file, line (text formats) and column.
 */
final class ResultFiles {
  private ResultFiles() {}

  /** The formats, by shard suffix, in the order they are looked for. */
  static final List<String> SUFFIXES = List.of(".parquet", ".jsonl", ".csv");

  static final String SUPPORT = "support";
  static final String ITEMSETS = "itemsets";
  static final String COUNT = "count";
  static final String TRANSACTIONS = "transactions";
  static final String ANTECEDENTS = "antecedents";
  static final String CONSEQUENTS = "consequents";
  static final String CONFIDENCE = "confidence";
  static final String LIFT = "lift";

  /** The columns of an itemset row besides the group. */
  static final Set<String> ITEMSET_COLUMNS = Set.of(SUPPORT, ITEMSETS, COUNT, TRANSACTIONS);

  /** The columns of a rule row besides the group: the two sides and the twelve metrics. */
  static final Set<String> RULE_COLUMNS =
      Set.of(
          ANTECEDENTS,
          CONSEQUENTS,
          "antecedent_support",
          "consequent_support",
          SUPPORT,
          CONFIDENCE,
          LIFT,
          "representativity",
          "leverage",
          "conviction",
          "zhangs_metric",
          "jaccard",
          "certainty",
          "kulczynski");

  /** One itemset row; {@code group} is null for a global result. */
  record Itemset(@Nullable String group, String[] items, long count, long transactions) {}

  /** One rule row, with the metrics the report shows. */
  record Rule(
      @Nullable String group,
      String[] antecedents,
      String[] consequents,
      double support,
      double confidence,
      double lift) {}

  /** The shards of {@code dir} and their format. */
  record Shards(String format, List<ResourceId> files) {}

  /**
   * The shards of {@code dir} ({@code <result>/itemsets} or {@code /rules}), sorted by name; null
   * when it holds none.
   *
   * @throws IllegalArgumentException if it holds shards of two formats, or cannot be listed
   */
  static @Nullable Shards shards(String dir) {
    ResourceId d = FileSystems.matchNewResource(dir, true);
    Shards found = null;
    for (String suffix : SUFFIXES) {
      String glob = d.resolve("part-*" + suffix, StandardResolveOptions.RESOLVE_FILE).toString();
      List<ResourceId> files = new ArrayList<>();
      try {
        MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
        if (m.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata md : m.metadata()) {
            files.add(md.resourceId());
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot list " + glob + ": " + e.getMessage(), e);
      }
      if (files.isEmpty()) {
        continue;
      }
      if (found != null) {
        throw new IllegalArgumentException(
            dir + " holds result files of two formats (" + found.format() + " and " + suffix + ")");
      }
      files.sort(Comparator.comparing(ResourceId::toString));
      found = new Shards(suffix, files);
    }
    return found;
  }

  /** Every itemset row of {@code shards}, in file order; returns the group column (or null). */
  static @Nullable String readItemsets(Shards shards, Consumer<Itemset> out) throws IOException {
    String group = null;
    for (ResourceId f : shards.files()) {
      group =
          read(
              f,
              shards.format(),
              ITEMSET_COLUMNS,
              r ->
                  out.accept(
                      new Itemset(
                          r.group(),
                          r.items(ITEMSETS),
                          r.integer(COUNT),
                          r.integer(TRANSACTIONS))));
    }
    return group;
  }

  /** Every rule row of {@code shards}, in file order; returns the group column (or null). */
  static @Nullable String readRules(Shards shards, Consumer<Rule> out) throws IOException {
    String group = null;
    for (ResourceId f : shards.files()) {
      group =
          read(
              f,
              shards.format(),
              RULE_COLUMNS,
              r ->
                  out.accept(
                      new Rule(
                          r.group(),
                          r.items(ANTECEDENTS),
                          r.items(CONSEQUENTS),
                          r.number(SUPPORT),
                          r.number(CONFIDENCE),
                          r.number(LIFT))));
    }
    return group;
  }

  /** One row of a file of any format, by column name. */
  private abstract static class RowView {
    final String file;
    @Nullable String groupColumn;

    RowView(String file) {
      this.file = file;
    }

    /** Where the row is, for messages: the file, and the line for text formats. */
    abstract String where();

    /** The value of {@code column} as text, arrays as their elements; null for a null. */
    abstract @Nullable Object value(String column);

    /** Finds the group column among {@code columns}: the one not in {@code known}. */
    void columns(Collection<String> columns, Set<String> known) {
      List<String> missing = new ArrayList<>();
      for (String k : known) {
        if (!columns.contains(k)) {
          missing.add(k);
        }
      }
      if (!missing.isEmpty()) {
        missing.sort(Comparator.naturalOrder());
        throw new IllegalArgumentException(
            where()
                + ": not a result file of this kind: no column "
                + String.join(", ", missing)
                + " (its columns: "
                + String.join(", ", columns)
                + ")");
      }
      List<String> others = new ArrayList<>(columns);
      others.removeAll(known);
      if (others.size() > 1) {
        throw new IllegalArgumentException(
            where()
                + ": more than one column besides the result columns ("
                + String.join(", ", others)
                + "); a result has one group column at most");
      }
      groupColumn = others.isEmpty() ? null : others.get(0);
    }

    @Nullable String group() {
      if (groupColumn == null) {
        return null;
      }
      Object v = present(groupColumn);
      return v.toString();
    }

    private Object present(String column) {
      Object v = value(column);
      if (v == null) {
        throw bad(column, "the value is null");
      }
      return v;
    }

    String[] items(String column) {
      Object v = present(column);
      if (!(v instanceof List<?> list)) {
        throw bad(column, "expected a list of items, got " + v);
      }
      String[] items = new String[list.size()];
      for (int i = 0; i < items.length; i++) {
        items[i] = String.valueOf(list.get(i));
      }
      return items;
    }

    long integer(String column) {
      Object v = present(column);
      try {
        return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
      } catch (NumberFormatException e) {
        throw bad(column, "'" + v + "' is not an integer");
      }
    }

    double number(String column) {
      Object v = present(column);
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      switch (v.toString()) {
        case "inf":
          return Double.POSITIVE_INFINITY;
        case "-inf":
          return Double.NEGATIVE_INFINITY;
        case "nan":
          return Double.NaN;
        default:
          try {
            return Double.parseDouble(v.toString());
          } catch (NumberFormatException e) {
            throw bad(column, "'" + v + "' is not a number");
          }
      }
    }

    IllegalArgumentException bad(String column, String why) {
      return new IllegalArgumentException(where() + ", column '" + column + "': " + why);
    }
  }

  /** Reads one file; returns its group column (null: none, or an empty file). */
  private static @Nullable String read(
      ResourceId file, String format, Set<String> known, Consumer<RowView> out) throws IOException {
    String name = file.toString();
    switch (format) {
      case ".jsonl":
        return readJson(file, name, known, out);
      case ".csv":
        return readCsv(file, name, known, out);
      default:
        return readParquet(file, name, known, out);
    }
  }

  private static InputStream open(ResourceId file) throws IOException {
    return Channels.newInputStream(FileSystems.open(file));
  }

  private static @Nullable String readJson(
      ResourceId file, String name, Set<String> known, Consumer<RowView> out) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    final class JsonRow extends RowView {
      JsonNode node;
      int line;

      JsonRow() {
        super(name);
      }

      @Override
      String where() {
        return file + " line " + line;
      }

      @Override
      @Nullable Object value(String column) {
        JsonNode v = node.get(column);
        if (v == null || v.isNull()) {
          return null;
        }
        if (v.isArray()) {
          List<String> items = new ArrayList<>(v.size());
          v.forEach(e -> items.add(e.asText()));
          return items;
        }
        return v.isNumber() ? v.numberValue() : v.asText();
      }
    }
    JsonRow row = new JsonRow();
    boolean first = true;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        row.line++;
        if (line.isBlank()) {
          continue;
        }
        try {
          row.node = mapper.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(
              row.where() + ": not a JSON object: " + e.getOriginalMessage(), e);
        }
        if (!row.node.isObject()) {
          throw new IllegalArgumentException(row.where() + ": not a JSON object");
        }
        if (first) {
          List<String> columns = new ArrayList<>();
          row.node.fieldNames().forEachRemaining(columns::add);
          row.columns(columns, known);
          first = false;
        }
        out.accept(row);
      }
    }
    return row.groupColumn;
  }

  private static @Nullable String readCsv(
      ResourceId file, String name, Set<String> known, Consumer<RowView> out) throws IOException {
    try (CsvReader csv = CsvReader.open(open(file), name)) {
      final class CsvRow extends RowView {
        CsvRow() {
          super(name);
        }

        @Override
        String where() {
          return name + " line " + csv.line();
        }

        @Override
        @Nullable Object value(String column) {
          String v = csv.get(csv.column(column, "a result column"));
          if (column.equals(ITEMSETS) || column.equals(ANTECEDENTS) || column.equals(CONSEQUENTS)) {
            return v.isEmpty() ? List.of() : List.of(v.split("\\|", -1));
          }
          return v.isEmpty() && !column.equals(groupColumn) ? null : v;
        }
      }
      CsvRow row = new CsvRow();
      row.columns(csv.header(), known);
      while (csv.next()) {
        out.accept(row);
      }
      return row.groupColumn;
    }
  }

  private static @Nullable String readParquet(
      ResourceId file, String name, Set<String> known, Consumer<RowView> out) throws IOException {
    MatchResult.Metadata md = FileSystems.matchSingleFileSpec(file.toString());
    final class ParquetRow extends RowView {
      @Nullable GenericRecord record;
      long row;

      ParquetRow() {
        super(name);
      }

      @Override
      String where() {
        return name + " row " + row;
      }

      @Override
      @Nullable Object value(String column) {
        Object v = record.get(column);
        if (v instanceof Collection<?> c) {
          List<String> items = new ArrayList<>(c.size());
          c.forEach(e -> items.add(String.valueOf(e)));
          return items;
        }
        return v instanceof CharSequence s ? s.toString() : v;
      }
    }
    ParquetRow row = new ParquetRow();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new BeamInputFile(md))
            .withConf(new Configuration(false))
            .build()) {
      GenericRecord r;
      while ((r = reader.read()) != null) {
        if (row.record == null) {
          List<String> columns = new ArrayList<>();
          r.getSchema().getFields().forEach(f -> columns.add(f.name()));
          row.record = r;
          row.columns(columns, known);
        }
        row.record = r;
        row.row++;
        out.accept(row);
      }
    }
    return row.groupColumn;
  }
}
