package io.rusket.beam.transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * {@link Recommend}'s "AssembleBaskets": one basket's events into one basket value {@code (basket
 * id, items)}, keyed {@code (group, shard of the basket id)}.
 */
final class AssembleBasketsFn extends DoFn<KV<Row, Iterable<String>>, KV<KV<Row, Integer>, Row>> {
  private static final long serialVersionUID = 1L;
  private final RecommendLayout layout;
  private final int shards;

  AssembleBasketsFn(RecommendLayout layout, int shards) {
    this.layout = layout;
    this.shards = shards;
  }

  @ProcessElement
  public void processElement(
      @Element KV<Row, Iterable<String>> basket, OutputReceiver<KV<KV<Row, Integer>, Row>> out) {
    Row k = basket.getKey();
    boolean grouped = layout.bGroup >= 0;
    Object id = k.getValue(grouped ? 1 : 0);
    List<String> items = new ArrayList<>();
    for (String s : basket.getValue()) {
      items.add(s);
    }
    Row key =
        Row.withSchema(layout.keySchema)
            .attachValues(
                grouped ? Collections.singletonList(k.getValue(0)) : Collections.emptyList());
    out.output(
        KV.of(
            KV.of(key, RecommendLayout.shardOf(id, shards)),
            Row.withSchema(layout.basketSchema).attachValues(id, items)));
  }
}
