package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * {@link TableSource}'s CSV side, on {@link CsvReader}: the schema from the header and the declared
 * types (every other column is STRING: a value is the text that was written), and the read, one
 * file per element (decompressed by extension).
 *
 * <p>Values of a declared type are parsed strictly: INT64 and INT32 as {@code -?(0|[1-9][0-9]*)} in
 * range (no {@code +}, no spaces, no leading zeros: {@code 007} and {@code 7} must not silently
 * become one id); DOUBLE as {@link Double#parseDouble} without surrounding spaces; BOOLEAN as
 * {@code true}/{@code false} (any case) or {@code 1}/{@code 0}. An empty field is an error in every
 * column read (CSV has no null). Errors name the file, line, column and value.
 */
final class CsvTable {
  private CsvTable() {}

  /** A canonical decimal integer. */
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

  /**
   * The schema of {@code md} (named {@code file}): its header's columns, each of its declared type
   * in {@code csvTypes}, else STRING.
   *
   * @throws IllegalArgumentException if a declared column is not in the header, or as {@link
   *     CsvReader#open}
   */
  static Schema schema(Metadata md, String file, Map<String, TypeName> csvTypes)
      throws IOException {
    try (CsvReader r =
        CsvReader.open(
            Channels.newInputStream(
                Compression.detect(file).readDecompressed(FileSystems.open(md.resourceId()))),
            file)) {
      List<String> header = r.header();
      for (String c : csvTypes.keySet()) {
        if (!header.contains(c)) {
          throw new IllegalArgumentException(
              String.format(
                  "A CSV type is declared for column '%s' (--csvTypes), which is missing from %s;"
                      + " columns present: %s",
                  c, file, String.join(", ", header)));
        }
      }
      Schema.Builder b = Schema.builder();
      for (String c : header) {
        b.addField(c, FieldType.of(csvTypes.getOrDefault(c, TypeName.STRING)));
      }
      return b.build();
    }
  }

  /** Reads the {@code schema} columns of every file matching {@code filepattern}. */
  static PCollection<Row> read(PBegin input, String filepattern, Schema schema) {
    return input
        .apply("MatchFiles", FileIO.match().filepattern(filepattern))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("ParseCsv", ParDo.of(new ReadCsvFn(schema)))
        .setRowSchema(schema);
  }

  /**
   * {@code v} (of column {@code column}, non-empty) as a value of type {@code t}.
   *
   * @throws IllegalArgumentException naming the file, line, column and value
   */
  static Object parse(String v, TypeName t, CsvReader r, String column) {
    switch (t) {
      case STRING:
        return v;
      case INT64:
        if (INTEGER.matcher(v).matches()) {
          try {
            return Long.parseLong(v);
          } catch (NumberFormatException e) {
            // out of range: below
          }
        }
        throw invalid(v, "INT64 (a decimal integer without '+' or leading zeros)", r, column);
      case INT32:
        if (INTEGER.matcher(v).matches()) {
          try {
            return Integer.parseInt(v);
          } catch (NumberFormatException e) {
            // out of range: below
          }
        }
        throw invalid(v, "INT32 (a decimal integer without '+' or leading zeros)", r, column);
      case DOUBLE:
        if (v.equals(v.strip())) {
          try {
            return Double.parseDouble(v);
          } catch (NumberFormatException e) {
            // below
          }
        }
        throw invalid(v, "DOUBLE", r, column);
      case BOOLEAN:
        if (v.equalsIgnoreCase("true") || v.equals("1")) {
          return true;
        }
        if (v.equalsIgnoreCase("false") || v.equals("0")) {
          return false;
        }
        throw invalid(v, "BOOLEAN (true, false, 1 or 0)", r, column);
      default:
        throw new AssertionError(t);
    }
  }

  private static IllegalArgumentException invalid(
      String v, String what, CsvReader r, String column) {
    return r.error("column '" + column + "': '" + v + "' is not a valid " + what);
  }

  /** Parses one CSV file per element, checking its header and every value. */
  private static final class ReadCsvFn extends DoFn<FileIO.ReadableFile, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema schema;
    private final Counter files = Metrics.counter(TableSource.METRICS_NAMESPACE, "filesRead");
    private final Counter rows = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");

    ReadCsvFn(Schema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, OutputReceiver<Row> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      int n = schema.getFieldCount();
      try (CsvReader r = CsvReader.open(Channels.newInputStream(file.open()), name)) {
        List<String> header = r.header();
        int[] index = new int[n];
        TypeName[] types = new TypeName[n];
        String[] names = new String[n];
        for (int j = 0; j < n; j++) {
          names[j] = schema.getField(j).getName();
          index[j] = header.indexOf(names[j]);
          types[j] = schema.getField(j).getType().getTypeName();
          if (index[j] < 0) {
            throw new IllegalArgumentException(
                String.format(
                    "Column '%s' is missing from %s; columns present: %s",
                    names[j], name, String.join(", ", header)));
          }
        }
        files.inc();
        long count = 0;
        while (r.next()) {
          Object[] values = new Object[n];
          for (int j = 0; j < n; j++) {
            values[j] = parse(r.nonEmpty(index[j]), types[j], r, names[j]);
          }
          out.output(Row.withSchema(schema).attachValues(Arrays.asList(values)));
          if (++count % 4096 == 0) {
            rows.inc(4096);
          }
        }
        rows.inc(count % 4096);
      }
    }
  }
}
