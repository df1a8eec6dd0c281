package io.rusket.beam.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.pipelines.io.CsvReader;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.TableSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a rules directory in any format {@code grouped --rules} writes ({@code part-*.parquet},
 * {@code .jsonl}, {@code .csv}; see {@code TableSink}) back into rule Rows for {@code Recommend}:
 * {@code [group,] antecedents ARRAY<STRING>, consequents ARRAY<STRING>,} the metric columns as
 * {@code DOUBLE}. Parquet comes typed; from JSON lines and CSV the group value is converted to the
 * baskets' group type (STRING or integer), arrays are JSON arrays or {@code |}-joined text, an
 * infinite value is {@code null} (JSON: only conviction can be infinite) or {@code inf} / {@code
 * -inf} (CSV). The files are read in the pipeline, one per element, so only one file's lines are in
 * memory at a time.
 */
final class RuleFiles {
  private RuleFiles() {}

  /**
   * The rule rows of {@code dir}, with the group field typed as {@code group} (null: global).
   *
   * @throws IllegalArgumentException if {@code dir} holds no rule files, or files of two formats,
   *     naming it
   */
  static PCollection<Row> read(Pipeline p, String dir, @Nullable Field group) {
    ResourceId d = FileSystems.matchNewResource(dir, true);
    String suffix = null;
    for (String s : new String[] {".parquet", ".jsonl", ".csv"}) {
      String glob = d.resolve("part-*" + s, ResolveOptions.FILE).toString();
      if (!match(glob).isEmpty()) {
        if (suffix != null) {
          throw new IllegalArgumentException(
              "--rules: "
                  + dir
                  + " holds rule files of two formats ("
                  + suffix
                  + " and "
                  + s
                  + ")");
        }
        suffix = s;
      }
    }
    if (suffix == null) {
      throw new IllegalArgumentException(
          "--rules: "
              + dir
              + " holds no rule files (part-*.parquet, part-*.jsonl or part-*.csv); give the"
              + " rules/ directory that 'grouped --rules' wrote");
    }
    String glob = d.resolve("part-*" + suffix, ResolveOptions.FILE).toString();
    Schema schema = schema(group);
    if (suffix.equals(".parquet")) {
      return p.apply("ReadRules", TableSource.from(glob).withFormat(InputFormat.PARQUET));
    }
    boolean json = suffix.equals(".jsonl");
    return p.apply("MatchRules", FileIO.match().filepattern(glob))
        .apply("OpenRules", FileIO.readMatches())
        .apply("ParseRules", ParDo.of(new ParseFn(schema, json)))
        .setRowSchema(schema);
  }

  private static final class ResolveOptions {
    static final org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions FILE =
        org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE;
  }

  private static List<MatchResult.Metadata> match(String glob) {
    try {
      MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
      return m.status() == MatchResult.Status.OK ? m.metadata() : List.of();
    } catch (IOException e) {
      throw new IllegalArgumentException("--rules: cannot list " + glob + ": " + e.getMessage(), e);
    }
  }

  /** The rule schema of text files: [group,] antecedents, consequents, the twelve metrics. */
  static Schema schema(@Nullable Field group) {
    Schema.Builder b = Schema.builder();
    if (group != null) {
      b.addField(group.withNullable(false));
    }
    b.addArrayField("antecedents", FieldType.STRING).addArrayField("consequents", FieldType.STRING);
    for (RuleMetric m : RuleMetric.values()) {
      b.addDoubleField(m.columnName());
    }
    return b.build();
  }

  /** One JSON-lines or CSV rules file into rule Rows; errors name the file, line and field. */
  static final class ParseFn extends DoFn<FileIO.ReadableFile, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema schema;
    private final boolean json;
    private transient ObjectMapper mapper;

    ParseFn(Schema schema, boolean json) {
      this.schema = schema;
      this.json = json;
    }

    @Setup
    public void setup() {
      mapper = new ObjectMapper();
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, OutputReceiver<Row> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      if (!json) {
        readCsv(file, name, out);
        return;
      }
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(file.open()), StandardCharsets.UTF_8))) {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
          n++;
          if (!line.isBlank()) {
            out.output(fromJson(line, name, n));
          }
        }
      }
    }

    private Row fromJson(String line, String file, int lineNo) {
      JsonNode node;
      try {
        node = mapper.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw bad(file, lineNo, null, "not a JSON object: " + e.getOriginalMessage());
      }
      List<Object> values = new ArrayList<>();
      for (Field f : schema.getFields()) {
        JsonNode v = node.get(f.getName());
        if (v == null) {
          throw bad(file, lineNo, f.getName(), "the field is missing");
        }
        if (f.getType().getTypeName() == TypeName.ARRAY) {
          if (!v.isArray()) {
            throw bad(file, lineNo, f.getName(), "expected an array of items, got " + v);
          }
          List<String> items = new ArrayList<>();
          v.forEach(e -> items.add(e.asText()));
          values.add(items);
        } else if (f.getType().getTypeName() == TypeName.DOUBLE) {
          values.add(v.isNull() ? nullDouble(f.getName(), file, lineNo) : v.asDouble());
        } else {
          values.add(group(f, v.asText(), file, lineNo));
        }
      }
      return Row.withSchema(schema).attachValues(values);
    }

    private double nullDouble(String field, String file, int line) {
      if (field.equals(RuleMetric.CONVICTION.columnName())) {
        return Double.POSITIVE_INFINITY; // TableSink writes an infinite double as null
      }
      throw bad(file, line, field, "the value is null");
    }

    private void readCsv(FileIO.ReadableFile file, String name, OutputReceiver<Row> out)
        throws IOException {
      try (CsvReader csv = CsvReader.open(Channels.newInputStream(file.open()), name)) {
        int[] column = new int[schema.getFieldCount()];
        for (int i = 0; i < column.length; i++) {
          column[i] = csv.column(schema.getField(i).getName(), "a rule column");
        }
        while (csv.next()) {
          int line = (int) csv.line();
          List<Object> values = new ArrayList<>();
          for (int i = 0; i < column.length; i++) {
            Field f = schema.getField(i);
            String v = csv.get(column[i]);
            TypeName t = f.getType().getTypeName();
            if (t == TypeName.ARRAY) {
              values.add(v.isEmpty() ? Collections.emptyList() : Arrays.asList(v.split("\\|", -1)));
            } else if (t == TypeName.DOUBLE) {
              values.add(csvDouble(v, name, line, f.getName()));
            } else {
              values.add(group(f, v, name, line));
            }
          }
          out.output(Row.withSchema(schema).attachValues(values));
        }
      }
    }

    private static double csvDouble(String v, String file, int line, String field) {
      switch (v) {
        case "inf":
          return Double.POSITIVE_INFINITY;
        case "-inf":
          return Double.NEGATIVE_INFINITY;
        case "nan":
          return Double.NaN;
        default:
          try {
            return Double.parseDouble(v);
          } catch (NumberFormatException e) {
            throw bad(file, line, field, "'" + v + "' is not a number");
          }
      }
    }

    private static Object group(Field f, String v, String file, int line) {
      try {
        switch (f.getType().getTypeName()) {
          case STRING:
            return v;
          case INT64:
            return Long.parseLong(v);
          case INT32:
            return Integer.parseInt(v);
          case INT16:
            return Short.parseShort(v);
          case BYTE:
            return Byte.parseByte(v);
          default:
            throw bad(
                file,
                line,
                f.getName(),
                "rules from text files need a STRING or integer group column in the baskets, not "
                    + f.getType().getTypeName());
        }
      } catch (NumberFormatException e) {
        throw bad(
            file,
            line,
            f.getName(),
            "'" + v + "' is not a " + f.getType().getTypeName() + " as in the baskets");
      }
    }

    private static IllegalArgumentException bad(
        String file, int line, @Nullable String field, String why) {
      return new IllegalArgumentException(
          "rules file "
              + file
              + ", line "
              + line
              + (field == null ? "" : ", field '" + field + "'")
              + ": "
              + why);
    }
  }
}
