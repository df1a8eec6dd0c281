package io.rusket.beam.transforms;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One group's {@link BasketScorer} and the writer of its output rows ({@link
 * RecommendationSchema}): scores a basket and emits one row per recommended item.
 *
 * <p>Rows are built with {@link Row.Builder#attachValues}, without Beam's per-row verification (a
 * field-by-field type walk that cost most of the scoring step's time): every value is already of
 * its field's in-memory type — the group and basket id as read from the input rows of that schema,
 * {@code Integer} rank, {@code String} item, {@code Double} metrics and an immutable {@code
 * List<String>} of antecedents. What each row shares with others (a rule's antecedent list and its
 * boxed score, confidence and lift; the rank) is made once per rule and scorer, lazily, so a row
 * costs its value array and the row object. Not thread-safe: one per DoFn instance and group.
 */
final class RecommendationRows {
  private final RecommendLayout layout;
  private final RuleIndex index;
  private final BasketScorer scorer;
  private final Schema schema;
  private final boolean grouped;

  /** Per rule, once used: {@code score, antecedents, confidence, lift} as output values. */
  private final Object[][] ruleValues;

  /** Per item, once recommended: its name (the dictionary's own String). */
  private final String[] names;

  RecommendationRows(RecommendLayout layout, RuleIndex index) {
    this.layout = layout;
    this.index = index;
    this.scorer = new BasketScorer(index);
    this.schema = layout.outputSchema;
    this.grouped = layout.groupField != null;
    this.ruleValues = new Object[index.nRules][];
    this.names = new String[index.nItems()];
  }

  /** The index this scores against. */
  RuleIndex index() {
    return index;
  }

  /** Rules matched by the last basket scored (for the metrics). */
  int lastMatched() {
    return scorer.lastMatched;
  }

  /**
   * Scores basket {@code id} of {@code group} (ignored for global rules) with these items and
   * outputs its rows, best first.
   *
   * @return the number of items recommended
   * @throws IllegalArgumentException if an item is null, naming the basket
   */
  int emit(@Nullable Object group, Object id, Collection<String> items, int k, Consumer<Row> out) {
    int m = scorer.score(items, k);
    if (m < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Recommend: invalid value null in items field '%s' of basket %s=%s: an item is null"
                  + " (items %s)",
              layout.itemField, layout.basketField, id, items));
    }
    for (int i = 0; i < m; i++) {
      int item = scorer.item(i);
      Object[] rule = ruleValues(scorer.rule(i));
      String name = names[item];
      if (name == null) {
        name = names[item] = index.name(item);
      }
      Object[] v = new Object[grouped ? 8 : 7];
      int j = 0;
      if (grouped) {
        v[j++] = group;
      }
      v[j++] = id;
      v[j++] = i + 1; // Integer.valueOf: cached up to 127
      v[j++] = name;
      v[j++] = rule[0];
      v[j++] = rule[1];
      v[j++] = rule[2];
      v[j] = rule[3];
      out.accept(Row.withSchema(schema).attachValues(Arrays.asList(v)));
    }
    return m;
  }

  private Object[] ruleValues(int r) {
    Object[] v = ruleValues[r];
    if (v == null) {
      List<String> ants = Collections.unmodifiableList(Arrays.asList(index.antecedentNames(r)));
      v = ruleValues[r] = new Object[] {index.score[r], ants, index.confidence[r], index.lift[r]};
    }
    return v;
  }
}
