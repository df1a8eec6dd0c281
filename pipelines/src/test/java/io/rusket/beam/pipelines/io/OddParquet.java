package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;

/**
 * Test Parquet files of odd shapes: events {@code txn | item | store | flag | hot} with INT32 or
 * INT64 ids, dictionary-encoded or plain, many small row groups or one, optionally with an empty
 * row group in the middle and nulls.
 */
final class OddParquet {
  private OddParquet() {}

  /** The columns written: ids, a store name, a boolean and a 0/1 integer. */
  static final class Events {
    final long[] txn;
    final long[] item;
    final String[] store;
    final boolean[] flag;

    Events(long[] txn, long[] item, String[] store, boolean[] flag) {
      this.txn = txn;
      this.item = item;
      this.store = store;
      this.flag = flag;
    }

    int size() {
      return txn.length;
    }

    /** Random events over {@code txns} transactions and {@code items} Zipf-like items. */
    static Events random(long seed, int n, int txns, int items) {
      java.util.Random r = new java.util.Random(seed);
      long[] t = new long[n];
      long[] i = new long[n];
      String[] s = new String[n];
      boolean[] f = new boolean[n];
      for (int k = 0; k < n; k++) {
        t[k] = r.nextInt(txns) - txns / 3;
        i[k] = (long) (items * Math.pow(r.nextDouble(), 2));
        s[k] = "store-" + (t[k] & 7);
        f[k] = r.nextBoolean();
      }
      return new Events(t, i, s, f);
    }
  }

  /** How a file is written. */
  static final class Shape {
    boolean int32Ids;
    boolean dictionary = true;
    long rowGroupBytes = 128L << 20;
    boolean emptyRowGroup;
    boolean noOffsetIndex;
    int pageBytes;

    /** Per column, a row index to write null at (or absent); makes the columns optional. */
    Map<String, Integer> nullAt = Map.of();

    Shape int32() {
      int32Ids = true;
      return this;
    }

    Shape plain() {
      dictionary = false;
      return this;
    }

    Shape rowGroupBytes(long b) {
      rowGroupBytes = b;
      return this;
    }

    /** No offset index in the footer, as writers before parquet-mr 1.11. */
    Shape withoutOffsetIndex() {
      noOffsetIndex = true;
      return this;
    }

    Shape pageBytes(int b) {
      pageBytes = b;
      return this;
    }

    Shape withEmptyRowGroup() {
      emptyRowGroup = true;
      return this;
    }

    Shape nullAt(String column, int row) {
      nullAt = Map.of(column, row);
      return this;
    }
  }

  static Schema avro(Shape shape) {
    String id = shape.int32Ids ? "\"int\"" : "\"long\"";
    String[][] columns = {
      {"txn", id},
      {"item", id},
      {"store", "\"string\""},
      {"flag", "\"boolean\""},
      {"hot", "\"int\""}
    };
    StringBuilder json = new StringBuilder("{\"type\":\"record\",\"name\":\"event\",\"fields\":[");
    for (int j = 0; j < columns.length; j++) {
      String type = columns[j][1];
      if (shape.nullAt.containsKey(columns[j][0])) {
        type = "[\"null\"," + type + "]";
      }
      json.append(j == 0 ? "" : ",")
          .append("{\"name\":\"")
          .append(columns[j][0])
          .append("\",\"type\":")
          .append(type)
          .append('}');
    }
    return new Schema.Parser().parse(json.append("]}").toString());
  }

  /**
   * Writes {@code e} to {@code path} in {@code shape}; an empty row group (in the middle) or the
   * removal of the offset indexes are made by rewriting the footer.
   */
  static void write(Path path, Events e, Shape shape) throws IOException {
    if (!shape.emptyRowGroup && !shape.noOffsetIndex) {
      writeRows(path, e, shape, 0, e.size());
      return;
    }
    // parquet-mr's writers never write an empty row group (other writers do): write the rows,
    // then rewrite the footer with a row group of zero rows, its column chunks empty, in the
    // middle.
    writeRows(path, e, shape, 0, e.size());
    rewriteFooter(path, shape.emptyRowGroup, shape.noOffsetIndex);
  }

  /**
   * Rewrites the footer of the Parquet file {@code path} (of any schema, with at least one row
   * group) with an empty row group in the middle.
   */
  static void insertEmptyRowGroup(Path path) throws IOException {
    rewriteFooter(path, true, false);
  }

  private static void rewriteFooter(Path path, boolean emptyRowGroup, boolean noOffsetIndex)
      throws IOException {
    ParquetMetadata footer;
    try (ParquetFileReader r = ParquetFileReader.open(input(path))) {
      footer = r.getFooter();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(path);
    int n = bytes.length;
    int footerLength =
        (bytes[n - 8] & 0xff)
            | (bytes[n - 7] & 0xff) << 8
            | (bytes[n - 6] & 0xff) << 16
            | (bytes[n - 5] & 0xff) << 24;
    int body = n - 8 - footerLength;
    List<BlockMetaData> blocks = new ArrayList<>(footer.getBlocks());
    int mid = blocks.size() / 2;
    BlockMetaData model = blocks.get(mid);
    // Offsets at the next row group's start, size 0: row groups stay in file order.
    long at = model.getStartingPos();
    BlockMetaData empty = new BlockMetaData();
    empty.setRowCount(0);
    empty.setTotalByteSize(0);
    for (ColumnChunkMetaData c : model.getColumns()) {
      empty.addColumn(
          ColumnChunkMetaData.get(
              c.getPath(),
              c.getPrimitiveType(),
              c.getCodec(),
              null,
              c.getEncodings(),
              c.getStatistics(),
              at,
              0,
              0,
              0,
              0));
    }
    if (emptyRowGroup) {
      blocks.add(mid, empty);
    }
    if (noOffsetIndex) {
      for (BlockMetaData b : blocks) {
        for (ColumnChunkMetaData c : b.getColumns()) {
          c.setOffsetIndexReference(null);
          c.setColumnIndexReference(null);
        }
      }
    }
    ParquetMetadata withEmpty = new ParquetMetadata(footer.getFileMetaData(), blocks);
    java.io.ByteArrayOutputStream meta = new java.io.ByteArrayOutputStream();
    Util.writeFileMetaData(
        new ParquetMetadataConverter()
            .toParquetMetadata(ParquetFileWriter.CURRENT_VERSION, withEmpty),
        meta);
    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(path)) {
      out.write(bytes, 0, body);
      meta.writeTo(out);
      int m = meta.size();
      out.write(new byte[] {(byte) m, (byte) (m >>> 8), (byte) (m >>> 16), (byte) (m >>> 24)});
      out.write(new byte[] {'P', 'A', 'R', '1'});
    }
  }

  private static void writeRows(Path path, Events e, Shape shape, int from, int to)
      throws IOException {
    Schema avro = avro(shape);
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalFiles.LocalOutputFile(path))
            .withSchema(avro)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withDictionaryEncoding(shape.dictionary)
            .withRowGroupSize(shape.rowGroupBytes)
            .withPageSize(
                shape.pageBytes > 0
                    ? shape.pageBytes
                    : (int) Math.min(1 << 20, Math.max(256, shape.rowGroupBytes / 4)))
            .withMinRowCountForPageSizeCheck(10)
            .withMaxRowCountForPageSizeCheck(100)
            .build()) {
      for (int k = from; k < to; k++) {
        GenericData.Record r = new GenericData.Record(avro);
        r.put("txn", shape.int32Ids ? (Object) (int) e.txn[k] : (Object) e.txn[k]);
        r.put("item", shape.int32Ids ? (Object) (int) e.item[k] : (Object) e.item[k]);
        r.put("store", e.store[k]);
        r.put("flag", e.flag[k]);
        r.put("hot", e.flag[k] ? 1 : 0);
        for (Map.Entry<String, Integer> n : shape.nullAt.entrySet()) {
          if (n.getValue() == k) {
            r.put(n.getKey(), null);
          }
        }
        w.write(r);
      }
    }
  }

  /** A local file as a Parquet input, through Beam's file systems. */
  static InputFile input(Path path) throws IOException {
    return new BeamInputFile(FileSystems.matchSingleFileSpec(path.toString()));
  }

  /** The row counts of the file's row groups, from its footer. */
  static long[] rowGroupRows(Path path) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(input(path))) {
      return r.getRowGroups().stream().mapToLong(b -> b.getRowCount()).toArray();
    }
  }

  /** Whether every column chunk of the file has an offset index (to read ranges of pages). */
  static boolean hasOffsetIndex(Path path) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(input(path))) {
      return r.getRowGroups().stream()
          .allMatch(
              b -> b.getColumns().stream().allMatch(c -> c.getOffsetIndexReference() != null));
    }
  }

  /** Whether every column chunk of the file is dictionary-encoded. */
  static boolean dictionaryEncoded(Path path, String column) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(input(path))) {
      return r.getRowGroups().stream()
          .filter(b -> b.getRowCount() > 0)
          .allMatch(
              b ->
                  b.getColumns().stream()
                      .filter(c -> c.getPath().toDotString().equals(column))
                      .allMatch(c -> c.hasDictionaryPage()));
    }
  }
}
