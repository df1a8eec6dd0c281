package io.rusket.beam.bench;

import java.util.Arrays;

/**
 * Wall-clock times of the timed runs of one configuration, and what the runs produced.
 *
 * @param nanos the timed runs, in run order
 * @param outcome the reference outcome (from the first run that had a checksum, else the first)
 * @param consistent whether every run (warm-ups included) produced the same outcome
 * @param error why the configuration could not be measured, or null
 */
record Measured(long[] nanos, Outcome outcome, boolean consistent, String error) {
  static Measured failed(Throwable e) {
    String msg =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new Measured(new long[0], null, false, msg);
  }

  boolean ok() {
    return error == null && nanos.length > 0;
  }

  /** Median in milliseconds (mean of the two middle runs for an even count); NaN if failed. */
  double medianMs() {
    if (!ok()) {
      return Double.NaN;
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    int n = s.length;
    double med = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    return med / 1e6;
  }

  /** (max - min) / median: how noisy the runs were; NaN if fewer than 2 runs. */
  double spread() {
    if (!ok() || nanos.length < 2) {
      return Double.NaN;
    }
    long min = Arrays.stream(nanos).min().getAsLong();
    long max = Arrays.stream(nanos).max().getAsLong();
    return (max - min) / 1e6 / medianMs();
  }

  /** A run of the configuration under test. */
  interface Run {
    /** Untimed preparation before each run (e.g. a fresh copy of input the peer mutates). */
    default void setUp() {}

    /** The timed work. */
    Outcome run() throws Exception;
  }

  /** Upper bound on warm-up runs, whatever {@code warmupMillis} asks for. */
  static final int MAX_WARMUPS = 1000;

  /**
   * Runs untimed warm-ups, at least {@code warmup} of them and for at least {@code warmupMillis} of
   * run time (so that short runs still reach compiled code; at most {@link #MAX_WARMUPS} beyond
   * {@code warmup}), then {@code repeat} timed runs of {@code run}. Each run follows an untimed
   * {@code setUp()}; each timed run also an untimed {@code System.gc()}, so that it starts from a
   * clean heap. {@code checksumRun}, when not null, replaces the first warm-up (it must do the same
   * mining and also fold a checksum), so that a peer whose timed runs only count still gets
   * compared.
   */
  static Measured measure(int warmup, long warmupMillis, int repeat, Run run, Run checksumRun) {
    try {
      Outcome ref = null;
      boolean consistent = true;
      long[] nanos = new long[repeat];
      long warmNanos = 0;
      int warmed = 0;
      int timed = 0;
      while (timed < repeat) {
        boolean warming =
            warmed < warmup
                || (warmNanos < warmupMillis * 1_000_000L && warmed < warmup + MAX_WARMUPS);
        Run r = warmed == 0 && warming && checksumRun != null ? checksumRun : run;
        r.setUp();
        if (!warming) {
          System.gc(); // not before warm-ups: hundreds of full GCs of a heap holding Spark
        }
        long t0 = System.nanoTime();
        Outcome o = r.run();
        long t1 = System.nanoTime();
        if (warming) {
          warmed++;
          warmNanos += t1 - t0;
        } else {
          nanos[timed++] = t1 - t0;
        }
        if (ref == null || (!ref.hasChecksum() && o.hasChecksum())) {
          consistent &= ref == null || ref.consistentWith(o);
          ref = o;
        } else {
          consistent &= ref.consistentWith(o);
        }
      }
      return new Measured(nanos, ref, consistent, null);
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      return failed(e);
    }
  }
}
