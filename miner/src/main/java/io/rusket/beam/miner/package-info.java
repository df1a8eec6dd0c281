/**
 * The plain-Java miner core: frequent itemsets and association rules, with no dependency at all.
 *
 * <p>Where things are:
 *
 * <ul>
 *   <li>Input: {@link io.rusket.beam.miner.TransactionDb} (compressed sparse rows; FIMI text,
 *       string baskets, one-hot, pairs, CSR) and {@link io.rusket.beam.miner.FPMiner} (a streaming,
 *       mergeable, spilling accumulator of (transaction, item) pairs; its run format is {@code
 *       RunFormat}).
 *   <li>Itemsets: {@link io.rusket.beam.miner.ItemsetMiner} (configuration and the exact {@code
 *       minSupport} threshold) runs {@code FpGrowth} (on {@code FpTree}s) or {@code Eclat}, chosen
 *       for {@link io.rusket.beam.miner.Method#AUTO} by {@code AutoRule}; first-level tasks run in
 *       parallel through {@code OrderedTasks}, items are recoded by {@code Recoding}, and itemsets
 *       are emitted by {@code PatternEmitter} to an {@link io.rusket.beam.miner.ItemsetSink} or
 *       collected in {@link io.rusket.beam.miner.Itemsets}; {@link
 *       io.rusket.beam.miner.MiningStats} reports the method and memory.
 *   <li>Rules: {@link io.rusket.beam.miner.RuleMiner} (subset lookups through {@code ItemsetIndex},
 *       exact thresholds on ratios of counts through {@code RatioThreshold}) with the twelve {@link
 *       io.rusket.beam.miner.RuleMetric}s, streamed to a {@link io.rusket.beam.miner.RuleSink} or
 *       collected in {@link io.rusket.beam.miner.Rules}.
 *   <li>Sequential patterns: {@link io.rusket.beam.miner.SequenceDb} (sequences of itemset steps in
 *       compressed sparse rows, from nested lists or (sequence, time, item) events) mined by {@link
 *       io.rusket.beam.miner.SequenceMiner} (PrefixSpan with pseudo-projection, maxGap, first-level
 *       prefixes in parallel through {@code OrderedTasks}), streamed to a {@link
 *       io.rusket.beam.miner.SequenceSink} or collected in {@link
 *       io.rusket.beam.miner.SequencePatterns}.
 *   <li>High-utility itemsets: {@link io.rusket.beam.miner.UtilityDb} (transactions of (item,
 *       utility), fixed-point millionths, duplicates summed) mined by {@link
 *       io.rusket.beam.miner.UtilityMiner} with {@code Efim} into a {@link
 *       io.rusket.beam.miner.UtilitySink} or {@link io.rusket.beam.miner.HighUtilityItemsets}.
 *   <li>Helpers: {@link io.rusket.beam.miner.ArrayUtil} (the project's one array-growth helper) and
 *       {@code RamUsage} (the constants of every {@code ramBytesUsed()} estimate).
 * </ul>
 */
package io.rusket.beam.miner;
