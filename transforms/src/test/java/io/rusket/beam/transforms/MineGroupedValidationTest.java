package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad configurations fail at construction or in expand(), before any pipeline runs. */
class MineGroupedValidationTest {
  private static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  /** Applies {@code t} to an empty input of {@code schema}: runs expand() but no pipeline. */
  private static void apply(Schema schema, MineGrouped t) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> in = p.apply(Create.empty(org.apache.beam.sdk.coders.RowCoder.of(schema)));
    in.apply(t);
  }

  private static final Schema ONE_HOT =
      Schema.builder()
          .addInt32Field("store_id")
          .addBooleanField("milk")
          .addInt64Field("bread")
          .build();
  private static final Schema EVENTS =
      Schema.builder()
          .addStringField("store_id")
          .addInt64Field("receipt_id")
          .addStringField("sku")
          .addDoubleField("price")
          .build();

  @Test
  void settingsOutOfRangeFailAtConstruction() {
    MineGrouped t = MineGrouped.byColumn("store_id");
    assertEquals(
        "Invalid minSupport: 0.0. Valid range is (0, 1].", message(() -> t.withMinSupport(0)));
    assertEquals(
        "Invalid minSupport: 1.5. Valid range is (0, 1].", message(() -> t.withMinSupport(1.5)));
    assertEquals(
        "Invalid minSupport: NaN. Valid range is (0, 1].",
        message(() -> t.withMinSupport(Double.NaN)));
    assertEquals(
        "Invalid minSupport: -0.1. Valid range is (0, 1].", message(() -> t.withMinSupport(-0.1)));
    assertEquals(1.0, t.withMinSupport(1.0).getMinSupport());
    assertEquals(
        "Invalid maxLen: 0. Valid range is [1, 2147483647].", message(() -> t.withMaxLen(0)));
    assertEquals(
        "Invalid threadsPerGroup: 0. Valid range is [1, 2147483647].",
        message(() -> t.withThreadsPerGroup(0)));
    assertEquals(
        "Invalid method: null. Valid values are auto, fpgrowth, eclat.",
        message(() -> t.withMethod(null)));
  }

  @Test
  void fieldNamesFailAtConstruction() {
    assertEquals(
        "Invalid groupField: null. Give a field name.", message(() -> MineGrouped.byColumn(null)));
    assertEquals(
        "Invalid groupField: an empty name. Give a field name.",
        message(() -> MineGrouped.byColumn("")));
    assertEquals(
        "Invalid itemField: null. Give a field name.",
        message(() -> MineGrouped.events("g", "t", null)));
    assertEquals(
        "The group, transaction and item fields must differ, got 'g', 't', 'g'",
        message(() -> MineGrouped.events("g", "t", "g")));
    MineGrouped t = MineGrouped.byColumn("store_id");
    assertEquals(
        "withItemColumns needs at least one item column", message(() -> t.withItemColumns()));
    assertEquals(
        "Item column 'milk' is listed twice", message(() -> t.withItemColumns("milk", "milk")));
    assertEquals(
        "The group field 'store_id' cannot also be an item column",
        message(() -> t.withItemColumns("milk", "store_id")));
    assertEquals(
        "Invalid item column: null. Give a field name.",
        message(() -> t.withItemColumns("milk", null)));
    assertEquals(
        "withItemColumns applies to one-hot input (MineGrouped.byColumn), not to events; the item"
            + " field of events is 'sku'",
        message(() -> MineGrouped.events("store_id", "receipt_id", "sku").withItemColumns("a")));
  }

  @Test
  void oneHotSchemaProblemsFailInExpand() {
    assertEquals(
        "Group field 'store' is not in the input schema; fields are [store_id, milk, bread]",
        message(() -> apply(ONE_HOT, MineGrouped.byColumn("store"))));
    assertEquals(
        "Item column 'eggs' is not in the input schema; fields are [store_id, milk, bread]",
        message(
            () ->
                apply(ONE_HOT, MineGrouped.byColumn("store_id").withItemColumns("milk", "eggs"))));
    Schema withName =
        Schema.builder()
            .addInt32Field("store_id")
            .addBooleanField("milk")
            .addStringField("cashier")
            .build();
    assertEquals(
        "Item field 'cashier' has type STRING NOT NULL; one-hot item fields must be BOOLEAN or"
            + " 0/1 integers (INT8, INT16, INT32, INT64). List the item fields with"
            + " withItemColumns(...) to leave other fields out.",
        message(() -> apply(withName, MineGrouped.byColumn("store_id"))));
    // listing the item columns leaves the other field out
    apply(withName, MineGrouped.byColumn("store_id").withItemColumns("milk"));
    assertEquals(
        "No item columns: the input has only the group field 'store_id'",
        message(
            () ->
                apply(
                    Schema.builder().addInt32Field("store_id").build(),
                    MineGrouped.byColumn("store_id"))));
    Schema clash = Schema.builder().addStringField("support").addBooleanField("milk").build();
    assertEquals(
        "The group field 'support' clashes with an output field; output fields are [support,"
            + " itemsets, count, transactions]. Rename it first.",
        message(() -> apply(clash, MineGrouped.byColumn("support"))));
  }

  @Test
  void eventsSchemaProblemsFailInExpand() {
    assertEquals(
        "Transaction field 'receipt' is not in the input schema; fields are [store_id, receipt_id,"
            + " sku, price]",
        message(() -> apply(EVENTS, MineGrouped.events("store_id", "receipt", "sku"))));
    assertEquals(
        "Item field 'item' is not in the input schema; fields are [store_id, receipt_id, sku,"
            + " price]",
        message(() -> apply(EVENTS, MineGrouped.events("store_id", "receipt_id", "item"))));
    assertEquals(
        "Group field 'store' is not in the input schema; fields are [store_id, receipt_id, sku,"
            + " price]",
        message(() -> apply(EVENTS, MineGrouped.events("store", "receipt_id", "sku"))));
    assertEquals(
        "The item field 'price' has type DOUBLE NOT NULL; it must be STRING or an integer (INT8,"
            + " INT16, INT32, INT64)",
        message(() -> apply(EVENTS, MineGrouped.events("store_id", "receipt_id", "price"))));
    assertEquals(
        "The transaction field 'price' has type DOUBLE NOT NULL; it must be STRING or an integer"
            + " (INT8, INT16, INT32, INT64)",
        message(() -> apply(EVENTS, MineGrouped.events("store_id", "price", "sku"))));
    assertEquals(
        "withItemNames(false) outputs item values as ARRAY<INT32> ids, so it needs an integer item"
            + " field, but item field 'sku' is STRING",
        message(
            () ->
                apply(
                    EVENTS,
                    MineGrouped.events("store_id", "receipt_id", "sku").withItemNames(false))));
    // an integer item field with names off is fine
    apply(EVENTS, MineGrouped.events("store_id", "sku", "receipt_id").withItemNames(false));
  }

  @Test
  void inputWithoutASchemaFailsInExpand() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> strings = p.apply(Create.of("a").withCoder(StringUtf8Coder.of()));
    @SuppressWarnings("unchecked")
    PCollection<Row> notRows = (PCollection<Row>) (PCollection<?>) strings;
    String m = message(() -> notRows.apply(MineGrouped.byColumn("g")));
    assertTrue(m.startsWith("MineGrouped needs a PCollection<Row> with a schema"), m);
  }

  @Test
  void configurationIsImmutable() {
    MineGrouped base = MineGrouped.byColumn("store_id");
    MineGrouped tuned =
        base.withMinSupport(0.05)
            .withMethod(Method.ECLAT)
            .withMaxLen(3)
            .withItemNames(false)
            .withThreadsPerGroup(4);
    assertEquals(MineGrouped.DEFAULT_MIN_SUPPORT, base.getMinSupport());
    assertEquals(MineGrouped.DEFAULT_METHOD, base.getMethod());
    assertNull(base.getMaxLen());
    assertEquals(MineGrouped.DEFAULT_ITEM_NAMES, base.getItemNames());
    assertEquals(MineGrouped.DEFAULT_THREADS_PER_GROUP, base.getThreadsPerGroup());
    assertEquals(0.05, tuned.getMinSupport());
    assertEquals(Method.ECLAT, tuned.getMethod());
    assertEquals(3, tuned.getMaxLen());
    assertFalse(tuned.getItemNames());
    assertEquals(4, tuned.getThreadsPerGroup());
    assertNull(tuned.withoutMaxLen().getMaxLen());
  }

  @Test
  void displayDataShowsEveryKnob() {
    Map<String, Object> oneHot =
        items(
            MineGrouped.byColumn("store_id")
                .withItemColumns("milk", "bread")
                .withMinSupport(0.05)
                .withMethod(Method.FPGROWTH)
                .withMaxLen(3)
                .withItemNames(false)
                .withThreadsPerGroup(2));
    assertEquals("one-hot", oneHot.get("format"));
    assertEquals("store_id", oneHot.get("groupField"));
    assertEquals("milk, bread", oneHot.get("itemColumns"));
    assertEquals(0.05, oneHot.get("minSupport"));
    assertEquals("FPGROWTH", oneHot.get("method"));
    assertEquals(3L, ((Number) oneHot.get("maxLen")).longValue());
    assertEquals(false, oneHot.get("itemNames"));
    assertEquals(2L, ((Number) oneHot.get("threadsPerGroup")).longValue());
    Map<String, Object> events = items(MineGrouped.events("store_id", "receipt_id", "sku"));
    assertEquals("events", events.get("format"));
    assertEquals("receipt_id", events.get("transactionField"));
    assertEquals("sku", events.get("itemField"));
    assertFalse(events.containsKey("maxLen"), "unset: any length");
    assertFalse(events.containsKey("itemColumns"));
    assertEquals(MineGrouped.DEFAULT_MIN_SUPPORT, events.get("minSupport"));
    for (DisplayData.Item item : DisplayData.from(MineGrouped.byColumn("g")).items()) {
      assertTrue(item.getLabel() != null && !item.getLabel().isEmpty(), item.getKey());
    }
  }

  private static Map<String, Object> items(MineGrouped t) {
    Map<String, Object> out = new HashMap<>();
    for (DisplayData.Item item : DisplayData.from(t).items()) {
      out.put(item.getKey(), item.getValue());
    }
    return out;
  }

  @Test
  void outputSchemaHasTheGroupFieldFirst() {
    Schema out = MineGrouped.outputSchema(ONE_HOT.getField("store_id"), true);
    assertEquals(
        List.of("store_id", "support", "itemsets", "count", "transactions"), out.getFieldNames());
    assertEquals(FieldType.INT32, out.getField("store_id").getType());
    assertEquals(FieldType.DOUBLE, out.getField("support").getType());
    assertEquals(FieldType.array(FieldType.STRING), out.getField("itemsets").getType());
    assertEquals(FieldType.INT64, out.getField("count").getType());
    assertEquals(FieldType.INT64, out.getField("transactions").getType());
    assertEquals(
        FieldType.array(FieldType.INT32),
        MineGrouped.outputSchema(ONE_HOT.getField("store_id"), false)
            .getField("itemsets")
            .getType());
  }
}
