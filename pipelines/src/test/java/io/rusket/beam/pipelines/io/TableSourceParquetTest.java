package io.rusket.beam.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TableSource's Parquet Rows on odd files: each row written comes out exactly once, whatever the
 * row groups (many, one, an empty one in the middle).
 */
class TableSourceParquetTest {
  @TempDir Path dir;

  /** The rows of {@code got} as value lists, counted. */
  private static Map<List<Object>, Integer> counts(Iterable<Row> rows) {
    Map<List<Object>, Integer> m = new HashMap<>();
    for (Row r : rows) {
      m.merge(r.getValues(), 1, Integer::sum);
    }
    return m;
  }

  /** Asserts that {@code rows} are {@code expected}, each as many times (any order). */
  private static void assertSameRows(String name, PCollection<Row> rows, List<List<Object>> want) {
    Map<List<Object>, Integer> expected = new HashMap<>();
    for (List<Object> w : want) {
      expected.merge(w, 1, Integer::sum);
    }
    int size = want.size();
    PAssert.that(name, rows)
        .satisfies(
            got -> {
              int n = 0;
              for (Row r : got) {
                n++;
              }
              assertEquals(size, n, name + ": rows read");
              assertEquals(expected, counts(got), name);
              return null;
            });
  }

  /** Receipts one-hot: {@code store} (a group) and BOOLEAN item columns {@code i0..i<k-1>}. */
  private static List<List<Object>> writeOneHot(Path path, long seed, int rows, int items)
      throws IOException {
    StringBuilder json =
        new StringBuilder(
            "{\"type\":\"record\",\"name\":\"receipt\",\"fields\":["
                + "{\"name\":\"store\",\"type\":\"string\"}");
    for (int j = 0; j < items; j++) {
      json.append(",{\"name\":\"i").append(j).append("\",\"type\":\"boolean\"}");
    }
    org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse(json + "]}");
    Random r = new Random(seed);
    List<List<Object>> written = new ArrayList<>();
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalFiles.LocalOutputFile(path))
            .withSchema(avro)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withRowGroupSize(2_048)
            .withPageSize(512)
            .withMinRowCountForPageSizeCheck(10)
            .withMaxRowCountForPageSizeCheck(50)
            .build()) {
      for (int k = 0; k < rows; k++) {
        GenericData.Record rec = new GenericData.Record(avro);
        List<Object> values = new ArrayList<>();
        String store = "store-" + r.nextInt(3);
        rec.put("store", store);
        values.add(store);
        for (int j = 0; j < items; j++) {
          boolean b = r.nextInt(4) == 0;
          rec.put("i" + j, b);
          values.add(b);
        }
        w.write(rec);
        written.add(values);
      }
    }
    return written;
  }

  @Test
  void oneHotWithAnEmptyRowGroupInTheMiddleReadsEachRowOnce() throws IOException {
    Path f = dir.resolve("receipts.parquet");
    List<List<Object>> written = writeOneHot(f, 1, 4_000, 12);
    OddParquet.insertEmptyRowGroup(f);
    long[] groups = OddParquet.rowGroupRows(f);
    assertTrue(groups.length >= 4, Arrays.toString(groups));
    assertEquals(0L, groups[(groups.length - 1) / 2], Arrays.toString(groups));
    assertEquals(4_000L, Arrays.stream(groups).sum());

    TableSource src = TableSource.from(f.toString());
    Schema schema = src.getSchema();
    assertEquals(13, schema.getFieldCount());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    assertSameRows("one-hot", p.apply(src), written);
    p.run().waitUntilFinish();
  }

  @Test
  void eventsWithAnEmptyRowGroupInTheMiddleReadEachRowOnce() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(7, 30_000, 4_000, 500);
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    int k = 0;
    for (OddParquet.Shape shape :
        List.of(
            new OddParquet.Shape().rowGroupBytes(16 << 10).withEmptyRowGroup(),
            new OddParquet.Shape().rowGroupBytes(16 << 10).withEmptyRowGroup().int32().plain())) {
      Path f = dir.resolve("events-" + k++ + ".parquet");
      OddParquet.write(f, e, shape);
      long[] groups = OddParquet.rowGroupRows(f);
      assertTrue(groups.length >= 4, Arrays.toString(groups));
      assertTrue(Arrays.stream(groups).anyMatch(g -> g == 0), Arrays.toString(groups));

      List<List<Object>> want = new ArrayList<>();
      for (int i = 0; i < e.size(); i++) {
        Object txn = shape.int32Ids ? (Object) (int) e.txn[i] : (Object) e.txn[i];
        Object item = shape.int32Ids ? (Object) (int) e.item[i] : (Object) e.item[i];
        want.add(List.of(e.store[i], txn, item, e.flag[i], e.flag[i] ? 1 : 0));
      }
      TableSource src =
          TableSource.from(f.toString()).withColumns("store", "txn", "item", "flag", "hot");
      assertSameRows(f.getFileName().toString(), p.apply("Read " + f.getFileName(), src), want);
    }
    p.run().waitUntilFinish();
  }

  /**
   * Every type read column-wise (BOOLEAN, INT32, INT64, FLOAT, DOUBLE, STRING; optional columns
   * without nulls), over a glob of two files each with an empty row group in the middle.
   */
  @Test
  void everyColumnarTypeOverAGlobOfFilesWithEmptyRowGroups() throws IOException {
    org.apache.avro.Schema avro =
        new org.apache.avro.Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"r\",\"fields\":["
                    + "{\"name\":\"b\",\"type\":\"boolean\"},"
                    + "{\"name\":\"i\",\"type\":\"int\"},"
                    + "{\"name\":\"l\",\"type\":[\"null\",\"long\"]},"
                    + "{\"name\":\"f\",\"type\":\"float\"},"
                    + "{\"name\":\"d\",\"type\":\"double\"},"
                    + "{\"name\":\"s\",\"type\":[\"null\",\"string\"]}]}");
    List<List<Object>> want = new ArrayList<>();
    Random r = new Random(11);
    for (int file = 0; file < 2; file++) {
      Path f = dir.resolve("types-" + file + ".parquet");
      try (ParquetWriter<GenericRecord> w =
          AvroParquetWriter.<GenericRecord>builder(new LocalFiles.LocalOutputFile(f))
              .withSchema(avro)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .withRowGroupSize(4_096)
              .withPageSize(1_024)
              .withMinRowCountForPageSizeCheck(10)
              .withMaxRowCountForPageSizeCheck(50)
              .build()) {
        for (int k = 0; k < 3_000; k++) {
          boolean b = r.nextBoolean();
          int i = r.nextInt();
          long l = r.nextLong();
          float fl = r.nextFloat() * 1e6f - 5e5f;
          double d = r.nextGaussian() * 1e9;
          String s = "s" + r.nextInt(50) + (k % 7 == 0 ? "\u00e9\u20ac" : "");
          GenericData.Record rec = new GenericData.Record(avro);
          rec.put("b", b);
          rec.put("i", i);
          rec.put("l", l);
          rec.put("f", fl);
          rec.put("d", d);
          rec.put("s", s);
          w.write(rec);
          want.add(List.of(d, s, b, i, l, fl));
        }
      }
      OddParquet.insertEmptyRowGroup(f);
      assertTrue(Arrays.stream(OddParquet.rowGroupRows(f)).anyMatch(g -> g == 0));
    }
    TableSource src =
        TableSource.from(dir.resolve("types-*.parquet").toString())
            .withColumns("d", "s", "b", "i", "l", "f");
    Schema schema = src.getSchema();
    assertEquals(
        List.of(
            Schema.TypeName.DOUBLE,
            Schema.TypeName.STRING,
            Schema.TypeName.BOOLEAN,
            Schema.TypeName.INT32,
            Schema.TypeName.INT64,
            Schema.TypeName.FLOAT),
        schema.getFields().stream().map(x -> x.getType().getTypeName()).toList());
    assertTrue(schema.getField("s").getType().getNullable());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    assertSameRows("types", p.apply(src), want);
    p.run().waitUntilFinish();
  }

  /** A null fails the read, naming the column, the file, the row group and the row in it. */
  @Test
  void nullNamesColumnFileRowGroupAndRow() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(9, 20_000, 5_000, 300);
    Path f = dir.resolve("null.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().rowGroupBytes(16 << 10).nullAt("item", 12_345));
    long[] groups = OddParquet.rowGroupRows(f);
    int g = 0;
    long first = 0;
    while (first + groups[g] <= 12_345) {
      first += groups[g++];
    }
    assertTrue(g > 0, "the null should not be in the first row group");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(TableSource.from(f.toString()).withColumns("txn", "item"));
    Throwable x = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String messages = "";
    for (Throwable t = x; t != null; t = t.getCause()) {
      messages += t.getMessage() + "\n";
    }
    assertTrue(
        messages.contains(
            "Parquet column 'item' is null in "
                + f
                + ", row group "
                + g
                + ", row "
                + (12_345 - first)
                + " "),
        messages);
  }

  /**
   * Columns ParquetColumns does not read (here ARRAY and a logical type) go through parquet-avro's
   * records, row group by row group: with an empty row group in the middle, each row once.
   */
  @Test
  void nestedColumnsWithAnEmptyRowGroupReadEachRowOnce() throws IOException {
    org.apache.avro.Schema avro =
        new org.apache.avro.Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"r\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"},"
                    + "{\"name\":\"items\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
                    + "{\"name\":\"x\",\"type\":[\"null\",\"double\"]}]}");
    Path f = dir.resolve("nested.parquet");
    List<List<Object>> want = new ArrayList<>();
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalFiles.LocalOutputFile(f))
            .withSchema(avro)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withRowGroupSize(4_096)
            .withPageSize(1_024)
            .withMinRowCountForPageSizeCheck(10)
            .withMaxRowCountForPageSizeCheck(50)
            .build()) {
      for (long k = 0; k < 3_000; k++) {
        List<String> items = new ArrayList<>();
        for (int j = 0; j < k % 4; j++) {
          items.add("i" + (k * 7 + j) % 100);
        }
        Double x = k % 5 == 0 ? null : k / 4.0;
        GenericData.Record rec = new GenericData.Record(avro);
        rec.put("id", k);
        rec.put("items", items);
        rec.put("x", x);
        w.write(rec);
        want.add(Arrays.asList(k, items, x));
      }
    }
    OddParquet.insertEmptyRowGroup(f);
    long[] groups = OddParquet.rowGroupRows(f);
    assertTrue(groups.length >= 4, Arrays.toString(groups));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    assertSameRows("nested", p.apply(TableSource.from(f.toString())), want);
    p.run().waitUntilFinish();
  }
}
