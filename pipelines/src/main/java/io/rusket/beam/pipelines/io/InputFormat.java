package io.rusket.beam.pipelines.io;

import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * File formats {@link TableSource} reads: Parquet, Arrow IPC (file format) and CSV with a header.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * InputFormat f = InputFormat.resolve(null, "data/events-*.parquet");   // PARQUET, inferred
 * InputFormat g = InputFormat.resolve("csv", "data/events.txt");        // CSV, as given
 * }</pre>
 */
public enum InputFormat {
  /** Apache Parquet ({@code .parquet}), read row group by row group ({@link TableSource}). */
  PARQUET(".parquet"),
  /** Apache Arrow IPC file format ({@code .arrow}, {@code .feather}, {@code .ipc}). */
  ARROW(".arrow", ".feather", ".ipc"),
  /**
   * Comma-separated values with a header line ({@code .csv}; also {@code .csv.gz}, {@code
   * .csv.bz2}, {@code .csv.zst}, ... decompressed as Beam's {@code Compression.detect} says).
   */
  CSV(".csv");

  private final String[] extensions;

  /** Compression suffixes recognised after {@code .csv} (Beam's {@code Compression.detect}). */
  private static final String[] COMPRESSED = {".gz", ".bz2", ".zst", ".deflate", ".zip", ".lzo"};

  InputFormat(String... extensions) {
    this.extensions = extensions;
  }

  /** The lower-case name used in options: parquet, arrow, csv. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a format name, case-insensitively.
   *
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public static InputFormat parse(String name) {
    if (name != null) {
      for (InputFormat f : values()) {
        if (f.name().equalsIgnoreCase(name.trim())) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException(
        "Invalid input format: " + name + ". Valid values are parquet, arrow, csv.");
  }

  /**
   * The format of a path or glob from its extension ({@code .parquet}; {@code .arrow}, {@code
   * .feather}, {@code .ipc}; {@code .csv}), ignoring case.
   *
   * @throws IllegalArgumentException when the extension says nothing, naming the path
   */
  public static InputFormat infer(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    for (String compressed : COMPRESSED) {
      if (p.endsWith(".csv" + compressed)) {
        return CSV; // read through Beam's decompression
      }
    }
    for (InputFormat f : values()) {
      for (String ext : f.extensions) {
        if (p.endsWith(ext)) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException(
        "Cannot infer the input format of '"
            + path
            + "' from its extension (.parquet, .arrow, .feather, .ipc, .csv): give the format"
            + " (--inputFormat=parquet|arrow|csv)");
  }

  /** {@code name} parsed when not null or empty, else inferred from {@code path}. */
  public static InputFormat resolve(@Nullable String name, String path) {
    return name == null || name.isBlank() ? infer(path) : parse(name);
  }
}
