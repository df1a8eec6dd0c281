package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes a {@code PCollection<Row>} as shards under one output directory, which then holds only the
 * result files {@code part-SSSSS-of-NNNNN.<ext>} (Beam's {@link FileIO.Write#defaultNaming} with
 * prefix {@code part}). Formats ({@link OutputFormat}):
 *
 * <ul>
 *   <li>{@code parquet}: the Row schema converted to Avro ({@link AvroUtils#toAvroSchema}) and
 *       written by {@link ParquetIO#sink}; {@link TableSource} reads it back to equal Rows.
 *   <li>{@code jsonl}: one JSON object per row, fields in schema order, e.g. {@code
 *       {"store_id":"S1","support":0.12,"count":34,"itemsets":["bread","milk"]}}; arrays as JSON
 *       arrays, nested rows as objects, doubles as {@link Double#toString(double)}, an infinite or
 *       NaN double as {@code null}, a null as {@code null}.
 *   <li>{@code csv}: a header line in every shard, then one line per row; array elements joined
 *       with {@code |}; a field quoted (quotes doubled) when it holds a comma, quote or line break;
 *       a null as an empty field; non-finite doubles as {@code inf}, {@code -inf}, {@code nan}.
 * </ul>
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<Row> itemsets = ...;   // store_id | support | itemsets | count | transactions
 * itemsets.apply("WriteItemsets",
 *     TableSink.to("out/itemsets").withFormat(OutputFormat.JSONL).withNumShards(2));
 * // out/itemsets/part-00000-of-00002.jsonl, out/itemsets/part-00001-of-00002.jsonl
 * }</pre>
 *
 * <p>Windowed input is written per window and pane (Beam's windowed writes; the file names then
 * carry the window, {@code part-<window>-SSSSS-of-NNNNN.<ext>}); unbounded input needs {@link
 * #withNumShards}. The number of shards is the runner's choice unless set. Temporary files live in
 * a hidden {@code .temp-beam*} directory under the output directory until the write is finalised;
 * then Beam removes them, and a last step ("RemoveTempDir") removes that directory if empty (local
 * file system; object stores have no directories). Rows are streamed: nothing is held in memory
 * beyond the writers' buffers (Parquet's row group buffer, 128 MiB by default, per open shard).
 *
 * <p>Metrics (namespace {@value #METRICS_NAMESPACE}): counter {@code rowsWritten}.
 */
public final class TableSink extends PTransform<PCollection<Row>, WriteFilesResult<Void>> {
  private static final long serialVersionUID = 1L;

  /** Namespace of the Beam metrics. */
  public static final String METRICS_NAMESPACE = "TableSink";

  /** Prefix of every shard's file name. */
  public static final String SHARD_PREFIX = "part";

  /** Default format: {@link OutputFormat#PARQUET}. */
  public static final OutputFormat DEFAULT_FORMAT = OutputFormat.PARQUET;

  private final String directory;
  private final OutputFormat format;
  private final @Nullable Integer numShards;

  private TableSink(String directory, OutputFormat format, @Nullable Integer numShards) {
    this.directory = directory;
    this.format = format;
    this.numShards = numShards;
  }

  /**
   * Writes under {@code directory} (created if needed; any Beam file system).
   *
   * @throws IllegalArgumentException if it is null or empty
   */
  public static TableSink to(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("TableSink needs an output directory, got none");
    }
    return new TableSink(directory, DEFAULT_FORMAT, null);
  }

  /** The file format; default {@link #DEFAULT_FORMAT}. */
  public TableSink withFormat(OutputFormat format) {
    if (format == null) {
      throw new IllegalArgumentException(
          "Invalid output format: null. Valid values are parquet, jsonl, csv.");
    }
    return new TableSink(directory, format, numShards);
  }

  /**
   * Exactly this many shards (by default the runner chooses).
   *
   * @throws IllegalArgumentException if {@code numShards < 1}
   */
  public TableSink withNumShards(int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException(
          "Invalid numShards: " + numShards + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
    return new TableSink(directory, format, numShards);
  }

  /** The output directory. */
  public String getDirectory() {
    return directory;
  }

  /** The file format. */
  public OutputFormat getFormat() {
    return format;
  }

  /**
   * @throws IllegalArgumentException if the input has no schema, or (Parquet) a type Avro cannot
   *     hold
   */
  @Override
  public WriteFilesResult<Void> expand(PCollection<Row> input) {
    if (!input.hasSchema()) {
      throw new IllegalArgumentException(
          "TableSink needs a PCollection<Row> with a schema (setRowSchema), got coder "
              + input.getCoder());
    }
    Schema schema = input.getSchema();
    PCollection<Row> counted =
        input.apply("CountRows", ParDo.of(new CountFn())).setRowSchema(schema);
    switch (format) {
      case PARQUET:
        {
          org.apache.avro.Schema avro = AvroUtils.toAvroSchema(schema);
          PCollection<GenericRecord> records =
              counted
                  .apply("ToAvro", ParDo.of(new ToAvroFn(avro.toString(), schema)))
                  .setCoder(AvroCoder.of(avro));
          return removeTempDir(
              records.apply(
                  "WriteParquet",
                  withShards(FileIO.<GenericRecord>write().via(ParquetIO.sink(avro)))));
        }
      case JSONL:
      case CSV:
        return removeTempDir(
            counted.apply(
                format == OutputFormat.CSV ? "WriteCsv" : "WriteJsonLines",
                withShards(FileIO.<Row>write().via(new TextSink(format, schema)))));
      default:
        throw new AssertionError(format);
    }
  }

  /**
   * Once the files are final, removes the empty {@code .temp-beam*} directories Beam's file writes
   * leave in a local output directory, so that it holds only result files.
   */
  private WriteFilesResult<Void> removeTempDir(WriteFilesResult<Void> result) {
    PCollection<KV<Void, String>> files = result.getPerDestinationOutputFilenames();
    boolean global = files.getWindowingStrategy().getWindowFn() instanceof GlobalWindows;
    Combine.Globally<KV<Void, String>, Long> count =
        Combine.globally(Count.<KV<Void, String>>combineFn());
    files
        .apply("CountShards", global ? count : count.withoutDefaults())
        .apply("RemoveTempDir", ParDo.of(new RemoveTempDirFn(directory)));
    return result;
  }

  private static final class RemoveTempDirFn extends DoFn<Long, Void> {
    private static final long serialVersionUID = 1L;
    private final String directory;

    RemoveTempDirFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void processElement() {
      ResourceId dir = FileSystems.matchNewResource(directory, true);
      if (!"file".equals(dir.getScheme())) {
        removeRemoteTempDirs(dir);
        return;
      }
      Path local = Paths.get(dir.toString());
      try (DirectoryStream<Path> temps = Files.newDirectoryStream(local, ".temp-beam*")) {
        for (Path t : temps) {
          try {
            Files.deleteIfExists(t); // only if empty: another write may be using it
          } catch (IOException e) {
            // Not empty or not ours: leave it.
          }
        }
      } catch (IOException e) {
        // The directory is not listable: nothing to clean.
      }
    }
  }

  /**
   * On a file system with directories (HDFS), deletes the empty {@code .temp-beam*} directories of
   * {@code dir}: Beam's Hadoop file system deletes non-recursively, so a directory another write
   * still uses stays. (Object stores have no directories: a glob there matches objects only, and
   * Beam keeps its temporary objects one level deeper, under {@code .temp-beam*}{@code /}.)
   */
  private static void removeRemoteTempDirs(ResourceId dir) {
    try {
      MatchResult m =
          FileSystems.match(
              dir.resolve(".temp-beam*", StandardResolveOptions.RESOLVE_FILE).toString(),
              EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK) {
        return;
      }
      for (MatchResult.Metadata md : m.metadata()) {
        // Beam's Hadoop matches name directories as files; its delete is non-recursive
        if (md.sizeBytes() == 0) {
          try {
            FileSystems.delete(
                List.of(md.resourceId()), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
          } catch (IOException e) {
            // Not empty or not ours: leave it.
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // Not listable: nothing to clean.
    }
  }

  private <T> FileIO.Write<Void, T> withShards(FileIO.Write<Void, T> w) {
    FileIO.Write<Void, T> out =
        w.to(directory).withNaming(FileIO.Write.defaultNaming(SHARD_PREFIX, format.suffix()));
    return numShards == null ? out : out.withNumShards(numShards);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("directory", directory).withLabel("Output directory"))
        .add(DisplayData.item("format", format.optionName()).withLabel("Output format"))
        .addIfNotNull(DisplayData.item("numShards", numShards).withLabel("Shards"));
  }

  private static final class CountFn extends DoFn<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Counter rows = Metrics.counter(METRICS_NAMESPACE, "rowsWritten");

    @ProcessElement
    public void processElement(@Element Row row, OutputReceiver<Row> out) {
      rows.inc();
      out.output(row);
    }
  }

  /** Rows to Avro records of the converted schema (kept as JSON: Avro schemas serialise so). */
  private static final class ToAvroFn extends DoFn<Row, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final String avroJson;
    private transient org.apache.avro.@Nullable Schema avro;

    ToAvroFn(String avroJson, Schema schema) {
      this.avroJson = avroJson;
    }

    @Setup
    public void setup() {
      avro = new org.apache.avro.Schema.Parser().parse(avroJson);
    }

    @ProcessElement
    public void processElement(@Element Row row, OutputReceiver<GenericRecord> out) {
      out.output(AvroUtils.toGenericRecord(row, avro));
    }
  }

  /** JSON lines or CSV text, UTF-8, LF line ends. */
  static final class TextSink implements FileIO.Sink<Row> {
    private static final long serialVersionUID = 1L;
    private final OutputFormat format;
    private final Schema schema;
    private transient @Nullable Writer writer;
    private transient @Nullable StringBuilder line;

    TextSink(OutputFormat format, Schema schema) {
      this.format = format;
      this.schema = schema;
    }

    @Override
    public void open(WritableByteChannel channel) throws IOException {
      writer = Channels.newWriter(channel, StandardCharsets.UTF_8);
      line = new StringBuilder(256);
      if (format == OutputFormat.CSV) {
        for (int j = 0; j < schema.getFieldCount(); j++) {
          TextFormats.appendCsvField(line.append(j == 0 ? "" : ","), schema.getField(j).getName());
        }
        writer.write(line.append('\n').toString());
      }
    }

    @Override
    public void write(Row row) throws IOException {
      StringBuilder sb = line;
      sb.setLength(0);
      if (format == OutputFormat.JSONL) {
        json(sb, row);
      } else {
        csv(sb, row, schema);
      }
      writer.write(sb.append('\n').toString());
    }

    @Override
    public void flush() throws IOException {
      writer.flush();
    }
  }

  /** Appends {@code row} as one JSON object, fields in schema order. */
  static void json(StringBuilder sb, Row row) {
    Schema schema = row.getSchema();
    sb.append('{');
    for (int j = 0; j < schema.getFieldCount(); j++) {
      if (j > 0) {
        sb.append(',');
      }
      TextFormats.appendJsonString(sb, schema.getField(j).getName());
      sb.append(':');
      jsonValue(sb, row.getValue(j), schema.getField(j).getType());
    }
    sb.append('}');
  }

  private static void jsonValue(StringBuilder sb, @Nullable Object v, FieldType t) {
    if (v == null) {
      sb.append("null");
      return;
    }
    switch (t.getTypeName()) {
      case STRING:
        TextFormats.appendJsonString(sb, (String) v);
        return;
      case BYTE:
      case INT16:
      case INT32:
      case INT64:
      case BOOLEAN:
      case DECIMAL:
        sb.append(v);
        return;
      case FLOAT:
      case DOUBLE:
        {
          double d = ((Number) v).doubleValue();
          if (Double.isFinite(d)) {
            sb.append(
                t.getTypeName() == TypeName.FLOAT ? Float.toString((Float) v) : Double.toString(d));
          } else {
            sb.append("null");
          }
          return;
        }
      case ARRAY:
      case ITERABLE:
        {
          sb.append('[');
          boolean first = true;
          for (Object e : (Iterable<?>) v) {
            if (!first) {
              sb.append(',');
            }
            first = false;
            jsonValue(sb, e, t.getCollectionElementType());
          }
          sb.append(']');
          return;
        }
      case ROW:
        json(sb, (Row) v);
        return;
      case MAP:
        {
          sb.append('{');
          boolean first = true;
          for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            if (!first) {
              sb.append(',');
            }
            first = false;
            TextFormats.appendJsonString(sb, String.valueOf(e.getKey()));
            sb.append(':');
            jsonValue(sb, e.getValue(), t.getMapValueType());
          }
          sb.append('}');
          return;
        }
      default:
        TextFormats.appendJsonString(sb, v.toString());
    }
  }

  /** Appends {@code row} as one CSV line (no line end). */
  static void csv(StringBuilder sb, Row row, Schema schema) {
    for (int j = 0; j < schema.getFieldCount(); j++) {
      if (j > 0) {
        sb.append(',');
      }
      Object v = row.getValue(j);
      FieldType t = schema.getField(j).getType();
      if (v == null) {
        continue;
      }
      if (t.getTypeName().isCollectionType()) {
        StringBuilder joined = new StringBuilder();
        boolean first = true;
        for (Object e : (Iterable<?>) v) {
          if (!first) {
            joined.append('|');
          }
          first = false;
          joined.append(e == null ? "" : csvText(e, t.getCollectionElementType()));
        }
        TextFormats.appendCsvField(sb, joined);
      } else {
        TextFormats.appendCsvField(sb, csvText(v, t));
      }
    }
  }

  private static String csvText(Object v, FieldType t) {
    if (t.getTypeName() == TypeName.DOUBLE || t.getTypeName() == TypeName.FLOAT) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
      }
      return t.getTypeName() == TypeName.FLOAT ? Float.toString((Float) v) : Double.toString(d);
    }
    return v.toString();
  }
}
