package io.rusket.beam.transforms;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;

/**
 * {@link Recommend}'s "ScoreBaskets" with {@link Recommend#withRulesAsSideInput()}: each basket
 * scored against its group's {@link RuleIndex}, looked up in a side input holding every group's
 * index (no shuffle of the baskets); one {@link BasketScorer} per index and DoFn instance.
 */
final class ScoreWithSideInputFn extends DoFn<KV<KV<Row, Integer>, Row>, Row> {
  private static final long serialVersionUID = 1L;
  private final RecommendLayout layout;
  private final int k;
  private final PCollectionView<Map<Row, RuleIndex>> view;
  private final Counter baskets = Metrics.counter(Recommend.METRICS_NAMESPACE, "baskets");
  private final Counter withoutRules =
      Metrics.counter(Recommend.METRICS_NAMESPACE, "basketsWithoutRules");
  private final Counter withoutRecs =
      Metrics.counter(Recommend.METRICS_NAMESPACE, "basketsWithoutRecommendations");
  private final Counter matched = Metrics.counter(Recommend.METRICS_NAMESPACE, "rulesMatched");
  private final Counter emitted =
      Metrics.counter(Recommend.METRICS_NAMESPACE, "recommendationsEmitted");

  /** Per group key: its index as last seen and its scorer. */
  private transient Map<Row, KV<RuleIndex, BasketScorer>> scorers;

  private transient long[] tally;
  private transient BoundedWindow lastWindow;
  private transient Map<Row, RuleIndex> indexes;

  ScoreWithSideInputFn(RecommendLayout layout, int k, PCollectionView<Map<Row, RuleIndex>> view) {
    this.layout = layout;
    this.k = k;
    this.view = view;
  }

  @StartBundle
  public void startBundle() {
    scorers = new HashMap<>();
    tally = new long[5];
    lastWindow = null;
    indexes = null;
  }

  @ProcessElement
  public void processElement(ProcessContext c, BoundedWindow window) {
    KV<KV<Row, Integer>, Row> e = c.element();
    Row key = e.getKey().getKey();
    // A runner may rebuild the map (decoding every index) on each sideInput call: fetch it once
    // per window and bundle, and keep one scorer per group with it.
    if (!window.equals(lastWindow)) {
      lastWindow = window;
      indexes = c.sideInput(view);
      scorers.clear();
    }
    RuleIndex index = indexes.get(key);
    long[] t = tally;
    t[0]++;
    if (index == null) {
      t[1]++;
      t[2]++;
      return;
    }
    KV<RuleIndex, BasketScorer> cached = scorers.get(key);
    if (cached == null || cached.getKey() != index) {
      cached = KV.of(index, new BasketScorer(index));
      scorers.put(key, cached);
    }
    BasketScorer scorer = cached.getValue();
    Object group = layout.groupField != null ? key.getValue(0) : null;
    int m = ScoreBasketsFn.emit(layout, index, scorer, group, e.getValue(), k, c::output);
    t[2] += m == 0 ? 1 : 0;
    t[3] += scorer.lastMatched;
    t[4] += m;
  }

  @FinishBundle
  public void finishBundle() {
    baskets.inc(tally[0]);
    withoutRules.inc(tally[1]);
    withoutRecs.inc(tally[2]);
    matched.inc(tally[3]);
    emitted.inc(tally[4]);
    scorers = null;
    lastWindow = null;
    indexes = null;
  }
}
