/**
 * The mining pipelines around the rusket transforms, on any runner: {@link
 * io.rusket.beam.pipelines.MineGroupedPipeline} (itemsets and rules per group) and {@link
 * io.rusket.beam.pipelines.MineStreamPipeline} (global itemsets of an event log) and {@link
 * io.rusket.beam.pipelines.MineSequencesPipeline} (sequential patterns per group or globally, with
 * its own {@link io.rusket.beam.pipelines.MineSequencesOptions}), their options ({@link
 * io.rusket.beam.pipelines.MiningOptions} and sub-interfaces), parsed once into a {@link
 * io.rusket.beam.pipelines.MiningJob}; {@link io.rusket.beam.pipelines.UtilityPipeline}
 * (high-utility itemsets per group or global) with its {@link
 * io.rusket.beam.pipelines.UtilityOptions}.
 *
 * <p>Where things are: reading and writing tables (Parquet, Arrow IPC, CSV, JSON lines) is in
 * {@link io.rusket.beam.pipelines.io}; the synthetic retail data generator in {@link
 * io.rusket.beam.pipelines.generate}. Nothing here depends on a particular runner.
 */
package io.rusket.beam.pipelines;
