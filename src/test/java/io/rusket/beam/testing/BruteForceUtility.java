package io.rusket.beam.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The oracle of high-utility itemsets: per group, every subset of the group's item universe (at
 * most 16 items) summed over the transactions containing it, in exact integer cents. Obviously
 * correct and exponential. Rows are {@code (group, transaction, item, cents)}; duplicate
 * (transaction, item) rows are summed.
 */
public final class BruteForceUtility {
  private BruteForceUtility() {}

  /** One event; the utility in cents (exact). */
  public record Event(String group, long txn, String item, long cents) {
    /** The utility as a double. */
    public double utility() {
      return cents / 100.0;
    }
  }

  /** One expected itemset: items ascending, utility in millionths, count, group's N. */
  public record Hui(String group, List<String> items, long utilityFixed, long count, long n) {
    /** "group|utility|count|support|items", the form tests compare. */
    public String line() {
      return group
          + "|"
          + utilityFixed / 1e6
          + "|"
          + count
          + "|"
          + (count / (double) n)
          + "|"
          + items;
    }
  }

  /** Random events over {@code groups} groups, items "i0".."i{nItems-1}", duplicates included. */
  public static List<Event> randomEvents(Random rnd, int groups, int maxTxns, int nItems) {
    List<Event> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      int nT = 1 + rnd.nextInt(maxTxns);
      for (int t = 0; t < nT; t++) {
        int len = 1 + rnd.nextInt(Math.min(nItems, 5));
        for (int k = 0; k < len; k++) {
          long cents = rnd.nextInt(6) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 2000 : 50);
          out.add(new Event("g" + g, g * 1000L + t, "i" + rnd.nextInt(nItems), cents));
        }
      }
    }
    return out;
  }

  /**
   * The high-utility itemsets of each group: utility (millionths) {@code >= max(1, threshold)},
   * where the threshold is {@code minCents × 10^4} when {@code fractionPerMille} is 0, else {@code
   * ceil(fractionPerMille × total / 1000)} of the group's total. {@code maxLen} bounds length.
   */
  public static List<Hui> mine(
      List<Event> events, long minCents, int fractionPerMille, int maxLen) {
    Map<String, Map<Long, Map<String, Long>>> byGroup = new TreeMap<>();
    for (Event e : events) {
      byGroup
          .computeIfAbsent(e.group, k -> new TreeMap<>())
          .computeIfAbsent(e.txn, k -> new TreeMap<>())
          .merge(e.item, e.cents, Long::sum);
    }
    List<Hui> out = new ArrayList<>();
    for (var ge : byGroup.entrySet()) {
      Map<Long, Map<String, Long>> txns = ge.getValue();
      TreeSet<String> universe = new TreeSet<>();
      long total = 0;
      for (Map<String, Long> t : txns.values()) {
        universe.addAll(t.keySet());
        for (long c : t.values()) {
          total += c * 10_000;
        }
      }
      if (universe.size() > 16) {
        throw new IllegalArgumentException("brute force is for at most 16 items per group");
      }
      long threshold =
          fractionPerMille == 0 ? minCents * 10_000 : (fractionPerMille * total + 999) / 1000;
      threshold = Math.max(1, threshold);
      List<String> items = new ArrayList<>(universe);
      for (int mask = 1; mask < (1 << items.size()); mask++) {
        if (Integer.bitCount(mask) > maxLen) {
          continue;
        }
        long u = 0;
        long count = 0;
        for (Map<String, Long> t : txns.values()) {
          long s = 0;
          boolean all = true;
          for (int i = 0; i < items.size() && all; i++) {
            if ((mask >> i & 1) != 0) {
              Long c = t.get(items.get(i));
              if (c == null) {
                all = false;
              } else {
                s += c;
              }
            }
          }
          if (all) {
            u += s;
            count++;
          }
        }
        if (count > 0 && u * 10_000 >= threshold) {
          List<String> set = new ArrayList<>();
          for (int i = 0; i < items.size(); i++) {
            if ((mask >> i & 1) != 0) {
              set.add(items.get(i));
            }
          }
          out.add(new Hui(ge.getKey(), set, u * 10_000, count, txns.size()));
        }
      }
    }
    return out;
  }
}
