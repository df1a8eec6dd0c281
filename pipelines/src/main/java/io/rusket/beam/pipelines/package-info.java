/**
 * Beam pipelines around the rusket transforms: read tables ({@link
 * io.rusket.beam.pipelines.TableSource}: Parquet, Arrow IPC, CSV), mine them ({@link
 * io.rusket.beam.pipelines.MineGroupedPipeline}), write results ({@link
 * io.rusket.beam.pipelines.TableSink}: Parquet, JSON lines, CSV), and generate synthetic retail
 * data ({@link io.rusket.beam.pipelines.GenerateData}). Nothing here depends on a particular
 * runner.
 */
package io.rusket.beam.pipelines;
