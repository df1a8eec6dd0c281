package io.rusket.beam.transforms;

import java.util.Iterator;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * {@link Recommend}'s "ScoreBaskets": for one {@code (group, shard)}, the group's {@link RuleIndex}
 * (none when the group has no rules) and its baskets, streamed past one {@link RecommendationRows};
 * each basket's top k items out as rows of {@link RecommendationSchema}.
 */
final class ScoreBasketsFn extends DoFn<KV<KV<Row, Integer>, CoGbkResult>, Row> {
  private static final long serialVersionUID = 1L;
  private final RecommendLayout layout;
  private final int k;
  private final TupleTag<RuleIndex> rulesTag;
  private final TupleTag<Row> basketsTag;
  private final Counter baskets = Metrics.counter(Recommend.METRICS_NAMESPACE, "baskets");
  private final Counter withoutRules =
      Metrics.counter(Recommend.METRICS_NAMESPACE, "basketsWithoutRules");
  private final Counter withoutRecs =
      Metrics.counter(Recommend.METRICS_NAMESPACE, "basketsWithoutRecommendations");
  private final Counter matched = Metrics.counter(Recommend.METRICS_NAMESPACE, "rulesMatched");
  private final Counter emitted =
      Metrics.counter(Recommend.METRICS_NAMESPACE, "recommendationsEmitted");

  ScoreBasketsFn(
      RecommendLayout layout, int k, TupleTag<RuleIndex> rulesTag, TupleTag<Row> basketsTag) {
    this.layout = layout;
    this.k = k;
    this.rulesTag = rulesTag;
    this.basketsTag = basketsTag;
  }

  @ProcessElement
  public void processElement(
      @Element KV<KV<Row, Integer>, CoGbkResult> e, OutputReceiver<Row> out) {
    Row key = e.getKey().getKey();
    Iterator<RuleIndex> indexes = e.getValue().getAll(rulesTag).iterator();
    Iterable<Row> rows = e.getValue().getAll(basketsTag);
    if (!indexes.hasNext()) {
      long n = 0;
      for (Row ignored : rows) {
        n++;
      }
      baskets.inc(n);
      withoutRules.inc(n);
      withoutRecs.inc(n);
      return;
    }
    RuleIndex index = indexes.next();
    if (indexes.hasNext()) {
      throw new IllegalStateException("Two rule indexes for " + layout.describe(key));
    }
    RecommendationRows scorer = new RecommendationRows(layout, index);
    boolean grouped = layout.groupField != null;
    Object group = grouped ? key.getValue(0) : null;
    long nBaskets = 0;
    long nEmpty = 0;
    long nMatched = 0;
    long nEmitted = 0;
    for (Row basket : rows) {
      nBaskets++;
      int m = scorer.emit(group, basket.getValue(0), basket.getArray(1), k, out::output);
      nMatched += scorer.lastMatched();
      if (m == 0) {
        nEmpty++;
      }
      nEmitted += m;
    }
    baskets.inc(nBaskets);
    withoutRecs.inc(nEmpty);
    matched.inc(nMatched);
    emitted.inc(nEmitted);
  }
}
