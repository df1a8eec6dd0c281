package io.rusket.beam.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * {@link Recommend}'s "KeyEvents": each event {@code (group, basket, item)} keyed by its basket.
 */
final class KeyBasketEventsFn extends DoFn<Row, KV<Row, String>> {
  private static final long serialVersionUID = 1L;
  private final RecommendLayout layout;

  KeyBasketEventsFn(RecommendLayout layout) {
    this.layout = layout;
  }

  @ProcessElement
  public void processElement(@Element Row row, OutputReceiver<KV<Row, String>> out) {
    RecommendLayout l = layout;
    Object id = KeyBasketsFn.basketId(l, row);
    String item = row.getString(l.bItem);
    if (item == null) {
      throw new IllegalArgumentException(
          String.format(
              "Recommend: invalid value null in item field '%s' of basket %s=%s (row %s)",
              l.itemField, l.basketField, id, row));
    }
    List<Object> key = new ArrayList<>(2);
    if (l.bGroup >= 0) {
      key.add(l.key(row, l.bGroup, "the event").getValue(0));
    }
    key.add(id);
    out.output(KV.of(Row.withSchema(l.eventKeySchema).attachValues(key), item));
  }
}
