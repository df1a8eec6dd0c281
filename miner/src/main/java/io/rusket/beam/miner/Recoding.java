package io.rusket.beam.miner;

/**
 * The frequent items of a database, recoded to dense ranks: rank 0 is the most frequent item; ties
 * are broken by ascending item id, so the recoding is deterministic.
 */
final class Recoding {
  /** Number of frequent items; ranks are {@code 0 .. nFrequent-1}. */
  final int nFrequent;

  /** Item id of each rank. */
  final int[] rankToId;

  /** Count of each rank's item. */
  final int[] rankCount;

  /** Rank of each item id, or -1 when the item is infrequent. */
  final int[] idToRank;

  private Recoding(int[] rankToId, int[] rankCount, int[] idToRank) {
    this.nFrequent = rankToId.length;
    this.rankToId = rankToId;
    this.rankCount = rankCount;
    this.idToRank = idToRank;
  }

  static Recoding byDescendingFrequency(TransactionDb db, int minCount) {
    return by(db, minCount, true);
  }

  static Recoding byAscendingFrequency(TransactionDb db, int minCount) {
    return by(db, minCount, false);
  }

  private static Recoding by(TransactionDb db, int minCount, boolean descending) {
    int[] counts = db.itemCounts();
    int nItems = counts.length;
    int f = 0;
    for (int c : counts) {
      if (c >= minCount) {
        f++;
      }
    }
    // Sort (count, id) pairs packed into longs: no boxing.
    long[] keys = new long[f];
    int k = 0;
    for (int id = 0; id < nItems; id++) {
      if (counts[id] >= minCount) {
        long c = descending ? (long) Integer.MAX_VALUE - counts[id] : counts[id];
        keys[k++] = (c << 32) | id;
      }
    }
    java.util.Arrays.sort(keys);
    int[] rankToId = new int[f];
    int[] rankCount = new int[f];
    int[] idToRank = new int[nItems];
    java.util.Arrays.fill(idToRank, -1);
    for (int r = 0; r < f; r++) {
      int id = (int) keys[r];
      rankToId[r] = id;
      rankCount[r] = counts[id];
      idToRank[id] = r;
    }
    return new Recoding(rankToId, rankCount, idToRank);
  }
}
