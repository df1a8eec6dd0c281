/**
 * Beam transforms for market basket analysis, built on the {@code io.rusket.beam.miner} core.
 *
 * <p><b>The transforms</b> (each a family behind static factories, with its steps in files of their
 * own beside it):
 *
 * <ul>
 *   <li>{@link io.rusket.beam.transforms.MineGrouped} — frequent itemsets per group (store, region,
 *       segment), from one-hot receipts ({@code byColumn}) or long-format events ({@code events}).
 *       Steps: {@code OneHotToBasketsFn} or {@code KeyEventsByGroupFn} (with its per-bundle {@code
 *       BundleAccumulators}), the CombineFns {@link io.rusket.beam.transforms.BasketToGroupFn} and
 *       {@link io.rusket.beam.transforms.EventsToGroupFn}, then {@code MineEachGroupFn}. Over
 *       accumulators built by a columnar reader: {@link
 *       io.rusket.beam.transforms.MineGroupedAccumulators} ({@code MineGrouped.ofGroupEvents},
 *       {@code ofGroupBaskets}), whose readers fill {@link io.rusket.beam.transforms.GroupEvents}
 *       from {@link io.rusket.beam.transforms.KeyColumn}s and {@link
 *       io.rusket.beam.transforms.GroupBaskets} from bitmaps under one {@link
 *       io.rusket.beam.transforms.BundleAccumulators} budget.
 *   <li>{@link io.rusket.beam.transforms.MineStream} — exact global frequent itemsets over an event
 *       log too large for one worker, sharded into {@link io.rusket.beam.miner.FPMiner}s.
 *   <li>{@link io.rusket.beam.transforms.RulesGrouped} and {@link
 *       io.rusket.beam.transforms.AssociationRules} — association rules from the itemsets of each
 *       group, or of one global run. Their shared expansion is {@code RuleRows} (schemas and their
 *       validation), with the steps {@code KeyItemsetsByGroupFn}, a {@code GroupByKey} and {@code
 *       GenerateRulesFn} (over one group's {@code GroupItemsets}).
 *   <li>{@link io.rusket.beam.transforms.MineSequences} — frequent sequential patterns (PrefixSpan)
 *       per group or globally, from (group, sequence, time, item) events: {@code
 *       KeySequenceEventsFn} (per-bundle {@link io.rusket.beam.transforms.SequenceEvents}), the
 *       CombineFn {@link io.rusket.beam.transforms.MergeSequenceEventsFn}, then {@code
 *       MineEachSequenceGroupFn}; rows as {@link io.rusket.beam.transforms.SequenceSchema}.
 *   <li>{@link io.rusket.beam.transforms.MineUtility} — high-utility itemsets (EFIM) per group or
 *       globally, from (group, transaction, item, utility) events: {@code
 *       KeyUtilityEventsByGroupFn} (per bundle, one {@code BundleAccumulators} budget), the
 *       CombineFn {@link io.rusket.beam.transforms.UtilityEventsFn} into one {@link
 *       io.rusket.beam.transforms.UtilityEvents} per group (with its coder), then {@code
 *       MineUtilityEachGroupFn}.
 * </ul>
 *
 * <p><b>Schemas.</b> {@link io.rusket.beam.transforms.ItemsetSchema} is the one definition of the
 * itemset rows every transform writes and the rule transforms read.
 *
 * <p><b>Values and their coders</b> (compact binary layouts: VarInt ids, VarLong counts, UTF-8
 * strings with a VarInt length):
 *
 * <ul>
 *   <li>{@link io.rusket.beam.transforms.Basket} — the distinct items of one transaction, keyed by
 *       integers or strings ({@link io.rusket.beam.transforms.KeyKind}).
 *   <li>{@link io.rusket.beam.transforms.GroupBaskets} — all the transactions of one group, as
 *       compressed sparse rows of local item ids.
 *   <li>{@link io.rusket.beam.transforms.GroupEvents} — the (transaction, item) events of one
 *       group, assembled into transactions only at the end.
 *   <li>{@link io.rusket.beam.transforms.FPMinerCoder} and {@link
 *       io.rusket.beam.transforms.ItemsetsCoder} — the miner's accumulator and its itemsets.
 * </ul>
 *
 * <p>Package-private helpers: {@code KeyDictionary} (the one key dictionary — insertion ids,
 * ascending ranks and the key encoding — of the group values), {@code VarInts} (the coders' VarInt
 * runs, in blocks); memory accounting ({@code ramBytesUsed()}) is {@link
 * io.rusket.beam.miner.RamUsage}'s, array growth {@link io.rusket.beam.miner.ArrayUtil}'s and
 * sparse item ids {@link io.rusket.beam.miner.ItemIdMap}'s, the project's one copy of each.
 */
package io.rusket.beam.transforms;
