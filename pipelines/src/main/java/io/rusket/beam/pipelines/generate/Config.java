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

  private Config(
      long seed,
      int stores,
      long transactions,
      int items,
      double meanBasketSize,
      double storeSkew,
      double itemSkew,
      int bundles,
      double bundleProbability,
      boolean itemNameColumn) {
    this.seed = seed;
    this.stores = stores;
    this.transactions = transactions;
    this.items = items;
    this.meanBasketSize = meanBasketSize;
    this.storeSkew = storeSkew;
    this.itemSkew = itemSkew;
    this.bundles = bundles;
    this.bundleProbability = bundleProbability;
    this.itemNameColumn = itemNameColumn;
  }

  /** The defaults with this seed. */
  public static Config of(long seed) {
    return new Config(
        seed,
        DEFAULT_STORES,
        DEFAULT_TRANSACTIONS,
        DEFAULT_ITEMS,
        DEFAULT_MEAN_BASKET_SIZE,
        DEFAULT_STORE_SKEW,
        DEFAULT_ITEM_SKEW,
        DEFAULT_BUNDLES,
        DEFAULT_BUNDLE_PROBABILITY,
        false);
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
    return new Config(
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        storeSkew,
        itemSkew,
        bundles,
        bundleProbability,
        itemNameColumn);
  }

  /** Total transactions over all stores, at least the number of stores (each has one). */
  public Config withTransactions(long transactions) {
    check(
        transactions >= stores && transactions <= Integer.MAX_VALUE,
        "transactions",
        transactions,
        "[stores=" + stores + ", " + Integer.MAX_VALUE + "]");
    return new Config(
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        storeSkew,
        itemSkew,
        bundles,
        bundleProbability,
        itemNameColumn);
  }

  /** Number of distinct items, in [4, 1,000,000]. */
  public Config withItems(int items) {
    check(items >= 4 && items <= 1_000_000, "items", items, "[4, 1000000]");
    return new Config(
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        storeSkew,
        itemSkew,
        bundles,
        bundleProbability,
        itemNameColumn);
  }

  /** Mean number of distinct items per basket, in [1, items / 2]. */
  public Config withMeanBasketSize(double mean) {
    check(
        mean >= 1 && mean <= items / 2.0,
        "meanBasketSize",
        mean,
        "[1, items/2=" + items / 2.0 + "]");
    return new Config(
        seed,
        stores,
        transactions,
        items,
        mean,
        storeSkew,
        itemSkew,
        bundles,
        bundleProbability,
        itemNameColumn);
  }

  /** Zipf exponent of the store sizes, in [0, 5] (0: equal sizes). */
  public Config withStoreSkew(double skew) {
    check(skew >= 0 && skew <= 5, "storeSkew", skew, "[0, 5]");
    return new Config(
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        skew,
        itemSkew,
        bundles,
        bundleProbability,
        itemNameColumn);
  }

  /** Zipf exponent of the item popularity, in [0, 5] (0: uniform). */
  public Config withItemSkew(double skew) {
    check(skew >= 0 && skew <= 5, "itemSkew", skew, "[0, 5]");
    return new Config(
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        storeSkew,
        skew,
        bundles,
        bundleProbability,
        itemNameColumn);
  }

  /** Number of bundles and the probability that a basket holds one, in [0, 1000] and [0, 1]. */
  public Config withBundles(int bundles, double probability) {
    check(bundles >= 0 && bundles <= 1000, "bundles", bundles, "[0, 1000]");
    check(probability >= 0 && probability <= 1, "bundleProbability", probability, "[0, 1]");
    return new Config(
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        storeSkew,
        itemSkew,
        bundles,
        probability,
        itemNameColumn);
  }

  /** Whether the event log also carries the item name ({@code item STRING}); default false. */
  public Config withItemNameColumn(boolean on) {
    return new Config(
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        storeSkew,
        itemSkew,
        bundles,
        bundleProbability,
        on);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "seed=%d stores=%d transactions=%d items=%d meanBasketSize=%s storeSkew=%s itemSkew=%s"
            + " bundles=%d bundleProbability=%s itemNameColumn=%s",
        seed,
        stores,
        transactions,
        items,
        meanBasketSize,
        storeSkew,
        itemSkew,
        bundles,
        bundleProbability,
        itemNameColumn);
  }
}
