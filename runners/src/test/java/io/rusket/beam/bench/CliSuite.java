package io.rusket.beam.bench;

import io.rusket.beam.testing.Datasets;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Suite {@code cli}: the single-machine command line as users run it, whole processes (JVM start
 * included), wall time from process start to exit, median of {@code --repeat} runs (default 5)
 * after one untimed round (the page cache), all commands of a round run one after the other so that
 * every row sees the same load:
 *
 * <ul>
 *   <li>{@code java -jar runners/target/rusket-beam.jar mine --help}, {@code --help}, and {@code
 *       mine} on mushroom at 0.2 (targets of issue 14: at most {@value #HELP_TARGET_MS} ms and
 *       {@value #MUSHROOM_TARGET_MS} ms);
 *   <li>on the four reference cases of the miner suite ({@link MinerSuite#BORGELT_C_MS}): {@code
 *       mine --input=FILE --minSupport=S} against Smile 3.1.1 run the same way, a JVM with Smile's
 *       jars only that reads the file and mines it ({@link SmileCliChild}); target: at least
 *       {@value #SMILE_TARGET}× faster. Borgelt's C fpgrowth figures are quoted from the datasets
 *       README, not measured here;
 *   <li>each of our rows also with the jar's class-data-sharing archive ({@code java
 *       -XX:SharedArchiveFile=runners/target/rusket-beam.jsa -jar ...}) when it was built.
 * </ul>
 *
 * <p>Every run's result line is checked: the itemset counts against the reference table, ours
 * against Smile's. Needs the jar built ({@code package}), which {@code -Pbenchmark verify} does.
 */
final class CliSuite implements Suite {
  static final double HELP_TARGET_MS = 300;
  static final double MUSHROOM_TARGET_MS = 400;
  static final double SMILE_TARGET = 2.0;

  /** A child may run this long. */
  private static final long TIMEOUT_SECONDS = 300;

  private static final Pattern ITEMSETS = Pattern.compile("\\bitemsets=(\\d+)");

  @Override
  public String name() {
    return "cli";
  }

  @Override
  public String description() {
    return "the jar's command line, whole processes: mine --help, mine vs Smile in its own JVM";
  }

  /** One command line to time, and what it printed. */
  private static final class Row {
    final String label;
    final String peer;
    final List<String> command;
    final Long expectedItemsets;
    final long[] nanos;
    int runs;

    /** 0, or 2 for an argument error (then stderr must be one line 'error: ...'). */
    int expectedExit;

    String failure;
    String lastOut = "";

    Row(String label, String peer, List<String> command, Long expectedItemsets, int repeat) {
      this.label = label;
      this.peer = peer;
      this.command = command;
      this.expectedItemsets = expectedItemsets;
      this.nanos = new long[repeat];
    }

    double medianMs() {
      if (failure != null || runs == 0) {
        return Double.NaN;
      }
      long[] s = Arrays.copyOf(nanos, runs);
      Arrays.sort(s);
      return (s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0)
          / 1e6;
    }
  }

  @Override
  public int run(BenchOptions o, PrintStream out, PrintStream err) throws Exception {
    Path root = Path.of(System.getProperty("rusket.root", ".")).toAbsolutePath().normalize();
    Path jar = root.resolve("runners/target/rusket-beam.jar");
    if (!Files.isRegularFile(jar)) {
      out.println("benchmark: " + jar + " is not built; run with package (-Pbenchmark verify).");
      return 0;
    }
    Path jsa = root.resolve("runners/target/rusket-beam.jsa");
    boolean cds = Files.isRegularFile(jsa);
    Path dir = o.datasets.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      out.println("benchmark: datasets folder " + dir + " is absent; nothing to run.");
      return 0;
    }
    String java = ChildJvm.java();
    String smileCp = smileClasspath();
    Path work = Files.createTempDirectory("rusket-bench-cli");

    List<Row> rows = new ArrayList<>();
    List<String> ours = List.of(java, "-jar", jar.toString());
    List<String> oursCds = List.of(java, "-XX:SharedArchiveFile=" + jsa, "-jar", jar.toString());
    add(rows, "mine --help", ours, oursCds, cds, null, o.repeat, "mine", "--help");
    add(rows, "--help", ours, oursCds, cds, null, o.repeat, "--help");
    // the pipeline commands' argument errors (issue 14: found before Beam, Spark and log4j load)
    for (List<String> error :
        List.of(
            List.of("grouped", "--help"),
            List.of("grouped", "--bogus=1"),
            List.of("grouped", "--minSupport=2"),
            List.of("stream"),
            List.of("sequences", "--bogus"),
            List.of("utility"))) {
      int first = rows.size();
      add(
          rows,
          String.join(" ", error),
          ours,
          oursCds,
          cds,
          null,
          o.repeat,
          error.toArray(new String[0]));
      for (Row r : rows.subList(first, rows.size())) {
        r.expectedExit = error.contains("--help") ? 0 : 2;
      }
    }
    Path mushroom = dir.resolve("mushroom.dat");
    add(
        rows,
        "mine mushroom 0.2",
        ours,
        oursCds,
        cds,
        reference("mushroom", 0.2).itemsets,
        o.repeat,
        "mine",
        "--input=" + mushroom,
        "--minSupport=0.2");
    List<String> cases = new ArrayList<>(MinerSuite.BORGELT_C_MS.keySet());
    cases.sort(null);
    for (String key : cases) {
      String dataset = key.substring(0, key.indexOf(':'));
      double s = Double.parseDouble(key.substring(key.indexOf(':') + 1));
      Datasets.Reference ref = reference(dataset, s);
      Path file = dir.resolve(dataset + ".dat");
      String label = "mine " + dataset + " " + key.substring(key.indexOf(':') + 1);
      add(
          rows,
          label,
          ours,
          oursCds,
          cds,
          ref.itemsets,
          o.repeat,
          "mine",
          "--input=" + file,
          "--minSupport=" + key.substring(key.indexOf(':') + 1));
      if (smileCp != null) {
        rows.add(
            new Row(
                label,
                "smile",
                List.of(
                    java,
                    "-cp",
                    smileCp,
                    SmileCliChild.class.getName(),
                    file.toString(),
                    Long.toString(ref.minCount)),
                ref.itemsets,
                o.repeat));
      }
    }

    double loadStart = loadAverage();
    out.printf(
        Locale.ROOT,
        "cli suite: %s; JVM %s, %d cores, load average %.2f at start; %d timed rounds after 1"
            + " untimed%n",
        jar,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        loadStart,
        o.repeat);
    out.println(
        cds
            ? "CDS archive: " + jsa + " (rows 'ours+cds')"
            : "CDS archive: not built (" + jsa + " absent)");
    if (smileCp == null) {
      out.println("Smile's jars are not on this classpath: no Smile rows.");
    }
    for (int round = 0; round <= o.repeat; round++) {
      for (Row r : rows) {
        if (r.failure == null) {
          time(r, round > 0, work);
        }
      }
      err.println("[bench] cli round " + round + "/" + o.repeat + " done");
    }
    double loadEnd = loadAverage();

    int problems = 0;
    TextTable t =
        new TextTable()
            .text("command")
            .text("peer")
            .num("median ms")
            .text("runs (ms)")
            .num("smile/ours")
            .text("target")
            .text("result");
    for (Row r : rows) {
      String target = "";
      String verdict = "";
      String vsSmile = "";
      double ms = r.medianMs();
      if (r.peer.startsWith("ours")) {
        if (r.label.equals("mine --help")) {
          target = "<= " + (int) HELP_TARGET_MS + " ms";
          verdict = ms <= HELP_TARGET_MS ? "PASS" : "FAIL";
        } else if (r.label.equals("mine mushroom 0.2")) {
          target = "<= " + (int) MUSHROOM_TARGET_MS + " ms";
          verdict = ms <= MUSHROOM_TARGET_MS ? "PASS" : "FAIL";
        }
        Row smile = find(rows, r.label, "smile");
        if (smile != null) {
          double ratio = smile.medianMs() / ms;
          vsSmile = String.format(Locale.ROOT, "%.2fx", ratio);
          target = ">= " + SMILE_TARGET + "x";
          verdict = ratio >= SMILE_TARGET ? "PASS" : "FAIL";
        }
      }
      if (r.failure != null) {
        verdict = "ERROR: " + r.failure;
        problems++;
      }
      t.row(
          List.of(
              r.label,
              r.peer,
              Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.0f", ms),
              runs(r),
              vsSmile,
              target,
              verdict));
    }
    t.print(out);
    out.println();
    out.println(
        "Borgelt's C fpgrowth 6.7, whole process, QUOTED from the datasets README (not measured"
            + " here):");
    for (String key : cases) {
      Row o1 = find(rows, "mine " + key.replace(':', ' '), "ours");
      double c = MinerSuite.BORGELT_C_MS.get(key);
      out.printf(
          Locale.ROOT,
          "  %-22s %5.0f ms   ours/C %.1fx%n",
          key.replace(':', ' '),
          c,
          o1 == null ? Double.NaN : o1.medianMs() / c);
    }
    out.printf(Locale.ROOT, "load average %.2f at start, %.2f at end%n", loadStart, loadEnd);
    deleteTree(work);
    return problems == 0 ? 0 : 1;
  }

  private static void add(
      List<Row> rows,
      String label,
      List<String> ours,
      List<String> oursCds,
      boolean cds,
      Long itemsets,
      int repeat,
      String... args) {
    rows.add(new Row(label, "ours", concat(ours, args), itemsets, repeat));
    if (cds) {
      rows.add(new Row(label, "ours+cds", concat(oursCds, args), itemsets, repeat));
    }
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(Arrays.asList(b));
    return all;
  }

  private static Row find(List<Row> rows, String label, String peer) {
    for (Row r : rows) {
      if (r.label.equals(label) && r.peer.equals(peer)) {
        return r;
      }
    }
    return null;
  }

  private static String runs(Row r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < r.runs; i++) {
      sb.append(i == 0 ? "" : " ").append(Math.round(r.nanos[i] / 1e6));
    }
    return sb.toString();
  }

  /** Runs {@code r}'s command once; records its wall time when {@code timed}. */
  private static void time(Row r, boolean timed, Path work)
      throws IOException, InterruptedException {
    Path outFile = work.resolve("out.txt");
    Path errFile = work.resolve("err.txt");
    ProcessBuilder pb =
        new ProcessBuilder(r.command)
            .directory(work.toFile())
            .redirectOutput(outFile.toFile())
            .redirectError(errFile.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    if (!done) {
      p.destroyForcibly().waitFor();
      r.failure = "timed out after " + TIMEOUT_SECONDS + " s";
      return;
    }
    String stdout = Files.readString(outFile, StandardCharsets.UTF_8);
    String stderr = Files.readString(errFile, StandardCharsets.UTF_8);
    if (r.expectedExit != 0) {
      if (p.exitValue() != r.expectedExit || !stderr.startsWith("error: ")) {
        r.failure = "exit " + p.exitValue() + ": " + firstLine(stderr.isBlank() ? stdout : stderr);
        return;
      }
    } else if (p.exitValue() != 0 || !stderr.isBlank()) {
      r.failure = "exit " + p.exitValue() + ": " + firstLine(stderr.isBlank() ? stdout : stderr);
      return;
    }
    if (r.expectedItemsets != null) {
      Matcher m = ITEMSETS.matcher(stdout);
      if (!m.find() || Long.parseLong(m.group(1)) != r.expectedItemsets) {
        r.failure = "itemsets != reference " + r.expectedItemsets + ": " + firstLine(stdout);
        return;
      }
    }
    r.lastOut = stdout;
    if (timed) {
      r.nanos[r.runs++] = t1 - t0;
    }
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  private static Datasets.Reference reference(String dataset, double s) {
    for (Datasets.Reference r : Datasets.references()) {
      if (r.dataset.equals(dataset) && r.minSupport == s && r.exact()) {
        return r;
      }
    }
    throw new IllegalStateException("no reference row for " + dataset + " " + s);
  }

  /**
   * Smile's jars (smile-core, smile-base and their slf4j-api) from this JVM's classpath, then the
   * folder holding {@link SmileCliChild}; null when Smile is not on it.
   */
  static String smileClasspath() throws Exception {
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(e).getFileName().toString();
      if (name.startsWith("smile-core-")
          || name.startsWith("smile-base-")
          || name.startsWith("slf4j-api-")) {
        cp.add(e);
      }
    }
    if (cp.stream().noneMatch(e -> e.contains("smile-core-"))) {
      return null;
    }
    cp.add(
        Path.of(SmileCliChild.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
    return String.join(File.pathSeparator, cp);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
