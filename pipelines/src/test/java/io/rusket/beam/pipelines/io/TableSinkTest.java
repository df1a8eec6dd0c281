package io.rusket.beam.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.transforms.AssociationRules;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.MineStream;
import io.rusket.beam.transforms.RulesGrouped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TableSink: exact JSON lines and CSV text, Parquet round trips of every transform's output. */
public class TableSinkTest {
  @TempDir Path dir;

  /** Rows seen by {@link Collect}, by name (the DirectRunner runs in this JVM). */
  static final Map<String, List<Row>> SEEN = new ConcurrentHashMap<>();

  static final class Collect extends DoFn<Row, Void> {
    private final String name;

    Collect(String name) {
      this.name = name;
    }

    @ProcessElement
    public void processElement(@Element Row row) {
      SEEN.computeIfAbsent(name, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
          .add(row);
    }
  }

  /** The file names in {@code d}, sorted. */
  public static List<String> files(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  static final Schema MIXED =
      Schema.builder()
          .addStringField("store_id")
          .addDoubleField("support")
          .addInt64Field("count")
          .addArrayField("itemsets", FieldType.STRING)
          .addNullableField("note", FieldType.STRING)
          .addDoubleField("conviction")
          .addBooleanField("flag")
          .build();

  @Test
  void jsonLinesAndCsvTextExactly() throws IOException {
    List<Row> rows =
        List.of(
            Row.withSchema(MIXED)
                .addValues(
                    "S1", 0.12, 34L, List.of("bread", "milk"), null, Double.POSITIVE_INFINITY, true)
                .build(),
            Row.withSchema(MIXED)
                .addValues("S,\"2\"", 1e-5, 1L, List.of("a|b"), "line\nbreak", 2.5, false)
                .build());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> in = p.apply(Create.of(rows).withRowSchema(MIXED));
    in.apply(
        "Json",
        TableSink.to(dir.resolve("json").toString())
            .withFormat(OutputFormat.JSONL)
            .withNumShards(1));
    in.apply(
        "Csv",
        TableSink.to(dir.resolve("csv").toString()).withFormat(OutputFormat.CSV).withNumShards(1));
    p.run().waitUntilFinish();

    assertEquals(List.of("part-00000-of-00001.jsonl"), files(dir.resolve("json")));
    List<String> json =
        Files.readAllLines(dir.resolve("json/part-00000-of-00001.jsonl"), StandardCharsets.UTF_8);
    json.sort(Comparator.naturalOrder());
    assertEquals(
        List.of(
            "{\"store_id\":\"S,\\\"2\\\"\",\"support\":1.0E-5,\"count\":1,\"itemsets\":[\"a|b\"],"
                + "\"note\":\"line\\nbreak\",\"conviction\":2.5,\"flag\":false}",
            "{\"store_id\":\"S1\",\"support\":0.12,\"count\":34,\"itemsets\":[\"bread\",\"milk\"],"
                + "\"note\":null,\"conviction\":null,\"flag\":true}"),
        json);

    assertEquals(List.of("part-00000-of-00001.csv"), files(dir.resolve("csv")));
    String csv =
        Files.readString(dir.resolve("csv/part-00000-of-00001.csv"), StandardCharsets.UTF_8);
    assertTrue(csv.startsWith("store_id,support,count,itemsets,note,conviction,flag\n"), csv);
    assertTrue(csv.contains("\nS1,0.12,34,bread|milk,,inf,true\n"), csv);
    assertTrue(csv.contains("\n\"S,\"\"2\"\"\",1.0E-5,1,a|b,\"line\nbreak\",2.5,false\n"), csv);
  }

  /** Windowed input: one file per window, still nothing else in the directory. */
  @Test
  void windowedInputIsWrittenPerWindow() throws IOException {
    Schema s = Schema.builder().addStringField("item").build();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(
            Create.timestamped(
                    TimestampedValue.of(Row.withSchema(s).addValue("a").build(), new Instant(0)),
                    TimestampedValue.of(
                        Row.withSchema(s).addValue("b").build(), new Instant(61_000)))
                .withCoder(RowCoder.of(s)))
        .setRowSchema(s)
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply(
            TableSink.to(dir.resolve("w").toString())
                .withFormat(OutputFormat.JSONL)
                .withNumShards(1));
    p.run().waitUntilFinish();
    List<String> names = files(dir.resolve("w"));
    assertEquals(2, names.size(), names.toString());
    for (String n : names) {
      assertTrue(n.matches("part-.+-00000-of-00001\\.jsonl"), names.toString());
    }
  }

  static final Schema EVENTS =
      Schema.builder()
          .addStringField("store_id")
          .addInt64Field("transaction_id")
          .addStringField("item")
          .build();

  static List<Row> events() {
    List<Row> rows = new ArrayList<>();
    String[][] baskets = {
      {"bread", "milk"}, {"bread", "milk", "eggs"}, {"milk"}, {"bread", "eggs"}, {"bread", "milk"}
    };
    long txn = 0;
    for (String store : List.of("S1", "S2")) {
      for (String[] b : baskets) {
        txn++;
        for (String item : b) {
          rows.add(Row.withSchema(EVENTS).addValues(store, txn, item).build());
        }
        if (store.equals("S2")) {
          break; // S2: one basket
        }
      }
    }
    return rows;
  }

  /**
   * MineGrouped, RulesGrouped, AssociationRules and MineStream (ARRAY<INT32> items) outputs,
   * written as Parquet (two shards) and read back through TableSource: the same schemas and rows.
   * Every output directory holds only its shards.
   */
  @Test
  void parquetRoundTripOfEveryTransformOutput() throws IOException {
    SEEN.clear();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> itemsets =
        p.apply(Create.of(events()).withRowSchema(EVENTS))
            .apply(MineGrouped.events("store_id", "transaction_id", "item").withMinSupport(0.2));
    PCollection<Row> rules =
        itemsets.apply(RulesGrouped.byColumn("store_id").withMinThreshold(0.0));
    PCollection<Row> global =
        itemsets
            .apply(Filter.by(r -> r.getString("store_id").equals("S1")))
            .setRowSchema(itemsets.getSchema())
            .apply(AssociationRules.create().withMinThreshold(0.0));
    PCollection<Row> stream =
        p.apply(
                "Pairs",
                Create.of(KV.of(1L, 0), KV.of(1L, 1), KV.of(2L, 1), KV.of(3L, 0), KV.of(3L, 1))
                    .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
            .apply(MineStream.ofKvs().withNumItems(2).withMinSupport(0.5));
    Map<String, PCollection<Row>> outputs =
        Map.of("itemsets", itemsets, "rules", rules, "global", global, "stream", stream);
    outputs.forEach(
        (name, rows) -> {
          rows.apply("Collect " + name, ParDo.of(new Collect(name)));
          rows.apply("Write " + name, TableSink.to(dir.resolve(name).toString()).withNumShards(2));
        });
    p.run().waitUntilFinish();

    Pipeline q = Pipeline.create(PipelineOptionsFactory.create());
    for (Map.Entry<String, PCollection<Row>> e : outputs.entrySet()) {
      String name = e.getKey();
      Path d = dir.resolve(name);
      assertEquals(
          List.of("part-00000-of-00002.parquet", "part-00001-of-00002.parquet"), files(d), name);
      List<Row> written = SEEN.get(name);
      assertFalse(written == null || written.isEmpty(), name);
      TableSource src = TableSource.from(d.resolve("*.parquet").toString());
      assertEquals(e.getValue().getSchema(), src.getSchema(), name);
      PAssert.that(name, q.apply("Read " + name, src)).containsInAnyOrder(written);
    }
    q.run().waitUntilFinish();
  }
}
