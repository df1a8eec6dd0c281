package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
import org.apache.beam.sdk.io.FileIO;
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
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link TableSource}'s Arrow IPC side: the schema from the file footer and the read, one file per
 * element and one record batch at a time, straight from the column vectors. Arrow types: Bool →
 * BOOLEAN, signed Int(8/16/32/64) → BYTE/INT16/INT32/INT64, FloatingPoint → FLOAT/DOUBLE,
 * Utf8/LargeUtf8 → STRING (nullable as in the file); any other type is a nullable BYTES
 * placeholder, an error only if the column is selected.
 */
final class ArrowTable {
  private ArrowTable() {}

  /** The schema of {@code md} (named {@code file}). */
  static Schema schema(Metadata md, String file) throws IOException {
    try (SeekableByteChannel ch = SeekableChannels.open(md.resourceId());
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

  static @Nullable FieldType arrowType(Field f) {
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

  /**
   * Reads the {@code schema} columns of every file matching {@code filepattern}.
   *
   * @throws IllegalArgumentException if a selected column has an unsupported type, naming the first
   *     file {@code file}
   */
  static PCollection<Row> read(PBegin input, String filepattern, String file, Schema schema) {
    for (Schema.Field f : schema.getFields()) {
      if (f.getType().getTypeName() == TypeName.BYTES) {
        throw new IllegalArgumentException(
            String.format(
                "Column '%s' of %s has an Arrow type that TableSource does not read (supported:"
                    + " Bool, signed Int, FloatingPoint, Utf8, LargeUtf8; not"
                    + " dictionary-encoded)",
                f.getName(), file));
      }
    }
    return input
        .apply("MatchFiles", FileIO.match().filepattern(filepattern))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("ReadArrowBatches", ParDo.of(new ReadArrowFn(schema)))
        .setRowSchema(schema);
  }

  /** Reads one Arrow IPC file per element, batch by batch, straight from the column vectors. */
  private static final class ReadArrowFn extends DoFn<FileIO.ReadableFile, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema schema;
    private final Counter files = Metrics.counter(TableSource.METRICS_NAMESPACE, "filesRead");
    private final Counter batches = Metrics.counter(TableSource.METRICS_NAMESPACE, "batchesRead");
    private final Counter rows = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowsRead");
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
      try (SeekableByteChannel ch =
              SeekableChannels.wrap(
                  file.openSeekable(), file.getMetadata().resourceId().getScheme());
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
                    Schemas.describe(want.getType()),
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
}
