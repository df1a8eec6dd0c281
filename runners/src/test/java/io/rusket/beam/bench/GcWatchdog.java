package io.rusket.beam.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Ends a child JVM that is out of memory in all but name: G1 has no GC overhead limit, so a heap
 * that stays full makes it collect back to back for minutes before an {@code OutOfMemoryError}
 * (measured: 291 s for {@code grouped} at 10M events). Once per second it samples the collectors'
 * total pause time; when over the last {@value #WINDOW_SECONDS} s at least {@value #GC_SHARE} of
 * the wall time went to collections and the heap is still at least {@value #FULL} full after the
 * last one (as Parallel GC's {@code -XX:+UseGCOverheadLimit} decides), it prints one line saying so
 * — "out of memory", which {@link ChildJvm} reports as {@code OOM} — and halts the JVM with exit
 * code 3 (as {@code -XX:+ExitOnOutOfMemoryError} does).
 */
final class GcWatchdog {
  static final int WINDOW_SECONDS = 30;
  static final double GC_SHARE = 0.9;
  static final double FULL = 0.95;

  private GcWatchdog() {}

  static void start() {
    Thread t = new Thread(GcWatchdog::watch, "bench-gc-watchdog");
    t.setDaemon(true);
    t.start();
  }

  /** Collection time, ms, of every collector so far. */
  static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /** Heap in use after the last collection, as a share of the maximum heap. */
  static double fullAfterGc() {
    long used = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage u = p.getType() == MemoryType.HEAP ? p.getCollectionUsage() : null;
      if (u != null) {
        used += u.getUsed();
      }
    }
    return used / (double) Runtime.getRuntime().maxMemory();
  }

  /** Whether a window of {@code wallMillis} with {@code gcMillis} of it collecting is overhead. */
  static boolean overLimit(long wallMillis, long gcMillis, double fullAfterGc) {
    return wallMillis >= WINDOW_SECONDS * 1000L
        && gcMillis >= GC_SHARE * wallMillis
        && fullAfterGc >= FULL;
  }

  private static void watch() {
    Deque<long[]> samples = new ArrayDeque<>(); // {nanoTime, gcMillis}
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      samples.addLast(new long[] {System.nanoTime(), gcMillis()});
      if (samples.size() > WINDOW_SECONDS + 1) {
        samples.removeFirst();
      }
      if (samples.size() <= WINDOW_SECONDS) {
        continue;
      }
      long[] first = samples.peekFirst();
      long[] last = samples.peekLast();
      long wall = (last[0] - first[0]) / 1_000_000;
      long gc = last[1] - first[1];
      if (overLimit(wall, gc, fullAfterGc())) {
        System.out.printf(
            Locale.ROOT,
            "bench watchdog: out of memory: %d of the last %d ms in garbage collection, heap %.0f%%"
                + " full after it (max %d MiB); halting%n",
            gc,
            wall,
            100 * fullAfterGc(),
            Runtime.getRuntime().maxMemory() >> 20);
        System.out.flush();
        Runtime.getRuntime().halt(3);
      }
    }
  }
}
