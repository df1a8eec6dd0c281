package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a file or a glob of files into a {@code PCollection<Row>} with a Beam schema: Parquet (row
 * group by row group, through {@link ParquetColumns}), Arrow IPC files (through Apache Arrow Java,
 * one file per element, one record batch at a time) or CSV with a header. The format is inferred
 * from the extension unless given ({@link InputFormat#infer}).
 *
 * <p>The schema is read from the first matching file (in name order) when the transform is
 * configured — the Parquet footer (its Avro schema, or one converted from the Parquet schema), the
 * Arrow footer, or the CSV header — so that mistakes surface before the pipeline runs: {@link
 * #validate(Map)} checks the columns a job needs and throws an {@link IllegalArgumentException}
 * naming the file, the missing or mistyped column and the columns present. A path that matches
 * nothing, an empty file, or a truncated or corrupt Parquet/Arrow file is also an {@code
 * IllegalArgumentException} naming the file. All matching files must have the needed columns with
 * the same types (checked per file when Arrow and CSV files are read; Parquet files are read with
 * the first file's schema).
 *
 * <p>Types: Parquet through Avro as {@link AvroUtils#toBeamSchema} maps them. Selected columns that
 * are all BOOLEAN, INT32, INT64, FLOAT, DOUBLE or STRING (the top-level primitives, nullable or
 * not) are read column-wise, and a null is an error naming the file, the column, the row group and
 * the row; other columns (arrays, records, bytes, logical types) are read through parquet-avro
 * records, nulls kept. Arrow: Bool → BOOLEAN, signed Int(8/16/32/64) → BYTE/INT16/INT32/INT64,
 * FloatingPoint → FLOAT/DOUBLE, Utf8/LargeUtf8 → STRING (nullable as in the file); other Arrow
 * types are an error only if the column is selected. CSV: a value is the text that was written —
 * every column is STRING unless its type is declared ({@link #withCsvTypes}: STRING, INT32, INT64,
 * DOUBLE or BOOLEAN), so that {@code 0012}, {@code 012} and {@code 12} stay three values. Declared
 * types are parsed strictly: integers as {@code -?(0|[1-9][0-9]*)} in range (no {@code +}, spaces
 * or leading zeros), DOUBLE without surrounding spaces, BOOLEAN as {@code true}/{@code false} (any
 * case) or {@code 1}/{@code 0}. Fields are not trimmed; an empty field is an error (CSV has no
 * null); bytes must be valid UTF-8 ({@link CsvReader}). A bad CSV row fails the pipeline with the
 * file, line, column and value.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * TableSource source = TableSource.from("gs://bucket/events-*.parquet")
 *     .withColumns("store_id", "transaction_id", "item_id")
 *     .validate(Map.of(
 *         "store_id", EnumSet.of(TypeName.STRING, TypeName.INT32, TypeName.INT64),
 *         "transaction_id", EnumSet.of(TypeName.INT64),
 *         "item_id", EnumSet.of(TypeName.STRING, TypeName.INT32)));
 * PCollection<Row> events = pipeline.apply("ReadEvents", source);
 * // events: store_id STRING | transaction_id INT64 | item_id INT32
 * }</pre>
 *
 * <p><b>Memory.</b> Parquet is split into its non-empty row groups (a row group of more than
 * {@value ParquetColumns#DEFAULT_SPLIT_ROWS} rows into ranges of rows), read a slice of rows at a
 * time (a row group at a time through parquet-avro). An Arrow file is read one record batch at a
 * time (a batch must fit in memory; off-heap through Arrow's allocator); a CSV file is streamed.
 * Arrow and CSV files are not split: parallelism is one file per worker thread. Arrow needs {@code
 * --add-opens=java.base/java.nio=ALL-UNNAMED} on Java 17.
 *
 * <p>Metrics (namespace {@value #METRICS_NAMESPACE}): counters {@code filesRead}, {@code rowGroups}
 * (Parquet, non-empty), {@code batchesRead} (Arrow), {@code rowsRead}.
 */
public final class TableSource extends PTransform<PBegin, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  /** Namespace of the Beam metrics. */
  public static final String METRICS_NAMESPACE = "TableSource";

  /** CSV column types one can declare with {@link #withCsvTypes}. */
  public static final Set<TypeName> CSV_TYPES =
      Collections.unmodifiableSet(
          EnumSet.of(
              TypeName.STRING, TypeName.INT32, TypeName.INT64, TypeName.DOUBLE, TypeName.BOOLEAN));

  private final String filepattern;
  private final @Nullable InputFormat format;
  private final @Nullable List<String> columns;
  private final Map<String, TypeName> csvTypes;

  /** The first file and its schema, read once. */
  private transient @Nullable FileSchema cached;

  private TableSource(
      String filepattern,
      @Nullable InputFormat format,
      @Nullable List<String> columns,
      Map<String, TypeName> csvTypes) {
    this.filepattern = filepattern;
    this.format = format;
    this.columns = columns;
    this.csvTypes = csvTypes;
  }

  /**
   * Reads the files matching {@code filepattern} (a path or a glob, on any Beam file system).
   *
   * @throws IllegalArgumentException if it is null or empty
   */
  public static TableSource from(String filepattern) {
    if (filepattern == null || filepattern.isBlank()) {
      throw new IllegalArgumentException("TableSource needs an input path or glob, got none");
    }
    return new TableSource(filepattern, null, null, Map.of());
  }

  /** The format; by default inferred from the extension of the file pattern. */
  public TableSource withFormat(@Nullable InputFormat format) {
    return new TableSource(filepattern, format, columns, csvTypes);
  }

  /**
   * Only these columns, in this order (by default every column of the file, in file order).
   *
   * @throws IllegalArgumentException for no column, a null, empty or repeated name
   */
  public TableSource withColumns(String... columns) {
    if (columns == null || columns.length == 0) {
      throw new IllegalArgumentException("withColumns needs at least one column");
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      if (c == null || c.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid column name: '" + c + "' in " + Arrays.toString(columns));
      }
      if (!seen.add(c)) {
        throw new IllegalArgumentException("Column '" + c + "' is listed twice");
      }
    }
    return new TableSource(filepattern, format, List.of(columns), csvTypes);
  }

  /**
   * CSV only: the type of one column (STRING, INT32, INT64, DOUBLE, BOOLEAN); undeclared columns
   * are STRING.
   *
   * @throws IllegalArgumentException for an empty column name or another type, naming it and the
   *     valid ones
   */
  public TableSource withCsvType(String column, TypeName type) {
    return withCsvTypes(Map.of(checkColumnName(column), type));
  }

  /**
   * CSV only: the types of some columns (STRING, INT32, INT64, DOUBLE, BOOLEAN), added to those
   * declared before; undeclared columns are STRING. A declared column must be in the header.
   *
   * @throws IllegalArgumentException for an empty column name or another type, naming it and the
   *     valid ones
   */
  public TableSource withCsvTypes(Map<String, TypeName> types) {
    Map<String, TypeName> all = new LinkedHashMap<>(csvTypes);
    for (Map.Entry<String, TypeName> e : types.entrySet()) {
      String column = checkColumnName(e.getKey());
      TypeName type = e.getValue();
      if (!CSV_TYPES.contains(type)) {
        throw new IllegalArgumentException(
            "Invalid CSV type for column '"
                + column
                + "': "
                + type
                + ". Valid types are "
                + CSV_TYPES);
      }
      all.put(column, type);
    }
    return new TableSource(filepattern, format, columns, Collections.unmodifiableMap(all));
  }

  private static String checkColumnName(@Nullable String column) {
    if (column == null || column.isEmpty()) {
      throw new IllegalArgumentException("A CSV type needs a column name, got '" + column + "'");
    }
    return column;
  }

  /** The CSV types declared, by column (empty when none). */
  public Map<String, TypeName> getCsvTypes() {
    return csvTypes;
  }

  /**
   * Parses CSV column types written as {@code column:type,column:type}, the types {@code string},
   * {@code long}, {@code int}, {@code double} or {@code boolean} (any case), e.g. {@code
   * "txn:long,store:string"}.
   *
   * @param option how to name the setting in messages, e.g. {@code "--csvTypes"}
   * @throws IllegalArgumentException for an entry without a column or a type, an unknown type or a
   *     column given twice, naming the entry
   */
  public static Map<String, TypeName> parseCsvTypes(String spec, String option) {
    return CsvTypes.parse(spec, option);
  }

  /** The file pattern. */
  public String getFilepattern() {
    return filepattern;
  }

  /** The format, as given or inferred from the file pattern. */
  public InputFormat getFormat() {
    return format != null ? format : InputFormat.infer(filepattern);
  }

  /**
   * The first matching file (in name order), whose schema is used.
   *
   * @throws IllegalArgumentException if nothing matches, or the first file is empty or unreadable
   */
  public String firstFile() {
    return fileSchema().file;
  }

  /**
   * Every column of the first matching file, with its Beam type.
   *
   * @throws IllegalArgumentException if nothing matches, or the first file is empty, truncated or
   *     not of the format, naming the file
   */
  public Schema getFileSchema() {
    return fileSchema().schema;
  }

  /**
   * The schema of the output Rows: the selected columns, or all.
   *
   * @throws IllegalArgumentException as {@link #getFileSchema()}, or if a selected column is
   *     missing, naming it and listing the columns present
   */
  public Schema getSchema() {
    FileSchema fs = fileSchema();
    if (columns == null) {
      return fs.schema;
    }
    Map<String, Collection<TypeName>> any = new LinkedHashMap<>();
    for (String c : columns) {
      any.put(c, EnumSet.allOf(TypeName.class));
    }
    checkColumns(fs.file, fs.schema, any);
    Schema.Builder b = Schema.builder();
    for (String c : columns) {
      b.addField(fs.schema.getField(c));
    }
    return b.build();
  }

  /**
   * Checks, before the pipeline runs, that the first file has each required column with one of the
   * acceptable types.
   *
   * @return this
   * @throws IllegalArgumentException naming the file, the missing or mistyped column, the types
   *     accepted and the columns present
   */
  public TableSource validate(Map<String, ? extends Collection<TypeName>> required) {
    FileSchema fs = fileSchema();
    checkColumns(fs.file, fs.schema, required);
    return this;
  }

  /**
   * Checks that {@code schema} (read from {@code file}) has each required column with one of the
   * acceptable types.
   *
   * @throws IllegalArgumentException naming the file, the missing or mistyped column, the types
   *     accepted and the columns present
   */
  public static void checkColumns(
      String file, Schema schema, Map<String, ? extends Collection<TypeName>> required) {
    Schemas.checkColumns(file, schema, required);
  }

  // ------------------------------------------------------------------------------------------
  // Reading the schema before the pipeline runs.

  private FileSchema fileSchema() {
    FileSchema fs = cached;
    if (fs == null) {
      fs = readFileSchema();
      cached = fs;
    }
    return fs;
  }

  private FileSchema readFileSchema() {
    InputFormat f = getFormat();
    Metadata first = firstMatch(filepattern);
    String file = first.resourceId().toString();
    if (first.sizeBytes() == 0) {
      throw new IllegalArgumentException(
          "Input file " + file + " is empty (0 bytes); expected a " + f.optionName() + " file");
    }
    try {
      switch (f) {
        case PARQUET:
          return ParquetTable.schema(first, file);
        case ARROW:
          return new FileSchema(file, ArrowTable.schema(first, file), null);
        case CSV:
          return new FileSchema(file, CsvTable.schema(first, file, csvTypes), null);
        default:
          throw new AssertionError(f);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e, e);
    }
  }

  /** The first file matching the pattern, in name order. */
  static Metadata firstMatch(String filepattern) {
    MatchResult m;
    try {
      m = FileSystems.match(filepattern);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot list input '" + filepattern + "': " + e, e);
    }
    List<Metadata> files = new ArrayList<>();
    if (m.status() == MatchResult.Status.OK) {
      try {
        for (Metadata md : m.metadata()) {
          if (!md.resourceId().isDirectory()) {
            files.add(md);
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot list input '" + filepattern + "': " + e, e);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "Input '" + filepattern + "' matches no file (" + m.status() + ")");
    }
    files.sort((a, b) -> a.resourceId().toString().compareTo(b.resourceId().toString()));
    return files.get(0);
  }

  // ------------------------------------------------------------------------------------------
  // Expansion

  /**
   * @throws IllegalArgumentException as {@link #getSchema()}; for Arrow, if a selected column has
   *     an unsupported type
   */
  @Override
  public PCollection<Row> expand(PBegin input) {
    FileSchema fs = fileSchema();
    Schema schema = getSchema();
    switch (getFormat()) {
      case PARQUET:
        return ParquetTable.read(input, filepattern, fs, schema);
      case ARROW:
        return ArrowTable.read(input, filepattern, fs.file, schema);
      case CSV:
        return CsvTable.read(input, filepattern, schema);
      default:
        throw new AssertionError(getFormat());
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("filepattern", filepattern).withLabel("Input files"))
        .add(DisplayData.item("format", getFormat().optionName()).withLabel("Input format"));
    if (columns != null) {
      builder.add(DisplayData.item("columns", String.join(",", columns)).withLabel("Columns"));
    }
    if (!csvTypes.isEmpty()) {
      builder.add(DisplayData.item("csvTypes", csvTypes.toString()).withLabel("CSV column types"));
    }
  }
}
