package io.rusket.beam.bench;

import io.rusket.beam.bench.ChildJvm.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Suite {@code scale}: the pipelines users run, end to end from a file, at the seed's scale, next
 * to the plain loop that is their physical yardstick; every run in a child JVM with {@code -Xmx2g}.
 *
 * <p>For each size of {@code --events} (default {@code 10m,30m}), the generator writes the seed's
 * shape once — {@code generate --stores=200 --transactions=EVENTS/4.4 --items=2600 --layouts=events
 * --formats=parquet,arrow} (~2,600 Zipf items, ~4.4 items per basket), in a child JVM with {@code
 * -Xmx1g}, under {@code --dataDir} (reused when complete; deleted after the size unless {@code
 * --keepData}) — then, for Parquet and Arrow ({@code --cases=stream,grouped:arrow,...} selects):
 *
 * <ul>
 *   <li>the <b>plain loop</b>: {@link ScaleChild} reads the file column-wise into one FPMiner mined
 *       at minSupport 0.001 (stream), or each store's pairs into a TransactionDb mined at 0.01
 *       (grouped);
 *   <li>the <b>pipeline</b>: {@code io.rusket.beam.runners.Main stream|grouped --input=FILE ...} on
 *       embedded Spark {@code local[2]}, exactly as the jar runs it, writing JSON lines that are
 *       read back and checksummed ({@link ItemsetChecksum}) against the plain loop's itemsets.
 * </ul>
 *
 * <p>Each case runs {@code --repeats} times (median wall time). Wall time is the child's, from
 * start to exit (JVM and Spark start included, for both sides); peak heap is the sum of the child's
 * heap pools' peaks (JMX, garbage included); peak RSS the kernel's high-water mark. A child that
 * runs out of heap is reported as {@code OOM} with the time it took to get there, one killed at
 * {@code --timeout} as {@code TIMEOUT}. The report ends with the targets at each size.
 *
 * <p>Exit code 1 when itemsets disagree, a plain loop does not finish, or a pipeline fails for
 * another reason than memory or time; a pipeline's OOM and missed targets are reported, with exit
 * code 0.
 */
final class ScaleSuite implements Suite {
  static final List<Long> DEFAULT_EVENTS = List.of(10_000_000L, 30_000_000L);
  static final int STORES = 200;
  static final double MEAN_BASKET = 4.4;
  static final long SEED = 42;
  static final String CHILD_HEAP = "-Xmx2g";
  static final String GENERATE_HEAP = "-Xmx1g";
  static final String MASTER = "local[2]";
  static final double STREAM_RATIO_TARGET = 3;
  static final double GROUPED_RATIO_TARGET = 4;
  static final double PARQUET_RATE_TARGET = 2e6;
  static final List<String> FORMATS = List.of("parquet", "arrow");

  /** Which pipeline. */
  enum Kind {
    STREAM,
    GROUPED;

    String lower() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A pipeline on one input format. */
  record Case(Kind kind, String format) {}

  @Override
  public String name() {
    return "scale";
  }

  @Override
  public String description() {
    return "stream and grouped from Parquet/Arrow vs the plain loop, -Xmx2g children, 10M+ events";
  }

  /**
   * The cases of {@code --cases}: {@code stream}, {@code grouped} (both formats) or {@code
   * KIND:FORMAT}; empty means all four.
   *
   * @throws IllegalArgumentException naming a bad entry
   */
  static List<Case> selectCases(List<String> specs) {
    Set<Case> out = new LinkedHashSet<>();
    List<String> all = specs.isEmpty() ? List.of("stream", "grouped") : specs;
    for (String spec : all) {
      String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
      Kind kind;
      try {
        kind = Kind.valueOf(p[0].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        kind = null;
      }
      if (kind == null || p.length > 2 || (p.length == 2 && !FORMATS.contains(p[1]))) {
        throw new IllegalArgumentException(
            "Invalid case for suite scale: "
                + spec
                + ". Valid values are stream, grouped, or KIND:parquet / KIND:arrow.");
      }
      for (String f : p.length == 2 ? List.of(p[1]) : FORMATS) {
        out.add(new Case(kind, f));
      }
    }
    // Formats in a fixed order (Parquet first), kinds as given.
    List<Case> sorted = new ArrayList<>(out);
    sorted.sort(Comparator.comparingInt((Case c) -> FORMATS.indexOf(c.format())));
    return sorted;
  }

  /** The generator's {@code --transactions} for about {@code events} events. */
  static long transactionsFor(long events) {
    return Math.max(STORES, Math.round(events / MEAN_BASKET));
  }

  /** One case's runs: the plain loop's or the pipeline's. */
  static final class Measure {
    final Case c;
    final boolean plain;
    final List<ChildJvm.Result> runs = new ArrayList<>();
    final List<ItemsetChecksum> sums = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    double load;

    Measure(Case c, boolean plain) {
      this.c = c;
      this.plain = plain;
    }

    String label() {
      if (plain) {
        return c.kind() == Kind.STREAM
            ? "plain loop (FPMiner)"
            : "plain loop (TransactionDb per store)";
      }
      return c.kind().lower() + " (Spark " + MASTER + ")";
    }

    /** OK when every run ended well; otherwise the first other status. */
    Status status() {
      for (ChildJvm.Result r : runs) {
        if (r.status() != Status.OK) {
          return r.status();
        }
      }
      return runs.isEmpty() ? Status.FAILED : Status.OK;
    }

    /** Median wall seconds of the runs; for a failed case, the time it failed at. */
    double wallSeconds() {
      long[] w = new long[runs.size()];
      for (int i = 0; i < w.length; i++) {
        ChildJvm.Result r = runs.get(i);
        w[i] = r.status() == Status.OOM && r.oomAtNanos() >= 0 ? r.oomAtNanos() : r.wallNanos();
      }
      return w.length == 0 ? Double.NaN : StreamSuite.median(w) / 1e9;
    }

    long maxOf(String key) {
      long m = -1;
      for (ChildJvm.Result r : runs) {
        m = Math.max(m, r.getLong(key, -1));
      }
      return m;
    }

    long peakRss() {
      long m = -1;
      for (ChildJvm.Result r : runs) {
        m = Math.max(m, r.peakRssBytes());
      }
      return m;
    }

    /** The itemsets of the runs, if every run with output agrees; else null. */
    ItemsetChecksum sum() {
      ItemsetChecksum first = null;
      for (ItemsetChecksum s : sums) {
        if (first == null) {
          first = s;
        } else if (!same(first, s)) {
          return null;
        }
      }
      return first;
    }

    boolean consistent() {
      return sums.size() < 2 || sum() != null;
    }
  }

  static boolean same(ItemsetChecksum a, ItemsetChecksum b) {
    return a != null && b != null && a.itemsets() == b.itemsets() && a.checksum() == b.checksum();
  }

  /** The generated log of one size. */
  record Data(Path dir, long events, long transactions, String how) {
    Path file(String format) {
      return dir.resolve("events." + format);
    }
  }

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    List<Case> cases;
    try {
      cases = selectCases(o.cases);
    } catch (IllegalArgumentException e) {
      err.println("benchmark: " + e.getMessage());
      return 2;
    }
    List<Long> sizes = o.events.isEmpty() ? DEFAULT_EVENTS : o.events;
    Path root =
        o.dataDir != null
            ? o.dataDir
            : Path.of(System.getProperty("java.io.tmpdir"), "rusket-scale");
    Files.createDirectories(root);
    double loadStart = loadAverage();
    String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    List<String> problems = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    List<String> summary = new ArrayList<>();
    for (long size : sizes) {
      double sizeLoad = loadAverage();
      Data d = ensureData(root, size, o, err);
      if (d == null) {
        problems.add("generating " + size + " events failed (see the log above)");
        continue;
      }
      List<Measure> rows = new ArrayList<>();
      for (Case c : cases) {
        Measure plain = new Measure(c, true);
        Measure pipe = new Measure(c, false);
        runPlain(plain, d, o, root, err);
        runPipeline(pipe, d, o, root, err);
        rows.add(plain);
        rows.add(pipe);
      }
      check(rows, problems);
      String table = table(d, rows, sizeLoad, loadAverage());
      err.print(table); // as soon as a size is done: a long run shows its first tables early
      report.append(table);
      summary.addAll(targets(d, rows));
      if (!o.keepData) {
        deleteTree(d.dir());
      }
    }
    out.println();
    out.println("rusket-beam benchmark, suite scale, started " + started);
    out.printf(
        Locale.ROOT,
        "JVM %s, %d cores; children: %s (pipelines, plain loops), %s (generator); load average"
            + " %.2f at start, %.2f at the end (2-core machine shared: treat timings as noisy)%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        CHILD_HEAP,
        GENERATE_HEAP,
        loadStart,
        loadAverage());
    out.print(report);
    out.println();
    out.println("Targets (the issue states them at 100M events):");
    for (String s : summary) {
      out.println("  " + s);
    }
    out.println(
        problems.isEmpty()
            ? "Correctness: PASS (every finished run's itemsets equal the plain loop's)"
            : "Correctness: FAIL");
    for (String p : problems) {
      out.println("  " + p);
    }
    return problems.isEmpty() ? 0 : 1;
  }

  /** The log of {@code events} events under {@code root}, generated unless complete there. */
  static Data ensureData(Path root, long events, BenchOptions o, PrintStream err)
      throws IOException, InterruptedException {
    long txns = transactionsFor(events);
    Path dir = root.resolve("events-" + events);
    Path marker = dir.resolve("complete.txt");
    List<String> gen =
        List.of(
            "generate",
            "--output=" + dir,
            "--seed=" + SEED,
            "--stores=" + STORES,
            "--transactions=" + txns,
            "--items=" + ScaleChild.ITEMS,
            "--layouts=events",
            "--formats=parquet,arrow");
    String settings = String.join(" ", gen.subList(2, gen.size()));
    if (Files.isRegularFile(marker)) {
      List<String> m = Files.readAllLines(marker, StandardCharsets.UTF_8);
      if (m.size() >= 2 && m.get(0).equals(settings)) {
        long[] counts = counts(m.get(1));
        if (counts != null) {
          err.println("[bench] reusing " + dir);
          return new Data(dir, counts[1], counts[0], "reused from " + dir);
        }
      }
    }
    deleteTree(dir);
    err.printf(Locale.ROOT, "[bench] generating ~%,d events into %s ...%n", events, dir);
    ChildJvm.Result r =
        ChildJvm.run(
            List.of(GENERATE_HEAP),
            io.rusket.beam.runners.Main.class.getName(),
            gen,
            root.resolve("logs/generate-" + events + ".log"),
            o.timeoutSeconds);
    String line = null;
    for (String l : Files.readAllLines(r.log(), StandardCharsets.UTF_8)) {
      if (l.startsWith("transactions=")) {
        line = l;
      }
    }
    long[] counts = line == null ? null : counts(line);
    if (r.status() != Status.OK || counts == null) {
      err.println("[bench] generate ended " + r.status() + ": " + String.join(" | ", r.tail()));
      return null;
    }
    Files.writeString(marker, settings + "\n" + line + "\n", StandardCharsets.UTF_8);
    String how =
        String.format(
            Locale.ROOT,
            "generated in %.1f s wall, peak RSS %s (child %s; %s)",
            r.wallNanos() / 1e9,
            MinerSuite.mib(r.peakRssBytes()),
            GENERATE_HEAP,
            line);
    return new Data(dir, counts[1], counts[0], how);
  }

  /** {transactions, events} of a generate summary line, or null. */
  static long[] counts(String line) {
    long t = -1;
    long e = -1;
    for (String kv : line.trim().split("\\s+")) {
      if (kv.startsWith("transactions=")) {
        t = Long.parseLong(kv.substring(13));
      } else if (kv.startsWith("events=")) {
        e = Long.parseLong(kv.substring(7));
      }
    }
    return t < 0 || e < 0 ? null : new long[] {t, e};
  }

  private static void runPlain(Measure m, Data d, BenchOptions o, Path root, PrintStream err)
      throws IOException, InterruptedException {
    m.load = loadAverage();
    for (int run = 0; run < o.repeats; run++) {
      err.printf(
          Locale.ROOT,
          "[bench] %,d events, %s, %s, run %d ...%n",
          d.events(),
          m.label(),
          m.c.format(),
          run + 1);
      ChildJvm.Result r =
          ChildJvm.run(
              List.of(CHILD_HEAP),
              ScaleChild.class.getName(),
              List.of("plain-" + m.c.kind().lower(), d.file(m.c.format()).toString(), m.c.format()),
              root.resolve(
                  "logs/"
                      + d.events()
                      + "-plain-"
                      + m.c.kind().lower()
                      + "-"
                      + m.c.format()
                      + "-"
                      + run
                      + ".log"),
              o.timeoutSeconds);
      m.runs.add(r);
      logEnd(r, err);
      if (r.status() != Status.OK) {
        break;
      }
      ItemsetChecksum s = new ItemsetChecksum();
      s.set(r.getLong("itemsets", -1), r.getLong("checksum", 0));
      m.sums.add(s);
      if (run == 0) {
        m.notes.add(
            String.format(
                Locale.ROOT,
                "read %.1f s, mine %.1f s, %,d transactions%s",
                r.getLong("readNs", 0) / 1e9,
                r.getLong("mineNs", 0) / 1e9,
                r.getLong("transactions", 0),
                r.getLong("rowGroups", -1) >= 0
                    ? ", " + r.get("rowGroups") + " Parquet row groups"
                    : ""));
      }
    }
  }

  private static void runPipeline(Measure m, Data d, BenchOptions o, Path root, PrintStream err)
      throws IOException, InterruptedException {
    m.load = loadAverage();
    for (int run = 0; run < o.repeats; run++) {
      Path output = root.resolve("out-" + m.c.kind().lower() + "-" + m.c.format() + "-" + run);
      deleteTree(output);
      err.printf(
          Locale.ROOT,
          "[bench] %,d events, %s, %s, run %d ...%n",
          d.events(),
          m.label(),
          m.c.format(),
          run + 1);
      ChildJvm.Result r =
          ChildJvm.run(
              List.of(CHILD_HEAP),
              ScaleChild.class.getName(),
              pipelineArgs(m.c, d.file(m.c.format()), output),
              root.resolve(
                  "logs/"
                      + d.events()
                      + "-"
                      + m.c.kind().lower()
                      + "-"
                      + m.c.format()
                      + "-"
                      + run
                      + ".log"),
              o.timeoutSeconds);
      m.runs.add(r);
      logEnd(r, err);
      if (r.status() == Status.OK) {
        try {
          m.sums.add(
              ItemsetChecksum.ofJsonLines(
                  output.resolve("itemsets"),
                  m.c.kind() == Kind.GROUPED ? ScaleChild.STORE : null));
        } catch (IOException | IllegalArgumentException e) {
          m.notes.add("output unreadable: " + e.getMessage());
        }
      }
      deleteTree(output);
      if (r.status() != Status.OK) {
        break; // an OOM or timeout is not retried: the next size is worth more time
      }
    }
  }

  /** The arguments of {@link ScaleChild} running the pipeline of {@code c} on {@code file}. */
  static List<String> pipelineArgs(Case c, Path file, Path output) {
    List<String> a = new ArrayList<>();
    a.add("main");
    a.add(c.kind().lower());
    a.add("--input=" + file);
    a.add("--inputFormat=" + c.format());
    if (c.kind() == Kind.GROUPED) {
      a.add("--groupCol=" + ScaleChild.STORE);
    }
    a.add("--txnCol=" + ScaleChild.TXN);
    a.add("--itemCol=" + ScaleChild.ITEM);
    if (c.kind() == Kind.STREAM) {
      a.add("--numItems=" + ScaleChild.ITEMS);
      a.add("--minSupport=" + MinerSuite.support(ScaleChild.STREAM_SUPPORT));
    } else {
      a.add("--minSupport=" + MinerSuite.support(ScaleChild.GROUPED_SUPPORT));
    }
    a.add("--output=" + output);
    a.add("--outputFormat=jsonl");
    a.add("--sparkMaster=" + MASTER);
    return a;
  }

  private static void logEnd(ChildJvm.Result r, PrintStream err) {
    err.printf(
        Locale.ROOT,
        "[bench]   %s in %.1f s, peak RSS %s%s%n",
        r.status(),
        r.wallNanos() / 1e9,
        MinerSuite.mib(r.peakRssBytes()),
        r.status() == Status.OK ? "" : " (log " + r.log() + "): " + String.join(" | ", r.tail()));
  }

  /** Problems: pipelines that disagree with their plain loop, plain loops that disagree. */
  static void check(List<Measure> rows, List<String> problems) {
    ItemsetChecksum[] plainByKind = new ItemsetChecksum[Kind.values().length];
    for (Measure m : rows) {
      if (!m.consistent()) {
        problems.add(m.label() + " from " + m.c.format() + ": runs disagree with each other");
      }
      if (m.plain && m.status() != Status.OK) {
        problems.add(
            m.label()
                + " from "
                + m.c.format()
                + " ended "
                + m.status()
                + " with "
                + CHILD_HEAP
                + ": no yardstick (see "
                + m.runs.get(m.runs.size() - 1).log()
                + ")");
      } else if (m.status() == Status.FAILED) {
        problems.add(
            m.label()
                + " from "
                + m.c.format()
                + " failed: see "
                + m.runs.get(m.runs.size() - 1).log());
      }
      if (m.plain && m.sum() != null) {
        ItemsetChecksum other = plainByKind[m.c.kind().ordinal()];
        if (other != null && !same(other, m.sum())) {
          problems.add("the plain loops of " + m.c.kind().lower() + " disagree between formats");
        }
        plainByKind[m.c.kind().ordinal()] = m.sum();
      }
    }
    for (Measure m : rows) {
      if (!m.plain && m.sum() != null) {
        Measure p = plainOf(rows, m);
        if (p != null && p.sum() != null && !same(p.sum(), m.sum())) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "%s from %s: %d itemsets, checksum %d; the plain loop: %d, %d",
                  m.label(),
                  m.c.format(),
                  m.sum().itemsets(),
                  m.sum().checksum(),
                  p.sum().itemsets(),
                  p.sum().checksum()));
        }
      }
      for (String n : m.notes) {
        if (n.startsWith("output unreadable")) {
          problems.add(m.label() + " from " + m.c.format() + ": " + n);
        }
      }
    }
  }

  static Measure plainOf(List<Measure> rows, Measure m) {
    for (Measure p : rows) {
      if (p.plain && p.c.equals(m.c)) {
        return p;
      }
    }
    return null;
  }

  /** Whether pipeline {@code m} finished with the plain loop's itemsets. */
  static boolean finishedRight(List<Measure> rows, Measure m) {
    Measure p = plainOf(rows, m);
    return m.status() == Status.OK
        && p != null
        && p.sum() != null
        && m.sum() != null
        && same(p.sum(), m.sum());
  }

  static double ratio(List<Measure> rows, Measure m) {
    Measure p = plainOf(rows, m);
    if (p == null || p.status() != Status.OK || m.status() != Status.OK) {
      return Double.NaN;
    }
    return m.wallSeconds() / p.wallSeconds();
  }

  private static String table(Data d, List<Measure> rows, double loadStart, double loadEnd) {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    out.println();
    out.printf(
        Locale.ROOT,
        "%,d events (%,d transactions, %d stores, %,d items; %s), load average %.2f -> %.2f%n",
        d.events(),
        d.transactions(),
        STORES,
        ScaleChild.ITEMS,
        d.how(),
        loadStart,
        loadEnd);
    TextTable t =
        new TextTable()
            .text("case")
            .text("input")
            .text("result")
            .num("wall s")
            .num("events/s")
            .num("peak heap")
            .num("peak RSS")
            .num("itemsets")
            .text("checksum ok")
            .num("vs plain loop")
            .num("runs")
            .num("load");
    for (Measure m : rows) {
      ItemsetChecksum s = m.sum();
      Measure p = m.plain ? null : plainOf(rows, m);
      String ok =
          m.plain
              ? (s == null ? "-" : "(reference)")
              : (s == null || p == null || p.sum() == null ? "-" : same(s, p.sum()) ? "yes" : "NO");
      double wall = m.wallSeconds();
      t.row(
          List.of(
              m.label(),
              m.c.format(),
              m.status() == Status.OK ? "ok" : m.status().name(),
              Double.isNaN(wall) ? "-" : String.format(Locale.ROOT, "%.1f", wall),
              m.status() == Status.OK
                  ? String.format(Locale.ROOT, "%.2fM", d.events() / wall / 1e6)
                  : "-",
              m.maxOf("heapPeak") < 0 ? "-" : MinerSuite.mib(m.maxOf("heapPeak")),
              m.peakRss() < 0 ? "-" : MinerSuite.mib(m.peakRss()),
              s == null ? "-" : String.format(Locale.ROOT, "%,d", s.itemsets()),
              ok,
              m.plain
                  ? (m.status() == Status.OK ? "1.00×" : "-")
                  : MinerSuite.ratio(ratio(rows, m)),
              Integer.toString(m.runs.size()),
              String.format(Locale.ROOT, "%.1f", m.load)));
    }
    t.print(out);
    for (Measure m : rows) {
      for (String n : m.notes) {
        out.println("  " + m.label() + ", " + m.c.format() + ": " + n);
      }
    }
    out.println(
        "  wall: the child JVM from start to exit (median of the runs; for OOM, when the first"
            + " OutOfMemoryError was printed); peak heap: the sum of its heap pools' peaks (JMX,"
            + " garbage included); peak RSS: VmHWM. Pipelines: minSupport "
            + MinerSuite.support(ScaleChild.STREAM_SUPPORT)
            + " (stream), "
            + MinerSuite.support(ScaleChild.GROUPED_SUPPORT)
            + " per store (grouped).");
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** The targets at this size, one line each. */
  static List<String> targets(Data d, List<Measure> rows) {
    List<String> lines = new ArrayList<>();
    String at = String.format(Locale.ROOT, "at %,d events: ", d.events());
    for (Kind k : Kind.values()) {
      List<String> finish = new ArrayList<>();
      List<String> ratios = new ArrayList<>();
      boolean allFinish = true;
      boolean allRatio = true;
      boolean any = false;
      double target = k == Kind.STREAM ? STREAM_RATIO_TARGET : GROUPED_RATIO_TARGET;
      for (Measure m : rows) {
        if (m.plain || m.c.kind() != k) {
          continue;
        }
        any = true;
        boolean f = finishedRight(rows, m);
        allFinish &= f;
        finish.add(
            m.c.format() + " " + (f ? "ok" : m.status() == Status.OK ? "wrong" : m.status()));
        double r = ratio(rows, m);
        allRatio &= !Double.isNaN(r) && r <= target;
        ratios.add(m.c.format() + " " + MinerSuite.ratio(r));
      }
      if (!any) {
        continue;
      }
      lines.add(
          at
              + k.lower()
              + " finishes with "
              + CHILD_HEAP
              + ", itemsets identical: "
              + (allFinish ? "PASS" : "FAIL")
              + " ("
              + String.join(", ", finish)
              + ") | within "
              + MinerSuite.ratio(target)
              + " of the plain loop: "
              + (allRatio ? "PASS" : "FAIL")
              + " ("
              + String.join(", ", ratios)
              + ")");
    }
    List<String> rates = new ArrayList<>();
    boolean allRate = true;
    boolean any = false;
    for (Measure m : rows) {
      if (m.plain || !m.c.format().equals("parquet")) {
        continue;
      }
      any = true;
      double rate = m.status() == Status.OK ? d.events() / m.wallSeconds() : Double.NaN;
      allRate &= !Double.isNaN(rate) && rate >= PARQUET_RATE_TARGET;
      rates.add(
          m.c.kind().lower()
              + " "
              + (Double.isNaN(rate)
                  ? m.status().name()
                  : String.format(Locale.ROOT, "%.2fM/s", rate / 1e6)));
    }
    if (any) {
      lines.add(
          at
              + ">= 2M events/s end to end from Parquet: "
              + (allRate ? "PASS" : "FAIL")
              + " ("
              + String.join(", ", rates)
              + ")");
    }
    return lines;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
        Files.deleteIfExists(p);
      }
    }
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
