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

  /**
   * Random databases, short and long sequences (up to 4 bitmap words), with and without maxGap, on
   * every path: presence words and co-occurrence maps (the default), presence words only, neither
   * (the general loops), each with children projected together or one by one.
   */
  @Test
  void sameOrderAsPseudoProjection() {
    int savedPresence = SequenceMiner.presenceMaxWords;
    long savedPairs = SequenceMiner.cmapMaxPairs;
    int savedBudget = SequenceMiner.projectBudget;
    try {
      long nonTrivial = 0;
      long multiWord = 0;
      for (int seed = 0; seed < 300; seed++) {
        Random rnd = new Random(seed);
        boolean longSeqs = seed % 3 == 0;
        int n = 1 + rnd.nextInt(longSeqs ? 12 : 60);
        int nItems = 1 + rnd.nextInt(longSeqs ? 8 : 20);
        int maxSteps = longSeqs ? 60 + rnd.nextInt(190) : 1 + rnd.nextInt(10);
        int[][][] seqs = BruteForceSequences.random(rnd, n, nItems, maxSteps, 1 + rnd.nextInt(3));
        long minCount = 1 + rnd.nextInt(Math.max(1, n / 2));
        int maxLen = longSeqs ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(6);
        int maxGap = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 100);
        int threads = 1 + rnd.nextInt(3);
        int path = seed % 4; // 0: default, 1: no co-occurrence maps, 2: no presence, 3: budget 1
        SequenceMiner.presenceMaxWords = path == 2 ? 0 : savedPresence;
        SequenceMiner.cmapMaxPairs = path == 1 ? -1 : savedPairs;
        SequenceMiner.projectBudget = path == 3 ? 1 : savedBudget;
        String ctx =
            "seed="
                + seed
                + " n="
                + n
                + " minCount="
                + minCount
                + " maxLen="
                + maxLen
                + " maxGap="
                + maxGap
                + " path="
                + path;
        SequenceDb db = SequenceDb.fromIntSequences(seqs, null);
        SequenceMiner m =
            SequenceMiner.minCount(minCount).withMaxPatternLength(maxLen).withThreads(threads);
        if (maxGap > 0) {
          m = m.withMaxGap(maxGap);
        }
        List<String> want = oracle(db, minCount, maxLen, maxGap);
        assertSameList(want, delivered(db, m), ctx);
        if (want.size() > 20) {
          nonTrivial++;
          if (new SequenceMiner.Flat(db, (int) minCount, maxGap).maxWords > 1) {
            multiWord++;
          }
        }
      }
      assertTrue(nonTrivial > 60, "non-trivial databases: " + nonTrivial);
      assertTrue(multiWord > 20, "non-trivial databases with several bitmap words: " + multiWord);
    } finally {
      SequenceMiner.presenceMaxWords = savedPresence;
      SequenceMiner.cmapMaxPairs = savedPairs;
      SequenceMiner.projectBudget = savedBudget;
    }
  }

  /**
   * Sequences of 60 to 200 steps (1 to 4 bitmap words; steps at 63/64/127/128 included) against
   * brute force, patterns of up to 2 items (3 with maxGap up to 3), with and without maxGap, and
   * one item per step so the oracle stays cheap.
   */
  @Test
  void longSequencesMatchBruteForce() {
    long multiWord = 0;
    for (int seed = 0; seed < 30; seed++) {
      Random rnd = new Random(1000 + seed);
      int n = 2 + rnd.nextInt(6);
      int nItems = 2 + rnd.nextInt(5);
      int[][][] seqs = new int[n][][];
      for (int s = 0; s < n; s++) {
        seqs[s] = new int[60 + rnd.nextInt(141)][];
        for (int t = 0; t < seqs[s].length; t++) {
          // a rare item late in the sequence: the last words matter
          int it = t >= 62 && rnd.nextInt(8) == 0 ? nItems : rnd.nextInt(nItems);
          seqs[s][t] = new int[] {it};
        }
      }
      long minCount = 1 + rnd.nextInt(n);
      int maxGap = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 90);
      // the oracle enumerates ~steps^maxLen embeddings: 3 items only with a small gap
      int maxLen = maxGap > 0 && maxGap <= 3 ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(2);
      SequenceMiner m = SequenceMiner.minCount(minCount).withMaxPatternLength(maxLen);
      if (maxGap > 0) {
        m = m.withMaxGap(maxGap);
      }
      SequenceDb db = SequenceDb.fromIntSequences(seqs, null);
      String ctx =
          "seed=" + seed + " minCount=" + minCount + " maxLen=" + maxLen + " gap=" + maxGap;
      assertEquals(
          BruteForceSequences.frequent(seqs, minCount, maxLen, maxGap),
          SequenceMinerTest.asMap(m.mine(db)),
          ctx);
      multiWord += new SequenceMiner.Flat(db, (int) minCount, maxGap).maxWords > 1 ? 1 : 0;
    }
    assertTrue(multiWord > 20, "databases with several bitmap words: " + multiWord);
  }

  /** The one-word s-extension mask against its definition, for every gap. */
  @Test
  void oneWordMaskMatchesItsDefinition() {
    Random rnd = new Random(5);
    for (int i = 0; i < 2000; i++) {
      long end = rnd.nextLong() & rnd.nextLong() & rnd.nextLong();
      if (end == 0) {
        end = 1L << rnd.nextInt(64);
      }
      for (int gap = 0; gap <= 70; gap++) {
        long want = 0;
        for (int t = 0; t < 64; t++) {
          for (int j = t + 1; j < 64; j++) {
            if ((end & (1L << t)) != 0 && (gap == 0 || j - t <= gap)) {
              want |= 1L << j;
            }
          }
        }
        assertEquals(
            want, SequenceMiner.sMask(end, gap), "end=" + Long.toBinaryString(end) + " gap=" + gap);
        long[] m = new long[1];
        SequenceMiner.sMask(gap, new long[] {end}, 0, 1, m);
        assertEquals(want, m[0], "multi-word form, gap=" + gap);
      }
    }
  }
}
