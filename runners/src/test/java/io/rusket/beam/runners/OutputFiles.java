package io.rusket.beam.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The result files of a command's output directory as comparable values, in any output format: for
 * each file (by its path under the directory), its rows as text, sorted (the order of rows in a
 * shard is the runner's). Parquet through parquet-avro's reader, Arrow through Arrow's file reader,
 * CSV and JSON lines as lines. Two runs that wrote the same rows into the same files are equal.
 */
final class OutputFiles {
  private OutputFiles() {}

  /** File (relative path) to its sorted rows, for every regular file under {@code dir}. */
  static Map<String, List<String>> of(Path dir) {
    Map<String, List<String>> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        List<String> rows = rows(f);
        rows.sort(null);
        files.put(dir.relativize(f).toString(), rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /**
   * The rows of {@link #of} merged per directory ({@code itemsets}, {@code rules}), sorted; a CSV
   * file's header line counted once per file.
   */
  static Map<String, List<String>> byDirectory(Map<String, List<String>> files) {
    Map<String, List<String>> dirs = new TreeMap<>();
    files.forEach(
        (f, rows) -> {
          int slash = f.lastIndexOf('/');
          dirs.computeIfAbsent(slash < 0 ? "" : f.substring(0, slash), d -> new ArrayList<>())
              .addAll(rows);
        });
    dirs.values().forEach(rows -> rows.sort(null));
    return dirs;
  }

  private static List<String> rows(Path f) throws IOException {
    String name = f.getFileName().toString();
    if (name.endsWith(".parquet")) {
      List<String> rows = new ArrayList<>();
      try (ParquetReader<GenericRecord> r =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(f.toUri()),
                      new org.apache.hadoop.conf.Configuration()))
              .build()) {
        for (GenericRecord rec = r.read(); rec != null; rec = r.read()) {
          rows.add(rec.toString());
        }
      }
      return rows;
    }
    if (name.endsWith(".arrow")) {
      List<String> rows = new ArrayList<>();
      try (BufferAllocator alloc = new RootAllocator();
          FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
          ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
        while (r.loadNextBatch()) {
          VectorSchemaRoot root = r.getVectorSchemaRoot();
          for (int i = 0; i < root.getRowCount(); i++) {
            StringBuilder row = new StringBuilder();
            for (FieldVector v : root.getFieldVectors()) {
              row.append(v.getName()).append('=').append(v.getObject(i)).append('|');
            }
            rows.add(row.toString());
          }
        }
      }
      return rows;
    }
    return new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
  }
}
