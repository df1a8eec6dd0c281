package io.rusket.beam.transforms;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.TransactionDb;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;

/**
 * Random grouped transactions for the MineGrouped tests, in one-hot and long format, and the
 * oracle: the expected output rows computed by running the miner group by group.
 */
final class GroupedData {
  static final String GROUP = "store";
  static final String TXN = "receipt";
  static final String ITEM = "sku";

  /** Item names, in schema order, which is also their String order. */
  static final String[] ITEMS = {
    "i00", "i01", "i02", "i03", "i04", "i05", "i06", "i07", "i08", "i09", "i10", "i11"
  };

  /** One-hot item field types, cycling through every accepted type. */
  private static final FieldType[] ITEM_TYPES = {
    FieldType.BOOLEAN, FieldType.BYTE, FieldType.INT16, FieldType.INT32, FieldType.INT64
  };

  /** Item popularity: skewed, a few frequent items and a long tail. */
  private static final double[] POPULARITY = {
    0.55, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.12, 0.1, 0.08, 0.05, 0.03
  };

  /** Transactions of each group (group value → rows of item flags), in insertion order. */
  final Map<Integer, List<boolean[]>> groups = new LinkedHashMap<>();

  /**
   * Groups 0..sizes.length-1 with the given numbers of transactions. With {@code allowEmpty} false
   * every transaction holds at least one item (so that long format, where an empty transaction
   * cannot be written, describes the same data).
   */
  static GroupedData random(long seed, int[] sizes, boolean allowEmpty) {
    Random rnd = new Random(seed);
    GroupedData d = new GroupedData();
    for (int g = 0; g < sizes.length; g++) {
      // each group has its own taste: popularity scaled per group
      double taste = 0.6 + 0.8 * rnd.nextDouble();
      List<boolean[]> rows = new ArrayList<>();
      for (int t = 0; t < sizes[g]; t++) {
        boolean[] row = new boolean[ITEMS.length];
        boolean any = false;
        for (int j = 0; j < ITEMS.length; j++) {
          row[j] = rnd.nextDouble() < Math.min(0.95, POPULARITY[j] * taste);
          any |= row[j];
        }
        if (!any && !allowEmpty) {
          row[rnd.nextInt(ITEMS.length)] = true;
        }
        rows.add(row);
      }
      d.groups.put(g, rows);
    }
    return d;
  }

  int transactions() {
    return groups.values().stream().mapToInt(List::size).sum();
  }

  // ------------------------------------------------------------------------------------------
  // One-hot

  static Schema oneHotSchema() {
    Schema.Builder b = Schema.builder().addInt32Field(GROUP);
    for (int j = 0; j < ITEMS.length; j++) {
      b.addField(ITEMS[j], ITEM_TYPES[j % ITEM_TYPES.length]);
    }
    return b.build();
  }

  List<Row> oneHotRows() {
    Schema schema = oneHotSchema();
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Integer, List<boolean[]>> e : groups.entrySet()) {
      for (boolean[] flags : e.getValue()) {
        Object[] values = new Object[ITEMS.length + 1];
        values[0] = e.getKey();
        for (int j = 0; j < ITEMS.length; j++) {
          values[j + 1] = flag(flags[j], ITEM_TYPES[j % ITEM_TYPES.length]);
        }
        rows.add(Row.withSchema(schema).addValues(values).build());
      }
    }
    return rows;
  }

  private static Object flag(boolean set, FieldType type) {
    switch (type.getTypeName()) {
      case BOOLEAN:
        return set;
      case BYTE:
        return (byte) (set ? 1 : 0);
      case INT16:
        return (short) (set ? 1 : 0);
      case INT32:
        return set ? 1 : 0;
      default:
        return set ? 1L : 0L;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Long format

  /** Events schema: group INT32, receipt INT64, and the item as STRING name or INT32 index. */
  static Schema eventsSchema(boolean stringItems) {
    return Schema.builder()
        .addInt32Field(GROUP)
        .addInt64Field(TXN)
        .addField(ITEM, stringItems ? FieldType.STRING : FieldType.INT32)
        .build();
  }

  /**
   * One event per (transaction, item), about a fifth of them repeated, in shuffled order;
   * transaction ids are unique within a group but reused across groups.
   */
  List<Row> events(boolean stringItems, long seed) {
    Schema schema = eventsSchema(stringItems);
    Random rnd = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Integer, List<boolean[]>> e : groups.entrySet()) {
      long txn = 1000;
      for (boolean[] flags : e.getValue()) {
        txn += 1 + rnd.nextInt(3);
        for (int j = 0; j < ITEMS.length; j++) {
          if (flags[j]) {
            Object item = stringItems ? ITEMS[j] : (Object) j;
            int copies = rnd.nextInt(5) == 0 ? 2 : 1;
            for (int c = 0; c < copies; c++) {
              rows.add(Row.withSchema(schema).addValues(e.getKey(), txn, item).build());
            }
          }
        }
      }
    }
    Collections.shuffle(rows, rnd);
    return rows;
  }

  // ------------------------------------------------------------------------------------------
  // Oracle

  /**
   * The rows MineGrouped must output: the miner run on each group alone. Item names (or ids) in
   * column order, which is also the String order of the names and the numeric order of the ids.
   */
  List<Row> expected(double minSupport, Integer maxLen, Method method, boolean names) {
    return expected(minSupport, maxLen, method, names, m -> m);
  }

  /** As above, with more miner settings (target, top-k) applied by {@code configure}. */
  List<Row> expected(
      double minSupport,
      Integer maxLen,
      Method method,
      boolean names,
      java.util.function.UnaryOperator<ItemsetMiner> configure) {
    Schema out = MineGrouped.outputSchema(oneHotSchema().getField(GROUP), names);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Integer, List<boolean[]>> e : groups.entrySet()) {
      TransactionDb db =
          TransactionDb.fromOneHot(e.getValue().toArray(new boolean[0][]), ITEMS.clone());
      ItemsetMiner miner = ItemsetMiner.minSupport(minSupport).withMethod(method).withThreads(1);
      Itemsets sets = configure.apply(maxLen == null ? miner : miner.withMaxLen(maxLen)).mine(db);
      for (int i = 0; i < sets.size(); i++) {
        List<Object> items = new ArrayList<>();
        for (int id : sets.items(i)) {
          items.add(names ? ITEMS[id] : (Object) id);
        }
        rows.add(
            Row.withSchema(out)
                .addValues(e.getKey(), sets.support(i), items, sets.count(i), (long) db.size())
                .build());
      }
    }
    return rows;
  }

  /** Splits {@code rows} into {@code k} nearly equal consecutive shards. */
  static <T> List<List<T>> shards(List<T> rows, int k) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      out.add(rows.subList(i * rows.size() / k, (i + 1) * rows.size() / k));
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("GroupedData{");
    groups.forEach((g, rows) -> sb.append(g).append(':').append(rows.size()).append(' '));
    return sb.append('}').toString();
  }
}
