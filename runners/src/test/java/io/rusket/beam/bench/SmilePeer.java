package io.rusket.beam.bench;

import io.rusket.beam.miner.TransactionDb;
import smile.association.FPGrowth;
import smile.association.FPTree;

/**
 * Smile 3.1.1 FP-Growth ({@code smile.association}), single-threaded. Time = building the FP-tree
 * with {@code FPTree.of(minCount, int[][])} plus consuming the whole {@code FPGrowth.apply(tree)}
 * stream into a {@link Fingerprint} (the same per-itemset work as our sink). {@code FPTree.of}
 * reorders the rows it is given, so each run gets a fresh copy, made before the clock starts.
 */
final class SmilePeer implements Peer {
  @Override
  public String name() {
    return "smile";
  }

  @Override
  public Loaded load(TransactionDb db, long[] itemKeys) {
    int[][] master = new int[db.size()][];
    for (int t = 0; t < master.length; t++) {
      master[t] = db.transaction(t);
    }
    return new Loaded() {
      @Override
      public Measured.Run timed(double minSupport, long minCount) {
        return new Measured.Run() {
          private int[][] input;

          @Override
          public void setUp() {
            input = new int[master.length][];
            for (int t = 0; t < master.length; t++) {
              input[t] = master[t].clone();
            }
          }

          @Override
          public Outcome run() {
            FPTree tree = FPTree.of(Math.toIntExact(minCount), input);
            Fingerprint f = new Fingerprint(itemKeys);
            FPGrowth.apply(tree).forEach(s -> f.accept(s.items, s.items.length, s.support));
            return Outcome.of(f);
          }
        };
      }

      @Override
      public Measured.Run withChecksum(double minSupport, long minCount) {
        return timed(minSupport, minCount);
      }
    };
  }
}
