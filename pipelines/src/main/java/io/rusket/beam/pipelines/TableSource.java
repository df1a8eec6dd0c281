package io.rusket.beam.pipelines;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a file or a glob of files into a {@code PCollection<Row>} with a Beam schema: Parquet
 * (through Beam's {@link ParquetIO}), Arrow IPC files (through Apache Arrow Java, one file per
 * element, one record batch at a time) or CSV with a header. The format is inferred from the
 * extension unless given ({@link InputFormat#infer}).
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
 * <p>Types: Parquet through Avro as {@link AvroUtils#toBeamSchema} maps them. Arrow: Bool →
 * BOOLEAN, signed Int(8/16/32/64) → BYTE/INT16/INT32/INT64, FloatingPoint → FLOAT/DOUBLE,
 * Utf8/LargeUtf8 → STRING (nullable as in the file); other Arrow types are an error only if the
 * column is selected. CSV: each column is STRING, INT32, INT64, DOUBLE or BOOLEAN as given by
 * {@link #withCsvType}, otherwise INT64 if every non-empty value among the first {@value
 * #CSV_INFERENCE_ROWS} rows of the first file is an integer, else STRING; fields are not trimmed;
 * an empty value is an empty STRING and an error for other types. A bad CSV row fails the pipeline
 * with the file, line and column.
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
 * <p><b>Memory.</b> Parquet is read by ParquetIO (split by row groups). An Arrow file is read one
 * record batch at a time (a batch must fit in memory; off-heap through Arrow's allocator); a CSV
 * file is streamed. Arrow and CSV files are not split: parallelism is one file per worker thread.
 * Arrow needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on Java 17.
 *
 * <p>Metrics (namespace {@value #METRICS_NAMESPACE}): counters {@code filesRead} (Arrow, CSV),
 * {@code batchesRead} (Arrow), {@code rowsRead}.
 */
public final class TableSource extends PTransform<PBegin, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  /** Namespace of the Beam metrics. */
  public static final String METRICS_NAMESPACE = "TableSource";

  /** CSV rows of the first file examined to infer a column's type. */
  public static final int CSV_INFERENCE_ROWS = 1000;

  /** CSV column types one can declare with {@link #withCsvType}. */
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
   * CSV only: the type of one column (STRING, INT32, INT64, DOUBLE, BOOLEAN) instead of the
   * inferred one.
   *
   * @throws IllegalArgumentException for another type, naming it and the valid ones
   */
  public TableSource withCsvType(String column, TypeName type) {
    if (column == null || column.isEmpty()) {
      throw new IllegalArgumentException("withCsvType needs a column name, got '" + column + "'");
    }
    if (!CSV_TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "Invalid CSV type for column '"
              + column
              + "': "
              + type
              + ". Valid types are "
              + CSV_TYPES);
    }
    Map<String, TypeName> types = new LinkedHashMap<>(csvTypes);
    types.put(column, type);
    return new TableSource(filepattern, format, columns, Collections.unmodifiableMap(types));
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
    for (Map.Entry<String, ? extends Collection<TypeName>> e : required.entrySet()) {
      String name = e.getKey();
      if (!schema.hasField(name)) {
        throw new IllegalArgumentException(
            String.format(
                "Column '%s' is missing from %s; columns present: %s",
                name, file, describe(schema)));
      }
      FieldType type = schema.getField(name).getType();
      if (!e.getValue().contains(type.getTypeName())) {
        throw new IllegalArgumentException(
            String.format(
                "Column '%s' of %s is %s; expected one of %s. Columns present: %s",
                name, file, describe(type), sorted(e.getValue()), describe(schema)));
      }
    }
  }

  private static String sorted(Collection<TypeName> types) {
    return types.stream().sorted().map(Enum::name).collect(Collectors.joining(", ", "[", "]"));
  }

  /** "store_id STRING, count INT64, itemsets ARRAY<STRING>, x DOUBLE (nullable)". */
  static String describe(Schema schema) {
    return schema.getFields().stream()
        .map(f -> f.getName() + " " + describe(f.getType()))
        .collect(Collectors.joining(", "));
  }

  /** "INT64", "ARRAY<STRING>", "STRING (nullable)". */
  static String describe(FieldType t) {
    String s;
    switch (t.getTypeName()) {
      case ARRAY:
      case ITERABLE:
        s = t.getTypeName() + "<" + describe(t.getCollectionElementType()) + ">";
        break;
      case MAP:
        s = "MAP<" + describe(t.getMapKeyType()) + ", " + describe(t.getMapValueType()) + ">";
        break;
      case LOGICAL_TYPE:
        s = t.getLogicalType().getIdentifier();
        break;
      default:
        s = t.getTypeName().name();
    }
    return Boolean.TRUE.equals(t.getNullable()) ? s + " (nullable)" : s;
  }

  // ------------------------------------------------------------------------------------------
  // Reading the schema before the pipeline runs.

  /** A file and its schema; for Parquet also the Avro schema, as JSON. */
  private static final class FileSchema {
    final String file;
    final Schema schema;
    final @Nullable String avroJson;

    FileSchema(String file, Schema schema, @Nullable String avroJson) {
      this.file = file;
      this.schema = schema;
      this.avroJson = avroJson;
    }
  }

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
          return parquetSchema(first, file);
        case ARROW:
          return new FileSchema(file, arrowSchema(first, file), null);
        case CSV:
          return new FileSchema(file, csvSchema(first, file), null);
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

  private static FileSchema parquetSchema(Metadata md, String file) throws IOException {
    FileMetaData meta;
    try (ParquetFileReader reader = ParquetFileReader.open(new BeamInputFile(md))) {
      meta = reader.getFooter().getFileMetaData();
    } catch (RuntimeException | IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the Parquet footer of "
              + file
              + " (truncated, corrupt or not a Parquet file?): "
              + e.getMessage(),
          e);
    }
    String json = meta.getKeyValueMetaData().get("parquet.avro.schema");
    org.apache.avro.Schema avro =
        json != null
            ? new org.apache.avro.Schema.Parser().parse(json)
            : new AvroSchemaConverter().convert(meta.getSchema());
    try {
      return new FileSchema(file, AvroUtils.toBeamSchema(avro), avro.toString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot map the schema of " + file + " to a Beam schema: " + e.getMessage(), e);
    }
  }

  private static Schema arrowSchema(Metadata md, String file) throws IOException {
    try (SeekableByteChannel ch = (SeekableByteChannel) FileSystems.open(md.resourceId());
        BufferAllocator alloc = new RootAllocator();
        ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
      org.apache.arrow.vector.types.pojo.Schema s;
      try {
        s = reader.getVectorSchemaRoot().getSchema();
      } catch (RuntimeException | IOException e) {
        throw new IllegalArgumentException(
            "Cannot read the Arrow IPC footer of "
                + file
                + " (truncated, corrupt, the streaming format, or not an Arrow file?): "
                + e.getMessage(),
            e);
      }
      Schema.Builder b = Schema.builder();
      for (Field f : s.getFields()) {
        b.addField(f.getName(), arrowFieldType(f));
      }
      return b.build();
    }
  }

  /** The Beam type of an Arrow field, or a nullable BYTES placeholder when unsupported. */
  private static FieldType arrowFieldType(Field f) {
    FieldType t = arrowType(f);
    return t == null ? FieldType.BYTES.withNullable(true) : t.withNullable(f.isNullable());
  }

  private static @Nullable FieldType arrowType(Field f) {
    if (f.getDictionary() != null) {
      return null;
    }
    ArrowType t = f.getType();
    if (t instanceof ArrowType.Bool) {
      return FieldType.BOOLEAN;
    }
    if (t instanceof ArrowType.Int) {
      ArrowType.Int i = (ArrowType.Int) t;
      if (!i.getIsSigned()) {
        return null;
      }
      switch (i.getBitWidth()) {
        case 8:
          return FieldType.BYTE;
        case 16:
          return FieldType.INT16;
        case 32:
          return FieldType.INT32;
        case 64:
          return FieldType.INT64;
        default:
          return null;
      }
    }
    if (t instanceof ArrowType.FloatingPoint) {
      FloatingPointPrecision p = ((ArrowType.FloatingPoint) t).getPrecision();
      return p == FloatingPointPrecision.SINGLE
          ? FieldType.FLOAT
          : p == FloatingPointPrecision.DOUBLE ? FieldType.DOUBLE : null;
    }
    if (t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8) {
      return FieldType.STRING;
    }
    return null;
  }

  private Schema csvSchema(Metadata md, String file) throws IOException {
    try (Csv.RecordReader r =
        new Csv.RecordReader(
            new InputStreamReader(
                Channels.newInputStream(
                    Compression.detect(file).readDecompressed(FileSystems.open(md.resourceId()))),
                StandardCharsets.UTF_8),
            file)) {
      List<String> header = r.next();
      if (header == null) {
        throw new IllegalArgumentException(
            "Input file " + file + " has no header line; a CSV input starts with the column names");
      }
      checkHeader(header, file);
      int n = header.size();
      boolean[] allInts = new boolean[n];
      boolean[] anyValue = new boolean[n];
      Arrays.fill(allInts, true);
      List<String> rec;
      for (int row = 0; row < CSV_INFERENCE_ROWS && (rec = r.next()) != null; row++) {
        for (int j = 0; j < Math.min(n, rec.size()); j++) {
          String v = rec.get(j);
          if (!v.isEmpty()) {
            anyValue[j] = true;
            if (allInts[j] && !isLong(v)) {
              allInts[j] = false;
            }
          }
        }
      }
      for (String c : csvTypes.keySet()) {
        if (!header.contains(c)) {
          throw new IllegalArgumentException(
              String.format(
                  "withCsvType names column '%s', which is missing from %s; columns present: %s",
                  c, file, header));
        }
      }
      Schema.Builder b = Schema.builder();
      for (int j = 0; j < n; j++) {
        TypeName given = csvTypes.get(header.get(j));
        TypeName t =
            given != null ? given : anyValue[j] && allInts[j] ? TypeName.INT64 : TypeName.STRING;
        b.addField(header.get(j), FieldType.of(t));
      }
      return b.build();
    }
  }

  private static void checkHeader(List<String> header, String file) {
    Set<String> seen = new HashSet<>();
    for (int j = 0; j < header.size(); j++) {
      String h = header.get(j);
      if (h.isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                "%s:1: column %d of the header has no name; header: %s", file, j + 1, header));
      }
      if (!seen.add(h)) {
        throw new IllegalArgumentException(
            String.format("%s:1: column '%s' appears twice in the header %s", file, h, header));
      }
    }
  }

  private static boolean isLong(String v) {
    int i = v.charAt(0) == '-' || v.charAt(0) == '+' ? 1 : 0;
    if (i == v.length() || v.length() > 19 + i) {
      return false;
    }
    for (; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    try {
      Long.parseLong(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A Parquet {@link InputFile} over a Beam file system channel. */
  static final class BeamInputFile implements InputFile {
    private final Metadata md;

    BeamInputFile(Metadata md) {
      this.md = md;
    }

    @Override
    public long getLength() {
      return md.sizeBytes();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableByteChannel ch = (SeekableByteChannel) FileSystems.open(md.resourceId());
      return new DelegatingSeekableInputStream(Channels.newInputStream(ch)) {
        @Override
        public long getPos() throws IOException {
          return ch.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          ch.position(newPos);
        }
      };
    }
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
        {
          org.apache.avro.Schema fileAvro = new org.apache.avro.Schema.Parser().parse(fs.avroJson);
          // ParquetIO's projection yields the columns in file order; ToRows reorders them. The
          // Avro read schema must be the projection too: otherwise parquet-avro materialises
          // records of the file's full Avro schema (unread fields null), which the projection's
          // coder then misreads.
          org.apache.avro.Schema projection = project(fileAvro, schema);
          Schema beam = AvroUtils.toBeamSchema(projection);
          return input
              .apply(
                  "ReadParquet",
                  ParquetIO.read(projection)
                      .from(filepattern)
                      .withProjection(projection, projection)
                      .withConfiguration(Map.of("parquet.avro.read.schema", projection.toString())))
              .apply("ToRows", ParDo.of(new RecordToRowFn(beam, schema)))
              .setRowSchema(schema);
        }
      case ARROW:
        for (Schema.Field f : schema.getFields()) {
          if (f.getType().getTypeName() == TypeName.BYTES) {
            throw new IllegalArgumentException(
                String.format(
                    "Column '%s' of %s has an Arrow type that TableSource does not read (supported:"
                        + " Bool, signed Int, FloatingPoint, Utf8, LargeUtf8; not"
                        + " dictionary-encoded)",
                    f.getName(), fs.file));
          }
        }
        return input
            .apply("MatchFiles", FileIO.match().filepattern(filepattern))
            .apply("OpenFiles", FileIO.readMatches())
            .apply("ReadArrowBatches", ParDo.of(new ReadArrowFn(schema)))
            .setRowSchema(schema);
      case CSV:
        return input
            .apply("MatchFiles", FileIO.match().filepattern(filepattern))
            .apply("OpenFiles", FileIO.readMatches())
            .apply("ParseCsv", ParDo.of(new ReadCsvFn(schema)))
            .setRowSchema(schema);
      default:
        throw new AssertionError(getFormat());
    }
  }

  /** The record schema with only the fields of {@code wanted}, in file order. */
  private static org.apache.avro.Schema project(org.apache.avro.Schema record, Schema wanted) {
    List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
    for (org.apache.avro.Schema.Field af : record.getFields()) {
      if (wanted.hasField(af.name())) {
        fields.add(new org.apache.avro.Schema.Field(af, af.schema()));
      }
    }
    return org.apache.avro.Schema.createRecord(
        record.getName(), record.getDoc(), record.getNamespace(), false, fields);
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

  /** Parquet's Avro records to Rows. */
  private static final class RecordToRowFn extends DoFn<GenericRecord, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema fileOrder;
    private final Schema schema;

    /** For each output field, its index in {@code fileOrder}. */
    private final int[] index;

    private final Counter rows = Metrics.counter(METRICS_NAMESPACE, "rowsRead");

    RecordToRowFn(Schema fileOrder, Schema schema) {
      this.fileOrder = fileOrder;
      this.schema = schema;
      this.index = new int[schema.getFieldCount()];
      for (int j = 0; j < index.length; j++) {
        index[j] = fileOrder.indexOf(schema.getField(j).getName());
      }
    }

    @ProcessElement
    public void processElement(@Element GenericRecord record, OutputReceiver<Row> out) {
      rows.inc();
      Row r = AvroUtils.toBeamRowStrict(record, fileOrder);
      Object[] values = new Object[index.length];
      for (int j = 0; j < index.length; j++) {
        values[j] = r.getValue(index[j]);
      }
      out.output(Row.withSchema(schema).attachValues(Arrays.asList(values)));
    }
  }

  /** Reads one Arrow IPC file per element, batch by batch, straight from the column vectors. */
  private static final class ReadArrowFn extends DoFn<FileIO.ReadableFile, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema schema;
    private final Counter files = Metrics.counter(METRICS_NAMESPACE, "filesRead");
    private final Counter batches = Metrics.counter(METRICS_NAMESPACE, "batchesRead");
    private final Counter rows = Metrics.counter(METRICS_NAMESPACE, "rowsRead");
    private transient @Nullable BufferAllocator allocator;

    ReadArrowFn(Schema schema) {
      this.schema = schema;
    }

    @Setup
    public void setup() {
      allocator = new RootAllocator();
    }

    @Teardown
    public void teardown() {
      if (allocator != null) {
        allocator.close();
      }
    }

    /** One column of the current batch. */
    private interface Column {
      @Nullable Object get(int row);
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, OutputReceiver<Row> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      int n = schema.getFieldCount();
      try (SeekableByteChannel ch = file.openSeekable();
          ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
        VectorSchemaRoot root;
        try {
          root = reader.getVectorSchemaRoot();
        } catch (RuntimeException | IOException e) {
          throw new IllegalArgumentException(
              "Cannot read the Arrow IPC footer of " + name + ": " + e.getMessage(), e);
        }
        Map<String, Field> fields = new HashMap<>();
        for (Field f : root.getSchema().getFields()) {
          fields.put(f.getName(), f);
        }
        for (Schema.Field want : schema.getFields()) {
          Field f = fields.get(want.getName());
          FieldType got = f == null ? null : arrowType(f);
          if (got == null || got.getTypeName() != want.getType().getTypeName()) {
            throw new IllegalArgumentException(
                String.format(
                    "Column '%s' of %s is %s; expected %s (the type in the first file). Columns"
                        + " present: %s",
                    want.getName(),
                    name,
                    f == null
                        ? "missing"
                        : f.getType() + (f.getDictionary() != null ? " (dictionary)" : ""),
                    describe(want.getType()),
                    fields.keySet()));
          }
        }
        files.inc();
        Column[] cols = new Column[n];
        while (reader.loadNextBatch()) {
          batches.inc();
          for (int j = 0; j < n; j++) {
            cols[j] = column(root.getVector(schema.getField(j).getName()));
          }
          int count = root.getRowCount();
          for (int i = 0; i < count; i++) {
            Object[] values = new Object[n];
            for (int j = 0; j < n; j++) {
              values[j] = cols[j].get(i);
            }
            out.output(Row.withSchema(schema).attachValues(Arrays.asList(values)));
          }
          rows.inc(count);
        }
      } catch (RuntimeException e) {
        if (e instanceof IllegalArgumentException) {
          throw e;
        }
        throw new IllegalArgumentException("Cannot read Arrow file " + name + ": " + e, e);
      }
    }

    private static Column column(FieldVector v) {
      if (v instanceof BitVector) {
        BitVector b = (BitVector) v;
        return i -> b.isNull(i) ? null : b.get(i) != 0;
      }
      if (v instanceof TinyIntVector) {
        TinyIntVector b = (TinyIntVector) v;
        return i -> b.isNull(i) ? null : b.get(i);
      }
      if (v instanceof SmallIntVector) {
        SmallIntVector b = (SmallIntVector) v;
        return i -> b.isNull(i) ? null : b.get(i);
      }
      if (v instanceof IntVector) {
        IntVector b = (IntVector) v;
        return i -> b.isNull(i) ? null : b.get(i);
      }
      if (v instanceof BigIntVector) {
        BigIntVector b = (BigIntVector) v;
        return i -> b.isNull(i) ? null : b.get(i);
      }
      if (v instanceof Float4Vector) {
        Float4Vector b = (Float4Vector) v;
        return i -> b.isNull(i) ? null : b.get(i);
      }
      if (v instanceof Float8Vector) {
        Float8Vector b = (Float8Vector) v;
        return i -> b.isNull(i) ? null : b.get(i);
      }
      if (v instanceof VarCharVector) {
        VarCharVector b = (VarCharVector) v;
        return i -> b.isNull(i) ? null : new String(b.get(i), StandardCharsets.UTF_8);
      }
      if (v instanceof LargeVarCharVector) {
        LargeVarCharVector b = (LargeVarCharVector) v;
        return i -> b.isNull(i) ? null : new String(b.get(i), StandardCharsets.UTF_8);
      }
      throw new IllegalArgumentException(
          "Unsupported Arrow vector " + v.getClass().getSimpleName() + " for " + v.getName());
    }
  }

  /** Parses one CSV file per element, checking its header and every value. */
  private static final class ReadCsvFn extends DoFn<FileIO.ReadableFile, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema schema;
    private final Counter files = Metrics.counter(METRICS_NAMESPACE, "filesRead");
    private final Counter rows = Metrics.counter(METRICS_NAMESPACE, "rowsRead");

    ReadCsvFn(Schema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, OutputReceiver<Row> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      int n = schema.getFieldCount();
      try (Csv.RecordReader r =
          new Csv.RecordReader(
              new InputStreamReader(Channels.newInputStream(file.open()), StandardCharsets.UTF_8),
              name)) {
        List<String> header = r.next();
        if (header == null) {
          throw new IllegalArgumentException(
              "Input file " + name + " is empty; a CSV input starts with a header line");
        }
        checkHeader(header, name);
        int[] index = new int[n];
        TypeName[] types = new TypeName[n];
        for (int j = 0; j < n; j++) {
          index[j] = header.indexOf(schema.getField(j).getName());
          types[j] = schema.getField(j).getType().getTypeName();
          if (index[j] < 0) {
            throw new IllegalArgumentException(
                String.format(
                    "Column '%s' is missing from %s; columns present: %s",
                    schema.getField(j).getName(), name, header));
          }
        }
        files.inc();
        List<String> rec;
        long count = 0;
        while ((rec = r.next()) != null) {
          if (rec.size() != header.size()) {
            throw new IllegalArgumentException(
                String.format(
                    "%s:%d: %d fields, but the header has %d (%s)",
                    name, r.recordLine(), rec.size(), header.size(), header));
          }
          Object[] values = new Object[n];
          for (int j = 0; j < n; j++) {
            values[j] =
                parse(rec.get(index[j]), types[j], name, r.recordLine(), header.get(index[j]));
          }
          out.output(Row.withSchema(schema).attachValues(Arrays.asList(values)));
          if (++count % 4096 == 0) {
            rows.inc(4096);
          }
        }
        rows.inc(count % 4096);
      }
    }

    private static Object parse(String v, TypeName t, String file, long line, String column) {
      if (t == TypeName.STRING) {
        return v;
      }
      try {
        switch (t) {
          case INT64:
            return Long.parseLong(v);
          case INT32:
            return Integer.parseInt(v);
          case DOUBLE:
            return Double.parseDouble(v);
          case BOOLEAN:
            if (v.equalsIgnoreCase("true") || v.equals("1")) {
              return true;
            }
            if (v.equalsIgnoreCase("false") || v.equals("0")) {
              return false;
            }
            throw new NumberFormatException(v);
          default:
            throw new AssertionError(t);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            String.format(
                "%s:%d: column '%s': '%s' is not a valid %s (declare the column's type with"
                    + " TableSource.withCsvType; inferred types come from the first %d rows)",
                file,
                line,
                column,
                v,
                t == TypeName.BOOLEAN ? "BOOLEAN (true/false/1/0)" : t,
                CSV_INFERENCE_ROWS));
      }
    }
  }
}
