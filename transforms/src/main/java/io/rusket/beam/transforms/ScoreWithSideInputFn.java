package io.rusket.beam.transforms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link Recommend}'s "ScoreBaskets" with the rules as a side input ({@link
 * Recommend#withRulesAsSideInput}, the default for global rules): each basket scored against its
 * group's {@link RuleIndex}, looked up in a side input holding every group's index, in the step
 * that reads the basket — {@link Rows} takes the input's basket rows themselves, {@link Events} the
 * grouped events of one basket — so the baskets are neither copied nor shuffled. One {@link
 * RecommendationRows} per group and DoFn instance; consecutive baskets of one group reuse it
 * without a lookup.
 */
abstract class ScoreWithSideInputFn<T> extends DoFn<T, Row> {
  private static final long serialVersionUID = 1L;
  final RecommendLayout layout;
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

  /** Per group key: its scorer, for the indexes of {@link #indexes}. */
  private transient Map<Row, RecommendationRows> scorers;

  private transient long[] tally;
  private transient @Nullable BoundedWindow lastWindow;
  private transient Map<Row, RuleIndex> indexes;

  /** The group value of the last basket and its scorer (null: no rules), if {@link #hasLast}. */
  private transient @Nullable Object lastGroup;

  private transient @Nullable RecommendationRows lastScorer;
  private transient boolean hasLast;

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
    hasLast = false;
  }

  @ProcessElement
  public void processElement(ProcessContext c, BoundedWindow window) {
    // A runner may rebuild the map (decoding every index) on each sideInput call: fetch it once
    // per window and bundle, and keep one scorer per group with it.
    if (!window.equals(lastWindow)) {
      lastWindow = window;
      indexes = c.sideInput(view);
      scorers.clear();
      hasLast = false;
    }
    process(c.element(), c::output);
  }

  /** Reads one basket from {@code element} and calls {@link #score}. */
  abstract void process(T element, Consumer<Row> out);

  /** Scores basket {@code id} of {@code group} (null for global rules) and outputs its rows. */
  final void score(@Nullable Object group, Object id, Collection<String> items, Consumer<Row> out) {
    RecommendationRows scorer = scorerFor(group);
    long[] t = tally;
    t[0]++;
    if (scorer == null) {
      t[1]++;
      t[2]++;
      return;
    }
    int m = scorer.emit(group, id, items, k, out);
    t[2] += m == 0 ? 1 : 0;
    t[3] += scorer.lastMatched();
    t[4] += m;
  }

  private @Nullable RecommendationRows scorerFor(@Nullable Object group) {
    if (hasLast && Objects.equals(group, lastGroup)) {
      return lastScorer;
    }
    Row key =
        Row.withSchema(layout.keySchema)
            .attachValues(
                layout.groupField == null
                    ? Collections.emptyList()
                    : Collections.singletonList(group));
    RuleIndex index = indexes.get(key);
    RecommendationRows scorer = null;
    if (index != null) {
      scorer = scorers.get(key);
      if (scorer == null || scorer.index() != index) {
        scorer = new RecommendationRows(layout, index);
        scorers.put(key, scorer);
      }
    }
    lastGroup = group;
    lastScorer = scorer;
    hasLast = true;
    return scorer;
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
    hasLast = false;
    lastGroup = null;
    lastScorer = null;
  }

  /** Basket rows {@code (group, basket id, items ARRAY<STRING>)}, as the input holds them. */
  static final class Rows extends ScoreWithSideInputFn<Row> {
    private static final long serialVersionUID = 1L;

    Rows(RecommendLayout layout, int k, PCollectionView<Map<Row, RuleIndex>> view) {
      super(layout, k, view);
    }

    @Override
    void process(Row row, Consumer<Row> out) {
      RecommendLayout l = layout;
      Object group = l.bGroup < 0 ? null : row.getValue(l.bGroup);
      if (l.bGroup >= 0 && group == null) {
        l.key(row, l.bGroup, "the basket row"); // throws, naming the field and the row
      }
      Object id = KeyBasketsFn.basketId(l, row);
      score(group, id, KeyBasketsFn.itemsArray(l, row, id), out); // null items: emit throws
    }
  }

  /** One basket's events, grouped by {@code (group, basket id)} ("GroupEvents"). */
  static final class Events extends ScoreWithSideInputFn<KV<Row, Iterable<String>>> {
    private static final long serialVersionUID = 1L;
    private transient @Nullable List<String> items;

    Events(RecommendLayout layout, int k, PCollectionView<Map<Row, RuleIndex>> view) {
      super(layout, k, view);
    }

    @Override
    void process(KV<Row, Iterable<String>> basket, Consumer<Row> out) {
      Row key = basket.getKey();
      boolean grouped = layout.bGroup >= 0;
      List<String> list = items;
      if (list == null) {
        list = items = new ArrayList<>();
      }
      list.clear();
      for (String s : basket.getValue()) {
        list.add(s);
      }
      score(grouped ? key.getValue(0) : null, key.getValue(grouped ? 1 : 0), list, out);
    }
  }
}
