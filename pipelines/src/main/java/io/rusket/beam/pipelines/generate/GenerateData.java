package io.rusket.beam.pipelines.generate;

import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Deterministic synthetic retail data: stores of very different sizes, items of skewed popularity,
 * realistic basket sizes and co-occurring bundles (so that association rules exist), written as
 * one-hot receipts and as event logs in Parquet, Arrow IPC and CSV. A plain program, not a
 * pipeline; the same {@link Config} (seed included) gives the same rows and the same file bytes.
 * The model is {@code Generator}'s, the files {@code DatasetWriter}'s.
 *
 * <p><b>Model.</b> Store {@code k} (0-based) gets a share of the transactions proportional to
 * {@code 1 / (k + 1)^storeSkew} (Zipf: with the default 1.1 and 20 stores the largest is ~27× the
 * smallest). A basket holds {@code 1 + Poisson(meanBasketSize - 1)} distinct items; with
 * probability {@code bundleProbability} it starts with one of {@code bundles} fixed bundles of 2–3
 * popular items (bundle {@code b} chosen with weight {@code 1/(b+1)}), then is filled with items
 * drawn with weight {@code 1 / (rank + 1)^itemSkew} (item 0 the most popular). Items are named
 * after groceries ({@code bread}, {@code whole_milk}, ...; {@code item_0123} beyond the list);
 * names are valid column names.
 *
 * <p><b>Files</b> (under the output directory, for each format chosen: {@code .parquet}, {@code
 * .arrow}, {@code .csv}):
 *
 * <ul>
 *   <li>{@code receipts.*}: one-hot, one row per transaction: {@code store_id STRING | <item>
 *       BOOLEAN ...} (one column per item, in item-id order);
 *   <li>{@code events.*}: one row per (transaction, item): {@code store_id STRING, transaction_id
 *       INT64, item_id INT32}, plus {@code item STRING} with {@link Config#withItemNameColumn},
 *       then {@code quantity INT32, profit DOUBLE} with {@link Config#withUtilityColumns}; rows by
 *       store, transaction, item id; transaction ids are 1..N over all stores;
 *   <li>{@code items.*}: the item table {@code item_id INT32, item STRING};
 *   <li>{@code sequences.*} (only when chosen): customers' time-ordered visits, one row per (visit,
 *       item): {@code store_id STRING, customer_id INT64, day INT64, item_id INT32, item STRING},
 *       {@code transactions} being the number of visits ({@link SequenceGenerator}).
 * </ul>
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // any size: generated while written, in bounded memory
 * GenerateData.Written w = GenerateData.write(
 *     Config.of(42).withStores(200).withTransactions(22_727_273).withItems(2_600),
 *     Path.of("/tmp/retail"), EnumSet.of(Layout.EVENTS),
 *     EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW));
 * // small data, also as arrays in memory
 * Dataset data = GenerateData.generate(
 *     Config.of(42).withStores(50).withTransactions(2_000_000).withItems(500));
 * GenerateData.write(data, Path.of("/tmp/retail"), EnumSet.of(Layout.EVENTS, Layout.ITEMS),
 *     EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW));
 * // or, from the command line: java -jar rusket-beam.jar generate --output=/tmp/retail ...
 * }</pre>
 *
 * <p><b>Memory and speed.</b> {@link #write(Config, Path, Set, Set)} draws the transactions in
 * chunks while it writes them and holds only a few chunks, the model (store sizes, item weights)
 * and one writer per file (a Parquet row group, an Arrow batch): the number of events does not
 * change its footprint, and every file is written on a thread of its own, so Parquet and Arrow are
 * written side by side. {@link #generate} holds the data as compact arrays (about 4 bytes per event
 * and 8 per transaction), for tests and small data; both give the same transactions and the same
 * file bytes. One-hot files have one column per item: keep {@code items} modest (hundreds) for
 * them.
 */
public final class GenerateData {
  private GenerateData() {}

  /**
   * Generates the data of {@code config} in memory.
   *
   * @throws IllegalArgumentException if there are fewer transactions than stores
   */
  public static Dataset generate(Config config) {
    return Generator.generate(config);
  }

  /** The Beam schema of the event log. */
  public static Schema eventsSchema(boolean itemNameColumn) {
    return eventsSchema(itemNameColumn, false);
  }

  /**
   * The Beam schema of the event log; with {@code utilityColumns} also {@code quantity INT32} and
   * {@code profit DOUBLE} at the end.
   */
  public static Schema eventsSchema(boolean itemNameColumn, boolean utilityColumns) {
    Schema.Builder b =
        Schema.builder()
            .addStringField("store_id")
            .addInt64Field("transaction_id")
            .addInt32Field("item_id");
    if (itemNameColumn) {
      b.addStringField("item");
    }
    if (utilityColumns) {
      b.addInt32Field(QUANTITY).addDoubleField(PROFIT);
    }
    return b.build();
  }

  /** The event log's quantity column (with {@link Config#withUtilityColumns}). */
  public static final String QUANTITY = "quantity";

  /** The event log's profit column (with {@link Config#withUtilityColumns}). */
  public static final String PROFIT = "profit";

  /**
   * The quantity of {@code item} in transaction {@code txnId} with {@link
   * Config#withUtilityColumns}: 1 to 8, mostly 1 (a hash of the seed, the transaction and the item,
   * so the transactions drawn do not change).
   */
  public static int quantity(long seed, long txnId, int item) {
    long h = mix(seed * 0x9E3779B97F4A7C15L + txnId * 0xC2B2AE3D27D4EB4FL + item);
    int r = (int) ((h >>> 40) % 100);
    return r < 60 ? 1 : r < 85 ? 2 : r < 95 ? 3 : 4 + (int) ((h >>> 20) & 3) + (r >= 99 ? 1 : 0);
  }

  /**
   * The unit margin of {@code item} in cents with {@link Config#withUtilityColumns}: log-uniform in
   * [5, 5000] (5 cents to 50.00), a hash of the seed and the item.
   */
  public static long marginCents(long seed, int item) {
    long h = mix(seed ^ (0x632BE59BD9B4E019L * (item + 1L)));
    double u = (h >>> 11) * 0x1.0p-53;
    return Math.round(5 * Math.pow(1000, u));
  }

  /** {@code quantity × marginCents}: the event's profit in cents. */
  public static long profitCents(long seed, long txnId, int item) {
    return quantity(seed, txnId, item) * marginCents(seed, item);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The Beam schema of the one-hot receipts: store_id, then one BOOLEAN per item. */
  public static Schema receiptsSchema(String[] itemNames) {
    Schema.Builder b = Schema.builder().addStringField("store_id");
    for (String name : itemNames) {
      b.addBooleanField(name);
    }
    return b.build();
  }

  /** The Beam schema of the item table. */
  public static Schema itemsSchema() {
    return Schema.builder().addInt32Field("item_id").addStringField("item").build();
  }

  /**
   * Writes the chosen layouts in the chosen formats under {@code dir} (created if needed; files
   * replaced), as {@code receipts|events|items.parquet|arrow|csv}.
   *
   * @return the files written
   */
  public static List<Path> write(
      Dataset data, Path dir, Set<Layout> layouts, Set<InputFormat> formats) throws IOException {
    return DatasetWriter.write(data, dir, layouts, formats);
  }

  /**
   * Generates the data of {@code config} while writing it: the chosen layouts in the chosen formats
   * under {@code dir} (created if needed; files replaced), as {@code
   * receipts|events|items.parquet|arrow|csv}, the same bytes as {@link #write(Dataset, Path, Set,
   * Set)} of {@link #generate}{@code (config)}, in memory bounded whatever the size.
   *
   * @return the files written, the counts and the time taken
   * @throws IllegalArgumentException if there are fewer transactions than stores
   */
  public static Written write(
      Config config, Path dir, Set<Layout> layouts, Set<InputFormat> formats) throws IOException {
    DatasetWriter.Result r = DatasetWriter.write(config, dir, layouts, formats);
    long generate = TimeUnit.NANOSECONDS.toMillis(r.generateNanos());
    long total = TimeUnit.NANOSECONDS.toMillis(r.totalNanos());
    return new Written(r.files(), r.transactions(), r.events(), generate, total - generate);
  }

  /**
   * What {@link #write(Config, Path, Set, Set)} did.
   *
   * @param files the files written, by layout then format
   * @param transactions transactions generated
   * @param events (transaction, item) events generated
   * @param generateMillis time spent drawing the data (on the generating thread)
   * @param writeMillis the rest of the wall time: encoding and writing the files, beyond what ran
   *     alongside the drawing
   */
  public record Written(
      List<Path> files, long transactions, long events, long generateMillis, long writeMillis) {
    /** Copies the list of files. */
    public Written {
      files = List.copyOf(files);
    }
  }
}
