/**
 * Tables in and out of the pipelines: {@link io.rusket.beam.pipelines.io.TableSource} reads Parquet
 * ({@code ParquetTable}), Arrow IPC ({@code ArrowTable}) and CSV ({@code CsvTable}) into Rows with
 * a Beam schema checked before the pipeline runs; {@link io.rusket.beam.pipelines.io.TableSink}
 * writes Parquet, JSON lines or CSV shards; {@link io.rusket.beam.pipelines.io.ArrowPairs} reads
 * Arrow event logs straight into FPMiner shards; {@link io.rusket.beam.pipelines.io.ArrowGroups}
 * and {@link io.rusket.beam.pipelines.io.ParquetGroups} read grouped events and one-hot receipts
 * column-wise into per-group accumulators for {@code MineGrouped.ofGroupEvents} / {@code
 * ofGroupBaskets} (sharing {@code GroupChunks}: the group index and the per-bundle budget); {@link
 * io.rusket.beam.pipelines.io.CsvReader} is the one CSV parser of the project (Apache Commons CSV,
 * strict UTF-8), also used by the command line; {@link io.rusket.beam.pipelines.io.TextFormats}
 * escapes JSON strings and CSV fields; {@link io.rusket.beam.pipelines.io.LocalFiles} writes local
 * Parquet and Arrow files outside a pipeline. Every file is opened through Beam's {@code
 * FileSystems}, so each reader and sink works on local files, hdfs://, s3:// and gs:// alike (the
 * Arrow readers through {@code SeekableChannels} off the local disk, Parquet's through {@link
 * io.rusket.beam.pipelines.io.BeamInputFile}, the one Parquet {@code InputFile} of the project,
 * also the report's).
 */
package io.rusket.beam.pipelines.io;
