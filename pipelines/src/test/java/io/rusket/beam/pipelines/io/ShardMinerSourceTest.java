package io.rusket.beam.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.transforms.MineStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The columnar readers ({@link ShardMinerSource}: Parquet by row group, Arrow by record batches)
 * against the Row path ({@link TableSource} → {@code MineStream.of}) and against one FPMiner over
 * all events, on odd files.
 */
class ShardMinerSourceTest {
  private static final int ITEMS = 60;
  private static final double MIN_SUPPORT = 0.01;
  private static final Schema OUT = MineStream.outputSchema(false);

  @TempDir Path dir;

  /** One FPMiner over all events, mined: the plain loop. */
  static List<Row> expected(long[] txn, long[] item, int nItems, double minSupport) {
    int[] items = new int[item.length];
    for (int i = 0; i < items.length; i++) {
      items[i] = (int) item[i];
    }
    try (FPMiner m = new FPMiner(nItems)) {
      m.addChunk(txn, items);
      Itemsets sets = m.mine(ItemsetMiner.minSupport(minSupport).withThreads(1));
      long n = m.nTransactions();
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < sets.size(); i++) {
        int[] ids = sets.items(i).clone();
        Arrays.sort(ids);
        List<Integer> list = new ArrayList<>();
        for (int id : ids) {
          list.add(id);
        }
        rows.add(Row.withSchema(OUT).addValues(sets.support(i), list, sets.count(i), n).build());
      }
      return rows;
    }
  }

  private static MineStream<?> mine(MineStream<?> m, int shards) {
    return m.withNumItems(ITEMS).withMinSupport(MIN_SUPPORT).withShards(shards).withThreads(1);
  }

  /** Columnar and Row path, both against the plain loop, in one pipeline. */
  private static void assertColumnarEqualsRows(
      String file, OddParquet.Events e, InputFormat format, boolean rowPath, long maxRamBytes) {
    assertColumnarEqualsRows(
        file, e, format, rowPath, maxRamBytes, ParquetColumns.DEFAULT_SPLIT_ROWS);
  }

  private static void assertColumnarEqualsRows(
      String file,
      OddParquet.Events e,
      InputFormat format,
      boolean rowPath,
      long maxRamBytes,
      long splitRows) {
    List<Row> expected = expected(e.txn, e.item, ITEMS, MIN_SUPPORT);
    assertTrue(expected.size() > 20, "enough itemsets: " + expected.size());
    Pipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    int shards = 3;
    @SuppressWarnings("unchecked")
    MineStream<org.apache.beam.sdk.values.KV<Integer, FPMiner>> fromMiners =
        (MineStream<org.apache.beam.sdk.values.KV<Integer, FPMiner>>)
            mine(MineStream.ofShardMiners(), shards);
    PCollection<Row> columnar =
        p.apply(
                "Columnar",
                ShardMinerSource.from(file)
                    .withFormat(format)
                    .withColumns("txn", "item")
                    .withNumItems(ITEMS)
                    .withShards(shards)
                    .withMaxRamBytes(maxRamBytes)
                    .withSplitRows(splitRows))
            .apply("MineColumnar", fromMiners);
    PAssert.that("columnar " + file, columnar).containsInAnyOrder(expected);
    if (rowPath) {
      @SuppressWarnings("unchecked")
      MineStream<Row> fromRows = (MineStream<Row>) mine(MineStream.of("txn", "item"), shards);
      PCollection<Row> rows =
          p.apply("Rows", TableSource.from(file).withFormat(format).withColumns("txn", "item"))
              .apply("MineRows", fromRows);
      PAssert.that("rows " + file, rows).containsInAnyOrder(expected);
    }
    p.run().waitUntilFinish();
  }

  @Test
  void parquetManyRowGroupsDictionaryInt64EqualsRowPath() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(21, 40_000, 8_000, ITEMS);
    Path f = dir.resolve("many.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().rowGroupBytes(32 << 10));
    assertTrue(OddParquet.rowGroupRows(f).length > 4);
    assertColumnarEqualsRows(f.toString(), e, InputFormat.PARQUET, true, 128L << 20);
  }

  @Test
  void parquetPlainInt32TinyBudgetEqualsRowPath() throws IOException {
    // A 16 KiB budget: miners are emitted many times within each row group.
    OddParquet.Events e = OddParquet.Events.random(22, 40_000, 8_000, ITEMS);
    Path f = dir.resolve("plain32.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().int32().plain().rowGroupBytes(64 << 10));
    assertColumnarEqualsRows(
        f.toString(), e, InputFormat.PARQUET, true, MineStream.MIN_MAX_RAM_BYTES);
  }

  @Test
  void parquetOneRowGroupEqualsRowPath() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(23, 30_000, 6_000, ITEMS);
    Path f = dir.resolve("one.parquet");
    OddParquet.write(f, e, new OddParquet.Shape());
    assertEquals(1, OddParquet.rowGroupRows(f).length);
    assertColumnarEqualsRows(f.toString(), e, InputFormat.PARQUET, true, 128L << 20);
  }

  @Test
  void parquetRowGroupCutIntoRangesEqualsRowPath() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(33, 40_000, 8_000, ITEMS);
    Path f = dir.resolve("ranges.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().pageBytes(4096));
    assertEquals(1, OddParquet.rowGroupRows(f).length);
    assertColumnarEqualsRows(f.toString(), e, InputFormat.PARQUET, true, 128L << 20, 6_000);
    Path g = dir.resolve("ranges-no-index.parquet");
    OddParquet.write(g, e, new OddParquet.Shape().pageBytes(4096).withoutOffsetIndex());
    assertColumnarEqualsRows(g.toString(), e, InputFormat.PARQUET, false, 128L << 20, 6_000);
  }

  @Test
  void parquetEmptyRowGroupEqualsThePlainLoop() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(24, 30_000, 6_000, ITEMS);
    Path f = dir.resolve("empty-group.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().rowGroupBytes(32 << 10).withEmptyRowGroup());
    assertTrue(Arrays.stream(OddParquet.rowGroupRows(f)).anyMatch(r -> r == 0));
    assertColumnarEqualsRows(f.toString(), e, InputFormat.PARQUET, true, 128L << 20);
  }

  @Test
  void parquetGlobOfFilesEqualsThePlainLoop() throws IOException {
    OddParquet.Events all = OddParquet.Events.random(25, 45_000, 9_000, ITEMS);
    for (int k = 0; k < 3; k++) {
      int from = k * 15_000;
      OddParquet.Events part =
          new OddParquet.Events(
              Arrays.copyOfRange(all.txn, from, from + 15_000),
              Arrays.copyOfRange(all.item, from, from + 15_000),
              Arrays.copyOfRange(all.store, from, from + 15_000),
              Arrays.copyOfRange(all.flag, from, from + 15_000));
      OddParquet.write(
          dir.resolve("part-" + k + ".parquet"),
          part,
          k == 1 ? new OddParquet.Shape().int32() : new OddParquet.Shape().rowGroupBytes(32 << 10));
    }
    assertColumnarEqualsRows(
        dir.resolve("part-*.parquet").toString(), all, InputFormat.PARQUET, false, 128L << 20);
  }

  /** Events as Rows of {@code txn INT64 | item INT32}, for an Arrow file. */
  private static List<Row> rows(OddParquet.Events e, Schema schema) {
    List<Row> rows = new ArrayList<>(e.size());
    for (int i = 0; i < e.size(); i++) {
      rows.add(Row.withSchema(schema).addValues(e.txn[i], (int) e.item[i]).build());
    }
    return rows;
  }

  @Test
  void arrowManyBatchesEqualsRowPath() throws IOException {
    OddParquet.Events e =
        OddParquet.Events.random(26, 3 * LocalFiles.ARROW_BATCH_ROWS + 123, 40_000, ITEMS);
    Schema schema = Schema.builder().addInt64Field("txn").addInt32Field("item").build();
    Path f = dir.resolve("events.arrow");
    LocalFiles.writeArrow(f, schema, rows(e, schema));
    assertColumnarEqualsRows(f.toString(), e, InputFormat.ARROW, true, 128L << 20);
  }

  @Test
  void arrowFileIsSplitByRecordBatches() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(27, 3 * LocalFiles.ARROW_BATCH_ROWS + 5, 10, 10);
    Schema schema = Schema.builder().addInt64Field("txn").addInt32Field("item").build();
    Path f = dir.resolve("split.arrow");
    LocalFiles.writeArrow(f, schema, rows(e, schema));
    // Each batch body is about 12 bytes per row: 1 byte per split gives one split per batch.
    Pipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<ArrowPairs.Split> splits =
        p.apply(FileIO.match().filepattern(f.toString()))
            .apply(FileIO.readMatches())
            .apply(ArrowPairs.splits(1));
    long size = FileSystems.matchSingleFileSpec(f.toString()).sizeBytes();
    PAssert.that(splits)
        .containsInAnyOrder(
            new ArrowPairs.Split(f.toString(), size, 0, 1),
            new ArrowPairs.Split(f.toString(), size, 1, 1),
            new ArrowPairs.Split(f.toString(), size, 2, 1),
            new ArrowPairs.Split(f.toString(), size, 3, 1));
    PCollection<Long> whole =
        p.apply("Whole", FileIO.match().filepattern(f.toString()))
            .apply("OpenWhole", FileIO.readMatches())
            .apply("OneSplit", ArrowPairs.splits(Long.MAX_VALUE))
            .apply(Count.globally());
    PAssert.thatSingleton(whole).isEqualTo(1L);
    p.run().waitUntilFinish();
  }

  @Test
  void arrowSplitCoderRoundTrips() throws Exception {
    ArrowPairs.Split s = new ArrowPairs.Split("/data/é.arrow", 12_345, 3, 7);
    CoderProperties.coderDecodeEncodeEqual(ArrowPairs.Split.coder(), s);
    ArrowPairs.Split.coder().verifyDeterministic();
    assertThrows(IllegalArgumentException.class, () -> new ArrowPairs.Split("f", 1, 0, 0));
  }

  /** The root cause's message of a failed pipeline. */
  private static String failure(Runnable run) {
    Throwable t = assertThrows(RuntimeException.class, run::run);
    String all = "";
    for (; t != null; t = t.getCause()) {
      all += t.getMessage() + "\n";
    }
    return all;
  }

  private static void readAndMine(String file, InputFormat format) {
    Pipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(
            ShardMinerSource.from(file)
                .withFormat(format)
                .withColumns("txn", "item")
                .withNumItems(ITEMS)
                .withShards(2))
        .apply(
            MineStream.ofShardMiners()
                .withNumItems(ITEMS)
                .withMinSupport(MIN_SUPPORT)
                .withShards(2));
    p.run().waitUntilFinish();
  }

  @Test
  void parquetNullFailsNamingColumnRowGroupAndRow() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(28, 20_000, 5_000, ITEMS);
    Path f = dir.resolve("null.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().rowGroupBytes(32 << 10).nullAt("item", 15_000));
    long[] groups = OddParquet.rowGroupRows(f);
    int g = 0;
    long first = 0;
    while (first + groups[g] <= 15_000) {
      first += groups[g++];
    }
    String m = failure(() -> readAndMine(f.toString(), InputFormat.PARQUET));
    assertTrue(
        m.contains(
            "Parquet column 'item' is null in "
                + f
                + ", row group "
                + g
                + ", row "
                + (15_000 - first)),
        m);
  }

  @Test
  void itemOutOfRangeFailsNamingFileRowAndSetting() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(29, 5_000, 1_000, ITEMS);
    e.item[4_321] = ITEMS + 5;
    Path f = dir.resolve("range.parquet");
    OddParquet.write(f, e, new OddParquet.Shape());
    String m = failure(() -> readAndMine(f.toString(), InputFormat.PARQUET));
    assertTrue(
        m.contains(
            "Parquet column 'item' = "
                + (ITEMS + 5)
                + " in "
                + f
                + ", row group 0, row 4321 (transaction "
                + e.txn[4_321]
                + ") is out of range [0, "
                + ITEMS
                + "): raise withNumItems"),
        m);
    Schema schema = Schema.builder().addInt64Field("txn").addInt32Field("item").build();
    Path a = dir.resolve("range.arrow");
    LocalFiles.writeArrow(a, schema, rows(e, schema));
    String am = failure(() -> readAndMine(a.toString(), InputFormat.ARROW));
    assertTrue(am.contains("Arrow file " + a + ", record batch 0: Arrow column 'item'"), am);
    assertTrue(am.contains("at row 4321 of the batch"), am);
  }

  @Test
  void missingColumnFailsListingThosePresent() throws IOException {
    Path f = dir.resolve("cols.parquet");
    OddParquet.write(f, OddParquet.Events.random(30, 100, 10, ITEMS), new OddParquet.Shape());
    Pipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(
        ShardMinerSource.from(f.toString())
            .withColumns("txn", "sku")
            .withNumItems(ITEMS)
            .withShards(2));
    String m = failure(() -> p.run().waitUntilFinish());
    assertTrue(m.contains("has no column 'sku'; columns present: [txn, item"), m);
  }

  @Test
  void settingsAreValidated() {
    ShardMinerSource s = ShardMinerSource.from("x.parquet");
    assertEquals(InputFormat.PARQUET, s.getFormat());
    assertThrows(IllegalArgumentException.class, () -> ShardMinerSource.from(" "));
    assertThrows(IllegalArgumentException.class, () -> s.withFormat(InputFormat.CSV));
    assertThrows(IllegalArgumentException.class, () -> s.withColumns("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> s.withColumns("a", ""));
    IllegalArgumentException x =
        assertThrows(IllegalArgumentException.class, () -> s.withNumItems(0));
    assertEquals("Invalid numItems: 0. Valid range is [1, 2147483647].", x.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.withShards(0));
    assertThrows(IllegalArgumentException.class, () -> s.withMaxRamBytes(10));
    Pipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    assertThrows(IllegalStateException.class, () -> p.apply(s.withNumItems(5)));
    DisplayData d =
        DisplayData.from(
            s.withColumns("t", "i").withNumItems(5).withShards(4).withMaxRamBytes(1 << 20));
    assertTrue(d.toString().contains("numItems=5"), d.toString());
    assertTrue(d.toString().contains("shards=4"), d.toString());
    assertTrue(d.toString().contains("maxRamBytes=1048576"), d.toString());
    assertThrows(IllegalArgumentException.class, () -> s.withSplitRows(0));
  }
}
