package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMiner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * The itemsets of one group as a compact {@link Itemsets}, with the item value of each dense id.
 *
 * <p>Items get dense ids in ascending order of their values (names, or int ids), so the rules, and
 * the order of the items inside each, depend only on the group's itemsets, never on the order in
 * which they arrive; the itemsets are put in canonical order (by length, then lexicographically),
 * so the order of the rules is deterministic too.
 */
final class GroupItemsets {
  final RuleRows.Layout layout;
  final Row key;

  /** Item ids ascending with their values; names are the values' {@code toString()}. */
  final Itemsets itemsets;

  /** The item value (String or Integer) of each dense id, ascending. */
  final Object[] items;

  private GroupItemsets(RuleRows.Layout layout, Row key, Itemsets itemsets, Object[] items) {
    this.layout = layout;
    this.key = key;
    this.itemsets = itemsets;
    this.items = items;
  }

  /**
   * Collects a group's value rows (as {@link KeyItemsetsByGroupFn#keyed} made them) in one pass.
   *
   * @throws IllegalArgumentException if the rows disagree on the number of transactions, naming the
   *     group and both values
   */
  static GroupItemsets collect(RuleRows.Layout l, Row key, Iterable<Row> rows) {
    // One pass: items get provisional ids in order of first appearance.
    KeyDictionary ids = KeyDictionary.empty(l.intItems ? KeyKind.INTEGER : KeyKind.STRING);
    int size = 0;
    int[] offsets = new int[65];
    int[] items = new int[256];
    long[] counts = new long[64];
    long n = 0;
    Row first = null;
    for (Row itemset : rows) {
      long t = itemset.getInt64(2);
      if (first == null) {
        first = itemset;
        n = t;
      } else if (t != n) {
        throw new IllegalArgumentException(
            "The itemsets of "
                + l.describe(key)
                + " disagree on the number of transactions"
                + " they were mined from: "
                + n
                + " for itemset "
                + first.getArray(0)
                + ", "
                + t
                + " for itemset "
                + itemset.getArray(0)
                + ". All the itemsets of a group"
                + " must come from one mining run (support = count / transactions).");
      }
      Collection<Object> its = itemset.getArray(0);
      counts = ArrayUtil.grow(counts, size + 1L);
      offsets = ArrayUtil.grow(offsets, size + 2L);
      int fill = offsets[size];
      items = ArrayUtil.grow(items, (long) fill + its.size());
      for (Object v : its) {
        items[fill++] = ids.addObject(v, "item");
      }
      counts[size] = itemset.getInt64(1);
      offsets[++size] = fill;
    }
    // Final ids: ascending item values (String or Integer natural order).
    final int m = ids.size();
    int[] rank = ids.ascendingRanks();
    KeyDictionary ascending = ids.permuted(rank);
    Object[] sorted = new Object[m];
    String[] names = new String[m];
    for (int r = 0; r < m; r++) {
      names[r] = ascending.keyString(r);
      sorted[r] = l.intItems ? (Object) Math.toIntExact(ascending.longKey(r)) : names[r];
    }
    Itemsets.Collector collector = Itemsets.collector(n, names);
    int[] buf = new int[16];
    for (int i = 0; i < size; i++) {
      int from = offsets[i];
      int len = offsets[i + 1] - from;
      if (buf.length < len) {
        buf = new int[len];
      }
      for (int k = 0; k < len; k++) {
        buf[k] = rank[items[from + k]];
      }
      collector.accept(buf, len, counts[i]); // sorts the items
    }
    return new GroupItemsets(l, key, collector.build().canonical(), sorted);
  }

  /**
   * Generates the rules with {@code rules} and hands each to {@code out} as an output row, in the
   * miner's deterministic order.
   *
   * @return the number of rules
   * @throws IllegalArgumentException if a subset of an itemset is missing or an itemset is listed
   *     twice, naming it and the group
   */
  long emitRules(RuleMiner rules, Consumer<Row> out) {
    final Object[] values = items;
    final Object groupValue = layout.groupIndex < 0 ? null : key.getValue(0);
    final boolean grouped = layout.groupIndex >= 0;
    final Schema schema = layout.outputSchema;
    try {
      return rules.generate(
          itemsets,
          (ant, aLen, con, cLen, metrics) -> {
            List<Object> row = new ArrayList<>(schema.getFieldCount());
            if (grouped) {
              row.add(groupValue);
            }
            row.add(values(values, ant, aLen));
            row.add(values(values, con, cLen));
            for (int m = 0; m < RuleRows.METRIC_COUNT; m++) {
              row.add(metrics[m]);
            }
            out.accept(Row.withSchema(schema).attachValues(row));
          });
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot generate the rules of " + layout.describe(key) + ": " + e.getMessage(), e);
    }
  }

  private static List<Object> values(Object[] values, int[] ids, int len) {
    Object[] out = new Object[len];
    for (int k = 0; k < len; k++) {
      out[k] = values[ids[k]];
    }
    return Arrays.asList(out);
  }
}
