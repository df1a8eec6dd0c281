package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.GroupedData.GROUP;
import static io.rusket.beam.transforms.GroupedData.ITEM;
import static io.rusket.beam.transforms.GroupedData.TXN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.Target;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** Closed and maximal targets through MineGrouped and MineStream, against the miner. */
class MineTargetsTest {
  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.create());
  }

  @Test
  void mineGroupedClosedAndMaximalEqualTheMinerPerGroup() {
    long seed = 21;
    GroupedData data = GroupedData.random(seed, new int[] {120, 60, 30, 9}, false);
    Pipeline p = pipeline();
    PCollection<Row> receipts =
        p.apply("Receipts", Create.of(data.oneHotRows()).withRowSchema(GroupedData.oneHotSchema()));
    PCollection<Row> events =
        p.apply(
            "Events",
            Create.of(data.events(true, seed)).withRowSchema(GroupedData.eventsSchema(true)));
    for (Target t : new Target[] {Target.CLOSED, Target.MAXIMAL}) {
      for (Integer maxLen : new Integer[] {null, 2}) {
        String name = t + "-" + maxLen;
        MineGrouped oneHot = MineGrouped.byColumn(GROUP).withMinSupport(0.1).withTarget(t);
        MineGrouped ev = MineGrouped.events(GROUP, TXN, ITEM).withMinSupport(0.1).withTarget(t);
        if (maxLen != null) {
          oneHot = oneHot.withMaxLen(maxLen);
          ev = ev.withMaxLen(maxLen);
        }
        List<Row> want = data.expected(0.1, maxLen, Method.ECLAT, true, m -> m.withTarget(t));
        assertTrue(!want.isEmpty());
        PAssert.that(name + " one-hot", receipts.apply("OneHot" + name, oneHot))
            .containsInAnyOrder(want);
        PAssert.that(name + " events", events.apply("Events" + name, ev)).containsInAnyOrder(want);
      }
    }
    p.run().waitUntilFinish();
  }

  /**
   * Every transaction's events spread over several input pieces and shards; single items judged
   * with the one-frequent-item transactions too, also at maxLen 1.
   */
  @Test
  void mineStreamClosedAndMaximalEqualTheMinerOnTheWholeLog() {
    Pipeline p = pipeline();
    int run = 0;
    for (Target t : new Target[] {Target.CLOSED, Target.MAXIMAL}) {
      for (Integer maxLen : new Integer[] {null, 1, 2}) {
        for (int parts : new int[] {1, 3}) {
          run++;
          List<KV<Long, Integer>> pairs = MineStreamTest.randomPairs(run, 300, 25, 2.5);
          List<Row> all = MineStreamTest.rows(pairs);
          List<PCollection<Row>> pieces = new ArrayList<>();
          for (int k = 0; k < parts; k++) {
            List<Row> piece = new ArrayList<>();
            for (int i = k; i < all.size(); i += parts) {
              piece.add(all.get(i));
            }
            pieces.add(
                p.apply(
                    "Piece" + run + "-" + k,
                    Create.of(piece).withRowSchema(MineStreamTest.EVENTS)));
          }
          MineStream<Row> mine =
              MineStream.of("session_id", "item_id")
                  .withNumItems(25)
                  .withMinSupport(0.04)
                  .withShards(2 * parts + 1)
                  .withTarget(t);
          ItemsetMiner oracle = ItemsetMiner.minSupport(0.04).withTarget(t);
          if (maxLen != null) {
            mine = mine.withMaxLen(maxLen);
            oracle = oracle.withMaxLen(maxLen);
          }
          PCollection<Row> out =
              PCollectionList.of(pieces)
                  .apply("Flatten" + run, Flatten.pCollections())
                  .setRowSchema(MineStreamTest.EVENTS)
                  .apply("Mine" + run, mine);
          PAssert.that(t + " maxLen=" + maxLen + " parts=" + parts, out)
              .satisfies(MineStreamTest.equalTo(MineStreamTest.expected(pairs, oracle, null)));
        }
      }
    }
    p.run().waitUntilFinish();
  }

  @Test
  void mineGroupedTopKPerGroupEqualsTheMiner() {
    long seed = 33;
    GroupedData data = GroupedData.random(seed, new int[] {150, 80, 20, 5}, false);
    Pipeline p = pipeline();
    PCollection<Row> events =
        p.apply(
            "Events",
            Create.of(data.events(true, seed)).withRowSchema(GroupedData.eventsSchema(true)));
    int run = 0;
    for (Target t : new Target[] {Target.ALL, Target.CLOSED}) {
      for (int minLen : new int[] {1, 2}) {
        for (int k : new int[] {1, 9}) {
          run++;
          MineGrouped mine =
              MineGrouped.events(GROUP, TXN, ITEM).withTarget(t).withTopK(k).withMinLen(minLen);
          // no support threshold: the oracle's 1e-9 means count >= 1
          List<Row> want =
              data.expected(
                  1e-9,
                  null,
                  Method.FPGROWTH,
                  true,
                  m -> m.withTarget(t).withTopK(k).withMinLen(minLen));
          PAssert.that(t + " k=" + k + " minLen=" + minLen, events.apply("TopK" + run, mine))
              .containsInAnyOrder(want);
        }
      }
    }
    p.run().waitUntilFinish();
  }

  /** Global top-k over events spread over input pieces and shards, ties included. */
  @Test
  void mineStreamTopKEqualsTheMinerOnTheWholeLog() {
    Pipeline p = pipeline();
    int run = 0;
    int[][] combos = {{1, 1, 0}, {1, 30, 1}, {2, 5, 0}, {3, 30, 0}, {2, 12, 1}};
    for (int[] combo : combos) {
      {
        {
          final int minLen = combo[0];
          final int k = combo[1];
          final boolean threshold = combo[2] == 1;
          run++;
          List<KV<Long, Integer>> pairs = MineStreamTest.randomPairs(100 + run, 250, 20, 2.5);
          List<Row> all = MineStreamTest.rows(pairs);
          List<PCollection<Row>> pieces = new ArrayList<>();
          for (int q = 0; q < 3; q++) {
            List<Row> piece = new ArrayList<>();
            for (int i = q; i < all.size(); i += 3) {
              piece.add(all.get(i));
            }
            pieces.add(
                p.apply(
                    "Piece" + run + "-" + q,
                    Create.of(piece).withRowSchema(MineStreamTest.EVENTS)));
          }
          MineStream<Row> mine =
              MineStream.of("session_id", "item_id")
                  .withNumItems(20)
                  .withShards(5)
                  .withTopK(k)
                  .withMinLen(minLen);
          ItemsetMiner oracle =
              (threshold ? ItemsetMiner.minSupport(0.05).withTopK(k) : ItemsetMiner.topK(k))
                  .withMinLen(minLen);
          if (threshold) {
            mine = mine.withMinSupport(0.05);
          }
          PCollection<Row> out =
              PCollectionList.of(pieces)
                  .apply("Flatten" + run, Flatten.pCollections())
                  .setRowSchema(MineStreamTest.EVENTS)
                  .apply("Mine" + run, mine);
          PAssert.that("k=" + k + " minLen=" + minLen + " threshold=" + threshold, out)
              .satisfies(MineStreamTest.equalTo(MineStreamTest.expected(pairs, oracle, null)));
        }
      }
    }
    p.run().waitUntilFinish();
  }

  @Test
  void topKIsValidatedAndShown() {
    assertThrows(IllegalArgumentException.class, () -> MineGrouped.byColumn(GROUP).withTopK(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> MineGrouped.byColumn(GROUP).withTarget(Target.MAXIMAL).withTopK(3));
    assertThrows(IllegalArgumentException.class, () -> MineStream.of("t", "i").withMinLen(0));
    assertEquals(
        "MineStream.withTopK applies to target ALL only, not CLOSED",
        assertThrows(
                IllegalArgumentException.class,
                () -> MineStream.of("t", "i").withTarget(Target.CLOSED).withTopK(3))
            .getMessage());
    DisplayData dd = DisplayData.from(MineGrouped.byColumn(GROUP).withTopK(4).withMinLen(2));
    assertTrue(dd.toString().contains("topK=4"), dd.toString());
    assertTrue(dd.toString().contains("minLen=2"), dd.toString());
  }

  /** The shipped miner configuration keeps the target, top-k and minimum length. */
  @Test
  void minerConfigCarriesTargetTopKAndMinLen() {
    ItemsetMiner m =
        ItemsetMiner.minSupport(0.1).withTarget(Target.CLOSED).withTopK(5).withMinLen(2);
    ItemsetMiner back =
        org.apache.beam.sdk.util.SerializableUtils.clone(ItemsetMinerConfig.of(m)).get();
    assertEquals(m.toString(), back.toString());
    assertEquals(Integer.valueOf(5), back.getTopK());
    assertEquals(2, back.getMinLen());
    assertEquals(Target.CLOSED, back.getTarget());
  }

  @Test
  void targetIsValidatedAndShown() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MineGrouped.byColumn(GROUP).withTarget(null));
    assertTrue(e.getMessage().contains("Invalid target: null"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MineStream.of("t", "i").withTarget(null));
    assertEquals(
        "Invalid target: most. Valid values are all, closed, maximal.",
        assertThrows(IllegalArgumentException.class, () -> Target.parse("most")).getMessage());
    DisplayData grouped = DisplayData.from(MineGrouped.byColumn(GROUP).withTarget(Target.MAXIMAL));
    assertTrue(grouped.toString().contains("MAXIMAL"), grouped.toString());
    DisplayData stream = DisplayData.from(MineStream.of("t", "i").withTarget(Target.CLOSED));
    assertTrue(stream.toString().contains("CLOSED"), stream.toString());
    IllegalArgumentException rules =
        assertThrows(
            IllegalArgumentException.class,
            () -> RulesGrouped.byColumn(GROUP).withInput(Target.MAXIMAL));
    assertTrue(rules.getMessage().startsWith("Rules cannot be generated from maximal"));
    assertThrows(
        IllegalArgumentException.class, () -> AssociationRules.create().withInput(Target.MAXIMAL));
    DisplayData closedRules = DisplayData.from(AssociationRules.create().withInput(Target.CLOSED));
    assertTrue(closedRules.toString().contains("CLOSED"), closedRules.toString());
  }
}
