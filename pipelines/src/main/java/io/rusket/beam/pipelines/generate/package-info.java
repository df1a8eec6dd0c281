/**
 * Deterministic synthetic retail data ({@link io.rusket.beam.pipelines.generate.GenerateData}): the
 * settings ({@link io.rusket.beam.pipelines.generate.Config}), the model ({@code Generator}: Zipf
 * stores and items, Poisson baskets, bundles), the data ({@link
 * io.rusket.beam.pipelines.generate.Dataset}, in memory, or drawn chunk by chunk while written) and
 * its files ({@code DatasetWriter}, in the {@link io.rusket.beam.pipelines.generate.Layout}s and
 * formats chosen, one writer thread per file). The command line's {@code generate} is its entry
 * point.
 */
package io.rusket.beam.pipelines.generate;
