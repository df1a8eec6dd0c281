package io.rusket.beam.pipelines.generate;

import java.util.Locale;

/**
 * Settings of the synthetic data ({@link GenerateData}); immutable, {@code withX} validates its
 * value and returns a copy. The same settings (seed included) give the same data.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * Config c = Config.of(42).withStores(50).withTransactions(2_000_000).withItems(500);
 * }</pre>
 */
public final class Config {
  /** Defaults: 20 stores, 100,000 transactions, 200 items. */
  public static final int DEFAULT_STORES = 20;

  public static final long DEFAULT_TRANSACTIONS = 100_000;
  public static final int DEFAULT_ITEMS = 200;
  public static final double DEFAULT_MEAN_BASKET_SIZE = 4.4;
  public static final double DEFAULT_STORE_SKEW = 1.1;
  public static final double DEFAULT_ITEM_SKEW = 1.0;
  public static final int DEFAULT_BUNDLES = 12;
  public static final double DEFAULT_BUNDLE_PROBABILITY = 0.3;

  final long seed;
  final int stores;
  final long transactions;
  final int items;
  final double meanBasketSize;
  final double storeSkew;
  final double itemSkew;
  final int bundles;
  final double bundleProbability;
  final boolean itemNameColumn;
  final boolean utilityColumns;

  private Config(Builder b) {
    this.seed = b.seed;
    this.stores = b.stores;
    this.transactions = b.transactions;
    this.items = b.items;
    this.meanBasketSize = b.meanBasketSize;
    this.storeSkew = b.storeSkew;
    this.itemSkew = b.itemSkew;
    this.bundles = b.bundles;
    this.bundleProbability = b.bundleProbability;
    this.itemNameColumn = b.itemNameColumn;
    this.utilityColumns = b.utilityColumns;
  }

  /** The mutable side of a copy: {@code withX} sets one field of {@link #toBuilder()}. */
  private static final class Builder {
    long seed;
    int stores = DEFAULT_STORES;
    long transactions = DEFAULT_TRANSACTIONS;
    int items = DEFAULT_ITEMS;
    double meanBasketSize = DEFAULT_MEAN_BASKET_SIZE;
    double storeSkew = DEFAULT_STORE_SKEW;
    double itemSkew = DEFAULT_ITEM_SKEW;
    int bundles = DEFAULT_BUNDLES;
    double bundleProbability = DEFAULT_BUNDLE_PROBABILITY;
    boolean itemNameColumn;
    boolean utilityColumns;

    Config build() {
      return new Config(this);
    }
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.seed = seed;
    b.stores = stores;
    b.transactions = transactions;
    b.items = items;
    b.meanBasketSize = meanBasketSize;
    b.storeSkew = storeSkew;
    b.itemSkew = itemSkew;
    b.bundles = bundles;
    b.bundleProbability = bundleProbability;
    b.itemNameColumn = itemNameColumn;
    b.utilityColumns = utilityColumns;
    return b;
  }

  /** The defaults with this seed. */
  public static Config of(long seed) {
    Builder b = new Builder();
    b.seed = seed;
    return b.build();
  }

  private static void check(boolean ok, String name, Object value, String range) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Invalid " + name + ": " + value + ". Valid range is " + range + ".");
    }
  }

  /** Number of stores, in [1, 1,000,000]. */
  public Config withStores(int stores) {
    check(stores >= 1 && stores <= 1_000_000, "stores", stores, "[1, 1000000]");
    Builder b = toBuilder();
    b.stores = stores;
    return b.build();
  }

  /** Total transactions over all stores, at least the number of stores (each has one). */
  public Config withTransactions(long transactions) {
    check(
        transactions >= stores && transactions <= Integer.MAX_VALUE,
        "transactions",
        transactions,
        "[stores=" + stores + ", " + Integer.MAX_VALUE + "]");
    Builder b = toBuilder();
    b.transactions = transactions;
    return b.build();
  }

  /** Number of distinct items, in [4, 1,000,000]. */
  public Config withItems(int items) {
    check(items >= 4 && items <= 1_000_000, "items", items, "[4, 1000000]");
    Builder b = toBuilder();
    b.items = items;
    return b.build();
  }

  /** Mean number of distinct items per basket, in [1, items / 2]. */
  public Config withMeanBasketSize(double mean) {
    check(
        mean >= 1 && mean <= items / 2.0,
        "meanBasketSize",
        mean,
        "[1, items/2=" + items / 2.0 + "]");
    Builder b = toBuilder();
    b.meanBasketSize = mean;
    return b.build();
  }

  /** Zipf exponent of the store sizes, in [0, 5] (0: equal sizes). */
  public Config withStoreSkew(double skew) {
    check(skew >= 0 && skew <= 5, "storeSkew", skew, "[0, 5]");
    Builder b = toBuilder();
    b.storeSkew = skew;
    return b.build();
  }

  /** Zipf exponent of the item popularity, in [0, 5] (0: uniform). */
  public Config withItemSkew(double skew) {
    check(skew >= 0 && skew <= 5, "itemSkew", skew, "[0, 5]");
    Builder b = toBuilder();
    b.itemSkew = skew;
    return b.build();
  }

  /** Number of bundles and the probability that a basket holds one, in [0, 1000] and [0, 1]. */
  public Config withBundles(int bundles, double probability) {
    check(bundles >= 0 && bundles <= 1000, "bundles", bundles, "[0, 1000]");
    check(probability >= 0 && probability <= 1, "bundleProbability", probability, "[0, 1]");
    Builder b = toBuilder();
    b.bundles = bundles;
    b.bundleProbability = probability;
    return b.build();
  }

  /** Whether the event log also carries the item name ({@code item STRING}); default false. */
  public Config withItemNameColumn(boolean on) {
    Builder b = toBuilder();
    b.itemNameColumn = on;
    return b.build();
  }

  /**
   * Whether the event log also carries {@code quantity INT32} and {@code profit DOUBLE} (quantity ×
   * the item's unit margin, whole cents), for high-utility mining; default false. The values are a
   * function of the seed, the transaction id and the item ({@link GenerateData#quantity}, {@link
   * GenerateData#profitCents}): the transactions are the same with or without them.
   */
  public Config withUtilityColumns(boolean on) {
    Builder b = toBuilder();
    b.utilityColumns = on;
    return b.build();
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "seed=%d stores=%d transactions=%d items=%d meanBasketSize=%s storeSkew=%s itemSkew=%s"
            + " bundles=%d bundleProbability=%s itemNameColumn=%s%s",
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        storeSkew,
        itemSkew,
        bundles,
        bundleProbability,
        itemNameColumn,
        utilityColumns ? " utilityColumns=true" : "");
  }
}
