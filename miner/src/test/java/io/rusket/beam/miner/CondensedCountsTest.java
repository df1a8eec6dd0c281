package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.Datasets;
import io.rusket.beam.testing.PostFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact closed and maximal itemset counts on the public datasets, for every method and target,
 * against the reference table (Borgelt's fpgrowth -tc / -tm), and mushroom 0.1 against a
 * post-filter of every frequent itemset.
 */
class CondensedCountsTest {
  private static final Map<String, TransactionDb> CACHE = new ConcurrentHashMap<>();

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Datasets.CondensedReference ref : Datasets.condensedReferences()) {
      for (Method m : Method.values()) {
        for (Target t : new Target[] {Target.CLOSED, Target.MAXIMAL}) {
          out.add(Arguments.of(ref, m, t));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void countsMatchReference(Datasets.CondensedReference ref, Method method, Target target)
      throws IOException {
    TransactionDb db = load(ref.file());
    ItemsetMiner miner = ItemsetMiner.minSupport(ref.minSupport).withMethod(method);
    assertEquals(ref.minCount, miner.minCountFor(db.size()), "threshold");
    long got = miner.withTarget(target).mine(db, (items, len, count) -> {});
    assertEquals(target == Target.CLOSED ? ref.closed : ref.maximal, got, "itemsets");
  }

  /** Mushroom at 0.1: the mined closed and maximal sets equal a post-filter of the full set. */
  @Test
  void mushroomEqualsPostFilterOfTheFullSet() throws IOException {
    TransactionDb db = load("mushroom.dat");
    ItemsetMiner miner = ItemsetMiner.minSupport(0.1);
    Itemsets all = miner.mine(db);
    for (Target target : new Target[] {Target.CLOSED, Target.MAXIMAL}) {
      Itemsets want = PostFilter.of(all, target).canonical();
      for (Method m : Method.values()) {
        Itemsets got = miner.withMethod(m).withTarget(target).mine(db).canonical();
        assertEquals(want, got, m + " " + target);
      }
      assertEquals(target == Target.CLOSED ? 3276 : 444, want.size(), "post-filter " + target);
    }
    assertTrue(all.size() > 100_000);
  }

  private static TransactionDb load(String file) throws IOException {
    TransactionDb db = CACHE.get(file);
    if (db == null) {
      db = TransactionDb.readBaskets(Datasets.require(file));
      CACHE.put(file, db);
    }
    return db;
  }
}
