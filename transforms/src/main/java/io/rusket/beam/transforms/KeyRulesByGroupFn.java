package io.rusket.beam.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/** {@link Recommend}'s "KeyRules": each rule row keyed by its group (a null group is an error). */
final class KeyRulesByGroupFn extends DoFn<Row, KV<Row, Row>> {
  private static final long serialVersionUID = 1L;
  private final RecommendLayout layout;

  KeyRulesByGroupFn(RecommendLayout layout) {
    this.layout = layout;
  }

  @ProcessElement
  public void processElement(@Element Row rule, OutputReceiver<KV<Row, Row>> out) {
    out.output(KV.of(layout.key(rule, layout.rGroup, "the rule"), rule));
  }
}
