package io.rusket.beam.pipelines.io;

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
      if (path.equals(csv)) {
        src = src.withCsvType("transaction_id", TypeName.INT64);
      }
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
    // CSV types: STRING (the text written) unless declared, e.g. INT32.
    Schema csvSchema = TableSource.from(csv.toString()).getFileSchema();
    assertEquals(TypeName.STRING, csvSchema.getField("item_id").getType().getTypeName());
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
    // Metrics: 4 rows from each of the four sources; 1 + 1 + 1 + 2 files read (Parquet, CSV,
    // Arrow, the Arrow glob).
    assertEquals(16L, counter(result, "rowsRead"));
    assertEquals(5L, counter(result, "filesRead"));
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
    assertEquals(TypeName.STRING, schema.getField("txn").getType().getTypeName());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(p.apply(src))
        .containsInAnyOrder(
            Row.withSchema(schema).addValues("S1", "1").build(),
            Row.withSchema(schema).addValues("S2", "2").build());
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
    assertTrue(
        e.getMessage().contains(blank + " is empty: a CSV file needs a header row"),
        e.getMessage());
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

  /**
   * Builds and runs a pipeline reading {@code src}; the message of the failure (met while the
   * schema is read, or while the pipeline runs).
   */
  private static String runFails(TableSource src) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Exception e =
        assertThrows(
            Exception.class,
            () -> {
              p.apply(src);
              p.run().waitUntilFinish();
            });
    return String.valueOf(e.getMessage());
  }

  private static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), "expected '" + expected + "' in: " + actual);
  }

  @Test
  void badCsvRowNamesFileLineAndColumn() throws IOException {
    Path bad = csv("bad.csv", "store,txn,item\nS1,1,a\nS1,2,b\nS1,x3,c\n");
    assertContains(
        bad + " line 4: column 'txn': 'x3' is not a valid INT64",
        runFails(TableSource.from(bad.toString()).withCsvType("txn", TypeName.INT64)));

    Path ragged = csv("ragged.csv", "store,txn,item\nS1,1,a\nS1,2\n");
    assertContains(
        ragged + " line 3: expected 3 fields, as in the header, but found 2",
        runFails(TableSource.from(ragged.toString())));

    Path quote = csv("quote.csv", "a,b\n1,\"open\n2,3\n");
    assertContains(
        quote + " line 2: malformed CSV: EOF reached before encapsulated token finished",
        runFails(TableSource.from(quote.toString())));

    Path dup = csv("dup.csv", "a,b,a\n1,2,3\n");
    IllegalArgumentException ie =
        assertThrows(
            IllegalArgumentException.class, () -> TableSource.from(dup.toString()).getSchema());
    assertTrue(ie.getMessage().contains("column 'a' appears twice"), ie.getMessage());
  }

  /**
   * Regression (issue 9): CSV values were typed INT64 when the first 1,000 looked like integers, so
   * items 0012, 012 and 12 merged and store 001 became 1. They stay the text written.
   */
  @Test
  void csvValuesStayTheTextThatWasWritten() throws IOException {
    Path in = csv("events.csv", "store,txn,item\n001,007,0012\n1,7,012\n001,07,12\n1,7,00123\n");
    TableSource src = TableSource.from(in.toString());
    Schema schema = src.getSchema();
    for (String c : List.of("store", "txn", "item")) {
      assertEquals(TypeName.STRING, schema.getField(c).getType().getTypeName(), c);
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(p.apply(src))
        .containsInAnyOrder(
            Row.withSchema(schema).addValues("001", "007", "0012").build(),
            Row.withSchema(schema).addValues("1", "7", "012").build(),
            Row.withSchema(schema).addValues("001", "07", "12").build(),
            Row.withSchema(schema).addValues("1", "7", "00123").build());
    p.run().waitUntilFinish();
    // A text value after any number of integers is still a value, not an error.
    StringBuilder many = new StringBuilder("txn,item\n");
    for (int i = 0; i < 1500; i++) {
      many.append(i).append(',').append(i % 7).append('\n');
    }
    many.append("1500,sku-x\n");
    Path big = csv("big.csv", many.toString());
    Pipeline p2 = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> rows = p2.apply(TableSource.from(big.toString()));
    PAssert.that(rows)
        .satisfies(
            got -> {
              long n = 0;
              boolean text = false;
              for (Row r : got) {
                n++;
                text |= r.getString("item").equals("sku-x");
              }
              assertEquals(1501, n);
              assertTrue(text);
              return null;
            });
    p2.run().waitUntilFinish();
  }

  /** Declared integers are parsed strictly: no '+', no spaces, no leading zeros, in range. */
  @Test
  void declaredCsvIntegersAreParsedStrictly() throws IOException {
    Path ok = csv("ok.csv", "txn,item\n0,-3\n9223372036854775807,12\n");
    TableSource src =
        TableSource.from(ok.toString())
            .withCsvTypes(Map.of("txn", TypeName.INT64, "item", TypeName.INT32));
    Schema schema = src.getSchema();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PAssert.that(p.apply(src))
        .containsInAnyOrder(
            Row.withSchema(schema).addValues(0L, -3).build(),
            Row.withSchema(schema).addValues(Long.MAX_VALUE, 12).build());
    p.run().waitUntilFinish();
    String[] bad = {"+5", "007", " 5", "5 ", "9223372036854775808", "1e3", "-0x1"};
    for (int k = 0; k < bad.length; k++) {
      Path in = csv("bad" + k + ".csv", "txn,item\n1,2\n\"" + bad[k] + "\",3\n");
      assertContains(
          in + " line 3: column 'txn': '" + bad[k] + "' is not a valid INT64",
          runFails(TableSource.from(in.toString()).withCsvType("txn", TypeName.INT64)));
    }
  }

  /** Regression (issue 9): an empty CSV field was the value "" (or the group ""): now an error. */
  @Test
  void emptyCsvFieldIsAnError() throws IOException {
    Path in = csv("empty-field.csv", "store,txn,item\nS1,1,a\nS1,2,\n");
    assertContains(
        in + " line 3: column 'item' is empty", runFails(TableSource.from(in.toString())));
    Path group = csv("empty-group.csv", "store,txn,item\nS1,1,a\n\"\",2,b\n");
    assertContains(
        group + " line 3: column 'store' is empty", runFails(TableSource.from(group.toString())));
  }

  /** Regression (issue 9): invalid UTF-8 became U+FFFD and distinct items merged. */
  @Test
  void invalidUtf8InCsvNamesFileAndLine() throws IOException {
    Path in = dir.resolve("latin1.csv");
    Files.write(in, "txn,item\n1,caf\u00e9\n2,caf\u00e8\n".getBytes(StandardCharsets.ISO_8859_1));
    assertContains(
        in + " line 2: invalid UTF-8 (byte 0xE9 at column 6)",
        runFails(TableSource.from(in.toString())));
  }

  @Test
  void csvTypesAreParsedAndChecked() throws IOException {
    assertEquals(
        Map.of(
            "txn",
            TypeName.INT64,
            "s",
            TypeName.STRING,
            "n",
            TypeName.INT32,
            "x",
            TypeName.DOUBLE,
            "b",
            TypeName.BOOLEAN),
        TableSource.parseCsvTypes("txn:long,s:STRING,n:int,x:double,b:boolean", "--csvTypes"));
    assertEquals(
        List.of("a:b", "c"),
        List.copyOf(TableSource.parseCsvTypes("a:b:string,c:long", "--csvTypes").keySet()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TableSource.parseCsvTypes("txn:integer", "--csvTypes"));
    assertEquals(
        "Invalid --csvTypes type for column 'txn': integer. Valid types are string, long, int,"
            + " double, boolean.",
        e.getMessage());
    for (String spec : List.of("txn", ":long", "txn:", "txn:long,,", "")) {
      e =
          assertThrows(
              IllegalArgumentException.class, () -> TableSource.parseCsvTypes(spec, "--csvTypes"));
      assertTrue(e.getMessage().startsWith("Invalid --csvTypes entry: '"), e.getMessage());
    }
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TableSource.parseCsvTypes("a:long,a:string", "--csvTypes"));
    assertEquals("Column 'a' is given twice in --csvTypes=a:long,a:string", e.getMessage());
    Path in = csv("in.csv", "txn,item\n1,2\n");
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TableSource.from(in.toString()).withCsvType("tx", TypeName.INT64).getSchema());
    assertEquals(
        "A CSV type is declared for column 'tx' (--csvTypes), which is missing from "
            + in
            + "; columns present: txn, item",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TableSource.from(in.toString()).withCsvType("txn", TypeName.BYTES));
    assertTrue(e.getMessage().contains("Invalid CSV type for column 'txn': BYTES"), e.getMessage());
  }
}
