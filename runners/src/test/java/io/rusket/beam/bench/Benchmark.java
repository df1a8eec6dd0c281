package io.rusket.beam.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The benchmark entry point: {@code ./mvnw -B -Pbenchmark -DskipTests verify} from the repository
 * root runs it (profile {@code benchmark} of runners/pom.xml), with arguments in {@code
 * -Dbench.args="..."}; see {@link BenchOptions#usage()}.
 *
 * <p>Exit codes: 0 on success, also when a performance target is missed or the datasets folder is
 * absent (the report says so); 1 when a result is wrong (itemset counts or checksums disagree); 2
 * for bad arguments.
 */
public final class Benchmark {
  /** Suites by name, in the order the usage lists them. Later suites register here. */
  static final Map<String, Supplier<Suite>> SUITES = new LinkedHashMap<>();

  static {
    SUITES.put("miner", MinerSuite::new);
    SUITES.put("grouped", GroupedSuite::new);
    SUITES.put("stream", StreamSuite::new);
    SUITES.put("spark", SparkSuite::new);
    SUITES.put("scale", ScaleSuite::new);
    SUITES.put("recommend", RecommendSuite::new);
    SUITES.put("sequences", SequencesSuite::new);
    SUITES.put("cli", CliSuite::new);
    SUITES.put("utility", UtilitySuite::new);
  }

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    // Spark logs through log4j2: unless told otherwise, use the bench's quiet configuration
    // (WARN and up, to stderr). Set here, not as a test resource at the classpath root, so other
    // tests of this module keep their normal logging.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty(
          "log4j2.configurationFile", "io/rusket/beam/bench/log4j2-bench.properties");
    }
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Parses the arguments and runs the chosen suite; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("benchmark: " + e.getMessage());
      err.println(usage());
      return 2;
    }
    if (options.help) {
      out.println(usage());
      return 0;
    }
    Supplier<Suite> suite = SUITES.get(options.suite);
    if (suite == null) {
      err.println(
          "benchmark: Invalid suite: "
              + options.suite
              + ". Valid values are "
              + String.join(", ", SUITES.keySet())
              + ".");
      return 2;
    }
    return suite.get().run(options, out, err);
  }

  static String usage() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: ./mvnw -B -Pbenchmark -DskipTests verify [-Dbench.args=\"OPTIONS\"]\n");
    sb.append("Suites:\n");
    for (Map.Entry<String, Supplier<Suite>> e : SUITES.entrySet()) {
      sb.append(String.format("  %-10s %s%n", e.getKey(), e.getValue().get().description()));
    }
    sb.append(BenchOptions.usage());
    return sb.toString();
  }
}
