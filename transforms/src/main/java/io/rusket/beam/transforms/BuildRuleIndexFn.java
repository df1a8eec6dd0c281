package io.rusket.beam.transforms;

import java.util.Collection;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * {@link Recommend}'s "IndexRules": one group's rules (all of them, in this worker's memory) into
 * one {@link RuleIndex}, output once per shard of the group's baskets, keyed {@code (group,
 * shard)}.
 */
final class BuildRuleIndexFn extends DoFn<KV<Row, Iterable<Row>>, KV<KV<Row, Integer>, RuleIndex>> {
  private static final long serialVersionUID = 1L;
  private final RecommendLayout layout;
  private final int shards;
  private final Counter groups = Metrics.counter(Recommend.METRICS_NAMESPACE, "groupsIndexed");
  private final Counter rules = Metrics.counter(Recommend.METRICS_NAMESPACE, "rulesIndexed");
  private final Distribution bytes =
      Metrics.distribution(Recommend.METRICS_NAMESPACE, "indexBytes");

  BuildRuleIndexFn(RecommendLayout layout, int shards) {
    this.layout = layout;
    this.shards = shards;
  }

  @ProcessElement
  public void processElement(
      @Element KV<Row, Iterable<Row>> group, OutputReceiver<KV<KV<Row, Integer>, RuleIndex>> out) {
    RecommendLayout l = layout;
    String where = l.describe(group.getKey());
    RuleIndex.Builder b = new RuleIndex.Builder(where);
    for (Row r : group.getValue()) {
      b.add(
          side(r, l.rAnts, where),
          side(r, l.rCons, where),
          value(r, l.rScore, where),
          value(r, l.rLift, where),
          value(r, l.rSupport, where),
          value(r, l.rConfidence, where),
          optional(r, l.rAntSupport),
          optional(r, l.rConSupport));
    }
    RuleIndex index = b.build();
    groups.inc();
    rules.inc(index.nRules);
    bytes.update(index.ramBytesUsed());
    for (int s = 0; s < shards; s++) {
      out.output(KV.of(KV.of(group.getKey(), s), index));
    }
  }

  private static String[] side(Row r, int field, String where) {
    Collection<String> c = r.getArray(field);
    if (c == null) {
      throw nullField(r, field, where);
    }
    return c.toArray(new String[0]);
  }

  private static double value(Row r, int field, String where) {
    Double d = r.getDouble(field);
    if (d == null) {
      throw nullField(r, field, where);
    }
    return d;
  }

  private static double optional(Row r, int field) {
    Double d = field < 0 ? null : r.getDouble(field);
    return d == null ? Double.NaN : d;
  }

  private static IllegalArgumentException nullField(Row r, int field, String where) {
    return new IllegalArgumentException(
        String.format(
            "Recommend: invalid rule in %s: field '%s' is null (row %s)",
            where, r.getSchema().getField(field).getName(), r));
  }
}
