package io.rusket.beam.pipelines.generate;

/**
 * Generated data, as compact arrays: transaction {@code t} (id {@code t + 1}) belongs to store
 * {@code store[t]} and holds the items {@code items[offsets[t] .. offsets[t+1])}, distinct and
 * ascending. Transactions are ordered by store.
 */
public final class Dataset {
  public final Config config;

  /** Store ids: "S001", "S002", ... (S001 the largest). */
  public final String[] storeIds;

  /** Item names by item id. */
  public final String[] itemNames;

  /** Store index of each transaction. */
  public final int[] store;

  /** CSR offsets, length transactions + 1. */
  public final int[] offsets;

  /** Item ids, CSR. */
  public final int[] items;

  /** The bundles, as item ids. */
  public final int[][] bundles;

  Dataset(
      Config config,
      String[] storeIds,
      String[] itemNames,
      int[] store,
      int[] offsets,
      int[] items,
      int[][] bundles) {
    this.config = config;
    this.storeIds = storeIds;
    this.itemNames = itemNames;
    this.store = store;
    this.offsets = offsets;
    this.items = items;
    this.bundles = bundles;
  }

  /** Number of transactions. */
  public int numTransactions() {
    return store.length;
  }

  /** Number of (transaction, item) events. */
  public int numEvents() {
    return items.length;
  }

  /** The transaction id of transaction {@code t}: {@code t + 1}. */
  public long transactionId(int t) {
    return t + 1L;
  }
}
