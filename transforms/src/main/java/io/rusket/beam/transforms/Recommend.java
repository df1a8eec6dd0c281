package io.rusket.beam.transforms;

import io.rusket.beam.miner.RuleMetric;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Basket recommendations from association rules: for each basket, the top k items not already in
 * it, each with its score and the rule that supports it.
 *
 * <p><b>Input</b>: the baskets this transform is applied to, and the rules given with {@link
 * #withRules}, per group as {@link RulesGrouped} outputs them (the same group field as the baskets,
 * same type) or global as {@link AssociationRules} outputs them (the {@code ...Globally}
 * factories). Baskets come either as long-format events, one row per {@code (group, basket id, item
 * STRING)} ({@link #events}; the events of a basket may arrive in any order and shard), or as one
 * row per basket {@code (group, basket id, items ARRAY<STRING>)} ({@link #baskets}); repeated items
 * count once. The rules need {@code antecedents} and {@code consequents} ({@code ARRAY<STRING>}),
 * {@code support}, {@code confidence}, {@code lift} and the score's column ({@code DOUBLE}); {@code
 * antecedent_support} and {@code consequent_support} are used, when present, to choose the rarest
 * item of each antecedent as its index key. Other fields are ignored.
 *
 * <p><b>Output</b>: one row per recommended item ({@link RecommendationSchema}): the group field,
 * the basket id field (same names and types as the baskets'), {@code rank INT32} (1 = best), {@code
 * item STRING}, {@code score DOUBLE}, and the supporting rule's {@code antecedents ARRAY<STRING>},
 * {@code confidence DOUBLE} and {@code lift DOUBLE}. A basket without a matching rule (or whose
 * group has no rules) has no rows; it is counted (below).
 *
 * <p><b>Scoring.</b> A rule {@code A → C} <em>matches</em> a basket B when {@code A ⊆ B}; it then
 * proposes every item of {@code C} not in B (as Spark MLlib's {@code FPGrowthModel.transform},
 * which predicts the union of those items). An item's score is the best value of the chosen metric
 * ({@link #withScore}, {@link RuleMetric#CONFIDENCE} by default; any of the twelve rule metrics,
 * read from the rule's column of that name) among the matching rules proposing it; that rule is its
 * <em>supporting rule</em>. Ties: between rules for one item, by lift, then support, then
 * confidence (all descending), then the rule's antecedent (item names compared in order, a shorter
 * prefix first) and consequent; between items, by score, then the supporting rule's lift, then its
 * support (descending), then item name (ascending, {@link String#compareTo}). So the output is
 * fully determined by the rules and the baskets, whatever the runner or sharding. With {@code k = }
 * {@link #ALL} every proposed item is output.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<Row> rules = freq.apply(           // store_id | antecedents | consequents | ...
 *     RulesGrouped.byColumn("store_id").withMetric(RuleMetric.CONFIDENCE).withMinThreshold(0.3));
 * PCollection<Row> recs = todaysEvents.apply(    // store_id | receipt_id | sku
 *     Recommend.events("store_id", "receipt_id", "sku").withRules(rules).withK(3)
 *         .withScore(RuleMetric.LIFT));
 * // store_id | receipt_id | rank | item | score | antecedents | confidence | lift
 * PCollection<Row> carts = ...;                  // cart_id | items ARRAY<STRING>
 * carts.apply(Recommend.basketsGlobally("cart_id", "items").withRules(globalRules));
 * }</pre>
 *
 * <p><b>Shape and memory.</b> "KeyRules" → "GroupRules" (GroupByKey by group) → "IndexRules": each
 * group's rules become one {@link RuleIndex} on one worker — <b>all the rules of one group must fit
 * in the memory of a single worker</b> (about 60 bytes per rule plus 4 per antecedent and
 * consequent item, and each item name once). Each rule is listed under one key item, the rarest of
 * its antecedent, in a per-group dictionary of primitive arrays; a basket visits only the rules
 * keyed by its own items and checks the rest of each antecedent against a mark per item, so its
 * cost grows with the rules that could match it, not with all the rules of its group. Baskets
 * ("KeyBaskets", or for events "KeyEvents" → "GroupEvents" → "AssembleBaskets", where one basket's
 * events must fit in memory) are keyed by {@code (group, shard)}, the shard a hash of the basket id
 * in {@code [0, shardsPerGroup)}, and each group's index is sent to each of its shards; a {@code
 * CoGroupByKey} ("JoinRulesAndBaskets") brings every shard's index and baskets together and
 * "ScoreBaskets" streams the baskets past it. Nothing holds all the groups' rules at once (unlike a
 * side input, which every worker would hold whole): the work scales with the number of groups, and
 * {@link #withShardsPerGroup} spreads one large group's baskets over that many workers (at the cost
 * of that many copies of its index in the shuffle). Beam's {@code CoGroupByKey} result keeps the
 * values of one key in memory when the runner's grouped values can be read only once (as on the
 * Spark runner), so one shard's baskets of one group, as rows, should fit in a worker too: raise
 * {@link #withShardsPerGroup} for groups with very many baskets. For <b>global rules</b> the
 * default is instead {@link #withRulesAsSideInput} (their one index must fit in a worker either
 * way): every worker holds the index and scores each basket in the step that reads it (for events,
 * that assembles it), with no shuffle of the baskets; {@code withRulesAsSideInput(false)} asks for
 * the join.
 *
 * <p><b>Validation</b>: settings in {@code withX} (naming the bad value), schemas in {@code expand}
 * (a missing or mistyped field, group fields of different types, a missing {@link #withRules});
 * while running, a null group, basket id or item, and an invalid rule (null or repeated item, empty
 * consequent, an item on both sides, a NaN score, lift, support or confidence, the same rule twice
 * in a group) fail naming the value, the rule and the group.
 *
 * <p><b>Metrics</b> (namespace {@value #METRICS_NAMESPACE}): counters {@code groupsIndexed}, {@code
 * rulesIndexed}, {@code baskets}, {@code basketsWithoutRules}, {@code
 * basketsWithoutRecommendations}, {@code rulesMatched}, {@code recommendationsEmitted};
 * distribution {@code indexBytes} (one group's index).
 *
 * <p>References: Agrawal and Srikant, "Fast algorithms for mining association rules", VLDB 1994;
 * the rule-based recommender of Sarwar, Karypis, Konstan and Riedl, "Analysis of recommendation
 * algorithms for e-commerce", ACM EC 2000.
 */
public final class Recommend extends PTransform<PCollection<Row>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  /** Namespace of this transform's Beam metrics. */
  public static final String METRICS_NAMESPACE = "Recommend";

  /** Default number of items per basket: 5. */
  public static final int DEFAULT_K = 5;

  /** {@code k} that outputs every proposed item. */
  public static final int ALL = Integer.MAX_VALUE;

  /** Default score: {@link RuleMetric#CONFIDENCE}. */
  public static final RuleMetric DEFAULT_SCORE = RuleMetric.CONFIDENCE;

  /** Default number of shards of each group's baskets: 8. */
  public static final int DEFAULT_SHARDS_PER_GROUP = 8;

  /** Most shards per group. */
  public static final int MAX_SHARDS_PER_GROUP = 1 << 16;

  private final @Nullable String groupField;
  private final String basketField;
  private final String itemField;
  private final boolean events;
  private final transient @Nullable PCollection<Row> rules;
  private final int k;
  private final RuleMetric score;
  private final int shardsPerGroup;

  /** Whether the rules go as a side input; null: the default (iff global rules). */
  private final @Nullable Boolean sideInput;

  private Recommend(
      @Nullable String groupField,
      String basketField,
      String itemField,
      boolean events,
      @Nullable PCollection<Row> rules,
      int k,
      RuleMetric score,
      int shardsPerGroup,
      @Nullable Boolean sideInput) {
    this.groupField = groupField;
    this.basketField = basketField;
    this.itemField = itemField;
    this.events = events;
    this.rules = rules;
    this.k = k;
    this.score = score;
    this.shardsPerGroup = shardsPerGroup;
    this.sideInput = sideInput;
  }

  /**
   * Baskets as events {@code (groupField, basketField, itemField STRING)}, one row per item; rules
   * per group.
   *
   * @throws IllegalArgumentException if a field name is null or empty
   */
  public static Recommend events(String groupField, String basketField, String itemField) {
    return create(checkName(groupField, "group"), basketField, itemField, true);
  }

  /**
   * Baskets as rows {@code (groupField, basketField, itemsField ARRAY<STRING>)}; rules per group.
   *
   * @throws IllegalArgumentException if a field name is null or empty
   */
  public static Recommend baskets(String groupField, String basketField, String itemsField) {
    return create(checkName(groupField, "group"), basketField, itemsField, false);
  }

  /** As {@link #events}, without groups: global rules, as {@link AssociationRules} outputs. */
  public static Recommend eventsGlobally(String basketField, String itemField) {
    return create(null, basketField, itemField, true);
  }

  /** As {@link #baskets}, without groups: global rules, as {@link AssociationRules} outputs. */
  public static Recommend basketsGlobally(String basketField, String itemsField) {
    return create(null, basketField, itemsField, false);
  }

  private static Recommend create(
      @Nullable String group, String basket, String item, boolean events) {
    return new Recommend(
        group,
        checkName(basket, "basket id"),
        checkName(item, events ? "item" : "items"),
        events,
        null,
        DEFAULT_K,
        DEFAULT_SCORE,
        DEFAULT_SHARDS_PER_GROUP,
        null);
  }

  private static String checkName(String name, String role) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid "
              + role
              + " field: "
              + (name == null ? "null" : "''")
              + ". It must be the non-empty name of an input field.");
    }
    return name;
  }

  /**
   * The rules to recommend from (required): a {@code PCollection<Row>} of the same pipeline, as
   * {@link RulesGrouped} (per group) or {@link AssociationRules} (global) outputs them.
   *
   * @throws IllegalArgumentException if {@code rules} is null
   */
  public Recommend withRules(PCollection<Row> rules) {
    if (rules == null) {
      throw new IllegalArgumentException("Invalid rules: null. Pass the rules' PCollection<Row>.");
    }
    return new Recommend(
        groupField, basketField, itemField, events, rules, k, score, shardsPerGroup, sideInput);
  }

  /**
   * The number of items per basket, at most (default {@value #DEFAULT_K}); {@link #ALL} for all.
   *
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public Recommend withK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException(
          "Invalid k: " + k + ". Valid range is [1, " + ALL + "] (" + ALL + " = all items).");
    }
    return new Recommend(
        groupField, basketField, itemField, events, rules, k, score, shardsPerGroup, sideInput);
  }

  /**
   * The rule metric that scores items (default {@link RuleMetric#CONFIDENCE}): {@code LIFT}, {@code
   * CONVICTION}, any {@link RuleMetric}.
   *
   * @throws IllegalArgumentException if {@code metric} is null, listing the valid ones
   */
  public Recommend withScore(RuleMetric metric) {
    if (metric == null) {
      RuleMetric.parse(null);
    }
    return new Recommend(
        groupField, basketField, itemField, events, rules, k, metric, shardsPerGroup, sideInput);
  }

  /**
   * The score metric by name, as {@link RuleMetric#parse}: {@code "lift"}, {@code "conviction"}.
   *
   * @throws IllegalArgumentException for an unknown name, naming it and listing the valid ones
   */
  public Recommend withScore(String metric) {
    return withScore(RuleMetric.parse(metric));
  }

  /**
   * Shards of each group's baskets (default {@value #DEFAULT_SHARDS_PER_GROUP}): one group's
   * baskets are scored on up to that many workers, each receiving a copy of the group's index.
   *
   * @throws IllegalArgumentException outside {@code [1, MAX_SHARDS_PER_GROUP]}
   */
  public Recommend withShardsPerGroup(int shards) {
    if (shards < 1 || shards > MAX_SHARDS_PER_GROUP) {
      throw new IllegalArgumentException(
          "Invalid shardsPerGroup: "
              + shards
              + ". Valid range is [1, "
              + MAX_SHARDS_PER_GROUP
              + "].");
    }
    return new Recommend(
        groupField, basketField, itemField, events, rules, k, score, shards, sideInput);
  }

  /**
   * Hands the rule indexes of all groups to every worker as a side input instead of joining them
   * with the baskets by {@code (group, shard)}: no shuffle of the baskets (each basket is scored in
   * the step that reads it, or for events that assembles it), but <b>all the groups' rules must fit
   * in the memory of every worker</b>. The default for global rules (the {@code ...Globally}
   * factories), whose one index must fit in a worker either way; for rules per group, for few
   * groups with small rule sets (the default join scales with the number of groups). The output is
   * the same. (Beam's DirectRunner runs a side-input ParDo after a GroupByKey — the events form —
   * one basket per bundle: slow for many baskets there.)
   */
  public Recommend withRulesAsSideInput() {
    return withRulesAsSideInput(true);
  }

  /**
   * Whether the rules go to every worker as a side input ({@code true}, see {@link
   * #withRulesAsSideInput()}) or are joined with the baskets by {@code (group, shard)} ({@code
   * false}); by default a side input for global rules and the join for rules per group.
   */
  public Recommend withRulesAsSideInput(boolean asSideInput) {
    return new Recommend(
        groupField, basketField, itemField, events, rules, k, score, shardsPerGroup, asSideInput);
  }

  /**
   * Whether the rules go to every worker as a side input: as set by {@link
   * #withRulesAsSideInput(boolean)}, else true iff the rules are global.
   */
  public boolean isRulesAsSideInput() {
    return sideInput != null ? sideInput : groupField == null;
  }

  /** The group field, or null for global rules. */
  public @Nullable String getGroupField() {
    return groupField;
  }

  public int getK() {
    return k;
  }

  public RuleMetric getScore() {
    return score;
  }

  public int getShardsPerGroup() {
    return shardsPerGroup;
  }

  /**
   * @throws IllegalArgumentException without {@link #withRules}, for rules of another pipeline, or
   *     for input schemas that lack a field or have one of the wrong type (naming it and the fields
   *     present)
   */
  @Override
  public PCollection<Row> expand(PCollection<Row> baskets) {
    PCollection<Row> r = rules;
    if (r == null) {
      throw new IllegalArgumentException(
          "Recommend needs rules: call withRules(rules) with the rules' PCollection<Row>.");
    }
    if (r.getPipeline() != baskets.getPipeline()) {
      throw new IllegalArgumentException(
          "Recommend: the rules belong to another pipeline than the baskets.");
    }
    for (PCollection<Row> c : java.util.List.of(r, baskets)) {
      if (!c.hasSchema()) {
        throw new IllegalArgumentException(
            "Recommend needs PCollection<Row>s with schemas, but "
                + c.getName()
                + " has none. Set one with setRowSchema(...).");
      }
    }
    RecommendLayout l =
        new RecommendLayout(
            r.getSchema(), baskets.getSchema(), groupField, basketField, itemField, events, score);
    RowCoder keyCoder = RowCoder.of(l.keySchema);
    KvCoder<Row, Integer> shardKey = KvCoder.of(keyCoder, VarIntCoder.of());
    boolean asSideInput = isRulesAsSideInput();
    int shards = asSideInput ? 1 : shardsPerGroup;
    PCollection<KV<KV<Row, Integer>, RuleIndex>> indexes =
        r.apply("KeyRules", ParDo.of(new KeyRulesByGroupFn(l)))
            .setCoder(KvCoder.of(keyCoder, RowCoder.of(r.getSchema())))
            .apply("GroupRules", GroupByKey.create())
            .apply("IndexRules", ParDo.of(new BuildRuleIndexFn(l, shards)))
            .setCoder(KvCoder.of(shardKey, RuleIndex.Coder.of()));
    PCollection<KV<Row, Iterable<String>>> grouped = null;
    if (events) {
      grouped =
          baskets
              .apply("KeyEvents", ParDo.of(new KeyBasketEventsFn(l)))
              .setCoder(KvCoder.of(RowCoder.of(l.eventKeySchema), StringUtf8Coder.of()))
              .apply("GroupEvents", GroupByKey.create());
    }
    if (asSideInput) {
      PCollectionView<Map<Row, RuleIndex>> view =
          indexes
              .apply(
                  "DropShard",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptor.of(Row.class), TypeDescriptor.of(RuleIndex.class)))
                      .via(
                          (KV<KV<Row, Integer>, RuleIndex> kv) ->
                              KV.of(kv.getKey().getKey(), kv.getValue())))
              .setCoder(KvCoder.of(keyCoder, RuleIndex.Coder.of()))
              .apply("RulesView", View.asMap());
      PCollection<Row> out =
          grouped != null
              ? grouped.apply(
                  "ScoreBaskets",
                  ParDo.of(new ScoreWithSideInputFn.Events(l, k, view)).withSideInputs(view))
              : baskets.apply(
                  "ScoreBaskets",
                  ParDo.of(new ScoreWithSideInputFn.Rows(l, k, view)).withSideInputs(view));
      return out.setRowSchema(l.outputSchema);
    }
    PCollection<KV<KV<Row, Integer>, Row>> keyed =
        grouped != null
            ? grouped.apply("AssembleBaskets", ParDo.of(new AssembleBasketsFn(l, shards)))
            : baskets.apply("KeyBaskets", ParDo.of(new KeyBasketsFn(l, shards)));
    keyed.setCoder(KvCoder.of(shardKey, RowCoder.of(l.basketSchema)));
    TupleTag<RuleIndex> rulesTag = new TupleTag<>("rules");
    TupleTag<Row> basketsTag = new TupleTag<>("baskets");
    return KeyedPCollectionTuple.of(rulesTag, indexes)
        .and(basketsTag, keyed)
        .apply("JoinRulesAndBaskets", CoGroupByKey.create())
        .apply("ScoreBaskets", ParDo.of(new ScoreBasketsFn(l, k, rulesTag, basketsTag)))
        .setRowSchema(l.outputSchema);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .addIfNotNull(DisplayData.item("groupField", groupField).withLabel("Group field"))
        .add(DisplayData.item("basketField", basketField).withLabel("Basket id field"))
        .add(
            DisplayData.item("itemField", itemField)
                .withLabel(events ? "Item field (events)" : "Items field (ARRAY<STRING>)"))
        .add(
            DisplayData.item("k", k == ALL ? "all" : Integer.toString(k))
                .withLabel("Items per basket"))
        .add(DisplayData.item("score", score.columnName()).withLabel("Score (rule metric)"))
        .add(
            DisplayData.item("shardsPerGroup", shardsPerGroup)
                .withLabel("Shards of each group's baskets"))
        .add(
            DisplayData.item("rulesAsSideInput", isRulesAsSideInput())
                .withLabel("All groups' rules to every worker (side input)"));
  }
}
