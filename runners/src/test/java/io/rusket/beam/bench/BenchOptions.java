package io.rusket.beam.bench;

import io.rusket.beam.testing.Datasets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's command-line options, common to every suite. Immutable once parsed.
 *
 * <pre>
 *   --suite=miner                 which suite to run (default miner)
 *   --cases=name:s,name,...       cases to run (default: every "exact" row of the reference table);
 *                                 a bare dataset name selects all its reference rows
 *   --repeat=N                    timed runs of our miner, median reported (default 5)
 *   --warmup=N                    warm-up runs of our miner per configuration (default 3)
 *   --warmup-ms=T                 and at least T ms of warm-up, ours and peers (default 1000)
 *   --peer-repeat=N               timed runs of each JVM peer after 1 warm-up (default 3)
 *   --peers=spark,smile|none      peers to run in the same JVM (default spark,smile)
 *   --time-methods                also time FPGROWTH and ECLAT (not only AUTO)
 *   --datasets=DIR                datasets folder (default ../shared/datasets beside the repo)
 *   --events=10m,30m,100m         suite scale: event-log sizes (k, m, g suffixes; default 10m,30m)
 *   --repeats=N                   suite scale: runs per case, median reported (default 1)
 *   --dataDir=DIR                 suite scale: where the generated logs go (default: temp dir)
 *   --keepData                    suite scale: keep the generated logs for the next run
 *   --timeout=S                   suite scale: seconds a child JVM may run (default 900)
 * </pre>
 */
final class BenchOptions {
  static final String DEFAULT_SUITE = "miner";
  static final int DEFAULT_REPEAT = 5;
  static final int DEFAULT_WARMUP = 3;
  static final int DEFAULT_WARMUP_MILLIS = 1000;
  static final int DEFAULT_PEER_REPEAT = 3;
  static final Set<String> KNOWN_PEERS = Set.of("spark", "smile");

  final String suite;

  /** Case specs as given ({@code name} or {@code name:support}); empty means all. */
  final List<String> cases;

  final int repeat;
  final int warmup;

  /** Minimum warm-up time per configuration, ours and peers (peers also take >= 1 run). */
  final int warmupMillis;

  final int peerRepeat;

  /** Peers to run, in order; empty for none. */
  final Set<String> peers;

  final boolean timeMethods;
  final Path datasets;
  final boolean help;

  /** Suite scale: the event-log sizes, in order; empty means the suite's default. */
  final List<Long> events;

  /** Suite scale: runs per case. */
  final int repeats;

  /** Suite scale: where generated logs go; null means under the temp dir. */
  final Path dataDir;

  /** Suite scale: keep the generated logs. */
  final boolean keepData;

  /** Suite scale: seconds a child JVM may run. */
  final int timeoutSeconds;

  static final int DEFAULT_REPEATS = 1;
  static final int DEFAULT_TIMEOUT_SECONDS = 900;

  private BenchOptions(
      String suite,
      List<String> cases,
      int repeat,
      int warmup,
      int warmupMillis,
      int peerRepeat,
      Set<String> peers,
      boolean timeMethods,
      Path datasets,
      boolean help,
      List<Long> events,
      int repeats,
      Path dataDir,
      boolean keepData,
      int timeoutSeconds) {
    this.suite = suite;
    this.cases = Collections.unmodifiableList(cases);
    this.repeat = repeat;
    this.warmup = warmup;
    this.warmupMillis = warmupMillis;
    this.peerRepeat = peerRepeat;
    this.peers = Collections.unmodifiableSet(peers);
    this.timeMethods = timeMethods;
    this.datasets = datasets;
    this.help = help;
    this.events = List.copyOf(events);
    this.repeats = repeats;
    this.dataDir = dataDir;
    this.keepData = keepData;
    this.timeoutSeconds = timeoutSeconds;
  }

  /**
   * Parses {@code --key=value} arguments; blank arguments are ignored (an empty {@code
   * -Dbench.args} gives one), a repeated option keeps its last value.
   *
   * @throws IllegalArgumentException naming the bad argument and what is valid
   */
  static BenchOptions parse(String... args) {
    String suite = DEFAULT_SUITE;
    List<String> cases = new ArrayList<>();
    int repeat = DEFAULT_REPEAT;
    int warmup = DEFAULT_WARMUP;
    int warmupMillis = DEFAULT_WARMUP_MILLIS;
    int peerRepeat = DEFAULT_PEER_REPEAT;
    Set<String> peers = new LinkedHashSet<>(List.of("spark", "smile"));
    boolean timeMethods = false;
    Path datasets = Datasets.dir();
    boolean help = false;
    List<Long> events = new ArrayList<>();
    int repeats = DEFAULT_REPEATS;
    Path dataDir = null;
    boolean keepData = false;
    int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    for (String arg : args) {
      if (arg == null || arg.isBlank()) {
        continue;
      }
      int eq = arg.indexOf('=');
      String key = eq < 0 ? arg : arg.substring(0, eq);
      String value = eq < 0 ? null : arg.substring(eq + 1).trim();
      switch (key) {
        case "--help":
        case "-h":
          help = true;
          break;
        case "--suite":
          suite = required(key, value);
          break;
        case "--cases":
          cases = new ArrayList<>();
          for (String c : required(key, value).split(",")) {
            if (!c.isBlank()) {
              cases.add(c.trim());
            }
          }
          break;
        case "--repeat":
          repeat = positive(key, value, 1);
          break;
        case "--warmup":
          warmup = positive(key, value, 0);
          break;
        case "--warmup-ms":
          warmupMillis = positive(key, value, 0);
          break;
        case "--peer-repeat":
          peerRepeat = positive(key, value, 1);
          break;
        case "--peers":
          peers = new LinkedHashSet<>();
          String list = value == null ? "" : value;
          if (!list.equalsIgnoreCase("none")) {
            for (String p : list.split(",")) {
              String name = p.trim().toLowerCase(java.util.Locale.ROOT);
              if (name.isEmpty()) {
                continue;
              }
              if (!KNOWN_PEERS.contains(name)) {
                throw new IllegalArgumentException(
                    "Invalid peer: " + p + ". Valid values are spark, smile, or none.");
              }
              peers.add(name);
            }
          }
          break;
        case "--time-methods":
          timeMethods = value == null || Boolean.parseBoolean(value);
          break;
        case "--datasets":
          datasets = Paths.get(required(key, value));
          break;
        case "--events":
          events = new ArrayList<>();
          for (String e : required(key, value).split(",")) {
            if (!e.isBlank()) {
              events.add(parseCount(key, e.trim()));
            }
          }
          if (events.isEmpty()) {
            throw new IllegalArgumentException("Option --events needs a value: --events=10m,...");
          }
          break;
        case "--repeats":
          repeats = positive(key, value, 1);
          break;
        case "--dataDir":
          dataDir = Paths.get(required(key, value));
          break;
        case "--keepData":
          keepData = value == null || Boolean.parseBoolean(value);
          break;
        case "--timeout":
          timeoutSeconds = positive(key, value, 1);
          break;
        default:
          throw new IllegalArgumentException("Unknown option: " + arg + " (see --help)");
      }
    }
    return new BenchOptions(
        suite,
        cases,
        repeat,
        warmup,
        warmupMillis,
        peerRepeat,
        peers,
        timeMethods,
        datasets,
        help,
        events,
        repeats,
        dataDir,
        keepData,
        timeoutSeconds);
  }

  /**
   * A count with an optional decimal suffix: {@code 10m} = 10,000,000, {@code 2.5m}, {@code 300k},
   * {@code 1g} = 10^9, or plain digits; at least 1 and below 10^12.
   *
   * @throws IllegalArgumentException naming the option and the value
   */
  static long parseCount(String key, String v) {
    String s = v.trim().toLowerCase(java.util.Locale.ROOT);
    long scale = 1;
    if (s.endsWith("k")) {
      scale = 1_000;
    } else if (s.endsWith("m")) {
      scale = 1_000_000;
    } else if (s.endsWith("g")) {
      scale = 1_000_000_000;
    }
    String digits = scale == 1 ? s : s.substring(0, s.length() - 1);
    java.math.BigDecimal n;
    try {
      n = new java.math.BigDecimal(digits).multiply(java.math.BigDecimal.valueOf(scale));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid " + key + ": " + v + ". Expected a count such as 10m, 300k or 2500000.");
    }
    if (n.signum() <= 0
        || n.compareTo(java.math.BigDecimal.valueOf(1_000_000_000_000L)) >= 0
        || n.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "Invalid " + key + ": " + v + ". Valid range is [1, 10^12), a whole number.");
    }
    return n.longValueExact();
  }

  private static String required(String key, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("Option " + key + " needs a value: " + key + "=...");
    }
    return value;
  }

  private static int positive(String key, String value, int min) {
    String v = required(key, value);
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid " + key + ": " + v + ". Expected an integer.");
    }
    if (n < min) {
      throw new IllegalArgumentException(
          "Invalid "
              + key
              + ": "
              + n
              + ". Valid range is ["
              + min
              + ", "
              + Integer.MAX_VALUE
              + "].");
    }
    return n;
  }

  static String usage() {
    return String.join(
        "\n",
        "Options (pass from Maven with -Dbench.args=\"...\"):",
        "  --suite=NAME               suite to run (default " + DEFAULT_SUITE + ")",
        "  --cases=name:s,name,...    cases (default: the 13 exact rows of the reference table);",
        "                             a bare dataset name selects all its reference rows;",
        "                             suite scale: stream, grouped, KIND:parquet, KIND:arrow",
        "  --repeat=N                 timed runs of our miner, median reported (default "
            + DEFAULT_REPEAT
            + ")",
        "  --warmup=N                 warm-up runs of our miner per configuration (default "
            + DEFAULT_WARMUP
            + ")",
        "  --warmup-ms=T              and at least T ms of warm-up, ours and peers (default "
            + DEFAULT_WARMUP_MILLIS
            + ")",
        "  --peer-repeat=N            timed runs per JVM peer, after 1 warm-up (default "
            + DEFAULT_PEER_REPEAT
            + ")",
        "  --peers=spark,smile|none   peers run in the same JVM on the same data (default spark,smile)",
        "  --time-methods             also time FPGROWTH and ECLAT, not only AUTO",
        "  --datasets=DIR             datasets folder (default ../shared/datasets beside the repo)",
        "  --events=10m,30m,100m      suite scale: event-log sizes (k, m, g suffixes; default"
            + " 10m,30m)",
        "  --repeats=N                suite scale: runs per case, median reported (default "
            + DEFAULT_REPEATS
            + ")",
        "  --dataDir=DIR              suite scale: where the generated logs go (default: the temp"
            + " dir)",
        "  --keepData                 suite scale: keep the generated logs (reused when present)",
        "  --timeout=S                suite scale: seconds a child JVM may run (default "
            + DEFAULT_TIMEOUT_SECONDS
            + ")");
  }
}
