package io.rusket.beam.miner;

/**
 * Which frequent itemsets a miner delivers.
 *
 * <p>A frequent itemset is <b>closed</b> when no proper superset has the same count, and
 * <b>maximal</b> when no proper superset is frequent. Every maximal itemset is closed; the closed
 * itemsets with their counts determine the count of every frequent itemset (that of its smallest
 * closed superset), the maximal ones only which itemsets are frequent. With a maximum length, the
 * closed (maximal) itemsets of at most that many items are delivered: closedness and maximality are
 * judged among all frequent itemsets, whatever their length.
 */
public enum Target {
  /** Every frequent itemset. */
  ALL,
  /** Frequent itemsets without a superset of the same count. */
  CLOSED,
  /** Frequent itemsets without a frequent superset. */
  MAXIMAL;

  /** Parses a target name, case-insensitively, naming the valid values on failure. */
  public static Target parse(String name) {
    if (name != null) {
      for (Target t : values()) {
        if (t.name().equalsIgnoreCase(name.trim())) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException(
        "Invalid target: " + name + ". Valid values are all, closed, maximal.");
  }
}
