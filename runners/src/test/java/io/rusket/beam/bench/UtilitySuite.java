package io.rusket.beam.bench;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.miner.UtilityDb;
import io.rusket.beam.miner.UtilityMiner;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.Dataset;
import io.rusket.beam.pipelines.generate.GenerateData;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Suite {@code utility}: high-utility itemsets by EFIM ({@link UtilityMiner}) against an in-run
 * two-phase baseline built on our own frequent-itemset miner, on generated retail data with
 * utilities ({@link Config#withUtilityColumns}: profit = quantity × the item's unit margin), per
 * store (every store mined in turn) and global, at a share of the total utility.
 *
 * <p><b>The baseline</b> (Two-Phase, Liu et al., PAKDD 2005, with FP-Growth in place of Apriori):
 * phase 1 keeps the items whose TWU reaches the threshold θ and mines, with {@link ItemsetMiner}
 * (FP-Growth, one thread), every itemset whose TWU reaches θ — as a weighted count: each
 * transaction appears {@code ceil(TU / q)} times for a quantum {@code q = θ / 64} and the count
 * threshold is {@code ceil(θ / q)}, a superset of the itemsets of TWU ≥ θ since {@code ceil(TU / q)
 * × q >= TU}; phase 2 is one exact pass: the candidates (a downward-closed set) in lexicographic
 * order, each one's transactions and utilities from its prefix's by a tid-list merge with its last
 * item's, keeping those of utility ≥ θ. Both must give the same itemsets, utilities and counts (an
 * order-independent checksum).
 *
 * <p>Timed: EFIM from the built {@link UtilityDb} to the last itemset delivered to a sink; the
 * baseline from the same CSR arrays (phase 1 with its database, phase 2). One thread each. Medians
 * of {@code --repeat} (EFIM) and {@code --peer-repeat} (baseline) runs after warm-ups (each side at
 * least {@link #WARMUP_MS} of warm-up runs, and at least {@code --warmup} EFIM runs, one baseline
 * run); memory of untimed runs of each: the peak used heap under {@link HeapProbe} (whole JVM, the
 * data included; G1's eden counts by 2 MiB regions) and the bytes the run allocated (exact, one
 * thread); the load average before and after. {@code --events=1m,...} sets the sizes (default 1m
 * events; 20 stores, 1,000 items), {@code --cases=0.001,...} the fractions of the total utility
 * (default 0.001, 0.0005, 0.0002).
 */
final class UtilitySuite implements Suite {
  /** Target of the issue: EFIM at least this much faster than the baseline, global case. */
  static final double TARGET = 10.0;

  static final int STORES = 20;
  static final int ITEMS = 1000;
  static final double[] FRACTIONS = {0.001, 0.0005, 0.0002};

  /**
   * Warm-up of both sides before timing: at least this long (or {@code --warmup-ms} if longer). One
   * EFIM run is ~100× shorter than one baseline run; with the default second of warm-up under load,
   * EFIM's first case was timed before its code was compiled. The baseline gets the same time (at
   * least its one warm-up run), which can only make it faster.
   */
  static final long WARMUP_MS = 4000;

  @Override
  public String name() {
    return "utility";
  }

  @Override
  public String description() {
    return "EFIM (UtilityMiner) vs a two-phase baseline on our FP-Growth, per store and global";
  }

  /** The events of one database as CSR arrays: utilities in millionths. */
  record Csr(int n, int nItems, int[] offsets, int[] items, long[] utils) {
    UtilityDb db() {
      UtilityDb.Builder b = UtilityDb.builder();
      for (int t = 0; t < n; t++) {
        b.addTransaction(t);
        for (int p = offsets[t]; p < offsets[t + 1]; p++) {
          b.addFixed(t, items[p], utils[p]);
        }
      }
      return b.build(null);
    }

    long total() {
      long s = 0;
      for (long u : utils) {
        s += u;
      }
      return s;
    }
  }

  /** An order-independent summary of a result: size, summed utility, a hash of everything. */
  static final class Sum {
    long n;
    long utility;
    long hash;

    void add(int[] items, int len, long u, long count) {
      int[] s = Arrays.copyOf(items, len);
      Arrays.sort(s);
      long h = 1;
      for (int i : s) {
        h = h * 1_000_003L + i;
      }
      h = mix(h ^ mix(u * 31 + count));
      n++;
      utility += u;
      hash += h;
    }

    static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    Outcome outcome() {
      return Outcome.countOnly(n);
    }

    String key() {
      return n + "/" + utility + "/" + Long.toHexString(hash);
    }
  }

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    List<Long> sizes = o.events == null || o.events.isEmpty() ? List.of(1_000_000L) : o.events;
    double[] fractions = FRACTIONS;
    if (o.cases != null && !o.cases.isEmpty()) {
      fractions = o.cases.stream().mapToDouble(Double::parseDouble).toArray();
    }
    out.printf(
        Locale.ROOT,
        "# utility: EFIM vs two-phase (our FP-Growth + exact pass); %d cores, load %.2f, heap max"
            + " %d MiB, %s%n",
        Runtime.getRuntime().availableProcessors(),
        load(),
        Runtime.getRuntime().maxMemory() >> 20,
        HeapProbe.collectorInfo());
    TextTable table =
        new TextTable()
            .num("events")
            .text("case")
            .num("fraction")
            .num("HUIs")
            .num("candidates")
            .num("EFIM ms")
            .num("baseline ms")
            .num("speed-up")
            .num("EFIM cpu ms")
            .num("baseline cpu ms")
            .num("cpu speed-up")
            .num("EFIM peak/alloc MiB")
            .num("baseline peak/alloc MiB")
            .text("agree");
    boolean allAgree = true;
    List<String> globalSpeedups = new ArrayList<>();
    for (long events : sizes) {
      long transactions = Math.max(STORES, Math.round(events / Config.DEFAULT_MEAN_BASKET_SIZE));
      Config c =
          Config.of(42)
              .withStores(STORES)
              .withTransactions(transactions)
              .withItems(ITEMS)
              .withUtilityColumns(true);
      err.println("[bench] generating " + c);
      Dataset d = GenerateData.generate(c);
      List<Csr> stores = split(d, true);
      Csr global = split(d, false).get(0);
      for (double f : fractions) {
        for (boolean perStore : new boolean[] {false, true}) {
          List<Csr> dbs = perStore ? stores : List.of(global);
          List<UtilityDb> udbs = new ArrayList<>();
          for (Csr x : dbs) {
            udbs.add(x.db());
          }
          UtilityMiner miner = UtilityMiner.minUtilityFraction(f);
          final long warmMs = Math.max(o.warmupMillis, WARMUP_MS);
          Sum[] efimSum = new Sum[1];
          List<Long> efimCpu = new ArrayList<>();
          Measured efim =
              Measured.measure(
                  o.warmup,
                  warmMs,
                  o.repeat,
                  () -> {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    Sum s = new Sum();
                    for (UtilityDb db : udbs) {
                      miner.mine(db, s::add);
                    }
                    efimCpu.add(THREADS.getCurrentThreadCpuTime() - c0);
                    efimSum[0] = s;
                    return s.outcome();
                  },
                  null);
          Sum[] baseSum = new Sum[1];
          long[] candidates = new long[1];
          List<Long> baseCpu = new ArrayList<>();
          Measured base =
              Measured.measure(
                  1,
                  warmMs,
                  o.peerRepeat,
                  () -> {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    Sum s = new Sum();
                    long cand = 0;
                    for (Csr x : dbs) {
                      cand += twoPhase(x, miner.thresholdFixed(x.total()), s);
                    }
                    baseCpu.add(THREADS.getCurrentThreadCpuTime() - c0);
                    baseSum[0] = s;
                    candidates[0] = cand;
                    return s.outcome();
                  },
                  null);
          HeapProbe.HeapUse eh =
              HeapProbe.measure(
                  () -> {
                    for (UtilityDb db : udbs) {
                      miner.mine(db, (items, len, u, n) -> {});
                    }
                  });
          HeapProbe.HeapUse bh =
              HeapProbe.measure(
                  () -> {
                    for (Csr x : dbs) {
                      twoPhase(x, miner.thresholdFixed(x.total()), new Sum());
                    }
                  });
          long ea =
              HeapProbe.allocatedBytes(
                  () -> {
                    for (UtilityDb db : udbs) {
                      miner.mine(db, (items, len, u, n) -> {});
                    }
                  });
          long ba =
              HeapProbe.allocatedBytes(
                  () -> {
                    for (Csr x : dbs) {
                      twoPhase(x, miner.thresholdFixed(x.total()), new Sum());
                    }
                  });
          boolean agree = efim.ok() && base.ok() && efimSum[0].key().equals(baseSum[0].key());
          allAgree &= agree;
          double speedup = base.medianMs() / efim.medianMs();
          double efimCpuMs = medianOfLast(efimCpu, o.repeat);
          double baseCpuMs = medianOfLast(baseCpu, o.peerRepeat);
          if (!perStore) {
            globalSpeedups.add(
                f + ": " + MinerSuite.ratio(speedup) + (speedup >= TARGET ? " met" : " NOT met"));
          }
          table.row(
              List.of(
                  String.format(Locale.ROOT, "%,d", d.numEvents()),
                  perStore ? STORES + " stores" : "global",
                  Double.toString(f),
                  efimSum[0] == null ? "-" : Long.toString(efimSum[0].n),
                  Long.toString(candidates[0]),
                  MinerSuite.ms(efim.medianMs()),
                  MinerSuite.ms(base.medianMs()),
                  MinerSuite.ratio(speedup),
                  MinerSuite.ms(efimCpuMs),
                  MinerSuite.ms(baseCpuMs),
                  MinerSuite.ratio(baseCpuMs / efimCpuMs),
                  mib(eh.peakBytes()) + " / " + mib(ea),
                  mib(bh.peakBytes()) + " / " + mib(ba),
                  agree ? "yes" : "NO " + efimSum[0].key() + " vs " + baseSum[0].key()));
          err.printf(
              Locale.ROOT,
              "[bench] %s %s %s: EFIM %s ms, baseline %s ms (load %.2f)%n",
              d.numEvents(),
              perStore ? "stores" : "global",
              f,
              MinerSuite.ms(efim.medianMs()),
              MinerSuite.ms(base.medianMs()),
              load());
        }
      }
    }
    table.print(out);
    out.printf(
        Locale.ROOT,
        "# load at the end %.2f; EFIM medians of %d runs, baseline of %d; one thread each%n",
        load(),
        o.repeat,
        o.peerRepeat);
    out.println(
        "# cpu: the timing thread's CPU time (not GC or JIT threads), medians of the same runs");
    out.println(
        "# target: EFIM >= "
            + TARGET
            + "x faster than the baseline on the global case, by fraction: "
            + String.join(", ", globalSpeedups));
    out.println("# results agree: " + (allAgree ? "yes" : "NO"));
    return allAgree ? 0 : 1;
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      ManagementFactory.getThreadMXBean();

  /**
   * The median of the last {@code n} values (the timed runs follow the warm-ups), in ms: the CPU
   * time of the thread that ran them — not of the JVM's other threads (GC, JIT), which the
   * allocating baseline uses more — so less sensitive to the machine's load than wall time.
   */
  private static double medianOfLast(List<Long> cpuNanos, int n) {
    int from = Math.max(0, cpuNanos.size() - n);
    long[] a =
        cpuNanos.subList(from, cpuNanos.size()).stream().mapToLong(Long::longValue).toArray();
    if (a.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(a);
    return (a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0)
        / 1e6;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", Math.max(0, bytes) / 1048576.0);
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The dataset's transactions per store (or all in one), utilities in millionths. */
  static List<Csr> split(Dataset d, boolean perStore) {
    int nStores = perStore ? d.storeIds.length : 1;
    int[] nT = new int[nStores];
    int[] nE = new int[nStores];
    for (int t = 0; t < d.numTransactions(); t++) {
      int s = perStore ? d.store[t] : 0;
      nT[s]++;
      nE[s] += d.offsets[t + 1] - d.offsets[t];
    }
    int[][] off = new int[nStores][];
    int[][] items = new int[nStores][];
    long[][] utils = new long[nStores][];
    int[] tFill = new int[nStores];
    int[] eFill = new int[nStores];
    for (int s = 0; s < nStores; s++) {
      off[s] = new int[nT[s] + 1];
      items[s] = new int[nE[s]];
      utils[s] = new long[nE[s]];
    }
    long seed = d.config.seed();
    for (int t = 0; t < d.numTransactions(); t++) {
      int s = perStore ? d.store[t] : 0;
      long id = d.transactionId(t);
      for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
        items[s][eFill[s]] = d.items[p];
        utils[s][eFill[s]] = GenerateData.profitCents(seed, id, d.items[p]) * 10_000L;
        eFill[s]++;
      }
      off[s][++tFill[s]] = eFill[s];
    }
    List<Csr> out = new ArrayList<>();
    for (int s = 0; s < nStores; s++) {
      out.add(new Csr(nT[s], d.itemNames.length, off[s], items[s], utils[s]));
    }
    return out;
  }

  /**
   * The two-phase baseline on one database: adds every itemset of utility {@code >= theta} to
   * {@code sum}; returns the number of phase-1 candidates.
   */
  static long twoPhase(Csr x, long theta, Sum sum) {
    final int n = x.n();
    final int[] off = x.offsets();
    final int[] items = x.items();
    final long[] utils = x.utils();
    // TU per transaction, TWU per item
    long[] tu = new long[n];
    long[] twu = new long[x.nItems()];
    for (int t = 0; t < n; t++) {
      long s = 0;
      for (int p = off[t]; p < off[t + 1]; p++) {
        s += utils[p];
      }
      tu[t] = s;
      for (int p = off[t]; p < off[t + 1]; p++) {
        twu[items[p]] += s;
      }
    }
    // phase 1: weighted (replicated) transactions of the promising items, FP-Growth
    long q = Math.max(1, theta / 64);
    long minCount = (theta + q - 1) / q;
    List<int[]> rows = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int len = 0;
      for (int p = off[t]; p < off[t + 1]; p++) {
        if (twu[items[p]] >= theta) {
          len++;
        }
      }
      if (len == 0) {
        continue;
      }
      int[] row = new int[len];
      int k = 0;
      for (int p = off[t]; p < off[t + 1]; p++) {
        if (twu[items[p]] >= theta) {
          row[k++] = items[p];
        }
      }
      long w = (tu[t] + q - 1) / q;
      for (long r = 0; r < w; r++) {
        rows.add(row); // the same array: no copy
      }
    }
    if (rows.isEmpty() || minCount > Integer.MAX_VALUE) {
      return 0;
    }
    TransactionDb db = TransactionDb.fromIntBaskets(rows.toArray(new int[0][]));
    // candidates, items ascending, in lexicographic order
    int[][] cand = collect(db, minCount);
    // phase 2: vertical tid-lists with utilities, candidates in lexicographic order
    int nItems = x.nItems();
    int[] count = new int[nItems];
    for (int p = 0; p < off[n]; p++) {
      count[items[p]]++;
    }
    int[][] tids = new int[nItems][];
    long[][] tutil = new long[nItems][];
    for (int i = 0; i < nItems; i++) {
      tids[i] = new int[count[i]];
      tutil[i] = new long[count[i]];
    }
    int[] fill = new int[nItems];
    for (int t = 0; t < n; t++) {
      for (int p = off[t]; p < off[t + 1]; p++) {
        int i = items[p];
        tids[i][fill[i]] = t;
        tutil[i][fill[i]++] = utils[p];
      }
    }
    int maxLen = 0;
    for (int[] c : cand) {
      maxLen = Math.max(maxLen, c.length);
    }
    int[][] stTids = new int[maxLen + 1][];
    long[][] stUtil = new long[maxLen + 1][];
    int[] stSize = new int[maxLen + 1];
    int[] prev = new int[0];
    for (int[] c : cand) {
      int common = 0;
      while (common < prev.length && common < c.length - 1 && prev[common] == c[common]) {
        common++;
      }
      // depths 1..common hold c's prefix; extend from there
      for (int depth = common + 1; depth <= c.length; depth++) {
        int item = c[depth - 1];
        if (depth == 1) {
          stTids[1] = tids[item];
          stUtil[1] = tutil[item];
          stSize[1] = tids[item].length;
          continue;
        }
        int[] a = stTids[depth - 1];
        long[] au = stUtil[depth - 1];
        int an = stSize[depth - 1];
        int[] b = tids[item];
        long[] bu = tutil[item];
        int cap = Math.min(an, b.length);
        if (stTids[depth] == null || stTids[depth].length < cap) {
          stTids[depth] = new int[Math.max(cap, 16)];
          stUtil[depth] = new long[Math.max(cap, 16)];
        }
        int[] ot = stTids[depth];
        long[] ou = stUtil[depth];
        int i = 0;
        int j = 0;
        int m = 0;
        while (i < an && j < b.length) {
          if (a[i] < b[j]) {
            i++;
          } else if (a[i] > b[j]) {
            j++;
          } else {
            ot[m] = a[i];
            ou[m++] = au[i++] + bu[j++];
          }
        }
        stSize[depth] = m;
      }
      long u = 0;
      long[] cu = stUtil[c.length];
      for (int k = 0; k < stSize[c.length]; k++) {
        u += cu[k];
      }
      if (u >= theta) {
        sum.add(c, c.length, u, stSize[c.length]);
      }
      prev = c;
    }
    return cand.length;
  }

  /** The itemsets of {@code db} with count {@code >= minCount}, items ascending, sorted. */
  private static int[][] collect(TransactionDb db, long minCount) {
    List<int[]> out = new ArrayList<>();
    ItemsetMiner.minCount(minCount)
        .withThreads(1)
        .mine(
            db,
            (items, len, count) -> {
              int[] s = new int[len];
              for (int k = 0; k < len; k++) {
                s[k] = items[k]; // fromIntBaskets: the ids are ours
              }
              Arrays.sort(s);
              out.add(s);
            });
    int[][] a = out.toArray(new int[0][]);
    Arrays.sort(a, Arrays::compare);
    return a;
  }
}
