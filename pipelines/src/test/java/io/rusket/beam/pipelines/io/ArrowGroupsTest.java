package io.rusket.beam.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.transforms.MineGrouped;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Arrow columnar grouped read ({@link ArrowGroups} into {@link MineGrouped#ofGroupEvents} /
 * {@link MineGrouped#ofGroupBaskets}) against the Row path ({@link TableSource} into {@link
 * MineGrouped#events} / {@link MineGrouped#byColumn}): identical output rows, on files of many
 * record batches with an empty one, STRING and integer keys, and nulls failing with the column,
 * record batch and row.
 */
public class ArrowGroupsTest {
  @TempDir Path dir;

  /** Output rows per tag, collected in this JVM (the DirectRunner runs in process). */
  private static final Map<String, ConcurrentLinkedQueue<Row>> OUT = new ConcurrentHashMap<>();

  static final class CollectFn extends DoFn<Row, Void> {
    private final String tag;

    CollectFn(String tag) {
      this.tag = tag;
    }

    @ProcessElement
    public void processElement(@Element Row row) {
      OUT.computeIfAbsent(tag, t -> new ConcurrentLinkedQueue<>()).add(row);
    }
  }

  static Set<Row> collected(String tag) {
    return new HashSet<>(OUT.getOrDefault(tag, new ConcurrentLinkedQueue<>()));
  }

  /** Writes {@code batches} (each possibly empty) as one Arrow IPC file of that many batches. */
  public static void writeBatches(Path path, Schema schema, List<List<Row>> batches)
      throws IOException {
    List<Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      fields.add(Field.nullable(f.getName(), arrowType(f.getType().getTypeName())));
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
      for (List<Row> batch : batches) {
        root.allocateNew();
        for (int i = 0; i < batch.size(); i++) {
          for (int j = 0; j < schema.getFieldCount(); j++) {
            set(
                root.getVector(j),
                schema.getField(j).getType().getTypeName(),
                i,
                batch.get(i).getValue(j));
          }
        }
        root.setRowCount(batch.size());
        w.writeBatch();
      }
      w.end();
    }
  }

  private static ArrowType arrowType(TypeName t) {
    switch (t) {
      case STRING:
        return ArrowType.Utf8.INSTANCE;
      case BOOLEAN:
        return ArrowType.Bool.INSTANCE;
      case BYTE:
        return new ArrowType.Int(8, true);
      case INT16:
        return new ArrowType.Int(16, true);
      case INT32:
        return new ArrowType.Int(32, true);
      case INT64:
        return new ArrowType.Int(64, true);
      default:
        throw new AssertionError(t);
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
      case BYTE:
        ((TinyIntVector) v).setSafe(i, (Byte) value);
        break;
      case INT16:
        ((SmallIntVector) v).setSafe(i, (Short) value);
        break;
      case INT32:
        ((IntVector) v).setSafe(i, (Integer) value);
        break;
      case INT64:
        ((BigIntVector) v).setSafe(i, (Long) value);
        break;
      default:
        throw new AssertionError(t);
    }
  }

  private static Object key(TypeName t, long v) {
    switch (t) {
      case STRING:
        return "k" + v;
      case BYTE:
        return (byte) v;
      case INT16:
        return (short) v;
      case INT32:
        return (int) v;
      default:
        return v;
    }
  }

  /** Cuts rows into batches of random sizes, with an empty batch in the middle. */
  private static List<List<Row>> batches(List<Row> rows, Random rnd) {
    List<List<Row>> out = new ArrayList<>();
    int i = 0;
    while (i < rows.size()) {
      int n = Math.min(rows.size() - i, 1 + rnd.nextInt(120));
      out.add(rows.subList(i, i + n));
      i += n;
      if (out.size() == 3) {
        out.add(List.of());
      }
    }
    return out;
  }

  /** Events: groups clustered (as files usually are) then shuffled within a stretch. */
  private static List<Row> events(Schema schema, Random rnd, int groups) {
    TypeName g = schema.getField(0).getType().getTypeName();
    TypeName t = schema.getField(1).getType().getTypeName();
    TypeName i = schema.getField(2).getType().getTypeName();
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < groups; s++) {
      int txns = 40 + rnd.nextInt(120);
      for (int x = 0; x < txns; x++) {
        int len = 1 + rnd.nextInt(5);
        for (int k = 0; k < len; k++) {
          long item = Math.min(rnd.nextInt(12), rnd.nextInt(12)); // skewed
          rows.add(
              Row.withSchema(schema).addValues(key(g, s), key(t, x % 100), key(i, item)).build());
          if (rnd.nextInt(8) == 0) {
            rows.add(rows.get(rows.size() - 1)); // a repeated event
          }
        }
      }
    }
    // Transactions of a group span batches: shuffle within stretches of 200 rows.
    for (int from = 0; from < rows.size(); from += 200) {
      java.util.Collections.shuffle(rows.subList(from, Math.min(rows.size(), from + 200)), rnd);
    }
    return rows;
  }

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  @Test
  void eventsEqualTheRowPathForStringAndIntegerKeysOverManyBatches() throws IOException {
    TypeName[][] kinds = {
      {TypeName.STRING, TypeName.INT64, TypeName.STRING},
      {TypeName.INT32, TypeName.STRING, TypeName.INT32},
      {TypeName.INT64, TypeName.INT16, TypeName.INT64},
      {TypeName.BYTE, TypeName.INT32, TypeName.BYTE},
    };
    Random rnd = new Random(17);
    Pipeline p = pipeline();
    List<String> tags = new ArrayList<>();
    for (int c = 0; c < kinds.length; c++) {
      Schema schema =
          Schema.builder()
              .addNullableField("store", FieldType.of(kinds[c][0]))
              .addNullableField("receipt", FieldType.of(kinds[c][1]))
              .addNullableField("sku", FieldType.of(kinds[c][2]))
              .build();
      List<Row> rows = events(schema, rnd, 6);
      Path sub = dir.resolve("case" + c);
      java.nio.file.Files.createDirectories(sub);
      int half = rows.size() / 2;
      writeBatches(sub.resolve("a.arrow"), schema, batches(rows.subList(0, half), rnd));
      writeBatches(sub.resolve("b.arrow"), schema, batches(rows.subList(half, rows.size()), rnd));
      String glob = sub.resolve("*.arrow").toString();
      TableSource src = TableSource.from(glob).withColumns("store", "receipt", "sku");
      Schema cols = src.getSchema();
      PCollection<Row> byRows =
          p.apply("Rows" + c, src)
              .apply(
                  "RowPath" + c, MineGrouped.events("store", "receipt", "sku").withMinSupport(0.1));
      PCollection<Row> columnar =
          p.apply(
                  "Columns" + c,
                  ArrowGroups.readEvents(glob, cols, "store", "receipt", "sku")
                      .withMaxBundleBytes(600))
              .apply(
                  "Columnar" + c,
                  MineGrouped.ofGroupEvents(
                          cols.getField("store"),
                          ArrowGroups.keyKind(cols.getField("receipt").getType()),
                          ArrowGroups.keyKind(cols.getField("sku").getType()))
                      .withMinSupport(0.1));
      assertEquals(byRows.getSchema(), columnar.getSchema());
      String tag = "events" + c + "-" + System.nanoTime();
      byRows.apply("CollectRows" + c, ParDo.of(new CollectFn(tag + "rows")));
      columnar.apply("CollectColumns" + c, ParDo.of(new CollectFn(tag + "cols")));
      tags.add(tag);
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();
    for (String tag : tags) {
      Set<Row> rows = collected(tag + "rows");
      assertTrue(rows.size() > 20, tag + ": " + rows.size() + " itemsets");
      assertEquals(rows, collected(tag + "cols"), tag);
    }
    assertTrue(counter(result, MineGrouped.METRICS_NAMESPACE, "bundleFlushes") > 0, "flushes");
  }

  @Test
  void oneHotEqualsTheRowPathWithBoolAndIntegerItems() throws IOException {
    Schema.Builder b = Schema.builder().addNullableField("store", FieldType.STRING);
    TypeName[] types = {TypeName.BOOLEAN, TypeName.INT32, TypeName.BYTE, TypeName.INT64};
    int items = 70; // two bitmap words per row
    for (int j = 0; j < items; j++) {
      b.addNullableField(String.format("i%02d", j), FieldType.of(types[j % types.length]));
    }
    Schema schema = b.build();
    Random rnd = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      for (int t = 0; t < 150; t++) {
        Object[] v = new Object[items + 1];
        v[0] = "store-" + s;
        for (int j = 0; j < items; j++) {
          boolean set = rnd.nextDouble() < 0.6 / (1 + j % 9);
          TypeName ty = types[j % types.length];
          v[j + 1] =
              ty == TypeName.BOOLEAN
                  ? (Object) set
                  : ty == TypeName.INT32
                      ? (Object) (set ? 1 : 0)
                      : ty == TypeName.BYTE
                          ? (Object) (byte) (set ? 1 : 0)
                          : (Object) (set ? 1L : 0L);
        }
        rows.add(Row.withSchema(schema).addValues(v).build());
      }
    }
    Path file = dir.resolve("receipts.arrow");
    writeBatches(file, schema, batches(rows, rnd));
    TableSource src = TableSource.from(file.toString());
    Schema cols = src.getSchema();
    List<String> itemCols = new ArrayList<>(cols.getFieldNames());
    itemCols.remove("store");
    String[] itemArray = itemCols.toArray(new String[0]);
    Pipeline p = pipeline();
    PCollection<Row> byRows =
        p.apply("Rows", src).apply("RowPath", MineGrouped.byColumn("store").withMinSupport(0.2));
    PCollection<Row> columnar =
        p.apply(
                "Columns",
                ArrowGroups.readOneHot(file.toString(), cols, "store", itemArray)
                    .withMaxBundleBytes(2_000))
            .apply(
                "Columnar",
                MineGrouped.ofGroupBaskets(cols.getField("store"), itemArray).withMinSupport(0.2));
    String tag = "onehot-" + System.nanoTime();
    byRows.apply("CollectRows", ParDo.of(new CollectFn(tag + "rows")));
    columnar.apply("CollectColumns", ParDo.of(new CollectFn(tag + "cols")));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Set<Row> expected = collected(tag + "rows");
    assertTrue(expected.size() > 20, expected.size() + " itemsets");
    assertEquals(expected, collected(tag + "cols"));
    assertTrue(counter(result, TableSource.METRICS_NAMESPACE, "batchesRead") >= 2 * 4);
  }

  @Test
  void nullsAndBadOneHotValuesFailNamingColumnBatchAndRow() throws IOException {
    Schema schema =
        Schema.builder()
            .addNullableField("store", FieldType.STRING)
            .addNullableField("receipt", FieldType.INT64)
            .addNullableField("sku", FieldType.INT32)
            .build();
    List<Row> first = new ArrayList<>();
    List<Row> second = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      first.add(Row.withSchema(schema).addValues("s", (long) i, i).build());
      second.add(Row.withSchema(schema).addValues("s", (long) i, i == 6 ? null : i).build());
    }
    Path file = dir.resolve("nulls.arrow");
    writeBatches(file, schema, List.of(first, List.of(), second));
    Pipeline p = pipeline();
    p.apply(ArrowGroups.readEvents(file.toString(), schema, "store", "receipt", "sku"))
        .apply(
            MineGrouped.ofGroupEvents(
                schema.getField("store"),
                io.rusket.beam.transforms.KeyKind.INTEGER,
                io.rusket.beam.transforms.KeyKind.INTEGER));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String msg = rootMessage(e);
    assertTrue(
        msg.contains("'sku'")
            && msg.contains("row 6")
            && msg.contains("record batch 2")
            && msg.contains("nulls.arrow"),
        msg);

    Schema oneHot =
        Schema.builder().addStringField("store").addInt32Field("a").addInt32Field("b").build();
    Path bad = dir.resolve("bad.arrow");
    writeBatches(
        bad,
        oneHot,
        List.of(
            List.of(
                Row.withSchema(oneHot).addValues("s", 1, 0).build(),
                Row.withSchema(oneHot).addValues("s", 0, 2).build())));
    Pipeline q = pipeline();
    q.apply(ArrowGroups.readOneHot(bad.toString(), oneHot, "store", "a", "b"))
        .apply(MineGrouped.ofGroupBaskets(oneHot.getField("store"), "a", "b"));
    e = assertThrows(Exception.class, () -> q.run().waitUntilFinish());
    msg = rootMessage(e);
    assertTrue(
        msg.contains("'b'")
            && msg.contains("holds 2")
            && msg.contains("row 1")
            && msg.contains("record batch 0"),
        msg);
  }

  @Test
  void badSchemasFailAtConstruction() {
    Schema schema =
        Schema.builder()
            .addStringField("store")
            .addDoubleField("receipt")
            .addInt32Field("sku")
            .build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArrowGroups.readEvents("x.arrow", schema, "store", "receipt", "sku"));
    assertTrue(e.getMessage().contains("'receipt'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArrowGroups.readEvents("x.arrow", schema, "store", "nope", "sku"));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ArrowGroups.readOneHot("x.arrow", schema, "store", "receipt"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ArrowGroups.readOneHot("x.arrow", schema, "store", "sku").withMaxBundleBytes(0));
  }

  static String rootMessage(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  static long counter(PipelineResult r, String ns, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(ns, name)).build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
