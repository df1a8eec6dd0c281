package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.SequenceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** MineSequences on the DirectRunner against the brute-force oracle, and its contracts. */
class MineSequencesTest {
  static final Schema EVENTS =
      Schema.builder()
          .addStringField("store")
          .addInt64Field("customer")
          .addInt64Field("day")
          .addStringField("sku")
          .build();

  static List<Row> rows(SequenceData d) {
    List<Row> out = new ArrayList<>();
    for (SequenceData.Event e : d.events) {
      out.add(Row.withSchema(EVENTS).addValues(e.group, e.sequence, e.time, e.item).build());
    }
    return out;
  }

  /** Result rows as the text SequenceData.expected writes, checking support = count / N. */
  static PCollection<String> asText(PCollection<Row> out, String name, boolean global) {
    return out.apply(
        name,
        MapElements.into(TypeDescriptors.strings())
            .via(
                r -> {
                  long count = r.getInt64("count");
                  long n = r.getInt64("sequences");
                  if (r.getDouble("support") != count / (double) n) {
                    throw new AssertionError("support of " + r);
                  }
                  return SequenceData.text(
                      global ? null : r.getValue(0), count, n, r.getArray("sequence"));
                }));
  }

  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  @Test
  void matchesBruteForcePerGroupInBothStepModels() {
    Pipeline p = pipeline();
    int k = 0;
    for (int groups : new int[] {1, 2, 4}) {
      for (boolean single : new boolean[] {false, true}) {
        long seed = 40 + groups * 2 + (single ? 1 : 0);
        SequenceData d = SequenceData.random(seed, groups, 12);
        int maxGap = (k % 3 == 0) ? 0 : k % 3;
        MineSequences t =
            MineSequences.events("store", "customer", "day", "sku")
                .withMinSupport(0.2)
                .withMaxPatternLength(4);
        if (single) {
          t = t.withSingleItemSteps();
        }
        if (maxGap > 0) {
          t = t.withMaxGap(maxGap);
        }
        List<String> want = d.expected(false, 0.2, 0, 4, maxGap, single);
        assertTrue(want.size() > groups, "a non-trivial expectation: " + want);
        PCollection<Row> out = p.apply("Events" + k, Create.of(rows(d)).withRowSchema(EVENTS));
        PCollection<Row> mined = out.apply("Mine" + k, t);
        assertEquals(MineSequences.outputSchema(EVENTS.getField("store")), mined.getSchema());
        PAssert.that(
                "seed=" + seed + " single=" + single + " gap=" + maxGap,
                asText(mined, "Text" + k, false))
            .containsInAnyOrder(want);
        k++;
      }
    }
    p.run().waitUntilFinish();
  }

  @Test
  void globalFormAndMinCount() {
    Pipeline p = pipeline();
    SequenceData d = SequenceData.random(5, 3, 10);
    PCollection<Row> in = p.apply(Create.of(rows(d)).withRowSchema(EVENTS));
    PCollection<Row> global =
        in.apply("Global", MineSequences.globally("customer", "day", "sku").withMinCount(3));
    assertEquals(MineSequences.outputSchema(null), global.getSchema());
    PAssert.that(asText(global, "GlobalText", true))
        .containsInAnyOrder(d.expected(true, 0, 3, 10, 0, false));
    PCollection<Row> grouped =
        in.apply(
            "Grouped", MineSequences.events("store", "customer", "day", "sku").withMinCount(2));
    PAssert.that(asText(grouped, "GroupedText", false))
        .containsInAnyOrder(d.expected(false, 0, 2, 10, 0, false));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    long groups = 0;
    for (MetricResult<Long> c :
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(MineSequences.METRICS_NAMESPACE, "groupsMined"))
                    .build())
            .getCounters()) {
      groups += c.getAttempted();
    }
    assertEquals(1 + 3, groups, "one global group and three stores");
  }

  /** Integer items and DATETIME times: items written in decimal, ascending numerically. */
  @Test
  void integerItemsAndDatetimeTimes() {
    Schema s =
        Schema.builder()
            .addInt32Field("g")
            .addStringField("session")
            .addDateTimeField("at")
            .addInt64Field("item")
            .build();
    List<Row> rows = new ArrayList<>();
    String[] sessions = {"a", "b"};
    for (String session : sessions) {
      rows.add(Row.withSchema(s).addValues(7, session, new Instant(1000), 10L).build());
      rows.add(Row.withSchema(s).addValues(7, session, new Instant(1000), 9L).build());
      rows.add(Row.withSchema(s).addValues(7, session, new Instant(5000), 100L).build());
    }
    Pipeline p = pipeline();
    PCollection<Row> out =
        p.apply(Create.of(rows).withRowSchema(s))
            .apply(MineSequences.events("g", "session", "at", "item").withMinCount(2));
    PAssert.that(asText(out, "Text", false))
        .containsInAnyOrder(
            "7|2|2|[[9]]",
            "7|2|2|[[10]]",
            "7|2|2|[[100]]",
            "7|2|2|[[9, 10]]",
            "7|2|2|[[9], [100]]",
            "7|2|2|[[10], [100]]",
            "7|2|2|[[9, 10], [100]]");
    p.run().waitUntilFinish();
  }

  @Test
  void badConfigurationFailsAtConstruction() {
    MineSequences t = MineSequences.events("store", "customer", "day", "sku");
    assertEquals(
        "Invalid minSupport: 1.5. Valid range is (0, 1].",
        assertThrows(IllegalArgumentException.class, () -> t.withMinSupport(1.5)).getMessage());
    assertEquals(
        "Invalid minCount: 0. Valid range is [1, 2147483647].",
        assertThrows(IllegalArgumentException.class, () -> t.withMinCount(0)).getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> t.withMaxGap(0))
            .getMessage()
            .contains("maxGap: 0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> t.withMaxPatternLength(-1))
            .getMessage()
            .contains("maxPatternLength: -1"));
    assertThrows(
        IllegalArgumentException.class, () -> MineSequences.events("", "customer", "day", "x"));
  }

  @Test
  void badInputNamesTheFieldAndValue() {
    Pipeline p = pipeline();
    PCollection<Row> in =
        p.apply(
            Create.of(Row.withSchema(EVENTS).addValues("s", 1L, 2L, "x").build())
                .withRowSchema(EVENTS));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> in.apply(MineSequences.events("store", "customer", "nope", "sku")));
    assertTrue(
        e.getMessage().contains("time field 'nope' is not in the input schema"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> in.apply("T2", MineSequences.events("store", "customer", "sku", "day")));
    assertTrue(e.getMessage().contains("time field 'sku' has type STRING"), e.getMessage());

    Schema nullable =
        Schema.builder()
            .addStringField("store")
            .addInt64Field("customer")
            .addInt64Field("day")
            .addNullableField("sku", Schema.FieldType.STRING)
            .build();
    Pipeline q = pipeline();
    q.apply(
            Create.of(Row.withSchema(nullable).addValues("s1", 1L, 2L, null).build())
                .withRowSchema(nullable))
        .apply(MineSequences.events("store", "customer", "day", "sku"));
    Exception ex = assertThrows(Exception.class, () -> q.run().waitUntilFinish());
    Throwable c = ex;
    while (!(c instanceof IllegalArgumentException) && c.getCause() != null) {
      c = c.getCause();
    }
    assertEquals(
        "MineSequences: invalid value null in item field 'sku' of a row of group store=s1:"
            + " every event must name its item",
        c.getMessage());
  }

  @Test
  void displayData() {
    DisplayData dd =
        DisplayData.from(
            MineSequences.events("store", "customer", "day", "sku")
                .withMinCount(5)
                .withMaxGap(2)
                .withSingleItemSteps());
    assertEquals(
        5L,
        dd.asMap()
            .get(
                DisplayData.Identifier.of(DisplayData.Path.root(), MineSequences.class, "minCount"))
            .getValue());
    assertTrue(dd.toString().contains("maxGap"), dd.toString());
    assertTrue(dd.toString().contains("single item"), dd.toString());
    assertTrue(dd.toString().contains("groupField"), dd.toString());
  }

  @Test
  void coderAndCombineFn() throws Exception {
    SequenceEvents a = SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
    a.add(3L, -5, "x").add(3L, 7, "y").add(1L, Long.MIN_VALUE, "x");
    SequenceEvents b = SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
    b.add(1L, 2, "z");
    CoderProperties.coderDecodeEncodeEqual(SequenceEvents.coder(), a);
    CoderProperties.coderDecodeEncodeEqual(
        SequenceEvents.coder(), SequenceEvents.empty(KeyKind.STRING, KeyKind.INTEGER));
    CoderProperties.coderDeterministic(
        SequenceEvents.coder(), a, CoderUtils.clone(SequenceEvents.coder(), a));
    MergeSequenceEventsFn fn = new MergeSequenceEventsFn(KeyKind.INTEGER, KeyKind.STRING);
    SequenceEvents merged =
        fn.mergeAccumulators(
            List.of(fn.addInput(fn.createAccumulator(), a), fn.createAccumulator(), b));
    assertEquals(4, merged.nEvents());
    assertEquals(2, merged.nSequences());
    assertEquals(3, merged.nItems());
    // Sequence 1: (x)@MIN then (z)@2; sequence 3: (x)@-5 then (y)@7.
    assertEquals(2, merged.toSequenceDb(false).steps(0));
    assertEquals(2, merged.toSequenceDb(false).steps(1));
  }

  /** addChunk over any subset and order of rows equals add per event, in that order. */
  @Test
  void addChunkEqualsAddPerEvent() {
    Random rnd = new Random(7);
    for (int round = 0; round < 50; round++) {
      int n = 1 + rnd.nextInt(40);
      long[] seqs = new long[n];
      long[] times = new long[n];
      String[] items = new String[n];
      for (int r = 0; r < n; r++) {
        seqs[r] = rnd.nextInt(5) - 2;
        times[r] = rnd.nextInt(7) - 3;
        items[r] = "i" + rnd.nextInt(6);
      }
      int[] rows = new int[n];
      for (int r = 0; r < n; r++) {
        rows[r] = rnd.nextInt(n);
      }
      int from = rnd.nextInt(n);
      int to = from + rnd.nextInt(n - from + 1);
      SequenceEvents chunked = SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
      chunked.add(99L, 1, "first");
      chunked.addChunk(KeyColumn.ofLongs(seqs), times, KeyColumn.ofStrings(items), rows, from, to);
      SequenceEvents perEvent = SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
      perEvent.add(99L, 1, "first");
      for (int k = from; k < to; k++) {
        perEvent.add(seqs[rows[k]], times[rows[k]], items[rows[k]]);
      }
      assertEquals(perEvent, chunked, "round " + round);
      SequenceEvents whole = SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
      whole.addChunk(KeyColumn.ofLongs(seqs), times, KeyColumn.ofStrings(items), null, 0, n);
      SequenceEvents each = SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
      for (int r = 0; r < n; r++) {
        each.add(seqs[r], times[r], items[r]);
      }
      assertEquals(each, whole, "round " + round + ", all rows");
    }
  }

  @Test
  void addChunkChecksBeforeAdding() throws Exception {
    SequenceEvents e = SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING);
    e.add(1L, 1, "a");
    SequenceEvents before = CoderUtils.clone(SequenceEvents.coder(), e);
    IllegalArgumentException nullItem =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                e.addChunk(
                    KeyColumn.ofLongs(new long[] {1, 2}),
                    new long[] {1, 2},
                    KeyColumn.ofStrings(new String[] {"b", null}),
                    null,
                    0,
                    2));
    assertEquals(
        "Null item key at row 1 of the chunk (events are never dropped)", nullItem.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            e.addChunk(
                KeyColumn.ofStrings(new String[] {"s"}),
                new long[] {1},
                KeyColumn.ofStrings(new String[] {"b"}),
                null,
                0,
                1));
    IllegalArgumentException shortTimes =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                e.addChunk(
                    KeyColumn.ofLongs(new long[] {1, 2}),
                    new long[] {1},
                    KeyColumn.ofStrings(new String[] {"b", "c"}),
                    null,
                    0,
                    2));
    assertTrue(shortTimes.getMessage().contains("time column of 1 rows"), shortTimes.getMessage());
    assertEquals(before, e);
  }

  /**
   * The same events as caller-built parts (several per group, split at random) give the patterns of
   * the Row form, per group and globally.
   */
  @Test
  void ofSequenceEventsEqualsTheRowForm() {
    Pipeline p = pipeline();
    SequenceData d = SequenceData.random(11, 3, 14);
    Random rnd = new Random(3);
    Map<String, List<SequenceEvents>> parts = new TreeMap<>();
    List<SequenceEvents> globalParts = new ArrayList<>();
    for (SequenceData.Event e : d.events) {
      List<SequenceEvents> g = parts.computeIfAbsent(e.group, x -> new ArrayList<>());
      if (g.isEmpty() || rnd.nextInt(4) == 0) {
        g.add(SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING));
      }
      g.get(g.size() - 1).add(e.sequence, e.time, e.item);
      if (globalParts.isEmpty() || rnd.nextInt(5) == 0) {
        globalParts.add(SequenceEvents.empty(KeyKind.INTEGER, KeyKind.STRING));
      }
      globalParts.get(globalParts.size() - 1).add(e.sequence, e.time, e.item);
    }
    Schema key = MineSequences.keySchema(EVENTS.getField("store"));
    List<KV<Row, SequenceEvents>> kvs = new ArrayList<>();
    for (var g : parts.entrySet()) {
      for (SequenceEvents part : g.getValue()) {
        kvs.add(KV.of(Row.withSchema(key).addValue(g.getKey()).build(), part));
      }
    }
    Schema globalKey = MineSequences.keySchema(null);
    List<KV<Row, SequenceEvents>> globalKvs = new ArrayList<>();
    for (SequenceEvents part : globalParts) {
      globalKvs.add(KV.of(Row.withSchema(globalKey).addValue(0).build(), part));
    }
    MineSequences grouped =
        MineSequences.events("store", "customer", "day", "sku")
            .withMinSupport(0.2)
            .withMaxPatternLength(4)
            .withMaxGap(2);
    PCollection<Row> fromParts =
        p.apply(
                "Parts",
                Create.of(kvs).withCoder(KvCoder.of(RowCoder.of(key), SequenceEvents.coder())))
            .apply("MineParts", grouped.ofSequenceEvents(KeyKind.INTEGER, KeyKind.STRING));
    assertEquals(MineSequences.outputSchema(EVENTS.getField("store")), fromParts.getSchema());
    PAssert.that(asText(fromParts, "PartsText", false))
        .containsInAnyOrder(d.expected(false, 0.2, 0, 4, 2, false));
    PCollection<Row> globalFromParts =
        p.apply(
                "GlobalParts",
                Create.of(globalKvs)
                    .withCoder(KvCoder.of(RowCoder.of(globalKey), SequenceEvents.coder())))
            .apply(
                "MineGlobalParts",
                MineSequences.globally("customer", "day", "sku")
                    .withMinCount(3)
                    .ofSequenceEvents(KeyKind.INTEGER, KeyKind.STRING));
    assertEquals(MineSequences.outputSchema(null), globalFromParts.getSchema());
    PAssert.that(asText(globalFromParts, "GlobalPartsText", true))
        .containsInAnyOrder(d.expected(true, 0, 3, 10, 0, false));
    p.run().waitUntilFinish();
  }

  @Test
  void ofSequenceEventsChecksItsInputKeys() {
    Pipeline p = pipeline();
    Schema other = Schema.builder().addStringField("region").build();
    PCollection<KV<Row, SequenceEvents>> wrongKey =
        p.apply(Create.empty(KvCoder.of(RowCoder.of(other), SequenceEvents.coder())));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                wrongKey.apply(
                    MineSequences.events("store", "customer", "day", "sku")
                        .ofSequenceEvents(KeyKind.INTEGER, KeyKind.STRING)));
    assertTrue(e.getMessage().contains("one field 'store'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> MineSequences.globally("c", "t", "i").ofSequenceEvents(null, KeyKind.STRING));
    DisplayData dd =
        DisplayData.from(
            MineSequences.events("store", "customer", "day", "sku")
                .withMinCount(4)
                .ofSequenceEvents(KeyKind.INTEGER, KeyKind.STRING));
    assertTrue(dd.toString().contains("sequence events"), dd.toString());
    assertTrue(dd.toString().contains("minCount"), dd.toString());
  }
}
