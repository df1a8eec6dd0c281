package io.rusket.beam.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The test oracle for sequential patterns: every pattern contained in a sequence is enumerated by
 * choosing its steps (ascending step indices, within maxGap of each other) and a non-empty subset
 * of each chosen step, the patterns of one sequence collected in a set, and the sets counted.
 * Obviously correct and exponential, so for small sequences only.
 *
 * <p>A pattern is written as its key: the steps' ascending item ids joined by spaces, steps joined
 * by {@code |}, e.g. {@code "1 3|2"} for {@code <(1 3)(2)>}.
 */
public final class BruteForceSequences {
  private BruteForceSequences() {}

  /**
   * Every pattern of at most {@code maxLen} items contained in at least {@code minCount} sequences
   * (steps of {@code seqs[s][t]} with distinct items), with its count; maxGap ≤ 0 means none.
   */
  public static Map<String, Long> frequent(int[][][] seqs, long minCount, int maxLen, int maxGap) {
    Map<String, Long> counts = new TreeMap<>();
    for (int[][] seq : seqs) {
      Set<String> found = new HashSet<>();
      enumerate(seq, -1, new ArrayList<>(), 0, maxLen, maxGap, found);
      for (String p : found) {
        counts.merge(p, 1L, Long::sum);
      }
    }
    counts.values().removeIf(c -> c < minCount);
    return counts;
  }

  private static void enumerate(
      int[][] seq,
      int lastStep,
      List<int[]> pattern,
      int items,
      int maxLen,
      int maxGap,
      Set<String> found) {
    int to = lastStep < 0 || maxGap <= 0 ? seq.length : Math.min(seq.length, lastStep + maxGap + 1);
    for (int j = lastStep + 1; j < to; j++) {
      int[] step = sortedDistinct(seq[j]);
      for (int mask = 1; mask < (1 << step.length); mask++) {
        int bits = Integer.bitCount(mask);
        if (items + bits > maxLen) {
          continue;
        }
        int[] sub = new int[bits];
        int w = 0;
        for (int k = 0; k < step.length; k++) {
          if ((mask & (1 << k)) != 0) {
            sub[w++] = step[k];
          }
        }
        pattern.add(sub);
        found.add(key(pattern));
        enumerate(seq, j, pattern, items + bits, maxLen, maxGap, found);
        pattern.remove(pattern.size() - 1);
      }
    }
  }

  private static int[] sortedDistinct(int[] a) {
    return java.util.Arrays.stream(a).distinct().sorted().toArray();
  }

  /** The key of a pattern given as steps of item ids (each step ascending). */
  public static String key(List<int[]> steps) {
    StringBuilder b = new StringBuilder();
    for (int t = 0; t < steps.size(); t++) {
      if (t > 0) {
        b.append('|');
      }
      int[] st = steps.get(t);
      for (int k = 0; k < st.length; k++) {
        if (k > 0) {
          b.append(' ');
        }
        b.append(st[k]);
      }
    }
    return b.toString();
  }

  /** The key of a pattern given as steps of item ids (each step ascending). */
  public static String key(int[][] steps) {
    return key(java.util.Arrays.asList(steps));
  }

  /**
   * A random database of {@code n} sequences of up to {@code maxSteps} steps, each of 1 to {@code
   * maxStepItems} items (possibly repeated) over items {@code 0 .. nItems-1}.
   */
  public static int[][][] random(Random rnd, int n, int nItems, int maxSteps, int maxStepItems) {
    int[][][] out = new int[n][][];
    for (int s = 0; s < n; s++) {
      out[s] = new int[rnd.nextInt(maxSteps + 1)][];
      for (int t = 0; t < out[s].length; t++) {
        out[s][t] = new int[1 + rnd.nextInt(maxStepItems)];
        for (int k = 0; k < out[s][t].length; k++) {
          out[s][t][k] = rnd.nextInt(nItems);
        }
      }
    }
    return out;
  }
}
