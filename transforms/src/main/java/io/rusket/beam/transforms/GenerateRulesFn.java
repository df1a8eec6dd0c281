package io.rusket.beam.transforms;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import io.rusket.beam.miner.Target;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Collects each group's itemsets and streams its rules out: see {@link GroupItemsets}. */
final class GenerateRulesFn extends DoFn<KV<Row, Iterable<Row>>, Row> {
  private static final long serialVersionUID = 1L;
  private final RuleRows.Layout layout;
  private final RuleMetric metric;
  private final double minThreshold;
  private final Target input;
  private final Counter groups;
  private final Counter itemsetsRead;
  private final Counter rulesEmitted;
  private transient @Nullable RuleMiner rules;

  GenerateRulesFn(
      RuleRows.Layout layout,
      RuleMetric metric,
      double minThreshold,
      Target input,
      String namespace) {
    this.layout = layout;
    this.input = input;
    this.metric = metric;
    this.minThreshold = minThreshold;
    this.groups = Metrics.counter(namespace, "groups");
    this.itemsetsRead = Metrics.counter(namespace, "itemsetsRead");
    this.rulesEmitted = Metrics.counter(namespace, "rulesEmitted");
  }

  @Setup
  public void setup() {
    rules = RuleMiner.of(metric, minThreshold).withInput(input);
  }

  @ProcessElement
  public void processElement(@Element KV<Row, Iterable<Row>> group, OutputReceiver<Row> out) {
    GroupItemsets g = GroupItemsets.collect(layout, group.getKey(), group.getValue());
    groups.inc();
    itemsetsRead.inc(g.itemsets.size());
    rulesEmitted.inc(g.emitRules(rules, out::output));
  }
}
