package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.MineUtility.METRICS_NAMESPACE;

import io.rusket.beam.miner.UtilityDb;
import io.rusket.beam.miner.UtilityMiner;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Mines one group's {@link UtilityEvents} with EFIM and emits a Row per high-utility itemset as the
 * miner finds it: {@code [group |] utility | count | support | itemsets}.
 */
final class MineUtilityEachGroupFn extends DoFn<KV<Row, UtilityEvents>, Row> {
  private final Counter groupsMined = Metrics.counter(METRICS_NAMESPACE, "groupsMined");
  private final Counter transactions = Metrics.counter(METRICS_NAMESPACE, "transactions");
  private final Counter itemsetsEmitted = Metrics.counter(METRICS_NAMESPACE, "itemsetsEmitted");
  private final Distribution miningMillis = Metrics.distribution(METRICS_NAMESPACE, "miningMillis");

  private final Schema outSchema;
  private final boolean withGroup;
  private final UtilityMiner miner;

  MineUtilityEachGroupFn(Schema outSchema, boolean withGroup, UtilityMiner miner) {
    this.outSchema = outSchema;
    this.withGroup = withGroup;
    this.miner = miner;
  }

  @ProcessElement
  public void processElement(@Element KV<Row, UtilityEvents> e, OutputReceiver<Row> out) {
    long start = System.nanoTime();
    Object group = e.getKey().getValue(0);
    UtilityDb db;
    try {
      db = e.getValue().toDb();
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(
          "MineUtility: group " + (withGroup ? group : "(all rows)") + ": " + ex.getMessage(), ex);
    }
    long emitted = mineGroup(withGroup ? group : null, db, miner, outSchema, out::output);
    miningMillis.update((System.nanoTime() - start) / 1_000_000);
    groupsMined.inc();
    transactions.inc(db.nTransactions());
    itemsetsEmitted.inc(emitted);
  }

  /**
   * Mines {@code db} and hands {@code out} a Row per high-utility itemset (items in ascending key
   * order), never collecting them; {@code group} null for the global form. Returns the count.
   */
  static long mineGroup(
      Object group, UtilityDb db, UtilityMiner miner, Schema outSchema, Consumer<Row> out) {
    final double n = db.nTransactions();
    final long[] emitted = {0};
    final int[] buf = new int[Math.max(1, db.nItems())];
    miner.mine(
        db,
        (items, length, utilityFixed, count) -> {
          System.arraycopy(items, 0, buf, 0, length);
          Arrays.sort(buf, 0, length);
          String[] names = new String[length];
          for (int k = 0; k < length; k++) {
            names[k] = db.itemName(buf[k]);
          }
          Row.Builder r = Row.withSchema(outSchema);
          if (group != null) {
            r.addValue(group);
          }
          out.accept(
              r.addValues(UtilityDb.fromFixed(utilityFixed), count, count / n, Arrays.asList(names))
                  .build());
          emitted[0]++;
        });
    return emitted[0];
  }
}
