package io.rusket.beam.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One child JVM of a suite, measured from the outside: wall time from start to exit, peak resident
 * set (the kernel's {@code VmHWM} of {@code /proc/<pid>/status}, sampled every 50 ms: it only
 * grows, so a sample misses at most the growth of the last 50 ms), the {@code result key=value}
 * lines it prints, and how it ended ({@link Status}). Its stdout and stderr go to a log file; the
 * last lines are kept for the report.
 */
final class ChildJvm {
  private ChildJvm() {}

  /** How long a child may go on after its first out-of-memory line. */
  static final int OOM_GRACE_SECONDS = 30;

  /** How a child ended. */
  enum Status {
    /** Exit code 0. */
    OK,
    /** Ran out of heap: an {@code OutOfMemoryError} (or the CLI's "out of memory" line) seen. */
    OOM,
    /** Killed after the time limit. */
    TIMEOUT,
    /** Any other non-zero exit. */
    FAILED
  }

  /** What a child did. */
  record Result(
      Status status,
      int exitCode,
      long wallNanos,
      long oomAtNanos,
      long peakRssBytes,
      List<Map<String, String>> results,
      List<String> tail,
      Path log) {
    /** The last result line's value of {@code key}, or null. */
    String get(String key) {
      for (int i = results.size() - 1; i >= 0; i--) {
        String v = results.get(i).get(key);
        if (v != null) {
          return v;
        }
      }
      return null;
    }

    /** {@link #get} as a long, or {@code dflt} when absent. */
    long getLong(String key, long dflt) {
      String v = get(key);
      return v == null ? dflt : Long.parseLong(v);
    }
  }

  /** Lines that mark a heap exhausted: the JVM's error, Spark's and the CLI's wording. */
  static boolean isOomLine(String line) {
    String l = line.toLowerCase(Locale.ROOT);
    return l.contains("outofmemoryerror") || l.contains("out of memory");
  }

  /**
   * How a child ended, from its exit code, whether it was killed (at the time limit, or hanging on
   * after running out of heap) and whether an out-of-memory line was seen: a clean exit is a
   * success (an OOM caught and survived included), then OOM, then a kill is a timeout.
   */
  static Status classify(int exitCode, boolean killed, boolean sawOom) {
    if (exitCode == 0 && !killed) {
      return Status.OK;
    }
    if (sawOom) {
      return Status.OOM;
    }
    return killed ? Status.TIMEOUT : Status.FAILED;
  }

  /** Parses a {@code result key=value ...} line; null for any other line. */
  static Map<String, String> parseResult(String line) {
    if (!line.startsWith("result ")) {
      return null;
    }
    Map<String, String> m = new HashMap<>();
    for (String kv : line.substring(7).trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }

  /** The java executable running this JVM. */
  static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
  }

  /** This JVM's {@code --add-opens} flags (the project's, for Spark and Arrow on Java 17). */
  static List<String> addOpens() {
    List<String> flags = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")) {
        flags.add(a);
      }
    }
    return flags;
  }

  /**
   * {@code java <jvmArgs> <add-opens> -cp <this classpath> <mainClass> <args>}, output to {@code
   * log}, killed (with its descendants) after {@code timeoutSeconds}, or {@value
   * #OOM_GRACE_SECONDS} s after its first out-of-memory line if it has not exited by then (a JVM
   * whose heap is exhausted may go on collecting for a long time).
   */
  static Result run(
      List<String> jvmArgs, String mainClass, List<String> args, Path log, long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvmArgs);
    cmd.addAll(addOpens());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return run(cmd, log, timeoutSeconds);
  }

  /** Runs {@code cmd} as {@link #run(List, String, List, Path, long)} does. */
  static Result run(List<String> cmd, Path log, long timeoutSeconds)
      throws IOException, InterruptedException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    AtomicLong hwm = new AtomicLong(-1);
    AtomicBoolean done = new AtomicBoolean();
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    Thread sampler =
        new Thread(
            () -> {
              while (!done.get()) {
                long v = vmHwmBytes(status);
                if (v > 0) {
                  hwm.accumulateAndGet(v, Math::max);
                }
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
    List<Map<String, String>> results = new ArrayList<>();
    Deque<String> tail = new ArrayDeque<>();
    AtomicLong oomAt = new AtomicLong(-1);
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                w.write(String.join(" ", cmd));
                w.newLine();
                String line;
                while ((line = r.readLine()) != null) {
                  w.write(line);
                  w.newLine();
                  Map<String, String> m = parseResult(line);
                  synchronized (results) {
                    if (m != null) {
                      results.add(m);
                    }
                    if (isOomLine(line)) {
                      oomAt.compareAndSet(-1, System.nanoTime() - t0);
                    }
                    tail.addLast(line);
                    if (tail.size() > 8) {
                      tail.removeFirst();
                    }
                  }
                }
              } catch (IOException e) {
                // the child went away: what was read is kept
              }
            },
            "bench-child-output");
    pump.setDaemon(true);
    pump.start();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    boolean finished = false;
    while (!finished) {
      finished = p.waitFor(200, TimeUnit.MILLISECONDS);
      long now = System.nanoTime();
      long oom = oomAt.get();
      if (now > deadline
          || (oom >= 0 && now - t0 - oom > TimeUnit.SECONDS.toNanos(OOM_GRACE_SECONDS))) {
        break;
      }
    }
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    long wall = System.nanoTime() - t0;
    done.set(true);
    sampler.interrupt();
    sampler.join();
    pump.join(10_000);
    synchronized (results) {
      return new Result(
          classify(p.exitValue(), !finished, oomAt.get() >= 0),
          p.exitValue(),
          wall,
          oomAt.get(),
          hwm.get(),
          List.copyOf(results),
          List.copyOf(tail),
          log);
    }
  }

  /** {@code VmHWM} of a {@code /proc/<pid>/status} file in bytes, or -1 if unreadable. */
  static long vmHwmBytes(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          String[] f = line.substring(6).trim().split("\\s+");
          return Long.parseLong(f[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not Linux
    }
    return -1;
  }
}
