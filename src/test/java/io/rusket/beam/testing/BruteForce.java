package io.rusket.beam.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The test oracle: frequent itemsets by enumerating every subset of the item universe and counting
 * it with bitmasks. Obviously correct and exponential, so for at most 20 items.
 */
public final class BruteForce {
  private BruteForce() {}

  /** An itemset (ascending item ids) with its count. */
  public static final class Counted {
    public final int[] items;
    public final long count;

    Counted(int[] items, long count) {
      this.items = items;
      this.count = count;
    }
  }

  /**
   * Every itemset of at most {@code maxLen} items with count ≥ {@code minCount}, over items {@code
   * 0 .. nItems-1}, in canonical order (by length, then lexicographic).
   */
  public static List<Counted> frequent(int[][] baskets, int nItems, long minCount, int maxLen) {
    if (nItems > 20) {
      throw new IllegalArgumentException("brute force is for at most 20 items, got " + nItems);
    }
    int[] masks = new int[baskets.length];
    for (int t = 0; t < baskets.length; t++) {
      for (int item : baskets[t]) {
        masks[t] |= 1 << item;
      }
    }
    List<Counted> out = new ArrayList<>();
    for (int len = 1; len <= Math.min(maxLen, nItems); len++) {
      for (int set = 1; set < (1 << nItems); set++) {
        if (Integer.bitCount(set) != len) {
          continue;
        }
        long c = 0;
        for (int m : masks) {
          if ((m & set) == set) {
            c++;
          }
        }
        if (c >= minCount) {
          int[] items = new int[len];
          for (int i = 0, k = 0; i < nItems; i++) {
            if ((set & (1 << i)) != 0) {
              items[k++] = i;
            }
          }
          out.add(new Counted(items, c));
        }
      }
    }
    out.sort(
        (a, b) -> {
          if (a.items.length != b.items.length) {
            return Integer.compare(a.items.length, b.items.length);
          }
          for (int k = 0; k < a.items.length; k++) {
            int c = Integer.compare(a.items[k], b.items[k]);
            if (c != 0) {
              return c;
            }
          }
          return 0;
        });
    return out;
  }

  /**
   * Random baskets over {@code nItems} items with skewed popularity (item i drawn with weight
   * decaying in i), sizes 0 .. maxBasket, with occasional repeated items and empty baskets.
   */
  public static int[][] randomBaskets(Random rnd, int n, int nItems, int maxBasket) {
    int[][] baskets = new int[n][];
    double skew = 0.5 + rnd.nextDouble() * 2;
    for (int t = 0; t < n; t++) {
      int size = rnd.nextInt(maxBasket + 1);
      int[] b = new int[size];
      for (int k = 0; k < size; k++) {
        double u = rnd.nextDouble();
        b[k] = Math.min(nItems - 1, (int) (nItems * Math.pow(u, skew)));
      }
      baskets[t] = b;
    }
    return baskets;
  }
}
