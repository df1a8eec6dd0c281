package io.rusket.beam.transforms;

import java.util.Arrays;
import java.util.Collection;
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
 * (none when the group has no rules) and its baskets, streamed past one {@link BasketScorer}; each
 * basket's top k items out as rows of {@link RecommendationSchema}.
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

  /**
   * Scores one basket value {@code (basket id, items)} and outputs its rows.
   *
   * @return the number of items recommended
   */
  static int emit(
      RecommendLayout layout,
      RuleIndex index,
      BasketScorer scorer,
      Object group,
      Row basket,
      int k,
      java.util.function.Consumer<Row> out) {
    Object id = basket.getValue(0);
    Collection<String> items = basket.getArray(1);
    int m = scorer.score(items.toArray(new String[0]), k);
    for (int i = 0; i < m; i++) {
      int item = scorer.item(i);
      int r = scorer.rule(i);
      Row.Builder b = Row.withSchema(layout.outputSchema);
      if (layout.groupField != null) {
        b.addValue(group);
      }
      out.accept(
          b.addValues(
                  id,
                  i + 1,
                  index.name(item),
                  index.score[r],
                  Arrays.asList(index.antecedentNames(r)),
                  index.confidence[r],
                  index.lift[r])
              .build());
    }
    return m;
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
    BasketScorer scorer = new BasketScorer(index);
    boolean grouped = layout.groupField != null;
    Object group = grouped ? key.getValue(0) : null;
    long nBaskets = 0;
    long nEmpty = 0;
    long nMatched = 0;
    long nEmitted = 0;
    for (Row basket : rows) {
      nBaskets++;
      int m = emit(layout, index, scorer, group, basket, k, out::output);
      nMatched += scorer.lastMatched;
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
