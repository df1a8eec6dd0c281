package io.rusket.beam.pipelines.io;

import java.util.Locale;

/**
 * File formats {@link TableSink} writes: Parquet, JSON lines and CSV.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * rows.apply(TableSink.to("out/itemsets").withFormat(OutputFormat.parse("jsonl")));
 * }</pre>
 */
public enum OutputFormat {
  /**
   * Apache Parquet, the Row schema converted to Avro; shards {@code part-SSSSS-of-NNNNN.parquet}.
   */
  PARQUET(".parquet"),
  /** One JSON object per line, fields in schema order; shards {@code part-...-of-....jsonl}. */
  JSONL(".jsonl"),
  /** A header line, then one line per row; arrays joined with {@code |}; shards {@code .csv}. */
  CSV(".csv");

  private final String suffix;

  OutputFormat(String suffix) {
    this.suffix = suffix;
  }

  /** The shard file suffix, e.g. {@code .jsonl}. */
  public String suffix() {
    return suffix;
  }

  /** The lower-case name used in options: parquet, jsonl, csv. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a format name, case-insensitively.
   *
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public static OutputFormat parse(String name) {
    if (name != null) {
      for (OutputFormat f : values()) {
        if (f.name().equalsIgnoreCase(name.trim())) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException(
        "Invalid output format: " + name + ". Valid values are parquet, jsonl, csv.");
  }
}
