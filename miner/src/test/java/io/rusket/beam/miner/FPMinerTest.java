package io.rusket.beam.miner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.Datasets;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FPMinerTest {
  @TempDir Path tmp;

  /** Random pairs: skewed items, random (often negative or huge) txn ids, some repeats. */
  static final class Pairs {
    final long[] txn;
    final int[] item;
    final int nItems;

    Pairs(long[] txn, int[] item, int nItems) {
      this.txn = txn;
      this.item = item;
      this.nItems = nItems;
    }

    static Pairs random(long seed, int nTxns, int nItems, double meanLen) {
      Random r = new Random(seed);
      long[] ids = new long[nTxns];
      for (int t = 0; t < nTxns; t++) {
        switch ((int) (seed % 3)) {
          case 0:
            ids[t] = t; // dense, ascending
            break;
          case 1:
            ids[t] = r.nextLong(); // anywhere in the long range
            break;
          default:
            ids[t] = 1_000_000_007L * (t % 2 == 0 ? t : -t); // wide, both signs
        }
      }
      List<long[]> pairs = new ArrayList<>();
      for (int t = 0; t < nTxns; t++) {
        int len = (int) Math.round(-meanLen * Math.log(1 - r.nextDouble()));
        for (int k = 0; k < len; k++) {
          int it = (int) Math.min(nItems - 1, Math.floor(nItems * Math.pow(r.nextDouble(), 2.5)));
          pairs.add(new long[] {ids[t], it});
          if (r.nextInt(20) == 0) {
            pairs.add(new long[] {ids[t], it}); // a repeat
          }
        }
      }
      java.util.Collections.shuffle(pairs, r);
      long[] txn = new long[pairs.size()];
      int[] item = new int[pairs.size()];
      for (int i = 0; i < txn.length; i++) {
        txn[i] = pairs.get(i)[0];
        item[i] = (int) pairs.get(i)[1];
      }
      return new Pairs(txn, item, nItems);
    }

    TransactionDb db() {
      return TransactionDb.fromPairs(txn, item, null);
    }

    void feed(FPMiner m, int chunk) {
      for (int i = 0; i < txn.length; i += chunk) {
        int n = Math.min(chunk, txn.length - i);
        m.addChunk(Arrays.copyOfRange(txn, i, i + n), Arrays.copyOfRange(item, i, i + n));
      }
    }
  }

  private static Itemsets batch(Pairs p, ItemsetMiner miner) {
    // fromPairs sizes nItems by the largest id; the miner's output does not depend on it.
    return miner.mine(p.db()).canonical();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void equalsBatchMinerOnRandomDataForEveryChunkSizeAndMethod(int seed) {
    Pairs p = Pairs.random(seed, 150 + seed * 20, 20 + seed, 4.0);
    int[] chunks = {1, 7, 64, p.txn.length / 3 + 1, p.txn.length};
    for (Method method : Method.values()) {
      ItemsetMiner cfg = ItemsetMiner.minSupport(0.04).withMethod(method).withThreads(1);
      Itemsets expected = batch(p, cfg);
      for (int chunk : chunks) {
        try (FPMiner m = new FPMiner(p.nItems)) {
          p.feed(m, chunk);
          assertEquals(p.db().size(), m.nTransactions(), "N, chunk " + chunk);
          assertEquals(p.txn.length, m.nRows());
          assertEquals(expected, m.mine(cfg).canonical(), method + " chunk " + chunk);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {21, 22, 23, 24})
  void spillWithTinyBudgetGivesTheSameItemsetsAndRemovesFiles(int seed) throws IOException {
    Pairs p = Pairs.random(seed, 3000, 40, 5.0);
    ItemsetMiner cfg = ItemsetMiner.minSupport(0.02).withMaxLen(4);
    Itemsets expected = batch(p, cfg);
    Path dir = tmp.resolve("spill-" + seed);
    try (FPMiner m = new FPMiner(p.nItems).withMaxRamBytes(2048).withSpillDirectory(dir)) {
      p.feed(m, 97);
      assertTrue(m.spillFileCount() > 0, "spilled");
      assertTrue(m.spillFileCount() <= FPMiner.MAX_FILE_RUNS + 1, "file runs are merged");
      assertEquals(m.spillFileCount(), countFiles(dir));
      assertEquals(expected, m.mine(cfg).canonical());
      // extractOutput-style repeat: mining again gives the same and keeps the files.
      assertEquals(expected, m.mine(cfg).canonical());
      assertEquals(p.db().size(), m.nTransactions());
    }
    assertEquals(0, countFiles(dir), "close removes the spill files");
  }

  @Test
  void aHugeItemBoundAndHugeIdsCostNoMemoryWhenMining() {
    // nItems is a bound, not a size: an int[2e9] would need 8 GB and fail in this JVM.
    FPMiner m = new FPMiner(2_000_000_000);
    int big = 1_999_999_998;
    m.addChunk(new long[] {1, 1, 1, 2, 2, 3, 3, 4}, new int[] {7, big, 5_000_000, 7, big, 7, 3, 3});
    Itemsets sets = m.mine(0.5).canonical(); // minCount 2
    List<String> found = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      found.add(Arrays.toString(sets.items(i)) + "=" + sets.count(i));
    }
    assertEquals(
        List.of("[3]=2", "[7]=3", "[" + big + "]=2", "[7, " + big + "]=2"), found, "by hand");
    List<String> streamed = new ArrayList<>();
    m.mine(
        ItemsetMiner.minCount(2),
        (items, len, count) -> streamed.add(Arrays.toString(Arrays.copyOf(items, len)) + count));
    assertTrue(streamed.contains("[" + big + "]2"), streamed.toString());
    assertEquals(big + 1, m.toTransactionDb().nItems(), "bound = largest id seen + 1");
    assertArrayEquals(
        new int[] {7},
        m.toTransactionDb(ItemsetMiner.minCount(3)).transaction(0),
        "infrequent ids are pruned, frequent ones keep their id");
    m.close();
  }

  @Test
  void aGenerousItemBoundWithSmallIdsMinesAsTheBatchMiner() {
    Pairs p = Pairs.random(41, 500, 40, 3.0);
    FPMiner m = new FPMiner(1_500_000_000);
    p.feed(m, 97);
    assertEquals(batch(p, ItemsetMiner.minSupport(0.05)), m.mine(0.05).canonical());
    m.close();
  }

  @Test
  void spillFilesAreRemovedAfterAFailedMiningRunAndOnReset() throws IOException {
    Pairs p = Pairs.random(31, 2000, 30, 4.0);
    Path dir = tmp.resolve("fail");
    FPMiner m = new FPMiner(p.nItems).withMaxRamBytes(4096).withSpillDirectory(dir);
    p.feed(m, 500);
    assertTrue(countFiles(dir) > 0);
    RuntimeException boom =
        assertThrows(
            RuntimeException.class,
            () ->
                m.mine(
                    ItemsetMiner.minSupport(0.05),
                    (items, len, count) -> {
                      throw new IllegalStateException("sink failed");
                    }));
    assertEquals("sink failed", boom.getMessage());
    m.reset();
    assertEquals(0, countFiles(dir), "reset removes the spill files");
    assertEquals(0, m.nRows());
    assertEquals(0, m.nTransactions());
    // still usable after reset
    p.feed(m, 500);
    assertEquals(batch(p, ItemsetMiner.minSupport(0.05)), m.mine(0.05).canonical());
    m.close();
    assertEquals(0, countFiles(dir));
  }

  @Test
  void unreachableMinersHaveTheirSpillFilesRemovedByTheCleaner() throws Exception {
    Pairs p = Pairs.random(32, 1000, 30, 4.0);
    Path dir = tmp.resolve("gc");
    FPMiner m = new FPMiner(p.nItems).withMaxRamBytes(2048).withSpillDirectory(dir);
    p.feed(m, 100);
    assertTrue(countFiles(dir) > 0);
    m = null;
    for (int i = 0; i < 100 && countFiles(dir) > 0; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, countFiles(dir), "the Cleaner removes files of a collected miner");
  }

  private static long countFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 5, 8})
  void mergeOfPartsEqualsOneMinerAndLeavesTheOthersUnchanged(int parts) throws IOException {
    Pairs p = Pairs.random(40 + parts, 800, 25, 4.0);
    Random r = new Random(parts);
    FPMiner[] ms = new FPMiner[parts];
    for (int k = 0; k < parts; k++) {
      // Some parts spill, some stay in memory, some keep pairs in the buffer.
      ms[k] = new FPMiner(p.nItems).withSpillDirectory(tmp);
      if (k % 2 == 1) {
        ms[k] = ms[k].withMaxRamBytes(2048);
      }
    }
    for (int i = 0; i < p.txn.length; i++) {
      ms[r.nextInt(parts)].add(p.txn[i], p.item[i]); // pairs of one txn spread over parts
    }
    byte[][] before = new byte[parts][];
    for (int k = 1; k < parts; k++) {
      before[k] = ms[k].toBytes();
    }
    FPMiner all = new FPMiner(p.nItems);
    p.feed(all, 1000);
    for (int k = 1; k < parts; k++) {
      ms[0].merge(ms[k]);
    }
    assertEquals(all, ms[0]);
    assertArrayEquals(all.toBytes(), ms[0].toBytes(), "canonical encoding");
    for (int k = 1; k < parts; k++) {
      assertArrayEquals(before[k], ms[k].toBytes(), "merge must not change part " + k);
    }
    ItemsetMiner cfg = ItemsetMiner.minSupport(0.03);
    assertEquals(batch(p, cfg), ms[0].mine(cfg).canonical());
    for (FPMiner m : ms) {
      m.close();
    }
  }

  @Test
  void mergeRejectsSelfNullAndOtherItemBounds() {
    FPMiner a = new FPMiner(10);
    assertThrows(IllegalArgumentException.class, () -> a.merge(a));
    assertThrows(IllegalArgumentException.class, () -> a.merge(null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.merge(new FPMiner(11)));
    assertTrue(e.getMessage().contains("11") && e.getMessage().contains("10"), e.getMessage());
  }

  @Test
  void encodingRoundTripsAndIsCanonical() throws IOException {
    Pairs p = Pairs.random(50, 500, 30, 4.0);
    FPMiner a = new FPMiner(p.nItems);
    p.feed(a, 33);
    FPMiner b = new FPMiner(p.nItems);
    for (int i = p.txn.length - 1; i >= 0; i--) {
      b.add(p.txn[i], p.item[i]);
    }
    assertArrayEquals(a.toBytes(), b.toBytes(), "same pairs, other order: same bytes");
    assertEquals(a.toBytes().length, a.encodedSize());
    FPMiner c = FPMiner.fromBytes(a.toBytes());
    assertEquals(a, c);
    assertEquals(a.nRows(), c.nRows());
    assertEquals(a.nTransactions(), c.nTransactions());
    assertEquals(FPMiner.DEFAULT_MAX_RAM_BYTES, c.maxRamBytes());
    ItemsetMiner cfg = ItemsetMiner.minSupport(0.05);
    assertEquals(a.mine(cfg), c.mine(cfg));
    // Compact: far below the 12 bytes of a raw pair.
    assertTrue(a.toBytes().length < 3L * p.txn.length, a.toBytes().length + " bytes");
    // Decoding into a small budget goes to a spill file.
    FPMiner d = FPMiner.decode(new ByteArrayInputStream(a.toBytes()), 1024);
    assertEquals(1024, d.maxRamBytes());
    assertEquals(1, d.spillFileCount());
    assertEquals(a.mine(cfg), d.mine(cfg));
    d.close();
    // Empty miner.
    FPMiner e = FPMiner.fromBytes(new FPMiner(7).toBytes());
    assertEquals(new FPMiner(7), e);
    assertEquals(0, e.mine(0.5).size());
  }

  @Test
  void truncatedOrCorruptEncodingsAreReportedClearly() {
    Pairs p = Pairs.random(51, 200, 20, 4.0);
    FPMiner a = new FPMiner(p.nItems);
    p.feed(a, 1000);
    byte[] bytes = a.toBytes();
    for (int cut : new int[] {0, 2, 6, bytes.length / 2, bytes.length - 1}) {
      IOException e =
          assertThrows(
              IOException.class, () -> FPMiner.fromBytes(Arrays.copyOf(bytes, cut)), "cut " + cut);
      assertTrue(e instanceof EOFException || e.getMessage().contains("Corrupt"), e.getMessage());
      assertTrue(e.getMessage().contains("FPMiner"), e.getMessage());
    }
    byte[] bad = bytes.clone();
    bad[0] = 'X';
    IOException e = assertThrows(IOException.class, () -> FPMiner.fromBytes(bad));
    assertTrue(e.getMessage().contains("Not an FPMiner encoding"), e.getMessage());
    byte[] extra = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IOException.class, () -> FPMiner.fromBytes(extra));
  }

  @Test
  void badChunksAreRejectedWholeAndTheMinerStaysUsable() {
    FPMiner m = new FPMiner(5);
    m.addChunk(new long[] {1, 1, 2}, new int[] {0, 1, 1});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.addChunk(new long[] {3, 3, 4}, new int[] {2, 5, 0}));
    assertTrue(e.getMessage().contains("item id 5 at position 1"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 5)"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> m.addChunk(new long[] {3}, new int[] {-1}));
    assertTrue(e.getMessage().contains("-1 at position 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> m.addChunk(null, new int[] {1}));
    assertTrue(e.getMessage().contains("txnIds"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> m.addChunk(new long[] {1}, null));
    assertTrue(e.getMessage().contains("itemIds"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> m.addChunk(new long[] {1, 2}, new int[] {1}));
    assertTrue(e.getMessage().contains("2 entries") && e.getMessage().contains("1"));
    e = assertThrows(IllegalArgumentException.class, () -> m.add(9, 7));
    assertTrue(e.getMessage().contains("7") && e.getMessage().contains("transaction 9"));
    assertThrows(
        IllegalArgumentException.class,
        () -> m.addChunk(new long[] {1, 2}, new int[] {1, 2}, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> new FPMiner(-1));
    assertThrows(IllegalArgumentException.class, () -> m.withMaxRamBytes(10));
    // Nothing of the rejected chunks was added.
    assertEquals(3, m.nRows());
    assertEquals(2, m.nTransactions());
    m.addChunk(new long[] {2, 3}, new int[] {0, 1}, 0, 2);
    Itemsets got = m.mine(ItemsetMiner.minCount(2)).canonical();
    // transactions {0,1}, {0,1}, {1}: item 1 in 3, item 0 in 2, {0,1} in 2
    assertEquals(3, got.size());
    assertEquals(3, got.count(got.indexOf(1)));
    assertEquals(2, got.count(got.indexOf(0, 1)));
  }

  @Test
  void repeatedPairsCountOnceAndCountsAreExposed() {
    FPMiner m = new FPMiner(3);
    m.addChunk(new long[] {7, 7, 7, 8}, new int[] {2, 2, 0, 2});
    m.addChunk(new long[] {7, 8}, new int[] {2, 2});
    assertEquals(6, m.nRows());
    assertEquals(2, m.nTransactions());
    assertEquals(3, m.nItems());
    Itemsets got = m.mine(ItemsetMiner.minCount(1)).canonical();
    assertEquals(2, got.count(got.indexOf(2)));
    assertEquals(1, got.count(got.indexOf(0, 2)));
    TransactionDb db = m.toTransactionDb();
    assertArrayEquals(new int[] {0, 2}, db.transaction(0));
    assertArrayEquals(new int[] {2}, db.transaction(1));
    assertNotEquals(m, new FPMiner(3));
  }

  @Test
  void prunedDatabaseKeepsEveryTransaction() {
    FPMiner m = new FPMiner(4);
    // item 3 only once: pruned at minCount 2, but its transaction still counts in N.
    m.addChunk(new long[] {1, 1, 2, 3, 4}, new int[] {0, 1, 0, 1, 3});
    TransactionDb db = m.toTransactionDb(ItemsetMiner.minCount(2));
    assertEquals(4, db.size());
    assertEquals(0, db.transactionLength(3));
    assertEquals(4, m.mine(ItemsetMiner.minSupport(0.5)).nTransactions());
  }

  @Test
  void retailAsShuffledEventsGivesTheReferenceCounts() throws IOException {
    TransactionDb retail = TransactionDb.readBaskets(Datasets.require("retail.dat"));
    long[] txn = new long[(int) retail.nEntries()];
    int[] item = new int[txn.length];
    int k = 0;
    for (int t = 0; t < retail.size(); t++) {
      for (int it : retail.transaction(t)) {
        txn[k] = 1_000_000L * t + 17; // sparse ids
        item[k++] = it;
      }
    }
    Random r = new Random(7);
    for (int i = txn.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long tt = txn[i];
      txn[i] = txn[j];
      txn[j] = tt;
      int ii = item[i];
      item[i] = item[j];
      item[j] = ii;
    }
    // A budget far below the data: spills, merges files and mines from disk.
    try (FPMiner m = new FPMiner(retail.nItems()).withMaxRamBytes(256 << 10)) {
      for (int i = 0; i < txn.length; i += 10_000) {
        int n = Math.min(10_000, txn.length - i);
        m.addChunk(txn, item, i, n);
      }
      assertTrue(m.spillFileCount() > 0);
      assertEquals(88_162, m.nTransactions());
      for (Datasets.Reference ref : Datasets.references()) {
        if (!ref.dataset.equals("retail") || !ref.exact()) {
          continue;
        }
        long[] byLen = new long[16];
        long total =
            m.mine(ItemsetMiner.minSupport(ref.minSupport), (items, len, c) -> byLen[len - 1]++);
        assertEquals(ref.itemsets, total, ref.toString());
        assertArrayEquals(ref.byLength, Arrays.copyOf(byLen, ref.byLength.length), ref.toString());
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Equality without side effects, shared spill runs, copies for configuration

  /** A miner with pairs in all three places: spill files, in-memory runs and the buffer. */
  private FPMiner everywhere(Pairs p, Path dir) {
    FPMiner spilled = new FPMiner(p.nItems).withMaxRamBytes(2048).withSpillDirectory(dir);
    int third = p.txn.length / 3;
    spilled.addChunk(p.txn, p.item, 0, 2 * third); // spills at this budget
    // A copy with a budget that keeps the rest in memory (sharing the spilled runs).
    FPMiner m = spilled.withMaxRamBytes(1 << 20);
    spilled.close();
    FPMiner big = new FPMiner(p.nItems);
    big.addChunk(p.txn, p.item, 2 * third, third / 2);
    big.compact();
    m.merge(big);
    for (int i = 2 * third + third / 2; i < p.txn.length && i < 2 * third + third / 2 + 20; i++) {
      m.add(p.txn[i], p.item[i]); // a few buffered pairs
    }
    return m;
  }

  @Test
  void equalsAndHashCodeChangeNeitherMiner() throws IOException {
    Pairs p = Pairs.random(61, 1500, 30, 4.0);
    Path dirA = tmp.resolve("eq-a");
    Path dirB = tmp.resolve("eq-b");
    try (FPMiner a = everywhere(p, dirA);
        FPMiner b = new FPMiner(p.nItems).withMaxRamBytes(4096).withSpillDirectory(dirB)) {
      // b: the same pairs, in another order and layout.
      for (int i = p.txn.length - 1; i >= 0; i--) {
        if (i < 2 * (p.txn.length / 3) + p.txn.length / 6 + 20) {
          b.add(p.txn[i], p.item[i]);
        }
      }
      String stateA = a.toString();
      String stateB = b.toString();
      long filesA = countFiles(dirA);
      long filesB = countFiles(dirB);
      long ramA = a.ramBytesUsed();
      assertTrue(
          !stateA.contains("buffered=0,")
              && !stateA.contains("memoryRuns=0")
              && a.spillFileCount() > 0,
          stateA);
      assertTrue(filesA > 0 && filesB > 0);

      assertEquals(a, b);
      assertEquals(b, a);
      assertEquals(a.hashCode(), b.hashCode());
      assertEquals(stateA, a.toString(), "equals/hashCode must not flush, compact or spill a");
      assertEquals(stateB, b.toString(), "equals/hashCode must not flush, compact or spill b");
      assertEquals(filesA, countFiles(dirA));
      assertEquals(filesB, countFiles(dirB));
      assertEquals(ramA, a.ramBytesUsed());

      // Consistent with the canonical encoding (which compacts, so it comes last).
      assertArrayEquals(a.toBytes(), b.toBytes());
      b.add(p.txn[0], (p.item[0] + 1) % p.nItems == p.item[0] ? 0 : (p.item[0] + 1) % p.nItems);
      boolean sameBytes = Arrays.equals(a.toBytes(), b.toBytes());
      assertEquals(sameBytes, a.equals(b));
    }
  }

  @Test
  void equalsAgreesWithTheEncodingOnRandomVariations() {
    for (int seed = 0; seed < 60; seed++) {
      Random r = new Random(seed);
      FPMiner a = new FPMiner(6);
      FPMiner b =
          new FPMiner(6).withMaxRamBytes(r.nextBoolean() ? 1024 : 1 << 20).withSpillDirectory(tmp);
      int n = r.nextInt(300);
      for (int i = 0; i < n; i++) {
        long t = r.nextInt(40) - 20;
        int it = r.nextInt(6);
        a.add(t, it);
        b.add(t, it);
        if (r.nextInt(5) == 0) {
          b.add(t, it); // a repeat: the same set of pairs, but one more row...
          a.add(r.nextInt(40) - 20, r.nextInt(6)); // ...and a row of a that may be a repeat
        }
      }
      if (r.nextBoolean()) {
        a.compact();
      }
      boolean eq = a.equals(b);
      assertEquals(eq, b.equals(a), "seed " + seed);
      if (eq) {
        assertEquals(a.hashCode(), b.hashCode(), "seed " + seed);
      }
      assertEquals(Arrays.equals(a.toBytes(), b.toBytes()), eq, "seed " + seed);
      a.close();
      b.close();
    }
  }

  @Test
  void mergeSharesSpillFilesInsteadOfCopyingAndTheLastHolderDeletesThem() throws IOException {
    Pairs p = Pairs.random(62, 2000, 30, 4.0);
    Path dir = tmp.resolve("share");
    FPMiner b = new FPMiner(p.nItems).withMaxRamBytes(2048).withSpillDirectory(dir);
    p.feed(b, 100);
    long files = countFiles(dir);
    assertTrue(files > 0 && files == b.spillFileCount(), files + " files");
    byte[] before = b.toBytes(); // compacts b into one file
    files = countFiles(dir);
    FPMiner a = new FPMiner(p.nItems).withSpillDirectory(tmp.resolve("share-a"));
    a.merge(b);
    a.merge(b); // twice: two references to the same run
    assertEquals(files, countFiles(dir), "merge copies no spill file");
    assertEquals(0, countFiles(tmp.resolve("share-a")));
    assertArrayEquals(before, b.toBytes(), "merge does not change b");
    b.close();
    assertEquals(files, countFiles(dir), "a still holds b's run");
    ItemsetMiner cfg = ItemsetMiner.minSupport(0.03);
    assertEquals(batch(p, cfg), a.mine(cfg).canonical());
    a.close();
    assertEquals(0, countFiles(dir), "the last holder's close deletes the file, without GC");
  }

  @Test
  void sharedRunsMergedAwaySurviveForTheOtherHolder() throws IOException {
    // Many file runs, merged twice into a: a exceeds MAX_FILE_RUNS and merges its files (each
    // listed twice), releasing its references; b's files stay until b is closed.
    Pairs p = Pairs.random(63, 4000, 40, 5.0);
    Path dir = tmp.resolve("merge-away");
    Path dirA = tmp.resolve("merge-away-a");
    FPMiner b = new FPMiner(p.nItems).withMaxRamBytes(2048).withSpillDirectory(dir);
    p.feed(b, 97);
    int bFiles = b.spillFileCount();
    assertTrue(bFiles > FPMiner.MAX_FILE_RUNS / 2, bFiles + " files");
    assertEquals(bFiles, countFiles(dir));
    String bState = b.toString();
    FPMiner a = new FPMiner(p.nItems).withMaxRamBytes(2048).withSpillDirectory(dirA);
    a.merge(b);
    a.merge(b);
    assertTrue(countFiles(dirA) > 0, "a merged its many file runs into new files of its own");
    assertTrue(a.spillFileCount() <= FPMiner.MAX_FILE_RUNS, a.toString());
    assertEquals(bFiles, countFiles(dir), "b's files are neither copied nor deleted");
    assertEquals(bState, b.toString());
    ItemsetMiner cfg = ItemsetMiner.minSupport(0.03);
    Itemsets expected = batch(p, cfg);
    assertEquals(expected, a.mine(cfg).canonical());
    assertEquals(expected, b.mine(cfg).canonical());
    a.close();
    assertEquals(0, countFiles(dirA));
    assertEquals(bFiles, countFiles(dir), "b still holds its files");
    assertEquals(expected, b.mine(cfg).canonical());
    b.reset();
    assertEquals(0, countFiles(dir), "the last holder's reset deletes them");
  }

  @Test
  void withMaxRamBytesAndWithSpillDirectoryReturnCopies() throws IOException {
    Pairs p = Pairs.random(64, 1500, 30, 4.0);
    Path dir = tmp.resolve("copy");
    FPMiner m = new FPMiner(p.nItems).withSpillDirectory(dir);
    p.feed(m, 50);
    FPMiner small = m.withMaxRamBytes(2048);
    assertNotEquals(System.identityHashCode(m), System.identityHashCode(small));
    assertEquals(FPMiner.DEFAULT_MAX_RAM_BYTES, m.maxRamBytes(), "this is not changed");
    assertEquals(0, m.spillFileCount(), "this does not spill");
    assertEquals(2048, small.maxRamBytes());
    assertTrue(small.spillFileCount() > 0, "the copy applies its budget");
    assertEquals(dir, small.spillDirectory());
    assertEquals(m, small);
    Path other = tmp.resolve("copy-2");
    FPMiner moved = small.withSpillDirectory(other);
    assertEquals(dir, small.spillDirectory(), "this is not changed");
    assertEquals(other, moved.spillDirectory());
    assertEquals(2048, moved.maxRamBytes());
    assertEquals(small, moved);
    ItemsetMiner cfg = ItemsetMiner.minSupport(0.04);
    Itemsets expected = batch(p, cfg);
    assertEquals(expected, m.mine(cfg).canonical());
    assertEquals(expected, small.mine(cfg).canonical());
    small.close();
    assertEquals(expected, moved.mine(cfg).canonical(), "the copy shares, not borrows, the runs");
    moved.close();
    m.close();
    assertEquals(0, countFiles(dir));
    assertEquals(0, countFiles(other));
  }

  @Test
  void decodedMinersSpillFilesAreDeletedByClose() throws IOException {
    Pairs p = Pairs.random(65, 800, 20, 4.0);
    FPMiner a = new FPMiner(p.nItems);
    p.feed(a, 100);
    String before = System.getProperty("java.io.tmpdir");
    Path dir = tmp.resolve("decoded");
    FPMiner holder = new FPMiner(p.nItems).withSpillDirectory(dir);
    try {
      System.setProperty("java.io.tmpdir", dir.toString());
      Files.createDirectories(dir);
      FPMiner d = FPMiner.decode(new ByteArrayInputStream(a.toBytes()), 1024);
      assertEquals(1, countFiles(dir));
      holder.merge(d);
      d.close();
      assertEquals(1, countFiles(dir), "the merged-into miner still holds the run");
      holder.close();
      assertEquals(0, countFiles(dir));
    } finally {
      System.setProperty("java.io.tmpdir", before);
    }
  }
}
