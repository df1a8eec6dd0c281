/**
 * Beam transforms for market basket analysis, built on the {@code io.rusket.beam.miner} core:
 * {@link io.rusket.beam.transforms.MineGrouped} mines frequent itemsets per group (store, region,
 * segment) from one-hot receipts or long-format events.
 */
package io.rusket.beam.transforms;
