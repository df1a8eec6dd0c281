package io.rusket.beam.transforms;

import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import io.rusket.beam.miner.Target;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Association rules from ungrouped frequent itemsets: takes the itemsets of one mining run and
 * returns every rule {@code A → C} whose chosen metric is at least the threshold, with all twelve
 * metrics. The global counterpart of {@link RulesGrouped}, with the same contract minus the group
 * field.
 *
 * <p><b>Input</b>: Rows with {@code support DOUBLE}, {@code itemsets ARRAY<STRING>} (or {@code
 * ARRAY<INT32>} item ids), {@code count INT64} and {@code transactions INT64} (N, the same in every
 * row, so that {@code support = count / transactions}). Fields are found by name; other fields are
 * ignored.
 *
 * <p><b>Output</b>: one Row per rule: {@code antecedents} and {@code consequents} ({@code
 * ARRAY<STRING>}, or {@code ARRAY<INT32>} for int items; items ascending), then one {@code DOUBLE}
 * per {@link RuleMetric}, named by {@link RuleMetric#columnName()}, in enum order
 * (antecedent_support, consequent_support, support, confidence, lift, representativity, leverage,
 * conviction, zhangs_metric, jaccard, certainty, kulczynski).
 *
 * <p>The rules and their values are exactly those of the miner's {@link RuleMiner} run on the
 * itemsets (same code), whatever the order or sharding of the input.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<Row> globalRules = globalFreq.apply(
 *     AssociationRules.create().withMetric(RuleMetric.LIFT).withMinThreshold(1.2));
 * }</pre>
 *
 * <p><b>Memory</b>: all the itemsets go to one key, so they must fit in the memory of a single
 * worker, as compact int arrays (4 bytes per item of every itemset and 12 bytes per itemset, twice
 * while they are put in canonical order) plus each distinct item once and the miner's index (8 to
 * 16 bytes per itemset). The rules are never held: each is output as it is generated.
 *
 * <p>Every non-empty subset of every itemset must be present; input errors (a missing subset, a
 * null, rows that disagree on {@code transactions}, ...) fail the pipeline with a message naming
 * the itemset or value, as listed on {@link RulesGrouped}, whose javadoc also explains the shape:
 * {@code KeyGlobally} → {@code GroupItemsets} (GroupByKey) → {@code GenerateRules}.
 *
 * <p><b>Metrics</b> (namespace {@value #METRICS_NAMESPACE}): counters {@code groups} (1 per
 * window), {@code itemsetsRead} and {@code rulesEmitted}.
 *
 * <p>Reference: Agrawal and Srikant, "Fast algorithms for mining association rules", Proc. 20th
 * VLDB, 1994, pp. 487–499; metric definitions as in mlxtend (Raschka, "MLxtend", Journal of Open
 * Source Software 3(24), 2018), see {@link RuleMetric}.
 */
public final class AssociationRules extends PTransform<PCollection<Row>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;

  /** Default metric: {@link RuleMetric#CONFIDENCE}, as mlxtend's {@code metric="confidence"}. */
  public static final RuleMetric DEFAULT_METRIC = RuleMiner.DEFAULT_METRIC;

  /** Default threshold: 0.8, as mlxtend's {@code min_threshold=0.8}. */
  public static final double DEFAULT_MIN_THRESHOLD = RuleMiner.DEFAULT_MIN_THRESHOLD;

  /** Namespace of this transform's Beam metrics. */
  public static final String METRICS_NAMESPACE = "AssociationRules";

  private final RuleMetric metric;
  private final double minThreshold;
  private final Target input;

  private AssociationRules(Builder b) {
    this.metric = b.metric;
    this.minThreshold = b.minThreshold;
    this.input = b.input;
  }

  private Builder toBuilder() {
    return new Builder().metric(metric).minThreshold(minThreshold).input(input);
  }

  /** Makes copies with one setting changed: {@code toBuilder().x(v).build()}. */
  private static final class Builder {
    private RuleMetric metric = DEFAULT_METRIC;
    private double minThreshold = DEFAULT_MIN_THRESHOLD;
    private Target input = Target.ALL;

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

    private AssociationRules build() {
      return new AssociationRules(this);
    }
  }

  /** Rules with the default metric and threshold: confidence at least 0.8. */
  public static AssociationRules create() {
    return new Builder().build();
  }

  /**
   * The metric that selects rules.
   *
   * @throws IllegalArgumentException if {@code m} is null, listing the valid metrics
   */
  public AssociationRules withMetric(RuleMetric m) {
    RuleRows.checkConfig(m, minThreshold);
    return toBuilder().metric(m).build();
  }

  /**
   * The metric that selects rules, by name (see {@link RuleMetric#parse}).
   *
   * @throws IllegalArgumentException for an unknown name, naming it and listing the valid ones
   */
  public AssociationRules withMetric(String name) {
    return withMetric(RuleMetric.parse(name));
  }

  /**
   * The least value of the metric for a rule to be kept (inclusive); ±∞ allowed.
   *
   * @throws IllegalArgumentException if {@code t} is NaN
   */
  public AssociationRules withMinThreshold(double t) {
    RuleRows.checkConfig(metric, t);
    return toBuilder().minThreshold(t).build();
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
  public AssociationRules withInput(Target input) {
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
   *     wrong type, naming it, the type expected and the fields present
   */
  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    RuleRows.Layout layout = RuleRows.validate(input, null, "AssociationRules");
    return RuleRows.expand(input, layout, metric, minThreshold, this.input, METRICS_NAMESPACE);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("metric", metric.columnName()).withLabel("Rule metric"))
        .add(
            DisplayData.item("minThreshold", minThreshold)
                .withLabel("Minimum metric value (inclusive)"))
        .add(DisplayData.item("input", input.name()).withLabel("Input itemsets"));
  }
}
