package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionDbTest {
  private static TransactionDb fimi(String text) throws IOException {
    return TransactionDb.readBaskets(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String[] names(TransactionDb db, int t) {
    return Arrays.stream(db.transaction(t)).mapToObj(db::itemName).toArray(String[]::new);
  }

  @Test
  void fimiTokensBecomeNamedItemsInFirstAppearanceOrder() throws IOException {
    TransactionDb db = fimi("b a\na c \n");
    assertEquals(2, db.size());
    assertEquals(3, db.nItems());
    assertArrayEquals(new String[] {"b", "a", "c"}, db.itemNames());
    assertArrayEquals(new int[] {0, 1}, db.transaction(0)); // ascending ids
    assertArrayEquals(new String[] {"a", "c"}, names(db, 1));
  }

  @Test
  void fimiEmptyLinesAreEmptyTransactionsAndRepeatsCountOnce() throws IOException {
    TransactionDb db = fimi("1 2 2 1\n\n  \n3\t1\r\n4");
    assertEquals(5, db.size(), "empty and blank lines count; last line has no newline");
    assertEquals(2, db.transactionLength(0));
    assertEquals(0, db.transactionLength(1));
    assertEquals(0, db.transactionLength(2));
    assertArrayEquals(new String[] {"1", "3"}, names(db, 3));
    assertArrayEquals(new String[] {"4"}, names(db, 4));
    assertEquals(5, db.nEntries());
  }

  @Test
  void fimiFinalNewlineDoesNotAddATransaction() throws IOException {
    assertEquals(2, fimi("a\nb\n").size());
    assertEquals(3, fimi("a\n\nb").size());
    assertEquals(0, fimi("").size());
    assertEquals(1, fimi("\n").size());
  }

  @Test
  void fimiFileAndMissingFile(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("b.dat");
    Files.writeString(f, "x y\ny\n");
    TransactionDb db = TransactionDb.readBaskets(f);
    assertArrayEquals(new int[] {1, 2}, db.itemCounts());
    Path missing = dir.resolve("nope.dat");
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> TransactionDb.readBaskets(missing));
    assertTrue(e.getMessage().contains("nope.dat"), e.getMessage());
  }

  @Test
  void stringBaskets() {
    TransactionDb db =
        TransactionDb.fromStringBaskets(List.of(List.of("milk", "bread", "milk"), List.of()));
    assertEquals(2, db.size());
    assertArrayEquals(new String[] {"milk", "bread"}, db.itemNames());
    assertEquals(2, db.transactionLength(0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.fromStringBaskets(List.of(Arrays.asList("a", null))));
    assertEquals("null item in basket 0 at position 1", e.getMessage());
  }

  @Test
  void oneHot() {
    boolean[][] rows = {{true, false, true}, {false, false, false}, {true, true, true}};
    TransactionDb db = TransactionDb.fromOneHot(rows, new String[] {"a", "b", "c"});
    assertEquals(3, db.size());
    assertArrayEquals(new int[] {0, 2}, db.transaction(0));
    assertEquals(0, db.transactionLength(1));
    assertArrayEquals(new int[] {2, 1, 2}, db.itemCounts());
    assertEquals("c", db.itemName(2));
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.fromOneHot(rows, new String[] {"a", "b", "a"}));
    assertEquals("Duplicate column name 'a' at columns 0 and 2", dup.getMessage());
    IllegalArgumentException ragged =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.fromOneHot(new boolean[][] {{true}}, new String[] {"a", "b"}));
    assertEquals("Row 0 has 1 values but there are 2 columns", ragged.getMessage());
  }

  @Test
  void pairsInAnyOrderWithRepeats() {
    long[] txn = {42, 7, 42, 7, 42, -3};
    int[] item = {2, 1, 0, 1, 2, 5};
    TransactionDb db = TransactionDb.fromPairs(txn, item, null);
    assertEquals(3, db.size(), "transactions -3, 7, 42");
    assertEquals(6, db.nItems());
    assertArrayEquals(new int[] {5}, db.transaction(0));
    assertArrayEquals(new int[] {1}, db.transaction(1));
    assertArrayEquals(new int[] {0, 2}, db.transaction(2));
    assertFalse(db.hasItemNames());
    assertEquals("5", db.itemName(5));
  }

  @Test
  void pairsValidation() {
    IllegalArgumentException len =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.fromPairs(new long[2], new int[1], null));
    assertEquals("txnIds has 2 entries but itemIds has 1", len.getMessage());
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.fromPairs(new long[] {1, 2}, new int[] {0, 3}, new String[] {"a", "b"}));
    assertEquals("Invalid item id 3 at position 1. Valid range is [0, 2).", range.getMessage());
    TransactionDb named =
        TransactionDb.fromPairs(new long[] {1, 1}, new int[] {1, 0}, new String[] {"a", "b"});
    assertArrayEquals(new String[] {"a", "b"}, named.itemNames());
  }

  @Test
  void intBasketsValidation() {
    IllegalArgumentException neg =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.fromIntBaskets(new int[][] {{1}, {2, -1}}));
    assertEquals(
        "Invalid item id -1 in basket 1 at position 1: ids must be >= 0.", neg.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> TransactionDb.fromIntBaskets(new int[][] {null}));
    TransactionDb db = TransactionDb.fromIntBaskets(new int[][] {{3, 3, 1}, {}});
    assertEquals(4, db.nItems());
    assertNull(db.itemNames());
    assertArrayEquals(new int[] {1, 3}, db.transaction(0));
    IllegalArgumentException id =
        assertThrows(IllegalArgumentException.class, () -> db.itemName(4));
    assertEquals("Invalid item id: 4. Valid range is [0, 4).", id.getMessage());
    assertTrue(db.ramBytesUsed() > 0);
  }
}
