package io.rusket.beam.bench;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.ItemsetSink;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.Target;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.testing.Datasets;
import io.rusket.beam.testing.PostFilter;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Suite {@code miner}: our {@link ItemsetMiner} against Spark MLlib and Smile, in one JVM, on the
 * public datasets of the reference table in ../shared/datasets/README.md, checking every itemset
 * count against the reference and every output against each other (by {@link Fingerprint}).
 *
 * <p>Per dataset: {@code TransactionDb.readBaskets} is timed on its own. Per case: our time runs
 * from the parsed {@link TransactionDb} to the last itemset delivered to a sink (recoding, tree or
 * tid-list building, mining, and the sink folding every itemset into a checksum), warm JIT, in
 * process, for {@link Method#AUTO} with threads=all and threads=1 ({@code --time-methods} adds
 * FPGROWTH and ECLAT); every method's output is fingerprinted and compared. Then one untimed run
 * under a {@link HeapProbe}. Then each peer, 1 warm-up (fingerprinted) and {@code --peer-repeat}
 * timed runs. Borgelt's C fpgrowth cannot run here: its times are quoted from the datasets README.
 */
final class MinerSuite implements Suite {
  /**
   * Borgelt's C fpgrowth 6.7, milliseconds, whole process (read file, recode, mine, write every
   * itemset to /dev/null), median of 3 on a 2-core machine: quoted from the "Peer timings" table of
   * ../shared/datasets/README.md, NOT measured by this run.
   */
  static final Map<String, Double> BORGELT_C_MS =
      Map.of(
          "mushroom:0.05", 67.0,
          "chess:0.6", 27.0,
          "retail:0.0005", 210.0,
          "T10I4D100K:0.001", 201.0);

  /**
   * Borgelt's C fpgrowth 6.7 with {@code -tc} (closed) and {@code -tm} (maximal), milliseconds,
   * whole process, median of 3: QUOTED from "Closed and maximal itemsets" of
   * ../shared/datasets/README.md, not measured by this run. Values: {closed, maximal}.
   */
  static final Map<String, double[]> BORGELT_C_CONDENSED_MS =
      Map.of(
          "mushroom:0.1", new double[] {17, 16},
          "mushroom:0.05", new double[] {28, 20},
          "chess:0.7", new double[] {21, 13},
          "chess:0.6", new double[] {84, 26},
          "retail:0.001", new double[] {295, 277},
          "retail:0.0005", new double[] {471, 377},
          "T10I4D100K:0.005", new double[] {253, 246},
          "T10I4D100K:0.001", new double[] {382, 334});

  /** Closed / maximal targets: speed-up over the post-filter of the full set on dense data. */
  static final double POST_FILTER_TARGET = 5.0;

  /** Data at least this dense (entries / (N × items)) is "dense" for the closed/maximal targets. */
  static final double DENSE = 0.1;

  /** Targets of the performance issue. */
  static final double SPARK_TARGET = 50.0;

  static final double SMILE_TARGET = 3.0;
  static final double BORGELT_TARGET = 2.0;

  @Override
  public String name() {
    return "miner";
  }

  @Override
  public String description() {
    return "ItemsetMiner vs Spark MLlib FPGrowth and Smile FPGrowth on the reference datasets";
  }

  /** One row: a dataset mined at a relative support; {@code ref} null when not in the table. */
  record Case(String dataset, double minSupport, Datasets.Reference ref) {
    String key() {
      return dataset + ":" + support(minSupport);
    }

    String label() {
      return dataset + " " + support(minSupport);
    }
  }

  /** Everything measured for one case. */
  static final class Result {
    final Case c;
    long minCount;
    TransactionDb db;
    Measured parse;
    Measured ours;
    Measured ours1;
    Measured fpg;
    Measured eclat;
    long[] byLength;
    HeapProbe.HeapUse heap;
    long allocated1t;
    final Map<String, Measured> peers = new LinkedHashMap<>();

    /** Closed and maximal: mined directly (AUTO, all threads) and by the post-filter. */
    Measured closed;

    Measured maximal;
    Measured closedPost;
    Measured maximalPost;
    String skipped;
    final List<String> problems = new ArrayList<>();

    Result(Case c) {
      this.c = c;
    }

    double oursMs() {
      return ours == null ? Double.NaN : ours.medianMs();
    }

    double peerMs(String peer) {
      Measured m = peers.get(peer);
      return m == null ? Double.NaN : m.medianMs();
    }
  }

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    Path dir = o.datasets.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      out.println(
          "benchmark: datasets folder "
              + dir
              + " is absent; nothing to run. The datasets live in"
              + " ../shared/datasets beside the repository (or pass --datasets=DIR).");
      return 0;
    }
    List<Case> cases;
    try {
      cases = selectCases(o.cases);
    } catch (IllegalArgumentException e) {
      err.println("benchmark: " + e.getMessage());
      return 2;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    printHeader(o, dir, cores, out);

    List<Peer> peers = new ArrayList<>();
    Map<String, String> peerErrors = new LinkedHashMap<>();
    for (String p : o.peers) {
      try {
        err.println("[bench] starting peer " + p + " ...");
        peers.add(p.equals("spark") ? new SparkPeer() : new SmilePeer());
      } catch (Exception | LinkageError e) {
        peerErrors.put(p, e.toString());
        err.println("[bench] peer " + p + " could not start: " + e);
      }
    }

    List<Result> results = new ArrayList<>();
    Map<String, List<Case>> byDataset = new LinkedHashMap<>();
    for (Case c : cases) {
      byDataset.computeIfAbsent(c.dataset(), k -> new ArrayList<>()).add(c);
    }
    int done = 0;
    try {
      for (Map.Entry<String, List<Case>> e : byDataset.entrySet()) {
        Path file = dir.resolve(e.getKey() + ".dat");
        if (!Files.isRegularFile(file)) {
          for (Case c : e.getValue()) {
            Result r = new Result(c);
            r.skipped = "dataset " + file + " is absent";
            results.add(r);
            err.println("[bench] skipped " + c.label() + ": " + r.skipped);
            done++;
          }
          continue;
        }
        // Parse timing, once per dataset; the db of the first parse is the one mined.
        TransactionDb[] first = new TransactionDb[1];
        Measured parse =
            Measured.measure(
                o.warmup,
                o.warmupMillis,
                o.repeat,
                () -> {
                  TransactionDb db = TransactionDb.readBaskets(file);
                  if (first[0] == null) {
                    first[0] = db;
                  }
                  return Outcome.countOnly(db.size());
                },
                null);
        TransactionDb db = first[0];
        if (db == null) {
          throw new IllegalStateException("Could not read " + file + ": " + parse.error());
        }
        err.printf(
            Locale.ROOT,
            "[bench] %s: %,d transactions, %,d items, %,d entries, density %.4f, parse %s ms,"
                + " TransactionDb %s%n",
            file.getFileName(),
            db.size(),
            db.nItems(),
            db.nEntries(),
            db.density(),
            ms(parse.medianMs()),
            mib(db.ramBytesUsed()));
        long[] keys = Fingerprint.itemKeys(db.nItems());

        Map<String, Peer.Loaded> loaded = new LinkedHashMap<>();
        for (Peer p : peers) {
          try {
            loaded.put(p.name(), p.load(db, keys));
          } catch (Exception | LinkageError | OutOfMemoryError ex) {
            peerErrors.put(p.name() + "@" + e.getKey(), ex.toString());
          }
        }
        try {
          for (Case c : e.getValue()) {
            Result r = runCase(c, db, parse, keys, loaded, peers, o, cores);
            results.add(r);
            done++;
            err.println("[bench] " + done + "/" + cases.size() + " " + progress(r));
          }
        } finally {
          for (Peer.Loaded l : loaded.values()) {
            l.close();
          }
        }
      }
    } finally {
      for (Peer p : peers) {
        try {
          p.close();
        } catch (Exception ex) {
          err.println("[bench] closing " + p.name() + ": " + ex);
        }
      }
    }
    return report(results, o, peerErrors, cores, out);
  }

  private Result runCase(
      Case c,
      TransactionDb db,
      Measured parse,
      long[] keys,
      Map<String, Peer.Loaded> loaded,
      List<Peer> peers,
      BenchOptions o,
      int cores) {
    Result r = new Result(c);
    r.db = db;
    r.parse = parse;
    ItemsetMiner base = ItemsetMiner.minSupport(c.minSupport());
    r.minCount = base.minCountFor(db.size());

    // Untimed verification run of the default configuration: counts by length and fingerprint.
    long[] byLen = new long[64];
    Fingerprint vf = new Fingerprint(keys);
    ItemsetSink lengths =
        (items, len, count) -> {
          if (len >= byLen.length) {
            throw new IllegalStateException("itemset longer than " + byLen.length);
          }
          byLen[len]++;
          vf.accept(items, len, count);
        };
    base.withMethod(Method.AUTO).withThreads(cores).mine(db, lengths);
    int maxLen = byLen.length - 1;
    while (maxLen > 0 && byLen[maxLen] == 0) {
      maxLen--;
    }
    r.byLength = Arrays.copyOfRange(byLen, 1, maxLen + 1);
    Outcome verified = Outcome.of(vf);

    r.ours = timeOurs(base.withMethod(Method.AUTO).withThreads(cores), db, keys, o);
    r.ours1 = timeOurs(base.withMethod(Method.AUTO).withThreads(1), db, keys, o);
    if (o.timeMethods) {
      r.fpg = timeOurs(base.withMethod(Method.FPGROWTH).withThreads(cores), db, keys, o);
      r.eclat = timeOurs(base.withMethod(Method.ECLAT).withThreads(cores), db, keys, o);
    } else {
      r.fpg = once(base.withMethod(Method.FPGROWTH).withThreads(cores), db, keys);
      r.eclat = once(base.withMethod(Method.ECLAT).withThreads(cores), db, keys);
    }
    ItemsetMiner auto = base.withMethod(Method.AUTO).withThreads(cores);
    r.heap = HeapProbe.measure(() -> auto.mine(db, new Fingerprint(keys)));
    ItemsetMiner auto1 = base.withMethod(Method.AUTO).withThreads(1);
    System.gc();
    r.allocated1t = HeapProbe.allocatedBytes(() -> auto1.mine(db, new Fingerprint(keys)));

    for (Peer p : peers) {
      Peer.Loaded l = loaded.get(p.name());
      if (l == null) {
        continue;
      }
      r.peers.put(
          p.name(),
          Measured.measure(
              1,
              o.warmupMillis,
              o.peerRepeat,
              l.timed(c.minSupport(), r.minCount),
              l.withChecksum(c.minSupport(), r.minCount)));
    }

    timeCondensed(r, base.withThreads(cores), db, keys, o);

    // Correctness: the threshold, the reference counts, then every output against ours.
    Datasets.Reference ref = c.ref();
    if (ref != null && ref.minCount != r.minCount) {
      r.problems.add("threshold " + r.minCount + " != reference " + ref.minCount);
    }
    if (ref != null && verified.itemsets() != ref.itemsets) {
      r.problems.add("itemsets " + verified.itemsets() + " != reference " + ref.itemsets);
    }
    if (ref != null && !Arrays.equals(r.byLength, ref.byLength)) {
      r.problems.add("counts by length differ from the reference");
    }
    check(r, "AUTO threads=" + cores, r.ours, verified);
    check(r, "AUTO threads=1", r.ours1, verified);
    check(r, "FPGROWTH", r.fpg, verified);
    check(r, "ECLAT", r.eclat, verified);
    for (Map.Entry<String, Measured> e : r.peers.entrySet()) {
      if (e.getValue().ok()) {
        check(r, e.getKey(), e.getValue(), verified);
      }
    }
    return r;
  }

  /**
   * Closed and maximal itemsets mined directly (AUTO, all threads), and the in-run baseline: mine
   * every frequent itemset (collected) and post-filter it ({@link PostFilter}); both fingerprinted,
   * compared with each other and with the reference counts.
   */
  private static void timeCondensed(
      Result r, ItemsetMiner base, TransactionDb db, long[] keys, BenchOptions o) {
    ItemsetMiner auto = base.withMethod(Method.AUTO);
    r.closed = timeOurs(auto.withTarget(Target.CLOSED), db, keys, o);
    r.maximal = timeOurs(auto.withTarget(Target.MAXIMAL), db, keys, o);
    r.closedPost = timePostFilter(auto, Target.CLOSED, db, keys, o);
    r.maximalPost = timePostFilter(auto, Target.MAXIMAL, db, keys, o);
    check(r, "CLOSED", r.closed, r.closedPost.ok() ? r.closedPost.outcome() : null);
    check(r, "MAXIMAL", r.maximal, r.maximalPost.ok() ? r.maximalPost.outcome() : null);
    for (Datasets.CondensedReference ref : Datasets.condensedReferences()) {
      if (ref.dataset.equals(r.c.dataset()) && ref.minSupport == r.c.minSupport()) {
        long closed = r.closed.ok() ? r.closed.outcome().itemsets() : -1;
        long maximal = r.maximal.ok() ? r.maximal.outcome().itemsets() : -1;
        if (closed != ref.closed) {
          r.problems.add("closed " + closed + " != reference " + ref.closed);
        }
        if (maximal != ref.maximal) {
          r.problems.add("maximal " + maximal + " != reference " + ref.maximal);
        }
      }
    }
  }

  private static Measured timePostFilter(
      ItemsetMiner all, Target target, TransactionDb db, long[] keys, BenchOptions o) {
    return Measured.measure(
        o.warmup,
        o.warmupMillis,
        o.repeat,
        () -> {
          Itemsets kept = PostFilter.of(all.mine(db), target);
          Fingerprint f = new Fingerprint(keys);
          kept.forEach(f);
          return Outcome.of(f);
        },
        null);
  }

  private static void check(Result r, String who, Measured m, Outcome expected) {
    if (expected == null) {
      r.problems.add(who + ": no baseline to compare with");
      return;
    }
    if (!m.ok()) {
      r.problems.add(who + " failed: " + m.error());
    } else if (!m.consistent()) {
      r.problems.add(who + " gave different outputs in different runs");
    } else if (!m.outcome().hasChecksum() || !m.outcome().consistentWith(expected)) {
      r.problems.add(
          who
              + " output differs from ours ("
              + m.outcome().itemsets()
              + " itemsets"
              + (m.outcome().hasChecksum() ? "" : ", no checksum")
              + ")");
    }
  }

  private static Measured timeOurs(
      ItemsetMiner miner, TransactionDb db, long[] keys, BenchOptions o) {
    return Measured.measure(
        o.warmup, o.warmupMillis, o.repeat, () -> mineOnce(miner, db, keys), null);
  }

  private static Measured once(ItemsetMiner miner, TransactionDb db, long[] keys) {
    return Measured.measure(0, 0, 1, () -> mineOnce(miner, db, keys), null);
  }

  private static Outcome mineOnce(ItemsetMiner miner, TransactionDb db, long[] keys) {
    Fingerprint f = new Fingerprint(keys);
    long n = miner.mine(db, f);
    if (n != f.itemsets()) {
      throw new IllegalStateException("mine() returned " + n + " but delivered " + f.itemsets());
    }
    return Outcome.of(f);
  }

  // -----------------------------------------------------------------------------------------
  // Cases

  static List<Case> selectCases(List<String> specs) {
    List<Datasets.Reference> exact = new ArrayList<>();
    for (Datasets.Reference ref : Datasets.references()) {
      if (ref.exact()) {
        exact.add(ref);
      }
    }
    List<Case> cases = new ArrayList<>();
    if (specs.isEmpty()) {
      for (Datasets.Reference ref : exact) {
        cases.add(new Case(ref.dataset, ref.minSupport, ref));
      }
      return cases;
    }
    for (String spec : specs) {
      int colon = spec.lastIndexOf(':');
      String name = colon < 0 ? spec : spec.substring(0, colon);
      if (colon < 0) {
        int before = cases.size();
        for (Datasets.Reference ref : exact) {
          if (ref.dataset.equalsIgnoreCase(name)) {
            cases.add(new Case(ref.dataset, ref.minSupport, ref));
          }
        }
        if (cases.size() == before) {
          throw new IllegalArgumentException(
              "No reference rows for dataset '"
                  + name
                  + "'; give a support ("
                  + name
                  + ":0.01) or one of "
                  + datasetNames(exact));
        }
        continue;
      }
      double s;
      try {
        s = Double.parseDouble(spec.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Invalid case: " + spec + ". Expected name:support, e.g. mushroom:0.05");
      }
      ItemsetMiner.checkMinSupport(s);
      Datasets.Reference match = null;
      String canonical = name;
      for (Datasets.Reference ref : exact) {
        if (ref.dataset.equalsIgnoreCase(name)) {
          canonical = ref.dataset;
          if (ref.minSupport == s) {
            match = ref;
          }
        }
      }
      cases.add(new Case(canonical, s, match));
    }
    return cases;
  }

  private static String datasetNames(List<Datasets.Reference> refs) {
    return String.join(", ", refs.stream().map(r -> r.dataset).distinct().toList());
  }

  // -----------------------------------------------------------------------------------------
  // Report

  private void printHeader(BenchOptions o, Path dir, int cores, PrintStream out) {
    Runtime rt = Runtime.getRuntime();
    out.println();
    out.println(
        "rusket-beam benchmark, suite "
            + name()
            + ", "
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
    out.printf(
        Locale.ROOT,
        "JVM %s (%s), max heap %s, GC %s, %d cores, load average %.2f at start%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        mib(rt.maxMemory()),
        HeapProbe.collectorInfo(),
        cores,
        loadAverage());
    out.println("datasets " + dir);
    // Which miner is measured: a build of this tree, or a jar some other checkout installed?
    out.println("miner classes from " + codeSource(ItemsetMiner.class));
    out.printf(
        Locale.ROOT,
        "ours: ItemsetMiner AUTO, threads=%d (all) and 1; warm-up: at least %d runs and %d ms,"
            + " then median of %d%s%n",
        cores,
        o.warmup,
        o.warmupMillis,
        o.repeat,
        o.timeMethods ? "; FPGROWTH and ECLAT timed too" : "");
    out.println(
        "peers: "
            + (o.peers.isEmpty() ? "none" : String.join(", ", o.peers))
            + (o.peers.isEmpty()
                ? ""
                : "; warm-up: at least 1 run and "
                    + o.warmupMillis
                    + " ms, then median of "
                    + o.peerRepeat)
            + (o.peers.contains("spark") ? "; Spark on " + SparkPeer.MASTER : ""));
    out.println();
  }

  private int report(
      List<Result> results,
      BenchOptions o,
      Map<String, String> peerErrors,
      int cores,
      PrintStream out) {
    boolean spark = o.peers.contains("spark");
    boolean smile = o.peers.contains("smile");

    out.println();
    out.println(
        "Time, milliseconds (median). Ratios > 1 mean we are faster; ours/C < 1 means we beat C.");
    TextTable t =
        new TextTable()
            .text("case")
            .num("itemsets")
            .num("parse")
            .num("ours")
            .num("spread")
            .num("ours 1t");
    if (o.timeMethods) {
      t.num("fpgrowth").num("eclat");
    }
    if (spark) {
      t.num("spark").num("spark/ours");
    }
    if (smile) {
      t.num("smile").num("smile/ours").num("smile/1t");
    }
    t.num("C (README)").num("ours/C");
    for (Result r : results) {
      List<String> row = new ArrayList<>();
      row.add(r.c.label());
      if (r.skipped != null) {
        row.add("skipped");
        t.row(row);
        continue;
      }
      row.add(String.format(Locale.ROOT, "%,d", r.ours.ok() ? r.ours.outcome().itemsets() : -1));
      row.add(ms(r.parse.medianMs()));
      row.add(ms(r.oursMs()));
      row.add(pct(r.ours.spread()));
      row.add(ms(r.ours1.medianMs()));
      if (o.timeMethods) {
        row.add(ms(r.fpg.medianMs()));
        row.add(ms(r.eclat.medianMs()));
      }
      if (spark) {
        row.add(peerTime(r, "spark"));
        row.add(ratio(r.peerMs("spark") / r.oursMs()));
      }
      if (smile) {
        row.add(peerTime(r, "smile"));
        row.add(ratio(r.peerMs("smile") / r.oursMs()));
        row.add(ratio(r.peerMs("smile") / r.ours1.medianMs()));
      }
      Double c = BORGELT_C_MS.get(r.c.key());
      row.add(c == null ? "-" : ms(c));
      row.add(c == null ? "-" : ratio(oursVsC(r)));
      t.row(row);
    }
    t.print(out);
    out.println(
        "  parse: TransactionDb.readBaskets(file), once per dataset. ours: from the parsed"
            + " TransactionDb to the last itemset in a checksum sink, threads="
            + cores
            + ";");
    out.println(
        "  spread: (max-min)/median of our runs. ours 1t: threads=1. smile/1t: Smile (single-"
            + "threaded) against ours 1t.");
    if (spark) {
      out.println(
          "  spark: fit + freqItemsets().count() on a cached DataFrame, "
              + SparkPeer.MASTER
              + ". smile: FPTree.of + consuming FPGrowth.apply's stream.");
    }
    out.println(
        "  C (README): Borgelt's C fpgrowth 6.7, whole process incl. reading the file, QUOTED from"
            + " ../shared/datasets/README.md, not run here; ours/C = (parse + ours) / C.");

    out.println();
    out.println(
        "Correctness and memory. Itemset counts: reference (README), ours, peers; checksums"
            + " compare full outputs.");
    TextTable m =
        new TextTable().text("case").num("minCount").num("reference").num("ours").text("by length");
    if (spark) {
      m.num("spark");
    }
    if (smile) {
      m.num("smile");
    }
    m.text("checksums")
        .num("db RAM")
        .num("heap peak")
        .num("after-GC peak")
        .num("GCs")
        .num("alloc 1t");
    for (Result r : results) {
      List<String> row = new ArrayList<>();
      row.add(r.c.label());
      if (r.skipped != null) {
        row.add("skipped");
        m.row(row);
        continue;
      }
      Datasets.Reference ref = r.c.ref();
      long ours = r.ours.ok() ? r.ours.outcome().itemsets() : -1;
      row.add(
          String.format(Locale.ROOT, "%,d", r.minCount)
              + (ref != null && ref.minCount != r.minCount ? " !=" + ref.minCount : ""));
      row.add(ref == null ? "-" : String.format(Locale.ROOT, "%,d", ref.itemsets));
      row.add(
          String.format(Locale.ROOT, "%,d", ours)
              + (ref != null && ref.itemsets != ours ? " X" : ""));
      row.add(ref == null ? "-" : Arrays.equals(ref.byLength, r.byLength) ? "= ref" : "DIFFERS");
      if (spark) {
        row.add(peerCount(r, "spark", ours));
      }
      if (smile) {
        row.add(peerCount(r, "smile", ours));
      }
      row.add(checksums(r));
      row.add(mib(r.db.ramBytesUsed()));
      row.add(mib(r.heap.peakBytes()));
      row.add(r.heap.peakAfterGcBytes() < 0 ? "-" : mib(r.heap.peakAfterGcBytes()));
      row.add(Integer.toString(r.heap.collections()));
      row.add(mib(r.allocated1t));
      m.row(row);
    }
    m.print(out);
    out.println(
        "  checksums: outputs of AUTO (threads="
            + cores
            + " and 1), FPGROWTH, ECLAT"
            + (o.peers.isEmpty() ? "" : " and each peer")
            + " fingerprinted (items + count, order-"
            + "independent) and compared with ours.");
    out.println(
        "  heap peak: most heap in use (sampled every ~0.5 ms, garbage included) above a post-GC"
            + " baseline during one untimed AUTO run; G1 reports it by whole regions, so small"
            + " runs read 0;");
    out.println(
        "  after-GC peak: most heap in use right after a collection in that run (- if none).");
    out.println(
        "  GCs: collections during that run. alloc 1t: bytes allocated by one untimed threads=1"
            + " AUTO run (exact, collector-independent). db RAM: TransactionDb.ramBytesUsed().");

    reportCondensed(results, out);

    // Problems, targets, summary.
    List<String> problems = new ArrayList<>();
    for (Result r : results) {
      for (String p : r.problems) {
        problems.add(r.c.label() + ": " + p);
      }
    }
    for (Map.Entry<String, String> e : peerErrors.entrySet()) {
      out.println("peer " + e.getKey() + " did not run: " + e.getValue());
    }
    out.println();
    if (problems.isEmpty()) {
      out.println("Correctness: PASS (counts match the reference table and all outputs agree)");
    } else {
      out.println("Correctness: FAIL");
      for (String p : problems) {
        out.println("  " + p);
      }
    }
    String sparkT =
        target(
            results,
            r -> r.peerMs("spark") / r.oursMs(),
            SPARK_TARGET,
            true,
            spark ? null : "not run");
    String smileT =
        target(
            results,
            r -> r.peerMs("smile") / r.oursMs(),
            SMILE_TARGET,
            true,
            smile ? null : "not run");
    String cT =
        target(
            results,
            r -> BORGELT_C_MS.containsKey(r.c.key()) ? oursVsC(r) : Double.NaN,
            BORGELT_TARGET,
            false,
            null);
    String fasterT =
        targetDense(results, r -> Math.max(ratioTo(r, r.closed), ratioTo(r, r.maximal)), 1.0);
    String postT =
        targetDense(
            results,
            r ->
                Math.max(
                    r.closed.medianMs() / r.closedPost.medianMs(),
                    r.maximal.medianMs() / r.maximalPost.medianMs()),
            1.0 / POST_FILTER_TARGET);
    String condensedC =
        target(
            results,
            r -> Math.max(condensedVsC(r, 0), condensedVsC(r, 1)),
            BORGELT_TARGET,
            false,
            null);
    out.println(
        "Closed/maximal targets (worst of the two per case): faster than ALL on every dense case: "
            + fasterT
            + "; ≥5× faster than the post-filter on dense cases: "
            + postT
            + "; within 2× of Borgelt C -tc/-tm: "
            + condensedC);
    out.printf(
        Locale.ROOT,
        "Load average %.2f at the end (2-core machine shared: treat timings as" + " noisy).%n",
        loadAverage());
    out.println(
        "Targets: ≥50× faster than Spark MLlib: "
            + sparkT
            + "; ≥3× faster than Smile on every case: "
            + smileT
            + "; within 2× of Borgelt C: "
            + cT
            + " | correctness: "
            + (problems.isEmpty() ? "PASS" : "FAIL"));
    return problems.isEmpty() ? 0 : 1;
  }

  /** Closed and maximal beside ALL, the post-filter baseline and Borgelt's C. */
  private static void reportCondensed(List<Result> results, PrintStream out) {
    out.println();
    out.println(
        "Closed and maximal itemsets, milliseconds (median), AUTO all threads: mined directly vs"
            + " ALL, vs the post-filter of the full set (mine ALL collected + PostFilter), vs C.");
    TextTable t =
        new TextTable()
            .text("case")
            .text("dense")
            .num("ALL")
            .num("closed")
            .num("n closed")
            .num("post-filter")
            .num("post/closed")
            .num("C -tc")
            .num("ours/C")
            .num("maximal")
            .num("n maximal")
            .num("post-filter")
            .num("post/max")
            .num("C -tm")
            .num("ours/C");
    for (Result r : results) {
      List<String> row = new ArrayList<>();
      row.add(r.c.label());
      if (r.skipped != null) {
        row.add("skipped");
        t.row(row);
        continue;
      }
      double[] c = BORGELT_C_CONDENSED_MS.get(r.c.key());
      row.add(r.db.density() >= DENSE ? "yes" : "no");
      row.add(ms(r.oursMs()));
      row.add(ms(r.closed.medianMs()));
      row.add(count(r.closed));
      row.add(ms(r.closedPost.medianMs()));
      row.add(ratio(r.closedPost.medianMs() / r.closed.medianMs()));
      row.add(c == null ? "-" : ms(c[0]));
      row.add(c == null ? "-" : ratio(condensedVsC(r, 0)));
      row.add(ms(r.maximal.medianMs()));
      row.add(count(r.maximal));
      row.add(ms(r.maximalPost.medianMs()));
      row.add(ratio(r.maximalPost.medianMs() / r.maximal.medianMs()));
      row.add(c == null ? "-" : ms(c[1]));
      row.add(c == null ? "-" : ratio(condensedVsC(r, 1)));
      t.row(row);
    }
    t.print(out);
    out.println(
        "  ALL/closed/maximal: from the parsed TransactionDb to the last itemset in a checksum"
            + " sink. post-filter: the same ALL run collected, then PostFilter.of; ours/C ="
            + " (parse + ours) / C;");
    out.println(
        "  C -tc / -tm: Borgelt's C fpgrowth 6.7, whole process, QUOTED from"
            + " ../shared/datasets/README.md, not run here. dense: density >= "
            + DENSE
            + ".");
  }

  private static String count(Measured m) {
    return m.ok() ? String.format(Locale.ROOT, "%,d", m.outcome().itemsets()) : "error";
  }

  /** Time of {@code m} over ALL's: below 1 means closed/maximal is faster than mining ALL. */
  private static double ratioTo(Result r, Measured m) {
    return m.medianMs() / r.oursMs();
  }

  /** (parse + closed or maximal) / Borgelt C -tc or -tm; {@code which} 0 closed, 1 maximal. */
  private static double condensedVsC(Result r, int which) {
    double[] c = BORGELT_C_CONDENSED_MS.get(r.c.key());
    if (c == null) {
      return Double.NaN;
    }
    Measured m = which == 0 ? r.closed : r.maximal;
    return (r.parse.medianMs() + m.medianMs()) / c[which];
  }

  /** PASS/FAIL over the dense cases: the ratio (ours / baseline) must be below {@code goal}. */
  private static String targetDense(
      List<Result> results, ToDoubleFunction<Result> ratio, double goal) {
    double worst = Double.NaN;
    String where = null;
    for (Result r : results) {
      if (r.skipped != null || r.db.density() < DENSE) {
        continue;
      }
      double x = ratio.applyAsDouble(r);
      if (Double.isNaN(worst) || x > worst) {
        worst = x;
        where = r.c.label();
      }
    }
    if (where == null) {
      return "n/a (no dense case)";
    }
    return (worst < goal ? "PASS" : "FAIL")
        + " (worst ours/baseline "
        + ratio(worst)
        + ", "
        + where
        + ")";
  }

  /** (parse + ours) / Borgelt C: both sides read the file and mine. */
  private static double oursVsC(Result r) {
    Double c = BORGELT_C_MS.get(r.c.key());
    return c == null ? Double.NaN : (r.parse.medianMs() + r.oursMs()) / c;
  }

  /**
   * PASS/FAIL of one target over all cases where it applies, with the worst ratio and its case.
   * {@code atLeast}: the ratio must be ≥ goal (speed-ups), else ≤ goal (ours/C).
   */
  private static String target(
      List<Result> results,
      ToDoubleFunction<Result> ratio,
      double goal,
      boolean atLeast,
      String na) {
    if (na != null) {
      return na;
    }
    double worst = Double.NaN;
    String where = null;
    int n = 0;
    for (Result r : results) {
      if (r.skipped != null) {
        continue;
      }
      double x = ratio.applyAsDouble(r);
      if (Double.isNaN(x)) {
        continue;
      }
      n++;
      if (Double.isNaN(worst) || (atLeast ? x < worst : x > worst)) {
        worst = x;
        where = r.c.label();
      }
    }
    if (n == 0) {
      return "n/a (no case)";
    }
    boolean pass = atLeast ? worst >= goal : worst <= goal;
    return (pass ? "PASS" : "FAIL") + " (worst " + ratio(worst) + ", " + where + ")";
  }

  private static String progress(Result r) {
    StringBuilder sb = new StringBuilder(r.c.label());
    sb.append(": ours ")
        .append(ms(r.oursMs()))
        .append(" ms (1t ")
        .append(ms(r.ours1.medianMs()))
        .append(")");
    for (Map.Entry<String, Measured> e : r.peers.entrySet()) {
      sb.append(", ")
          .append(e.getKey())
          .append(' ')
          .append(e.getValue().ok() ? ms(e.getValue().medianMs()) + " ms" : "error");
    }
    sb.append(r.problems.isEmpty() ? ", outputs agree" : ", PROBLEMS: " + r.problems);
    return sb.toString();
  }

  private static String peerTime(Result r, String peer) {
    Measured m = r.peers.get(peer);
    return m == null ? "-" : m.ok() ? ms(m.medianMs()) : "error";
  }

  private static String peerCount(Result r, String peer, long ours) {
    Measured m = r.peers.get(peer);
    if (m == null) {
      return "-";
    }
    if (!m.ok()) {
      return "error";
    }
    long n = m.outcome().itemsets();
    return String.format(Locale.ROOT, "%,d", n) + (n != ours ? " X" : "");
  }

  private static String checksums(Result r) {
    List<String> differ = new ArrayList<>();
    int agree = 0;
    Outcome ours = r.ours.ok() ? r.ours.outcome() : null;
    Map<String, Measured> all = new LinkedHashMap<>();
    all.put("auto", r.ours);
    all.put("auto-1t", r.ours1);
    all.put("fpgrowth", r.fpg);
    all.put("eclat", r.eclat);
    all.putAll(r.peers);
    for (Map.Entry<String, Measured> e : all.entrySet()) {
      Measured m = e.getValue();
      if (ours != null
          && m.ok()
          && m.consistent()
          && m.outcome().hasChecksum()
          && m.outcome().consistentWith(ours)) {
        agree++;
      } else {
        differ.add(e.getKey());
      }
    }
    return differ.isEmpty() ? "all " + agree + " equal" : "DIFFER: " + String.join(",", differ);
  }

  // -----------------------------------------------------------------------------------------
  // Formatting

  static String support(double s) {
    return BigDecimal.valueOf(s).stripTrailingZeros().toPlainString();
  }

  static String ms(double ms) {
    if (Double.isNaN(ms)) {
      return "-";
    }
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    if (ms < 100) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%,.0f", ms);
  }

  static String ratio(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return "-";
    }
    return String.format(Locale.ROOT, x < 10 ? "%.2f×" : "%.1f×", x);
  }

  static String pct(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * x);
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static String codeSource(Class<?> c) {
    try {
      return java.nio.file.Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (Exception | LinkageError e) {
      return "(unknown: " + e + ")";
    }
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
