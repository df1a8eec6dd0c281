package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, a command line that starts fast, through the bundled jar ({@code java -jar
 * runners/target/rusket-beam.jar ...} in a JVM of its own, with the JVM's class-load and class-init
 * logs written to a file): {@code mine} (its help, a run, its argument errors) loads no class of
 * Beam, Spark, Hadoop, Scala or logging (slf4j, log4j); the jar's help and an unknown command load
 * no Spark or logging class and run no Beam class's static initialiser (a command's class may name
 * Beam types, which the verifier then loads, but it builds nothing of Beam until it runs); the
 * pipeline commands still set logging up when they run, and every command still prints its result
 * line (a contract).
 */
class FastStartJarIT {
  @TempDir Path dir;

  /** Packages whose classes the single-machine command line must not load. */
  private static final List<String> NOT_FOR_MINE =
      List.of(
          "org.apache.beam.",
          "org.apache.spark.",
          "org.apache.hadoop.",
          "scala.",
          "org.slf4j.",
          "org.apache.logging.",
          "org.apache.log4j.");

  private static final Pattern LOADED = Pattern.compile("\\[class,load\\s*\\] (\\S+) source:");

  /** A class+init line of a class with a static initialiser (others say "(no method)"). */
  private static final Pattern INITIALISED =
      Pattern.compile("Initializing '([^']+)' \\(0x[0-9a-f]+\\)");

  private record Run(int exitCode, String out, String err, List<String> loaded, List<String> init) {
    List<String> loadedFrom(List<String> prefixes) {
      return loaded.stream()
          .filter(c -> prefixes.stream().anyMatch(c::startsWith))
          .collect(Collectors.toList());
    }

    List<String> initialisedFrom(List<String> prefixes) {
      return init.stream()
          .filter(c -> prefixes.stream().anyMatch(c::startsWith))
          .collect(Collectors.toList());
    }
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("rusket.jar", "target/rusket-beam.jar"));
    assertTrue(Files.isRegularFile(jar), () -> "bundled jar not built: " + jar);
    return jar;
  }

  private int runs;

  /** {@code java -Xlog:class+load,class+init=info:file=LOG -jar rusket-beam.jar ARGS}. */
  private Run javaJar(String... args) throws IOException, InterruptedException {
    int n = runs++;
    Path log = dir.resolve("classes-" + n + ".log");
    Path out = dir.resolve("stdout-" + n + ".txt");
    Path err = dir.resolve("stderr-" + n + ".txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xlog:class+load=info,class+init=info:file=" + log);
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    Collections.addAll(command, args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("timed out: " + command);
    }
    List<String> loaded = new ArrayList<>();
    List<String> init = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher l = LOADED.matcher(line);
      if (l.find()) {
        loaded.add(l.group(1));
      }
      Matcher i = INITIALISED.matcher(line);
      if (i.find()) {
        init.add(i.group(1).replace('/', '.'));
      }
    }
    assertTrue(loaded.contains(Main.class.getName()), "the class-load log is read: " + log);
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8),
        loaded,
        init);
  }

  private static void assertNothingOfBeamSparkOrLogging(Run r) {
    assertEquals(List.of(), r.loadedFrom(NOT_FOR_MINE), "classes loaded");
  }

  @Test
  void mineHelpLoadsNoBeamSparkOrLogging() throws Exception {
    Run r = javaJar("mine", "--help");
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(r.out().startsWith("Usage: java -jar rusket-beam.jar mine --input=FILE"), r::out);
    assertNothingOfBeamSparkOrLogging(r);
  }

  @Test
  void mineLoadsNoBeamSparkOrLoggingAndPrintsItsLine() throws Exception {
    Path in = Files.writeString(dir.resolve("abc.dat"), "a b c\na b\nb c\n");
    Run r =
        javaJar(
            "mine",
            "--input=" + in,
            "--minSupport=0.5",
            "--rules",
            "--output=" + dir.resolve("itemsets.csv"),
            "--rulesOutput=" + dir.resolve("rules.jsonl"));
    assertEquals("", r.err());
    assertEquals(0, r.exitCode());
    assertTrue(
        r.out().matches("transactions=3 items=3 itemsets=5 millis=\\d+ rules=\\d+\\R"), r::out);
    assertEquals(6, Files.readAllLines(dir.resolve("itemsets.csv")).size());
    assertNothingOfBeamSparkOrLogging(r);

    Path csv = Files.writeString(dir.resolve("long.csv"), "t,i\n1,a\n1,b\n2,a\n");
    Run c = javaJar("mine", "--input=" + csv, "--txnCol=t", "--itemCol=i", "--minCount=1");
    assertEquals(0, c.exitCode(), c::err);
    assertTrue(c.out().matches("transactions=2 items=2 itemsets=3 millis=\\d+\\R"), c::out);
    assertNothingOfBeamSparkOrLogging(c);
  }

  @Test
  void argumentErrorsOfMineLoadNoBeamSparkOrLogging() throws Exception {
    Path in = Files.writeString(dir.resolve("abc.dat"), "a b\n");
    Run bad = javaJar("mine", "--input=" + in, "--minSupport=2");
    assertEquals(2, bad.exitCode());
    assertEquals("error: Invalid minSupport: 2.0. Valid range is (0, 1].", bad.err().strip());
    assertNothingOfBeamSparkOrLogging(bad);

    Run unknown = javaJar("mine", "--input=" + in, "--minSuport=0.1");
    assertEquals(2, unknown.exitCode());
    assertEquals(
        "error: unknown option --minSuport for mine (did you mean --minSupport?); see mine --help",
        unknown.err().strip());
    assertNothingOfBeamSparkOrLogging(unknown);

    Run missing = javaJar("mine", "--input=" + dir.resolve("nope.dat"), "--minSupport=0.1");
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().startsWith("error: input file not found: "), missing::err);
    assertNothingOfBeamSparkOrLogging(missing);
  }

  /**
   * What a pipeline command's argument error must not load: Beam's options parser (and with it
   * Jackson), Spark, logging. Beam's options interfaces may be loaded (their getters are the
   * options), nothing of Beam initialised that parses or runs.
   */
  private static final List<String> NOT_FOR_ARGUMENT_ERRORS =
      List.of(
          "org.apache.beam.sdk.options.PipelineOptionsFactory",
          "com.fasterxml.jackson.",
          "org.apache.spark.",
          "scala.",
          "org.apache.hadoop.",
          "org.slf4j.",
          "org.apache.logging.",
          "org.apache.log4j.");

  /**
   * Every pipeline command's argument errors (an unknown option with its suggestion, a missing
   * required option, a malformed or out-of-range value, conflicting options) are found before Beam
   * parses the options ({@link BeamArgs} with {@link OptionCatalog}, {@link Preflight}): the
   * messages and exit status as before, and nothing of Beam's options parser, Spark or logging
   * loaded. One JVM per command.
   */
  @Test
  void argumentErrorsOfPipelineCommandsLoadNoBeamOptionsSparkOrLogging() throws Exception {
    Path csv = Files.writeString(dir.resolve("events.csv"), "t,i\n1,2\n");
    String in = "--input=" + csv;
    String out = "--output=" + dir.resolve("out");
    Map<List<String>, String> cases = new LinkedHashMap<>();
    cases.put(
        List.of("grouped", in, out, "--groupCol=t", "--minSuport=0.1"),
        "unknown option --minSuport; did you mean --minSupport? (see --help)");
    cases.put(
        List.of(
            "stream",
            in,
            out,
            "--txnCol=t",
            "--itemCol=i",
            "--numItems=3",
            "--topK=2",
            "--target=closed"),
        "--topK with --target=closed does not apply to stream: its top-k over shards is for"
            + " --target=all; mine and grouped give the top-k closed itemsets");
    cases.put(
        List.of("grouped", in, out, "--groupCol=t", "--txnCol=t2", "--itemCol=i", "--minSupport=2"),
        "Invalid minSupport: 2.0. Valid range is (0, 1].");
    cases.put(
        List.of("stream", in, out, "--txnCol=t", "--itemCol=i", "--numItems=3", "--shards=0"),
        "Invalid shards: 0. Valid range is [1, 65536].");
    cases.put(
        List.of("grouped", in, out, "--groupCol=t", "--txnCol=t2", "--itemCol=i", "--csvTypes=t:x"),
        "Invalid --csvTypes type for column 't': x. Valid types are string, long, int, double,"
            + " boolean.");
    cases.put(List.of("sequences", "--bogus"), "unknown option --bogus (see --help)");
    cases.put(List.of("utility", out), "missing required option --input (see --help)");
    cases.put(
        List.of(
            "sequences", in, out, "--sequenceCol=t", "--timeCol=t", "--itemCol=i", "--maxGap=0"),
        "Invalid --maxGap: 0. Valid range is [1, 2147483647].");
    cases.put(
        List.of(
            "utility",
            in,
            out,
            "--txnCol=t",
            "--itemCol=i",
            "--utilityCol=u",
            "--minUtility=1",
            "--minUtilityFraction=0.1"),
        "Give --minUtility or --minUtilityFraction, not both");
    cases.put(
        List.of(
            "recommend", "--rules=r", "--baskets=b", "--basketCol=b", "--itemCol=i", out, "--k=0"),
        "Invalid --k: 0. It is a positive integer or 'all'.");
    cases.put(
        List.of("report", "--input=" + dir, "--fileSystemTimeoutSeconds=x"),
        "--fileSystemTimeoutSeconds: 'x' is not an integer");
    cases.put(List.of("demo", "--foo=1"), "unknown option --foo (see --help)");
    cases.put(
        List.of("selftest", "--runner=DirectRunner", "--targetParallelism=99999999999"),
        "--targetParallelism: 99999999999 is out of range [-2147483648, 2147483647]");
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      Run r = javaJar(c.getKey().toArray(new String[0]));
      assertEquals("error: " + c.getValue(), r.err().strip(), c.getKey()::toString);
      assertEquals(2, r.exitCode(), c.getKey()::toString);
      assertEquals(List.of(), r.loadedFrom(NOT_FOR_ARGUMENT_ERRORS), c.getKey()::toString);
    }
  }

  /**
   * The jar's help and an unknown command list every command: their classes are loaded (and may
   * name Beam types the verifier loads), but no Beam class is initialised and nothing of Spark or
   * logging is loaded.
   */
  @Test
  void helpAndUnknownCommandInitialiseNoBeamSparkOrLogging() throws Exception {
    Run help = javaJar("--help");
    assertEquals(0, help.exitCode(), help::err);
    assertTrue(help.out().startsWith("Usage: java -jar rusket-beam.jar COMMAND"), help::out);
    Run unknown = javaJar("mien", "--input=x");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().startsWith("error: unknown command 'mien'; commands: mine, "));
    for (Run r : List.of(help, unknown)) {
      assertEquals(List.of(), r.initialisedFrom(NOT_FOR_MINE), "classes initialised");
      assertEquals(
          List.of(),
          r.loadedFrom(
              List.of(
                  "org.apache.spark.",
                  "scala.",
                  "org.slf4j.",
                  "org.apache.logging.",
                  "org.apache.log4j.")),
          "classes loaded");
    }
  }

  /**
   * A pipeline command, on the DirectRunner through the jar, prints its result line as before, and
   * logging is set up (log4j2's context initialised) because a pipeline runs. (The other commands'
   * lines: their unit tests through {@link Main#run}, and {@link BundledJarIT} for selftest and the
   * demo on embedded Spark.)
   */
  @Test
  void aPipelineCommandSetsUpLoggingAndPrintsItsLine() throws Exception {
    Path events =
        Files.writeString(
            dir.resolve("events.csv"),
            "store,txn,item\n"
                + "s1,1,a\ns1,1,b\ns1,2,a\ns1,2,b\ns1,3,a\n"
                + "s2,4,b\ns2,4,c\ns2,5,b\ns2,5,c\n");
    Run g =
        javaJar(
            "grouped",
            "--runner=DirectRunner",
            "--input=" + events,
            "--groupCol=store",
            "--txnCol=txn",
            "--itemCol=item",
            "--minSupport=0.5",
            "--rules",
            "--minThreshold=0.5",
            "--output=" + dir.resolve("grouped"),
            "--quiet");
    assertEquals(0, g.exitCode(), g::err);
    assertTrue(
        g.out()
            .matches(
                "runner=DirectRunner groups=2 transactions=5 itemsets=\\d+ rules=\\d+ output="
                    + Pattern.quote(dir.resolve("grouped").toString())
                    + " millis=\\d+\\R"),
        g::out);
    assertLoggingSetUp(g);
    assertNoAwsRegionLookup(g);
  }

  /**
   * A command without an {@code s3://} path or {@code --awsRegion} does not ask the AWS region
   * chain, whose last link, the EC2 instance metadata service, sleeps through its retries on a
   * machine outside EC2 (about 1.5 s; {@link FileSystemSetup#usesS3}).
   */
  private static void assertNoAwsRegionLookup(Run r) {
    assertEquals(
        List.of(),
        r.loadedFrom(
            List.of(
                "software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain",
                "software.amazon.awssdk.regions.internal.util.EC2MetadataUtils")),
        "AWS region lookup classes loaded");
  }

  private static void assertLoggingSetUp(Run r) {
    assertTrue(
        r.init.contains("org.apache.logging.log4j.core.LoggerContext"),
        "log4j2 set up while the pipeline ran");
  }

  @Test
  void generatePrintsItsLine() throws Exception {
    Run r =
        javaJar(
            "generate",
            "--output=" + dir.resolve("data"),
            "--stores=2",
            "--transactions=50",
            "--items=10",
            "--layouts=events",
            "--formats=csv");
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(
        r.out()
            .lines()
            .anyMatch(
                l -> l.matches("transactions=50 events=\\d+ generateMillis=\\d+ writeMillis=\\d+")),
        r::out);
    assertNoAwsRegionLookup(r);
  }
}
