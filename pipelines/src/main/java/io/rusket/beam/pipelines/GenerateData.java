package io.rusket.beam.pipelines;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Deterministic synthetic retail data: stores of very different sizes, items of skewed popularity,
 * realistic basket sizes and co-occurring bundles (so that association rules exist), written as
 * one-hot receipts and as event logs in Parquet, Arrow IPC and CSV. A plain program, not a
 * pipeline; the same {@link Config} (seed included) gives the same rows and the same file bytes.
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
 * GenerateData.Dataset data = GenerateData.generate(
 *     GenerateData.Config.of(42).withStores(50).withTransactions(2_000_000).withItems(500));
 * GenerateData.write(data, Path.of("/tmp/retail"), EnumSet.of(Layout.EVENTS, Layout.ITEMS),
 *     EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW));
 * // or: java ... io.rusket.beam.pipelines.GenerateData --output=/tmp/retail --seed=42 \
 * //         --stores=50 --transactions=2000000 --items=500 --layouts=events,items --formats=parquet
 * }</pre>
 *
 * <p><b>Memory and speed.</b> The data is generated in memory as compact arrays (about 4 bytes per
 * event and 8 per transaction), then streamed to the files: 10M events take a few seconds to
 * generate and to write as Arrow; Parquet (through Avro records) is slower. One-hot files have one
 * column per item: keep {@code items} modest (hundreds) for them.
 */
public final class GenerateData {
  private GenerateData() {}

  /** What to write. */
  public enum Layout {
    /** One-hot receipts. */
    RECEIPTS,
    /** Event log. */
    EVENTS,
    /** Item table. */
    ITEMS
  }

  /** Generation settings; immutable, {@code withX} returns a copy. */
  public static final class Config {
    /** Defaults: 20 stores, 100,000 transactions, 200 items. */
    public static final int DEFAULT_STORES = 20;

    public static final long DEFAULT_TRANSACTIONS = 100_000;
    public static final int DEFAULT_ITEMS = 200;
    public static final double DEFAULT_MEAN_BASKET_SIZE = 4.4;
    public static final double DEFAULT_STORE_SKEW = 1.1;
    public static final double DEFAULT_ITEM_SKEW = 1.0;
    public static final int DEFAULT_BUNDLES = 12;
    public static final double DEFAULT_BUNDLE_PROBABILITY = 0.3;

    final long seed;
    final int stores;
    final long transactions;
    final int items;
    final double meanBasketSize;
    final double storeSkew;
    final double itemSkew;
    final int bundles;
    final double bundleProbability;
    final boolean itemNameColumn;

    private Config(
        long seed,
        int stores,
        long transactions,
        int items,
        double meanBasketSize,
        double storeSkew,
        double itemSkew,
        int bundles,
        double bundleProbability,
        boolean itemNameColumn) {
      this.seed = seed;
      this.stores = stores;
      this.transactions = transactions;
      this.items = items;
      this.meanBasketSize = meanBasketSize;
      this.storeSkew = storeSkew;
      this.itemSkew = itemSkew;
      this.bundles = bundles;
      this.bundleProbability = bundleProbability;
      this.itemNameColumn = itemNameColumn;
    }

    /** The defaults with this seed. */
    public static Config of(long seed) {
      return new Config(
          seed,
          DEFAULT_STORES,
          DEFAULT_TRANSACTIONS,
          DEFAULT_ITEMS,
          DEFAULT_MEAN_BASKET_SIZE,
          DEFAULT_STORE_SKEW,
          DEFAULT_ITEM_SKEW,
          DEFAULT_BUNDLES,
          DEFAULT_BUNDLE_PROBABILITY,
          false);
    }

    private static void check(boolean ok, String name, Object value, String range) {
      if (!ok) {
        throw new IllegalArgumentException(
            "Invalid " + name + ": " + value + ". Valid range is " + range + ".");
      }
    }

    /** Number of stores, in [1, 1,000,000]. */
    public Config withStores(int stores) {
      check(stores >= 1 && stores <= 1_000_000, "stores", stores, "[1, 1000000]");
      return new Config(
          seed,
          stores,
          transactions,
          items,
          meanBasketSize,
          storeSkew,
          itemSkew,
          bundles,
          bundleProbability,
          itemNameColumn);
    }

    /** Total transactions over all stores, at least the number of stores (each has one). */
    public Config withTransactions(long transactions) {
      check(
          transactions >= stores && transactions <= Integer.MAX_VALUE,
          "transactions",
          transactions,
          "[stores=" + stores + ", " + Integer.MAX_VALUE + "]");
      return new Config(
          seed,
          stores,
          transactions,
          items,
          meanBasketSize,
          storeSkew,
          itemSkew,
          bundles,
          bundleProbability,
          itemNameColumn);
    }

    /** Number of distinct items, in [4, 1,000,000]. */
    public Config withItems(int items) {
      check(items >= 4 && items <= 1_000_000, "items", items, "[4, 1000000]");
      return new Config(
          seed,
          stores,
          transactions,
          items,
          meanBasketSize,
          storeSkew,
          itemSkew,
          bundles,
          bundleProbability,
          itemNameColumn);
    }

    /** Mean number of distinct items per basket, in [1, items / 2]. */
    public Config withMeanBasketSize(double mean) {
      check(
          mean >= 1 && mean <= items / 2.0,
          "meanBasketSize",
          mean,
          "[1, items/2=" + items / 2.0 + "]");
      return new Config(
          seed,
          stores,
          transactions,
          items,
          mean,
          storeSkew,
          itemSkew,
          bundles,
          bundleProbability,
          itemNameColumn);
    }

    /** Zipf exponent of the store sizes, in [0, 5] (0: equal sizes). */
    public Config withStoreSkew(double skew) {
      check(skew >= 0 && skew <= 5, "storeSkew", skew, "[0, 5]");
      return new Config(
          seed,
          stores,
          transactions,
          items,
          meanBasketSize,
          skew,
          itemSkew,
          bundles,
          bundleProbability,
          itemNameColumn);
    }

    /** Zipf exponent of the item popularity, in [0, 5] (0: uniform). */
    public Config withItemSkew(double skew) {
      check(skew >= 0 && skew <= 5, "itemSkew", skew, "[0, 5]");
      return new Config(
          seed,
          stores,
          transactions,
          items,
          meanBasketSize,
          storeSkew,
          skew,
          bundles,
          bundleProbability,
          itemNameColumn);
    }

    /** Number of bundles and the probability that a basket holds one, in [0, 1000] and [0, 1]. */
    public Config withBundles(int bundles, double probability) {
      check(bundles >= 0 && bundles <= 1000, "bundles", bundles, "[0, 1000]");
      check(probability >= 0 && probability <= 1, "bundleProbability", probability, "[0, 1]");
      return new Config(
          seed,
          stores,
          transactions,
          items,
          meanBasketSize,
          storeSkew,
          itemSkew,
          bundles,
          probability,
          itemNameColumn);
    }

    /** Whether the event log also carries the item name ({@code item STRING}); default false. */
    public Config withItemNameColumn(boolean on) {
      return new Config(
          seed,
          stores,
          transactions,
          items,
          meanBasketSize,
          storeSkew,
          itemSkew,
          bundles,
          bundleProbability,
          on);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "seed=%d stores=%d transactions=%d items=%d meanBasketSize=%s storeSkew=%s itemSkew=%s"
              + " bundles=%d bundleProbability=%s itemNameColumn=%s",
          seed,
          stores,
          transactions,
          items,
          meanBasketSize,
          storeSkew,
          itemSkew,
          bundles,
          bundleProbability,
          itemNameColumn);
    }
  }

  /**
   * Generated data, as compact arrays: transaction {@code t} (id {@code t + 1}) belongs to store
   * {@code store[t]} and holds the items {@code items[offsets[t] .. offsets[t+1])}, distinct and
   * ascending. Transactions are ordered by store.
   */
  public static final class Dataset {
    public final Config config;

    /** Store ids: "S001", "S002", ... (S001 the largest). */
    public final String[] storeIds;

    /** Item names by item id. */
    public final String[] itemNames;

    /** Store index of each transaction. */
    public final int[] store;

    /** CSR offsets, length transactions + 1. */
    public final int[] offsets;

    /** Item ids, CSR. */
    public final int[] items;

    /** The bundles, as item ids. */
    public final int[][] bundles;

    Dataset(
        Config config,
        String[] storeIds,
        String[] itemNames,
        int[] store,
        int[] offsets,
        int[] items,
        int[][] bundles) {
      this.config = config;
      this.storeIds = storeIds;
      this.itemNames = itemNames;
      this.store = store;
      this.offsets = offsets;
      this.items = items;
      this.bundles = bundles;
    }

    /** Number of transactions. */
    public int numTransactions() {
      return store.length;
    }

    /** Number of (transaction, item) events. */
    public int numEvents() {
      return items.length;
    }

    /** The transaction id of transaction {@code t}: {@code t + 1}. */
    public long transactionId(int t) {
      return t + 1L;
    }
  }

  private static final String[] GROCERIES = {
    "bread",
    "whole_milk",
    "eggs",
    "bananas",
    "coffee",
    "butter",
    "cheese",
    "yogurt",
    "apples",
    "tomatoes",
    "onions",
    "potatoes",
    "chicken",
    "rice",
    "pasta",
    "pasta_sauce",
    "cereal",
    "orange_juice",
    "tea",
    "sugar",
    "flour",
    "carrots",
    "lettuce",
    "ham",
    "beer",
    "wine",
    "water",
    "soda",
    "chips",
    "chocolate",
    "cookies",
    "ice_cream",
    "frozen_pizza",
    "detergent",
    "toilet_paper",
    "shampoo",
    "toothpaste",
    "diapers",
    "baby_food",
    "cat_food",
    "dog_food",
    "lemons",
    "garlic",
    "beef",
    "pork",
    "salmon",
    "tuna",
    "beans",
    "soup",
    "honey",
    "jam",
    "peanut_butter",
    "olive_oil",
    "vinegar",
    "salt",
    "pepper",
    "napkins",
    "batteries",
    "candles",
    "flowers"
  };

  /** The name of item {@code id}. */
  static String itemName(int id) {
    return id < GROCERIES.length ? GROCERIES[id] : String.format(Locale.ROOT, "item_%04d", id);
  }

  /** Cumulative weights {@code 1/(k+1)^s}, normalised to end at 1. */
  private static double[] zipfCdf(int n, double s) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, s);
      cdf[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
    cdf[n - 1] = 1.0;
    return cdf;
  }

  private static int draw(double[] cdf, SplittableRandom rnd) {
    int i = Arrays.binarySearch(cdf, rnd.nextDouble());
    return i >= 0 ? i : Math.min(-i - 1, cdf.length - 1);
  }

  private static int poisson(double lambda, SplittableRandom rnd) {
    if (lambda <= 0) {
      return 0;
    }
    double l = Math.exp(-lambda);
    int k = 0;
    double p = rnd.nextDouble();
    while (p > l) {
      k++;
      p *= rnd.nextDouble();
    }
    return k;
  }

  /** Generates the data of {@code config} in memory. */
  public static Dataset generate(Config config) {
    if (config.transactions < config.stores) {
      throw new IllegalArgumentException(
          "Invalid transactions: "
              + config.transactions
              + ". Every one of the "
              + config.stores
              + " stores needs at least one transaction.");
    }
    SplittableRandom rnd = new SplittableRandom(config.seed);
    int nStores = config.stores;
    int n = (int) config.transactions;
    // Store sizes: Zipf shares, every store at least one transaction, remainder to the largest.
    double[] w = new double[nStores];
    double wSum = 0;
    for (int k = 0; k < nStores; k++) {
      w[k] = 1.0 / Math.pow(k + 1, config.storeSkew);
      wSum += w[k];
    }
    int[] size = new int[nStores];
    long assigned = 0;
    for (int k = 0; k < nStores; k++) {
      size[k] = Math.max(1, (int) Math.floor((n - nStores) * w[k] / wSum) + 1);
      assigned += size[k];
    }
    size[0] += (int) (n - assigned);
    String[] storeIds = new String[nStores];
    for (int k = 0; k < nStores; k++) {
      storeIds[k] = String.format(Locale.ROOT, nStores < 1000 ? "S%03d" : "S%07d", k + 1);
    }
    String[] itemNames = new String[config.items];
    for (int i = 0; i < itemNames.length; i++) {
      itemNames[i] = itemName(i);
    }
    // Bundles: 2-3 distinct items among the most popular 4 * bundles (at least 8) items.
    int pool = Math.min(config.items, Math.max(8, 4 * config.bundles));
    int[][] bundles = new int[config.bundles][];
    for (int b = 0; b < bundles.length; b++) {
      int len = Math.min(pool, 2 + rnd.nextInt(2));
      int[] items = new int[len];
      for (int j = 0; j < len; j++) {
        int candidate;
        boolean dup;
        do {
          candidate = rnd.nextInt(pool);
          dup = false;
          for (int q = 0; q < j; q++) {
            dup |= items[q] == candidate;
          }
        } while (dup);
        items[j] = candidate;
      }
      Arrays.sort(items);
      bundles[b] = items;
    }
    double[] itemCdf = zipfCdf(config.items, config.itemSkew);
    double[] bundleCdf = bundles.length == 0 ? null : zipfCdf(bundles.length, 1.0);
    int[] store = new int[n];
    int[] offsets = new int[n + 1];
    int[] items =
        new int
            [Math.max(
                16,
                (int) Math.min(Integer.MAX_VALUE - 8, (long) (n * config.meanBasketSize * 1.2)))];
    boolean[] inBasket = new boolean[config.items];
    int[] basket = new int[config.items];
    int t = 0;
    int pos = 0;
    for (int k = 0; k < nStores; k++) {
      for (int s = 0; s < size[k]; s++, t++) {
        store[t] = k;
        int want = Math.min(config.items, 1 + poisson(config.meanBasketSize - 1, rnd));
        int len = 0;
        if (bundleCdf != null && rnd.nextDouble() < config.bundleProbability) {
          for (int item : bundles[draw(bundleCdf, rnd)]) {
            inBasket[item] = true;
            basket[len++] = item;
          }
        }
        for (int attempts = 0; len < want && attempts < 64 * want; attempts++) {
          int item = draw(itemCdf, rnd);
          if (!inBasket[item]) {
            inBasket[item] = true;
            basket[len++] = item;
          }
        }
        Arrays.sort(basket, 0, len);
        if (pos + len > items.length) {
          items =
              Arrays.copyOf(
                  items,
                  (int)
                      Math.min(Integer.MAX_VALUE - 8, Math.max(pos + len, items.length * 3L / 2)));
        }
        for (int j = 0; j < len; j++) {
          items[pos++] = basket[j];
          inBasket[basket[j]] = false;
        }
        offsets[t + 1] = pos;
      }
    }
    return new Dataset(
        config, storeIds, itemNames, store, offsets, Arrays.copyOf(items, pos), bundles);
  }

  // ------------------------------------------------------------------------------------------
  // Writing

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

  private static String extension(InputFormat f) {
    return f == InputFormat.ARROW ? ".arrow" : f == InputFormat.PARQUET ? ".parquet" : ".csv";
  }

  /**
   * Writes the chosen layouts in the chosen formats under {@code dir} (created if needed; files
   * replaced), as {@code receipts|events|items.parquet|arrow|csv}.
   *
   * @return the files written
   */
  public static List<Path> write(
      Dataset data, Path dir, Set<Layout> layouts, Set<InputFormat> formats) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (Layout layout : layouts) {
      for (InputFormat f : formats) {
        Path path = dir.resolve(layout.name().toLowerCase(Locale.ROOT) + extension(f));
        switch (f) {
          case PARQUET:
            writeParquet(data, layout, path);
            break;
          case ARROW:
            writeArrow(data, layout, path);
            break;
          case CSV:
            writeCsv(data, layout, path);
            break;
          default:
            throw new AssertionError(f);
        }
        written.add(path);
      }
    }
    return written;
  }

  private static Schema schema(Dataset d, Layout layout) {
    switch (layout) {
      case RECEIPTS:
        return receiptsSchema(d.itemNames);
      case EVENTS:
        return eventsSchema(d.config.itemNameColumn);
      case ITEMS:
        return itemsSchema();
      default:
        throw new AssertionError(layout);
    }
  }

  private static void writeParquet(Dataset d, Layout layout, Path path) throws IOException {
    org.apache.avro.Schema avro = AvroUtils.toAvroSchema(schema(d, layout));
    boolean names = d.config.itemNameColumn;
    try (ParquetWriter<GenericRecord> w = LocalFiles.parquetWriter(path, avro)) {
      switch (layout) {
        case EVENTS:
          for (int t = 0; t < d.numTransactions(); t++) {
            String s = d.storeIds[d.store[t]];
            for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
              GenericData.Record r = new GenericData.Record(avro);
              r.put(0, s);
              r.put(1, d.transactionId(t));
              r.put(2, d.items[p]);
              if (names) {
                r.put(3, d.itemNames[d.items[p]]);
              }
              w.write(r);
            }
          }
          break;
        case RECEIPTS:
          {
            int m = d.itemNames.length;
            for (int t = 0; t < d.numTransactions(); t++) {
              GenericData.Record r = new GenericData.Record(avro);
              r.put(0, d.storeIds[d.store[t]]);
              for (int i = 0; i < m; i++) {
                r.put(1 + i, Boolean.FALSE);
              }
              for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
                r.put(1 + d.items[p], Boolean.TRUE);
              }
              w.write(r);
            }
            break;
          }
        case ITEMS:
          for (int i = 0; i < d.itemNames.length; i++) {
            GenericData.Record r = new GenericData.Record(avro);
            r.put(0, i);
            r.put(1, d.itemNames[i]);
            w.write(r);
          }
          break;
        default:
          throw new AssertionError(layout);
      }
    }
  }

  private static void writeArrow(Dataset d, Layout layout, Path path) throws IOException {
    Schema schema = schema(d, layout);
    List<Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      fields.add(Field.notNullable(f.getName(), LocalFiles.arrowType(f.getType())));
    }
    final int batch = LocalFiles.ARROW_BATCH_ROWS;
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root =
            VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(fields), alloc);
        FileChannel ch =
            FileChannel.open(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      w.start();
      byte[][] storeBytes = new byte[d.storeIds.length][];
      for (int k = 0; k < storeBytes.length; k++) {
        storeBytes[k] = d.storeIds[k].getBytes(StandardCharsets.UTF_8);
      }
      byte[][] nameBytes = new byte[d.itemNames.length][];
      for (int i = 0; i < nameBytes.length; i++) {
        nameBytes[i] = d.itemNames[i].getBytes(StandardCharsets.UTF_8);
      }
      int rows = 0;
      root.allocateNew();
      switch (layout) {
        case EVENTS:
          {
            VarCharVector s = (VarCharVector) root.getVector(0);
            BigIntVector txn = (BigIntVector) root.getVector(1);
            IntVector item = (IntVector) root.getVector(2);
            VarCharVector name = d.config.itemNameColumn ? (VarCharVector) root.getVector(3) : null;
            for (int t = 0; t < d.numTransactions(); t++) {
              for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
                s.setSafe(rows, storeBytes[d.store[t]]);
                txn.setSafe(rows, d.transactionId(t));
                item.setSafe(rows, d.items[p]);
                if (name != null) {
                  name.setSafe(rows, nameBytes[d.items[p]]);
                }
                if (++rows == batch) {
                  flush(root, w, rows);
                  rows = 0;
                }
              }
            }
            break;
          }
        case RECEIPTS:
          {
            VarCharVector s = (VarCharVector) root.getVector(0);
            int m = d.itemNames.length;
            BitVector[] cols = new BitVector[m];
            for (int i = 0; i < m; i++) {
              cols[i] = (BitVector) root.getVector(1 + i);
            }
            for (int t = 0; t < d.numTransactions(); t++) {
              s.setSafe(rows, storeBytes[d.store[t]]);
              for (int i = 0; i < m; i++) {
                cols[i].setSafe(rows, 0);
              }
              for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
                cols[d.items[p]].setSafe(rows, 1);
              }
              if (++rows == batch) {
                flush(root, w, rows);
                rows = 0;
              }
            }
            break;
          }
        case ITEMS:
          {
            IntVector id = (IntVector) root.getVector(0);
            VarCharVector name = (VarCharVector) root.getVector(1);
            for (int i = 0; i < nameBytes.length; i++) {
              id.setSafe(rows, i);
              name.setSafe(rows, nameBytes[i]);
              if (++rows == batch) {
                flush(root, w, rows);
                rows = 0;
              }
            }
            break;
          }
        default:
          throw new AssertionError(layout);
      }
      if (rows > 0) {
        root.setRowCount(rows);
        w.writeBatch();
      }
      w.end();
    }
  }

  private static void flush(VectorSchemaRoot root, ArrowFileWriter w, int rows) throws IOException {
    root.setRowCount(rows);
    w.writeBatch();
    root.allocateNew();
  }

  private static void writeCsv(Dataset d, Layout layout, Path path) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      w.write(String.join(",", schema(d, layout).getFieldNames()));
      w.write('\n');
      StringBuilder sb = new StringBuilder();
      switch (layout) {
        case EVENTS:
          for (int t = 0; t < d.numTransactions(); t++) {
            for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
              sb.setLength(0);
              sb.append(d.storeIds[d.store[t]])
                  .append(',')
                  .append(d.transactionId(t))
                  .append(',')
                  .append(d.items[p]);
              if (d.config.itemNameColumn) {
                sb.append(',').append(d.itemNames[d.items[p]]);
              }
              w.append(sb).append('\n');
            }
          }
          break;
        case RECEIPTS:
          {
            int m = d.itemNames.length;
            boolean[] row = new boolean[m];
            for (int t = 0; t < d.numTransactions(); t++) {
              Arrays.fill(row, false);
              for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
                row[d.items[p]] = true;
              }
              sb.setLength(0);
              sb.append(d.storeIds[d.store[t]]);
              for (int i = 0; i < m; i++) {
                sb.append(row[i] ? ",1" : ",0");
              }
              w.append(sb).append('\n');
            }
            break;
          }
        case ITEMS:
          for (int i = 0; i < d.itemNames.length; i++) {
            w.append(Integer.toString(i)).append(',').append(d.itemNames[i]).append('\n');
          }
          break;
        default:
          throw new AssertionError(layout);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Command line

  /**
   * {@code --output=DIR [--seed=N] [--stores=N] [--transactions=N] [--items=N] [--meanBasketSize=X]
   * [--storeSkew=X] [--itemSkew=X] [--bundles=N] [--bundleProbability=X] [--itemNameColumn]
   * [--layouts=receipts,events,items] [--formats=parquet,arrow,csv]}. Prints what it wrote and the
   * time taken.
   */
  public static void main(String[] args) throws IOException {
    Config c = Config.of(42);
    Path out = null;
    Set<Layout> layouts = EnumSet.allOf(Layout.class);
    Set<InputFormat> formats = EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW);
    for (String a : args) {
      int eq = a.indexOf('=');
      String k = eq < 0 ? a : a.substring(0, eq);
      String v = eq < 0 ? "true" : a.substring(eq + 1);
      switch (k) {
        case "--output":
          out = Paths.get(v);
          break;
        case "--seed":
          c = rebase(c, Long.parseLong(v));
          break;
        case "--stores":
          c = c.withStores(Integer.parseInt(v));
          break;
        case "--transactions":
          c = c.withTransactions(Long.parseLong(v));
          break;
        case "--items":
          c = c.withItems(Integer.parseInt(v));
          break;
        case "--meanBasketSize":
          c = c.withMeanBasketSize(Double.parseDouble(v));
          break;
        case "--storeSkew":
          c = c.withStoreSkew(Double.parseDouble(v));
          break;
        case "--itemSkew":
          c = c.withItemSkew(Double.parseDouble(v));
          break;
        case "--bundles":
          c = c.withBundles(Integer.parseInt(v), c.bundleProbability);
          break;
        case "--bundleProbability":
          c = c.withBundles(c.bundles, Double.parseDouble(v));
          break;
        case "--itemNameColumn":
          c = c.withItemNameColumn(Boolean.parseBoolean(v));
          break;
        case "--layouts":
          layouts = EnumSet.noneOf(Layout.class);
          for (String s : v.split(",")) {
            layouts.add(Layout.valueOf(s.trim().toUpperCase(Locale.ROOT)));
          }
          break;
        case "--formats":
          formats = EnumSet.noneOf(InputFormat.class);
          for (String s : v.split(",")) {
            formats.add(InputFormat.parse(s));
          }
          break;
        default:
          throw new IllegalArgumentException("Unknown option: " + a);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--output=DIR is required");
    }
    long t0 = System.nanoTime();
    Dataset d = generate(c);
    long t1 = System.nanoTime();
    List<Path> files = write(d, out, layouts, formats);
    long t2 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "%s%ntransactions=%d events=%d generateMillis=%d writeMillis=%d%n",
        c,
        d.numTransactions(),
        d.numEvents(),
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000);
    for (Path f : files) {
      System.out.println(f + " " + Files.size(f) + " bytes");
    }
  }

  /** {@code c} with another seed (settings kept). */
  private static Config rebase(Config c, long seed) {
    return new Config(
        seed,
        c.stores,
        c.transactions,
        c.items,
        c.meanBasketSize,
        c.storeSkew,
        c.itemSkew,
        c.bundles,
        c.bundleProbability,
        c.itemNameColumn);
  }
}
