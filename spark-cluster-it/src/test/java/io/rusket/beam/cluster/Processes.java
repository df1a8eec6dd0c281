package io.rusket.beam.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every process a test starts, and their children (a worker's executors), stopped by {@link
 * #close()}, on failure as on success, and by a JVM shutdown hook if the test JVM itself is stopped
 * first. Each process writes its stdout and stderr to files (no pipe to fill up).
 *
 * <pre>{@code
 * try (Processes processes = new Processes()) {
 *   Process master = processes.start(command, env, dir.resolve("master"));
 *   ...
 * } // master and everything it started are gone
 * }</pre>
 */
final class Processes implements AutoCloseable {
  private final List<Process> started = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "stop-test-processes");

  Processes() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts {@code command} with {@code env} added to this JVM's environment, its output in {@code
   * logs}{@code .out} and {@code logs}{@code .err}.
   */
  synchronized Process start(List<String> command, Map<String, String> env, Path logs)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectOutput(Path.of(logs + ".out").toFile());
    pb.redirectError(Path.of(logs + ".err").toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** The processes started and still alive, with all their descendants. */
  synchronized List<ProcessHandle> alive() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : started) {
      p.descendants().filter(ProcessHandle::isAlive).forEach(all::add);
      if (p.isAlive()) {
        all.add(p.toHandle());
      }
    }
    return all;
  }

  /** Stops every process started (descendants first, so no executor outlives its worker). */
  private synchronized void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Process p = started.get(i);
      List<ProcessHandle> children = p.descendants().toList();
      children.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      for (ProcessHandle c : children) {
        c.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> c).join();
      }
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs (and finds nothing left)
    }
  }
}
