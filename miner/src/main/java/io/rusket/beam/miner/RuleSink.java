package io.rusket.beam.miner;

/**
 * Receives association rules one at a time, as {@link RuleMiner#generate(Itemsets, RuleSink)} finds
 * them, so that huge results need not be held in memory.
 *
 * <p>All three arrays are scratch buffers owned by the generator: they are overwritten after {@code
 * accept} returns, so a sink that keeps a rule must copy what it needs. Item values are the dense
 * item ids of the {@link Itemsets} (see {@link Itemsets#itemName(int)}); within the antecedent and
 * within the consequent they are distinct and ascending, and the two are disjoint.
 *
 * <p>Calls come from the calling thread, in the deterministic order documented on {@link
 * RuleMiner}.
 */
@FunctionalInterface
public interface RuleSink {
  /**
   * Accepts one rule {@code antecedent → consequent}.
   *
   * @param antecedent the antecedent's item ids, ascending; only {@code [0, aLen)} is valid
   * @param aLen the number of antecedent items, at least 1
   * @param consequent the consequent's item ids, ascending; only {@code [0, cLen)} is valid
   * @param cLen the number of consequent items, at least 1
   * @param metrics the rule's metrics, indexed by {@link RuleMetric#ordinal()}; only the first
   *     {@code RuleMetric.values().length} entries are valid
   */
  void accept(int[] antecedent, int aLen, int[] consequent, int cLen, double[] metrics);
}
