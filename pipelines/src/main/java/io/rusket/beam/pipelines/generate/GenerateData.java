package io.rusket.beam.pipelines.generate;

import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
 *       INT64, item_id INT32}, plus {@code item STRING} with {@link Config#withItemNameColumn};
 *       rows by store, transaction, item id; transaction ids are 1..N over all stores;
 *   <li>{@code items.*}: the item table {@code item_id INT32, item STRING}.
 * </ul>
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * Dataset data = GenerateData.generate(
 *     Config.of(42).withStores(50).withTransactions(2_000_000).withItems(500));
 * GenerateData.write(data, Path.of("/tmp/retail"), EnumSet.of(Layout.EVENTS, Layout.ITEMS),
 *     EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW));
 * // or, from the command line: java -jar rusket-beam.jar generate --output=/tmp/retail ...
 * }</pre>
 *
 * <p><b>Memory and speed.</b> The data is generated in memory as compact arrays (about 4 bytes per
 * event and 8 per transaction), then streamed to the files: 10M events take a few seconds to
 * generate and to write as Arrow; Parquet (through Avro records) is slower. One-hot files have one
 * column per item: keep {@code items} modest (hundreds) for them.
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
    Schema.Builder b =
        Schema.builder()
            .addStringField("store_id")
            .addInt64Field("transaction_id")
            .addInt32Field("item_id");
    if (itemNameColumn) {
      b.addStringField("item");
    }
    return b.build();
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
}
