package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.RuleRows.COUNT;
import static io.rusket.beam.transforms.RuleRows.ITEMSETS;
import static io.rusket.beam.transforms.RuleRows.SUPPORT;
import static io.rusket.beam.transforms.RuleRows.SUPPORT_TOLERANCE;
import static io.rusket.beam.transforms.RuleRows.TRANSACTIONS;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * Validates each itemset row and keys it by its group ("KeyByGroup", or "KeyGlobally" for {@link
 * AssociationRules}): see {@link #keyed}.
 */
final class KeyItemsetsByGroupFn extends DoFn<Row, KV<Row, Row>> {
  private static final long serialVersionUID = 1L;
  private final RuleRows.Layout layout;

  KeyItemsetsByGroupFn(RuleRows.Layout layout) {
    this.layout = layout;
  }

  @ProcessElement
  public void processElement(@Element Row row, OutputReceiver<KV<Row, Row>> out) {
    out.output(keyed(layout, row));
  }

  /**
   * Validates one itemset row (no nulls, a non-empty itemset of distinct items, 1 ≤ count ≤
   * transactions, support = count / transactions) and projects it to {@code KV(group row, (items,
   * count, transactions))}.
   *
   * @throws IllegalArgumentException naming the group, the problem and the row
   */
  static KV<Row, Row> keyed(RuleRows.Layout l, Row row) {
    Row key =
        Row.withSchema(l.keySchema)
            .attachValues(
                l.groupIndex < 0
                    ? Collections.emptyList()
                    : Collections.singletonList(row.getValue(l.groupIndex)));
    Collection<Object> items = row.getArray(l.itemsetsIndex);
    Double support = row.getDouble(l.supportIndex);
    Long count = row.getInt64(l.countIndex);
    Long n = row.getInt64(l.transactionsIndex);
    if (items == null || support == null || count == null || n == null) {
      String field =
          items == null
              ? ITEMSETS
              : support == null ? SUPPORT : count == null ? COUNT : TRANSACTIONS;
      throw badRow(l, key, row, "'" + field + "' is null");
    }
    if (items.isEmpty()) {
      throw badRow(l, key, row, "the itemset is empty");
    }
    Object[] values = items.toArray();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw badRow(l, key, row, "item " + i + " of the itemset is null");
      }
      for (int j = 0; j < i; j++) {
        if (values[i].equals(values[j])) {
          throw badRow(l, key, row, "item " + values[i] + " appears twice in the itemset");
        }
      }
    }
    if (n < 1) {
      throw badRow(l, key, row, "transactions is " + n + ", but it must be at least 1");
    }
    if (count < 1 || count > n) {
      throw badRow(l, key, row, "count is " + count + ", outside [1, transactions = " + n + "]");
    }
    double expected = count / (double) n;
    if (!(Math.abs(support - expected) <= SUPPORT_TOLERANCE * expected)) {
      throw badRow(
          l,
          key,
          row,
          "support "
              + support
              + " is not count / transactions = "
              + count
              + " / "
              + n
              + " = "
              + expected);
    }
    return KV.of(key, Row.withSchema(l.valueSchema).attachValues(Arrays.asList(values), count, n));
  }

  private static IllegalArgumentException badRow(RuleRows.Layout l, Row key, Row row, String what) {
    StringBuilder fields = new StringBuilder();
    Schema schema = row.getSchema();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      Object value = row.getValue(i);
      fields.append(i == 0 ? "{" : ", ").append(schema.getField(i).getName()).append('=');
      fields.append(value);
    }
    return new IllegalArgumentException(
        "Invalid itemset row in " + l.describe(key) + ": " + what + ". Row: " + fields + "}");
  }
}
