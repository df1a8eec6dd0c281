package io.rusket.beam.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random long-format sequence events {@code (group, sequence, time, item)} and their expected
 * patterns per group from {@link BruteForceSequences}, for the transform, pipeline and runner tests
 * (plain values: no Beam here).
 */
public final class SequenceData {
  /** One event. */
  public static final class Event {
    public final String group;
    public final long sequence;
    public final long time;
    public final String item;

    Event(String group, long sequence, long time, String item) {
      this.group = group;
      this.sequence = sequence;
      this.time = time;
      this.item = item;
    }

    @Override
    public String toString() {
      return group + "/" + sequence + "@" + time + ":" + item;
    }
  }

  public final List<Event> events;

  private SequenceData(List<Event> events) {
    this.events = events;
  }

  /**
   * {@code groups} groups of 1 to {@code maxSequences} sequences, each 1 to 4 steps of 1 to 3
   * events over 6 items, times with ties; the events shuffled.
   */
  public static SequenceData random(long seed, int groups, int maxSequences) {
    Random rnd = new Random(seed);
    List<Event> ev = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int nSeq = 1 + rnd.nextInt(maxSequences);
      for (int s = 0; s < nSeq; s++) {
        int steps = 1 + rnd.nextInt(4);
        long t = rnd.nextInt(3);
        for (int k = 0; k < steps; k++) {
          int n = 1 + rnd.nextInt(3);
          for (int e = 0; e < n; e++) {
            ev.add(new Event("g" + g, 1000L * g + s, t, "i" + rnd.nextInt(6)));
          }
          t += 1 + rnd.nextInt(3);
        }
      }
    }
    java.util.Collections.shuffle(ev, rnd);
    return new SequenceData(ev);
  }

  /**
   * The expected rows as text {@code group|count|sequences|[[a, b], [c]]} (group omitted when
   * {@code global}), threshold {@code minCount} or, when it is 0, the exact ceiling of {@code
   * minSupport} × N per group.
   */
  public List<String> expected(
      boolean global,
      double minSupport,
      long minCount,
      int maxLen,
      int maxGap,
      boolean singleItemSteps) {
    Map<String, Map<Long, TreeMap<Long, TreeSet<String>>>> byGroup = new TreeMap<>();
    for (Event e : events) {
      byGroup
          .computeIfAbsent(global ? "" : e.group, k -> new TreeMap<>())
          .computeIfAbsent(e.sequence, k -> new TreeMap<>())
          .computeIfAbsent(e.time, k -> new TreeSet<>())
          .add(e.item);
    }
    List<String> out = new ArrayList<>();
    for (var g : byGroup.entrySet()) {
      TreeSet<String> names = new TreeSet<>();
      for (var seq : g.getValue().values()) {
        for (var step : seq.values()) {
          names.addAll(step);
        }
      }
      List<String> nameList = new ArrayList<>(names);
      List<int[][]> seqs = new ArrayList<>();
      for (var seq : g.getValue().values()) {
        List<int[]> steps = new ArrayList<>();
        for (var step : seq.values()) {
          int[] ids = step.stream().mapToInt(nameList::indexOf).toArray();
          if (singleItemSteps) {
            for (int id : ids) {
              steps.add(new int[] {id});
            }
          } else {
            steps.add(ids);
          }
        }
        seqs.add(steps.toArray(new int[0][]));
      }
      long n = seqs.size();
      long threshold =
          minCount > 0
              ? minCount
              : Math.max(
                  1,
                  new java.math.BigDecimal(Double.toString(minSupport))
                      .multiply(java.math.BigDecimal.valueOf(n))
                      .setScale(0, java.math.RoundingMode.CEILING)
                      .longValueExact());
      Map<String, Long> freq =
          BruteForceSequences.frequent(seqs.toArray(new int[0][][]), threshold, maxLen, maxGap);
      for (var p : freq.entrySet()) {
        List<List<String>> steps = new ArrayList<>();
        for (String step : p.getKey().split("\\|")) {
          List<String> items = new ArrayList<>();
          for (String id : step.split(" ")) {
            items.add(nameList.get(Integer.parseInt(id)));
          }
          steps.add(items);
        }
        out.add((global ? "" : g.getKey() + "|") + p.getValue() + "|" + n + "|" + steps);
      }
    }
    return out;
  }

  /** The text form of a result row's values, as {@link #expected} writes it. */
  public static String text(Object group, long count, long sequences, Object steps) {
    return (group == null ? "" : group + "|") + count + "|" + sequences + "|" + steps;
  }

  @Override
  public String toString() {
    return events.size()
        + " events "
        + Arrays.toString(events.subList(0, Math.min(5, events.size())).toArray())
        + "...";
  }
}
