package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.GroupBasketsTest.of;
import static io.rusket.beam.transforms.GroupBasketsTest.randomLongBaskets;
import static io.rusket.beam.transforms.GroupBasketsTest.randomStringBaskets;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.junit.jupiter.api.Test;

/**
 * MineGrouped's CombineFns without a pipeline: CombineFnTester re-shards, reorders, adds empty
 * accumulators and extracts repeatedly. The outputs are canonical, so plain equality applies.
 */
class MineGroupedCombineFnsTest {
  private static final ItemSet.Kind INT = ItemSet.Kind.INTEGER;
  private static final ItemSet.Kind STR = ItemSet.Kind.STRING;

  @Test
  void basketsToGroupFnIsIndependentOfShardingAndOrder() {
    Random rnd = new Random(17);
    for (int round = 0; round < 5; round++) {
      List<ItemSet> longs = randomLongBaskets(rnd, 40 + rnd.nextInt(40), 12);
      CombineFnTester.testCombineFn(
          MineGrouped.groupCombineFn(INT),
          new ArrayList<>(longs),
          of(longs.toArray(new ItemSet[0])).canonical());
      List<ItemSet> strings = randomStringBaskets(rnd, 40 + rnd.nextInt(40));
      CombineFnTester.testCombineFn(
          MineGrouped.groupCombineFn(STR),
          new ArrayList<>(strings),
          of(strings.toArray(new ItemSet[0])).canonical());
    }
    // no input at all: no transactions
    assertEquals(
        GroupBaskets.empty(INT).canonical(), MineGrouped.groupCombineFn(INT).apply(List.of()));
  }

  @Test
  void itemsToBasketFnUnionsTheItemsOfATransaction() {
    List<ItemSet> singles = new ArrayList<>();
    for (String item : new String[] {"Coffee", "Bread", "Coffee", "NONE", "Bread", "Tea"}) {
      singles.add(ItemSet.ofStrings(item));
    }
    CombineFnTester.testCombineFn(
        MineGrouped.basketCombineFn(STR),
        singles,
        ItemSet.ofStrings("Bread", "Coffee", "NONE", "Tea"));
    List<ItemSet> ints = new ArrayList<>();
    for (long v : new long[] {7, 3, 7, -1, 3, 100, 7}) {
      ints.add(ItemSet.ofLongs(v));
    }
    CombineFnTester.testCombineFn(
        MineGrouped.basketCombineFn(INT), ints, ItemSet.ofLongs(-1, 3, 7, 100));
    assertEquals(ItemSet.empty(INT), MineGrouped.basketCombineFn(INT).apply(List.of()));
  }
}
