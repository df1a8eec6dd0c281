package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rusket.beam.testing.Datasets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact itemset counts per length on the public datasets, for every method, against the reference
 * table of ../shared/datasets/README.md, including the off-by-one guard rows.
 */
class ReferenceCountsTest {
  private static final Map<String, TransactionDb> CACHE = new ConcurrentHashMap<>();

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Datasets.Reference ref : Datasets.references()) {
      for (Method m : Method.values()) {
        out.add(Arguments.of(ref, m));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void countsByLengthMatchReference(Datasets.Reference ref, Method method) throws IOException {
    TransactionDb db = load(ref.file());
    ItemsetMiner miner =
        ref.exact() ? ItemsetMiner.minSupport(ref.minSupport) : ItemsetMiner.minCount(ref.minCount);
    assertEquals(ref.minCount, miner.minCountFor(db.size()), "threshold");
    long[] byLen = new long[64];
    long total = miner.withMethod(method).mine(db, (items, len, count) -> byLen[len - 1]++);
    assertEquals(ref.itemsets, total, "itemsets");
    long[] got = java.util.Arrays.copyOf(byLen, ref.byLength.length);
    assertArrayEquals(ref.byLength, got, "by length");
    assertEquals(0, byLen[ref.byLength.length], "no longer itemsets");
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
