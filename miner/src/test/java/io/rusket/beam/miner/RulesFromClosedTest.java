package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.BruteForce;
import io.rusket.beam.testing.Datasets;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rules from closed itemsets equal the rules from every frequent itemset. */
class RulesFromClosedTest {
  @Test
  void expansionOfTheClosedItemsetsIsEveryFrequentItemset() {
    for (int seed = 0; seed < 300; seed++) {
      Random rnd = new Random(seed);
      int nItems = 1 + rnd.nextInt(12);
      int[][] baskets =
          BruteForce.randomBaskets(rnd, rnd.nextInt(60), nItems, 1 + rnd.nextInt(nItems + 2));
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      long minCount = 1 + rnd.nextInt(5);
      Method m = rnd.nextBoolean() ? Method.FPGROWTH : Method.ECLAT;
      ItemsetMiner miner = ItemsetMiner.minCount(minCount).withMethod(m).withThreads(1);
      Itemsets all = miner.mine(db).canonical();
      Itemsets closed = miner.withTarget(Target.CLOSED).mine(db);
      assertEquals(all, ClosedExpansion.expand(closed), "seed=" + seed + " " + m);
    }
  }

  @Test
  void rulesFromClosedEqualRulesFromAllOnRandomData() {
    RuleMetric[] metrics = {RuleMetric.CONFIDENCE, RuleMetric.LIFT, RuleMetric.SUPPORT};
    for (int seed = 0; seed < 200; seed++) {
      Random rnd = new Random(seed);
      int nItems = 2 + rnd.nextInt(10);
      int[][] baskets = BruteForce.randomBaskets(rnd, 10 + rnd.nextInt(60), nItems, nItems);
      TransactionDb db = TransactionDb.fromIntBaskets(baskets);
      ItemsetMiner miner = ItemsetMiner.minCount(1 + rnd.nextInt(4)).withThreads(1);
      RuleMiner rules = RuleMiner.of(metrics[seed % 3], rnd.nextDouble());
      Rules want = rules.generate(miner.mine(db).canonical());
      Rules got = rules.withInput(Target.CLOSED).generate(miner.withTarget(Target.CLOSED).mine(db));
      assertEquals(want, got, "seed=" + seed);
    }
  }

  @Test
  void rulesFromClosedEqualRulesFromAllOnMushroom() throws IOException {
    TransactionDb db = TransactionDb.readBaskets(Datasets.require("mushroom.dat"));
    ItemsetMiner miner = ItemsetMiner.minSupport(0.2);
    RuleMiner rules = RuleMiner.of(RuleMetric.LIFT, 1.5);
    Rules want = rules.generate(miner.mine(db).canonical());
    Itemsets closed = miner.withTarget(Target.CLOSED).mine(db);
    assertTrue(closed.size() < 2000, "closed " + closed.size());
    assertEquals(want, rules.withInput(Target.CLOSED).generate(closed));
    assertTrue(want.size() > 10_000, "rules " + want.size());
  }

  @Test
  void maximalInputIsRejectedAndClosedInputWithoutTheKnobNamesIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RuleMiner.create().withInput(Target.MAXIMAL));
    assertTrue(e.getMessage().startsWith("Rules cannot be generated from maximal"), e.getMessage());
    Itemsets closed =
        ItemsetMiner.minCount(1)
            .withTarget(Target.CLOSED)
            .mine(TransactionDb.fromIntBaskets(new int[][] {{0, 1}, {0, 1}, {0}}));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> RuleMiner.create().generate(closed));
    assertTrue(missing.getMessage().contains("withInput(Target.CLOSED)"), missing.getMessage());
    assertEquals(Target.CLOSED, RuleMiner.create().withInput(Target.CLOSED).getInput());
  }
}
