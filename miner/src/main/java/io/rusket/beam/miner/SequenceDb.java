package io.rusket.beam.miner;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A database of sequences for {@link SequenceMiner}: each sequence is a list of steps (itemsets),
 * each step a set of items, held in primitive compressed sparse rows: sequence → steps → items.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>S1</b> {@code seqStart} has length {@code size()+1}, starts at 0 and is non-decreasing:
 *       sequence {@code s} holds steps {@code [seqStart[s], seqStart[s+1])} (a sequence may have no
 *       step).
 *   <li><b>S2</b> {@code stepStart} has length {@code nSteps+1}, starts at 0 and is strictly
 *       increasing: step {@code t} holds items {@code items[stepStart[t], stepStart[t+1])}, at
 *       least one.
 *   <li><b>S3</b> the items of a step are distinct and ascending item ids in {@code [0, nItems)}.
 * </ul>
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // customer 1: (bread milk) then (eggs); customer 2: (bread) then (eggs) then (milk)
 * SequenceDb db = SequenceDb.fromStringSequences(List.of(
 *     List.of(List.of("bread", "milk"), List.of("eggs")),
 *     List.of(List.of("bread"), List.of("eggs"), List.of("milk"))));
 * }</pre>
 *
 * <p>Or from long-format events {@link #fromEvents (sequence, time, item)}: the events of one
 * sequence with the same time form one step (Spark MLlib's model: a sequence of itemsets), or, with
 * {@code singleItemSteps}, every distinct (time, item) is a step of its own, ties of one time
 * ordered by item id (rusket's model). A repeated item inside a step counts once.
 */
public final class SequenceDb {
  private final int size;
  private final int[] seqStart;
  private final int[] stepStart;
  private final int[] items;
  private final int nItems;
  private final String[] itemNames; // null: ids only

  private SequenceDb(int[] seqStart, int[] stepStart, int[] items, int nItems, String[] names) {
    this.size = seqStart.length - 1;
    this.seqStart = seqStart;
    this.stepStart = stepStart;
    this.items = items;
    this.nItems = nItems;
    this.itemNames = names;
  }

  /** Number of sequences N (supports are relative to it). */
  public int size() {
    return size;
  }

  /** Number of distinct item ids: {@code 0 .. nItems()-1}. */
  public int nItems() {
    return nItems;
  }

  /** Total number of steps. */
  public int nSteps() {
    return stepStart.length - 1;
  }

  /** Total number of item occurrences. */
  public int nOccurrences() {
    return items.length;
  }

  /** Number of steps of sequence {@code s}. */
  public int steps(int s) {
    checkSeq(s);
    return seqStart[s + 1] - seqStart[s];
  }

  /** The items of step {@code t} of sequence {@code s}, ascending ids (a copy). */
  public int[] step(int s, int t) {
    checkSeq(s);
    if (t < 0 || t >= seqStart[s + 1] - seqStart[s]) {
      throw new IllegalArgumentException(
          "Invalid step " + t + " of sequence " + s + " with " + steps(s) + " steps");
    }
    int g = seqStart[s] + t;
    return Arrays.copyOfRange(items, stepStart[g], stepStart[g + 1]);
  }

  /** The name of an item id, or the id in decimal when items carry no names. */
  public String itemName(int item) {
    return itemNames == null ? Integer.toString(item) : itemNames[item];
  }

  /** A copy of the item names (index = item id), or null. */
  public String[] itemNames() {
    return itemNames == null ? null : itemNames.clone();
  }

  /** Bytes of the arrays. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + RamUsage.sizeOf(seqStart)
        + RamUsage.sizeOf(stepStart)
        + RamUsage.sizeOf(items)
        + (itemNames == null ? 0 : RamUsage.sizeOf(itemNames));
  }

  // package-private views for the miner (no copies)
  int[] seqStartArray() {
    return seqStart;
  }

  int[] stepStartArray() {
    return stepStart;
  }

  int[] itemsArray() {
    return items;
  }

  private void checkSeq(int s) {
    if (s < 0 || s >= size) {
      throw new IllegalArgumentException("Invalid sequence " + s + " of " + size);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Construction

  /**
   * Sequences given as lists of steps of item ids ({@code seqs[s][t]} the items of step t of
   * sequence s, any order, repeats count once). An empty step is an error: a step has at least one
   * item.
   *
   * @param itemNames names by item id, or null; when given, every id must be below its length
   * @throws IllegalArgumentException for a negative id, an id without a name, or an empty step
   */
  public static SequenceDb fromIntSequences(int[][][] seqs, String[] itemNames) {
    Objects.requireNonNull(seqs, "seqs");
    Builder b = new Builder();
    for (int s = 0; s < seqs.length; s++) {
      for (int t = 0; t < seqs[s].length; t++) {
        int[] step = seqs[s][t];
        if (step.length == 0) {
          throw new IllegalArgumentException("Empty step " + t + " in sequence " + s);
        }
        for (int item : step) {
          if (item < 0 || (itemNames != null && item >= itemNames.length)) {
            throw new IllegalArgumentException(
                "Invalid item id " + item + " in step " + t + " of sequence " + s);
          }
        }
        b.addStep(step, step.length);
      }
      b.endSequence();
    }
    return b.build(itemNames);
  }

  /**
   * Sequences of steps of item names; item ids follow ascending name order ({@link
   * String#compareTo}).
   */
  public static SequenceDb fromStringSequences(List<? extends List<? extends List<String>>> seqs) {
    Objects.requireNonNull(seqs, "seqs");
    TreeMap<String, Integer> ids = new TreeMap<>();
    for (List<? extends List<String>> seq : seqs) {
      for (List<String> step : seq) {
        for (String item : step) {
          ids.put(Objects.requireNonNull(item, "item"), 0);
        }
      }
    }
    String[] names = new String[ids.size()];
    int k = 0;
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      names[k] = e.getKey();
      e.setValue(k++);
    }
    int[][][] out = new int[seqs.size()][][];
    for (int s = 0; s < out.length; s++) {
      List<? extends List<String>> seq = seqs.get(s);
      out[s] = new int[seq.size()][];
      for (int t = 0; t < out[s].length; t++) {
        List<String> step = seq.get(t);
        out[s][t] = new int[step.size()];
        for (int i = 0; i < step.size(); i++) {
          out[s][t][i] = ids.get(step.get(i));
        }
      }
    }
    return fromIntSequences(out, names);
  }

  /**
   * Sequences from {@code n} long-format events: event {@code e} puts item {@code item[e]} into
   * sequence {@code seq[e]} at time {@code time[e]}. Sequences are numbered {@code 0 .. max(seq)}
   * (ids without events are empty sequences and count in N). Within a sequence, steps follow
   * ascending time; events of one time form one step, or with {@code singleItemSteps} one step per
   * distinct item, in ascending item id. The arrays are not modified.
   *
   * @param nSequences the number of sequences, at least {@code max(seq)+1}
   * @param itemNames names by item id, or null
   * @throws IllegalArgumentException for a negative or out-of-range sequence or item id
   */
  public static SequenceDb fromEvents(
      int[] seq,
      long[] time,
      int[] item,
      int n,
      int nSequences,
      String[] itemNames,
      boolean singleItemSteps) {
    if (n < 0 || n > seq.length || n > time.length || n > item.length) {
      throw new IllegalArgumentException("Invalid number of events: " + n);
    }
    // Counting sort of the events by sequence, then each sequence's events by (time, item).
    int[] start = new int[nSequences + 1];
    for (int e = 0; e < n; e++) {
      int s = seq[e];
      if (s < 0 || s >= nSequences) {
        throw new IllegalArgumentException(
            "Invalid sequence id "
                + s
                + " of event "
                + e
                + "; valid range is [0, "
                + nSequences
                + ")");
      }
      if (item[e] < 0 || (itemNames != null && item[e] >= itemNames.length)) {
        throw new IllegalArgumentException("Invalid item id " + item[e] + " of event " + e);
      }
      start[s + 1]++;
    }
    for (int s = 0; s < nSequences; s++) {
      start[s + 1] += start[s];
    }
    int[] order = new int[n];
    int[] fill = Arrays.copyOf(start, nSequences);
    for (int e = 0; e < n; e++) {
      order[fill[seq[e]]++] = e;
    }
    int[] tmp = new int[n];
    Builder b = new Builder();
    int[] stepBuf = new int[16];
    for (int s = 0; s < nSequences; s++) {
      int from = start[s];
      int to = start[s + 1];
      sortByTimeItem(order, tmp, from, to, time, item);
      int k = from;
      while (k < to) {
        long t = time[order[k]];
        int len = 0;
        while (k < to && time[order[k]] == t) {
          int it = item[order[k]];
          if (len == 0 || stepBuf[len - 1] != it) { // sorted: a repeat is adjacent
            if (singleItemSteps) {
              stepBuf[0] = it;
              b.addStep(stepBuf, 1);
              len = 1;
            } else {
              stepBuf = ArrayUtil.grow(stepBuf, len + 1L);
              stepBuf[len++] = it;
            }
          }
          k++;
        }
        if (!singleItemSteps) {
          b.addStep(stepBuf, len);
        }
      }
      b.endSequence();
    }
    return b.build(itemNames);
  }

  /** Stable merge sort of {@code order[from, to)} by (time, item) of the events it names. */
  private static void sortByTimeItem(
      int[] order, int[] tmp, int from, int to, long[] time, int[] item) {
    if (to - from < 2) {
      return;
    }
    if (to - from <= 16) {
      for (int i = from + 1; i < to; i++) {
        int v = order[i];
        int j = i - 1;
        while (j >= from && less(v, order[j], time, item)) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    sortByTimeItem(order, tmp, from, mid, time, item);
    sortByTimeItem(order, tmp, mid, to, time, item);
    if (!less(order[mid], order[mid - 1], time, item)) {
      return;
    }
    System.arraycopy(order, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && !less(tmp[j], tmp[i], time, item))) {
        order[k] = tmp[i++];
      } else {
        order[k] = tmp[j++];
      }
    }
  }

  private static boolean less(int a, int b, long[] time, int[] item) {
    return time[a] < time[b] || (time[a] == time[b] && item[a] < item[b]);
  }

  /** Appends steps and sequences; sorts and de-duplicates each step's items. */
  static final class Builder {
    private int[] seqStart = new int[16];
    private int nSeq;
    private int[] stepStart = new int[16];
    private int nSteps;
    private int[] items = new int[64];
    private int nOcc;
    private int maxItem = -1;

    /** Adds a step of {@code items[0, len)} (len ≥ 1) to the current sequence. */
    void addStep(int[] src, int len) {
      items = ArrayUtil.grow(items, (long) nOcc + len);
      System.arraycopy(src, 0, items, nOcc, len);
      Arrays.sort(items, nOcc, nOcc + len);
      int w = nOcc;
      for (int k = nOcc; k < nOcc + len; k++) {
        if (k == nOcc || items[k] != items[w - 1]) {
          items[w++] = items[k];
          maxItem = Math.max(maxItem, items[k]);
        }
      }
      nOcc = w;
      nSteps++;
      stepStart = ArrayUtil.grow(stepStart, nSteps + 1L);
      stepStart[nSteps] = nOcc;
    }

    void endSequence() {
      nSeq++;
      seqStart = ArrayUtil.grow(seqStart, nSeq + 1L);
      seqStart[nSeq] = nSteps;
    }

    SequenceDb build(String[] names) {
      int nItems = names != null ? names.length : maxItem + 1;
      return new SequenceDb(
          Arrays.copyOf(seqStart, nSeq + 1),
          Arrays.copyOf(stepStart, nSteps + 1),
          Arrays.copyOf(items, nOcc),
          nItems,
          names == null ? null : names.clone());
    }
  }
}
