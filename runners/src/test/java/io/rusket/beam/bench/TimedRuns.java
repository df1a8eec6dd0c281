package io.rusket.beam.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The timed runs of one side of a peer comparison (a suite's "ours" or "MLlib" line): one untimed
 * warm-up, then {@code repeat} timed runs, each after a {@code System.gc()}, every result equal to
 * the first's.
 *
 * @param label what ran, as printed
 * @param nanos the timed runs' wall times, in run order (empty if the side failed before a run)
 * @param cpuNanos the same runs' process CPU times (every thread of this JVM, GC and Spark's
 *     included; 0 where the platform cannot say)
 * @param result the first timed run's result, or null
 * @param error why the side failed or was inconsistent, or null
 * @param <R> what one run produces (a record with equals)
 */
record TimedRuns<R>(String label, long[] nanos, long[] cpuNanos, R result, String error) {
  /** The median of the timed runs in milliseconds; NaN if there were none. */
  double medianMs() {
    return nanos.length == 0 ? Double.NaN : StreamSuite.median(nanos) / 1e6;
  }

  /** The median process CPU time of the timed runs in milliseconds; NaN if there were none. */
  double medianCpuMs() {
    return cpuNanos.length == 0 ? Double.NaN : StreamSuite.median(cpuNanos) / 1e6;
  }

  /** CPU time of this JVM so far (all threads, GC included), or 0 if the platform cannot say. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  /** One run of a side. */
  interface Run<R> {
    R run() throws Exception;
  }

  /**
   * Runs {@code warmUp} untimed, then {@code repeat} timed runs of {@code timed}, each after a GC,
   * printing {@code [bench] LABEL: T ms, RESULT} per timed run on {@code err}. A run whose result
   * differs from the first's ends the side with that error; an exception or out of memory (printed
   * with its stack trace) ends it with no runs.
   */
  static <R> TimedRuns<R> measure(
      String label, Run<R> warmUp, Run<R> timed, int repeat, PrintStream err) {
    return measure(label, warmUp, timed, () -> {}, String::valueOf, Object::equals, repeat, err);
  }

  /**
   * As {@link #measure(String, Run, Run, int, PrintStream)}, the warm-up run again until {@code
   * warmupMillis} have passed (at least once): so that the JIT has compiled the hot paths before
   * the first timed run, for a side whose warm-up run is short. With {@code warmupMillis} 0, no
   * warm-up at all (every side timed from cold: for runs long enough that the JIT's warm-up is a
   * small part of them).
   */
  static <R> TimedRuns<R> measure(
      String label, Run<R> warmUp, Run<R> timed, int warmupMillis, int repeat, PrintStream err) {
    Run<R> warm =
        () -> {
          if (warmupMillis <= 0) {
            err.printf(Locale.ROOT, "[bench] %s: no warm-up (--warmup-ms=0)%n", label);
            return null;
          }
          long until = System.nanoTime() + warmupMillis * 1_000_000L;
          int runs = 0;
          R r;
          do {
            r = warmUp.run();
            runs++;
          } while (System.nanoTime() < until);
          err.printf(Locale.ROOT, "[bench] %s: %d warm-up runs%n", label, runs);
          return r;
        };
    return measure(label, warm, timed, repeat, err);
  }

  /**
   * As {@link #measure(String, Run, Run, int, PrintStream)}, with {@code afterEach} run untimed
   * after every timed run, each result printed as {@code describe} says, and results compared by
   * {@code same}.
   */
  static <R> TimedRuns<R> measure(
      String label,
      Run<R> warmUp,
      Run<R> timed,
      Runnable afterEach,
      Function<R, String> describe,
      BiPredicate<R, R> same,
      int repeat,
      PrintStream err) {
    try {
      err.println("[bench] " + label + ": warm-up ...");
      warmUp.run();
      long[] nanos = new long[repeat];
      long[] cpu = new long[repeat];
      R first = null;
      for (int r = 0; r < repeat; r++) {
        System.gc();
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        R res = timed.run();
        nanos[r] = System.nanoTime() - t0;
        cpu[r] = processCpuNanos() - c0;
        afterEach.run();
        err.printf(
            Locale.ROOT, "[bench] %s: %.0f ms, %s%n", label, nanos[r] / 1e6, describe.apply(res));
        if (first == null) {
          first = res;
        } else if (!same.test(first, res)) {
          return new TimedRuns<>(
              label, nanos, cpu, first, "run " + (r + 1) + " differs from run 1");
        }
      }
      return new TimedRuns<>(label, nanos, cpu, first, null);
    } catch (Exception | OutOfMemoryError e) {
      e.printStackTrace(err);
      return new TimedRuns<>(
          label,
          new long[0],
          new long[0],
          null,
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
