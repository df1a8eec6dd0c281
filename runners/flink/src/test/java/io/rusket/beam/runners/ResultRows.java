package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The rows a command wrote under {@code DIR/itemsets/} and {@code DIR/rules/}, read back from any
 * output format, as sorted text lines prefixed by the result's name, so that the runs of two
 * runners (which cut the results into different numbers of shards) compare line for line. Parquet
 * rows as Avro prints them (every field, in schema order); JSON lines as written; CSV data lines as
 * written, with the header checked to be the same in every shard and kept once.
 */
final class ResultRows {
  private ResultRows() {}

  static List<String> read(Path dir, String format) {
    return read(dir, format, List.of("itemsets", "rules"));
  }

  /** The rows of the results {@code results} (subdirectories of {@code dir}, e.g. "sequences"). */
  static List<String> read(Path dir, String format, List<String> results) {
    List<String> all = new ArrayList<>();
    for (String result : results) {
      TreeSet<String> headers = new TreeSet<>();
      List<Path> shards = shards(dir.resolve(result));
      assertFalse(shards.isEmpty(), () -> "no shard in " + dir.resolve(result));
      for (Path shard : shards) {
        assertTrue(
            shard.getFileName().toString().matches("part-\\d{5}-of-\\d{5}\\." + format),
            shard::toString);
        for (String line : lines(shard, format)) {
          if (format.equals("csv") && line.startsWith("#header ")) {
            headers.add(line);
          } else {
            all.add(result + " " + line);
          }
        }
      }
      if (format.equals("csv")) {
        assertEquals(1, headers.size(), () -> "one CSV header in " + result + ": " + headers);
        all.add(result + " " + headers.first());
      }
    }
    all.sort(null);
    return all;
  }

  private static List<Path> shards(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path shard, String format) {
    try {
      switch (format) {
        case "parquet":
          return parquet(shard);
        case "csv":
          List<String> csv = new ArrayList<>(Files.readAllLines(shard, StandardCharsets.UTF_8));
          if (!csv.isEmpty()) {
            csv.set(0, "#header " + csv.get(0));
          }
          return csv;
        default:
          return Files.readAllLines(shard, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> parquet(Path shard) throws IOException {
    List<String> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(shard.toUri()), new Configuration()))
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        rows.add(r.toString());
      }
    }
    return rows;
  }
}
