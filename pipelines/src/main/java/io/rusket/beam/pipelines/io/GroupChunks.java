package io.rusket.beam.pipelines.io;

import io.rusket.beam.transforms.BundleAccumulators;
import io.rusket.beam.transforms.MineGrouped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the columnar grouped readers ({@link ArrowGroups}, {@link ParquetGroups}) share: the group
 * index of a chunk (each row's group as an index into the chunk's distinct group values, looked up
 * once per run of equal values, so without boxing per row when rows come clustered by group, as
 * files usually are) and the DoFn base that holds the per-group accumulators of a bundle under one
 * byte budget ({@link BundleAccumulators}) and sends on the largest when it is passed.
 */
final class GroupChunks {
  private GroupChunks() {}

  /** True for a group, transaction or item column type the columnar readers take. */
  static boolean isKeyType(TypeName t) {
    return t == TypeName.STRING || isInteger(t);
  }

  static boolean isInteger(TypeName t) {
    return t == TypeName.BYTE || t == TypeName.INT16 || t == TypeName.INT32 || t == TypeName.INT64;
  }

  /** The group value of integer key {@code v} as a Row field of type {@code t} holds it. */
  static Object groupValue(long v, TypeName t) {
    switch (t) {
      case BYTE:
        return (byte) v;
      case INT16:
        return (short) v;
      case INT32:
        return (int) v;
      case INT64:
        return v;
      default:
        throw new IllegalArgumentException("Not an integer group type: " + t);
    }
  }

  /** Each row's group in a chunk, as an index into the chunk's distinct group values. */
  static final class GroupIndex {
    private final TypeName type;
    private final Map<Object, Integer> index = new HashMap<>();
    private final List<Object> values = new ArrayList<>();
    private int[] ofRow = new int[0];

    GroupIndex(TypeName type) {
      this.type = type;
    }

    /** Indexes integer group keys {@code keys[0, n)}; returns the distinct group values. */
    Object[] indexLongs(long[] keys, int n) {
      start(n);
      long prev = 0;
      int prevIdx = -1;
      for (int r = 0; r < n; r++) {
        long k = keys[r];
        if (prevIdx < 0 || k != prev) {
          prevIdx = lookup(groupValue(k, type));
          prev = k;
        }
        ofRow[r] = prevIdx;
      }
      return values.toArray();
    }

    /** Indexes string group keys {@code keys[0, n)} (none null); returns the distinct values. */
    Object[] indexStrings(String[] keys, int n) {
      start(n);
      String prev = null;
      int prevIdx = -1;
      for (int r = 0; r < n; r++) {
        String k = keys[r];
        if (prevIdx < 0 || (k != prev && !k.equals(prev))) {
          prevIdx = lookup(k);
          prev = k;
        }
        ofRow[r] = prevIdx;
      }
      return values.toArray();
    }

    /** Row → index into the values returned by the last index call. */
    int[] ofRow() {
      return ofRow;
    }

    private void start(int n) {
      index.clear();
      values.clear();
      if (ofRow.length < n) {
        ofRow = new int[n];
      }
    }

    private int lookup(Object value) {
      Integer i = index.get(value);
      if (i == null) {
        i = values.size();
        values.add(value);
        index.put(value, i);
      }
      return i;
    }
  }

  /**
   * A DoFn that adds chunks to per-group accumulators under one byte budget per bundle (on Spark a
   * bundle is a whole partition) and outputs them as {@code KV<group Row, A>}: the largest,
   * compact, whenever the budget is passed, the rest at the end of the bundle. Metrics as {@link
   * MineGrouped}'s own pre-combining step: {@code bundleFlushes}, {@code bundleBytes}.
   */
  abstract static class AccumulateFn<InputT, A> extends DoFn<InputT, KV<Row, A>> {
    private static final long serialVersionUID = 1L;
    private final Counter bundleFlushes;
    private final Distribution bundleBytes;
    final Schema keySchema;
    final long maxBundleBytes;
    transient @Nullable BundleAccumulators<A> pending;
    private transient long peakBytes;

    /** With the metrics in {@link MineGrouped}'s namespace. */
    AccumulateFn(Schema keySchema, long maxBundleBytes) {
      this(keySchema, maxBundleBytes, MineGrouped.METRICS_NAMESPACE);
    }

    /** With the metrics in {@code metricsNamespace} (that of the transform the reader feeds). */
    AccumulateFn(Schema keySchema, long maxBundleBytes, String metricsNamespace) {
      this.keySchema = keySchema;
      this.maxBundleBytes = maxBundleBytes;
      this.bundleFlushes = Metrics.counter(metricsNamespace, "bundleFlushes");
      this.bundleBytes = Metrics.distribution(metricsNamespace, "bundleBytes");
    }

    /** Empty accumulators for one bundle. */
    abstract BundleAccumulators<A> newPending();

    /** A compact equivalent of {@code a}, to be sent on. */
    abstract A compact(A a);

    @StartBundle
    public void startBundle() {
      pending = newPending();
      peakBytes = 0;
    }

    /** After a chunk was added: sends on the largest accumulators if {@code over} the budget. */
    final void afterChunk(boolean over, OutputReceiver<KV<Row, A>> out) {
      peakBytes = Math.max(peakBytes, pending.totalBytes());
      if (over) {
        bundleBytes.update(peakBytes);
        for (BundleAccumulators.Entry<A> e : pending.takeLargest()) {
          out.output(kv(e));
          bundleFlushes.inc();
        }
        peakBytes = pending.totalBytes();
      }
    }

    private KV<Row, A> kv(BundleAccumulators.Entry<A> e) {
      return KV.of(Row.withSchema(keySchema).attachValues(e.group()), compact(e.accumulator()));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      if (pending.size() > 0) {
        bundleBytes.update(peakBytes);
      }
      for (BundleAccumulators.Entry<A> e : pending.takeAll()) {
        c.output(kv(e), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
      pending = null;
    }
  }
}
