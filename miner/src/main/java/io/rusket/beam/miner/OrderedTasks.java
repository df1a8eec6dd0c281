package io.rusket.beam.miner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs the first-level mining tasks {@code 0 .. nTasks-1} on several threads and delivers their
 * itemsets to the caller's sink from the calling thread, in task order, so the output is identical
 * to a sequential run.
 *
 * <p>Tasks are claimed in ascending order from a shared counter (dynamic scheduling, so uneven
 * projections balance). Helpers join after the first millisecond, so tiny jobs stay on one thread;
 * while the JVM is cold (its first {@link #COLD_MINING_NANOS} of mining, summed over all calls)
 * they join only after {@link #COLD_SPAWN_AFTER_NANOS}: in a fresh JVM the miner's loops still run
 * interpreted, and a second interpreted thread takes a core from the JIT's compiler threads (on a
 * small machine) instead of adding one, so a short one-shot job (the command line's {@code mine})
 * is done sooner alone, while a long one still gets every thread after that delay. The calling
 * thread is one of the miners: when the task it claims is the next one to deliver, it mines
 * straight into the sink; otherwise it, like the {@code threads-1} helper threads, mines into a
 * private {@link ItemsetBuffer}. Between tasks the calling thread replays completed buffers in
 * order. Memory: buffers of tasks that finish ahead of an earlier, slower task wait until that task
 * is delivered.
 */
final class OrderedTasks {
  /** One mining worker, owning its scratch memory; used by one thread at a time. */
  interface Worker {
    /** Mines task {@code task}, delivering its itemsets to {@code out}; returns their number. */
    long mine(int task, ItemsetSink out);

    /** Bytes of this worker's scratch memory. */
    long ramBytesUsed();
  }

  /** Itemsets delivered, memory of the workers' scratch and of the results held at once. */
  static final class Outcome {
    final long itemsets;
    final long scratchBytes;
    final long peakBufferedBytes;

    Outcome(long itemsets, long scratchBytes, long peakBufferedBytes) {
      this.itemsets = itemsets;
      this.scratchBytes = scratchBytes;
      this.peakBufferedBytes = peakBufferedBytes;
    }
  }

  private OrderedTasks() {}

  /** How long the calling thread mines alone before helper threads join. */
  static final long SPAWN_AFTER_NANOS = 1_000_000L;

  /** {@link #SPAWN_AFTER_NANOS}, settable by tests to force helpers onto tiny jobs (0: at once). */
  static volatile long spawnAfterNanos = SPAWN_AFTER_NANOS;

  /**
   * How long the calling thread mines alone before helpers join while the JVM is cold: long enough
   * for a fresh JVM to compile the miner's loops, also on a loaded machine (where 40 ms of wall
   * time were measured to be too little: helpers still slowed the command line's dense cases), and
   * short beside a long job, which loses at most this much of its helpers' time.
   */
  static final long COLD_SPAWN_AFTER_NANOS = 200_000_000L;

  /** {@link #COLD_SPAWN_AFTER_NANOS}, settable by tests. */
  static volatile long coldSpawnAfterNanos = COLD_SPAWN_AFTER_NANOS;

  /** Mining time (all calls of this JVM, summed) after which the JVM counts as warm. */
  static final long COLD_MINING_NANOS = 500_000_000L;

  /** Nanoseconds spent in {@link #run} by this JVM so far (settable by tests). */
  static final AtomicLong minedNanos = new AtomicLong();

  /**
   * How many helpers joined a job of {@link #run} (its delay over before the job was), for tests.
   */
  static final AtomicLong helpersStarted = new AtomicLong();

  /**
   * The delay before helpers join a job starting now: {@link #spawnAfterNanos}, or at least {@link
   * #coldSpawnAfterNanos} while this JVM is cold; 0 (tests) stays 0.
   */
  static long spawnDelayNanos() {
    long delay = spawnAfterNanos;
    if (delay > 0 && minedNanos.get() < COLD_MINING_NANOS) {
      delay = Math.max(delay, coldSpawnAfterNanos);
    }
    return delay;
  }

  /**
   * Helper threads, shared by all mining calls: daemon threads created on demand and kept for a
   * minute when idle, so small, frequent mining calls (one per group in a Beam pipeline) do not pay
   * for thread creation each time.
   */
  private static final ExecutorService HELPERS =
      Executors.newCachedThreadPool(
          new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger threadNo = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread th = new Thread(r, "rusket-miner-" + threadNo.incrementAndGet());
              th.setDaemon(true);
              return th;
            }
          });

  static Outcome run(
      int nTasks, int threads, Supplier<? extends Worker> workers, ItemsetSink sink) {
    final long start = System.nanoTime();
    try {
      return runTimed(nTasks, threads, workers, sink, start);
    } finally {
      minedNanos.addAndGet(System.nanoTime() - start);
    }
  }

  private static Outcome runTimed(
      int nTasks, int threads, Supplier<? extends Worker> workers, ItemsetSink sink, long start) {
    if (threads <= 1 || nTasks <= 1) {
      Worker w = workers.get();
      long total = 0;
      for (int t = 0; t < nTasks; t++) {
        total += w.mine(t, sink);
      }
      return new Outcome(total, w.ramBytesUsed(), 0);
    }
    final List<Worker> all = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong buffered = new AtomicLong();
    final AtomicLong peak = new AtomicLong();
    final int helpers = Math.min(threads, nTasks) - 1;
    // One future per task, in task order (a typed array of futures, without a generic array).
    final AtomicReferenceArray<CompletableFuture<ItemsetBuffer>> results =
        new AtomicReferenceArray<>(nTasks);
    for (int t = 0; t < nTasks; t++) {
      results.set(t, new CompletableFuture<>());
    }
    final AtomicInteger next = new AtomicInteger();
    final AtomicBoolean cancelled = new AtomicBoolean();
    // Helpers join only once the job has run for SPAWN_AFTER_NANOS: a job of a millisecond or
    // two is done sooner on the calling thread alone than a parked thread can be woken (on a
    // loaded machine, a scheduler quantum), and the output is the same either way. In a cold
    // JVM, after COLD_SPAWN_AFTER_NANOS (see the class comment). Unless that moment has passed
    // already, they are handed to the pool at once and wait for it themselves, so they join
    // while the calling thread is still inside its first task (the largest, often); the calling
    // thread wakes those still waiting when the job is over.
    final long spawnAt = start + spawnDelayNanos();
    final boolean late = System.nanoTime() - spawnAt >= 0;
    final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
    final Runnable helper =
        () -> {
          if (!late) {
            Thread me = Thread.currentThread();
            waiting.add(me);
            long wait;
            while (!cancelled.get() && (wait = spawnAt - System.nanoTime()) > 0) {
              LockSupport.parkNanos(wait);
            }
            waiting.remove(me);
            if (cancelled.get()) {
              return;
            }
            helpersStarted.incrementAndGet();
          }
          Worker w = workers.get();
          all.add(w);
          int t;
          while (!cancelled.get() && (t = next.getAndIncrement()) < nTasks) {
            try {
              ItemsetBuffer buf = new ItemsetBuffer();
              w.mine(t, buf);
              peak.accumulateAndGet(buffered.addAndGet(buf.bytes()), Math::max);
              results.get(t).complete(buf);
            } catch (Throwable e) {
              results.get(t).completeExceptionally(e);
              cancelled.set(true);
            }
          }
        };
    try {
      for (int k = 0; k < helpers; k++) {
        HELPERS.execute(helper);
      }
      if (late) {
        helpersStarted.addAndGet(helpers);
      }
      Worker own = workers.get();
      all.add(own);
      long total = 0;
      int deliver = 0;
      while (deliver < nTasks) {
        CompletableFuture<ItemsetBuffer> head = results.get(deliver);
        if (head.isDone()) {
          total += replay(join(head), sink, buffered);
          results.set(deliver++, null); // let the buffer go once delivered
          continue;
        }
        int t = next.getAndIncrement();
        if (t >= nTasks) {
          total += replay(join(head), sink, buffered);
          results.set(deliver++, null);
        } else if (t == deliver) {
          total += own.mine(t, sink);
          results.set(deliver++, null);
        } else {
          ItemsetBuffer buf = new ItemsetBuffer();
          own.mine(t, buf);
          peak.accumulateAndGet(buffered.addAndGet(buf.bytes()), Math::max);
          results.get(t).complete(buf);
        }
      }
      long scratch = 0;
      synchronized (all) {
        for (Worker w : all) {
          scratch += w.ramBytesUsed();
        }
      }
      return new Outcome(total, scratch, peak.get());
    } finally {
      // Helpers still mining (after a failure) stop at their next task boundary; those still
      // waiting to join leave now.
      cancelled.set(true);
      for (Thread th : waiting) {
        LockSupport.unpark(th);
      }
    }
  }

  /** {@link #runShared} when {@code shared} (top-k), else {@link #run}. */
  static Outcome runIn(
      boolean shared,
      int nTasks,
      int threads,
      Supplier<? extends Worker> workers,
      ItemsetSink sink) {
    return shared ? runShared(nTasks, threads, workers, sink) : run(nTasks, threads, workers, sink);
  }

  /**
   * Runs the tasks on up to {@code threads} threads, each mining straight into {@code sink}, which
   * must be thread-safe and indifferent to order (top-k: its result depends only on the set of
   * itemsets offered). Nothing is buffered, so what one task finds (a rising threshold) helps the
   * others at once.
   */
  static Outcome runShared(
      int nTasks, int threads, Supplier<? extends Worker> workers, ItemsetSink sink) {
    if (threads <= 1 || nTasks <= 1) {
      return run(nTasks, 1, workers, sink);
    }
    final AtomicInteger next = new AtomicInteger();
    final AtomicLong total = new AtomicLong();
    final AtomicLong scratch = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();
    final int helpers = Math.min(threads, nTasks) - 1;
    final List<CompletableFuture<Void>> done = new ArrayList<>();
    final Runnable miner =
        () -> {
          Worker w = workers.get();
          int t;
          try {
            while (!cancelled.get() && (t = next.getAndIncrement()) < nTasks) {
              total.addAndGet(w.mine(t, sink));
            }
          } catch (RuntimeException | Error e) {
            cancelled.set(true);
            throw e;
          } finally {
            scratch.addAndGet(w.ramBytesUsed());
          }
        };
    for (int k = 0; k < helpers; k++) {
      done.add(CompletableFuture.runAsync(miner, HELPERS));
    }
    try {
      miner.run();
      for (CompletableFuture<Void> f : done) {
        join(f);
      }
    } finally {
      cancelled.set(true);
    }
    return new Outcome(total.get(), scratch.get(), 0);
  }

  private static long replay(
      ItemsetBuffer buf, ItemsetSink sink, java.util.concurrent.atomic.AtomicLong buffered) {
    long bytes = buf.bytes();
    long n = buf.replay(sink);
    buffered.addAndGet(-bytes);
    return n;
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw e;
    }
  }

  /**
   * Itemsets held until they can be delivered in order: records {@code [length, count, items…]}
   * appended to int chunks that start small (most tasks yield few itemsets) and double up to {@link
   * #MAX_CHUNK}, so growing never copies.
   */
  static final class ItemsetBuffer implements ItemsetSink {
    private static final int FIRST_CHUNK = 64;
    private static final int MAX_CHUNK = 1 << 16;
    private final List<int[]> chunks = new ArrayList<>();
    private int[] chunk;
    private int fill;

    @Override
    public void accept(int[] src, int length, long count) {
      assert count <= Integer.MAX_VALUE : "count=" + count;
      int need = length + 2;
      if (chunk == null || fill + need > chunk.length) {
        int size = chunk == null ? FIRST_CHUNK : Math.min(MAX_CHUNK, chunk.length * 2);
        chunk = new int[Math.max(size, need)];
        chunks.add(chunk);
        fill = 0;
      }
      final int[] c = chunk;
      c[fill] = length;
      c[fill + 1] = (int) count;
      System.arraycopy(src, 0, c, fill + 2, length);
      fill += need;
      if (fill < c.length) {
        c[fill] = 0; // end marker: a record has length >= 1
      }
    }

    long bytes() {
      long b = RamUsage.SMALL_OBJECT;
      for (int[] c : chunks) {
        b += RamUsage.sizeOf(c);
      }
      return b;
    }

    long replay(ItemsetSink sink) {
      int[] buf = new int[64];
      long n = 0;
      for (int[] c : chunks) {
        int pos = 0;
        while (pos < c.length && c[pos] != 0) {
          int len = c[pos];
          if (len > buf.length) {
            buf = new int[len];
          }
          System.arraycopy(c, pos + 2, buf, 0, len);
          sink.accept(buf, len, c[pos + 1]);
          pos += len + 2;
          n++;
        }
      }
      chunks.clear();
      return n;
    }
  }
}
