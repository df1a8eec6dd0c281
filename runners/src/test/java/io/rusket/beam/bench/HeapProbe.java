package io.rusket.beam.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap used while one piece of work runs, in an untimed run of its own (sampling competes with the
 * work for the cores).
 *
 * <p>Two views, both relative to a baseline of used heap taken after {@code System.gc()}:
 *
 * <ul>
 *   <li>{@code peakBytes}: the largest used heap seen by a thread sampling every ~0.5 ms, plus a
 *       sample at the end. It includes garbage not yet collected, so it depends on the collector
 *       and the young generation's size (an upper view of the footprint; short spikes between
 *       samples can be missed).
 *   <li>{@code peakAfterGcBytes}: the largest heap still in use right after a collection during the
 *       work (a lower view: what was live, plus old garbage not yet collected); -1 when no
 *       collection ran.
 * </ul>
 */
final class HeapProbe {
  private HeapProbe() {}

  record HeapUse(long baselineBytes, long peakBytes, long peakAfterGcBytes, int collections) {}

  /** Resets the heap pools' peak usage (after a GC), before a configuration is measured. */
  static void resetPoolPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peak usage since the last reset (garbage included). */
  static long poolPeaks() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /**
   * Bytes allocated by the calling thread while {@code work} runs: exact and independent of the
   * collector, but it sees only this thread (run single-threaded work through it).
   */
  static long allocatedBytes(Runnable work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    work.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  /** The collector and, for G1, its region size (the granularity of eden's "used" figure). */
  static String collectorInfo() {
    List<String> names = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(gc.getName());
    }
    String info = String.join(" + ", names);
    try {
      com.sun.management.HotSpotDiagnosticMXBean hs =
          ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      String region = hs.getVMOption("G1HeapRegionSize").getValue();
      if (names.stream().anyMatch(n -> n.startsWith("G1"))) {
        info += ", region " + Long.parseLong(region) / (1024 * 1024) + " MiB";
      }
    } catch (RuntimeException e) {
      // not HotSpot, or no such option: the names alone
    }
    return info;
  }

  static HeapUse measure(Runnable work) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    System.gc();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();

    AtomicLong afterGcMax = new AtomicLong(-1);
    AtomicInteger seen = new AtomicInteger();
    NotificationListener listener =
        (Notification n, Object handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              n.getType())) {
            return;
          }
          GarbageCollectionNotificationInfo info =
              GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long used = 0;
          for (Map.Entry<String, MemoryUsage> e :
              info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
              used += e.getValue().getUsed();
            }
          }
          afterGcMax.accumulateAndGet(used, Math::max);
          seen.incrementAndGet();
        };
    List<NotificationEmitter> emitters = new ArrayList<>();
    long gcCountBefore = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCountBefore += Math.max(0, gc.getCollectionCount());
      if (gc instanceof NotificationEmitter) {
        NotificationEmitter em = (NotificationEmitter) gc;
        em.addNotificationListener(listener, null, null);
        emitters.add(em);
      }
    }

    AtomicLong peak = new AtomicLong(baseline);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                LockSupport.parkNanos(500_000);
              }
            },
            "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      work.run();
    } finally {
      peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      sampler.interrupt();
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long gcCountAfter = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCountAfter += Math.max(0, gc.getCollectionCount());
    }
    int collections = (int) (gcCountAfter - gcCountBefore);
    // Notifications arrive asynchronously: wait (briefly) for the ones already counted.
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (seen.get() < collections && System.nanoTime() < deadline) {
      LockSupport.parkNanos(5_000_000);
    }
    for (NotificationEmitter em : emitters) {
      try {
        em.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // already gone
      }
    }
    long afterGc = afterGcMax.get();
    return new HeapUse(
        baseline,
        Math.max(0, peak.get() - baseline),
        afterGc < 0 ? -1 : Math.max(0, afterGc - baseline),
        collections);
  }
}
