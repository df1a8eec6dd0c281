package io.rusket.beam.miner;

/** The frequent-itemset mining algorithm. */
public enum Method {
  /**
   * Picks {@link #FPGROWTH} or {@link #ECLAT} from the shape of the data; see {@link
   * ItemsetMiner#resolveMethod(TransactionDb)} for the rule and the measurements behind it.
   */
  AUTO,
  /** FP-Growth (Han, Pei and Yin, SIGMOD 2000) on an array-backed prefix tree. */
  FPGROWTH,
  /** Eclat (Zaki, IEEE TKDE 2000) on vertical tid-lists or bitsets. */
  ECLAT;

  /** Parses a method name, case-insensitively, naming the valid values on failure. */
  public static Method parse(String name) {
    if (name != null) {
      for (Method m : values()) {
        if (m.name().equalsIgnoreCase(name.trim())) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(
        "Invalid method: " + name + ". Valid values are auto, fpgrowth, eclat.");
  }
}
