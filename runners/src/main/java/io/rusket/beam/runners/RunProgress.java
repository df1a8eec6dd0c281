package io.rusket.beam.runners;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the pipeline commands ({@code grouped}, {@code stream}, {@code demo}) print on stderr while
 * a pipeline runs, unless {@code --quiet}: the Spark UI address at the start (on Spark with the UI
 * on), a progress line every {@link #DEFAULT_INTERVAL_MILLIS} ms, and a summary line at the end:
 *
 * <pre>{@code
 * Spark UI: http://10.0.0.5:4040
 * progress: 20s events=41,250,000 pairs=40,118,312 stage=ReadEvents/Read, MineStream/ShardPairs heap=1,104 MB
 * done: 88,000,000 events in 42.1 s (2.09M events/s), peak heap 1,873 MB of 2,048 MB
 * }</pre>
 *
 * <p>The counts are Beam counters read while the pipeline runs ({@link Source}): on the
 * DirectRunner {@code PipelineResult.metrics()} (bundles already committed), on the SparkRunner the
 * same (tasks that ended) plus the running tasks' latest heartbeat ({@link SparkWatch}). The stage
 * is Spark's running stages by Beam step (none on the DirectRunner). Peak heap is this JVM's (the
 * driver's; on embedded Spark also the executors'): the sum of the heap pools' peaks since the
 * start ({@link MemoryPoolMXBean#getPeakUsage()}, reset when the run starts).
 *
 * <p>The command's result line on stdout is not this class's: it stays with {@code --quiet}.
 */
final class RunProgress implements AutoCloseable {
  /** How often a progress line is printed. */
  static final long DEFAULT_INTERVAL_MILLIS = 10_000;

  /** The interval of progress lines; tests set a short one. */
  static volatile long intervalMillis = DEFAULT_INTERVAL_MILLIS;

  /** A counter a progress line shows: {@code label=value}, from Beam's {@code namespace:name}. */
  record Counter(String label, String namespace, String name) {}

  /** Where the counts and the stage come from while the pipeline runs. */
  interface Source {
    /** The current value of {@code counter}. */
    long count(Counter counter);

    /** The running stage(s), or null when not known. */
    @Nullable String stage();
  }

  private final PrintStream err;
  private final LongSupplier nanoClock;
  private final List<Counter> counters;
  private final Source source;
  private final long startNanos;
  private @Nullable ScheduledExecutorService timer;

  /** Set by {@link #finish}: no progress line after the summary. */
  private boolean finished;

  /**
   * Progress of a run that starts now.
   *
   * @param counters the counters of the progress lines; the first is the one the summary divides by
   *     the time (the events or rows read)
   * @param nanoClock {@link System#nanoTime} but in tests
   */
  RunProgress(PrintStream err, List<Counter> counters, Source source, LongSupplier nanoClock) {
    if (counters.isEmpty()) {
      throw new IllegalArgumentException("RunProgress needs at least one counter");
    }
    this.err = err;
    this.counters = List.copyOf(counters);
    this.source = source;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  /** Prints the UI address (if not null), then a progress line every {@link #intervalMillis}. */
  void start(@Nullable String uiUrl) {
    if (uiUrl != null) {
      err.println("Spark UI: " + uiUrl);
    }
    long every = intervalMillis;
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rusket-progress");
              t.setDaemon(true);
              t.setUncaughtExceptionHandler((thread, e) -> {}); // the run reports its failure
              return t;
            });
    timer.scheduleAtFixedRate(this::printProgress, every, every, TimeUnit.MILLISECONDS);
  }

  /** Prints one progress line now (none after {@link #finish}). */
  synchronized void printProgress() {
    if (finished) {
      return;
    }
    long[] values = new long[counters.size()];
    String stage;
    try {
      for (int i = 0; i < values.length; i++) {
        values[i] = source.count(counters.get(i));
      }
      stage = source.stage();
      err.println(progressLine(elapsedMillis(), counters, values, stage, Heap.used()));
    } catch (RuntimeException | OutOfMemoryError e) {
      // metrics not readable at this moment, or the run is out of memory (and will say so)
    }
  }

  /** Stops the progress lines and prints the summary of a run that took {@code millis}. */
  synchronized void finish(long millis) {
    close();
    finished = true;
    Counter first = counters.get(0);
    err.println(summaryLine(millis, first.label(), source.count(first), Heap.peak(), Heap.max()));
  }

  /** Milliseconds since the start. */
  long elapsedMillis() {
    return (nanoClock.getAsLong() - startNanos) / 1_000_000;
  }

  /** Stops the progress lines (idempotent). */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  /**
   * {@code progress: 20s events=41,250,000 pairs=40,118,312 stage=S heap=1,104 MB} ({@code stage}
   * only when known).
   */
  static String progressLine(
      long elapsedMillis,
      List<Counter> counters,
      long[] values,
      @Nullable String stage,
      long heapUsedBytes) {
    StringBuilder b = new StringBuilder("progress: ").append(elapsedMillis / 1000).append('s');
    for (int i = 0; i < counters.size(); i++) {
      b.append(' ').append(counters.get(i).label()).append('=').append(grouped(values[i]));
    }
    if (stage != null) {
      b.append(" stage=").append(stage);
    }
    return b.append(" heap=").append(megabytes(heapUsedBytes)).toString();
  }

  /** {@code done: 88,000,000 events in 42.1 s (2.09M events/s), peak heap 1,873 MB of 2,048 MB}. */
  static String summaryLine(long millis, String label, long count, long peakHeap, long maxHeap) {
    double perSecond = millis == 0 ? 0 : count * 1000.0 / millis;
    return String.format(
        Locale.ROOT,
        "done: %s %s in %.1f s (%s %s/s), peak heap %s of %s",
        grouped(count),
        label,
        millis / 1000.0,
        rate(perSecond),
        label,
        megabytes(peakHeap),
        megabytes(maxHeap));
  }

  /** {@code 1234567} as {@code 1,234,567}. */
  static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Bytes as {@code 1,104 MB}. */
  static String megabytes(long bytes) {
    return grouped(bytes >> 20) + " MB";
  }

  /** A rate as {@code 2.09M}, {@code 310k} or {@code 12}. */
  static String rate(double perSecond) {
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
    }
    if (perSecond >= 1e4) {
      return String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }

  /** This JVM's heap, from its memory pools. */
  static final class Heap {
    private Heap() {}

    /** Starts the peak over: each heap pool's peak becomes its current use. */
    static void resetPeak() {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
          pool.resetPeakUsage();
        }
      }
    }

    /** The sum of the heap pools' peak use since the last {@link #resetPeak}. */
    static long peak() {
      long sum = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
          sum += pool.getPeakUsage().getUsed();
        }
      }
      return Math.min(sum, max());
    }

    /** The heap in use now. */
    static long used() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The most heap this JVM may use ({@code -Xmx}). */
    static long max() {
      return Runtime.getRuntime().maxMemory();
    }
  }
}
