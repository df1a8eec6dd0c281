package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.MineSequences.METRICS_NAMESPACE;

import io.rusket.beam.miner.SequenceDb;
import io.rusket.beam.miner.SequenceMiner;
import io.rusket.beam.miner.SequenceSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link MineSequences}' "MineEachGroup": assembles one group's sequences from its {@link
 * SequenceEvents} and mines them with {@link SequenceMiner}, emitting a Row per frequent pattern as
 * the miner finds it.
 */
final class MineEachSequenceGroupFn extends DoFn<KV<Row, SequenceEvents>, Row> {
  private static final long serialVersionUID = 1L;

  private final Counter groupsMined = Metrics.counter(METRICS_NAMESPACE, "groupsMined");
  private final Counter sequences = Metrics.counter(METRICS_NAMESPACE, "sequences");
  private final Counter patternsEmitted = Metrics.counter(METRICS_NAMESPACE, "patternsEmitted");
  private final Distribution miningMillis = Metrics.distribution(METRICS_NAMESPACE, "miningMillis");

  private final Schema outSchema;
  private final boolean grouped;
  private final double minSupport; // NaN: minCount
  private final long minCount;
  private final int maxPatternLength;
  private final @Nullable Integer maxGap;
  private final boolean singleItemSteps;
  private final int threads;

  private transient @Nullable SequenceMiner miner;

  MineEachSequenceGroupFn(
      Schema outSchema,
      boolean grouped,
      double minSupport,
      long minCount,
      int maxPatternLength,
      @Nullable Integer maxGap,
      boolean singleItemSteps,
      int threads) {
    this.outSchema = outSchema;
    this.grouped = grouped;
    this.minSupport = minSupport;
    this.minCount = minCount;
    this.maxPatternLength = maxPatternLength;
    this.maxGap = maxGap;
    this.singleItemSteps = singleItemSteps;
    this.threads = threads;
  }

  @Setup
  public void setup() {
    SequenceMiner m =
        (Double.isNaN(minSupport)
                ? SequenceMiner.minCount(minCount)
                : SequenceMiner.minSupport(minSupport))
            .withMaxPatternLength(maxPatternLength)
            .withThreads(threads);
    miner = maxGap == null ? m : m.withMaxGap(maxGap);
  }

  @ProcessElement
  public void processElement(@Element KV<Row, SequenceEvents> e, OutputReceiver<Row> out) {
    long start = System.nanoTime();
    SequenceDb db = e.getValue().toSequenceDb(singleItemSteps);
    Object group = grouped ? e.getKey().getValue(0) : null;
    long emitted = mineGroup(group, db, miner, outSchema, out::output);
    miningMillis.update((System.nanoTime() - start) / 1_000_000);
    groupsMined.inc();
    sequences.inc(db.size());
    patternsEmitted.inc(emitted);
  }

  /** Mines one group's database, handing {@code out} a Row per pattern; returns their number. */
  static long mineGroup(
      @Nullable Object group,
      SequenceDb db,
      SequenceMiner miner,
      Schema outSchema,
      java.util.function.Consumer<Row> out) {
    final String[] names = db.itemNames();
    final Long n = (long) db.size();
    final double nDouble = db.size();
    SequenceSink sink =
        (tokens, length, count) -> {
          List<List<String>> steps = new ArrayList<>();
          List<String> step = new ArrayList<>();
          for (int k = 0; k < length; k++) {
            if (tokens[k] == SequenceSink.STEP_END) {
              steps.add(step);
              step = new ArrayList<>();
            } else {
              step.add(names[tokens[k]]);
            }
          }
          steps.add(step);
          Object[] values =
              group == null
                  ? new Object[] {count / nDouble, count, n, steps}
                  : new Object[] {group, count / nDouble, count, n, steps};
          out.accept(Row.withSchema(outSchema).attachValues(Arrays.asList(values)));
        };
    return miner.mine(db, sink);
  }
}
