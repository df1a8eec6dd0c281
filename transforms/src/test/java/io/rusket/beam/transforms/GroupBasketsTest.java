package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.RamUsage;
import io.rusket.beam.miner.TransactionDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.util.common.ElementByteSizeObserver;
import org.junit.jupiter.api.Test;

/** The accumulators (Basket, GroupBaskets), their coders and the CombineFns, without a pipeline. */
class GroupBasketsTest {
  private static final KeyKind INT = KeyKind.INTEGER;
  private static final KeyKind STR = KeyKind.STRING;

  static GroupBaskets of(Basket... baskets) {
    GroupBaskets g = GroupBaskets.empty(baskets.length == 0 ? INT : baskets[0].kind());
    for (Basket b : baskets) {
      g.add(b);
    }
    return g;
  }

  /** Random baskets over {@code nItems} integer keys (some negative or huge), some empty. */
  static List<Basket> randomLongBaskets(Random rnd, int n, int nItems) {
    long[] keys = new long[nItems];
    for (int i = 0; i < nItems; i++) {
      keys[i] = i % 7 == 0 ? Long.MAX_VALUE - i : i % 5 == 0 ? -1000L * i : 3L * i;
    }
    List<Basket> out = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int len = rnd.nextInt(6);
      long[] b = new long[len];
      for (int k = 0; k < len; k++) {
        b[k] = keys[rnd.nextInt(nItems)];
      }
      out.add(Basket.ofLongs(b));
    }
    return out;
  }

  static List<Basket> randomStringBaskets(Random rnd, int n) {
    String[] names = {"Coffee", "Bread", "Tea", "NONE", "café", "日本茶", "", "Hot chocolate"};
    List<Basket> out = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      String[] b = new String[rnd.nextInt(5)];
      for (int k = 0; k < b.length; k++) {
        b[k] = names[rnd.nextInt(names.length)];
      }
      out.add(Basket.ofStrings(b));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Basket

  @Test
  void basketIsSortedAndDistinctWhateverTheOrderOfAdds() {
    Basket a = Basket.empty(INT).add(5).add(-2).add(5).add(9).add(-2);
    assertEquals(3, a.size());
    assertEquals(-2, a.longKey(0));
    assertEquals(9, a.longKey(2));
    assertEquals(Basket.ofLongs(9, -2, 5), a);
    assertEquals(Basket.ofLongs(9, -2, 5).hashCode(), a.hashCode());
    Basket s = Basket.ofStrings("b", "a").addAll(Basket.ofStrings("c", "a"));
    assertEquals("[a, b, c]", s.toString());
    assertEquals(Basket.ofStrings("a", "b", "c"), s.copy());
    assertNotEquals(Basket.ofLongs(), Basket.ofStrings());
    assertEquals(2, Basket.ofLongs(new long[] {4, 1, 4, 7}, 3).size(), "first three keys");
  }

  @Test
  void basketRejectsNullsAndMixedKinds() {
    assertEquals(
        "null item key at position 1",
        assertThrows(IllegalArgumentException.class, () -> Basket.ofStrings("a", null))
            .getMessage());
    assertEquals(
        "This basket holds STRING keys, not INTEGER keys",
        assertThrows(IllegalArgumentException.class, () -> Basket.ofStrings("a").add(1))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Basket.ofLongs(1).addAll(Basket.ofStrings("x")));
    assertEquals(
        "Invalid key index: 1. Valid range is [0, 1).",
        assertThrows(IllegalArgumentException.class, () -> Basket.ofLongs(3).longKey(1))
            .getMessage());
  }

  @Test
  void basketCoderRoundTrips() throws Exception {
    Coder<Basket> coder = Basket.coder();
    List<Basket> values = new ArrayList<>(randomLongBaskets(new Random(1), 50, 20));
    values.addAll(randomStringBaskets(new Random(2), 50));
    values.add(Basket.ofLongs(Long.MIN_VALUE, Long.MAX_VALUE, 0));
    values.add(Basket.empty(STR));
    for (Basket v : values) {
      CoderProperties.coderDecodeEncodeEqual(coder, v);
      CoderProperties.coderDeterministic(coder, v, v.copy());
      CoderProperties.coderConsistentWithEquals(coder, v, v.copy());
    }
    // the pending (unsorted) tail of a Basket encodes like its sorted form
    assertArrayEquals(
        CoderUtils.encodeToByteArray(coder, Basket.ofLongs(1, 2)),
        CoderUtils.encodeToByteArray(coder, Basket.empty(INT).add(2).add(1).add(2)));
    CoderProperties.coderSerializable(coder);
    coder.verifyDeterministic();
    assertThrows(CoderException.class, () -> CoderUtils.encodeToByteArray(coder, null));
    assertThrows(
        CoderException.class, () -> CoderUtils.decodeFromByteArray(coder, new byte[] {7, 0}));
  }

  // ------------------------------------------------------------------------------------------
  // GroupBaskets

  @Test
  void addBuildsAFirstAppearanceDictionaryAndSortedTransactions() {
    GroupBaskets g =
        of(Basket.ofStrings("milk", "bread"), Basket.ofStrings(), Basket.ofStrings("eggs", "milk"));
    assertEquals(3, g.size(), "the empty basket is a transaction");
    assertEquals(3, g.nItems());
    assertEquals(4, g.nEntries());
    // Basket sorts its keys (bread, milk), so ids follow: bread 0, milk 1, eggs 2
    assertEquals("bread", g.stringKey(0));
    assertEquals("milk", g.stringKey(1));
    assertEquals("eggs", g.stringKey(2));
    assertArrayEquals(new int[] {0, 1}, g.transaction(0));
    assertArrayEquals(new int[] {}, g.transaction(1));
    assertArrayEquals(new int[] {1, 2}, g.transaction(2));
    assertFalse(g.keysAscending());
    assertEquals(
        "GroupBaskets{transactions=3, items=3, entries=4, [[bread, milk], [], [milk, eggs]]}",
        g.toString());
  }

  @Test
  void canonicalSortsKeysIdsAndTransactions() {
    GroupBaskets g =
        of(Basket.ofLongs(30), Basket.ofLongs(10, 30), Basket.ofLongs(20), Basket.ofLongs(10));
    assertEquals(30, g.longKey(0), "first appearance");
    GroupBaskets c = g.canonical();
    assertTrue(c.keysAscending());
    assertEquals(10, c.longKey(0));
    assertEquals(20, c.longKey(1));
    assertEquals(30, c.longKey(2));
    // transactions {10}, {10, 30}, {20}, {30} in lexicographic order of ids
    assertArrayEquals(new int[] {0}, c.transaction(0));
    assertArrayEquals(new int[] {0, 2}, c.transaction(1));
    assertArrayEquals(new int[] {1}, c.transaction(2));
    assertArrayEquals(new int[] {2}, c.transaction(3));
    assertEquals(c, c.canonical(), "canonical is idempotent");
    assertEquals(30, g.longKey(0), "canonical leaves the original alone");
    assertArrayEquals(new int[] {0, 1}, g.transaction(1));
  }

  @Test
  void mergingRemapsIdsBetweenDictionariesAndKeepsTheOthersIntact() {
    Random rnd = new Random(42);
    for (int round = 0; round < 30; round++) {
      List<Basket> baskets = randomLongBaskets(rnd, 1 + rnd.nextInt(60), 1 + rnd.nextInt(15));
      GroupBaskets all = of(baskets.toArray(new Basket[0]));
      // split into shards fed in shuffled order: every dictionary differs
      List<Basket> shuffled = new ArrayList<>(baskets);
      java.util.Collections.shuffle(shuffled, rnd);
      int cut = rnd.nextInt(shuffled.size() + 1);
      GroupBaskets left = of(shuffled.subList(0, cut).toArray(new Basket[0]));
      GroupBaskets right = GroupBaskets.empty(INT);
      shuffled.subList(cut, shuffled.size()).forEach(right::add);
      GroupBaskets rightCopy = right.copy();
      GroupBaskets merged = left.addAll(right);
      assertEquals(rightCopy, right, "the merged-in accumulator is unchanged");
      assertEquals(all.canonical(), merged.canonical(), "round " + round);
      assertEquals(all.size(), merged.size());
      assertEquals(all.nItems(), merged.nItems(), "D2: no key without a transaction");
    }
    GroupBaskets self = of(Basket.ofLongs(1, 2), Basket.ofLongs(2));
    self.addAll(self);
    assertEquals(
        of(Basket.ofLongs(1, 2), Basket.ofLongs(2), Basket.ofLongs(1, 2), Basket.ofLongs(2))
            .canonical(),
        self.canonical(),
        "merging into itself doubles");
  }

  @Test
  void compactAndCopyAreEquivalent() {
    GroupBaskets g = of(randomStringBaskets(new Random(3), 40).toArray(new Basket[0]));
    long before = g.ramBytesUsed();
    GroupBaskets copy = g.copy();
    assertEquals(copy, g.compact());
    assertTrue(g.ramBytesUsed() <= before, g.ramBytesUsed() + " > " + before);
    g.add(Basket.ofStrings("after-compact", "Coffee"));
    assertEquals(copy.size() + 1, g.size(), "usable after compact");
  }

  @Test
  void kindMismatchesAreRejected() {
    assertEquals(
        "A basket of STRING keys cannot join a group of INTEGER keys",
        assertThrows(
                IllegalArgumentException.class,
                () -> GroupBaskets.empty(INT).add(Basket.ofStrings("a")))
            .getMessage());
    assertEquals(
        "A group of STRING keys cannot merge into a group of INTEGER keys",
        assertThrows(
                IllegalArgumentException.class,
                () -> GroupBaskets.empty(INT).addAll(GroupBaskets.empty(STR)))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> GroupBaskets.empty(STR).longKey(0));
    assertEquals(
        "Invalid item id: 0. Valid range is [0, 0).",
        assertThrows(IllegalArgumentException.class, () -> GroupBaskets.empty(STR).stringKey(0))
            .getMessage());
  }

  @Test
  void toTransactionDbMinesLikeTheSameBaskets() {
    List<Basket> baskets = randomStringBaskets(new Random(9), 300);
    GroupBaskets g = of(baskets.toArray(new Basket[0])).canonical();
    TransactionDb db = g.toTransactionDb();
    List<List<String>> raw = new ArrayList<>();
    for (Basket b : baskets) {
      List<String> names = new ArrayList<>();
      for (int k = 0; k < b.size(); k++) {
        names.add(b.stringKey(k));
      }
      raw.add(names);
    }
    TransactionDb direct = TransactionDb.fromStringBaskets(raw);
    assertEquals(direct.size(), db.size());
    ItemsetMiner miner = ItemsetMiner.minSupport(0.05).withThreads(1);
    assertEquals(byNames(miner.mine(direct)), byNames(miner.mine(db)));
    assertEquals(g.nItems(), db.nItems());
    for (int id = 0; id < db.nItems(); id++) {
      assertEquals(g.stringKey(id), db.itemName(id));
    }
  }

  /** Itemsets as "sorted names=count" strings, independent of item ids. */
  private static java.util.Set<String> byNames(io.rusket.beam.miner.Itemsets sets) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (int i = 0; i < sets.size(); i++) {
      String[] names = sets.names(i);
      Arrays.sort(names);
      out.add(Arrays.toString(names) + "=" + sets.count(i));
    }
    assertEquals(sets.size(), out.size());
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // GroupBaskets coder

  @Test
  void groupBasketsCoderRoundTripsAndIsDeterministic() throws Exception {
    Coder<GroupBaskets> coder = GroupBaskets.coder();
    Random rnd = new Random(5);
    List<GroupBaskets> values = new ArrayList<>();
    values.add(GroupBaskets.empty(INT));
    values.add(GroupBaskets.empty(STR));
    values.add(of(Basket.ofLongs(), Basket.ofLongs()));
    for (int i = 0; i < 20; i++) {
      values.add(
          of(
              randomLongBaskets(rnd, 1 + rnd.nextInt(100), 1 + rnd.nextInt(40))
                  .toArray(new Basket[0])));
      values.add(of(randomStringBaskets(rnd, 1 + rnd.nextInt(100)).toArray(new Basket[0])));
    }
    for (GroupBaskets v : values) {
      CoderProperties.coderDecodeEncodeEqual(coder, v);
      CoderProperties.coderDeterministic(coder, v, v.copy());
      CoderProperties.coderConsistentWithEquals(coder, v, v.copy());
      CoderProperties.structuralValueConsistentWithEquals(coder, v, v.copy());
    }
    for (GroupBaskets v : values) {
      SizeSum size = new SizeSum();
      coder.registerByteSizeObserver(v, size);
      size.advance();
      assertEquals(CoderUtils.encodeToByteArray(coder, v).length, size.total, "size estimate");
    }
    CoderProperties.coderSerializable(coder);
    coder.verifyDeterministic();
    assertTrue(coder.consistentWithEquals());
    assertEquals(GroupBaskets.coder(), org.apache.beam.sdk.util.SerializableUtils.clone(coder));
    assertEquals(GroupBaskets.coder().hashCode(), coder.hashCode());
  }

  /** Adds up the sizes a coder reports. */
  private static final class SizeSum extends ElementByteSizeObserver {
    long total;

    @Override
    protected void reportElementSize(long elementByteSize) {
      total += elementByteSize;
    }
  }

  @Test
  void groupBasketsCoderLayoutIsCompact() throws Exception {
    // keys 10, 20 (VarLong); transactions {10, 20} and {20} as ids with gaps
    GroupBaskets g = of(Basket.ofLongs(10, 20), Basket.ofLongs(20));
    byte[] bytes = CoderUtils.encodeToByteArray(GroupBaskets.coder(), g);
    assertArrayEquals(
        new byte[] {
          0, // kind INTEGER
          2,
          10,
          20, // nItems, keys
          2, // transactions
          2,
          0,
          1, // length 2: id 0, gap 1
          1,
          1 // length 1: id 1
        },
        bytes);
  }

  @Test
  void groupBasketsCoderRejectsNullAndCorruptInput() {
    Coder<GroupBaskets> coder = GroupBaskets.coder();
    assertThrows(CoderException.class, () -> CoderUtils.encodeToByteArray(coder, null));
    // id 5 with only 2 items
    byte[] corrupt = {0, 2, 10, 20, 1, 1, 5};
    CoderException e =
        assertThrows(CoderException.class, () -> coder.decode(new ByteArrayInputStream(corrupt)));
    assertEquals("corrupt GroupBaskets: id 5 in transaction 0 (items: 2)", e.getMessage());
    // a repeated id (gap 0 after the first)
    byte[] repeated = {0, 2, 10, 20, 1, 2, 1, 0};
    assertThrows(CoderException.class, () -> coder.decode(new ByteArrayInputStream(repeated)));
    assertThrows(
        CoderException.class, () -> coder.decode(new ByteArrayInputStream(new byte[] {9})));
    assertThrows(CoderException.class, () -> coder.encode(null, new ByteArrayOutputStream()));
  }

  @Test
  void ramBytesGrowWithTheData() {
    GroupBaskets small = of(Basket.ofLongs(1));
    GroupBaskets big = of(randomLongBaskets(new Random(1), 5000, 30).toArray(new Basket[0]));
    assertTrue(big.compact().ramBytesUsed() > small.compact().ramBytesUsed());
    // about 4 bytes per entry and per transaction, plus the keys
    long bound =
        RamUsage.OBJECT_HEADER
            + 16
            + RamUsage.ints(big.size() + 1)
            + RamUsage.ints((int) big.nEntries())
            + RamUsage.OBJECT_HEADER
            + 32
            + RamUsage.longs(big.nItems());
    assertEquals(bound, big.ramBytesUsed());
    assertTrue(Arrays.asList(INT, STR).contains(big.kind()));
  }

  @Test
  void aGroupPastTheArrayLimitFailsNamingTheLimitAndTheRemedy() throws Exception {
    long max = GroupBaskets.MAX_ENTRIES;
    GroupBaskets.checkCapacity(max, max); // the largest group that fits
    for (long[] bad :
        new long[][] {
          {1, max + 1},
          {max + 1, 1},
          {1, (long) Integer.MAX_VALUE + Integer.MAX_VALUE}, // a sum that overflows an int
          {1, -1}
        }) {
      String msg =
          assertThrows(
                  IllegalStateException.class, () -> GroupBaskets.checkCapacity(bad[0], bad[1]))
              .getMessage();
      assertTrue(msg.contains("at most " + max), msg);
      assertTrue(msg.contains("Split the group"), msg);
      assertTrue(msg.contains(Long.toString(bad[1])), msg);
    }
    // decoding a header that claims more transactions than fit fails before allocating
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(0); // INTEGER keys
    VarInt.encode(0, header); // no items
    VarInt.encode(Integer.MAX_VALUE, header); // transactions
    assertThrows(
        IllegalStateException.class,
        () -> GroupBaskets.coder().decode(new ByteArrayInputStream(header.toByteArray())));
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    events.write(0);
    events.write(1);
    VarInt.encode(0, events);
    VarInt.encode(0, events);
    VarInt.encode(Integer.MAX_VALUE, events); // pairs
    assertThrows(
        IllegalStateException.class,
        () -> GroupEvents.coder().decode(new ByteArrayInputStream(events.toByteArray())));
  }
}
