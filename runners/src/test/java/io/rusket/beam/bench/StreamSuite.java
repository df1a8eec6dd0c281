package io.rusket.beam.bench;

import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.MineStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Suite {@code stream}: the FPMiner and MineStream on a generated event log of {@value #EVENTS}
 * (transaction, item) pairs ({@link EventGen}: 2,600 Zipf items, ~4.4 items per basket), mined at
 * minSupport {@value StreamChild#MIN_SUPPORT}.
 *
 * <p>Cases ({@code --cases}, default {@code fpminer,fpminer-100m,direct}):
 *
 * <ul>
 *   <li>{@code fpminer}: in a child JVM with {@code -Xmx2g}, {@code FPMiner.addChunk} of the log in
 *       64k-pair chunks (ingest: copy, sort, de-duplicate, encode runs), then mining on one thread;
 *       log order and fully shuffled; warm-up + {@code --repeat} runs. Verified against {@code
 *       TransactionDb.fromPairs} + {@code ItemsetMiner} on the same log.
 *   <li>{@code fpminer-100m}: in a child JVM with {@code -Xmx2g}, 100M pairs generated chunk by
 *       chunk while they are added (nothing else on the heap), then mined: the memory target.
 *   <li>{@code direct}: {@code MineStream.ofKvs()} on the DirectRunner (checks off), events
 *       generated inside the pipeline (one element per chunk), every output row folded into the
 *       same fingerprint; the final accumulator's encoded size read from the transform's metric.
 *   <li>{@code direct-checks}: the same with the DirectRunner's immutability and encodability
 *       checks on (slow: minutes).
 * </ul>
 */
final class StreamSuite implements Suite {
  static final long EVENTS = 10_000_000;
  static final long BIG_EVENTS = 100_000_000;
  static final double INGEST_TARGET = 20e6;
  static final double ACC_TARGET = 4;

  @Override
  public String name() {
    return "stream";
  }

  @Override
  public String description() {
    return "FPMiner (-Xmx2g, 10M and 100M pairs) and MineStream on the DirectRunner (10M events)";
  }

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    Set<String> cases = new LinkedHashSet<>(o.cases);
    if (cases.isEmpty()) {
      cases.addAll(List.of("fpminer", "fpminer-100m", "direct"));
    }
    for (String c : cases) {
      if (!List.of("fpminer", "fpminer-100m", "direct", "direct-checks").contains(c)) {
        err.println(
            "benchmark: Invalid case for suite stream: "
                + c
                + ". Valid values are fpminer, fpminer-100m, direct, direct-checks.");
        return 2;
      }
    }
    double loadStart = loadAverage();
    List<String> problems = new ArrayList<>();
    List<Map<String, String>> small = new ArrayList<>();
    Map<String, String> batch = null;
    Map<String, String> big = null;
    if (cases.contains("fpminer")) {
      err.println("[bench] FPMiner, " + EVENTS + " pairs, child JVM -Xmx2g ...");
      for (Map<String, String> r :
          child(err, "--events=" + EVENTS, "--repeat=" + o.repeat, "--verify")) {
        if (r.get("config").equals("batch")) {
          batch = r;
        } else {
          small.add(r);
        }
      }
    }
    if (cases.contains("fpminer-100m")) {
      err.println("[bench] FPMiner, " + BIG_EVENTS + " pairs streamed, child JVM -Xmx2g ...");
      List<Map<String, String>> r = child(err, "--events=" + BIG_EVENTS, "--stream");
      if (r.isEmpty()) {
        problems.add("the 100M-pair run failed (see the log above)");
      } else {
        big = r.get(0);
      }
    }
    List<String[]> direct = new ArrayList<>();
    for (String c : new String[] {"direct", "direct-checks"}) {
      if (cases.contains(c)) {
        boolean checks = c.equals("direct-checks");
        err.println(
            "[bench] MineStream on the DirectRunner"
                + (checks ? " (checks on)" : "")
                + ", "
                + EVENTS
                + " events ...");
        direct.add(direct(checks, err));
      }
    }

    // Correctness: every run's itemsets and checksum equal the batch miner's.
    String refSum = batch == null ? null : batch.get("itemsets") + "/" + batch.get("checksum");
    for (Map<String, String> r : small) {
      String s = r.get("itemsets") + "/" + r.get("checksum");
      if (refSum != null && !s.equals(refSum)) {
        problems.add("FPMiner (" + r.get("config") + ") " + s + " vs batch " + refSum);
      }
    }
    for (String[] d : direct) {
      if (refSum != null && !(d[1] + "/" + d[2]).equals(refSum)) {
        problems.add(d[0] + ": " + d[1] + "/" + d[2] + " vs batch " + refSum);
      }
    }

    out.println();
    out.println(
        "rusket-beam benchmark, suite "
            + name()
            + ", "
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
    out.printf(
        Locale.ROOT,
        "JVM %s, %d cores, load average %.2f at start%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        loadStart);
    out.printf(
        Locale.ROOT,
        "data: generated event log, %,d items (Zipf %.1f), baskets 1 + geometric (mean %.1f items),"
            + " repeats kept, %d chunks in log order; minSupport %s; mining on 1 thread%n",
        EventGen.ITEMS,
        EventGen.ZIPF,
        EventGen.MEAN_BASKET,
        EventGen.CHUNKS,
        MinerSuite.support(StreamChild.MIN_SUPPORT));
    if (batch != null) {
      out.printf(
          Locale.ROOT,
          "reference (TransactionDb.fromPairs + ItemsetMiner): %,d pairs,"
              + " %,d transactions, %,d itemsets%n",
          EVENTS,
          Long.parseLong(batch.get("transactions")),
          Long.parseLong(batch.get("itemsets")));
    }
    out.println();
    double worstIngest = Double.NaN;
    if (!small.isEmpty()) {
      TextTable t =
          new TextTable()
              .text("FPMiner, 10M pairs, -Xmx2g")
              .num("ingest ms")
              .num("M pairs/s (wall)")
              .num("ingest CPU ms")
              .num("M pairs/s per core (CPU)")
              .num("mine ms")
              .num("spread")
              .num("runs")
              .num("heap peak")
              .num("encoded")
              .num("bytes/pair");
      for (String order : new String[] {"log", "shuffled"}) {
        List<Map<String, String>> rs = new ArrayList<>();
        for (Map<String, String> r : small) {
          if (r.get("config").equals(order)) {
            rs.add(r);
          }
        }
        if (rs.isEmpty()) {
          continue;
        }
        long[] ingest = longs(rs, "ingestNs");
        long[] ingestCpu = longs(rs, "ingestCpuNs");
        long[] mine = longs(rs, "mineNs");
        double ingestMs = median(ingest) / 1e6;
        double cpuMs = median(ingestCpu) / 1e6;
        double rate = EVENTS / (ingestMs / 1e3);
        double cpuRate = EVENTS / (cpuMs / 1e3);
        worstIngest = Double.isNaN(worstIngest) ? cpuRate : Math.min(worstIngest, cpuRate);
        long encoded = 0;
        long peak = 0;
        for (Map<String, String> r : rs) {
          encoded = Math.max(encoded, Long.parseLong(r.get("encodedBytes")));
          peak = Math.max(peak, Long.parseLong(r.get("heapPeak")));
        }
        t.row(
            List.of(
                order.equals("log") ? "log order" : "fully shuffled",
                MinerSuite.ms(ingestMs),
                String.format(Locale.ROOT, "%.1f", rate / 1e6),
                MinerSuite.ms(cpuMs),
                String.format(Locale.ROOT, "%.1f", cpuRate / 1e6),
                MinerSuite.ms(median(mine) / 1e6),
                MinerSuite.pct(spread(ingest)),
                Integer.toString(rs.size()),
                MinerSuite.mib(peak),
                MinerSuite.mib(encoded),
                String.format(Locale.ROOT, "%.2f", encoded / (double) EVENTS)));
      }
      t.print(out);
      out.println(
          "  ingest: addChunk of 64k-pair chunks (copy, radix sort by transaction, de-dup,"
              + " varint runs), wall and CPU time of the ingesting thread (per core: the machine is"
              + " shared; GC threads not counted; budget "
              + MinerSuite.mib(Long.parseLong(small.get(0).get("budget")))
              + "); mine: two merge passes + ItemsetMiner AUTO, 1 thread.");
      out.println(
          "  heap peak: sum of the heap pools' peaks (JMX, garbage included) in the child,"
              + " whose log arrays ("
              + MinerSuite.mib(24 * EVENTS)
              + ", two orders) are live"
              + " throughout.");
      out.println();
    }
    if (big != null) {
      long ingest = Long.parseLong(big.get("ingestNs"));
      long ingestCpu = Long.parseLong(big.get("ingestCpuNs"));
      out.printf(
          Locale.ROOT,
          "FPMiner, %,d pairs streamed, -Xmx2g (max heap %s): ingest %s ms wall (%.1f M pairs/s),"
              + " %.1f M pairs/s per core (CPU), mine %s ms, %,d transactions, %,d itemsets,"
              + " heap peak %s, spill files %s (%s spilled), budget %s%n",
          BIG_EVENTS,
          MinerSuite.mib(Long.parseLong(big.get("maxHeap"))),
          MinerSuite.ms(ingest / 1e6),
          BIG_EVENTS / (ingest / 1e9) / 1e6,
          BIG_EVENTS / (ingestCpu / 1e9) / 1e6,
          MinerSuite.ms(Long.parseLong(big.get("mineNs")) / 1e6),
          Long.parseLong(big.get("transactions")),
          Long.parseLong(big.get("itemsets")),
          MinerSuite.mib(Long.parseLong(big.get("heapPeak"))),
          big.get("spillFiles"),
          MinerSuite.mib(Long.parseLong(big.get("spilledBytes"))),
          MinerSuite.mib(Long.parseLong(big.get("budget"))));
      out.println();
    }
    double worstAcc = Double.NaN;
    if (!direct.isEmpty()) {
      TextTable t =
          new TextTable()
              .text("MineStream, 10M events, DirectRunner")
              .num("wall ms")
              .num("k events/s")
              .num("itemsets")
              .num("shards encoded")
              .num("final accumulator")
              .num("raw pairs / final")
              .num("heap peak");
      for (String[] d : direct) {
        long fin = Long.parseLong(d[4]);
        double ratio = 12.0 * EVENTS / fin;
        worstAcc = Double.isNaN(worstAcc) ? ratio : Math.min(worstAcc, ratio);
        double ms = Double.parseDouble(d[3]);
        t.row(
            List.of(
                d[0],
                MinerSuite.ms(ms),
                String.format(Locale.ROOT, "%,.0f", EVENTS / ms),
                d[1],
                MinerSuite.mib(Long.parseLong(d[5])),
                MinerSuite.mib(fin),
                MinerSuite.ratio(ratio),
                MinerSuite.mib(Long.parseLong(d[6]))));
      }
      t.print(out);
      out.println(
          "  shards encoded: the 16 shard FPMiners as shuffled (sum of metric shardBytes);"
              + " final accumulator: the pruned baskets that reach the last worker (metric"
              + " finalAccumulatorBytes); raw pairs: 12 bytes each.");
      out.println();
    }
    out.println(
        problems.isEmpty()
            ? "Correctness: PASS (every run's itemsets and checksum equal the reference)"
            : "Correctness: FAIL");
    for (String p : problems) {
      out.println("  " + p);
    }
    out.printf(
        Locale.ROOT,
        "Load average %.2f at the end (2-core machine shared: treat timings as noisy).%n",
        loadAverage());
    out.println(
        "Targets: FPMiner ingest >= 20M pairs/s/core (CPU time, 10M): "
            + (Double.isNaN(worstIngest)
                ? "n/a"
                : (worstIngest >= INGEST_TARGET ? "PASS" : "FAIL")
                    + String.format(Locale.ROOT, " (worst %.1fM)", worstIngest / 1e6))
            + " | 100M pairs mined with -Xmx2g: "
            + (cases.contains("fpminer-100m") ? (big != null ? "PASS" : "FAIL") : "n/a")
            + " | final accumulator >= 4x smaller than raw pairs: "
            + (Double.isNaN(worstAcc)
                ? "n/a"
                : (worstAcc >= ACC_TARGET ? "PASS" : "FAIL")
                    + " ("
                    + MinerSuite.ratio(worstAcc)
                    + ")")
            + " | correctness: "
            + (problems.isEmpty() ? "PASS" : "FAIL"));
    return problems.isEmpty() ? 0 : 1;
  }

  /** Runs {@link StreamChild} in a JVM with -Xmx2g; returns its result lines as maps. */
  static List<Map<String, String>> child(PrintStream err, String... args) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                StreamChild.class.getName()));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Map<String, String>> results = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("result ")) {
          Map<String, String> m = new HashMap<>();
          for (String kv : line.substring(7).split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          results.add(m);
        } else {
          err.println("[child] " + line);
        }
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      err.println("[bench] child JVM exited with " + code);
      return List.of();
    }
    return results;
  }

  // -----------------------------------------------------------------------------------------
  // MineStream on the DirectRunner

  static final AtomicLong ITEMSETS = new AtomicLong();
  static final AtomicLong CHECKSUM = new AtomicLong();

  /** Emits chunk k of the generated log. */
  static final class GenerateFn extends DoFn<Integer, KV<Long, Integer>> {
    @ProcessElement
    public void processElement(@Element Integer k, OutputReceiver<KV<Long, Integer>> out) {
      EventGen g = new EventGen(k, EVENTS);
      long[] t = new long[1 << 14];
      int[] it = new int[1 << 14];
      int n;
      while ((n = g.next(t, it)) > 0) {
        for (int i = 0; i < n; i++) {
          out.output(KV.of(t[i], it[i]));
        }
      }
    }
  }

  /** Folds each output row into the fingerprint (same JVM: the DirectRunner). */
  static final class FoldFn extends DoFn<Row, Void> {
    private final long[] keys;

    FoldFn(long[] keys) {
      this.keys = keys;
    }

    @ProcessElement
    public void processElement(@Element Row row) {
      Collection<Integer> items = row.getArray(MineGrouped.ITEMSETS_FIELD);
      long k = 0;
      for (int item : items) {
        k += keys[item];
      }
      CHECKSUM.addAndGet(Fingerprint.term(k, row.getInt64(MineGrouped.COUNT_FIELD)));
      ITEMSETS.incrementAndGet();
    }
  }

  /** {label, itemsets, checksum, wall ms, final bytes, shard bytes, heap peak}. */
  static String[] direct(boolean checks, PrintStream err) {
    ITEMSETS.set(0);
    CHECKSUM.set(0);
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(true);
    options.setEnforceImmutability(checks);
    options.setEnforceEncodability(checks);
    HeapProbe.resetPoolPeaks();
    long t0 = System.nanoTime();
    Pipeline p = Pipeline.create(options);
    List<Integer> chunks = new ArrayList<>();
    for (int k = 0; k < EventGen.CHUNKS; k++) {
      chunks.add(k);
    }
    p.apply(Create.of(chunks))
        .apply("Generate", ParDo.of(new GenerateFn()))
        .setCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of()))
        .apply(
            MineStream.ofKvs().withNumItems(EventGen.ITEMS).withMinSupport(StreamChild.MIN_SUPPORT))
        .apply("Fold", ParDo.of(new FoldFn(Fingerprint.itemKeys(EventGen.ITEMS))));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double ms = (System.nanoTime() - t0) / 1e6;
    long peak = HeapProbe.poolPeaks();
    MetricQueryResults m =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(MineStream.METRICS_NAMESPACE))
                    .build());
    long fin = 0;
    long shards = 0;
    for (MetricResult<DistributionResult> d : m.getDistributions()) {
      if (d.getName().getName().equals("finalAccumulatorBytes")) {
        fin = Math.max(fin, d.getAttempted().getMax());
      } else if (d.getName().getName().equals("shardBytes")) {
        shards += d.getAttempted().getSum();
      }
    }
    err.printf(
        Locale.ROOT,
        "[bench] DirectRunner%s: %.0f ms, %d itemsets%n",
        checks ? " (checks on)" : "",
        ms,
        ITEMSETS.get());
    return new String[] {
      checks ? "DirectRunner, checks on" : "DirectRunner, checks off",
      Long.toString(ITEMSETS.get()),
      Long.toString(CHECKSUM.get()),
      Double.toString(ms),
      Long.toString(fin),
      Long.toString(shards),
      Long.toString(peak)
    };
  }

  static long[] longs(List<Map<String, String>> rs, String key) {
    long[] v = new long[rs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = Long.parseLong(rs.get(i).get(key));
    }
    return v;
  }

  static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
  }

  static double spread(long[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    long min = Arrays.stream(v).min().getAsLong();
    long max = Arrays.stream(v).max().getAsLong();
    return (max - min) / median(v);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
