package io.rusket.beam.bench;

import io.rusket.beam.miner.TransactionDb;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.ml.fpm.FPGrowth;
import org.apache.spark.ml.fpm.FPGrowthModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark MLlib 3.5 {@code org.apache.spark.ml.fpm.FPGrowth} on {@code local[2]}, one SparkSession
 * for the whole run. Input: a DataFrame with one {@code array<int>} column of de-duplicated
 * baskets, in 2 partitions, cached and materialised before any timing. Time = {@code fit} plus
 * {@code freqItemsets().count()}. The warm-up instead streams every itemset to the driver ({@code
 * toLocalIterator}) to fingerprint it.
 */
final class SparkPeer implements Peer {
  static final String MASTER = "local[2]";

  private final SparkSession spark;

  SparkPeer() {
    spark =
        SparkSession.builder()
            .master(MASTER)
            .appName("rusket-benchmark")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public Loaded load(TransactionDb db, long[] itemKeys) {
    List<Row> rows = new ArrayList<>(db.size());
    for (int t = 0; t < db.size(); t++) {
      int[] tx = db.transaction(t);
      List<Integer> items = new ArrayList<>(tx.length);
      for (int item : tx) {
        items.add(item);
      }
      rows.add(RowFactory.create(items));
    }
    StructType schema =
        new StructType()
            .add("items", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
    Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2).cache();
    long n = df.count();
    if (n != db.size()) {
      throw new IllegalStateException("Spark DataFrame has " + n + " rows, expected " + db.size());
    }
    return new Loaded() {
      private FPGrowthModel fit(double minSupport) {
        return new FPGrowth().setItemsCol("items").setMinSupport(minSupport).fit(df);
      }

      @Override
      public Measured.Run timed(double minSupport, long minCount) {
        return () -> Outcome.countOnly(fit(minSupport).freqItemsets().count());
      }

      @Override
      public Measured.Run withChecksum(double minSupport, long minCount) {
        return () -> {
          Fingerprint f = new Fingerprint(itemKeys);
          int[] buf = new int[64];
          Iterator<Row> it = fit(minSupport).freqItemsets().toLocalIterator();
          while (it.hasNext()) {
            Row r = it.next();
            List<Integer> items = r.getList(0);
            if (buf.length < items.size()) {
              buf = new int[items.size()];
            }
            for (int i = 0; i < items.size(); i++) {
              buf[i] = items.get(i);
            }
            f.accept(buf, items.size(), r.getLong(1));
          }
          return Outcome.of(f);
        };
      }

      @Override
      public void close() {
        df.unpersist(true);
      }
    };
  }

  @Override
  public void close() {
    spark.stop();
  }
}
