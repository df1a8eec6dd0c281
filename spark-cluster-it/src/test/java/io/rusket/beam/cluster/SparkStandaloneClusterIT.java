package io.rusket.beam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster jar ({@code runners/target/rusket-beam-cluster.jar}) on a real standalone Spark
 * cluster: a master and two workers (1 core, {@value StandaloneCluster#EXECUTOR_MEMORY} each) on
 * 127.0.0.1, started from Spark's own jar set ({@link SparkHome}), jobs sent with spark-submit
 * (client mode) and {@code --class io.rusket.beam.runners.Main}. Each job reads its input from and
 * writes its output to a real HDFS on 127.0.0.1 ({@link TestHdfs}: Hadoop's MiniDFSCluster in this
 * JVM, one per class), as {@code hdfs://127.0.0.1:PORT/...} paths: the inputs are put and the
 * results fetched with Hadoop's FileSystem client. Each job's itemsets and rules must be byte for
 * byte those of the same command run by the bundled jar on Spark embedded in its JVM, on the same
 * events in local files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkStandaloneClusterIT {
  private static final String MAIN = "io.rusket.beam.runners.Main";
  private static final int ITEMS = 150;

  /** Less JIT and GC work for short jobs on a shared 2-core machine (as surefire's argLine). */
  static final String JVM_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  @TempDir static Path dir;
  private TestHdfs hdfs;
  private Processes processes;
  private SparkHome home;
  private StandaloneCluster cluster;
  private Path data;
  private final Map<String, Path> embedded = new HashMap<>();

  @BeforeAll
  void startCluster() throws Exception {
    long start = System.nanoTime();
    hdfs = TestHdfs.start(dir.resolve("hdfs"));
    processes = new Processes();
    home = SparkHome.prepare();
    cluster = StandaloneCluster.start(home, processes, dir.resolve("cluster"), 2);
    data = dir.resolve("data");
    Run g =
        javaJar(
            "generate",
            "--output=" + data,
            "--stores=6",
            "--transactions=40000",
            "--items=" + ITEMS,
            "--layouts=events",
            "--formats=parquet,arrow,csv");
    assertEquals(0, g.exitCode(), g::err);
    List<Path> inputs;
    try (var files = Files.walk(data)) {
      inputs = files.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : inputs) {
      hdfs.put(f, "/in/" + data.relativize(f));
    }
    System.out.printf(
        "cluster of 2 workers and HDFS (%s) up, data generated and put in %d ms%n",
        hdfs.uri(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /**
   * Stops everything (HDFS last, also when a check fails), then checks that no JVM of this
   * SPARK_HOME (or of the tests) is left.
   */
  @AfterAll
  void stopCluster() {
    try {
      stopProcesses();
    } finally {
      if (hdfs != null) {
        hdfs.close();
      }
    }
  }

  private void stopProcesses() {
    if (processes == null) {
      return;
    }
    processes.close();
    assertEquals(List.of(), processes.alive(), "processes left running");
    if (home != null) {
      String jars = home.home.resolve("jars").toString();
      String tmp = dir.toString();
      List<String> left =
          ProcessHandle.allProcesses()
              .filter(
                  h -> {
                    String c = h.info().commandLine().orElse("");
                    return c.contains(jars) || c.contains(tmp);
                  })
              .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
              .toList();
      assertEquals(List.of(), left, "processes left running");
    }
  }

  private record Run(int exitCode, String out, String err) {}

  private static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, ""));
    assertTrue(Files.isRegularFile(jar), () -> "jar not built: -D" + property + "=" + jar);
    return jar.toAbsolutePath();
  }

  /** {@code java -jar rusket-beam.jar ARGS}: the embedded run. */
  private Run javaJar(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(SparkHome.java());
    command.addAll(List.of(JVM_FLAGS.split(" ")));
    command.add("-jar");
    command.add(jar("rusket.jar").toString());
    command.addAll(List.of(args));
    Path logs = dir.resolve("embedded-" + System.nanoTime());
    Process p = processes.start(command, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), logs);
    StandaloneCluster.Run r = StandaloneCluster.await(p, logs, 300);
    return new Run(r.exitCode(), r.out(), r.err());
  }

  /**
   * The output of the embedded run ({@code java -jar}, Spark {@code local[*]} in its JVM, local
   * files in and out) of the command {@code job(out)}, once per name.
   */
  private synchronized Path embedded(String name, Function<String, List<String>> job)
      throws IOException, InterruptedException {
    Path out = embedded.get(name);
    if (out == null) {
      out = dir.resolve(name + "-embedded");
      Run e = javaJar(job.apply(out.toString()).toArray(String[]::new));
      assertEquals(0, e.exitCode(), e::err);
      System.out.print("embedded: " + e.out());
      embedded.put(name, out);
    }
    return out;
  }

  /** Starts spark-submit of the cluster jar with {@code args} for Main. */
  private Process startSubmit(String name, List<String> args, boolean withoutJavaFlags)
      throws IOException, InterruptedException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--deploy-mode",
                "client",
                "--class",
                MAIN,
                "--driver-memory",
                "1g",
                "--executor-memory",
                StandaloneCluster.EXECUTOR_MEMORY,
                "--conf",
                "spark.driver.extraJavaOptions=" + JVM_FLAGS,
                "--conf",
                "spark.executor.extraJavaOptions=" + JVM_FLAGS,
                "--conf",
                "spark.ui.enabled=false"));
    all.add(jar("rusket.clusterJar").toString());
    all.addAll(args);
    return cluster.startSubmit(all, dir.resolve(name), withoutJavaFlags);
  }

  /** {@code hdfs://127.0.0.1:PORT/out/NAME}, the output folder of the cluster job NAME. */
  private String hdfsOut(String name) {
    return hdfs.uri() + "/out/" + name;
  }

  /** The cluster job NAME's results, fetched from HDFS with Hadoop's client into a local folder. */
  private Path fetch(String name) throws IOException {
    Path local = dir.resolve(name + "-fetched");
    List<String> names = hdfs.get("/out/" + name, local);
    System.out.println("fetched from " + hdfsOut(name) + ": " + names);
    return local;
  }

  /** The input {@code events.FORMAT}: on HDFS for the cluster, the local file for embedded runs. */
  private String events(boolean onHdfs, String format) {
    return onHdfs
        ? hdfs.uri() + "/in/events." + format
        : data.resolve("events." + format).toString();
  }

  private StandaloneCluster.Run submit(String name, List<String> args)
      throws IOException, InterruptedException {
    StandaloneCluster.Run r =
        StandaloneCluster.await(startSubmit(name, args, false), dir.resolve(name), 300);
    assertEquals(0, r.exitCode(), r::err);
    System.out.print("cluster: " + r.out());
    return r;
  }

  private List<String> grouped(String input, String format, String out) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "grouped",
                "--input=" + input,
                "--groupCol=store_id",
                "--txnCol=transaction_id",
                "--itemCol=item_id",
                "--minSupport=0.01",
                "--rules",
                "--metric=lift",
                "--minThreshold=1.2",
                "--output=" + out,
                "--outputFormat=jsonl",
                "--numShards=1",
                "--quiet"));
    if (format.equals("csv")) {
      args.add("--csvTypes=transaction_id:long,item_id:int");
    }
    return args;
  }

  private List<String> stream(String input, String out) {
    return List.of(
        "stream",
        "--input=" + input,
        "--txnCol=transaction_id",
        "--itemCol=item_id",
        "--numItems=" + ITEMS,
        "--minSupport=0.005",
        "--rules",
        "--metric=lift",
        "--minThreshold=1.2",
        "--output=" + out,
        "--outputFormat=jsonl",
        "--numShards=1",
        "--quiet");
  }

  /**
   * {@code grouped} on each input format: the itemsets and rules of the embedded run (on the
   * Parquet file: the three files hold the same events, so every format must give the same rows).
   */
  @ParameterizedTest
  @ValueSource(strings = {"parquet", "arrow", "csv"})
  void groupedGivesTheEmbeddedResults(String format) throws Exception {
    Path local = embedded("grouped", out -> grouped(events(false, "parquet"), "parquet", out));
    String name = "grouped-" + format;
    StandaloneCluster.Run c = submit(name, grouped(events(true, format), format, hdfsOut(name)));
    assertTrue(c.out().startsWith("runner=SparkRunner (" + cluster.masterUrl + ") "), c::out);
    assertSameResults(local, fetch(name));
  }

  @Test
  void streamGivesTheEmbeddedResults() throws Exception {
    Path local = embedded("stream", out -> stream(events(false, "parquet"), out));
    submit("stream", stream(events(true, "parquet"), hdfsOut("stream")));
    assertSameResults(local, fetch("stream"));
  }

  /**
   * One executor JVM killed ({@code SIGKILL}) while it runs a task of the job: Spark reschedules
   * its tasks (and recomputes the shuffle output it held) on the other executor and on the one the
   * master starts in its place; the results are those of the embedded run.
   */
  @Test
  void anExecutorKilledMidJobChangesNothing() throws Exception {
    Path local = embedded("stream", out -> stream(events(false, "parquet"), out));
    Process job =
        startSubmit("stream-kill", stream(events(true, "parquet"), hdfsOut("stream-kill")), false);
    String killed = killAnExecutorRunningATask(job);
    assertTrue(job.isAlive(), "the job ended before the executor was killed");
    StandaloneCluster.Run r = StandaloneCluster.await(job, dir.resolve("stream-kill"), 300);
    assertEquals(0, r.exitCode(), r::err);
    assertTrue(r.err().contains("Lost executor " + killed + " "), r::err);
    r.err()
        .lines()
        .filter(l -> l.contains("Lost executor") || l.contains("Granted executor"))
        .forEach(l -> System.out.println("driver: " + l));
    assertSameResults(local, fetch("stream-kill"));
  }

  /** The driver's log line that names the application (StandaloneSchedulerBackend, INFO). */
  private static final Pattern APP_ID = Pattern.compile("with app ID (app-\\S+)");

  /**
   * Waits until an executor of this job's application logs a running task ({@code
   * worker-N/APP/EXECUTOR/stderr}), kills its JVM and returns its executor id. Executors of the
   * jobs before may still be shutting down: only this application's count.
   */
  private String killAnExecutorRunningATask(Process job) throws Exception {
    Path driverLog = Path.of(dir.resolve("stream-kill") + ".err");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String appId = null;
    while (System.nanoTime() < deadline && job.isAlive()) {
      if (appId == null) {
        Matcher m = APP_ID.matcher(Files.readString(driverLog));
        appId = m.find() ? m.group(1) : null;
      }
      for (ProcessHandle executor :
          appId == null ? List.<ProcessHandle>of() : cluster.executors()) {
        String line = executor.info().commandLine().orElse("");
        Matcher id = Pattern.compile("--executor-id (\\S+)").matcher(line);
        if (!line.contains("--app-id " + appId) || !id.find()) {
          continue;
        }
        for (int w = 0; w < 2; w++) {
          Path stderr =
              cluster
                  .dir
                  .resolve("worker-" + w)
                  .resolve(appId)
                  .resolve(id.group(1))
                  .resolve("stderr");
          if (Files.isRegularFile(stderr) && Files.readString(stderr).contains("Running task")) {
            // the Java 17 flags, which the driver added to spark.executor.extraJavaOptions
            assertTrue(line.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), line);
            executor.destroyForcibly();
            executor.onExit().get(30, TimeUnit.SECONDS);
            return id.group(1);
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no executor of "
            + appId
            + " ran a task: "
            + (job.isAlive() ? "timed out" : "the job ended, exit " + job.exitValue())
            + "\n"
            + Files.readString(driverLog));
  }

  /**
   * A driver JVM started without the Java 17 flags (which Spark 3.5's spark-submit adds; a driver
   * launched by hand or by a tool that builds its own java command lacks them): one line naming the
   * flag and the fix, exit 1, no stack trace, before any task runs.
   */
  @Test
  void aDriverWithoutJava17FlagsIsOneClearLine() throws Exception {
    Process job =
        startSubmit(
            "grouped-noflags",
            grouped(events(true, "parquet"), "parquet", hdfsOut("grouped-noflags")),
            true);
    StandaloneCluster.Run r = StandaloneCluster.await(job, dir.resolve("grouped-noflags"), 120);
    assertEquals(1, r.exitCode(), r::err);
    assertEquals("", r.out());
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(
        List.of(
            "error: this JVM (the Spark driver) was started without the Java 17 flags Spark needs"
                + " (missing: --add-opens=java.base/sun.nio.ch=ALL-UNNAMED): launch it with"
                + " spark-submit of Spark 3.3 or newer, which adds them, or put the flags of README"
                + " \"On a cluster\" on its java command"),
        errors,
        r::err);
    assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ")), r::err);
  }

  /**
   * The same files under itemsets/ and rules/, holding the same rows byte for byte (a shard's rows
   * come in the order its writer received them, which is the runner's), and rows in each.
   */
  private static void assertSameResults(Path expected, Path actual) throws IOException {
    Map<String, List<String>> want = files(expected);
    assertEquals(
        List.of("itemsets/part-00000-of-00001.jsonl", "rules/part-00000-of-00001.jsonl"),
        List.copyOf(want.keySet()));
    assertTrue(want.values().stream().allMatch(rows -> rows.size() > 10), "too few rows");
    Map<String, List<String>> got = files(actual);
    assertEquals(want.keySet(), got.keySet());
    for (String f : want.keySet()) {
      assertEquals(want.get(f), got.get(f), f);
    }
  }

  /** Each result file's rows, sorted. */
  private static Map<String, List<String>> files(Path root) throws IOException {
    Map<String, List<String>> all = new TreeMap<>();
    for (String sub : List.of("itemsets", "rules")) {
      try (var files = Files.list(root.resolve(sub))) {
        for (Path f : files.sorted().toList()) {
          if (!f.getFileName().toString().startsWith(".")) {
            List<String> rows = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
            rows.sort(null);
            all.put(sub + "/" + f.getFileName(), rows);
          }
        }
      }
    }
    return all;
  }
}
