package io.rusket.beam.miner;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the first-level mining tasks {@code 0 .. nTasks-1} on several threads and delivers their
 * itemsets to the caller's sink from the calling thread, in task order, so the output is
 * identical to a sequential run.
 *
 * <p>Each worker thread takes the next task (dynamic scheduling, so uneven projections balance)
 * and writes its itemsets into a private {@link ItemsetBuffer}; the calling thread replays the
 * buffers in order as they complete. Memory: buffers of tasks that finish ahead of an earlier,
 * slower task wait until that task is delivered.
 */
final class OrderedTasks {
  /** One mining worker, owning its scratch memory; used by one thread at a time. */
  interface Worker {
    /** Mines task {@code task}, delivering its itemsets to {@code out}; returns their number. */
    long mine(int task, ItemsetSink out);
  }

  private OrderedTasks() {}

  static long run(int nTasks, int threads, Supplier<Worker> workers, ItemsetSink sink) {
    if (threads <= 1 || nTasks <= 1) {
      Worker w = workers.get();
      long total = 0;
      for (int t = 0; t < nTasks; t++) {
        total += w.mine(t, sink);
      }
      return total;
    }
    int nThreads = Math.min(threads, nTasks);
    @SuppressWarnings("unchecked")
    CompletableFuture<ItemsetBuffer>[] results = new CompletableFuture[nTasks];
    for (int t = 0; t < nTasks; t++) {
      results[t] = new CompletableFuture<>();
    }
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicInteger threadNo = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            nThreads,
            r -> {
              Thread th = new Thread(r, "rusket-miner-" + threadNo.incrementAndGet());
              th.setDaemon(true);
              return th;
            });
    try {
      for (int k = 0; k < nThreads; k++) {
        pool.execute(
            () -> {
              Worker w = workers.get();
              int t;
              while (!cancelled.get() && (t = next.getAndIncrement()) < nTasks) {
                try {
                  ItemsetBuffer buf = new ItemsetBuffer();
                  w.mine(t, buf);
                  results[t].complete(buf);
                } catch (Throwable e) {
                  results[t].completeExceptionally(e);
                  cancelled.set(true);
                }
              }
            });
      }
      long total = 0;
      for (int t = 0; t < nTasks; t++) {
        ItemsetBuffer buf;
        try {
          buf = results[t].join();
        } catch (CompletionException e) {
          cancelled.set(true);
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
          }
          if (cause instanceof Error) {
            throw (Error) cause;
          }
          throw e;
        }
        results[t] = null; // let the buffer go once delivered
        total += buf.replay(sink);
      }
      return total;
    } catch (RuntimeException | Error e) {
      cancelled.set(true);
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Itemsets held in flat arrays until they can be delivered in order. */
  static final class ItemsetBuffer implements ItemsetSink {
    private int size;
    private int[] lengths = new int[32];
    private long[] counts = new long[32];
    private int[] items = new int[128];
    private int fill;

    @Override
    public void accept(int[] src, int length, long count) {
      if (size == lengths.length) {
        int cap = ArrayUtil.grow(size, size + 1L);
        lengths = java.util.Arrays.copyOf(lengths, cap);
        counts = java.util.Arrays.copyOf(counts, cap);
      }
      if (fill + length > items.length) {
        items = java.util.Arrays.copyOf(items, ArrayUtil.grow(items.length, (long) fill + length));
      }
      System.arraycopy(src, 0, items, fill, length);
      fill += length;
      lengths[size] = length;
      counts[size++] = count;
    }

    long replay(ItemsetSink sink) {
      int[] buf = new int[64];
      int pos = 0;
      for (int i = 0; i < size; i++) {
        int len = lengths[i];
        if (len > buf.length) {
          buf = new int[len];
        }
        System.arraycopy(items, pos, buf, 0, len);
        pos += len;
        sink.accept(buf, len, counts[i]);
      }
      return size;
    }
  }
}
