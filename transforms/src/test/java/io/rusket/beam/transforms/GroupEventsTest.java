package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.util.common.ElementByteSizeObserver;
import org.junit.jupiter.api.Test;

/** GroupEvents, the accumulator of long-format events, and its coder, without a pipeline. */
class GroupEventsTest {
  private static final KeyKind INT = KeyKind.INTEGER;
  private static final KeyKind STR = KeyKind.STRING;
  private static final String[] NAMES = {"Coffee", "Bread", "Tea", "NONE", "café", "日本茶", ""};

  /** Random events: transaction keys spread out (some negative or huge), repeats included. */
  static GroupEvents random(Random rnd, KeyKind txnKind, KeyKind itemKind, int n) {
    GroupEvents g = GroupEvents.empty(txnKind, itemKind);
    for (int k = 0; k < n; k++) {
      long t = rnd.nextInt(1 + n / 3) * (rnd.nextBoolean() ? -1L : 1L) * 4_000_000_007L;
      int i = rnd.nextInt(NAMES.length);
      g.add(
          txnKind == INT ? (Object) t : "r" + t,
          itemKind == INT ? (Object) (i % 2 == 0 ? Long.MAX_VALUE - i : -3L * i) : NAMES[i]);
    }
    return g;
  }

  @Test
  void toBasketsGathersTransactionsDeduplicatesAndSortsByKey() {
    GroupEvents g =
        GroupEvents.empty(INT, STR)
            .add(30L, "milk")
            .add(-5, "bread") // an Integer key joins the Long keys
            .add(30L, "bread")
            .add(30L, "milk") // repeated: counts once
            .add((short) 7, "eggs");
    assertEquals(3, g.nTransactions());
    assertEquals(3, g.nItems());
    assertEquals(5, g.nPairs());
    GroupBaskets b = g.toBaskets();
    assertTrue(b.keysAscending());
    // items bread 0, eggs 1, milk 2; transactions -5, 7, 30
    assertEquals(
        "GroupBaskets{transactions=3, items=3, entries=4, [[bread], [eggs], [bread, milk]]}",
        b.toString());
    assertEquals(b, g.toBaskets(), "toBaskets leaves the events unchanged");
    assertEquals(5, g.nPairs());
  }

  @Test
  void mergeRemapsBothDictionariesAndCompactKeepsTheContent() {
    Random rnd = new Random(11);
    for (int round = 0; round < 20; round++) {
      GroupEvents a = random(rnd, round % 2 == 0 ? INT : STR, round % 3 == 0 ? INT : STR, 80);
      GroupEvents b = random(rnd, a.txnKind(), a.itemKind(), 1 + rnd.nextInt(80));
      GroupEvents all = a.copy().addAll(b);
      GroupEvents other = b.copy().addAll(a);
      assertEquals(all.toBaskets(), other.toBaskets(), "merge order does not matter");
      GroupEvents bCopy = b.copy();
      assertEquals(all.toBaskets(), a.copy().compact().addAll(b.copy().compact()).toBaskets());
      assertEquals(bCopy, b, "merge leaves the other unchanged");
      GroupEvents c = all.copy().compact();
      assertEquals(all.toBaskets(), c.toBaskets());
      assertTrue(c.nPairs() <= all.nPairs());
      assertTrue(c.ramBytesUsed() <= all.ramBytesUsed());
      // adding after compact (lookup tables rebuilt)
      assertEquals(
          all.copy().addAll(b).toBaskets(), c.addAll(b).toBaskets(), "repeated events add nothing");
    }
    GroupEvents self = GroupEvents.empty(INT, INT).add(1L, 2L);
    self.addAll(self);
    assertEquals(2, self.nPairs());
    assertEquals(1, self.toBaskets().nEntries());
  }

  @Test
  void wrongKindsAreRejectedWithTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> GroupEvents.empty(INT, STR).add("t1", "milk"));
    assertEquals(
        "Invalid transaction key: t1 (String). Keys of this group are INTEGER: a Long, Integer,"
            + " Short or Byte",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> GroupEvents.empty(INT, STR).add(1L, null));
    assertEquals(
        "Invalid item key: null (null). Keys of this group are STRING: a String", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> GroupEvents.empty(INT, STR).addAll(GroupEvents.empty(STR, STR)));
    assertNotEquals(GroupEvents.empty(INT, STR), GroupEvents.empty(STR, STR));
  }

  @Test
  void coderRoundTripsAndIsDeterministic() throws Exception {
    Coder<GroupEvents> coder = GroupEvents.coder();
    Random rnd = new Random(5);
    List<GroupEvents> values = new ArrayList<>();
    values.add(GroupEvents.empty(INT, INT));
    values.add(GroupEvents.empty(STR, STR));
    for (int i = 0; i < 20; i++) {
      values.add(random(rnd, i % 2 == 0 ? INT : STR, i % 4 < 2 ? INT : STR, 1 + rnd.nextInt(100)));
    }
    values.add(random(rnd, INT, STR, 50).compact());
    for (GroupEvents v : values) {
      CoderProperties.coderDecodeEncodeEqual(coder, v);
      CoderProperties.coderDeterministic(coder, v, v.copy());
      CoderProperties.coderConsistentWithEquals(coder, v, v.copy());
      CoderProperties.structuralValueConsistentWithEquals(coder, v, v.copy());
      SizeSum size = new SizeSum();
      coder.registerByteSizeObserver(v, size);
      size.advance();
      assertEquals(CoderUtils.encodeToByteArray(coder, v).length, size.total, "size estimate");
      GroupEvents decoded =
          CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, v));
      assertEquals(v.toBaskets(), decoded.toBaskets());
      decoded.add(
          decoded.txnKind() == INT ? (Object) 1L : "x",
          decoded.itemKind() == INT ? (Object) 2L : "y");
    }
    CoderProperties.coderSerializable(coder);
    coder.verifyDeterministic();
    assertTrue(coder.consistentWithEquals());
    assertEquals(GroupEvents.coder(), SerializableUtils.clone(coder));
    assertEquals(GroupEvents.coder().hashCode(), coder.hashCode());
  }

  @Test
  void coderLayoutIsCompactAndCorruptInputIsRejected() throws Exception {
    GroupEvents g = GroupEvents.empty(INT, STR).add(300L, "a").add(7L, "a").add(300L, "b");
    byte[] bytes = CoderUtils.encodeToByteArray(GroupEvents.coder(), g);
    assertArrayEquals(
        new byte[] {
          0,
          1, // kinds INTEGER, STRING
          2,
          (byte) 0xAC,
          2,
          7, // 2 transactions: 300 (VarLong), 7
          2,
          1,
          'a',
          1,
          'b', // 2 items
          3,
          0,
          0,
          1,
          0,
          0,
          1 // 3 pairs
        },
        bytes);
    Coder<GroupEvents> coder = GroupEvents.coder();
    assertThrows(CoderException.class, () -> coder.encode(null, new ByteArrayOutputStream()));
    byte[] corrupt = {0, 0, 1, 5, 1, 9, 1, 1, 0};
    CoderException e =
        assertThrows(CoderException.class, () -> coder.decode(new ByteArrayInputStream(corrupt)));
    assertEquals(
        "corrupt GroupEvents: pair 0 = (1, 0) (transactions: 1, items: 1)", e.getMessage());
    assertThrows(
        CoderException.class, () -> coder.decode(new ByteArrayInputStream(new byte[] {0, 9})));
  }

  @Test
  void memoryIsAboutEightBytesPerEventPlusTheKeys() {
    GroupEvents g = random(new Random(3), INT, INT, 20_000).compact();
    long pairs = 8L * g.nPairs();
    long keys = 8L * (g.nTransactions() + g.nItems());
    assertTrue(g.ramBytesUsed() >= pairs + keys);
    assertTrue(g.ramBytesUsed() <= pairs + keys + 400, g.ramBytesUsed() + " bytes");
  }

  /** Adds up the sizes a coder reports. */
  private static final class SizeSum extends ElementByteSizeObserver {
    long total;

    @Override
    protected void reportElementSize(long elementByteSize) {
      total += elementByteSize;
    }
  }
}
