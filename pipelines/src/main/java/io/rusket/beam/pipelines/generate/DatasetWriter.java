package io.rusket.beam.pipelines.generate;

import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.LocalFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.hadoop.ParquetWriter;

/** Writes a {@link Dataset} as Parquet, Arrow IPC or CSV files, for {@link GenerateData#write}. */
final class DatasetWriter {
  private DatasetWriter() {}

  private static String extension(InputFormat f) {
    return f == InputFormat.ARROW ? ".arrow" : f == InputFormat.PARQUET ? ".parquet" : ".csv";
  }

  /**
   * Writes the chosen layouts in the chosen formats under {@code dir} (created if needed; files
   * replaced), as {@code receipts|events|items.parquet|arrow|csv}.
   *
   * @return the files written
   */
  static List<Path> write(Dataset data, Path dir, Set<Layout> layouts, Set<InputFormat> formats)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (Layout layout : layouts) {
      for (InputFormat f : formats) {
        Path path = dir.resolve(layout.name().toLowerCase(Locale.ROOT) + extension(f));
        switch (f) {
          case PARQUET:
            writeParquet(data, layout, path);
            break;
          case ARROW:
            writeArrow(data, layout, path);
            break;
          case CSV:
            writeCsv(data, layout, path);
            break;
          default:
            throw new AssertionError(f);
        }
        written.add(path);
      }
    }
    return written;
  }

  private static Schema schema(Dataset d, Layout layout) {
    switch (layout) {
      case RECEIPTS:
        return GenerateData.receiptsSchema(d.itemNames);
      case EVENTS:
        return GenerateData.eventsSchema(d.config.itemNameColumn);
      case ITEMS:
        return GenerateData.itemsSchema();
      default:
        throw new AssertionError(layout);
    }
  }

  private static void writeParquet(Dataset d, Layout layout, Path path) throws IOException {
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(schema(d, layout));
    boolean names = d.config.itemNameColumn;
    try (ParquetWriter<GenericRecord> w = LocalFiles.parquetWriter(path, avro)) {
      switch (layout) {
        case EVENTS:
          for (int t = 0; t < d.numTransactions(); t++) {
            String s = d.storeIds[d.store[t]];
            for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
              GenericData.Record r = new GenericData.Record(avro);
              r.put(0, s);
              r.put(1, d.transactionId(t));
              r.put(2, d.items[p]);
              if (names) {
                r.put(3, d.itemNames[d.items[p]]);
              }
              w.write(r);
            }
          }
          break;
        case RECEIPTS:
          {
            int m = d.itemNames.length;
            for (int t = 0; t < d.numTransactions(); t++) {
              GenericData.Record r = new GenericData.Record(avro);
              r.put(0, d.storeIds[d.store[t]]);
              for (int i = 0; i < m; i++) {
                r.put(1 + i, Boolean.FALSE);
              }
              for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
                r.put(1 + d.items[p], Boolean.TRUE);
              }
              w.write(r);
            }
            break;
          }
        case ITEMS:
          for (int i = 0; i < d.itemNames.length; i++) {
            GenericData.Record r = new GenericData.Record(avro);
            r.put(0, i);
            r.put(1, d.itemNames[i]);
            w.write(r);
          }
          break;
        default:
          throw new AssertionError(layout);
      }
    }
  }

  private static void writeArrow(Dataset d, Layout layout, Path path) throws IOException {
    Schema schema = schema(d, layout);
    List<Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      fields.add(Field.notNullable(f.getName(), LocalFiles.arrowType(f.getType())));
    }
    final int batch = LocalFiles.ARROW_BATCH_ROWS;
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
      byte[][] storeBytes = new byte[d.storeIds.length][];
      for (int k = 0; k < storeBytes.length; k++) {
        storeBytes[k] = d.storeIds[k].getBytes(StandardCharsets.UTF_8);
      }
      byte[][] nameBytes = new byte[d.itemNames.length][];
      for (int i = 0; i < nameBytes.length; i++) {
        nameBytes[i] = d.itemNames[i].getBytes(StandardCharsets.UTF_8);
      }
      int rows = 0;
      root.allocateNew();
      switch (layout) {
        case EVENTS:
          {
            VarCharVector s = (VarCharVector) root.getVector(0);
            BigIntVector txn = (BigIntVector) root.getVector(1);
            IntVector item = (IntVector) root.getVector(2);
            VarCharVector name = d.config.itemNameColumn ? (VarCharVector) root.getVector(3) : null;
            for (int t = 0; t < d.numTransactions(); t++) {
              for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
                s.setSafe(rows, storeBytes[d.store[t]]);
                txn.setSafe(rows, d.transactionId(t));
                item.setSafe(rows, d.items[p]);
                if (name != null) {
                  name.setSafe(rows, nameBytes[d.items[p]]);
                }
                if (++rows == batch) {
                  flush(root, w, rows);
                  rows = 0;
                }
              }
            }
            break;
          }
        case RECEIPTS:
          {
            VarCharVector s = (VarCharVector) root.getVector(0);
            int m = d.itemNames.length;
            BitVector[] cols = new BitVector[m];
            for (int i = 0; i < m; i++) {
              cols[i] = (BitVector) root.getVector(1 + i);
            }
            for (int t = 0; t < d.numTransactions(); t++) {
              s.setSafe(rows, storeBytes[d.store[t]]);
              for (int i = 0; i < m; i++) {
                cols[i].setSafe(rows, 0);
              }
              for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
                cols[d.items[p]].setSafe(rows, 1);
              }
              if (++rows == batch) {
                flush(root, w, rows);
                rows = 0;
              }
            }
            break;
          }
        case ITEMS:
          {
            IntVector id = (IntVector) root.getVector(0);
            VarCharVector name = (VarCharVector) root.getVector(1);
            for (int i = 0; i < nameBytes.length; i++) {
              id.setSafe(rows, i);
              name.setSafe(rows, nameBytes[i]);
              if (++rows == batch) {
                flush(root, w, rows);
                rows = 0;
              }
            }
            break;
          }
        default:
          throw new AssertionError(layout);
      }
      if (rows > 0) {
        root.setRowCount(rows);
        w.writeBatch();
      }
      w.end();
    }
  }

  private static void flush(VectorSchemaRoot root, ArrowFileWriter w, int rows) throws IOException {
    root.setRowCount(rows);
    w.writeBatch();
    root.allocateNew();
  }

  private static void writeCsv(Dataset d, Layout layout, Path path) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      w.write(String.join(",", schema(d, layout).getFieldNames()));
      w.write('\n');
      StringBuilder sb = new StringBuilder();
      switch (layout) {
        case EVENTS:
          for (int t = 0; t < d.numTransactions(); t++) {
            for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
              sb.setLength(0);
              sb.append(d.storeIds[d.store[t]])
                  .append(',')
                  .append(d.transactionId(t))
                  .append(',')
                  .append(d.items[p]);
              if (d.config.itemNameColumn) {
                sb.append(',').append(d.itemNames[d.items[p]]);
              }
              w.append(sb).append('\n');
            }
          }
          break;
        case RECEIPTS:
          {
            int m = d.itemNames.length;
            boolean[] row = new boolean[m];
            for (int t = 0; t < d.numTransactions(); t++) {
              Arrays.fill(row, false);
              for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
                row[d.items[p]] = true;
              }
              sb.setLength(0);
              sb.append(d.storeIds[d.store[t]]);
              for (int i = 0; i < m; i++) {
                sb.append(row[i] ? ",1" : ",0");
              }
              w.append(sb).append('\n');
            }
            break;
          }
        case ITEMS:
          for (int i = 0; i < d.itemNames.length; i++) {
            w.append(Integer.toString(i)).append(',').append(d.itemNames[i]).append('\n');
          }
          break;
        default:
          throw new AssertionError(layout);
      }
    }
  }
}
