package io.rusket.beam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TableSource: the three formats, projection, the schema check, and every bad-input error. */
class TableSourceTest {
  static final Schema EVENTS =
      Schema.builder()
          .addStringField("store_id")
          .addInt64Field("transaction_id")
          .addInt32Field("item_id")
          .addStringField("item")
          .build();

  static final List<Row> ROWS =
      List.of(
          Row.withSchema(EVENTS).addValues("S1", 1L, 3, "bread").build(),
          Row.withSchema(EVENTS).addValues("S1", 1L, 5, "milk, whole").build(),
          Row.withSchema(EVENTS).addValues("S2", 2L, 3, "bread").build(),
          Row.withSchema(EVENTS).addValues("S2", 3L, 7, "say \"cheese\"").build());

  @TempDir Path dir;

  static void writeParquet(Path path, Schema schema, List<Row> rows) throws IOException {
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(schema);
    try (ParquetWriter<GenericRecord> w = LocalFiles.parquetWriter(path, avro)) {
      for (Row r : rows) {
        GenericData.Record rec = new GenericData.Record(avro);
        for (int j = 0; j < schema.getFieldCount(); j++) {
          rec.put(j, r.getValue(j));
        }
        w.write(rec);
      }
    }
  }

  private Path csv(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static Schema project(Schema s, String... names) {
    Schema.Builder b = Schema.builder();
    for (String n : names) {
      b.addField(s.getField(n));
    }
    return b.build();
  }

  private static List<Row> project(List<Row> rows, Schema to) {
    return rows.stream()
        .map(
            r ->
                Row.withSchema(to)
                    .addValues(to.getFields().stream().map(f -> r.getValue(f.getName())).toArray())
                    .build())
        .toList();
  }

  @Test
  void readsParquetArrowAndCsvToTheSameRows() throws IOException {
    Path parquet = dir.resolve("events.parquet");
    writeParquet(parquet, EVENTS, ROWS);
    Path arrow = dir.resolve("events.arrow");
    LocalFiles.writeArrow(arrow, EVENTS, ROWS);
    Path csv =
        csv(
            "events.csv",
            "store_id,transaction_id,item_id,item\r\n"
                + "S1,1,3,bread\r\n"
                + "S1,1,5,\"milk, whole\"\r\n"
                + "\r\n"
                + "S2,2,3,bread\n"
                + "S2,3,7,\"say \"\"cheese\"\"\"\n");

    // The same rows split over two Arrow files, read through a glob.
    LocalFiles.writeArrow(dir.resolve("split-1.arrow"), EVENTS, ROWS.subList(0, 1));
    LocalFiles.writeArrow(dir.resolve("split-2.arrow"), EVENTS, ROWS.subList(1, 4));
    Path glob = dir.resolve("split-*.arrow");

    Schema wanted = project(EVENTS, "item", "store_id", "transaction_id");
    List<Row> expected = project(ROWS, wanted);
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    for (Path path : List.of(parquet, arrow, csv, glob)) {
      TableSource src =
          TableSource.from(path.toString()).withColumns("item", "store_id", "transaction_id");
      assertEquals(wanted.getFieldNames(), src.getSchema().getFieldNames());
      PCollection<Row> rows = p.apply("Read " + path.getFileName(), src);
      PAssert.that(path.getFileName().toString(), rows)
          .satisfies(
              got -> {
                List<List<Object>> values = new java.util.ArrayList<>();
                got.forEach(r -> values.add(r.getValues()));
                List<List<Object>> want = expected.stream().map(Row::getValues).toList();
                assertEquals(want.size(), values.size());
                assertTrue(values.containsAll(want), values + " vs " + want);
                return null;
              });
    }
    // CSV types: INT64 inferred for integers, STRING otherwise; INT32 when declared.
    Schema csvSchema = TableSource.from(csv.toString()).getFileSchema();
    assertEquals(TypeName.INT64, csvSchema.getField("item_id").getType().getTypeName());
    assertEquals(TypeName.STRING, csvSchema.getField("item").getType().getTypeName());
    assertEquals(
        TypeName.INT32,
        TableSource.from(csv.toString())
            .withCsvType("item_id", TypeName.INT32)
            .getFileSchema()
            .getField("item_id")
            .getType()
            .getTypeName());
    // Arrow and Parquet keep the file's types.
    assertEquals(
        TypeName.INT32,
        TableSource.from(arrow.toString())
            .getFileSchema()
            .getField("item_id")
            .getType()
            .getTypeName());
    assertEquals(
        TypeName.INT32,
        TableSource.from(parquet.toString())
            .getFileSchema()
            .getField("item_id")
            .getType()
            .getTypeName());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    // Metrics: 4 rows from each of the four sources; 1 + 1 + 2 files read by the DoFns (Arrow,
    // CSV).
    assertEquals(16L, counter(result, "rowsRead"));
    assertEquals(4L, counter(result, "filesRead"));
    assertEquals(3L, counter(result, "batchesRead"));
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(TableSource.METRICS_NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /**
   * A Parquet file without an Avro schema in its footer (as pyarrow, pandas or Spark write them):
   * the Parquet schema is converted (optional UTF8 binary → nullable STRING, int32 → INT32).
   */
  @Test
  void readsParquetWrittenWithoutAnAvroSchema() throws IOException {
    MessageType type =
        MessageTypeParser.parseMessageType(
            "message spark_schema { optional binary store_id (UTF8); required int64 txn;"
                + " optional int32 item_id; optional double price; }");
    Path path = dir.resolve("plain.parquet");
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalFiles.LocalOutputFile(path)).withType(type).build()) {
      SimpleGroupFactory f = new SimpleGroupFactory(type);
      w.write(
          f.newGroup()
              .append("store_id", "S1")
              .append("txn", 1L)
              .append("item_id", 3)
              .append("price", 1.5));
      w.write(f.newGroup().append("store_id", "S2").append("txn", 2L).append("item_id", 4));
    }
    TableSource src = TableSource.from(path.toString()).withColumns("item_id", "store_id");
    Schema schema = src.getSchema();
    assertEquals(TypeName.INT32, schema.getField("item_id").getType().getTypeName());
    assertTrue(schema.getField("store_id").getType().getNullable());
    assertTrue(TableSource.from(path.toString()).getFileSchema().hasField("price"));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(p.apply(src))
        .containsInAnyOrder(
            Row.withSchema(schema).addValues(3, "S1").build(),
            Row.withSchema(schema).addValues(4, "S2").build());
    p.run().waitUntilFinish();
  }

  @Test
  void displayDataShowsPatternFormatAndColumns() {
    DisplayData d =
        DisplayData.from(
            TableSource.from("in/*.csv").withColumns("a", "b").withCsvType("a", TypeName.INT32));
    assertTrue(
        d.items().stream()
            .anyMatch(i -> i.getKey().equals("filepattern") && i.getValue().equals("in/*.csv")));
    assertTrue(
        d.items().stream()
            .anyMatch(i -> i.getKey().equals("format") && i.getValue().equals("csv")));
    assertTrue(
        d.items().stream()
            .anyMatch(i -> i.getKey().equals("columns") && i.getValue().equals("a,b")));
    DisplayData sink =
        DisplayData.from(TableSink.to("out").withFormat(OutputFormat.CSV).withNumShards(3));
    assertTrue(
        sink.items().stream()
            .anyMatch(i -> i.getKey().equals("numShards") && i.getValue().equals(3L)),
        sink.toString());
  }

  /** A gzipped CSV with a byte order mark: inferred as CSV, decompressed, the BOM dropped. */
  @Test
  void readsGzippedCsvWithByteOrderMark() throws IOException {
    Path gz = dir.resolve("events.csv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write("\uFEFFstore_id,txn\nS1,1\nS2,2\n".getBytes(StandardCharsets.UTF_8));
    }
    TableSource src = TableSource.from(gz.toString());
    assertEquals(InputFormat.CSV, src.getFormat());
    Schema schema = src.getSchema();
    assertEquals(List.of("store_id", "txn"), schema.getFieldNames());
    assertEquals(TypeName.INT64, schema.getField("txn").getType().getTypeName());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(p.apply(src))
        .containsInAnyOrder(
            Row.withSchema(schema).addValues("S1", 1L).build(),
            Row.withSchema(schema).addValues("S2", 2L).build());
    p.run().waitUntilFinish();
  }

  @Test
  void formatIsInferredFromTheExtensionOrGiven() {
    assertEquals(InputFormat.PARQUET, InputFormat.infer("a/b/*.parquet"));
    assertEquals(InputFormat.ARROW, InputFormat.infer("x.FEATHER"));
    assertEquals(InputFormat.ARROW, InputFormat.infer("x.ipc"));
    assertEquals(InputFormat.CSV, InputFormat.resolve(null, "x.csv"));
    assertEquals(InputFormat.CSV, InputFormat.resolve("CSV", "x.txt"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InputFormat.infer("data.txt"));
    assertTrue(e.getMessage().contains("'data.txt'") && e.getMessage().contains("--inputFormat"));
    e = assertThrows(IllegalArgumentException.class, () -> InputFormat.parse("orc"));
    assertTrue(e.getMessage().contains("orc") && e.getMessage().contains("parquet, arrow, csv"));
    e = assertThrows(IllegalArgumentException.class, () -> OutputFormat.parse("xml"));
    assertTrue(e.getMessage().contains("xml") && e.getMessage().contains("parquet, jsonl, csv"));
  }

  private static final Map<String, EnumSet<TypeName>> NEEDS =
      Map.of(
          "store_id", EnumSet.of(TypeName.STRING, TypeName.INT32),
          "transaction_id", EnumSet.of(TypeName.INT64));

  @Test
  void schemaCheckNamesTheMissingOrMistypedColumnAndListsThePresentOnes() throws IOException {
    Path parquet = dir.resolve("e.parquet");
    writeParquet(parquet, EVENTS, ROWS);
    TableSource.from(parquet.toString()).validate(NEEDS); // passes

    Schema noTxn = project(EVENTS, "store_id", "item");
    Path p2 = dir.resolve("no-txn.parquet");
    writeParquet(p2, noTxn, project(ROWS, noTxn));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TableSource.from(p2.toString()).validate(NEEDS));
    assertTrue(e.getMessage().contains("'transaction_id' is missing from " + p2), e.getMessage());
    assertTrue(e.getMessage().contains("store_id STRING, item STRING"), e.getMessage());

    Path arrow = dir.resolve("e.arrow");
    LocalFiles.writeArrow(arrow, EVENTS, ROWS);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TableSource.from(arrow.toString())
                    .validate(Map.of("item_id", EnumSet.of(TypeName.STRING))));
    assertTrue(
        e.getMessage()
            .contains(
                "Column 'item_id' of " + arrow + " is INT32 (nullable); expected one of [STRING]"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("store_id STRING (nullable), transaction_id"), e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TableSource.from(arrow.toString()).withColumns("store_id", "sku").getSchema());
    assertTrue(e.getMessage().contains("'sku' is missing from " + arrow), e.getMessage());
  }

  @Test
  void nonExistentPathNamesIt() {
    for (String name : List.of("nope.parquet", "nope.arrow", "nope.csv", "none-*.csv")) {
      String path = dir.resolve(name).toString();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TableSource.from(path).getSchema());
      assertTrue(e.getMessage().contains("'" + path + "' matches no file"), e.getMessage());
    }
  }

  @Test
  void emptyFileNamesIt() throws IOException {
    for (String name : List.of("empty.parquet", "empty.arrow", "empty.csv")) {
      Path path = Files.createFile(dir.resolve(name));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> TableSource.from(path.toString()).getSchema());
      assertTrue(e.getMessage().contains(path + " is empty (0 bytes)"), e.getMessage());
    }
    Path blank = csv("blank.csv", "\n\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TableSource.from(blank.toString()).getSchema());
    assertTrue(e.getMessage().contains(blank + " has no header line"), e.getMessage());
  }

  @Test
  void truncatedOrCorruptParquetAndArrowNameTheFile() throws IOException {
    Path parquet = dir.resolve("full.parquet");
    writeParquet(parquet, EVENTS, ROWS);
    Path arrow = dir.resolve("full.arrow");
    LocalFiles.writeArrow(arrow, EVENTS, ROWS);
    for (Path full : List.of(parquet, arrow)) {
      byte[] bytes = Files.readAllBytes(full);
      String ext = full.toString().endsWith(".parquet") ? ".parquet" : ".arrow";
      Path truncated = dir.resolve("truncated" + ext);
      Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
      Path corrupt = dir.resolve("corrupt" + ext);
      Files.writeString(corrupt, "this is not a columnar file at all, just some text\n");
      for (Path bad : List.of(truncated, corrupt)) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class, () -> TableSource.from(bad.toString()).getSchema());
        assertTrue(e.getMessage().contains("footer of " + bad), e.getMessage());
      }
    }
  }

  @Test
  void badCsvRowNamesFileLineAndColumn() throws IOException {
    Path bad = csv("bad.csv", "store,txn,item\nS1,1,a\nS1,2,b\nS1,x3,c\n");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(TableSource.from(bad.toString()).withCsvType("txn", TypeName.INT64));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertTrue(
        String.valueOf(e.getMessage())
            .contains(bad + ":4: column 'txn': 'x3' is not a valid INT64"),
        e.getMessage());

    Path ragged = csv("ragged.csv", "store,txn,item\nS1,1,a\nS1,2\n");
    Pipeline p2 = Pipeline.create(PipelineOptionsFactory.create());
    p2.apply(TableSource.from(ragged.toString()));
    e = assertThrows(Exception.class, () -> p2.run().waitUntilFinish());
    assertTrue(
        String.valueOf(e.getMessage()).contains(ragged + ":3: 2 fields, but the header has 3"),
        e.getMessage());

    Path quote = csv("quote.csv", "a,b\n1,\"open\n2,3\n");
    IllegalArgumentException ie =
        assertThrows(
            IllegalArgumentException.class, () -> TableSource.from(quote.toString()).getSchema());
    assertTrue(ie.getMessage().contains(quote + ":4: unterminated quoted field"), ie.getMessage());

    Path dup = csv("dup.csv", "a,b,a\n1,2,3\n");
    ie =
        assertThrows(
            IllegalArgumentException.class, () -> TableSource.from(dup.toString()).getSchema());
    assertTrue(ie.getMessage().contains("column 'a' appears twice"), ie.getMessage());
  }
}
