package io.rusket.beam.pipelines.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The model of {@link GenerateData}: Zipf store sizes and item popularity, Poisson basket sizes,
 * bundles of co-occurring items, drawn from one seeded {@link SplittableRandom}.
 */
final class Generator {
  private Generator() {}

  private static final String[] GROCERIES = {
    "bread",
    "whole_milk",
    "eggs",
    "bananas",
    "coffee",
    "butter",
    "cheese",
    "yogurt",
    "apples",
    "tomatoes",
    "onions",
    "potatoes",
    "chicken",
    "rice",
    "pasta",
    "pasta_sauce",
    "cereal",
    "orange_juice",
    "tea",
    "sugar",
    "flour",
    "carrots",
    "lettuce",
    "ham",
    "beer",
    "wine",
    "water",
    "soda",
    "chips",
    "chocolate",
    "cookies",
    "ice_cream",
    "frozen_pizza",
    "detergent",
    "toilet_paper",
    "shampoo",
    "toothpaste",
    "diapers",
    "baby_food",
    "cat_food",
    "dog_food",
    "lemons",
    "garlic",
    "beef",
    "pork",
    "salmon",
    "tuna",
    "beans",
    "soup",
    "honey",
    "jam",
    "peanut_butter",
    "olive_oil",
    "vinegar",
    "salt",
    "pepper",
    "napkins",
    "batteries",
    "candles",
    "flowers"
  };

  /** The name of item {@code id}. */
  static String itemName(int id) {
    return id < GROCERIES.length ? GROCERIES[id] : String.format(Locale.ROOT, "item_%04d", id);
  }

  /** Cumulative weights {@code 1/(k+1)^s}, normalised to end at 1. */
  static double[] zipfCdf(int n, double s) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, s);
      cdf[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
    cdf[n - 1] = 1.0;
    return cdf;
  }

  static int draw(double[] cdf, SplittableRandom rnd) {
    int i = Arrays.binarySearch(cdf, rnd.nextDouble());
    return i >= 0 ? i : Math.min(-i - 1, cdf.length - 1);
  }

  static int poisson(double lambda, SplittableRandom rnd) {
    if (lambda <= 0) {
      return 0;
    }
    double l = Math.exp(-lambda);
    int k = 0;
    double p = rnd.nextDouble();
    while (p > l) {
      k++;
      p *= rnd.nextDouble();
    }
    return k;
  }

  /** Generates the data of {@code config} in memory. */
  static Dataset generate(Config config) {
    Baskets b = new Baskets(config);
    int n = (int) config.transactions;
    int[] store = new int[n];
    int[] offsets = new int[n + 1];
    int[] items =
        new int
            [Math.max(
                16,
                (int) Math.min(Integer.MAX_VALUE - 8, (long) (n * config.meanBasketSize * 1.2)))];
    int pos = 0;
    for (int t = 0; t < n; t++) {
      int len = b.next();
      store[t] = b.store();
      if (pos + len > items.length) {
        items =
            Arrays.copyOf(
                items,
                (int) Math.min(Integer.MAX_VALUE - 8, Math.max(pos + len, items.length * 3L / 2)));
      }
      System.arraycopy(b.basket, 0, items, pos, len);
      pos += len;
      offsets[t + 1] = pos;
    }
    return new Dataset(
        config, b.storeIds, b.itemNames, store, offsets, Arrays.copyOf(items, pos), b.bundles);
  }

  /**
   * The transactions of {@code config}, drawn one at a time in store order: the same random draws,
   * in the same order, as {@link #generate} makes, so both give the same data; a cursor holds only
   * the model (store sizes, item and bundle weights) and one basket.
   */
  static final class Baskets {
    final Config config;
    final String[] storeIds;
    final String[] itemNames;
    final int[][] bundles;

    /** The current transaction's items, {@code [0, length)}, distinct and ascending. */
    final int[] basket;

    private final SplittableRandom rnd;
    private final int[] size;
    private final double[] itemCdf;
    private final double[] bundleCdf;
    private final boolean[] inBasket;
    private int store;
    private int inStore;
    private long drawn;

    Baskets(Config config) {
      if (config.transactions < config.stores) {
        throw new IllegalArgumentException(
            "Invalid transactions: "
                + config.transactions
                + ". Every one of the "
                + config.stores
                + " stores needs at least one transaction.");
      }
      this.config = config;
      rnd = new SplittableRandom(config.seed);
      int nStores = config.stores;
      long n = config.transactions;
      // Store sizes: Zipf shares, every store at least one transaction, remainder to the largest.
      double[] w = new double[nStores];
      double wSum = 0;
      for (int k = 0; k < nStores; k++) {
        w[k] = 1.0 / Math.pow(k + 1, config.storeSkew);
        wSum += w[k];
      }
      size = new int[nStores];
      long assigned = 0;
      for (int k = 0; k < nStores; k++) {
        size[k] = Math.max(1, (int) Math.floor((n - nStores) * w[k] / wSum) + 1);
        assigned += size[k];
      }
      size[0] += (int) (n - assigned);
      storeIds = new String[nStores];
      for (int k = 0; k < nStores; k++) {
        storeIds[k] = String.format(Locale.ROOT, nStores < 1000 ? "S%03d" : "S%07d", k + 1);
      }
      itemNames = new String[config.items];
      for (int i = 0; i < itemNames.length; i++) {
        itemNames[i] = itemName(i);
      }
      // Bundles: 2-3 distinct items among the most popular 4 * bundles (at least 8) items.
      int pool = Math.min(config.items, Math.max(8, 4 * config.bundles));
      bundles = new int[config.bundles][];
      for (int b = 0; b < bundles.length; b++) {
        int len = Math.min(pool, 2 + rnd.nextInt(2));
        int[] items = new int[len];
        for (int j = 0; j < len; j++) {
          int candidate;
          boolean dup;
          do {
            candidate = rnd.nextInt(pool);
            dup = false;
            for (int q = 0; q < j; q++) {
              dup |= items[q] == candidate;
            }
          } while (dup);
          items[j] = candidate;
        }
        Arrays.sort(items);
        bundles[b] = items;
      }
      itemCdf = zipfCdf(config.items, config.itemSkew);
      bundleCdf = bundles.length == 0 ? null : zipfCdf(bundles.length, 1.0);
      inBasket = new boolean[config.items];
      basket = new int[config.items];
    }

    /** Transactions drawn so far; the last one drawn has id {@code drawn()} (ids are 1..N). */
    long drawn() {
      return drawn;
    }

    /** Whether another transaction remains. */
    boolean hasNext() {
      return drawn < config.transactions;
    }

    /** The store index of the transaction last drawn. */
    int store() {
      return store;
    }

    /**
     * Draws the next transaction into {@link #basket}.
     *
     * @return its number of items
     * @throws java.util.NoSuchElementException after the last transaction
     */
    int next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException("all " + drawn + " transactions drawn");
      }
      while (inStore == size[store]) {
        store++;
        inStore = 0;
      }
      inStore++;
      drawn++;
      int want = Math.min(config.items, 1 + poisson(config.meanBasketSize - 1, rnd));
      int len = 0;
      if (bundleCdf != null && rnd.nextDouble() < config.bundleProbability) {
        for (int item : bundles[draw(bundleCdf, rnd)]) {
          inBasket[item] = true;
          basket[len++] = item;
        }
      }
      for (int attempts = 0; len < want && attempts < 64 * want; attempts++) {
        int item = draw(itemCdf, rnd);
        if (!inBasket[item]) {
          inBasket[item] = true;
          basket[len++] = item;
        }
      }
      Arrays.sort(basket, 0, len);
      for (int j = 0; j < len; j++) {
        inBasket[basket[j]] = false;
      }
      return len;
    }

    /**
     * Draws up to {@code max} transactions (fewer at the end) into a new chunk.
     *
     * @return the chunk, or null when every transaction was drawn
     */
    Chunk nextChunk(int max) {
      if (!hasNext()) {
        return null;
      }
      int n = (int) Math.min(max, config.transactions - drawn);
      long firstId = drawn + 1;
      int[] store = new int[n];
      int[] offsets = new int[n + 1];
      int[] items = new int[Math.max(16, (int) (n * config.meanBasketSize * 1.25))];
      int pos = 0;
      for (int t = 0; t < n; t++) {
        int len = next();
        store[t] = this.store;
        if (pos + len > items.length) {
          items = Arrays.copyOf(items, Math.max(pos + len, items.length + (items.length >> 1)));
        }
        System.arraycopy(basket, 0, items, pos, len);
        pos += len;
        offsets[t + 1] = pos;
      }
      return new Chunk(n, firstId, store, offsets, items);
    }
  }

  /**
   * Consecutive transactions as compact arrays: transaction {@code t} in {@code [0, n)} has id
   * {@code firstId + t}, store {@code store[t]} and items {@code items[offsets[t] ..
   * offsets[t+1])}. Never changed once built (writers on several threads read one chunk).
   */
  static final class Chunk {
    final int n;
    final long firstId;
    final int[] store;
    final int[] offsets;
    final int[] items;

    Chunk(int n, long firstId, int[] store, int[] offsets, int[] items) {
      this.n = n;
      this.firstId = firstId;
      this.store = store;
      this.offsets = offsets;
      this.items = items;
    }

    /** The whole of {@code d} as one chunk (its arrays, not copies). */
    static Chunk of(Dataset d) {
      return new Chunk(d.numTransactions(), d.transactionId(0), d.store, d.offsets, d.items);
    }

    /** The number of events: {@code offsets[n]}. */
    int events() {
      return offsets[n];
    }
  }
}
