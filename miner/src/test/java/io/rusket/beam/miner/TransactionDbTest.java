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
  void wrapSortedCsrUsesValidArraysAndNamesTheFirstViolation() {
    TransactionDb db =
        TransactionDb.wrapSortedCsr(new int[] {0, 2, 2, 5}, new int[] {0, 3, 1, 2, 4}, 5);
    assertEquals(3, db.size());
    assertEquals(5, db.nItems());
    assertArrayEquals(new int[] {0, 3}, db.transaction(0));
    assertArrayEquals(new int[] {}, db.transaction(1));
    assertArrayEquals(new int[] {1, 2, 4}, db.transaction(2));
    assertEquals(
        TransactionDb.fromIntBaskets(new int[][] {{0, 3}, {}, {1, 2, 4}}).transaction(2).length,
        db.transaction(2).length);
    String dup =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.wrapSortedCsr(new int[] {0, 2}, new int[] {3, 3}, 5))
            .getMessage();
    assertTrue(dup.contains("Transaction 0: item 3 at position 1 does not follow 3"), dup);
    String range =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.wrapSortedCsr(new int[] {0, 1, 2}, new int[] {1, 5}, 5))
            .getMessage();
    assertTrue(range.contains("Transaction 1: item 5 at position 1 is outside [0, 5)"), range);
    assertThrows(
        IllegalArgumentException.class,
        () -> TransactionDb.wrapSortedCsr(new int[] {0, 3}, new int[] {1, 2}, 5));
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
  void fimiNumericLookingTokensStayDistinctTokens() throws IOException {
    // "7" takes the numeric fast path; "007", "07", "7.0", "x7" and a huge value do not, and
    // all of them remain different items with their original text.
    TransactionDb db = fimi("7 007 07\n7.0 x7 7\n0 00 99999999999 4194304 4194303\n");
    assertArrayEquals(
        new String[] {
          "7", "007", "07", "7.0", "x7", "0", "00", "99999999999", "4194304", "4194303"
        },
        db.itemNames());
    assertArrayEquals(new int[] {2, 1, 1, 1, 1, 1, 1, 1, 1, 1}, db.itemCounts());
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

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void fimiValidUtf8ItemsStayDistinct() throws IOException {
    TransactionDb db = fimi("caf\u00e9 caf\u00e8\ncaf\u00e9 \u6771\u4eac \ud83d\ude00\n");
    assertArrayEquals(
        new String[] {"caf\u00e9", "caf\u00e8", "\u6771\u4eac", "\ud83d\ude00"}, db.itemNames());
    assertArrayEquals(new int[] {2, 1, 1, 1}, db.itemCounts());
  }

  @Test
  void fimiInvalidUtf8FailsNamingFileLineAndColumn(@TempDir Path dir) throws IOException {
    // "caf\xe9" and "caf\xe8" (Latin-1) used to become one item "caf\uFFFD" with count 3.
    Path f = dir.resolve("latin1.dat");
    Files.write(
        f,
        concat(
            ascii("bread milk\n"),
            ascii("caf"),
            bytes(0xE9),
            ascii(" x\n"),
            ascii("caf"),
            bytes(0xE8),
            ascii("\n")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TransactionDb.readBaskets(f));
    assertEquals(f + " line 2: invalid UTF-8 (byte 0xE9 at column 4)", e.getMessage());
    // Mid-line, after other tokens: the column counts bytes from the start of the line.
    byte[] mid = concat(ascii("a\nb\ncc d"), bytes(0xC3, 0x28), ascii(" e\n"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.readBaskets(new ByteArrayInputStream(mid), "shop.dat"));
    assertEquals("shop.dat line 3: invalid UTF-8 (byte 0xC3 at column 5)", e.getMessage());
    // A truncated sequence at the very end of the input.
    byte[] end = concat(ascii("a b\nz"), bytes(0xE2, 0x82));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.readBaskets(new ByteArrayInputStream(end), "end.dat"));
    assertTrue(
        e.getMessage().startsWith("end.dat line 2: invalid UTF-8 (byte 0xE2 at column 2"),
        e.getMessage());
    // An overlong encoding and a lone surrogate are invalid too.
    for (byte[] bad : new byte[][] {bytes(0xC0, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xFF)}) {
      byte[] in = concat(ascii("ok "), bad, ascii("\n"));
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TransactionDb.readBaskets(new ByteArrayInputStream(in), "x.dat"));
      assertTrue(e.getMessage().startsWith("x.dat line 1: invalid UTF-8 (byte 0x"), e.getMessage());
      assertTrue(e.getMessage().contains("at column 4)"), e.getMessage());
    }
  }

  @Test
  void fimiBinaryContentFailsNamingFileAndLine() {
    byte[] nul = concat(ascii("1 2 3\n4 5"), bytes(0), ascii("6\n"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransactionDb.readBaskets(new ByteArrayInputStream(nul), "data.bin"));
    assertTrue(
        e.getMessage().startsWith("data.bin line 2: binary content (byte 0x00 at column 4)"),
        e.getMessage());
    for (int c : new int[] {0x01, 0x07, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F}) {
      byte[] in = concat(ascii("a"), bytes(c));
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TransactionDb.readBaskets(new ByteArrayInputStream(in), "c.dat"));
      assertTrue(
          e.getMessage().contains(String.format("byte 0x%02X at column 2", c)), e.getMessage());
    }
    // Random bytes are rejected (a control byte or invalid UTF-8 comes soon), never mined.
    java.util.Random r = new java.util.Random(5);
    for (int seed = 0; seed < 50; seed++) {
      byte[] noise = new byte[4096];
      r.nextBytes(noise);
      assertThrows(
          IllegalArgumentException.class,
          () -> TransactionDb.readBaskets(new ByteArrayInputStream(noise), "noise"));
    }
  }

  @Test
  void fimiGzipFilesAreDecompressedByTheirMagicBytes(@TempDir Path dir) throws IOException {
    String text = "b a\na c \n\ncaf\u00e9\n";
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    TransactionDb want = fimi(text);
    for (String file : new String[] {"b.dat.gz", "b.dat"}) { // by content, not by name
      Path f = dir.resolve(file);
      Files.write(f, gz.toByteArray());
      TransactionDb db = TransactionDb.readBaskets(f);
      assertEquals(want.size(), db.size());
      assertArrayEquals(want.itemNames(), db.itemNames());
      assertArrayEquals(want.itemCounts(), db.itemCounts());
    }
    // The stream overload: a GZIPInputStream given by the caller, or the raw gzip bytes.
    TransactionDb viaStream =
        TransactionDb.readBaskets(
            new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz.toByteArray())),
            "b.dat.gz");
    assertArrayEquals(want.itemNames(), viaStream.itemNames());
    assertArrayEquals(
        want.itemNames(),
        TransactionDb.readBaskets(new ByteArrayInputStream(gz.toByteArray()), "raw").itemNames());
    // Corrupt or truncated gzip data: one line naming the file.
    Path cut = dir.resolve("cut.dat.gz");
    Files.write(cut, Arrays.copyOf(gz.toByteArray(), gz.size() - 12));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TransactionDb.readBaskets(cut));
    assertTrue(e.getMessage().startsWith(cut + ": corrupt gzip data"), e.getMessage());
    byte[] bad = gz.toByteArray().clone();
    for (int i = 12; i < bad.length - 8; i++) {
      bad[i] ^= 0x5A;
    }
    Path garbled = dir.resolve("garbled.gz");
    Files.write(garbled, bad);
    e = assertThrows(IllegalArgumentException.class, () -> TransactionDb.readBaskets(garbled));
    assertTrue(e.getMessage().startsWith(garbled.toString()), e.getMessage());
    // A lone 0x1f is not gzip: it is binary content.
    assertThrows(
        IllegalArgumentException.class,
        () -> TransactionDb.readBaskets(new ByteArrayInputStream(bytes(0x1f)), "one"));
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
            () ->
                TransactionDb.fromPairs(
                    new long[] {1, 2}, new int[] {0, 3}, new String[] {"a", "b"}));
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

  @Test
  void csrTransactionsAreSortedAndDeduplicated() {
    // transactions {2, 0, 2}, {}, {1}
    TransactionDb db = TransactionDb.fromCsr(new int[] {0, 3, 3, 4}, new int[] {2, 0, 2, 1}, null);
    assertEquals(3, db.size());
    assertEquals(3, db.nItems(), "largest id + 1");
    assertArrayEquals(new int[] {0, 2}, db.transaction(0));
    assertEquals(0, db.transactionLength(1));
    assertArrayEquals(new int[] {1}, db.transaction(2));
    assertEquals(3, db.nEntries());
    assertNull(db.itemNames());

    String[] names = {"a", "b", "c", "unused"};
    int[] offsets = {0, 2};
    int[] items = {3, 1};
    TransactionDb named = TransactionDb.fromCsr(offsets, items, names);
    assertEquals(4, named.nItems(), "the names fix the number of items");
    assertArrayEquals(new String[] {"b", "unused"}, names(named, 0));
    names[0] = "changed";
    items[0] = 0;
    assertEquals("a", named.itemName(0), "the database keeps its own copies");
    assertArrayEquals(new int[] {1, 3}, named.transaction(0));

    TransactionDb empty = TransactionDb.fromCsr(new int[] {0}, new int[0], null);
    assertEquals(0, empty.size());
    assertEquals(0, empty.nItems());
  }

  @Test
  void csrValidation() {
    String m1 =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.fromCsr(new int[] {1, 2}, new int[2], null))
            .getMessage();
    assertEquals(
        "offsets must start with 0 (and have one entry more than there are transactions), got"
            + " offsets[0] = 1",
        m1);
    String m2 =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.fromCsr(new int[0], new int[0], null))
            .getMessage();
    assertTrue(m2.endsWith("got an empty array"), m2);
    String m3 =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.fromCsr(new int[] {0, 2, 1}, new int[2], null))
            .getMessage();
    assertEquals("offsets must not decrease, but offsets[2] = 1 < offsets[1] = 2", m3);
    String m4 =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.fromCsr(new int[] {0, 1}, new int[2], null))
            .getMessage();
    assertEquals(
        "The last offset must equal the number of items: offsets[1] = 1 but items has 2 entries",
        m4);
    String m5 =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.fromCsr(new int[] {0, 2}, new int[] {0, -4}, null))
            .getMessage();
    assertEquals("Invalid item id -4 at position 1. Valid range is [0, 2^31).", m5);
    String m6 =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TransactionDb.fromCsr(new int[] {0, 1}, new int[] {2}, new String[] {"a", "b"}))
            .getMessage();
    assertEquals("Invalid item id 2 at position 0. Valid range is [0, 2).", m6);
    String m7 =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.fromCsr(new int[] {0}, new int[0], new String[] {"a", "a"}))
            .getMessage();
    assertEquals("Duplicate item name 'a' for items 0 and 1", m7);
    String m8 =
        assertThrows(
                IllegalArgumentException.class,
                () -> TransactionDb.fromCsr(new int[] {0}, new int[0], new String[] {null}))
            .getMessage();
    assertEquals("item 0 has a null name", m8);
    assertThrows(
        IllegalArgumentException.class, () -> TransactionDb.fromCsr(null, new int[0], null));
  }

  @Test
  void csrMinesLikeTheSameBasketsFromOtherFactories() {
    java.util.Random rnd = new java.util.Random(7);
    int[][] baskets = new int[200][];
    int[] offsets = new int[baskets.length + 1];
    int[] items = new int[0];
    for (int t = 0; t < baskets.length; t++) {
      baskets[t] = rnd.ints(rnd.nextInt(6), 0, 12).toArray();
      offsets[t + 1] = offsets[t] + baskets[t].length;
      items = Arrays.copyOf(items, offsets[t + 1]);
      System.arraycopy(baskets[t], 0, items, offsets[t], baskets[t].length);
    }
    ItemsetMiner miner = ItemsetMiner.minSupport(0.02).withThreads(1);
    assertEquals(
        miner.mine(TransactionDb.fromIntBaskets(baskets)),
        miner.mine(TransactionDb.fromCsr(offsets, items, null)));
  }
}
