package io.rusket.beam.transforms;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.testing.BruteForce;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Test fixture: itemsets mined with the miner, group by group, turned into rows of MineGrouped's
 * output schema, and the rules the miner generates from them, as rows of the transforms' output
 * schema.
 */
final class ItemsetRows {
  /** Item names, listed so that their order of first appearance is not alphabetical. */
  private static final String[] NAMES = {
    "milk",
    "bread",
    "eggs",
    "beer",
    "apples",
    "diapers",
    "coffee",
    "butter",
    "tea",
    "cheese",
    "jam",
    "zucchini",
  };

  /** Int item ids, sparse and not ascending in popularity. */
  private static final int[] INT_IDS = {42, 7, 1000, 3, 15, 0, 99, 64, 8, 512, 21, 5};

  private ItemsetRows() {}

  /** The input schema: the group field (unless null), support, itemsets, count, transactions. */
  static Schema inputSchema(Schema.@Nullable Field group, boolean intItems) {
    Schema.Builder b = Schema.builder();
    if (group != null) {
      b.addField(group);
    }
    return b.addDoubleField("support")
        .addArrayField("itemsets", intItems ? FieldType.INT32 : FieldType.STRING)
        .addInt64Field("count")
        .addInt64Field("transactions")
        .build();
  }

  /** The output schema, spelled out as in the contract. */
  static Schema outputSchema(Schema.@Nullable Field group, boolean intItems) {
    Schema.Builder b = Schema.builder();
    if (group != null) {
      b.addField(group);
    }
    FieldType item = intItems ? FieldType.INT32 : FieldType.STRING;
    b.addArrayField("antecedents", item).addArrayField("consequents", item);
    for (String m :
        new String[] {
          "antecedent_support",
          "consequent_support",
          "support",
          "confidence",
          "lift",
          "representativity",
          "leverage",
          "conviction",
          "zhangs_metric",
          "jaccard",
          "certainty",
          "kulczynski",
        }) {
      b.addDoubleField(m);
    }
    return b.build();
  }

  /**
   * The frequent itemsets of {@code n} random baskets over {@code nItems} items (named, or with
   * sparse int ids), at {@code minSupport}.
   */
  static Itemsets mine(
      Random rnd, int n, int nItems, int maxBasket, double minSupport, boolean intItems) {
    int[][] baskets = BruteForce.randomBaskets(rnd, n, nItems, maxBasket);
    TransactionDb db;
    if (intItems) {
      int[][] ids = new int[n][];
      for (int t = 0; t < n; t++) {
        ids[t] = Arrays.stream(baskets[t]).map(i -> INT_IDS[i]).toArray();
      }
      db = TransactionDb.fromIntBaskets(ids);
    } else {
      List<List<String>> named = new ArrayList<>();
      for (int[] basket : baskets) {
        List<String> b = new ArrayList<>();
        for (int i : basket) {
          b.add(NAMES[i]);
        }
        named.add(b);
      }
      db = TransactionDb.fromStringBaskets(named);
    }
    return ItemsetMiner.minSupport(minSupport).withThreads(1).mine(db);
  }

  /** Random groups keyed {@code "store-0"}, ... of very different sizes. */
  static Map<Object, Itemsets> stores(long seed, int groups, boolean intItems) {
    Random rnd = new Random(seed);
    Map<Object, Itemsets> out = new LinkedHashMap<>();
    int[] sizes = {1, 7, 40, 150, 12, 60, 3, 90};
    for (int g = 0; g < groups; g++) {
      double minSupport = 0.04 + rnd.nextDouble() * 0.08;
      out.put(
          "store-" + g,
          mine(rnd, sizes[g % sizes.length], 8 + rnd.nextInt(5), 6, minSupport, intItems));
    }
    return out;
  }

  /**
   * The rows of every group's itemsets, as MineGrouped outputs them, with the items of each itemset
   * and the rows themselves in an order shuffled by {@code rnd}.
   */
  static List<Row> rows(Schema schema, Map<Object, Itemsets> groups, Random rnd) {
    boolean grouped = schema.getFieldCount() == 5;
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Object, Itemsets> e : groups.entrySet()) {
      Itemsets sets = e.getValue();
      for (int i = 0; i < sets.size(); i++) {
        List<Object> items = new ArrayList<>();
        for (int item : sets.items(i)) {
          items.add(sets.hasItemNames() ? sets.itemName(item) : (Object) item);
        }
        Collections.shuffle(items, rnd);
        Row.Builder b = Row.withSchema(schema);
        if (grouped) {
          b.addValue(e.getKey());
        }
        rows.add(b.addValues(sets.support(i), items, sets.count(i), sets.nTransactions()).build());
      }
    }
    Collections.shuffle(rows, rnd);
    return rows;
  }

  /**
   * The rules of every group as the miner generates them, as output rows (items of the antecedent
   * and the consequent ascending).
   */
  static List<Row> rules(
      Schema out, Map<Object, Itemsets> groups, RuleMetric metric, double minThreshold) {
    boolean grouped = out.getFieldCount() == 15;
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Object, Itemsets> e : groups.entrySet()) {
      Itemsets sets = e.getValue();
      RuleMiner.of(metric, minThreshold)
          .generate(
              sets,
              (ant, aLen, con, cLen, m) -> {
                Row.Builder b = Row.withSchema(out);
                if (grouped) {
                  b.addValue(e.getKey());
                }
                b.addValue(items(sets, ant, aLen)).addValue(items(sets, con, cLen));
                for (int k = 0; k < RuleMetric.values().length; k++) {
                  b.addValue(m[k]);
                }
                rows.add(b.build());
              });
    }
    return rows;
  }

  private static List<Object> items(Itemsets sets, int[] ids, int len) {
    List<Object> out = new ArrayList<>();
    for (int k = 0; k < len; k++) {
      out.add(sets.hasItemNames() ? sets.itemName(ids[k]) : (Object) ids[k]);
    }
    out.sort(null); // names alphabetically; int ids are already ascending
    return out;
  }

  /** Splits {@code rows} round-robin into {@code shards} lists. */
  static List<List<Row>> shards(List<Row> rows, int shards) {
    List<List<Row>> out = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      out.add(new ArrayList<>());
    }
    for (int i = 0; i < rows.size(); i++) {
      out.get(i % shards).add(rows.get(i));
    }
    return out;
  }

  /**
   * A PAssert check that the rows are exactly {@code expected}, as a multiset (any order): hashes,
   * so linear where {@code containsInAnyOrder} matches every pair, and it names a few of the
   * missing and unexpected rows.
   */
  static SerializableFunction<Iterable<Row>, Void> sameRows(List<Row> expected) {
    ArrayList<Row> want = new ArrayList<>(expected);
    return actual -> {
      Map<Row, Integer> missing = new HashMap<>();
      for (Row r : want) {
        missing.merge(r, 1, Integer::sum);
      }
      List<Row> unexpected = new ArrayList<>();
      long n = 0;
      for (Row r : actual) {
        n++;
        Integer c = missing.get(r);
        if (c == null) {
          unexpected.add(r);
        } else if (c == 1) {
          missing.remove(r);
        } else {
          missing.put(r, c - 1);
        }
      }
      if (!missing.isEmpty() || !unexpected.isEmpty()) {
        throw new AssertionError(
            "Expected "
                + want.size()
                + " rows, got "
                + n
                + "; "
                + missing.size()
                + " distinct rows missing, e.g. "
                + first(missing.keySet())
                + "; "
                + unexpected.size()
                + " unexpected, e.g. "
                + first(unexpected));
      }
      return null;
    };
  }

  private static List<Row> first(Collection<Row> rows) {
    return rows.stream().limit(3).collect(Collectors.toList());
  }

  /** Total number of itemsets over all groups. */
  static long itemsets(Map<Object, Itemsets> groups) {
    return groups.values().stream().mapToLong(Itemsets::size).sum();
  }
}
