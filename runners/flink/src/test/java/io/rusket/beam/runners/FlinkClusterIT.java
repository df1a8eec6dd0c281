package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Flink standalone cluster on 127.0.0.1 — a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}) with two
 * slots, each its own JVM on Flink's jars from Maven (the version the Flink jar carries; failsafe
 * passes their classpath as {@code rusket.flinkClasspath}) — and the Flink jar submitting to it
 * with {@code --flinkMaster=127.0.0.1:PORT}: Beam uploads the jar, the TaskManager runs the job,
 * the results equal the embedded run's. Both processes are stopped after the tests, also when one
 * fails (and by a shutdown hook if this JVM goes first). Runs in {@code verify}.
 */
class FlinkClusterIT {
  /** The add-opens/exports Flink's own configuration gives its JVMs on Java 17, beyond ours. */
  private static final List<String> FLINK_JAVA17_FLAGS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  @TempDir static Path cluster;
  @TempDir Path dir;

  private static final List<Process> processes = new ArrayList<>();
  private static final Thread killer = new Thread(FlinkClusterIT::killAll, "stop-flink-cluster");
  private static int restPort;

  @BeforeAll
  static void startCluster() throws Exception {
    restPort = freePort();
    int rpcPort = freePort();
    Path conf = Files.createDirectories(cluster.resolve("conf"));
    Path tmp = Files.createDirectories(cluster.resolve("tmp"));
    Files.writeString(
        conf.resolve("flink-conf.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + rpcPort,
            "jobmanager.bind-host: 127.0.0.1",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + restPort,
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "taskmanager.numberOfTaskSlots: 2",
            "parallelism.default: 2",
            // what Flink's start scripts derive and pass to a TaskManager (the JVM flags below
            // match): started directly, it needs every part given
            "taskmanager.cpu.cores: 2",
            "taskmanager.memory.task.heap.size: 320m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.managed.size: 96m",
            "taskmanager.memory.framework.heap.size: 64m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            // Beam's batch jobs hold many blocking exchanges at once, each of which reserves
            // sort-shuffle.min-buffers (default 512 × 32 KB): fewer per exchange, more in all
            "taskmanager.memory.network.min: 128m",
            "taskmanager.memory.network.max: 128m",
            "taskmanager.network.sort-shuffle.min-buffers: 64",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "jobmanager.memory.heap.size: 256m",
            "io.tmp.dirs: " + tmp,
            "web.tmpdir: " + tmp,
            "blob.storage.directory: " + tmp,
            ""));
    Files.writeString(
        conf.resolve("log4j2.properties"),
        String.join(
            "\n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.file.ref = file",
            "appender.file.type = File",
            "appender.file.name = file",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n",
            ""));
    Runtime.getRuntime().addShutdownHook(killer);
    start(
        "jobmanager",
        conf,
        "-Xmx384m",
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
    start(
        "taskmanager",
        conf,
        "-Xmx384m -XX:MaxDirectMemorySize=256m -XX:MaxMetaspaceSize=256m",
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    awaitTaskManager();
  }

  private static void start(String name, Path conf, String memory, String mainClass)
      throws IOException {
    String classpath = System.getProperty("rusket.flinkClasspath", "");
    assertTrue(classpath.contains("flink-runtime"), "failsafe passes rusket.flinkClasspath");
    List<String> command = new ArrayList<>();
    command.add(JarRun.java());
    command.addAll(List.of(memory.split(" ")));
    command.addAll(List.of(System.getProperty("rusket.addOpens").trim().split("\\s+")));
    command.addAll(FLINK_JAVA17_FLAGS);
    command.add("-Dlog.file=" + cluster.resolve(name + ".log"));
    command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j2.properties").toUri());
    command.addAll(List.of("-cp", classpath, mainClass, "--configDir", conf.toString()));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(cluster.resolve(name + ".out").toFile())
            .start();
    synchronized (processes) {
      processes.add(p);
    }
  }

  /** Waits until the TaskManager has registered with the JobManager (its REST API says so). */
  private static void awaitTaskManager() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/taskmanagers"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    String last = "";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new AssertionError("a Flink process exited (" + p.exitValue() + ")\n" + logs());
        }
      }
      try {
        last = http.send(req, HttpResponse.BodyHandlers.ofString()).body();
        if (last.contains("\"slotsNumber\":2")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no TaskManager registered: " + last + "\n" + logs());
  }

  @AfterAll
  static void stopCluster() {
    killAll();
    Runtime.getRuntime().removeShutdownHook(killer);
  }

  private static void killAll() {
    synchronized (processes) {
      for (Process p : processes) {
        p.destroy();
      }
      for (Process p : processes) {
        try {
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
      processes.clear();
    }
  }

  private static String logs() {
    StringBuilder sb = new StringBuilder();
    for (String f :
        List.of("jobmanager.out", "jobmanager.log", "taskmanager.out", "taskmanager.log")) {
      try {
        List<String> lines = Files.readAllLines(cluster.resolve(f), StandardCharsets.UTF_8);
        sb.append("--- ").append(f).append(" (last lines)\n");
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> sb.append(l).append('\n'));
      } catch (IOException e) {
        sb.append("--- ").append(f).append(": ").append(e).append('\n');
      }
    }
    return sb.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * {@code grouped} (events from Parquet, rules, CSV out) and {@code stream} (rules, JSON lines)
   * submitted to the cluster write the same rows, and count the same, as the same commands on the
   * DirectRunner (in this JVM).
   */
  @Test
  void commandsSubmittedToTheClusterWriteWhatTheDirectRunnerWrites() throws Exception {
    Path data = dir.resolve("data");
    JarRun g =
        JarRun.of(
            dir,
            "generate",
            "--output=" + data,
            "--stores=3",
            "--transactions=1500",
            "--items=30",
            "--layouts=events",
            "--formats=parquet");
    assertEquals(0, g.exitCode(), g::err);
    String events = "--input=" + data.resolve("events.parquet");
    String[] grouped = {
      "grouped",
      events,
      "--groupCol=store_id",
      "--txnCol=transaction_id",
      "--itemCol=item_id",
      "--minSupport=0.03",
      "--rules",
      "--metric=lift",
      "--minThreshold=1.0",
      "--outputFormat=csv"
    };
    String[] stream = {
      "stream",
      events,
      "--txnCol=transaction_id",
      "--itemCol=item_id",
      "--numItems=30",
      "--minSupport=0.02",
      "--rules",
      "--outputFormat=jsonl"
    };
    String master = "--flinkMaster=127.0.0.1:" + restPort;
    for (String[] args : List.of(grouped, stream)) {
      String format = args == grouped ? "csv" : "jsonl";
      Path onCluster = dir.resolve(args[0] + "-cluster");
      Path direct = dir.resolve(args[0] + "-direct");
      JarRun c =
          JarRun.of(
              dir,
              FlinkJarIT.concat(
                  args, master, "--parallelism=2", "--quiet", "--output=" + onCluster));
      assertEquals(0, c.exitCode(), () -> c.err() + "\n" + logs());
      FlinkRunnerTest.Run d =
          FlinkRunnerTest.cli(
              FlinkJarIT.concat(args, "--runner=DirectRunner", "--quiet", "--output=" + direct));
      Matcher m =
          Pattern.compile(
                  "runner=FlinkRunner \\(127\\.0\\.0\\.1:\\d+\\) (.*) output=\\S+ millis=\\d+\\R")
              .matcher(c.out());
      assertTrue(m.matches(), c::out);
      assertEquals(d.counts(), m.group(1));
      assertTrue(m.group(1).matches(".*itemsets=[1-9]\\d* rules=[1-9]\\d*"), c::out);
      assertEquals(ResultRows.read(direct, format), ResultRows.read(onCluster, format));
    }
    // the jobs ran on the TaskManager, not in the submitting JVM
    String tm = Files.readString(cluster.resolve("taskmanager.log"), StandardCharsets.UTF_8);
    assertTrue(tm.contains("MineGrouped"), "the TaskManager ran MineGrouped");
    assertTrue(tm.contains("MineStream"), "the TaskManager ran MineStream");
  }
}
