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
   * Random databases of short, mixed (every width class: 8, 16, 32, 64 steps and more, F0) and long
   * sequences (up to 4 bitmap words), with and without maxGap, on every path: presence words and
   * co-occurrence maps (the default), presence words only, neither (the general loops), each with
   * children projected together or one by one, with the pairs counted on one thread or several, and
   * with the list entries carrying copies of their blocks or not.
   */
  @Test
  void sameOrderAsPseudoProjection() {
    int savedPresence = SequenceMiner.presenceMaxWords;
    long savedPairs = SequenceMiner.cmapMaxPairs;
    int savedBudget = SequenceMiner.projectBudget;
    long savedParallel = SequenceMiner.parallelPairs;
    int savedCopy = SequenceMiner.copyMinWords;
    try {
      long nonTrivial = 0;
      long multiWord = 0;
      long mixedClasses = 0;
      int classesSeen = 0;
      for (int seed = 0; seed < 450; seed++) {
        Random rnd = new Random(seed);
        boolean longSeqs = seed % 3 == 0;
        boolean mixed = seed % 3 == 1;
        int n = 1 + rnd.nextInt(longSeqs ? 12 : mixed ? 25 : 60);
        int nItems = 1 + rnd.nextInt(longSeqs || mixed ? 8 : 20);
        int maxSteps =
            longSeqs ? 60 + rnd.nextInt(190) : mixed ? 20 + rnd.nextInt(60) : 1 + rnd.nextInt(10);
        int[][][] seqs = BruteForceSequences.random(rnd, n, nItems, maxSteps, 1 + rnd.nextInt(3));
        long minCount = 1 + rnd.nextInt(Math.max(1, n / 2));
        int maxLen = longSeqs || mixed ? 1 + rnd.nextInt(3) : 1 + rnd.nextInt(6);
        int maxGap = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 100);
        int threads = 1 + rnd.nextInt(3);
        int path = seed % 4; // 0: default, 1: no co-occurrence maps, 2: no presence, 3: budget 1
        SequenceMiner.presenceMaxWords = path == 2 ? 0 : savedPresence;
        SequenceMiner.cmapMaxPairs = path == 1 ? -1 : savedPairs;
        SequenceMiner.projectBudget = path == 3 ? 1 : savedBudget;
        SequenceMiner.parallelPairs = seed % 2 == 1 ? 1 : savedParallel;
        SequenceMiner.copyMinWords = seed / 2 % 2 == 0 ? 0 : Integer.MAX_VALUE;
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
          SequenceMiner.Flat flat = new SequenceMiner.Flat(db, (int) minCount, maxGap);
          if (flat.maxWords > 1) {
            multiWord++;
          }
          int classes = 0;
          for (int c = 0; c <= SequenceMiner.LONG_CLASS; c++) {
            if (flat.classStart[c + 1] > flat.classStart[c]) {
              classes |= 1 << c;
            }
          }
          classesSeen |= classes;
          if (Integer.bitCount(classes) >= 3) {
            mixedClasses++;
          }
        }
      }
      assertTrue(nonTrivial > 90, "non-trivial databases: " + nonTrivial);
      assertTrue(multiWord > 20, "non-trivial databases with several bitmap words: " + multiWord);
      assertEquals(31, classesSeen, "width classes seen: " + Integer.toBinaryString(classesSeen));
      assertTrue(mixedClasses > 20, "databases of three width classes or more: " + mixedClasses);
    } finally {
      SequenceMiner.presenceMaxWords = savedPresence;
      SequenceMiner.cmapMaxPairs = savedPairs;
      SequenceMiner.projectBudget = savedBudget;
      SequenceMiner.parallelPairs = savedParallel;
      SequenceMiner.copyMinWords = savedCopy;
    }
  }

  /**
   * With several threads the first-level prefixes with the most work are split into tasks over
   * consecutive ranges of their children (covering each prefix's children in order, the first
   * delivering the prefix); the output stays that of one thread.
   */
  @Test
  void tasksSplitBigPrefixesAndKeepTheOrder() {
    long split = 0;
    int savedCopy = SequenceMiner.copyMinWords;
    try {
      for (int seed = 0; seed < 40; seed++) {
        SequenceMiner.copyMinWords = seed % 2 == 0 ? 0 : Integer.MAX_VALUE; // copies, or none
        Random rnd = new Random(2000 + seed);
        int n = 100 + rnd.nextInt(300);
        int[][][] seqs =
            BruteForceSequences.random(rnd, n, 3 + rnd.nextInt(10), 1 + rnd.nextInt(8), 3);
        long minCount = 1 + rnd.nextInt(n / 4);
        int maxLen = 3 + rnd.nextInt(3);
        SequenceDb db = SequenceDb.fromIntSequences(seqs, null);
        SequenceMiner.Flat flat = new SequenceMiner.Flat(db, (int) minCount, 0);
        if (flat.nFrequent == 0) {
          continue;
        }
        String ctx = "seed=" + seed + " minCount=" + minCount + " maxLen=" + maxLen;
        assertEquals(flat.nFrequent, SequenceMiner.Tasks.plan(flat, maxLen, 1).size(), ctx);
        int threads = 2 + rnd.nextInt(3);
        SequenceMiner.Tasks t = SequenceMiner.Tasks.plan(flat, maxLen, threads);
        int k = 0;
        for (int x = 0; x < flat.nFrequent; x++) {
          assertEquals(x, t.x[k], ctx + ": first task of " + x);
          assertEquals(0, t.lo[k], ctx + ": first task of " + x);
          while (t.hi[k] != Integer.MAX_VALUE) {
            assertTrue(t.hi[k] > t.lo[k], ctx + ": task " + k + " is empty");
            assertEquals(x, t.x[k + 1], ctx + ": task " + (k + 1));
            assertEquals(t.hi[k], t.lo[k + 1], ctx + ": task " + (k + 1) + " continues " + k);
            k++;
          }
          k++;
        }
        assertEquals(t.size(), k, ctx + ": tasks");
        split += t.size() > flat.nFrequent ? 1 : 0;
        SequenceMiner m = SequenceMiner.minCount(minCount).withMaxPatternLength(maxLen);
        assertSameList(delivered(db, m.withThreads(1)), delivered(db, m.withThreads(threads)), ctx);
      }
    } finally {
      SequenceMiner.copyMinWords = savedCopy;
    }
    assertTrue(split > 20, "databases whose prefixes were split: " + split);
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
