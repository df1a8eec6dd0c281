package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link TableSource}'s Parquet side: the schema from the footer (its Avro schema, or one converted
 * from the Parquet schema) and the read of the selected columns, row group by row group ({@link
 * ParquetColumns}'s splits; not Beam's {@code ParquetIO}, whose split reading returns a row group
 * twice when a file has an empty row group in the middle).
 */
final class ParquetTable {
  private ParquetTable() {}

  /** The schema of {@code md} (named {@code file}), with its Avro schema as JSON. */
  static FileSchema schema(Metadata md, String file) throws IOException {
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

  /** The Beam types read column-wise (through {@link ParquetColumns}), nullable or not. */
  static final Set<TypeName> COLUMNAR_TYPES =
      Collections.unmodifiableSet(
          EnumSet.of(
              TypeName.BOOLEAN,
              TypeName.BYTE,
              TypeName.INT16,
              TypeName.INT32,
              TypeName.INT64,
              TypeName.FLOAT,
              TypeName.DOUBLE,
              TypeName.STRING));

  /** Rows decoded per column slice: bounds what one split holds decoded at a time. */
  static final int SLICE_ROWS = 8_192;

  /**
   * Reads {@code filepattern}'s {@code schema} columns (a projection of {@code fs}'s): every file
   * is expanded into its non-empty row groups ({@link ParquetColumns#splits}), each read on its
   * own. Columns all of {@link #COLUMNAR_TYPES} are read column-wise, a slice of rows at a time;
   * others (arrays, logical types, bytes, nested records) through parquet-avro's records, a row
   * group at a time.
   */
  static PCollection<Row> read(PBegin input, String filepattern, FileSchema fs, Schema schema) {
    boolean columnar = true;
    for (Schema.Field f : schema.getFields()) {
      columnar &= COLUMNAR_TYPES.contains(f.getType().getTypeName());
    }
    PCollection<FileIO.ReadableFile> files =
        input
            .apply("MatchParquet", FileIO.match().filepattern(filepattern))
            .apply("OpenParquet", FileIO.readMatches());
    if (columnar) {
      return files
          .apply("RowGroups", ParquetColumns.splits())
          .apply("ToRows", ParDo.of(new ColumnsToRowsFn(schema)))
          .setRowSchema(schema);
    }
    org.apache.avro.Schema fileAvro = new org.apache.avro.Schema.Parser().parse(fs.avroJson);
    // The Avro read schema must be the projection: otherwise parquet-avro materialises records of
    // the file's full Avro schema (unread fields null).
    org.apache.avro.Schema projection = project(fileAvro, schema);
    return files
        .apply("RowGroups", ParquetColumns.splits(Long.MAX_VALUE))
        .apply("ToRows", ParDo.of(new RecordsToRowsFn(projection.toString(), schema)))
        .setRowSchema(schema);
  }

  /** A split's columns, a slice of rows at a time, to Rows of {@code schema}. */
  private static final class ColumnsToRowsFn extends DoFn<ParquetColumns.Split, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema schema;
    private final Counter rowsRead = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");

    ColumnsToRowsFn(Schema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void processElement(@Element ParquetColumns.Split split, OutputReceiver<Row> out)
        throws IOException {
      List<String> names = schema.getFieldNames();
      int n = names.size();
      try (ParquetColumns.Cursor cursor = ParquetColumns.open(split, names)) {
        ParquetColumns.Chunk c;
        while ((c = cursor.next(SLICE_ROWS)) != null) {
          Object[][] columns = new Object[n][];
          for (int j = 0; j < n; j++) {
            columns[j] = boxed(c, schema.getField(j), c.rows());
          }
          for (int i = 0; i < c.rows(); i++) {
            Object[] values = new Object[n];
            for (int j = 0; j < n; j++) {
              values[j] = columns[j][i];
            }
            out.output(Row.withSchema(schema).attachValues(Arrays.asList(values)));
          }
          rowsRead.inc(c.rows());
        }
      }
    }

    /** {@code field}'s values in chunk {@code c}, as the Row's Java values of its type. */
    private static Object[] boxed(ParquetColumns.Chunk c, Schema.Field field, int rows) {
      String name = field.getName();
      TypeName type = field.getType().getTypeName();
      Object[] v = new Object[rows];
      switch (type) {
        case STRING:
          System.arraycopy(c.strings(name), 0, v, 0, rows);
          break;
        case BOOLEAN:
          {
            boolean[] b = c.booleans(name);
            for (int i = 0; i < rows; i++) {
              v[i] = b[i];
            }
            break;
          }
        case DOUBLE:
          {
            double[] d = c.doubles(name);
            for (int i = 0; i < rows; i++) {
              v[i] = d[i];
            }
            break;
          }
        case FLOAT:
          {
            double[] d = c.doubles(name);
            for (int i = 0; i < rows; i++) {
              float f = (float) d[i];
              if (f != d[i] && !Double.isNaN(d[i])) {
                throw outOfRange(c, name, type, i, d[i]);
              }
              v[i] = f;
            }
            break;
          }
        case INT64:
          {
            long[] l = c.longs(name);
            for (int i = 0; i < rows; i++) {
              v[i] = l[i];
            }
            break;
          }
        case INT32:
        case INT16:
        case BYTE:
          {
            long[] l = c.longs(name);
            for (int i = 0; i < rows; i++) {
              long x = l[i];
              if (type == TypeName.INT32 && x == (int) x) {
                v[i] = (int) x;
              } else if (type == TypeName.INT16 && x == (short) x) {
                v[i] = (short) x;
              } else if (type == TypeName.BYTE && x == (byte) x) {
                v[i] = (byte) x;
              } else {
                throw outOfRange(c, name, type, i, x);
              }
            }
            break;
          }
        default:
          throw new AssertionError(type);
      }
      return v;
    }

    private static IllegalArgumentException outOfRange(
        ParquetColumns.Chunk c, String column, TypeName type, int i, Object value) {
      return new IllegalArgumentException(
          "Parquet column '"
              + column
              + "' = "
              + value
              + " in "
              + c.split().file()
              + ", row group "
              + c.split().rowGroup()
              + ", row "
              + (c.firstRow() + i)
              + " does not fit the column's type "
              + type
              + " (read from the first file's schema; do the files' schemas differ?)");
    }
  }

  /**
   * A whole row group through parquet-avro's records (projected to {@code projection}) to Rows of
   * {@code schema}: for columns {@link ParquetColumns} does not read.
   */
  private static final class RecordsToRowsFn extends DoFn<ParquetColumns.Split, Row> {
    private static final long serialVersionUID = 1L;
    private final String projectionJson;
    private final Schema schema;
    private final Counter rowsRead = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");
    private transient org.apache.avro.@Nullable Schema projection;
    private transient @Nullable Schema fileOrder;
    private transient int @Nullable [] index;

    RecordsToRowsFn(String projectionJson, Schema schema) {
      this.projectionJson = projectionJson;
      this.schema = schema;
    }

    @Setup
    public void setup() {
      projection = new org.apache.avro.Schema.Parser().parse(projectionJson);
      fileOrder = AvroUtils.toBeamSchema(projection);
      index = new int[schema.getFieldCount()];
      for (int j = 0; j < index.length; j++) {
        index[j] = fileOrder.indexOf(schema.getField(j).getName());
      }
    }

    @ProcessElement
    public void processElement(@Element ParquetColumns.Split split, OutputReceiver<Row> out)
        throws IOException {
      Metadata md =
          Metadata.builder()
              .setResourceId(FileSystems.matchNewResource(split.file(), false))
              .setSizeBytes(split.fileBytes())
              .setIsReadSeekEfficient(true)
              .setLastModifiedMillis(0L)
              .build();
      try (ParquetFileReader reader = ParquetFileReader.open(new BeamInputFile(md))) {
        FileMetaData meta = reader.getFooter().getFileMetaData();
        MessageType fileSchema = meta.getSchema();
        Configuration conf = new Configuration(false);
        AvroReadSupport.setRequestedProjection(conf, projection);
        AvroReadSupport.setAvroReadSchema(conf, projection);
        AvroReadSupport<GenericRecord> support = new AvroReadSupport<>(GenericData.get());
        Map<String, String> kv = meta.getKeyValueMetaData();
        Map<String, Set<String>> kvs = new HashMap<>();
        kv.forEach((k, v) -> kvs.put(k, Set.of(v)));
        ReadSupport.ReadContext context = support.init(new InitContext(conf, kvs, fileSchema));
        RecordMaterializer<GenericRecord> materializer =
            support.prepareForRead(conf, kv, fileSchema, context);
        reader.setRequestedSchema(context.getRequestedSchema());
        PageReadStore pages = reader.readRowGroup(split.rowGroup());
        if (pages == null) {
          throw new IllegalArgumentException(
              "Parquet file " + split.file() + " has no row group " + split.rowGroup());
        }
        MessageColumnIO io =
            new ColumnIOFactory(meta.getCreatedBy())
                .getColumnIO(context.getRequestedSchema(), fileSchema, true);
        RecordReader<GenericRecord> records =
            io.getRecordReader(pages, materializer, FilterCompat.NOOP);
        long end = split.firstRow() + split.rows();
        for (long i = 0; i < end; i++) {
          GenericRecord record = records.read();
          if (i < split.firstRow()) {
            continue;
          }
          Row r = AvroUtils.toBeamRowStrict(record, fileOrder);
          Object[] values = new Object[index.length];
          for (int j = 0; j < index.length; j++) {
            values[j] = r.getValue(index[j]);
          }
          out.output(Row.withSchema(schema).attachValues(Arrays.asList(values)));
        }
        rowsRead.inc(split.rows());
      }
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
}
