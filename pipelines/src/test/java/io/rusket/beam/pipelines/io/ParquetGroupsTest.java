package io.rusket.beam.pipelines.io;

import static io.rusket.beam.pipelines.io.ArrowGroupsTest.collected;
import static io.rusket.beam.pipelines.io.ArrowGroupsTest.counter;
import static io.rusket.beam.pipelines.io.ArrowGroupsTest.rootMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.MineSequences;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet columnar grouped read ({@link ParquetGroups}) against the Row path ({@link
 * TableSource} into {@link MineGrouped}): identical output rows on odd files ({@link OddParquet}:
 * many row groups, one, an empty one, dictionary and plain, INT32/INT64/STRING keys, with and
 * without offset indexes), and nulls failing with the column, row group and row.
 */
class ParquetGroupsTest {
  @TempDir Path dir;

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  /**
   * The odd file shapes both layouts are read from: defaults; INT32 plain-encoded in many row
   * groups; an empty row group in the middle; no offset index.
   */
  private static OddParquet.Shape[] oddShapes() {
    return new OddParquet.Shape[] {
      new OddParquet.Shape(),
      new OddParquet.Shape().int32().plain().rowGroupBytes(4_000),
      new OddParquet.Shape().rowGroupBytes(6_000).withEmptyRowGroup(),
      new OddParquet.Shape().int32().rowGroupBytes(5_000).withoutOffsetIndex(),
    };
  }

  /** Collects the Row path's and the columnar read's rows under {@code tag} (same schema). */
  private static void collectBoth(
      PCollection<Row> byRows, PCollection<Row> columnar, String tag, int c) {
    assertEquals(byRows.getSchema(), columnar.getSchema());
    byRows.apply("CollectRows" + c, ParDo.of(new ArrowGroupsTest.CollectFn(tag + "rows")));
    columnar.apply("CollectCols" + c, ParDo.of(new ArrowGroupsTest.CollectFn(tag + "cols")));
  }

  /** Runs {@code p}; each tag's columnar rows equal its Row path's, more than 10 of them. */
  private static PipelineResult runAndCompare(Pipeline p, List<String> tags, String what) {
    PipelineResult result = p.run();
    result.waitUntilFinish();
    for (String tag : tags) {
      Set<Row> rows = collected(tag + "rows");
      assertTrue(rows.size() > 10, tag + ": " + rows.size() + " " + what);
      assertEquals(rows, collected(tag + "cols"), tag);
    }
    return result;
  }

  /** Events (group, txn, item) from each file shape: columnar equals the Row path. */
  private void eventsEqualRows(String group, String txn, String item) throws IOException {
    OddParquet.Shape[] shapes = oddShapes();
    Pipeline p = pipeline();
    List<String> tags = new ArrayList<>();
    for (int c = 0; c < shapes.length; c++) {
      Path file = dir.resolve(group + "-" + c + ".parquet");
      OddParquet.write(file, OddParquet.Events.random(30 + c, 6_000, 1_500, 25), shapes[c]);
      if (c > 0) {
        assertTrue(OddParquet.rowGroupRows(file).length > 3, "many row groups");
      }
      TableSource src = TableSource.from(file.toString()).withColumns(group, txn, item);
      Schema cols = src.getSchema();
      String tag = group + c + "-" + System.nanoTime();
      PCollection<Row> byRows =
          p.apply("Rows" + c, src)
              .apply("RowPath" + c, MineGrouped.events(group, txn, item).withMinSupport(0.05));
      PCollection<Row> columnar =
          p.apply(
                  "Columns" + c,
                  ParquetGroups.readEvents(file.toString(), cols, group, txn, item)
                      .withMaxBundleBytes(4_000))
              .apply(
                  "Columnar" + c,
                  MineGrouped.ofGroupEvents(
                          cols.getField(group),
                          ArrowGroups.keyKind(cols.getField(txn).getType()),
                          ArrowGroups.keyKind(cols.getField(item).getType()))
                      .withMinSupport(0.05));
      collectBoth(byRows, columnar, tag, c);
      tags.add(tag);
    }
    PipelineResult result = runAndCompare(p, tags, "itemsets");
    assertTrue(counter(result, MineGrouped.METRICS_NAMESPACE, "bundleFlushes") > 0, "flushes");
  }

  @Test
  void stringGroupsAndIntegerIdsEqualTheRowPath() throws IOException {
    eventsEqualRows("store", "txn", "item");
  }

  @Test
  void integerGroupsAndStringItemsEqualTheRowPath() throws IOException {
    eventsEqualRows("hot", "txn", "store");
  }

  @Test
  void oneHotBooleanAndZeroOneColumnsEqualTheRowPath() throws IOException {
    Path file = dir.resolve("onehot.parquet");
    OddParquet.write(
        file,
        OddParquet.Events.random(3, 5_000, 1_000, 10),
        new OddParquet.Shape().rowGroupBytes(3_000));
    assertTrue(OddParquet.rowGroupRows(file).length > 3, "many row groups");
    TableSource src = TableSource.from(file.toString()).withColumns("store", "flag", "hot");
    Schema cols = src.getSchema();
    Pipeline p = pipeline();
    PCollection<Row> byRows =
        p.apply("Rows", src).apply("RowPath", MineGrouped.byColumn("store").withMinSupport(0.1));
    PCollection<Row> columnar =
        p.apply("Columns", ParquetGroups.readOneHot(file.toString(), cols, "store", "flag", "hot"))
            .apply(
                "Columnar",
                MineGrouped.ofGroupBaskets(cols.getField("store"), "flag", "hot")
                    .withMinSupport(0.1));
    String tag = "onehot-" + System.nanoTime();
    byRows.apply("CollectRows", ParDo.of(new ArrowGroupsTest.CollectFn(tag + "rows")));
    columnar.apply("CollectCols", ParDo.of(new ArrowGroupsTest.CollectFn(tag + "cols")));
    p.run().waitUntilFinish();
    Set<Row> rows = collected(tag + "rows");
    assertTrue(rows.size() >= 8 * 3, rows.size() + " itemsets"); // 8 stores: flag, hot, both
    assertEquals(rows, collected(tag + "cols"));
  }

  /**
   * An empty row group in the middle: every receipt counts once (N per store = its rows). Checked
   * against the data written (TableSource's Rows of such files: {@code TableSourceParquetTest}).
   */
  @Test
  void oneHotWithAnEmptyRowGroupCountsEveryReceiptOnce() throws IOException {
    Path file = dir.resolve("onehot-empty.parquet");
    OddParquet.Events e = OddParquet.Events.random(3, 5_000, 1_000, 10);
    OddParquet.write(file, e, new OddParquet.Shape().rowGroupBytes(3_000).withEmptyRowGroup());
    java.util.Map<String, Long> n = new java.util.HashMap<>();
    java.util.Map<String, Long> flags = new java.util.HashMap<>();
    for (int k = 0; k < e.size(); k++) {
      n.merge(e.store[k], 1L, Long::sum);
      flags.merge(e.store[k], e.flag[k] ? 1L : 0L, Long::sum);
    }
    Schema cols = TableSource.from(file.toString()).withColumns("store", "flag", "hot").getSchema();
    Pipeline p = pipeline();
    String tag = "onehot-empty-" + System.nanoTime();
    p.apply(ParquetGroups.readOneHot(file.toString(), cols, "store", "flag", "hot"))
        .apply(
            MineGrouped.ofGroupBaskets(cols.getField("store"), "flag", "hot").withMinSupport(0.1))
        .apply(ParDo.of(new ArrowGroupsTest.CollectFn(tag)));
    p.run().waitUntilFinish();
    Set<Row> rows = collected(tag);
    assertEquals(8 * 3, rows.size(), rows.toString());
    for (Row r : rows) {
      String store = r.getString("store");
      assertEquals(n.get(store), r.getInt64("transactions"), store);
      assertEquals(flags.get(store), r.getInt64("count"), store + " " + r.getArray("itemsets"));
    }
  }

  @Test
  void nullsFailNamingColumnRowGroupAndRow() throws IOException {
    Path file = dir.resolve("nulls.parquet");
    OddParquet.write(
        file,
        OddParquet.Events.random(4, 3_000, 500, 10),
        new OddParquet.Shape().rowGroupBytes(4_000).nullAt("item", 2_345));
    Schema cols = TableSource.from(file.toString()).withColumns("store", "txn", "item").getSchema();
    Pipeline p = pipeline();
    p.apply(ParquetGroups.readEvents(file.toString(), cols, "store", "txn", "item"))
        .apply(
            MineGrouped.ofGroupEvents(
                cols.getField("store"),
                io.rusket.beam.transforms.KeyKind.INTEGER,
                io.rusket.beam.transforms.KeyKind.INTEGER));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String msg = rootMessage(e);
    assertTrue(
        msg.contains("'item'") && msg.contains("row group") && msg.contains("nulls.parquet"), msg);
  }

  /**
   * Sequence events (group or none, sequence, time, item) from each file shape: the columnar read
   * into {@link MineSequences#ofSequenceEvents} equals the Row path into {@link MineSequences}.
   */
  private void sequencesEqualRows(String group, String seq, String time, String item)
      throws IOException {
    OddParquet.Shape[] shapes = oddShapes();
    Pipeline p = pipeline();
    List<String> tags = new ArrayList<>();
    for (int c = 0; c < shapes.length; c++) {
      Path file = dir.resolve("seq-" + group + "-" + c + ".parquet");
      OddParquet.write(file, OddParquet.Events.random(50 + c, 6_000, 1_200, 25), shapes[c]);
      List<String> columns = new ArrayList<>();
      if (group != null) {
        columns.add(group);
      }
      columns.addAll(List.of(seq, time, item));
      TableSource src =
          TableSource.from(file.toString()).withColumns(columns.toArray(new String[0]));
      Schema cols = src.getSchema();
      assertTrue(ParquetGroups.readsSequences(cols, group, seq, time, item));
      MineSequences mine =
          (group == null
                  ? MineSequences.globally(seq, time, item)
                  : MineSequences.events(group, seq, time, item))
              .withMinSupport(0.02)
              .withMaxPatternLength(3);
      String tag = "seq-" + group + c + "-" + System.nanoTime();
      PCollection<Row> byRows = p.apply("Rows" + c, src).apply("RowPath" + c, mine);
      PCollection<Row> columnar =
          p.apply(
                  "Columns" + c,
                  ParquetGroups.readSequences(file.toString(), cols, group, seq, time, item)
                      .withMaxBundleBytes(4_000))
              .apply(
                  "Columnar" + c,
                  mine.ofSequenceEvents(
                      ArrowGroups.keyKind(cols.getField(seq).getType()),
                      ArrowGroups.keyKind(cols.getField(item).getType())));
      collectBoth(byRows, columnar, tag, c);
      tags.add(tag);
    }
    PipelineResult result = runAndCompare(p, tags, "patterns");
    assertTrue(counter(result, MineSequences.METRICS_NAMESPACE, "bundleFlushes") > 0, "flushes");
  }

  @Test
  void sequencesPerStringGroupEqualTheRowPath() throws IOException {
    sequencesEqualRows("store", "txn", "hot", "item");
  }

  @Test
  void sequencesGlobalWithStringItemsEqualTheRowPath() throws IOException {
    sequencesEqualRows(null, "txn", "item", "store");
  }

  @Test
  void sequenceNullsAndTypesFailNamingTheColumn() throws IOException {
    Path file = dir.resolve("seq-nulls.parquet");
    OddParquet.write(
        file,
        OddParquet.Events.random(4, 3_000, 500, 10),
        new OddParquet.Shape().rowGroupBytes(4_000).nullAt("item", 2_345));
    Schema cols =
        TableSource.from(file.toString()).withColumns("store", "txn", "item", "flag").getSchema();
    IllegalArgumentException type =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetGroups.readSequences(file.toString(), cols, "store", "txn", "flag", "item"));
    assertTrue(
        type.getMessage().startsWith("The time column 'flag' is BOOLEAN"), type.getMessage());
    assertTrue(!ParquetGroups.readsSequences(cols, "store", "txn", "flag", "item"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ParquetGroups.readSequences(file.toString(), cols, "store", "nope", "txn", "item"));
    IllegalArgumentException repeated =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetGroups.readSequences(
                    file.toString(), cols, "store", "txn", "item", "store"));
    assertTrue(repeated.getMessage().contains("must be distinct"), repeated.getMessage());
    Schema hot =
        TableSource.from(file.toString()).withColumns("hot", "txn", "item", "store").getSchema();
    Pipeline p = pipeline();
    p.apply(ParquetGroups.readSequences(file.toString(), hot, "hot", "txn", "item", "store"))
        .apply(
            MineSequences.events("hot", "txn", "item", "store")
                .ofSequenceEvents(
                    io.rusket.beam.transforms.KeyKind.INTEGER,
                    io.rusket.beam.transforms.KeyKind.STRING));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String msg = rootMessage(e);
    assertTrue(
        msg.contains("'item'") && msg.contains("row group") && msg.contains("seq-nulls.parquet"),
        msg);
  }
}
