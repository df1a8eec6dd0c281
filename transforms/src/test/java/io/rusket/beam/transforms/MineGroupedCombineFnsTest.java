package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.GroupBasketsTest.of;
import static io.rusket.beam.transforms.GroupBasketsTest.randomLongBaskets;
import static io.rusket.beam.transforms.GroupBasketsTest.randomStringBaskets;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.Test;

/**
 * MineGrouped's CombineFns without a pipeline: CombineFnTester re-shards, reorders, adds empty
 * accumulators and extracts repeatedly. The outputs are canonical, so plain equality applies.
 */
class MineGroupedCombineFnsTest {
  private static final KeyKind INT = KeyKind.INTEGER;
  private static final KeyKind STR = KeyKind.STRING;

  @Test
  void basketsToGroupFnIsIndependentOfShardingAndOrder() {
    Random rnd = new Random(17);
    for (int round = 0; round < 5; round++) {
      List<Basket> longs = randomLongBaskets(rnd, 40 + rnd.nextInt(40), 12);
      CombineFnTester.testCombineFn(
          MineGrouped.groupCombineFn(INT),
          new ArrayList<>(longs),
          of(longs.toArray(new Basket[0])).canonical());
      List<Basket> strings = randomStringBaskets(rnd, 40 + rnd.nextInt(40));
      CombineFnTester.testCombineFn(
          MineGrouped.groupCombineFn(STR),
          new ArrayList<>(strings),
          of(strings.toArray(new Basket[0])).canonical());
    }
    // no input at all: no transactions
    assertEquals(
        GroupBaskets.empty(INT).canonical(), MineGrouped.groupCombineFn(INT).apply(List.of()));
  }

  @Test
  void eventsToGroupFnIsIndependentOfShardingAndOrder() {
    Random rnd = new Random(23);
    for (int round = 0; round < 5; round++) {
      List<Basket> longs = randomLongBaskets(rnd, 30 + rnd.nextInt(40), 12);
      checkEvents(INT, INT, longs, rnd);
      checkEvents(STR, INT, longs, rnd);
      List<Basket> strings = randomStringBaskets(rnd, 30 + rnd.nextInt(40));
      checkEvents(INT, STR, strings, rnd);
      checkEvents(STR, STR, strings, rnd);
    }
    // no input at all: no transactions
    assertEquals(GroupBaskets.empty(STR), MineGrouped.eventsCombineFn(INT, STR).apply(List.of()));
  }

  /**
   * The baskets as shuffled events, every item repeated sometimes, with transaction keys of the
   * given kind (spread out, some negative); the output must be the baskets (minus the empty ones,
   * which events cannot express), with ids in key order and transactions in key order.
   */
  private static void checkEvents(
      KeyKind txnKind, KeyKind itemKind, List<Basket> baskets, Random rnd) {
    // Partial accumulators of one event each, as the finest possible split of the input.
    List<GroupEvents> events = new ArrayList<>();
    List<Basket> nonEmpty = new ArrayList<>();
    for (int t = 0; t < baskets.size(); t++) {
      Basket b = baskets.get(t);
      if (b.size() > 0) {
        nonEmpty.add(b);
      }
      long key = (t % 2 == 0 ? -1 : 1) * 1_000_003L * t;
      Object txn = txnKind == INT ? (Object) key : "r" + key;
      for (int k = 0; k < b.size(); k++) {
        Object item = itemKind == INT ? (Object) b.longKey(k) : b.stringKey(k);
        int copies = rnd.nextInt(4) == 0 ? 2 : 1;
        for (int c = 0; c < copies; c++) {
          events.add(GroupEvents.empty(txnKind, itemKind).add(txn, item));
        }
      }
    }
    Collections.shuffle(events, rnd);
    GroupBaskets expected = of(nonEmpty.toArray(new Basket[0])).canonical();
    EventsToGroupFn fn = MineGrouped.eventsCombineFn(txnKind, itemKind);
    CombineFnTester.testCombineFn(
        fn,
        events,
        new TypeSafeMatcher<GroupBaskets>() {
          @Override
          protected boolean matchesSafely(GroupBaskets g) {
            return g.keysAscending() && g.canonical().equals(expected);
          }

          @Override
          public void describeTo(Description d) {
            d.appendText("keys ascending and canonically equal to ").appendValue(expected);
          }
        });
    // Deterministic: the same value, not only the same content, for another order.
    List<GroupEvents> reversed = new ArrayList<>(events);
    Collections.reverse(reversed);
    assertEquals(fn.apply(events), fn.apply(reversed));
  }
}
