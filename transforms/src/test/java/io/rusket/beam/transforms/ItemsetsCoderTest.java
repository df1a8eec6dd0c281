package io.rusket.beam.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** ItemsetsCoder: names of any length and any Unicode, as Beam's StringUtf8Coder writes them. */
class ItemsetsCoderTest {
  /** Regression: names were written with writeUTF, which fails beyond 65,535 bytes. */
  @Test
  void roundTripsANameOf100KiB() throws Exception {
    String big = "x".repeat(100 * 1024);
    Itemsets freq =
        ItemsetMiner.minCount(1)
            .mine(TransactionDb.fromStringBaskets(List.of(List.of(big, "y"), List.of(big))));
    CoderProperties.coderDecodeEncodeEqual(ItemsetsCoder.of(), freq);
    Itemsets back =
        CoderUtils.decodeFromByteArray(
            ItemsetsCoder.of(), CoderUtils.encodeToByteArray(ItemsetsCoder.of(), freq));
    assertArrayEquals(freq.itemNames(), back.itemNames());
  }

  /** Non-BMP characters (surrogate pairs in Java) are standard UTF-8, not modified UTF-8. */
  @Test
  void roundTripsCharactersOutsideTheBasicPlane() throws Exception {
    String emoji = "caf\u00e9 \ud83d\ude00"; // U+1F600
    String clef = "\ud834\udd1e"; // U+1D11E
    String nul = "a\u0000b"; // modified UTF-8 writes NUL as two bytes; UTF-8 as one
    Itemsets freq =
        ItemsetMiner.minCount(1)
            .mine(
                TransactionDb.fromStringBaskets(List.of(List.of(emoji, clef, nul), List.of(clef))));
    CoderProperties.coderDecodeEncodeEqual(ItemsetsCoder.of(), freq);
    CoderProperties.coderDeterministic(ItemsetsCoder.of(), freq, freq);
    byte[] bytes = CoderUtils.encodeToByteArray(ItemsetsCoder.of(), freq);
    Itemsets back = CoderUtils.decodeFromByteArray(ItemsetsCoder.of(), bytes);
    assertArrayEquals(freq.itemNames(), back.itemNames());
    assertEquals(freq, back);
    // Each name is its varint length then its UTF-8 bytes: the 4-byte sequence of U+1F600 is in.
    byte[] utf8 = clef.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(4, utf8.length);
    boolean found = false;
    for (int i = 0; i + utf8.length <= bytes.length && !found; i++) {
      found = java.util.Arrays.equals(bytes, i, i + utf8.length, utf8, 0, utf8.length);
    }
    assertEquals(true, found, "the clef as standard UTF-8");
  }

  @Test
  void withoutNamesAndEmpty() throws Exception {
    Itemsets ids =
        ItemsetMiner.minCount(1)
            .mine(TransactionDb.fromCsr(new int[] {0, 2, 3}, new int[] {0, 4, 4}, null));
    CoderProperties.coderDecodeEncodeEqual(ItemsetsCoder.of(), ids);
    CoderProperties.coderSerializable(ItemsetsCoder.of());
  }
}
