package io.rusket.beam.pipelines.io;

import org.apache.beam.sdk.schemas.Schema;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A file and its Beam schema, as {@link TableSource} reads them; for Parquet its Avro schema. */
final class FileSchema {
  final String file;
  final Schema schema;

  /** Parquet only: the file's Avro schema, as JSON. */
  final @Nullable String avroJson;

  FileSchema(String file, Schema schema, @Nullable String avroJson) {
    this.file = file;
    this.schema = schema;
    this.avroJson = avroJson;
  }
}
