package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.RamUsage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.junit.jupiter.api.Test;

/** The one key dictionary: ids, lookup, order and encoding, against a HashMap oracle. */
class KeyDictionaryTest {
  /** Keys that are valid Unicode (an unpaired surrogate is not, and encodes as '?'). */
  private static final String[] ODD = {"", "café", "日本茶", "\uD83D\uDE00", "a b", "\u0000"};

  private static String randomString(Random rnd) {
    return rnd.nextInt(5) == 0
        ? ODD[rnd.nextInt(ODD.length)] + rnd.nextInt(50)
        : Integer.toString(rnd.nextInt(3000), 36);
  }

  @Test
  void idsFollowInsertionOrderWhateverTheLookupsAsAMapWould() {
    for (long seed = 0; seed < 20; seed++) {
      Random rnd = new Random(seed);
      KeyDictionary longs = KeyDictionary.empty(KeyKind.INTEGER);
      KeyDictionary strings = KeyDictionary.empty(KeyKind.STRING);
      Map<Long, Integer> longOracle = new HashMap<>();
      Map<String, Integer> stringOracle = new HashMap<>();
      int n = 1 + rnd.nextInt(5000);
      for (int k = 0; k < n; k++) {
        long l = rnd.nextBoolean() ? rnd.nextInt(2000) : rnd.nextLong() >> rnd.nextInt(64);
        Integer expected = longOracle.computeIfAbsent(l, x -> longOracle.size());
        assertEquals(expected, longs.add(l), "seed " + seed + ", key " + l);
        String s = randomString(rnd);
        Integer expectedS = stringOracle.computeIfAbsent(s, x -> stringOracle.size());
        assertEquals(expectedS, strings.add(s), "seed " + seed + ", key " + s);
      }
      assertEquals(longOracle.size(), longs.size());
      assertEquals(stringOracle.size(), strings.size());
      for (Map.Entry<Long, Integer> e : longOracle.entrySet()) {
        assertEquals(e.getKey(), longs.longKey(e.getValue()));
      }
      for (Map.Entry<String, Integer> e : stringOracle.entrySet()) {
        assertEquals(e.getKey(), strings.stringKey(e.getValue()));
      }
      // after trim() the table is rebuilt on the next lookup, and finds the same ids
      longs.trim();
      strings.trim();
      for (Map.Entry<Long, Integer> e : longOracle.entrySet()) {
        assertEquals(e.getValue(), longs.add(e.getKey()));
      }
      for (Map.Entry<String, Integer> e : stringOracle.entrySet()) {
        assertEquals(e.getValue(), strings.add(e.getKey()));
      }
      assertEquals(longOracle.size(), longs.size(), "no key added twice");
    }
  }

  @Test
  void objectKeysAcceptEveryIntegerTypeAndNameTheRoleOtherwise() {
    KeyDictionary d = KeyDictionary.empty(KeyKind.INTEGER);
    assertEquals(0, d.addObject(7L, "item"));
    assertEquals(0, d.addObject(7, "item"));
    assertEquals(0, d.addObject((short) 7, "item"));
    assertEquals(0, d.addObject((byte) 7, "item"));
    assertEquals(1, d.addObject(-7, "item"));
    assertEquals(
        "Invalid transaction key: x (String). Keys of this group are INTEGER: a Long, Integer,"
            + " Short or Byte",
        assertThrows(IllegalArgumentException.class, () -> d.addObject("x", "transaction"))
            .getMessage());
    KeyDictionary s = KeyDictionary.empty(KeyKind.STRING);
    assertThrows(IllegalArgumentException.class, () -> s.addObject(null, "item"));
    assertThrows(IllegalArgumentException.class, () -> s.addObject(1L, "item"));
    assertThrows(IllegalArgumentException.class, () -> s.addAll(d));
  }

  @Test
  void addAllRemapsAndRanksFollowKeyOrder() {
    Random rnd = new Random(5);
    KeyDictionary a = KeyDictionary.empty(KeyKind.STRING);
    KeyDictionary b = KeyDictionary.empty(KeyKind.STRING);
    for (int k = 0; k < 300; k++) {
      a.add(randomString(rnd));
      b.add(randomString(rnd));
    }
    KeyDictionary before = a.copy();
    int[] remap = a.addAll(b);
    for (int i = 0; i < b.size(); i++) {
      assertEquals(b.stringKey(i), a.stringKey(remap[i]));
    }
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.stringKey(i), a.stringKey(i), "existing ids are kept");
    }
    int[] rank = a.ascendingRanks();
    KeyDictionary sorted = a.permuted(rank);
    assertTrue(sorted.isAscending());
    String[] expected = a.stringKeys();
    Arrays.sort(expected);
    assertArrayEquals(expected, sorted.stringKeys());
    KeyDictionary longs = KeyDictionary.empty(KeyKind.INTEGER);
    for (long v : new long[] {5, Long.MIN_VALUE, -1, Long.MAX_VALUE, 0}) {
      longs.add(v);
    }
    assertArrayEquals(new int[] {3, 0, 1, 4, 2}, longs.ascendingRanks());
    assertTrue(!longs.isAscending());
    assertTrue(longs.permuted(longs.ascendingRanks()).isAscending());
  }

  @Test
  void encodingRoundTripsAndItsSizeIsExact() throws Exception {
    Random rnd = new Random(8);
    List<KeyDictionary> values = new ArrayList<>();
    values.add(KeyDictionary.empty(KeyKind.INTEGER));
    values.add(KeyDictionary.empty(KeyKind.STRING));
    for (int round = 0; round < 10; round++) {
      KeyDictionary l = KeyDictionary.empty(KeyKind.INTEGER);
      KeyDictionary s = KeyDictionary.empty(KeyKind.STRING);
      for (int k = 0; k < rnd.nextInt(200); k++) {
        l.add(rnd.nextLong() >> rnd.nextInt(64));
        s.add(randomString(rnd));
      }
      values.add(l);
      values.add(s);
    }
    for (KeyDictionary d : values) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      KeyDictionary.encodeKind(d.kind(), out);
      d.encode(out);
      assertEquals(1 + d.encodedSize(), out.size(), d::toString);
      ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
      KeyDictionary back = KeyDictionary.decode(KeyDictionary.decodeKind(in), in);
      assertEquals(d, back);
      assertEquals(d.hashCode(), back.hashCode());
      assertEquals(0, in.available());
    }
    assertNotEquals(values.get(0), values.get(1));
    for (String s : List.of("café", "日本茶", "\uD83D\uDE00", "a\uD800b", "\uDC00", "\uD83D")) {
      assertEquals(s.getBytes(StandardCharsets.UTF_8).length, KeyDictionary.utf8Length(s), s);
    }
  }

  @Test
  void corruptInputFailsWithACoderException() throws Exception {
    assertThrows(
        CoderException.class,
        () -> KeyDictionary.decodeKind(new ByteArrayInputStream(new byte[] {2})));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VarInt.encode(-1, out);
    assertThrows(
        CoderException.class,
        () -> KeyDictionary.decode(KeyKind.INTEGER, new ByteArrayInputStream(out.toByteArray())));
  }

  @Test
  void ramBytesCountTheTableAndTheStringsAndTrimDropsTheTable() {
    KeyDictionary d = KeyDictionary.empty(KeyKind.STRING);
    long empty = d.ramBytesUsed();
    for (int k = 0; k < 1000; k++) {
      d.add("key" + k);
    }
    long full = d.ramBytesUsed();
    assertTrue(full > empty + 1000 * RamUsage.string("key000"), full + " vs " + empty);
    d.trim();
    assertEquals(
        RamUsage.OBJECT_HEADER
            + 32
            + RamUsage.references(1000)
            + 1000 * RamUsage.STRING_SHALLOW
            + 1000 * RamUsage.ARRAY_HEADER
            + (10 * 4 + 90 * 5 + 900 * 6),
        d.ramBytesUsed());
  }
}
