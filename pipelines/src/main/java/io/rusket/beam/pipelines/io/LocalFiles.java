package io.rusket.beam.pipelines.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Writing local Parquet and Arrow IPC files outside a pipeline (for the data generator, {@link
 * io.rusket.beam.pipelines.generate.GenerateData}, and tests): a Parquet {@link OutputFile} on a
 * local path, and an Arrow file writer for Rows of flat schemas (STRING, BOOLEAN, INT32, INT64,
 * DOUBLE). Output bytes depend only on the data.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * try (ParquetWriter<GenericRecord> w = LocalFiles.parquetWriter(Path.of("x.parquet"), avro)) {
 *   w.write(record);
 * }
 * LocalFiles.writeArrow(Path.of("x.arrow"), schema, rows);
 * }</pre>
 */
public final class LocalFiles {
  private LocalFiles() {}

  /** Rows per Arrow record batch. */
  public static final int ARROW_BATCH_ROWS = 1 << 16;

  /** A Parquet writer of Avro records to a local file (replaced if present), Snappy. */
  public static ParquetWriter<GenericRecord> parquetWriter(Path path, org.apache.avro.Schema avro)
      throws IOException {
    return AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(path))
        .withSchema(avro)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  /** A Parquet {@link OutputFile} on a local path. */
  static final class LocalOutputFile implements OutputFile {
    private final Path path;

    LocalOutputFile(Path path) {
      this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
      return new PositionOutputStream() {
        private long pos;

        @Override
        public long getPos() {
          return pos;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          pos += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  /** The Arrow type of a flat Beam field type. */
  public static ArrowType arrowType(Schema.FieldType t) {
    switch (t.getTypeName()) {
      case STRING:
        return ArrowType.Utf8.INSTANCE;
      case BOOLEAN:
        return ArrowType.Bool.INSTANCE;
      case INT32:
        return new ArrowType.Int(32, true);
      case INT64:
        return new ArrowType.Int(64, true);
      case DOUBLE:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      default:
        throw new IllegalArgumentException("No Arrow writer for Beam type " + t.getTypeName());
    }
  }

  /** Writes {@code rows} (a flat schema) as an Arrow IPC file, in batches. */
  public static void writeArrow(Path path, Schema schema, Iterable<Row> rows) throws IOException {
    List<Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      fields.add(Field.nullable(f.getName(), arrowType(f.getType())));
    }
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root =
            VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(fields), alloc);
        FileChannel ch =
            FileChannel.open(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      w.start();
      int n = 0;
      for (Row r : rows) {
        for (int j = 0; j < schema.getFieldCount(); j++) {
          set(root.getVector(j), schema.getField(j).getType().getTypeName(), n, r.getValue(j));
        }
        if (++n == ARROW_BATCH_ROWS) {
          root.setRowCount(n);
          w.writeBatch();
          root.allocateNew();
          n = 0;
        }
      }
      if (n > 0) {
        root.setRowCount(n);
        w.writeBatch();
      }
      w.end();
    }
  }

  private static void set(FieldVector v, TypeName t, int i, Object value) {
    if (value == null) {
      v.setNull(i);
      return;
    }
    switch (t) {
      case STRING:
        ((VarCharVector) v).setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
        break;
      case BOOLEAN:
        ((BitVector) v).setSafe(i, (Boolean) value ? 1 : 0);
        break;
      case INT32:
        ((IntVector) v).setSafe(i, (Integer) value);
        break;
      case INT64:
        ((BigIntVector) v).setSafe(i, (Long) value);
        break;
      case DOUBLE:
        ((Float8Vector) v).setSafe(i, (Double) value);
        break;
      default:
        throw new AssertionError(t);
    }
  }
}
