package io.rusket.beam.bench;

import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.TransactionDb;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The FPMiner side of the {@code stream} suite, run by {@link StreamSuite} in a child JVM with the
 * heap it is to be measured under ({@code -Xmx2g}). Prints one {@code result key=value ...} line
 * per configuration on stdout.
 *
 * <pre>
 *   --events=N      events of the generated log ({@link EventGen})
 *   --repeat=R      timed runs per order (median reported by the parent)
 *   --stream        generate the log chunk by chunk while adding it (nothing else on the heap);
 *                   one run, log order only
 *   --verify        also mine the log with TransactionDb.fromPairs + ItemsetMiner (reference)
 * </pre>
 */
public final class StreamChild {
  static final double MIN_SUPPORT = 0.001;
  static final int CHUNK = 1 << 16;

  private StreamChild() {}

  public static void main(String[] args) {
    long events = 10_000_000;
    int repeat = 3;
    boolean stream = false;
    boolean verify = false;
    for (String a : args) {
      if (a.startsWith("--events=")) {
        events = Long.parseLong(a.substring(9));
      } else if (a.startsWith("--repeat=")) {
        repeat = Integer.parseInt(a.substring(9));
      } else if (a.equals("--stream")) {
        stream = true;
      } else if (a.equals("--verify")) {
        verify = true;
      } else {
        throw new IllegalArgumentException("StreamChild: unknown argument " + a);
      }
    }
    long[] keys = Fingerprint.itemKeys(EventGen.ITEMS);
    ItemsetMiner config = ItemsetMiner.minSupport(MIN_SUPPORT).withThreads(1);
    if (stream) {
      streamed(events, config, keys);
      return;
    }
    int[] item = new int[Math.toIntExact(events)];
    long[] txn = EventGen.all(events, item)[0];
    if (verify) {
      TransactionDb db = TransactionDb.fromPairs(txn, item, null);
      Fingerprint f = new Fingerprint(keys);
      config.mine(db, f);
      System.out.printf(
          Locale.ROOT,
          "result config=batch itemsets=%d checksum=%d transactions=%d%n",
          f.itemsets(),
          f.checksum(),
          db.size());
    }
    // The same events fully shuffled: the pairs of a transaction anywhere in the log.
    long[] stxn = txn.clone();
    int[] sitem = item.clone();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = stxn.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = stxn[i];
      stxn[i] = stxn[j];
      stxn[j] = t;
      int x = sitem[i];
      sitem[i] = sitem[j];
      sitem[j] = x;
    }
    for (String order : new String[] {"log", "shuffled"}) {
      long[] t = order.equals("log") ? txn : stxn;
      int[] it = order.equals("log") ? item : sitem;
      // One warm-up run, then the timed ones.
      for (int run = -1; run < repeat; run++) {
        HeapProbe.resetPoolPeaks();
        long c0 = cpu();
        long t0 = System.nanoTime();
        FPMiner m = new FPMiner(EventGen.ITEMS);
        for (int off = 0; off < t.length; off += CHUNK) {
          m.addChunk(t, it, off, Math.min(CHUNK, t.length - off));
        }
        long t1 = System.nanoTime();
        long c1 = cpu();
        Fingerprint f = new Fingerprint(keys);
        m.mine(config, f);
        long t2 = System.nanoTime();
        long peak = HeapProbe.poolPeaks();
        if (run >= 0) {
          System.out.printf(
              Locale.ROOT,
              "result config=%s run=%d events=%d ingestNs=%d ingestCpuNs=%d mineNs=%d itemsets=%d"
                  + " checksum=%d transactions=%d heapPeak=%d encodedBytes=%d spillFiles=%d"
                  + " budget=%d%n",
              order,
              run,
              t.length,
              t1 - t0,
              c1 - c0,
              t2 - t1,
              f.itemsets(),
              f.checksum(),
              m.nTransactions(),
              peak,
              run == 0 ? m.toBytes().length : -1,
              m.spillFileCount(),
              m.maxRamBytes());
        }
        m.close();
      }
    }
  }

  private static void streamed(long events, ItemsetMiner config, long[] keys) {
    HeapProbe.resetPoolPeaks();
    long[] t = new long[CHUNK];
    int[] it = new int[CHUNK];
    long ingest = 0;
    long ingestCpu = 0;
    long gen = 0;
    long t0 = System.nanoTime();
    try (FPMiner m = new FPMiner(EventGen.ITEMS)) {
      int maxSpill = 0;
      for (int k = 0; k < EventGen.CHUNKS; k++) {
        EventGen g = new EventGen(k, events);
        while (true) {
          long a = System.nanoTime();
          int n = g.next(t, it);
          long b = System.nanoTime();
          gen += b - a;
          if (n == 0) {
            break;
          }
          long cb = cpu();
          m.addChunk(t, it, 0, n);
          ingestCpu += cpu() - cb;
          ingest += System.nanoTime() - b;
          maxSpill = Math.max(maxSpill, m.spillFileCount());
        }
      }
      long t1 = System.nanoTime();
      Fingerprint f = new Fingerprint(keys);
      m.mine(config, f);
      long t2 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "result config=stream run=0 events=%d ingestNs=%d ingestCpuNs=%d generateNs=%d mineNs=%d"
              + " itemsets=%d"
              + " checksum=%d transactions=%d heapPeak=%d spillFiles=%d spilledBytes=%d"
              + " budget=%d wallNs=%d maxHeap=%d%n",
          events,
          ingest,
          ingestCpu,
          gen,
          t2 - t1,
          f.itemsets(),
          f.checksum(),
          m.nTransactions(),
          HeapProbe.poolPeaks(),
          maxSpill,
          m.spilledBytes(),
          m.maxRamBytes(),
          t2 - t0,
          Runtime.getRuntime().maxMemory());
    }
  }

  /** CPU time of this thread: the per-core cost, whatever else the shared machine runs. */
  static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
