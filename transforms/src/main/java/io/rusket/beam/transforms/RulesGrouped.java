package io.rusket.beam.transforms;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import io.rusket.beam.miner.Target;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Association rules per group (store, region, customer segment): takes the frequent itemsets of
 * every group, as {@code MineGrouped} outputs them, and returns, for each group, every rule {@code
 * A → C} whose chosen metric is at least the threshold, with all twelve metrics computed from that
 * group's supports.
 *
 * <p><b>Input</b>: Rows with the group field (any type usable as a grouping key), {@code support
 * DOUBLE}, {@code itemsets ARRAY<STRING>} (or {@code ARRAY<INT32>} item ids), {@code count INT64}
 * and {@code transactions INT64}, the number of transactions of the group the itemsets were mined
 * from, so that {@code support = count / transactions}. Fields are found by name; other fields are
 * ignored. Nothing else is needed: unlike the seed's {@code rules_grouped}, the per-group
 * transaction counts travel with the itemsets.
 *
 * <p><b>Output</b>: one Row per rule: the group field (same name and type), {@code antecedents} and
 * {@code consequents} ({@code ARRAY<STRING>}, or {@code ARRAY<INT32>} for int items; items
 * ascending), then one {@code DOUBLE} per {@link RuleMetric}, named by {@link
 * RuleMetric#columnName()}, in this order: antecedent_support, consequent_support, support,
 * confidence, lift, representativity, leverage, conviction, zhangs_metric, jaccard, certainty,
 * kulczynski. A group with no rule above the threshold has no rows.
 *
 * <p>The rules and their metrics are those of the miner's {@link RuleMiner} (mlxtend's formulas),
 * run on each group's itemsets with {@code N = transactions}: the same code computes them, so the
 * values are identical to the bit. Within a group, items get dense ids in ascending order of their
 * names (or int ids), so the output does not depend on the order or sharding of the input.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<Row> freq = receipts.apply(
 *     MineGrouped.byColumn("store_id").withMinSupport(0.05).withMaxLen(3));
 * PCollection<Row> rules = freq.apply(
 *     RulesGrouped.byColumn("store_id").withMetric(RuleMetric.CONFIDENCE).withMinThreshold(0.6));
 * // store_id | antecedents | consequents | antecedent_support | ... | kulczynski
 * }</pre>
 *
 * <p><b>Memory</b>: all the itemsets of one group must fit in the memory of a single worker. They
 * are held as compact int arrays (4 bytes per item of every itemset and 12 bytes per itemset, twice
 * while they are put in canonical order) plus each distinct item value once, and the miner's index
 * adds 8 to 16 bytes per itemset. The rules are never held: each is output as soon as it is
 * generated.
 *
 * <p><b>Every non-empty subset of every itemset must be present</b> in its group, as {@code
 * MineGrouped} (or any frequent itemset miner, with or without a maximum length) outputs them: the
 * supports of the antecedent and the consequent are looked up there. Itemsets filtered by the user
 * (closed, maximal, a support band) make the pipeline fail with a message naming the missing
 * itemset and the group, as do the other input errors: a null field or item, an empty itemset, an
 * item listed twice in one itemset, an itemset listed twice in one group, {@code count} outside
 * {@code [1, transactions]}, a {@code support} that is not {@code count / transactions}, and rows
 * of one group that disagree on {@code transactions}. Nothing is silently dropped.
 *
 * <p><b>Why GroupByKey and not {@code Combine.perKey}.</b> The steps are {@code KeyByGroup}
 * (validates each row and projects it to a compact value {@code (items, count, transactions)} keyed
 * by the group), {@code GroupItemsets} (a {@code GroupByKey}) and {@code GenerateRules} (builds the
 * group's compact {@link io.rusket.beam.miner.Itemsets} in one pass over its values and streams the
 * rules). A {@code CombineFn} would buy nothing here: rule generation needs all the itemsets of a
 * group at once (any itemset may hold the support a rule needs), so there is no partial result to
 * compute early, and since a group's itemsets are all distinct, a map-side accumulator is exactly
 * as large as the rows it absorbed, so combiner lifting would not shrink the shuffle; merging
 * accumulators would re-map each one's item dictionary at every merge; and a {@code CombineFn}
 * never sees its key, whereas every input error must name its group. Contrast {@code MineGrouped},
 * where accumulating transactions into a compact structure is the work itself.
 *
 * <p><b>Metrics</b> (namespace {@value #METRICS_NAMESPACE}): counters {@code groups}, {@code
 * itemsetsRead} and {@code rulesEmitted}.
 *
 * <p>Windowing is that of {@link org.apache.beam.sdk.transforms.GroupByKey}: rules are computed per
 * group and window.
 *
 * <p>References: Agrawal and Srikant, "Fast algorithms for mining association rules", Proc. 20th
 * VLDB, 1994, pp. 487–499 (rules from frequent itemsets); metric definitions as in mlxtend
 * (Raschka, "MLxtend", Journal of Open Source Software 3(24), 2018), see {@link RuleMetric}.
 *
 * @see AssociationRules the same for ungrouped itemsets
 */
public final class RulesGrouped extends PTransform<PCollection<Row>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  /** Default metric: {@link RuleMetric#CONFIDENCE}, as mlxtend's {@code metric="confidence"}. */
  public static final RuleMetric DEFAULT_METRIC = RuleMiner.DEFAULT_METRIC;

  /** Default threshold: 0.8, as mlxtend's {@code min_threshold=0.8}. */
  public static final double DEFAULT_MIN_THRESHOLD = RuleMiner.DEFAULT_MIN_THRESHOLD;

  /** Namespace of this transform's Beam metrics. */
  public static final String METRICS_NAMESPACE = "RulesGrouped";

  private final String groupColumn;
  private final RuleMetric metric;
  private final double minThreshold;
  private final Target input;

  private RulesGrouped(Builder b) {
    this.groupColumn = b.groupColumn;
    this.metric = b.metric;
    this.minThreshold = b.minThreshold;
    this.input = b.input;
  }

  private Builder toBuilder() {
    return new Builder(groupColumn).metric(metric).minThreshold(minThreshold).input(input);
  }

  /** Makes copies with one setting changed: {@code toBuilder().x(v).build()}. */
  private static final class Builder {
    private final String groupColumn;
    private RuleMetric metric = DEFAULT_METRIC;
    private double minThreshold = DEFAULT_MIN_THRESHOLD;
    private Target input = Target.ALL;

    private Builder(String groupColumn) {
      this.groupColumn = groupColumn;
    }

    private Builder metric(RuleMetric metric) {
      this.metric = metric;
      return this;
    }

    private Builder minThreshold(double minThreshold) {
      this.minThreshold = minThreshold;
      return this;
    }

    private Builder input(Target input) {
      this.input = input;
      return this;
    }

    private RulesGrouped build() {
      return new RulesGrouped(this);
    }
  }

  /**
   * Rules per value of the input field {@code groupColumn}, with the default metric and threshold
   * (confidence at least 0.8).
   *
   * @throws IllegalArgumentException if {@code groupColumn} is null or empty
   */
  public static RulesGrouped byColumn(String groupColumn) {
    if (groupColumn == null || groupColumn.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid group column: "
              + (groupColumn == null ? "null" : "''")
              + ". It must be the non-empty name of the input field that identifies the group.");
    }
    return new Builder(groupColumn).build();
  }

  /**
   * The metric that selects rules.
   *
   * @throws IllegalArgumentException if {@code m} is null, listing the valid metrics
   */
  public RulesGrouped withMetric(RuleMetric m) {
    RuleRows.checkConfig(m, minThreshold);
    return toBuilder().metric(m).build();
  }

  /**
   * The metric that selects rules, by name: {@code "lift"}, {@code "LIFT"}, or mlxtend's {@code
   * "antecedent support"} (see {@link RuleMetric#parse}).
   *
   * @throws IllegalArgumentException for an unknown name, naming it and listing the valid ones
   */
  public RulesGrouped withMetric(String name) {
    return withMetric(RuleMetric.parse(name));
  }

  /**
   * The least value of the metric for a rule to be kept (inclusive). Any number is accepted,
   * including ±∞ ({@code -∞} keeps every rule).
   *
   * @throws IllegalArgumentException if {@code t} is NaN
   */
  public RulesGrouped withMinThreshold(double t) {
    RuleRows.checkConfig(metric, t);
    return toBuilder().minThreshold(t).build();
  }

  /** The input field that identifies the group. */
  public String getGroupColumn() {
    return groupColumn;
  }

  /** The metric that selects rules. */
  public RuleMetric getMetric() {
    return metric;
  }

  /**
   * What the input rows are: {@link Target#ALL} (default; every frequent itemset, each subset of an
   * itemset present, as {@code MineGrouped} / {@code MineStream} output by default) or {@link
   * Target#CLOSED} (their output {@code withTarget(Target.CLOSED)}): the supports of the missing
   * subsets are recovered from the closed itemsets ({@link RuleMiner#withInput}), so the rules are
   * exactly those of every frequent itemset; the recovered itemsets of a group are held in memory
   * as the full set would be.
   *
   * @throws IllegalArgumentException for {@link Target#MAXIMAL} (maximal itemsets do not give the
   *     supports of their subsets) or null
   */
  public RulesGrouped withInput(Target input) {
    return toBuilder().input(RuleMiner.checkInput(input)).build();
  }

  /** What the input rows are (ALL or CLOSED). */
  public Target getInput() {
    return input;
  }

  /** The least value of the metric for a rule to be kept. */
  public double getMinThreshold() {
    return minThreshold;
  }

  /**
   * @throws IllegalArgumentException if the input has no schema, lacks a field or has one of the
   *     wrong type (naming it, the type expected and the fields present), or its group field is
   *     named like an output field or cannot be a grouping key
   */
  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    RuleRows.Layout layout = RuleRows.validate(input, groupColumn, "RulesGrouped");
    return RuleRows.expand(input, layout, metric, minThreshold, this.input, METRICS_NAMESPACE);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("groupColumn", groupColumn).withLabel("Group column"))
        .add(DisplayData.item("metric", metric.columnName()).withLabel("Rule metric"))
        .add(
            DisplayData.item("minThreshold", minThreshold)
                .withLabel("Minimum metric value (inclusive)"))
        .add(DisplayData.item("input", input.name()).withLabel("Input itemsets"));
  }
}
