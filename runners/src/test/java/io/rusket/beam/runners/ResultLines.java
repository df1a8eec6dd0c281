package io.rusket.beam.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Collects a pipeline's results on any runner: each output Row becomes one text line (its values
 * joined by {@code |}; doubles in full precision, lists as {@code [a, b]}), written with TextIO
 * under a directory and read back after the run, sorted. Static collections filled by a DoFn would
 * not see what Spark executors produce in other processes; files do.
 */
final class ResultLines {
  private ResultLines() {}

  /** Builds a pipeline whose named outputs go through {@link #write}. */
  interface Job {
    void build(Pipeline p, Path out);
  }

  static String of(Row row) {
    return join(row.getValues().toArray());
  }

  static String join(Object... values) {
    return Arrays.stream(values).map(String::valueOf).collect(Collectors.joining("|"));
  }

  /** Writes {@code rows} as lines to files {@code dir/name-*}. */
  static void write(PCollection<Row> rows, Path dir, String name) {
    rows.apply("Format" + name, MapElements.into(TypeDescriptors.strings()).via(ResultLines::of))
        .apply("Write" + name, TextIO.write().to(dir.resolve(name).toString()));
  }

  /** The sorted lines of the files {@code dir/name-*}. */
  static List<String> read(Path dir, String name) {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> lines = new ArrayList<>();
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(name + "-")).toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
      lines.sort(null);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code job} with {@code options} (through {@link RunnerSetup#run}), writing into a new
   * directory under {@code tmp}, and returns each named output's sorted lines.
   */
  static Map<String, List<String>> run(
      PipelineOptions options, Job job, Path tmp, String... outputs) {
    try {
      Path out = Files.createTempDirectory(tmp, options.getRunner().getSimpleName());
      Pipeline p = Pipeline.create(options);
      job.build(p, out);
      RunnerSetup.run(p);
      Map<String, List<String>> result = new LinkedHashMap<>();
      for (String name : outputs) {
        result.put(name, read(out, name));
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
