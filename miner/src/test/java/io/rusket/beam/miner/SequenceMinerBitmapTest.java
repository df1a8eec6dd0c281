package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.BruteForceSequences;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SequenceMiner's vertical step bitmaps: the same patterns, counts and order as the former
 * pseudo-projection PrefixSpan ({@link PseudoProjectionPrefixSpan}), and sequences of more than 64
 * steps (several bitmap words) against brute force.
 */
class SequenceMinerBitmapTest {

  /** Every delivered pattern as "tokens=count", in delivery order. */
  static List<String> delivered(SequenceDb db, SequenceMiner m) {
    List<String> out = new ArrayList<>();
    m.mine(db, (tok, len, count) -> out.add(key(tok, len) + "=" + count));
    return out;
  }

  static List<String> oracle(SequenceDb db, long minCount, int maxLen, int maxGap) {
    List<String> out = new ArrayList<>();
    PseudoProjectionPrefixSpan.mine(
        db, minCount, maxLen, maxGap, (tok, len, count) -> out.add(key(tok, len) + "=" + count));
    return out;
  }

  /** Equal lists, or a message naming the first difference. */
  static void assertSameList(List<String> want, List<String> got, String ctx) {
    for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
      assertEquals(want.get(i), got.get(i), ctx + ": pattern " + i);
    }
    assertEquals(want.size(), got.size(), ctx + ": number of patterns");
  }

  static String key(int[] tok, int len) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < len; k++) {
      b.append(k == 0 ? "" : " ").append(tok[k]);
    }
    return b.toString();
  }

  /** Random databases, short and long sequences (up to 3 words), with and without maxGap. */
  @Test
  void sameOrderAsPseudoProjection() {
    long nonTrivial = 0;
    for (int seed = 0; seed < 300; seed++) {
      Random rnd = new Random(seed);
      boolean longSeqs = seed % 3 == 0;
      int n = 1 + rnd.nextInt(longSeqs ? 12 : 60);
      int nItems = 1 + rnd.nextInt(longSeqs ? 8 : 20);
      int maxSteps = longSeqs ? 60 + rnd.nextInt(140) : 1 + rnd.nextInt(10);
      int[][][] seqs = BruteForceSequences.random(rnd, n, nItems, maxSteps, 1 + rnd.nextInt(3));
      long minCount = 1 + rnd.nextInt(Math.max(1, n / 2));
      int maxLen = longSeqs ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(6);
      int maxGap = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 100);
      int threads = 1 + rnd.nextInt(3);
      String ctx =
          "seed=" + seed + " n=" + n + " minCount=" + minCount + " maxLen=" + maxLen + " maxGap="
              + maxGap;
      SequenceDb db = SequenceDb.fromIntSequences(seqs, null);
      SequenceMiner m =
          SequenceMiner.minCount(minCount).withMaxPatternLength(maxLen).withThreads(threads);
      if (maxGap > 0) {
        m = m.withMaxGap(maxGap);
      }
      List<String> want = oracle(db, minCount, maxLen, maxGap);
      assertSameList(want, delivered(db, m), ctx);
      nonTrivial += want.size() > 20 ? 1 : 0;
    }
    assertTrue(nonTrivial > 100, "non-trivial databases: " + nonTrivial);
  }
}
