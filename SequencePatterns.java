package io.rusket.beam.miner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A collected set of frequent sequential patterns: the tokens of each pattern (as {@link
 * SequenceSink} writes them) in compressed sparse rows, one count per pattern, the number of
 * sequences mined (N) and the item names. Support is {@code count / N}.
 */
public final class SequencePatterns {
  private final int size;
  private final int[] offsets;
  private final int[] tokens;
  private final long[] counts;
  private final long nSequences;
  private final String[] itemNames;

  private SequencePatterns(
      int size, int[] offsets, int[] tokens, long[] counts, long nSequences, String[] names) {
    this.size = size;
    this.offsets = offsets;
    this.tokens = tokens;
    this.counts = counts;
    this.nSequences = nSequences;
    this.itemNames = names;
  }

  /** A collector for the patterns of a database of {@code nSequences} sequences. */
  public static Collector collector(long nSequences, String[] itemNames) {
    return new Collector(nSequences, itemNames);
  }

  /** Number of patterns. */
  public int size() {
    return size;
  }

  /** Number of sequences N that supports are relative to. */
  public long nSequences() {
    return nSequences;
  }

  /** Number of sequences containing pattern {@code i}. */
  public long count(int i) {
    check(i);
    return counts[i];
  }

  /** Support of pattern {@code i}: count / N. */
  public double support(int i) {
    check(i);
    return counts[i] / (double) nSequences;
  }

  /** A copy of pattern {@code i}'s tokens (items and {@link SequenceSink#STEP_END}). */
  public int[] tokens(int i) {
    check(i);
    return Arrays.copyOfRange(tokens, offsets[i], offsets[i + 1]);
  }

  /** Pattern {@code i} as steps of item ids. */
  public int[][] steps(int i) {
    return steps(tokens(i));
  }

  /** Number of items of pattern {@code i} (its length, as {@code maxPatternLength} counts). */
  public int itemCount(int i) {
    check(i);
    int n = 0;
    for (int k = offsets[i]; k < offsets[i + 1]; k++) {
      if (tokens[k] != SequenceSink.STEP_END) {
        n++;
      }
    }
    return n;
  }

  /** Pattern {@code i} as steps of item names (ids in decimal when items carry no names). */
  public String[][] names(int i) {
    int[][] st = steps(i);
    String[][] out = new String[st.length][];
    for (int t = 0; t < st.length; t++) {
      out[t] = new String[st[t].length];
      for (int k = 0; k < st[t].length; k++) {
        out[t][k] = itemNames == null ? Integer.toString(st[t][k]) : itemNames[st[t][k]];
      }
    }
    return out;
  }

  /** Splits tokens into steps. */
  public static int[][] steps(int[] tok) {
    List<int[]> out = new ArrayList<>();
    int from = 0;
    for (int k = 0; k <= tok.length; k++) {
      if (k == tok.length || tok[k] == SequenceSink.STEP_END) {
        out.add(Arrays.copyOfRange(tok, from, k));
        from = k + 1;
      }
    }
    return out.toArray(new int[0][]);
  }

  /** The patterns sorted by tokens (shorter first, then lexicographically), for comparisons. */
  public SequencePatterns canonical() {
    Integer[] idx = new Integer[size];
    for (int i = 0; i < size; i++) {
      idx[i] = i;
    }
    Comparator<Integer> cmp =
        (a, b) -> {
          int la = offsets[a + 1] - offsets[a];
          int lb = offsets[b + 1] - offsets[b];
          if (la != lb) {
            return Integer.compare(la, lb);
          }
          return Arrays.compare(
              tokens, offsets[a], offsets[a + 1], tokens, offsets[b], offsets[b + 1]);
        };
    Arrays.sort(idx, cmp);
    Collector c = new Collector(nSequences, itemNames);
    for (Integer i : idx) {
      int[] t = tokens(i);
      c.accept(t, t.length, counts[i]);
    }
    return c.build();
  }

  private void check(int i) {
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException("Invalid pattern " + i + " of " + size);
    }
  }

  /** Collects patterns from a miner. */
  public static final class Collector implements SequenceSink {
    private final long nSequences;
    private final String[] names;
    private int size;
    private int[] offsets = new int[16];
    private int[] tokens = new int[64];
    private long[] counts = new long[16];

    private Collector(long nSequences, String[] names) {
      this.nSequences = nSequences;
      this.names = names;
    }

    @Override
    public void accept(int[] tok, int length, long count) {
      int end = offsets[size];
      tokens = ArrayUtil.grow(tokens, (long) end + length);
      System.arraycopy(tok, 0, tokens, end, length);
      counts = ArrayUtil.grow(counts, size + 1L);
      counts[size] = count;
      offsets = ArrayUtil.grow(offsets, size + 2L);
      offsets[++size] = end + length;
    }

    /** The patterns collected so far. */
    public SequencePatterns build() {
      return new SequencePatterns(
          size,
          Arrays.copyOf(offsets, size + 1),
          Arrays.copyOf(tokens, offsets[size]),
          Arrays.copyOf(counts, size),
          nSequences,
          names);
    }
  }
}
