package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** GroupEventParts, the encoded-parts accumulator of MineGroupedAccumulators, and its coder. */
class GroupEventPartsTest {
  private static final KeyKind INT = KeyKind.INTEGER;
  private static final KeyKind STR = KeyKind.STRING;

  @Test
  void partsInAnyOrderAndSplitGiveTheMergedEventsBaskets() throws Exception {
    Random rnd = new Random(5);
    for (int round = 0; round < 40; round++) {
      KeyKind t = round % 2 == 0 ? INT : STR;
      KeyKind i = round % 3 == 0 ? INT : STR;
      int nParts = 1 + rnd.nextInt(6);
      List<GroupEvents> pieces = new ArrayList<>();
      GroupEvents merged = GroupEvents.empty(t, i);
      for (int p = 0; p < nParts; p++) {
        // overlapping transaction keys across parts: a transaction split over readers
        GroupEvents g = GroupEventsTest.random(rnd, t, i, rnd.nextInt(60));
        pieces.add(g);
        merged.addAll(g);
      }
      GroupEventParts acc = GroupEventParts.empty(t, i);
      Collections.shuffle(pieces, rnd);
      // some parts added one by one, others through a second accumulator (a merge)
      GroupEventParts other = GroupEventParts.empty(t, i);
      for (GroupEvents g : pieces) {
        (rnd.nextBoolean() ? acc : other).add(g);
      }
      acc.addAll(other);
      assertEquals(merged.nPairs(), acc.nPairs());
      assertEquals(merged.toBaskets(), acc.toBaskets(), "round " + round);
      assertEquals(acc.toBaskets(), acc.toBaskets(), "toBaskets leaves the parts unchanged");
      GroupEventParts decoded =
          CoderUtils.decodeFromByteArray(
              GroupEventParts.coder(), CoderUtils.encodeToByteArray(GroupEventParts.coder(), acc));
      assertEquals(acc, decoded);
      assertEquals(acc.nPairs(), decoded.nPairs());
      assertEquals(acc.encodedBytes(), decoded.encodedBytes());
      assertEquals(merged.toBaskets(), decoded.toBaskets());
      CoderProperties.coderDecodeEncodeEqual(GroupEventParts.coder(), acc);
      CoderProperties.coderSerializable(GroupEventParts.coder());
      assertEquals(
          CoderUtils.encodeToByteArray(GroupEventParts.coder(), acc).length,
          GroupEventParts.coder().getEncodedElementByteSize(acc));
    }
  }

  @Test
  void emptyEventsAddNoPartAndSelfMergeDoubles() {
    GroupEventParts acc = GroupEventParts.empty(INT, INT).add(GroupEvents.empty(INT, INT));
    assertEquals(0, acc.nParts());
    assertEquals(0, acc.toBaskets().size());
    GroupEvents g = GroupEvents.empty(INT, INT).add(1L, 2L).add(1L, 3L).add(4L, 2L);
    acc.add(g).addAll(acc);
    assertEquals(2, acc.nParts());
    assertEquals(6, acc.nPairs());
    assertEquals(g.toBaskets(), acc.toBaskets(), "repeated pairs count once");
  }

  @Test
  void encodedPartsAreSmallerThanMergedEvents() {
    Random rnd = new Random(3);
    GroupEventParts acc = GroupEventParts.empty(INT, INT);
    GroupEvents merged = GroupEvents.empty(INT, INT);
    for (int p = 0; p < 8; p++) {
      GroupEvents g = GroupEvents.empty(INT, INT);
      for (int k = 0; k < 20_000; k++) {
        g.add((long) (p * 5_000 + k / 4), (long) rnd.nextInt(2_600));
      }
      acc.add(g.trim());
      merged.addAll(g);
    }
    assertTrue(
        acc.ramBytesUsed() * 2 < merged.ramBytesUsed(),
        acc.ramBytesUsed() + " vs " + merged.ramBytesUsed());
    assertEquals(merged.toBaskets(), acc.toBaskets());
  }

  @Test
  void otherKindsAndCorruptPartsAreRejected() throws Exception {
    GroupEventParts acc = GroupEventParts.empty(INT, STR);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> acc.add(GroupEvents.empty(STR, STR).add("a", "b")));
    assertTrue(e.getMessage().contains("STRING transactions"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> acc.addAll(GroupEventParts.empty(INT, INT)));

    acc.add(GroupEvents.empty(INT, STR).add(1L, "milk").add(2L, "tea"));
    byte[] bytes = CoderUtils.encodeToByteArray(GroupEventParts.coder(), acc);
    // layout: kinds (2), nParts (1), pairs (1), length (1), part
    byte[] wrongCount = bytes.clone();
    wrongCount[3] = 3;
    GroupEventParts bad = CoderUtils.decodeFromByteArray(GroupEventParts.coder(), wrongCount);
    IllegalStateException s = assertThrows(IllegalStateException.class, bad::toBaskets);
    assertTrue(s.getMessage().contains("part 0 holds 2 pairs"), s.getMessage());
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 2);
    assertThrows(
        CoderException.class,
        () -> CoderUtils.decodeFromByteArray(GroupEventParts.coder(), truncated));
    byte[] garbled = bytes.clone();
    garbled[5] = 7; // the part's transaction kind
    GroupEventParts g = CoderUtils.decodeFromByteArray(GroupEventParts.coder(), garbled);
    s = assertThrows(IllegalStateException.class, g::toBaskets);
    assertTrue(s.getMessage().startsWith("corrupt GroupEventParts"), s.getMessage());
  }
}
