package io.rusket.beam.miner;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streaming, mergeable, memory-bounded accumulator of {@code (transaction id, item id)} pairs
 * that mines frequent itemsets over everything it was given: the miner for event logs too large to
 * hold as rows (click streams, order lines), and the accumulator of the Beam transform MineStream.
 *
 * <pre>{@code
 * try (FPMiner miner = new FPMiner(50_000)) {      // item ids in [0, 50_000)
 *   miner.addChunk(txnIds, itemIds);                // repeated, any chunk size
 *   miner.addChunk(moreTxnIds, moreItemIds);
 *   Itemsets freq = miner.mine(0.01, 3, Method.AUTO);
 *   System.out.println(miner.nTransactions() + " transactions, " + freq.size() + " itemsets");
 * }
 * }</pre>
 *
 * <p><b>Semantics.</b> A transaction is the set of items paired with its id, which may be any
 * {@code long}. The pairs of one transaction may arrive in any order, in different chunks, and in
 * different miners that are {@linkplain #merge merged} later; a repeated pair counts once. Mining
 * sees the transactions in ascending id order, so the result does not depend on how the pairs
 * arrived. Supports are relative to {@link #nTransactions()}, the number of distinct ids.
 *
 * <p><b>Memory.</b> Pairs are buffered in primitive arrays (12 bytes each, plus 12 while the buffer
 * is sorted), then sorted by transaction, de-duplicated and encoded as a compact run (delta
 * varints, typically 1 to 2.5 bytes per pair; see {@code RunFormat}). Buffer and runs stay within
 * {@link #withMaxRamBytes the RAM budget}: beyond it the runs are merged into a sorted temporary
 * file under {@link #withSpillDirectory the spill directory}, and files are merged when there are
 * many, so at most {@value #MAX_FILE_RUNS} are ever open. {@link #mine mine} k-way merges all runs
 * twice, streaming: a first pass counts N and each item's support, a second builds compressed
 * sparse rows holding only the frequent items (4 bytes per frequent pair and 4 per transaction),
 * which the {@link ItemsetMiner} then mines. Spill files are deleted deterministically: by {@link
 * #close()} and {@link #reset()} (once no other miner shares them, see {@link #merge}), and as soon
 * as a merge of runs replaces them; mining does not consume the miner, so close it when done. A
 * Cleaner (when a miner is garbage-collected unclosed) and a shutdown hook (at JVM exit) are only
 * safety nets.
 *
 * <p><b>Merging and encoding</b> make it an accumulator: {@link #merge(FPMiner)} adds another
 * miner's pairs without changing it (sharing its immutable runs, files included, instead of copying
 * them), and {@link #encode}/{@link #decode} give a compact, canonical binary form: miners are
 * {@link #equals equal} exactly when they encode to equal bytes, and equality changes neither
 * miner.
 *
 * <p><b>Configuration</b> ({@link #withMaxRamBytes}, {@link #withSpillDirectory}) returns a copy;
 * the miner it is called on is not changed.
 *
 * <p>Bad input is rejected whole, before anything is added, with an {@link
 * IllegalArgumentException} naming the value and its position; the miner stays usable.
 *
 * <p>Not thread-safe: use one miner per thread and {@link #merge} them.
 */
public final class FPMiner implements AutoCloseable {
  /** Default RAM budget: a quarter of the maximum heap, at most 256 MiB. */
  public static final long DEFAULT_MAX_RAM_BYTES =
      Math.min(256L << 20, Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4));

  /** Smallest accepted RAM budget. */
  public static final long MIN_RAM_BYTES = 1024;

  /** In-memory runs beyond this count are merged into one. */
  static final int MAX_MEMORY_RUNS = 16;

  /** Spill files beyond this count are merged into one. */
  static final int MAX_FILE_RUNS = 32;

  private static final int MAX_BUFFER_PAIRS = 1 << 22;
  private static final int MIN_BUFFER_PAIRS = 64;
  private static final byte[] MAGIC = {'F', 'P', 'M', 1};
  private static final long[] NO_LONGS = new long[0];
  private static final int[] NO_INTS = new int[0];

  private final int nItems;
  private final long maxRamBytes;

  /** Null: {@code java.io.tmpdir}. */
  private final Path spillDirectory;

  // Unsorted pairs.
  private long[] bufTxn = NO_LONGS;
  private int[] bufItem = NO_INTS;
  private int bufLen;
  // Radix-sort scratch, allocated at the first sort.
  private long[] tmpTxn = NO_LONGS;
  private int[] tmpItem = NO_INTS;

  private final ArrayList<MemRun> memRuns = new ArrayList<>();
  private long memRunBytes;

  /** One reference per entry (a run merged twice is listed, and referenced, twice). */
  private final ArrayList<FileRun> fileRuns = new ArrayList<>();

  /** Registered at the first file run held: releases {@link #fileRuns} if this is collected. */
  private Cleaner.Cleanable cleanable;

  /** Set by a packed sort: the buffer holds gathered keys, to be restored with these bits. */
  private KeyBits packedKeys;

  private long nRows;

  /** Distinct transactions, or -1 when not known since the last change. */
  private long cachedTxns = -1;

  /**
   * A miner for item ids in {@code [0, nItems)}.
   *
   * @throws IllegalArgumentException if {@code nItems} is negative
   */
  public FPMiner(int nItems) {
    this(checkItems(nItems), DEFAULT_MAX_RAM_BYTES, null);
  }

  private FPMiner(int nItems, long maxRamBytes, Path spillDirectory) {
    this.nItems = nItems;
    this.maxRamBytes = maxRamBytes;
    this.spillDirectory = spillDirectory;
  }

  private static int checkItems(int nItems) {
    if (nItems < 0) {
      throw new IllegalArgumentException("nItems must be >= 0, got " + nItems);
    }
    return nItems;
  }

  /**
   * A copy of this miner with the RAM budget {@code bytes} for buffered pairs and in-memory runs;
   * beyond it runs spill to disk. Mining needs memory beyond this for the frequent items' rows (see
   * the class comment). This miner is not changed.
   *
   * <p>The copy has the same pairs (in-memory runs and spill files are shared, not copied: see
   * {@link #merge}) and the same spill directory; both must be {@link #close() closed} (the usual
   * form, {@code m = new FPMiner(n).withMaxRamBytes(b)}, copies an empty miner).
   *
   * @throws IllegalArgumentException if below {@value #MIN_RAM_BYTES} bytes
   */
  public FPMiner withMaxRamBytes(long bytes) {
    if (bytes < MIN_RAM_BYTES) {
      throw new IllegalArgumentException(
          "maxRamBytes must be at least " + MIN_RAM_BYTES + " bytes, got " + bytes);
    }
    return copy(bytes, spillDirectory);
  }

  /**
   * A copy of this miner that spills runs to {@code dir} (default: {@code java.io.tmpdir}); this
   * miner is not changed. Contents are shared as by {@link #withMaxRamBytes}; runs already spilled
   * stay where they are.
   *
   * @throws IllegalArgumentException if {@code dir} is null
   */
  public FPMiner withSpillDirectory(Path dir) {
    if (dir == null) {
      throw new IllegalArgumentException("spill directory must not be null");
    }
    return copy(maxRamBytes, dir);
  }

  /** The spill directory, or null for {@code java.io.tmpdir}. */
  public Path spillDirectory() {
    return spillDirectory;
  }

  /** A new miner with this configuration changed and the same contents. */
  private FPMiner copy(long budget, Path dir) {
    FPMiner c = new FPMiner(nItems, budget, dir);
    c.addAll(this);
    c.cachedTxns = cachedTxns;
    return c;
  }

  /** The item id bound: ids are in {@code [0, nItems())}. */
  public int nItems() {
    return nItems;
  }

  /** Pairs accepted so far, repeats included. */
  public long nRows() {
    return nRows;
  }

  /** The RAM budget in bytes. */
  public long maxRamBytes() {
    return maxRamBytes;
  }

  /**
   * Number of distinct transaction ids seen, N. Known without work after {@link #compact()} or
   * mining; otherwise one streaming merge of the runs.
   */
  public long nTransactions() {
    if (cachedTxns < 0) {
      flushBuffer();
      if (memRuns.size() + fileRuns.size() == 1) {
        cachedTxns = memRuns.isEmpty() ? fileRuns.get(0).nTxns : memRuns.get(0).nTxns;
      } else {
        cachedTxns = mergeAll((txn, items, n) -> {});
      }
    }
    return cachedTxns;
  }

  /** Bytes held on the heap: the pair buffers and the in-memory runs. */
  public long ramBytesUsed() {
    return (long) RamUsage.PAIR * (bufTxn.length + tmpTxn.length) + memRunBytes;
  }

  /** Bytes of runs currently spilled to disk. */
  public long spilledBytes() {
    long b = 0;
    for (FileRun f : fileRuns) {
      b += f.bytes;
    }
    return b;
  }

  /** Number of spill files currently held. */
  public int spillFileCount() {
    return fileRuns.size();
  }

  /** Adds one pair. */
  public void add(long txnId, int itemId) {
    if (itemId < 0 || itemId >= nItems) {
      throw new IllegalArgumentException(
          "Invalid item id "
              + itemId
              + " for transaction "
              + txnId
              + ". Valid range is [0, "
              + nItems
              + ").");
    }
    if (bufLen == bufTxn.length) {
      makeRoom();
    }
    bufTxn[bufLen] = txnId;
    bufItem[bufLen] = itemId;
    bufLen++;
    nRows++;
    cachedTxns = -1;
  }

  /**
   * Adds the pairs {@code (txnIds[i], itemIds[i])}. The arrays are not kept.
   *
   * @throws IllegalArgumentException for a null array, different lengths, or an item id outside
   *     {@code [0, nItems)} (naming the value and its position); nothing is added then
   */
  public void addChunk(long[] txnIds, int[] itemIds) {
    if (txnIds == null || itemIds == null) {
      throw new IllegalArgumentException(
          (txnIds == null ? "txnIds" : "itemIds") + " must not be null");
    }
    if (txnIds.length != itemIds.length) {
      throw new IllegalArgumentException(
          "txnIds has " + txnIds.length + " entries but itemIds has " + itemIds.length);
    }
    addChunk(txnIds, itemIds, 0, txnIds.length);
  }

  /**
   * Adds the pairs at positions {@code [offset, offset + length)} of both arrays (for callers that
   * reuse arrays, such as columnar batch readers).
   *
   * @throws IllegalArgumentException as {@link #addChunk(long[], int[])}, or for a range outside
   *     either array
   */
  public void addChunk(long[] txnIds, int[] itemIds, int offset, int length) {
    if (txnIds == null || itemIds == null) {
      throw new IllegalArgumentException(
          (txnIds == null ? "txnIds" : "itemIds") + " must not be null");
    }
    if (offset < 0
        || length < 0
        || offset + length < 0
        || offset + length > txnIds.length
        || offset + length > itemIds.length) {
      throw new IllegalArgumentException(
          "Range ["
              + offset
              + ", "
              + ((long) offset + length)
              + ") is outside txnIds (length "
              + txnIds.length
              + ") or itemIds (length "
              + itemIds.length
              + ")");
    }
    final int end = offset + length;
    final int bound = nItems;
    for (int i = offset; i < end; i++) {
      int item = itemIds[i];
      if (item < 0 || item >= bound) {
        throw new IllegalArgumentException(
            "Invalid item id "
                + item
                + " at position "
                + i
                + " (transaction "
                + txnIds[i]
                + "). Valid range is [0, "
                + bound
                + ").");
      }
    }
    appendUnchecked(txnIds, itemIds, offset, end);
    nRows += length;
  }

  private void appendUnchecked(long[] txnIds, int[] itemIds, int from, int end) {
    int i = from;
    while (i < end) {
      if (bufLen == bufTxn.length) {
        makeRoom();
      }
      int n = Math.min(end - i, bufTxn.length - bufLen);
      System.arraycopy(txnIds, i, bufTxn, bufLen, n);
      System.arraycopy(itemIds, i, bufItem, bufLen, n);
      bufLen += n;
      i += n;
    }
    if (end > from) {
      cachedTxns = -1;
    }
  }

  /**
   * Adds every pair of {@code other}, which is not changed: its buffered pairs are copied, its runs
   * (immutable once written) are shared — in-memory runs by reference, spill files by reference
   * counting, so nothing is copied on disk. A shared spill file is deleted when the last miner
   * holding it is {@link #close() closed} or {@link #reset() reset}, or merges it away into a new
   * run (or, as a safety net, is garbage-collected).
   *
   * @throws IllegalArgumentException if {@code other} is null, this miner, or has a different
   *     {@link #nItems()}
   */
  public void merge(FPMiner other) {
    if (other == null) {
      throw new IllegalArgumentException("Cannot merge a null FPMiner");
    }
    if (other == this) {
      throw new IllegalArgumentException("Cannot merge an FPMiner into itself");
    }
    if (other.nItems != nItems) {
      throw new IllegalArgumentException(
          "Cannot merge an FPMiner over " + other.nItems + " items into one over " + nItems);
    }
    addAll(other);
  }

  /** The body of {@link #merge}: adds every pair of {@code other} (not changed). */
  private void addAll(FPMiner other) {
    appendUnchecked(other.bufTxn, other.bufItem, 0, other.bufLen);
    for (MemRun r : other.memRuns) {
      memRuns.add(r);
      memRunBytes += r.data.length;
    }
    for (FileRun f : other.fileRuns) {
      hold(f.retain());
    }
    nRows += other.nRows;
    cachedTxns = -1;
    manageMemory();
  }

  /**
   * Mines the frequent itemsets with support at least {@code minSupport} and at most {@code maxLen}
   * items, with the given method.
   */
  public Itemsets mine(double minSupport, int maxLen, Method method) {
    return mine(ItemsetMiner.minSupport(minSupport).withMaxLen(maxLen).withMethod(method));
  }

  /** Mines every frequent itemset with support at least {@code minSupport} (no length limit). */
  public Itemsets mine(double minSupport) {
    return mine(ItemsetMiner.minSupport(minSupport));
  }

  /** Mines with a full configuration (threshold, length limit, method, threads). */
  public Itemsets mine(ItemsetMiner config) {
    Frequent f = frequent(config::minCountFor, true);
    if (f.rankToId == null) {
      return config.mine(f.db);
    }
    Itemsets.Collector c = Itemsets.collector(f.db.size(), null);
    config.mine(f.db, f.toIds(c));
    return c.build();
  }

  /** Mines with a full configuration, streaming the itemsets to {@code sink}. */
  public long mine(ItemsetMiner config, ItemsetSink sink) {
    Frequent f = frequent(config::minCountFor, true);
    return config.mine(f.db, f.rankToId == null ? sink : f.toIds(sink));
  }

  /**
   * The transactions as a database holding only the items frequent for {@code config} (the others
   * cannot be in a frequent itemset); N counts every transaction, emptied or not. The database's
   * item bound is one more than the largest id seen, whatever {@link #nItems()} is.
   */
  public TransactionDb toTransactionDb(ItemsetMiner config) {
    return frequent(config::minCountFor, false).db;
  }

  /**
   * Every transaction in ascending id order, with all its items (item bound: the largest id seen
   * plus one).
   */
  public TransactionDb toTransactionDb() {
    return frequent(n -> 0, false).db;
  }

  private interface Threshold {
    long minCountFor(long n);
  }

  /**
   * The frequent part of the transactions, from two merge passes. Memory follows the ids actually
   * seen, never {@link #nItems()} (a bound, possibly far above any id): supports of ids below
   * {@link ItemIdMap#DENSE_IDS} are counted in an array sized by the largest of them, larger ids in
   * an {@link ItemIdMap}. With {@code recode} and any id that large, the database holds dense ranks
   * (ascending with the ids) and {@code rankToId} maps them back; otherwise ids as they are.
   */
  private Frequent frequent(Threshold threshold, boolean recode) {
    final int[][] smallRef = {NO_INTS}; // supports of ids < DENSE_IDS, grown on demand
    final ItemIdMap large = new ItemIdMap();
    final int[] top = {-1}; // largest id seen
    final long n =
        mergeAll(
            (txn, items, len) -> {
              if (len == 0) {
                return;
              }
              int last = items[len - 1]; // items ascending: the largest
              top[0] = Math.max(top[0], last);
              int[] small = smallRef[0];
              if (last >= small.length && small.length < ItemIdMap.DENSE_IDS) {
                small =
                    smallRef[0] = ArrayUtil.grow(small, Math.min(last + 1L, ItemIdMap.DENSE_IDS));
              }
              for (int k = 0; k < len; k++) {
                int item = items[k];
                if (item < small.length) {
                  small[item]++;
                } else {
                  large.addTo(item, 1);
                }
              }
            });
    cachedTxns = n;
    if (n > ArrayUtil.MAX_ARRAY_LENGTH - 1) {
      throw new IllegalStateException(
          n
              + " transactions exceed the "
              + (ArrayUtil.MAX_ARRAY_LENGTH - 1)
              + " one mining run can hold");
    }
    final long minCount = Math.max(1, threshold.minCountFor(n));
    final int[] small = smallRef[0];
    // code[id] for small ids: -1 dropped, else the id itself or its rank
    final int[] code = new int[small.length];
    long entries = 0;
    int kept = 0;
    for (int i = 0; i < small.length; i++) {
      if (small[i] >= minCount) {
        entries += small[i];
        code[i] = kept++;
      } else {
        code[i] = -1;
      }
    }
    int[] largeIds = large.sortedIds();
    final ItemIdMap largeCode = new ItemIdMap();
    for (int id : largeIds) {
      long count = large.get(id, 0);
      if (count >= minCount) {
        entries += count;
        largeCode.addTo(id, kept++);
      }
    }
    if (entries > ArrayUtil.MAX_ARRAY_LENGTH) {
      throw new IllegalStateException(
          entries
              + " frequent (transaction, item) pairs exceed the "
              + ArrayUtil.MAX_ARRAY_LENGTH
              + " one mining run can hold");
    }
    final boolean ranks = recode && largeCode.size() > 0;
    int[] rankToId = null;
    if (ranks) {
      rankToId = new int[kept];
      for (int i = 0; i < small.length; i++) {
        if (code[i] >= 0) {
          rankToId[code[i]] = i;
        }
      }
      for (int id : largeIds) {
        long r = largeCode.get(id, -1);
        if (r >= 0) {
          rankToId[(int) r] = id;
        }
      }
    } else {
      for (int i = 0; i < small.length; i++) {
        if (code[i] >= 0) {
          code[i] = i;
        }
      }
    }
    final int[] offsets = new int[(int) n + 1];
    final int[] rows = new int[(int) entries];
    final int[] state = new int[2]; // [transaction index, fill]
    mergeAll(
        (txn, items, len) -> {
          int fill = state[1];
          for (int k = 0; k < len; k++) {
            int item = items[k];
            int c;
            if (item < code.length) {
              c = code[item];
            } else {
              long r = largeCode.get(item, -1);
              c = r < 0 ? -1 : ranks ? (int) r : item;
            }
            if (c >= 0) {
              rows[fill++] = c;
            }
          }
          state[1] = fill;
          offsets[++state[0]] = fill;
        });
    int bound = ranks ? kept : top[0] + 1;
    return new Frequent(TransactionDb.trusted(offsets, rows, bound), rankToId);
  }

  /** A database of frequent items and, when it holds ranks, the id of each rank. */
  private static final class Frequent {
    final TransactionDb db;
    final int[] rankToId; // null when the database holds the ids themselves

    Frequent(TransactionDb db, int[] rankToId) {
      this.db = db;
      this.rankToId = rankToId;
    }

    /** {@code sink} receiving ids instead of ranks (ranks ascend with ids, so order is kept). */
    ItemsetSink toIds(ItemsetSink sink) {
      final int[] ids = rankToId;
      return new ItemsetSink() {
        private int[] buf = new int[16];

        @Override
        public void accept(int[] items, int length, long count) {
          int[] b = buf = ArrayUtil.grow(buf, length);
          for (int k = 0; k < length; k++) {
            b[k] = ids[items[k]];
          }
          sink.accept(b, length, count);
        }
      };
    }
  }

  /** Receives transactions: {@code items[0..n)} strictly ascending, valid only during the call. */
  @FunctionalInterface
  public interface TransactionVisitor {
    void visit(long txnId, int[] items, int n);
  }

  /**
   * Streams every transaction, in ascending id order with its distinct items ascending, to {@code
   * visitor} (one merge of the runs; nothing is materialised).
   *
   * @return the number of transactions, N
   */
  public long forEachTransaction(TransactionVisitor visitor) {
    long n = mergeAll((txn, items, len) -> visitor.visit(txn, items, len));
    cachedTxns = n;
    return n;
  }

  /** Each item's support: the number of distinct transactions holding it (one merge pass). */
  public long[] itemSupports() {
    long[] support = new long[nItems];
    forEachTransaction(
        (txn, items, n) -> {
          for (int k = 0; k < n; k++) {
            support[items[k]]++;
          }
        });
    return support;
  }

  /**
   * Puts every pair into one sorted run (in memory when it fits the budget, else on disk): the
   * canonical form that {@link #encode} writes. Changes no content.
   */
  public void compact() {
    flushBuffer();
    if (memRuns.size() + fileRuns.size() <= 1) {
      return;
    }
    long bytes = memRunBytes + spilledBytes();
    if (fileRuns.isEmpty() && bytes <= maxRamBytes) {
      mergeMemRuns();
    } else {
      spillAll();
    }
    cachedTxns = fileRuns.isEmpty() ? memRuns.get(0).nTxns : fileRuns.get(0).nTxns;
  }

  /**
   * Drops every pair and releases the spill files: each is deleted now unless another miner still
   * shares it (through {@link #merge} or a {@code withX} copy), then when the last one releases it.
   * The configuration stays, and the miner stays usable.
   */
  public void reset() {
    bufTxn = NO_LONGS;
    bufItem = NO_INTS;
    tmpTxn = NO_LONGS;
    tmpItem = NO_INTS;
    bufLen = 0;
    memRuns.clear();
    memRunBytes = 0;
    releaseAll(fileRuns);
    nRows = 0;
    cachedTxns = -1;
  }

  /**
   * Same as {@link #reset()}: releases memory and the spill files. Call it when done with a miner
   * (mining does not consume it: {@link #mine} leaves the runs, and their files, in place for
   * another call).
   */
  @Override
  public void close() {
    reset();
  }

  // ---------------------------------------------------------------- encoding

  /**
   * Writes the canonical binary form: a header (magic, item bound, rows, N, distinct pairs, data
   * length) and one sorted run. The configuration (budget, spill directory) is not part of it.
   * {@link #compact() Compacts} first. The stream is not closed.
   */
  public void encode(OutputStream out) throws IOException {
    compact();
    long nTxns = 0;
    long nPairs = 0;
    long bytes = 0;
    if (!memRuns.isEmpty()) {
      MemRun r = memRuns.get(0);
      nTxns = r.nTxns;
      nPairs = r.nPairs;
      bytes = r.data.length;
    } else if (!fileRuns.isEmpty()) {
      FileRun f = fileRuns.get(0);
      nTxns = f.nTxns;
      nPairs = f.nPairs;
      bytes = f.bytes;
    }
    out.write(MAGIC);
    RunFormat.writeVarLong(out, nItems);
    RunFormat.writeVarLong(out, nRows);
    RunFormat.writeVarLong(out, nTxns);
    RunFormat.writeVarLong(out, nPairs);
    RunFormat.writeVarLong(out, bytes);
    if (!memRuns.isEmpty()) {
      out.write(memRuns.get(0).data);
    } else if (!fileRuns.isEmpty()) {
      Files.copy(fileRuns.get(0).path, out);
    }
  }

  /** The length of {@link #encode}'s output, without writing it ({@link #compact() compacts}). */
  public long encodedSize() {
    compact();
    long nTxns = 0;
    long nPairs = 0;
    long bytes = 0;
    if (!memRuns.isEmpty()) {
      nTxns = memRuns.get(0).nTxns;
      nPairs = memRuns.get(0).nPairs;
      bytes = memRuns.get(0).data.length;
    } else if (!fileRuns.isEmpty()) {
      nTxns = fileRuns.get(0).nTxns;
      nPairs = fileRuns.get(0).nPairs;
      bytes = fileRuns.get(0).bytes;
    }
    return MAGIC.length
        + varLen(nItems)
        + varLen(nRows)
        + varLen(nTxns)
        + varLen(nPairs)
        + varLen(bytes)
        + bytes;
  }

  private static int varLen(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** The canonical binary form as a byte array. */
  public byte[] toBytes() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      encode(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Reads a miner written by {@link #encode}, with the default RAM budget. */
  public static FPMiner decode(InputStream in) throws IOException {
    return decode(in, DEFAULT_MAX_RAM_BYTES);
  }

  /**
   * Reads a miner written by {@link #encode}, consuming exactly its bytes, with RAM budget {@code
   * maxRamBytes}: run data larger than the budget goes straight to a spill file.
   *
   * @throws IOException for truncated or corrupt input, saying what was expected
   */
  public static FPMiner decode(InputStream in, long maxRamBytes) throws IOException {
    if (maxRamBytes < MIN_RAM_BYTES) {
      throw new IllegalArgumentException(
          "maxRamBytes must be at least " + MIN_RAM_BYTES + " bytes, got " + maxRamBytes);
    }
    byte[] magic = new byte[MAGIC.length];
    int got = in.readNBytes(magic, 0, magic.length);
    if (got < magic.length) {
      throw new EOFException("Truncated FPMiner encoding: " + got + " of 4 header bytes");
    }
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(
          "Not an FPMiner encoding (version 1): header bytes " + Arrays.toString(magic));
    }
    long nItems = RunFormat.readVarLong(in, "the item bound");
    long nRows = RunFormat.readVarLong(in, "the row count");
    long budget = maxRamBytes;
    long nTxns = RunFormat.readVarLong(in, "the transaction count");
    long nPairs = RunFormat.readVarLong(in, "the pair count");
    long bytes = RunFormat.readVarLong(in, "the run length");
    if (nItems < 0 || nItems > Integer.MAX_VALUE) {
      throw new IOException("Corrupt FPMiner encoding: item bound " + nItems);
    }
    if (nRows < nPairs
        || nTxns < 0
        || nPairs < 0
        || bytes < 0
        || (nTxns == 0) != (bytes == 0)
        || bytes < nTxns * 2) {
      throw new IOException(
          "Corrupt FPMiner encoding: rows "
              + nRows
              + ", transactions "
              + nTxns
              + ", pairs "
              + nPairs
              + ", run bytes "
              + bytes);
    }
    FPMiner m = new FPMiner((int) nItems, budget, null);
    m.nRows = nRows;
    if (bytes > 0) {
      if (bytes <= Math.min(budget, ArrayUtil.MAX_ARRAY_LENGTH)) {
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
          throw new EOFException(
              "Truncated FPMiner encoding: " + data.length + " of " + bytes + " run bytes");
        }
        m.memRuns.add(new MemRun(data, nTxns, nPairs));
        m.memRunBytes = bytes;
      } else {
        Path file = m.newSpillFile();
        try (OutputStream out = Files.newOutputStream(file)) {
          byte[] chunk = new byte[1 << 16];
          long left = bytes;
          while (left > 0) {
            int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (r < 0) {
              throw new EOFException(
                  "Truncated FPMiner encoding: " + (bytes - left) + " of " + bytes + " run bytes");
            }
            out.write(chunk, 0, r);
            left -= r;
          }
        } catch (IOException | RuntimeException e) {
          deleteSpillFile(file);
          throw e;
        }
        m.hold(new FileRun(file, bytes, nTxns, nPairs));
      }
    }
    m.cachedTxns = nTxns;
    return m;
  }

  /** Reads a miner from {@link #toBytes()} output, with the default RAM budget. */
  public static FPMiner fromBytes(byte[] bytes) throws IOException {
    java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
    FPMiner m = decode(in, DEFAULT_MAX_RAM_BYTES);
    if (in.available() > 0) {
      m.close();
      throw new IOException(
          "Corrupt FPMiner encoding: " + in.available() + " bytes after the end of the run");
    }
    return m;
  }

  /**
   * Equal iff the same item bound, the same row count and the same set of distinct pairs (whatever
   * the budgets, spill directories and internal layout): exactly when {@link #encode} writes the
   * same bytes for both, so the coder of this class can be consistent with equals.
   *
   * <p>Changes neither miner (no flush, compaction, spill or encoding): it walks both miners'
   * transactions side by side through a read-only merge of their runs. Cost: up to one streaming
   * pass over each miner's runs (spill files are read, not written), stopping at the first
   * difference, plus a sorted copy of each miner's pairs not yet flushed to a run (at most the
   * buffer: 12 bytes per pair, twice while sorting).
   */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof FPMiner)) {
      return false;
    }
    FPMiner other = (FPMiner) o;
    if (nItems != other.nItems
        || nRows != other.nRows
        || (cachedTxns >= 0 && other.cachedTxns >= 0 && cachedTxns != other.cachedTxns)) {
      return false;
    }
    List<InputStream> opened = new ArrayList<>();
    try {
      RunFormat.Merger a = readOnlyView(opened);
      RunFormat.Merger b = other.readOnlyView(opened);
      while (true) {
        boolean hasA = a.next();
        if (hasA != b.next()) {
          return false;
        }
        if (!hasA) {
          return true;
        }
        if (a.txn != b.txn || !Arrays.equals(a.items, 0, a.length, b.items, 0, b.length)) {
          return false;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read FPMiner runs: " + e.getMessage(), e);
    } finally {
      closeAll(opened);
    }
  }

  /**
   * A hash of the item bound, the row count and every distinct pair, consistent with {@link
   * #equals}; changes nothing. Cost: one streaming pass over the runs, as {@link #equals}.
   */
  @Override
  public int hashCode() {
    int h = 31 * Integer.hashCode(nItems) + Long.hashCode(nRows);
    List<InputStream> opened = new ArrayList<>();
    try {
      RunFormat.Merger m = readOnlyView(opened);
      while (m.next()) {
        h = 31 * h + Long.hashCode(m.txn);
        final int[] items = m.items;
        for (int k = 0, n = m.length; k < n; k++) {
          h = 31 * h + items[k];
        }
      }
      return h;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read FPMiner runs: " + e.getMessage(), e);
    } finally {
      closeAll(opened);
    }
  }

  /**
   * Every transaction, merged across the runs and the unflushed buffer, without changing this
   * miner: the buffer is sorted in a copy (a throw-away miner with an unlimited budget, so it never
   * spills), the runs are read in place. Streams opened are added to {@code opened}.
   */
  private RunFormat.Merger readOnlyView(List<InputStream> opened) throws IOException {
    List<RunFormat.Cursor> cursors = new ArrayList<>(Arrays.asList(cursors(memRuns)));
    if (bufLen > 0) {
      FPMiner sorted = new FPMiner(nItems, Long.MAX_VALUE, null);
      sorted.bufTxn = Arrays.copyOf(bufTxn, bufLen);
      sorted.bufItem = Arrays.copyOf(bufItem, bufLen);
      sorted.bufLen = bufLen;
      sorted.flushBuffer();
      assert sorted.memRuns.size() == 1 && sorted.fileRuns.isEmpty() : sorted;
      cursors.addAll(Arrays.asList(cursors(sorted.memRuns)));
    }
    for (FileRun f : fileRuns) {
      InputStream in = Files.newInputStream(f.path);
      opened.add(in);
      cursors.add(new RunFormat.Cursor(in, f.nTxns, f.path.toString()));
    }
    return new RunFormat.Merger(cursors.toArray(new RunFormat.Cursor[0]));
  }

  @Override
  public String toString() {
    return "FPMiner{nItems="
        + nItems
        + ", rows="
        + nRows
        + ", buffered="
        + bufLen
        + ", memoryRuns="
        + memRuns.size()
        + " ("
        + memRunBytes
        + " bytes), spillFiles="
        + fileRuns.size()
        + "}";
  }

  // ---------------------------------------------------------------- buffer and runs

  private int bufferCap() {
    // The buffer and its sort scratch (2 × PAIR bytes per pair) take at most a quarter of the
    // budget.
    return (int)
        Math.max(MIN_BUFFER_PAIRS, Math.min(MAX_BUFFER_PAIRS, maxRamBytes / (8 * RamUsage.PAIR)));
  }

  private void makeRoom() {
    int cap = bufferCap();
    if (bufTxn.length < cap) {
      int next = Math.min(cap, ArrayUtil.grow(bufTxn.length, Math.min(cap, 1024)));
      bufTxn = Arrays.copyOf(bufTxn, next);
      bufItem = Arrays.copyOf(bufItem, next);
    } else {
      flushBuffer();
    }
  }

  /** Sorts, de-duplicates and encodes the buffer into a new in-memory run. */
  private void flushBuffer() {
    if (bufLen == 0) {
      return;
    }
    boolean itemsSorted = sortBuffer();
    // After a packed sort the buffer holds gathered keys (equal iff the ids are), restored once
    // per transaction here rather than once per pair.
    KeyBits keys = packedKeys;
    packedKeys = null;
    int n = bufLen;
    long[] t = bufTxn;
    int[] it = bufItem;
    RunFormat.Writer w = new RunFormat.Writer(n * 2 + 16);
    try {
      int i = 0;
      while (i < n) {
        long key = t[i];
        int j = i + 1;
        while (j < n && t[j] == key) {
          j++;
        }
        // The items of one transaction, de-duplicated in place (the buffer is consumed).
        int len =
            j - i == 1
                ? 1
                : itemsSorted ? RunFormat.unique(it, i, j) : RunFormat.sortUnique(it, i, j);
        w.write(keys == null ? key : keys.ungather(key), it, i, len);
        i = j;
      }
    } catch (IOException e) {
      throw new AssertionError("in-memory writer", e);
    }
    bufLen = 0;
    byte[] data = w.toByteArray();
    memRuns.add(new MemRun(data, w.nTxns(), w.nPairs()));
    memRunBytes += data.length;
    manageMemory();
  }

  /**
   * Sorts the buffer by transaction id, stably: an LSD radix sort over only the bits in which the
   * ids differ (gathered into a compact key, so ids such as {@code chunk << 40 | n} cost two
   * passes, not five); already sorted input costs one scan.
   */
  private boolean sortBuffer() {
    final int n = bufLen;
    final long[] t = bufTxn;
    final long first = t[0];
    long diff = 0;
    boolean sorted = true;
    for (int i = 1; i < n; i++) {
      long v = t[i];
      if (v < t[i - 1]) {
        sorted = false;
      }
      diff |= v ^ first;
    }
    if (sorted) {
      return false;
    }
    // Key: the varying bits of (id with the sign bit flipped), gathered high to low; their
    // unsigned order is the ids' signed order because the other bits are equal in every id.
    final KeyBits keyBits = new KeyBits(first, diff);
    final int bits = Long.bitCount(diff);
    final int passes = (bits + 10) / 11;
    final int digitBits = (bits + passes - 1) / passes;
    final int mask = (1 << digitBits) - 1;
    if (tmpTxn.length < bufTxn.length) {
      tmpTxn = new long[bufTxn.length];
    }
    if (bits <= 32) {
      return sortPacked(n, keyBits, passes, digitBits);
    }
    if (tmpItem.length < bufTxn.length) {
      tmpItem = new int[bufTxn.length];
    }
    // The ids become their gathered keys in place (and are restored at the end).
    for (int i = 0; i < n; i++) {
      t[i] = keyBits.gather(t[i]);
    }
    int[] count = new int[1 << digitBits];
    long[] srcT = bufTxn;
    int[] srcI = bufItem;
    long[] dstT = tmpTxn;
    int[] dstI = tmpItem;
    for (int p = 0; p < passes; p++) {
      final int shift = p * digitBits;
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) ((srcT[i] >>> shift) & mask)]++;
      }
      exclusivePrefixSums(count);
      for (int i = 0; i < n; i++) {
        long k = srcT[i];
        int pos = count[(int) ((k >>> shift) & mask)]++;
        dstT[pos] = k;
        dstI[pos] = srcI[i];
      }
      long[] st = srcT;
      srcT = dstT;
      dstT = st;
      int[] si = srcI;
      srcI = dstI;
      dstI = si;
    }
    for (int i = 0; i < n; i++) {
      srcT[i] = keyBits.ungather(srcT[i]);
    }
    bufTxn = srcT;
    bufItem = srcI;
    tmpTxn = dstT;
    tmpItem = dstI;
    return false;
  }

  /**
   * The common case of {@link #sortBuffer}: keys of at most 32 bits travel packed with their item
   * in one long ({@code key << 32 | item}), so each radix pass scatters one array, not two. When
   * item ids take at most 12 bits, a first pass on them leaves each transaction's items sorted.
   *
   * @return whether the items of each transaction are sorted
   */
  private boolean sortPacked(int n, KeyBits keyBits, int passes, int digitBits) {
    final long[] t = bufTxn;
    final int[] it = bufItem;
    final int mask = (1 << digitBits) - 1;
    final int itemBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, nItems - 1));
    final boolean itemPass = itemBits <= 12;
    final int itemMask = (1 << itemBits) - 1;
    // Keys packed in place, and every pass's digit histogram in the same scan.
    final int[][] counts = new int[passes][1 << digitBits];
    final int[] itemCount = new int[itemPass ? 1 << itemBits : 0];
    for (int i = 0; i < n; i++) {
      long k = keyBits.gather(t[i]);
      int item = it[i];
      t[i] = (k << 32) | (item & 0xFFFFFFFFL);
      for (int p = 0; p < passes; p++) {
        counts[p][(int) ((k >>> (p * digitBits)) & mask)]++;
      }
      if (itemPass) {
        itemCount[item & itemMask]++;
      }
    }
    long[] src = t;
    long[] dst = tmpTxn;
    if (itemPass) {
      exclusivePrefixSums(itemCount);
      for (int i = 0; i < n; i++) {
        long x = src[i];
        dst[itemCount[(int) x & itemMask]++] = x;
      }
      src = dst;
      dst = t;
    }
    for (int p = 0; p < passes; p++) {
      final int shift = 32 + p * digitBits;
      final int[] count = counts[p];
      exclusivePrefixSums(count);
      for (int i = 0; i < n; i++) {
        long x = src[i];
        dst[count[(int) ((x >>> shift) & mask)]++] = x;
      }
      long[] sw = src;
      src = dst;
      dst = sw;
    }
    for (int i = 0; i < n; i++) {
      long x = src[i];
      t[i] = x >>> 32; // the key; t is src or the other array: i is read, then written
      it[i] = (int) x;
    }
    packedKeys = keyBits;
    return itemPass;
  }

  /** Turns counts into their exclusive prefix sums: the first position of each bucket. */
  private static void exclusivePrefixSums(int[] count) {
    int sum = 0;
    for (int d = 0; d < count.length; d++) {
      int c = count[d];
      count[d] = sum;
      sum += c;
    }
  }

  /**
   * The bits in which a buffer's transaction ids differ, gathered into a dense key (high runs to
   * high bits) and scattered back. Keys order as the ids do: the sign bit is flipped first, and
   * every other bit is the same in all ids.
   */
  private static final class KeyBits {
    private final int runs;
    private final int[] shift = new int[32];
    private final long[] mask = new long[32];
    private final int[] offset = new int[32];
    private final long common;

    KeyBits(long first, long diff) {
      int r = 0;
      int off = 0;
      for (int b = 0; b < 64; ) {
        if ((diff >>> b & 1) == 0) {
          b++;
          continue;
        }
        int e = b;
        while (e < 64 && (diff >>> e & 1) != 0) {
          e++;
        }
        shift[r] = b;
        mask[r] = e - b == 64 ? -1L : (1L << (e - b)) - 1;
        offset[r] = off;
        off += e - b;
        r++;
        b = e;
      }
      runs = r;
      common = (first ^ Long.MIN_VALUE) & ~diff;
    }

    long gather(long id) {
      long v = id ^ Long.MIN_VALUE;
      long k = 0;
      for (int r = 0; r < runs; r++) {
        k |= ((v >>> shift[r]) & mask[r]) << offset[r];
      }
      return k;
    }

    long ungather(long key) {
      long v = common;
      for (int r = 0; r < runs; r++) {
        v |= ((key >>> offset[r]) & mask[r]) << shift[r];
      }
      return v ^ Long.MIN_VALUE;
    }
  }

  /** Keeps run counts and memory within bounds. */
  private void manageMemory() {
    if (memRuns.size() > MAX_MEMORY_RUNS) {
      mergeSmallestMemRuns();
    }
    if (!memRuns.isEmpty()
        && memRunBytes + (long) RamUsage.PAIR * (bufTxn.length + tmpTxn.length) > maxRamBytes) {
      spillMemRuns();
    }
    if (fileRuns.size() > MAX_FILE_RUNS) {
      mergeSmallestFiles();
    }
  }

  /**
   * Merges the smaller half of the spill files into one, so that every pair is rewritten only a
   * logarithmic number of times however long the stream.
   */
  private void mergeSmallestFiles() {
    fileRuns.sort((a, b) -> Long.compare(a.bytes, b.bytes));
    // By position, not by identity: a run shared through merge may be listed twice.
    List<FileRun> first = fileRuns.subList(0, fileRuns.size() - MAX_FILE_RUNS / 2);
    FileRun f = writeMerged(List.of(), first);
    releaseAll(first);
    hold(f);
  }

  /** Merges every in-memory run into one. */
  private void mergeMemRuns() {
    mergeFirstMemRuns(memRuns.size());
  }

  /** Merges the smaller half of the in-memory runs into one (each pair rewritten O(log) times). */
  private void mergeSmallestMemRuns() {
    memRuns.sort((a, b) -> Integer.compare(a.data.length, b.data.length));
    mergeFirstMemRuns(memRuns.size() - MAX_MEMORY_RUNS / 2);
  }

  /**
   * Replaces the first {@code k} in-memory runs by their merge. By position, not by identity: a run
   * shared through {@link #merge} may be in the list twice.
   */
  private void mergeFirstMemRuns(int k) {
    if (k <= 1) {
      return;
    }
    List<MemRun> first = memRuns.subList(0, k);
    long bytes = 0;
    for (MemRun r : first) {
      bytes += r.data.length;
    }
    RunFormat.Writer w = new RunFormat.Writer((int) Math.min(bytes, 1 << 30));
    try {
      RunFormat.merge(cursors(first), w::write);
    } catch (IOException e) {
      throw new UncheckedIOException("Corrupt in-memory run", e);
    }
    byte[] data = w.toByteArray();
    first.clear();
    memRuns.add(new MemRun(data, w.nTxns(), w.nPairs()));
    memRunBytes += data.length - bytes;
  }

  /** Merges the in-memory runs into one new spill file. */
  private void spillMemRuns() {
    FileRun f = writeMerged(memCursors(), List.of());
    memRuns.clear();
    memRunBytes = 0;
    hold(f);
  }

  /** Merges every run (memory and files) into one new spill file. */
  private void spillAll() {
    flushBuffer();
    FileRun f = writeMerged(memCursors(), fileRuns);
    memRuns.clear();
    memRunBytes = 0;
    releaseAll(fileRuns);
    hold(f);
  }

  private FileRun writeMerged(List<RunFormat.Cursor> memory, List<FileRun> files) {
    Path path = newSpillFile();
    List<InputStream> opened = new ArrayList<>();
    try (OutputStream out = Files.newOutputStream(path)) {
      List<RunFormat.Cursor> cursors = new ArrayList<>(memory);
      for (FileRun f : files) {
        InputStream in = Files.newInputStream(f.path);
        opened.add(in);
        cursors.add(new RunFormat.Cursor(in, f.nTxns, f.path.toString()));
      }
      RunFormat.Writer w = new RunFormat.Writer(out);
      RunFormat.merge(cursors.toArray(new RunFormat.Cursor[0]), w::write);
      long bytes = w.finish();
      return new FileRun(path, bytes, w.nTxns(), w.nPairs());
    } catch (IOException e) {
      deleteSpillFile(path);
      throw new UncheckedIOException("Cannot spill FPMiner run to " + path + ": " + e, e);
    } catch (RuntimeException e) {
      deleteSpillFile(path);
      throw e;
    } finally {
      closeAll(opened);
    }
  }

  private List<RunFormat.Cursor> memCursors() {
    return new ArrayList<>(Arrays.asList(cursors(memRuns)));
  }

  private static RunFormat.Cursor[] cursors(List<MemRun> runs) {
    RunFormat.Cursor[] cursors = new RunFormat.Cursor[runs.size()];
    for (int i = 0; i < cursors.length; i++) {
      MemRun r = runs.get(i);
      cursors[i] = new RunFormat.Cursor(r.data, 0, r.data.length, r.nTxns, "memory");
    }
    return cursors;
  }

  /** Streams every transaction, merged across runs, to {@code sink}; returns N. */
  private long mergeAll(RunFormat.RecordSink sink) {
    flushBuffer();
    List<InputStream> opened = new ArrayList<>();
    try {
      List<RunFormat.Cursor> cursors = memCursors();
      for (FileRun f : fileRuns) {
        InputStream in = Files.newInputStream(f.path);
        opened.add(in);
        cursors.add(new RunFormat.Cursor(in, f.nTxns, f.path.toString()));
      }
      return RunFormat.merge(cursors.toArray(new RunFormat.Cursor[0]), sink);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read FPMiner runs: " + e.getMessage(), e);
    } finally {
      closeAll(opened);
    }
  }

  private static void closeAll(List<InputStream> streams) {
    for (InputStream in : streams) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Reading is over; a failed close of a read-only stream loses nothing.
      }
    }
  }

  /**
   * A new, empty spill file, deleted at JVM exit unless {@link #deleteSpillFile deleted} before;
   * the caller deletes it on failure or wraps it in a {@link FileRun} it {@link #hold holds}.
   */
  private Path newSpillFile() {
    Path dir =
        spillDirectory != null ? spillDirectory : Paths.get(System.getProperty("java.io.tmpdir"));
    try {
      Files.createDirectories(dir);
      Path p = Files.createTempFile(dir, "rusket-fpminer-", ".run");
      LIVE.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create an FPMiner spill file in " + dir + ": " + e, e);
    }
  }

  /** Deletes a spill file (best effort: a file that cannot be deleted is no longer used). */
  private static void deleteSpillFile(Path p) {
    LIVE.remove(p);
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort: the file is no longer referenced.
    }
  }

  /** Adds a reference this miner now owns to {@link #fileRuns}. */
  private void hold(FileRun f) {
    if (cleanable == null) {
      cleanable = CLEANER.register(this, new ReleaseRuns(fileRuns));
    }
    fileRuns.add(f);
  }

  /** Releases every reference in {@code runs} and empties it. */
  private static void releaseAll(List<FileRun> runs) {
    for (FileRun f : runs) {
      f.release();
    }
    runs.clear();
  }

  private static final Cleaner CLEANER = Cleaner.create();

  /** Every spill file not yet deleted (of all miners), deleted at JVM exit if not before. */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Path p : LIVE) {
                    deleteSpillFile(p);
                  }
                },
                "rusket-fpminer-cleanup"));
  }

  /**
   * The Cleaner's action for a collected miner: releases the file runs it still held (the safety
   * net behind {@link #close()}). Holds the miner's run list, never the miner.
   */
  private static final class ReleaseRuns implements Runnable {
    private final List<FileRun> runs;

    ReleaseRuns(List<FileRun> runs) {
      this.runs = runs;
    }

    @Override
    public void run() {
      synchronized (runs) {
        releaseAll(runs);
      }
    }
  }

  /** An immutable sorted run in memory; may be shared between merged miners. */
  private static final class MemRun {
    final byte[] data;
    final long nTxns;
    final long nPairs;

    MemRun(byte[] data, long nTxns, long nPairs) {
      this.data = data;
      this.nTxns = nTxns;
      this.nPairs = nPairs;
    }
  }

  /**
   * A sorted run in a spill file, immutable once written and shared by the miners that merged it:
   * each holder owns one reference (starting with the writer's), and the file is deleted when the
   * last reference is released.
   */
  private static final class FileRun {
    final Path path;
    final long bytes;
    final long nTxns;
    final long nPairs;
    private final AtomicInteger refs = new AtomicInteger(1);

    FileRun(Path path, long bytes, long nTxns, long nPairs) {
      this.path = path;
      this.bytes = bytes;
      this.nTxns = nTxns;
      this.nPairs = nPairs;
    }

    /** One more reference, for a new holder; returns this run. */
    FileRun retain() {
      int r;
      do {
        r = refs.get();
        if (r <= 0) {
          throw new IllegalStateException("FPMiner spill run " + path + " was already deleted");
        }
      } while (!refs.compareAndSet(r, r + 1));
      return this;
    }

    /** Drops a reference; the last one deletes the file. */
    void release() {
      if (refs.decrementAndGet() == 0) {
        deleteSpillFile(path);
      }
    }
  }
}
