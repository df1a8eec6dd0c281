package io.rusket.beam.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standalone Spark cluster on 127.0.0.1: one master and N workers (1 core each), each its own JVM
 * started from a {@link SparkHome} the way {@code sbin/start-master.sh} and {@code
 * sbin/start-worker.sh} start them (through {@code bin/spark-class}); jobs go in with {@link
 * #submit}, as {@code bin/spark-submit --master spark://...} sends them. Every process is one of
 * the {@link Processes} given, so closing those stops the cluster.
 *
 * <pre>{@code
 * try (Processes processes = new Processes()) {
 *   StandaloneCluster cluster = StandaloneCluster.start(SparkHome.prepare(), processes, dir, 2);
 *   StandaloneCluster.Run r =
 *       cluster.submit(List.of("--class", "Main", "app.jar", "arg"), dir.resolve("job"), 300);
 * }
 * }</pre>
 */
final class StandaloneCluster {
  /** The worker's memory for executors and the memory of each executor. */
  static final String EXECUTOR_MEMORY = "1g";

  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  final SparkHome home;
  final String masterUrl;
  final Path dir;
  private final Processes processes;
  private final int webUiPort;

  private StandaloneCluster(
      SparkHome home, Processes processes, Path dir, String masterUrl, int webUiPort) {
    this.home = home;
    this.processes = processes;
    this.dir = dir;
    this.masterUrl = masterUrl;
    this.webUiPort = webUiPort;
  }

  /** Starts a master and {@code workers} workers and waits until all workers registered. */
  static StandaloneCluster start(SparkHome home, Processes processes, Path dir, int workers)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int port = freePort();
    int webUi = freePort();
    Map<String, String> env = new HashMap<>(home.env());
    env.put("SPARK_DAEMON_MEMORY", "256m"); // master and workers only schedule
    env.put("SPARK_DAEMON_JAVA_OPTS", SparkStandaloneClusterIT.JVM_FLAGS);
    processes.start(
        home.command(
            "org.apache.spark.deploy.master.Master",
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--webui-port",
                String.valueOf(webUi))),
        env,
        dir.resolve("master"));
    String url = "spark://127.0.0.1:" + port;
    StandaloneCluster cluster = new StandaloneCluster(home, processes, dir, url, webUi);
    for (int i = 0; i < workers; i++) {
      Path work = Files.createDirectories(dir.resolve("worker-" + i));
      processes.start(
          home.command(
              "org.apache.spark.deploy.worker.Worker",
              List.of(
                  "--host",
                  "127.0.0.1",
                  "--webui-port",
                  String.valueOf(freePort()),
                  "--cores",
                  "1",
                  "--memory",
                  EXECUTOR_MEMORY,
                  "--work-dir",
                  work.toString(),
                  url)),
          env,
          dir.resolve("worker-" + i));
    }
    cluster.awaitWorkers(workers);
    return cluster;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Polls the master's JSON status until {@code n} workers are alive (60 s at most). */
  private void awaitWorkers(int n) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest status =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/")).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = http.send(status, HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = ALIVE_WORKERS.matcher(last);
        if (m.find() && Integer.parseInt(m.group(1)) >= n) {
          return;
        }
      } catch (IOException e) {
        last = e.toString(); // the master's web UI is not up yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the cluster did not get " + n + " workers in 60 s: " + last + "\n" + logs());
  }

  /** The master's and workers' logs, for failure messages. */
  String logs() throws IOException {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".err")).sorted().toList()) {
        b.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    }
    return b.toString();
  }

  record Run(int exitCode, String out, String err) {}

  /**
   * Runs {@code spark-submit --master MASTER ARGS...} (client mode: the driver is this process, the
   * executors are the workers') and waits for it (at most {@code timeoutSeconds}).
   */
  Run submit(List<String> args, Path logs, int timeoutSeconds)
      throws IOException, InterruptedException {
    return await(startSubmit(args, logs, false), logs, timeoutSeconds);
  }

  /**
   * Starts {@code spark-submit --master MASTER ARGS...}; with {@code withoutJavaFlags}, the
   * driver's java command lacks the Java 17 flags Spark's launcher adds (as a driver started by
   * hand, or by a tool that builds its own java command).
   */
  Process startSubmit(List<String> args, Path logs, boolean withoutJavaFlags)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("--master", masterUrl));
    all.addAll(args);
    List<String> command = home.command("org.apache.spark.deploy.SparkSubmit", all);
    if (withoutJavaFlags) {
      boolean had = command.removeIf(a -> a.startsWith("--add-opens"));
      assertTrue(had, () -> "Spark's launcher adds no --add-opens: " + command);
    }
    return processes.start(command, home.env(), logs);
  }

  /** Waits for a process started by {@link #startSubmit} and reads its output. */
  static Run await(Process p, Path logs, int timeoutSeconds)
      throws IOException, InterruptedException {
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "spark-submit timed out after "
              + timeoutSeconds
              + " s; stderr:\n"
              + Files.readString(Path.of(logs + ".err")));
    }
    return new Run(
        p.exitValue(),
        Files.readString(Path.of(logs + ".out"), StandardCharsets.UTF_8),
        Files.readString(Path.of(logs + ".err"), StandardCharsets.UTF_8));
  }

  /** The executor JVMs the workers run now. */
  List<ProcessHandle> executors() {
    return processes.alive().stream()
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .orElse("")
                    .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
        .toList();
  }
}
