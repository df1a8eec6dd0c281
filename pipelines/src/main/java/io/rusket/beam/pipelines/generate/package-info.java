/**
 * Deterministic synthetic retail data ({@link io.rusket.beam.pipelines.generate.GenerateData}): the
 * settings ({@link io.rusket.beam.pipelines.generate.Config}), the model ({@code Generator}: Zipf
 * stores and items, Poisson baskets, bundles), the data ({@link
 * io.rusket.beam.pipelines.generate.Dataset}) and its files ({@code DatasetWriter}, in the {@link
 * io.rusket.beam.pipelines.generate.Layout}s and formats chosen). The command line's {@code
 * generate} is its entry point.
 */
package io.rusket.beam.pipelines.generate;
