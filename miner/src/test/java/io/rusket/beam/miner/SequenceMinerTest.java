package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.BruteForceSequences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** SequenceMiner against the brute-force oracle, a hand-checked example and its contracts. */
class SequenceMinerTest {
  private static final int SEEDS = 400;

  static Map<String, Long> asMap(SequencePatterns p) {
    Map<String, Long> m = new TreeMap<>();
    for (int i = 0; i < p.size(); i++) {
      Long old = m.put(BruteForceSequences.key(p.steps(i)), p.count(i));
      if (old != null) {
        throw new AssertionError("pattern delivered twice: " + Arrays.deepToString(p.steps(i)));
      }
    }
    return m;
  }

  @Test
  void matchesBruteForceOnRandomData() {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      int nItems = 1 + rnd.nextInt(6);
      int n = rnd.nextInt(25);
      int[][][] seqs = BruteForceSequences.random(rnd, n, nItems, 1 + rnd.nextInt(5), 3);
      // Thresholds at every count boundary over the seeds.
      long minCount = 1 + (n == 0 ? 0 : rnd.nextInt(Math.max(1, n / 2)));
      int maxLen = rnd.nextBoolean() ? 8 : 1 + rnd.nextInt(4);
      int maxGap = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(3);
      int threads = 1 + rnd.nextInt(3);
      String ctx =
          "seed="
              + seed
              + " n="
              + n
              + " items="
              + nItems
              + " minCount="
              + minCount
              + " maxLen="
              + maxLen
              + " maxGap="
              + maxGap
              + " threads="
              + threads;
      SequenceMiner m =
          SequenceMiner.minCount(minCount).withMaxPatternLength(maxLen).withThreads(threads);
      if (maxGap > 0) {
        m = m.withMaxGap(maxGap);
      }
      SequencePatterns got = m.mine(SequenceDb.fromIntSequences(seqs, null));
      assertEquals(BruteForceSequences.frequent(seqs, minCount, maxLen, maxGap), asMap(got), ctx);
      for (int i = 0; i < got.size(); i++) {
        assertTrue(got.itemCount(i) <= maxLen, ctx);
        assertEquals(got.count(i) / (double) n, got.support(i), 0.0, ctx);
      }
    }
  }

  /** Events into both step models, checked against steps assembled by hand. */
  @Test
  void eventsInBothStepModelsMatchBruteForce() {
    for (int seed = 0; seed < 200; seed++) {
      Random rnd = new Random(seed);
      int nSeq = 1 + rnd.nextInt(12);
      int nItems = 1 + rnd.nextInt(5);
      int n = rnd.nextInt(40);
      int[] seq = new int[n];
      long[] time = new long[n];
      int[] item = new int[n];
      for (int e = 0; e < n; e++) {
        seq[e] = rnd.nextInt(nSeq);
        time[e] = rnd.nextInt(4) - 2L; // few distinct times: many ties, negative ones too
        item[e] = rnd.nextInt(nItems);
      }
      for (boolean single : new boolean[] {false, true}) {
        int[][][] want = new int[nSeq][][];
        for (int s = 0; s < nSeq; s++) {
          List<int[]> steps = new ArrayList<>();
          for (long t = -2; t < 2; t++) {
            boolean[] has = new boolean[nItems];
            for (int e = 0; e < n; e++) {
              if (seq[e] == s && time[e] == t) {
                has[item[e]] = true;
              }
            }
            List<Integer> step = new ArrayList<>();
            for (int i = 0; i < nItems; i++) {
              if (has[i]) {
                step.add(i);
              }
            }
            if (single) {
              for (int i : step) {
                steps.add(new int[] {i});
              }
            } else if (!step.isEmpty()) {
              steps.add(step.stream().mapToInt(Integer::intValue).toArray());
            }
          }
          want[s] = steps.toArray(new int[0][]);
        }
        SequenceDb db = SequenceDb.fromEvents(seq, time, item, n, nSeq, null, single);
        String ctx = "seed=" + seed + " single=" + single;
        assertEquals(nSeq, db.size(), ctx);
        for (int s = 0; s < nSeq; s++) {
          assertEquals(want[s].length, db.steps(s), ctx + " steps of " + s);
          for (int t = 0; t < want[s].length; t++) {
            assertArrayEquals(want[s][t], db.step(s, t), ctx + " step " + t + " of " + s);
          }
        }
        long minCount = 1 + rnd.nextInt(Math.max(1, nSeq / 2));
        int maxGap = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(2);
        SequenceMiner m = SequenceMiner.minCount(minCount).withMaxPatternLength(5);
        if (maxGap > 0) {
          m = m.withMaxGap(maxGap);
        }
        assertEquals(
            BruteForceSequences.frequent(want, minCount, 5, maxGap), asMap(m.mine(db)), ctx);
      }
    }
  }

  /** Spark MLlib's documented example, checked by hand (see the comments). */
  @Test
  void handCheckedExample() {
    SequenceDb db =
        SequenceDb.fromIntSequences(
            new int[][][] {
              {{1, 2}, {3}}, {{1}, {3, 2}, {1, 2}}, {{1, 2}, {5}}, {{6}},
            },
            null);
    // N = 4, minCount = ceil(0.5 × 4) = 2. 1 and 2 are in the first three sequences, 3 in two;
    // (1 2) in one step: sequences 1, 2 (its last step), 3; <(1)(3)>: sequences 1 and 2. Every
    // other pattern occurs once: e.g. <(1 2)(3)> only in sequence 1 (in sequence 2, (1 2) is last).
    Map<String, Long> want = new TreeMap<>();
    want.put("1", 3L);
    want.put("2", 3L);
    want.put("3", 2L);
    want.put("1 2", 3L);
    want.put("1|3", 2L);
    assertEquals(want, asMap(SequenceMiner.minSupport(0.5).withMaxPatternLength(5).mine(db)));
    // Gap 1: <(1)(3)> still holds (adjacent in both); maxPatternLength 1: single items only.
    assertEquals(want, asMap(SequenceMiner.minSupport(0.5).withMaxGap(1).mine(db)));
    Map<String, Long> singles = new TreeMap<>(want);
    singles.remove("1 2");
    singles.remove("1|3");
    assertEquals(singles, asMap(SequenceMiner.minSupport(0.5).withMaxPatternLength(1).mine(db)));
    // A gap constraint that matters: <(a)(b)> with b two steps after a.
    SequenceDb gap = SequenceDb.fromIntSequences(new int[][][] {{{0}, {2}, {1}}, {{0}, {1}}}, null);
    assertEquals(2L, asMap(SequenceMiner.minCount(2).mine(gap)).get("0|1"));
    assertEquals(null, asMap(SequenceMiner.minCount(2).withMaxGap(1).mine(gap)).get("0|1"));
    assertEquals(2L, asMap(SequenceMiner.minCount(2).withMaxGap(2).mine(gap)).get("0|1"));
  }

  /** The exact ceiling: 0.07 × 100 is 7 (floating point says 7.000000000000001, Spark's 8). */
  @Test
  void minSupportAtTheCountBoundary() {
    int[][][] seqs = new int[100][][];
    for (int s = 0; s < 100; s++) {
      seqs[s] = s < 7 ? new int[][] {{0}, {1}} : new int[][] {{2}};
    }
    SequenceDb db = SequenceDb.fromIntSequences(seqs, null);
    assertEquals(7, SequenceMiner.minSupport(0.07).minCountFor(100));
    assertTrue(Math.ceil(0.07 * 100) == 8.0, "floating point ceiling differs");
    Map<String, Long> got = asMap(SequenceMiner.minSupport(0.07).mine(db));
    assertEquals(7L, got.get("0|1"));
    assertEquals(null, asMap(SequenceMiner.minSupport(0.08).mine(db)).get("0|1"));
    assertEquals(null, asMap(SequenceMiner.minCount(8).mine(db)).get("0"));
  }

  @Test
  void edgeCases() {
    SequenceDb empty = SequenceDb.fromIntSequences(new int[0][][], null);
    assertEquals(0, SequenceMiner.minSupport(0.5).mine(empty).size());
    SequenceDb noSteps = SequenceDb.fromIntSequences(new int[][][] {{}, {}}, null);
    assertEquals(0, SequenceMiner.minCount(1).mine(noSteps).size());
    // One sequence, one item repeated in every step: patterns <(0)>, <(0)(0)>, <(0)(0)(0)>.
    SequenceDb rep = SequenceDb.fromIntSequences(new int[][][] {{{0, 0}, {0}, {0}}}, null);
    assertEquals(
        Map.of("0", 1L, "0|0", 1L, "0|0|0", 1L), asMap(SequenceMiner.minCount(1).mine(rep)));
    // The threshold above N: nothing.
    assertEquals(0, SequenceMiner.minCount(2).mine(rep).size());
  }

  /** Output order is the same for 1 and several threads, with helpers forced on tiny tasks. */
  @Test
  void outputIndependentOfThreads() {
    long saved = OrderedTasks.spawnAfterNanos;
    OrderedTasks.spawnAfterNanos = 0;
    try {
      Random rnd = new Random(7);
      int[][][] seqs = BruteForceSequences.random(rnd, 400, 30, 8, 3);
      SequenceDb db = SequenceDb.fromIntSequences(seqs, null);
      for (Integer gap : new Integer[] {null, 2}) {
        SequenceMiner m = SequenceMiner.minCount(8).withMaxPatternLength(6);
        if (gap != null) {
          m = m.withMaxGap(gap);
        }
        SequencePatterns one = m.withThreads(1).mine(db);
        assertTrue(one.size() > 100, "a non-trivial result: " + one.size());
        for (int threads : new int[] {2, 4}) {
          SequencePatterns many = m.withThreads(threads).mine(db);
          assertEquals(one.size(), many.size());
          for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.tokens(i), many.tokens(i), "pattern " + i);
            assertEquals(one.count(i), many.count(i), "count " + i);
          }
        }
      }
    } finally {
      OrderedTasks.spawnAfterNanos = saved;
    }
  }

  @Test
  void namesAndValidation() {
    SequenceDb db =
        SequenceDb.fromStringSequences(
            List.of(
                List.of(List.of("milk", "bread"), List.of("eggs")),
                List.of(List.of("bread"), List.of("eggs", "eggs"))));
    SequencePatterns p = SequenceMiner.minCount(2).mine(db).canonical();
    List<String> got = new ArrayList<>();
    for (int i = 0; i < p.size(); i++) {
      got.add(Arrays.deepToString(p.names(i)) + "=" + p.count(i));
    }
    assertEquals(List.of("[[bread]]=2", "[[eggs]]=2", "[[bread], [eggs]]=2"), got);
    assertEquals(
        "Invalid minSupport: 0.0. Valid range is (0, 1].",
        assertThrows(IllegalArgumentException.class, () -> SequenceMiner.minSupport(0))
            .getMessage());
    assertEquals(
        "Invalid maxGap: 0. Valid range is [1, 2147483647].",
        assertThrows(IllegalArgumentException.class, () -> SequenceMiner.minCount(1).withMaxGap(0))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> SequenceMiner.minCount(1).withMaxPatternLength(0));
    assertThrows(IllegalArgumentException.class, () -> SequenceMiner.minCount(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> SequenceDb.fromIntSequences(new int[][][] {{{}}}, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SequenceDb.fromEvents(new int[] {3}, new long[] {0}, new int[] {0}, 1, 2, null, false));
  }
}
