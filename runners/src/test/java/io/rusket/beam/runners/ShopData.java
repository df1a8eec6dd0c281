package io.rusket.beam.runners;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Seeded receipts of a few stores of very different sizes over items of skewed (Zipf-like)
 * popularity, each store with its own favourites, as long-format events and one-hot rows; and the
 * oracle: the miner run store by store.
 */
final class ShopData {
  static final String STORE = "store";
  static final String RECEIPT = "receipt";
  static final String SKU = "sku";

  /** Item names; their String order is their order as one-hot fields. */
  static final String[] ITEMS = new String[24];

  static {
    for (int i = 0; i < ITEMS.length; i++) {
      ITEMS[i] = String.format("sku%02d", i);
    }
  }

  static final Schema EVENTS =
      Schema.builder().addStringField(STORE).addInt64Field(RECEIPT).addStringField(SKU).build();

  static final Schema ONE_HOT;

  static {
    Schema.Builder b = Schema.builder().addStringField(STORE);
    for (String item : ITEMS) {
      b.addBooleanField(item);
    }
    ONE_HOT = b.build();
  }

  /** Store → its receipts, each a set of item indexes, in insertion order. */
  final Map<String, List<TreeSet<Integer>>> stores = new LinkedHashMap<>();

  private final long seed;

  private ShopData(long seed) {
    this.seed = seed;
  }

  /** Stores {@code s0, s1, ...} with {@code sizes[i]} receipts of 1 to 6 draws each. */
  static ShopData generate(long seed, int... sizes) {
    Random rnd = new Random(seed);
    double[] weight = new double[ITEMS.length];
    for (int i = 0; i < weight.length; i++) {
      weight[i] = 1.0 / (i + 1); // Zipf, s = 1
    }
    ShopData d = new ShopData(seed);
    for (int s = 0; s < sizes.length; s++) {
      int shift = rnd.nextInt(ITEMS.length); // this store's favourites
      List<TreeSet<Integer>> receipts = new ArrayList<>();
      for (int r = 0; r < sizes[s]; r++) {
        TreeSet<Integer> basket = new TreeSet<>();
        int draws = 1 + rnd.nextInt(6);
        for (int k = 0; k < draws; k++) {
          basket.add((draw(rnd, weight) + shift) % ITEMS.length);
        }
        receipts.add(basket);
      }
      d.stores.put("s" + s, receipts);
    }
    return d;
  }

  private static int draw(Random rnd, double[] weight) {
    double total = Arrays.stream(weight).sum();
    double x = rnd.nextDouble() * total;
    for (int i = 0; i < weight.length; i++) {
      x -= weight[i];
      if (x < 0) {
        return i;
      }
    }
    return weight.length - 1;
  }

  /**
   * One event per (receipt, item), one in five repeated, shuffled; receipt ids reused per store.
   */
  List<Row> events() {
    Random rnd = new Random(seed + 1);
    List<Row> rows = new ArrayList<>();
    stores.forEach(
        (store, receipts) -> {
          for (int r = 0; r < receipts.size(); r++) {
            for (int item : receipts.get(r)) {
              int copies = rnd.nextInt(5) == 0 ? 2 : 1;
              for (int c = 0; c < copies; c++) {
                rows.add(Row.withSchema(EVENTS).addValues(store, 1000L + r, ITEMS[item]).build());
              }
            }
          }
        });
    Collections.shuffle(rows, rnd);
    return rows;
  }

  /** One row per receipt: the store and one BOOLEAN per item. */
  List<Row> oneHot() {
    List<Row> rows = new ArrayList<>();
    stores.forEach(
        (store, receipts) -> {
          for (TreeSet<Integer> basket : receipts) {
            Object[] values = new Object[ITEMS.length + 1];
            values[0] = store;
            for (int i = 0; i < ITEMS.length; i++) {
              values[i + 1] = basket.contains(i);
            }
            rows.add(Row.withSchema(ONE_HOT).addValues(values).build());
          }
        });
    return rows;
  }

  /**
   * The itemsets MineGrouped must find, as {@link ResultLines#of(Row)} formats its rows: the miner
   * run on each store alone.
   */
  List<String> expectedItemsets(double minSupport) {
    List<String> lines = new ArrayList<>();
    stores.forEach(
        (store, receipts) -> {
          List<List<String>> baskets = new ArrayList<>();
          for (TreeSet<Integer> basket : receipts) {
            List<String> names = new ArrayList<>();
            basket.forEach(i -> names.add(ITEMS[i]));
            baskets.add(names);
          }
          TransactionDb db = TransactionDb.fromStringBaskets(baskets);
          Itemsets sets = ItemsetMiner.minSupport(minSupport).withThreads(1).mine(db);
          for (int i = 0; i < sets.size(); i++) {
            String[] names = sets.names(i);
            Arrays.sort(names);
            lines.add(
                ResultLines.join(
                    store, sets.support(i), Arrays.asList(names), sets.count(i), (long) db.size()));
          }
        });
    Collections.sort(lines);
    return lines;
  }
}
