package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** KeyEventsByGroupFn's per-bundle accumulators: one byte budget, groups keyed by content. */
class BundleAccumulatorsTest {
  private static IntervalWindow window(int w) {
    return new IntervalWindow(new Instant(60_000L * w), Duration.standardMinutes(1));
  }

  @Test
  void oneBudgetForAllGroupsAndWindowsAndTheResultIsExact() {
    for (long budget : new long[] {1, 2_000, 10_000, 100_000}) {
      Random rnd = new Random(budget);
      BundleAccumulators<GroupEvents> acc =
          BundleAccumulators.ofEvents(KeyKind.INTEGER, KeyKind.STRING, budget);
      Map<KV<Integer, BoundedWindow>, GroupEvents> direct = new HashMap<>();
      Map<KV<Integer, BoundedWindow>, GroupEvents> merged = new HashMap<>();
      long maxGrowth = 0;
      int taken = 0;
      for (int k = 0; k < 20_000; k++) {
        int group = rnd.nextInt(60);
        BoundedWindow w = window(rnd.nextInt(12));
        long txn = rnd.nextInt(500);
        String item = "sku" + rnd.nextInt(40);
        long before = acc.totalBytes();
        assertTrue(before <= budget || acc.size() == 0, "budget " + budget + ": " + before);
        boolean over = acc.add(group, group, w, txn, item);
        maxGrowth = Math.max(maxGrowth, acc.totalBytes() - before);
        assertEquals(over, acc.totalBytes() > budget);
        direct
            .computeIfAbsent(
                KV.of(group, w), x -> GroupEvents.empty(KeyKind.INTEGER, KeyKind.STRING))
            .add(txn, item);
        if (over) {
          for (BundleAccumulators.Entry<GroupEvents> e : acc.takeLargest()) {
            merge(merged, e);
            taken++;
          }
          assertTrue(acc.totalBytes() <= budget / 2, acc.totalBytes() + " > half of " + budget);
        }
        if (k % 1000 == 0) {
          checkTotal(acc);
        }
      }
      checkTotal(acc);
      for (BundleAccumulators.Entry<GroupEvents> e : acc.all()) {
        merge(merged, e);
      }
      assertEquals(direct.keySet(), merged.keySet());
      for (var e : direct.entrySet()) {
        assertEquals(
            e.getValue().toBaskets(), merged.get(e.getKey()).toBaskets(), e.getKey()::toString);
      }
      assertTrue(taken > 0, "the budget " + budget + " forced early outputs");
      // one event grows the estimate by at most a fresh accumulator's arrays and their regrowth
      assertTrue(maxGrowth < 4_096, "one event grew the total by " + maxGrowth);
    }
  }

  private static void merge(
      Map<KV<Integer, BoundedWindow>, GroupEvents> merged,
      BundleAccumulators.Entry<GroupEvents> e) {
    merged
        .computeIfAbsent(
            KV.of((Integer) e.group(), e.window()),
            x -> GroupEvents.empty(KeyKind.INTEGER, KeyKind.STRING))
        .addAll(e.accumulator());
  }

  /** B1: the running total is the sum of the entries' sizes, each its accumulator's. */
  private static void checkTotal(BundleAccumulators<GroupEvents> acc) {
    long sum = 0;
    for (BundleAccumulators.Entry<GroupEvents> e : acc.all()) {
      assertEquals(e.accumulator().ramBytesUsed(), e.bytes());
      sum += e.bytes();
    }
    assertEquals(sum, acc.totalBytes());
  }

  @Test
  void bytesGroupsWithEqualContentShareOneAccumulator() throws Exception {
    Schema key = Schema.builder().addByteArrayField("store").build();
    RowCoder coder = RowCoder.of(key);
    BundleAccumulators<GroupEvents> acc =
        BundleAccumulators.ofEvents(KeyKind.INTEGER, KeyKind.STRING, 1L << 20);
    byte[] first = {1, 2, 3};
    for (int t = 0; t < 10; t++) {
      byte[] group = {1, 2, 3}; // a new instance per row, as a decoded row holds
      acc.add(KeyEventsByGroupFn.contentKey(group, coder), group, window(0), (long) t, "a");
    }
    byte[] other = {1, 2, 4};
    acc.add(KeyEventsByGroupFn.contentKey(other, coder), other, window(0), 0L, "a");
    assertEquals(2, acc.size(), "one accumulator per distinct content");
    List<BundleAccumulators.Entry<GroupEvents>> entries = new ArrayList<>(acc.all());
    assertEquals(10, entries.get(0).accumulator().nTransactions());
    assertEquals(1, entries.get(1).accumulator().nTransactions());
    assertTrue(java.util.Arrays.equals(first, (byte[]) entries.get(0).group()));
  }

  @Test
  void rowAndArrayGroupsAreKeyedByTheirEncoding() throws Exception {
    Schema inner = Schema.builder().addByteArrayField("b").build();
    Schema key = Schema.builder().addRowField("g", inner).build();
    RowCoder coder = RowCoder.of(key);
    Object a =
        KeyEventsByGroupFn.contentKey(
            Row.withSchema(inner).addValue(new byte[] {7}).build(), coder);
    Object b =
        KeyEventsByGroupFn.contentKey(
            Row.withSchema(inner).addValue(new byte[] {7}).build(), coder);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    Schema arrays = Schema.builder().addArrayField("g", FieldType.BYTES).build();
    RowCoder arrayCoder = RowCoder.of(arrays);
    assertEquals(
        KeyEventsByGroupFn.contentKey(List.of(new byte[] {1}), arrayCoder),
        KeyEventsByGroupFn.contentKey(List.of(new byte[] {1}), arrayCoder));
    String s = "store-1";
    assertSame(
        s,
        KeyEventsByGroupFn.contentKey(
            s, RowCoder.of(Schema.builder().addStringField("g").build())));
  }
}
