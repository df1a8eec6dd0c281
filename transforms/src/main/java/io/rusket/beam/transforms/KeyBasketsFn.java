package io.rusket.beam.transforms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * {@link Recommend}'s "KeyBaskets" for {@code ARRAY<STRING>} basket rows: each row checked (no null
 * group, basket id, array or item) and keyed {@code (group, shard of the basket id)}, its value
 * {@code (basket id, items)}.
 */
final class KeyBasketsFn extends DoFn<Row, KV<KV<Row, Integer>, Row>> {
  private static final long serialVersionUID = 1L;
  private final RecommendLayout layout;
  private final int shards;

  KeyBasketsFn(RecommendLayout layout, int shards) {
    this.layout = layout;
    this.shards = shards;
  }

  @ProcessElement
  public void processElement(@Element Row row, OutputReceiver<KV<KV<Row, Integer>, Row>> out) {
    RecommendLayout l = layout;
    Row key = l.key(row, l.bGroup, "the basket row");
    Object id = basketId(l, row);
    List<String> copy = new ArrayList<>(items(l, row, id));
    Row value = Row.withSchema(l.basketSchema).attachValues(id, copy);
    out.output(KV.of(KV.of(key, RecommendLayout.shardOf(id, shards)), value));
  }

  /**
   * The items of basket row {@code row} (whose id is {@code id}), checked: neither the array nor an
   * item is null.
   */
  static Collection<String> items(RecommendLayout l, Row row, Object id) {
    Collection<String> items = itemsArray(l, row, id);
    for (String s : items) {
      if (s == null) {
        throw new IllegalArgumentException(
            String.format(
                "Recommend: invalid value null in items field '%s' of basket %s=%s: an item is"
                    + " null (row %s)",
                l.itemField, l.basketField, id, row));
      }
    }
    return items;
  }

  /** The items array of basket row {@code row}, checked not null (its items are not checked). */
  static Collection<String> itemsArray(RecommendLayout l, Row row, Object id) {
    Collection<String> items = row.getArray(l.bItem);
    if (items == null) {
      throw new IllegalArgumentException(
          String.format(
              "Recommend: invalid value null in items field '%s' of basket %s=%s (row %s)",
              l.itemField, l.basketField, id, row));
    }
    return items;
  }

  static Object basketId(RecommendLayout l, Row row) {
    Object id = row.getValue(l.bBasket);
    if (id == null) {
      throw new IllegalArgumentException(
          String.format(
              "Recommend: invalid value null in basket id field '%s' (row %s)",
              l.basketField, row));
    }
    return id;
  }
}
