package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.GroupedData.GROUP;
import static io.rusket.beam.transforms.GroupedData.ITEM;
import static io.rusket.beam.transforms.GroupedData.ITEMS;
import static io.rusket.beam.transforms.GroupedData.TXN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * MineGrouped over accumulators built column-wise ({@link MineGrouped#ofGroupEvents}, {@link
 * MineGrouped#ofGroupBaskets}): the same rows as the Row path, and the bulk-add APIs.
 */
class MineGroupedAccumulatorsTest {
  private static final Field GROUP_FIELD = GroupedData.oneHotSchema().getField(GROUP);
  private static final Schema KEY_SCHEMA = Schema.builder().addField(GROUP_FIELD).build();

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  /** Event rows as columns, cut into chunks, through BundleAccumulators under a small budget. */
  private static List<KV<Row, GroupEvents>> eventChunks(
      List<Row> rows, boolean stringItems, int chunk, long budget) {
    BundleAccumulators<GroupEvents> pending =
        BundleAccumulators.ofEvents(
            KeyKind.INTEGER, stringItems ? KeyKind.STRING : KeyKind.INTEGER, budget);
    List<BundleAccumulators.Entry<GroupEvents>> out = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += chunk) {
      int n = Math.min(chunk, rows.size() - from);
      long[] txns = new long[n];
      long[] itemIds = new long[n];
      String[] itemNames = new String[n];
      int[] groupOfRow = new int[n];
      List<Object> groups = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        Row row = rows.get(from + r);
        Object g = row.getValue(GROUP);
        int k = groups.indexOf(g);
        if (k < 0) {
          k = groups.size();
          groups.add(g);
        }
        groupOfRow[r] = k;
        txns[r] = row.getInt64(TXN);
        if (stringItems) {
          itemNames[r] = row.getString(ITEM);
        } else {
          itemIds[r] = row.getInt32(ITEM);
        }
      }
      KeyColumn txn = KeyColumn.ofLongs(txns);
      KeyColumn item = stringItems ? KeyColumn.ofStrings(itemNames) : KeyColumn.ofLongs(itemIds);
      if (pending.addChunk(
          groups.toArray(),
          groupOfRow,
          n,
          GlobalWindow.INSTANCE,
          (events, sel, a, b) -> events.addChunk(txn, item, sel, a, b))) {
        out.addAll(pending.takeLargest());
        assertTrue(pending.totalBytes() <= budget / 2);
      }
    }
    out.addAll(pending.takeAll());
    List<KV<Row, GroupEvents>> kvs = new ArrayList<>();
    for (BundleAccumulators.Entry<GroupEvents> e : out) {
      kvs.add(KV.of(Row.withSchema(KEY_SCHEMA).attachValues(e.group()), e.accumulator().compact()));
    }
    return kvs;
  }

  /** One-hot rows as one bitmap word per row (12 items), chunked. */
  private static List<KV<Row, GroupBaskets>> basketChunks(GroupedData data, int chunk) {
    List<KV<Row, GroupBaskets>> kvs = new ArrayList<>();
    for (Map.Entry<Integer, List<boolean[]>> e : data.groups.entrySet()) {
      List<boolean[]> rows = e.getValue();
      for (int from = 0; from < rows.size(); from += chunk) {
        int n = Math.min(chunk, rows.size() - from);
        long[] words = new long[n];
        for (int r = 0; r < n; r++) {
          boolean[] flags = rows.get(from + r);
          for (int j = 0; j < flags.length; j++) {
            if (flags[j]) {
              words[r] |= 1L << j;
            }
          }
        }
        GroupBaskets g = GroupBaskets.empty(KeyKind.INTEGER).addBitmapRows(words, 1, null, 0, n);
        kvs.add(KV.of(Row.withSchema(KEY_SCHEMA).attachValues(e.getKey()), g));
      }
    }
    return kvs;
  }

  private static <A> PCollection<KV<Row, A>> create(
      Pipeline p, String name, List<KV<Row, A>> kvs, org.apache.beam.sdk.coders.Coder<A> coder) {
    return p.apply(name, Create.of(kvs).withCoder(KvCoder.of(RowCoder.of(KEY_SCHEMA), coder)));
  }

  /** String items with names; integer items as ids (as names they would be the numbers' text). */
  @Test
  void eventChunksGiveTheRowPathsRowsForStringAndIntegerItems() {
    long seed = 21;
    GroupedData data = GroupedData.random(seed, new int[] {70, 45, 30, 12}, false);
    Pipeline p = pipeline();
    for (boolean strings : new boolean[] {true, false}) {
      List<Row> rows = data.events(strings, seed);
      List<KV<Row, GroupEvents>> parts = eventChunks(rows, strings, 37, 6_000);
      assertTrue(parts.size() > data.groups.size(), "the budget split groups: " + parts.size());
      String tag = strings ? "String" : "Int";
      PCollection<Row> columnar =
          create(p, tag + "Chunks", parts, GroupEvents.coder())
              .apply(
                  tag + "Accumulators",
                  MineGrouped.ofGroupEvents(
                          GROUP_FIELD, KeyKind.INTEGER, strings ? KeyKind.STRING : KeyKind.INTEGER)
                      .withMinSupport(0.15)
                      .withMaxLen(3)
                      .withItemNames(strings));
      PCollection<Row> byRows =
          p.apply(tag + "Rows", Create.of(rows).withRowSchema(GroupedData.eventsSchema(strings)))
              .apply(
                  tag + "RowPath",
                  MineGrouped.events(GROUP, TXN, ITEM)
                      .withMinSupport(0.15)
                      .withMaxLen(3)
                      .withItemNames(strings));
      assertEquals(byRows.getSchema(), columnar.getSchema());
      List<Row> expected = data.expected(0.15, 3, Method.FPGROWTH, strings);
      PAssert.that(tag + " columnar", columnar).containsInAnyOrder(expected);
      PAssert.that(tag + " rows", byRows).containsInAnyOrder(expected);
    }
    p.run().waitUntilFinish();
  }

  @Test
  void oneHotBitmapsGiveTheRowPathsRows() {
    long seed = 8;
    GroupedData data = GroupedData.random(seed, new int[] {80, 33, 7}, true);
    Pipeline p = pipeline();
    List<KV<Row, GroupBaskets>> parts = basketChunks(data, 16);
    PCollection<Row> names =
        create(p, "Bitmaps", parts, GroupBaskets.coder())
            .apply("Names", MineGrouped.ofGroupBaskets(GROUP_FIELD, ITEMS).withMinSupport(0.1));
    PCollection<Row> ids =
        create(p, "Bitmaps2", parts, GroupBaskets.coder())
            .apply(
                "Ids",
                MineGrouped.ofGroupBaskets(GROUP_FIELD, ITEMS)
                    .withMinSupport(0.1)
                    .withItemNames(false));
    PCollection<Row> byRows =
        p.apply("Rows", Create.of(data.oneHotRows()).withRowSchema(GroupedData.oneHotSchema()))
            .apply("RowPath", MineGrouped.byColumn(GROUP).withMinSupport(0.1));
    List<Row> expected = data.expected(0.1, null, Method.FPGROWTH, true);
    PAssert.that("names", names).containsInAnyOrder(expected);
    PAssert.that("rows", byRows).containsInAnyOrder(expected);
    PAssert.that("ids", ids).containsInAnyOrder(data.expected(0.1, null, Method.FPGROWTH, false));
    p.run().waitUntilFinish();
  }

  @Test
  void noAccumulatorsNoRows() {
    Pipeline p = pipeline();
    PCollection<Row> out =
        p.apply(Create.empty(KvCoder.of(RowCoder.of(KEY_SCHEMA), GroupEvents.coder())))
            .apply(MineGrouped.ofGroupEvents(GROUP_FIELD, KeyKind.INTEGER, KeyKind.INTEGER));
    PAssert.that(out).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void addChunkEqualsAddingEventByEvent() {
    Random rnd = new Random(3);
    int n = 500;
    long[] txns = new long[n];
    String[] items = new String[n];
    GroupEvents oneByOne = GroupEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
    for (int r = 0; r < n; r++) {
      txns[r] = rnd.nextInt(60) - 30;
      items[r] = "s" + rnd.nextInt(25);
      oneByOne.add(txns[r], items[r]);
    }
    GroupEvents chunked = GroupEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
    chunked.addChunk(KeyColumn.ofLongs(txns), KeyColumn.ofStrings(items), null, 0, 200);
    int[] rows = new int[n - 200];
    for (int k = 0; k < rows.length; k++) {
      rows[k] = n - 1 - k; // the rest, in reverse order
    }
    chunked.addChunk(KeyColumn.ofLongs(txns), KeyColumn.ofStrings(items), rows, 0, rows.length);
    assertEquals(oneByOne.nPairs(), chunked.nPairs());
    assertEquals(oneByOne.toBaskets(), chunked.toBaskets());
    // trim keeps every pair (repeats too) and the content, and drops the lookup tables
    long bytes = chunked.ramBytesUsed();
    chunked.trim();
    assertEquals(n, chunked.nPairs());
    assertEquals(oneByOne.toBaskets(), chunked.toBaskets());
    assertTrue(chunked.ramBytesUsed() < bytes, chunked.ramBytesUsed() + " >= " + bytes);
    // an empty chunk changes nothing
    GroupBaskets before = chunked.toBaskets();
    chunked.addChunk(KeyColumn.ofLongs(txns), KeyColumn.ofStrings(items), null, 7, 7);
    assertEquals(before, chunked.toBaskets());
  }

  @Test
  void badChunksAreRejectedWholeNamingTheRow() {
    GroupEvents g = GroupEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
    String[] items = {"a", "b", null, "d"};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                g.addChunk(
                    KeyColumn.ofLongs(new long[] {1, 1, 2, 2}),
                    KeyColumn.ofStrings(items),
                    null,
                    0,
                    4));
    assertTrue(e.getMessage().contains("row 2"), e.getMessage());
    assertEquals(0, g.nPairs(), "nothing added");
    assertEquals(0, g.nTransactions());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                g.addChunk(
                    KeyColumn.ofLongs(new long[] {1}),
                    KeyColumn.ofLongs(new long[] {1}),
                    null,
                    0,
                    1));
    assertTrue(e.getMessage().contains("INTEGER"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                g.addChunk(
                    KeyColumn.ofLongs(new long[] {1}),
                    KeyColumn.ofStrings(new String[] {"x"}),
                    null,
                    0,
                    2));
    assertTrue(e.getMessage().contains("[0, 2)"), e.getMessage());
  }

  @Test
  void bitmapRowsEqualBasketsAndKeepEmptyTransactions() {
    Random rnd = new Random(4);
    int cols = 150; // three words per row
    int n = 300;
    long[] words = new long[n * 3];
    GroupBaskets byBasket = GroupBaskets.empty(KeyKind.INTEGER);
    for (int r = 0; r < n; r++) {
      Basket b = Basket.empty(KeyKind.INTEGER);
      if (r % 10 != 0) {
        for (int j = 0; j < cols; j++) {
          if (rnd.nextInt(20) == 0) {
            words[r * 3 + (j >>> 6)] |= 1L << j;
            b.add(j);
          }
        }
      }
      byBasket.add(b);
    }
    GroupBaskets byBits = GroupBaskets.empty(KeyKind.INTEGER);
    byBits.addBitmapRows(words, 3, null, 0, 100);
    byBits.addBitmapRows(words, 3, new int[] {299, 100}, 0, 1);
    int[] rest = new int[198];
    for (int k = 0; k < rest.length; k++) {
      rest[k] = 101 + k;
    }
    byBits.addBitmapRows(words, 3, rest, 0, rest.length);
    byBits.addBitmapRows(words, 3, new int[] {100}, 0, 1);
    assertEquals(n, byBits.size());
    assertEquals(byBasket.canonical(), byBits.canonical());
    assertThrows(
        IllegalArgumentException.class,
        () -> GroupBaskets.empty(KeyKind.STRING).addBitmapRows(words, 3, null, 0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> GroupBaskets.empty(KeyKind.INTEGER).addBitmapRows(words, 3, null, 0, n + 1));
  }

  @Test
  void settingsAreValidatedAsTheRowPathsAndShownInDisplayData() {
    MineGroupedAccumulators<GroupEvents> t =
        MineGrouped.ofGroupEvents(GROUP_FIELD, KeyKind.INTEGER, KeyKind.STRING);
    assertThrows(IllegalArgumentException.class, () -> t.withMinSupport(0));
    assertThrows(IllegalArgumentException.class, () -> t.withMaxLen(0));
    assertThrows(IllegalArgumentException.class, () -> t.withThreadsPerGroup(0));
    assertThrows(IllegalArgumentException.class, () -> t.withMethod(null));
    assertEquals(0.25, t.withMinSupport(0.25).getMinSupport());
    assertEquals(MineGrouped.DEFAULT_MIN_SUPPORT, t.getMinSupport(), "a copy");
    assertEquals(3, t.withMaxLen(3).getMaxLen());
    assertThrows(
        IllegalArgumentException.class,
        () -> MineGrouped.ofGroupEvents(null, KeyKind.INTEGER, KeyKind.STRING));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MineGrouped.ofGroupEvents(
                Field.of("support", Schema.FieldType.STRING), KeyKind.INTEGER, KeyKind.INTEGER));
    assertThrows(
        IllegalArgumentException.class, () -> MineGrouped.ofGroupBaskets(GROUP_FIELD, "a", "a"));
    assertThrows(
        IllegalArgumentException.class, () -> MineGrouped.ofGroupBaskets(GROUP_FIELD, GROUP));
    Set<String> keys =
        DisplayData.from(t.withMaxLen(2)).items().stream()
            .map(DisplayData.Item::getKey)
            .collect(Collectors.toSet());
    assertTrue(
        keys.containsAll(
            List.of(
                "format",
                "groupField",
                "transactionKind",
                "itemKind",
                "minSupport",
                "method",
                "maxLen",
                "itemNames",
                "threadsPerGroup")),
        keys.toString());
    assertTrue(
        DisplayData.from(MineGrouped.ofGroupBaskets(GROUP_FIELD, ITEMS)).items().stream()
            .anyMatch(i -> i.getKey().equals("itemColumns")));
  }

  @Test
  void expandChecksTheInputCoderAndTheItemKind() {
    Pipeline p = pipeline();
    PCollection<KV<Row, GroupEvents>> strings =
        p.apply("Strings", Create.empty(KvCoder.of(RowCoder.of(KEY_SCHEMA), GroupEvents.coder())));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                strings.apply(
                    MineGrouped.ofGroupEvents(GROUP_FIELD, KeyKind.INTEGER, KeyKind.STRING)
                        .withItemNames(false)));
    assertTrue(e.getMessage().contains("withItemNames(false)"), e.getMessage());
    Schema otherKey = Schema.builder().addStringField("region").build();
    PCollection<KV<Row, GroupEvents>> wrongKey =
        p.apply("WrongKey", Create.empty(KvCoder.of(RowCoder.of(otherKey), GroupEvents.coder())));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                wrongKey.apply(
                    MineGrouped.ofGroupEvents(GROUP_FIELD, KeyKind.INTEGER, KeyKind.STRING)));
    assertTrue(e.getMessage().contains("RowCoder"), e.getMessage());
  }
}
