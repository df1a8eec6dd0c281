package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * {@link TableSource}'s Parquet side: the schema from the footer (its Avro schema, or one converted
 * from the Parquet schema) and the read through Beam's {@link ParquetIO} with a projection of the
 * selected columns.
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

  /** Reads {@code filepattern}'s {@code schema} columns (a projection of {@code fs}'s). */
  static PCollection<Row> read(PBegin input, String filepattern, FileSchema fs, Schema schema) {
    org.apache.avro.Schema fileAvro = new org.apache.avro.Schema.Parser().parse(fs.avroJson);
    // ParquetIO's projection yields the columns in file order; ToRows reorders them. The Avro
    // read schema must be the projection too: otherwise parquet-avro materialises records of the
    // file's full Avro schema (unread fields null), which the projection's coder then misreads.
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

  /** Parquet's Avro records to Rows. */
  private static final class RecordToRowFn extends DoFn<GenericRecord, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema fileOrder;
    private final Schema schema;

    /** For each output field, its index in {@code fileOrder}. */
    private final int[] index;

    private final Counter rows = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");

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
}
