package io.rusket.beam.pipelines;

import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.OutputFormat;
import io.rusket.beam.pipelines.io.ShardMinerSource;
import io.rusket.beam.pipelines.io.TableSink;
import io.rusket.beam.pipelines.io.TableSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Input and output of the mining pipelines from their {@link MiningJob}: the {@link TableSource} of
 * {@code --input} with its columns checked, and a {@link TableSink} per result directory under
 * {@code --output}. Everything is checked when called, before the pipeline runs.
 *
 * <p>CSV input: a value is the text that was written, so the columns are STRING unless declared
 * ({@code --csvTypes}); where a job needs another type it declares it itself: {@link
 * #integerSource} declares its columns INT64 (parsed strictly), {@link #oneHotSource} its item
 * columns BOOLEAN ({@code true}/{@code false}/{@code 1}/{@code 0}).
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * MiningJob job = MiningJob.grouped(options);
 * TableSource events = MiningIO.longFormatSource(job, "store_id", job.txnCol(), job.itemCol());
 * PCollection<Row> rows = pipeline.apply("ReadInput", events);
 * results.apply("WriteItemsets", MiningIO.sink(job, "itemsets"));
 * }</pre>
 */
final class MiningIO {
  private MiningIO() {}

  /** Integer types accepted for ids and 0/1 items. */
  static final Set<TypeName> INTEGERS =
      EnumSet.of(TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);

  /** Types accepted for a group, transaction or item key: STRING or an integer. */
  static final Set<TypeName> KEYS =
      EnumSet.of(TypeName.STRING, TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);

  /** Types accepted for a one-hot item column: BOOLEAN or a 0/1 integer. */
  static final Set<TypeName> ONE_HOT =
      EnumSet.of(TypeName.BOOLEAN, TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);

  /**
   * {@code value}, checked to be given.
   *
   * @throws IllegalArgumentException naming {@code option} when the value is null or blank
   */
  static String required(@Nullable String value, String option) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Missing required option " + option);
    }
    return value;
  }

  /** The unchecked source of the job's input, with its declared CSV types. */
  static TableSource source(MiningJob job) {
    TableSource src = TableSource.from(job.input()).withFormat(job.inputFormat());
    return job.csvTypes().isEmpty() ? src : src.withCsvTypes(job.csvTypes());
  }

  /**
   * The source of long-format rows {@code keyColumns..., txnCol, itemCol}, each checked to be a
   * STRING or integer column of the first input file.
   *
   * @throws IllegalArgumentException naming the file and the missing or mistyped column
   */
  static TableSource longFormatSource(MiningJob job, String... columns) {
    Map<String, Collection<TypeName>> required = new LinkedHashMap<>();
    for (String c : columns) {
      required.put(c, KEYS);
    }
    return source(job).withColumns(columns).validate(required);
  }

  /**
   * The source of the integer columns {@code columns}, checked to be integer columns of the first
   * input file; CSV columns without a declared type are declared INT64.
   *
   * @throws IllegalArgumentException naming the file and the missing or mistyped column
   */
  static TableSource integerSource(MiningJob job, String... columns) {
    TableSource src = source(job);
    if (job.inputFormat() == InputFormat.CSV) {
      src = src.withCsvTypes(undeclared(job, List.of(columns), TypeName.INT64));
    }
    Map<String, Collection<TypeName>> required = new LinkedHashMap<>();
    for (String c : columns) {
      required.put(c, INTEGERS);
    }
    return src.withColumns(columns).validate(required);
  }

  /**
   * The columnar reader of the job's Parquet or Arrow input into shard miners, for {@code
   * MineStream.ofShardMiners()} with {@code shards} shards and the default RAM budget. Check the
   * columns with {@link #integerSource} first: this does not read the files.
   */
  static ShardMinerSource shardMinerSource(
      MiningJob job, String txnCol, String itemCol, int shards) {
    return ShardMinerSource.from(job.input())
        .withFormat(job.inputFormat())
        .withColumns(txnCol, itemCol)
        .withNumItems(job.numItems())
        .withShards(shards);
  }

  /** {@code type} for each of {@code columns} that {@code --csvTypes} does not declare. */
  private static Map<String, TypeName> undeclared(
      MiningJob job, List<String> columns, TypeName type) {
    Map<String, TypeName> types = new LinkedHashMap<>();
    for (String c : columns) {
      if (!job.csvTypes().containsKey(c)) {
        types.put(c, type);
      }
    }
    return types;
  }

  /**
   * The source of one-hot rows: {@code groupCol} (STRING or integer) and every other column as an
   * item (BOOLEAN or 0/1 integer).
   *
   * @throws IllegalArgumentException naming the file and the column of the wrong type, or if there
   *     is no item column
   */
  static TableSource oneHotSource(MiningJob job, String groupCol) {
    TableSource src = source(job);
    Schema schema = src.getFileSchema();
    if (job.inputFormat() == InputFormat.CSV) {
      List<String> items = new ArrayList<>(schema.getFieldNames());
      items.remove(groupCol);
      src = src.withCsvTypes(undeclared(job, items, TypeName.BOOLEAN));
      schema = src.getFileSchema();
    }
    Map<String, Collection<TypeName>> required = new LinkedHashMap<>();
    required.put(groupCol, KEYS);
    for (Schema.Field f : schema.getFields()) {
      if (!f.getName().equals(groupCol)) {
        required.put(f.getName(), ONE_HOT);
      }
    }
    src.validate(required);
    if (required.size() < 2) {
      throw new IllegalArgumentException(
          "One-hot input "
              + src.firstFile()
              + " has no item column besides '"
              + groupCol
              + "'; for long-format input give --txnCol and --itemCol");
    }
    return src;
  }

  /** {@code <output>/<name>/}, as a directory resource. */
  static ResourceId resultDir(MiningJob job, String name) {
    return FileSystems.matchNewResource(job.output(), true)
        .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /**
   * The sink of {@code <output>/<name>/} in {@code --outputFormat} with {@code --numShards}.
   *
   * @throws IllegalArgumentException if the directory already holds files (results of two runs must
   *     not mix), naming it and one file
   */
  static TableSink sink(MiningJob job, String name) {
    return sink(job.output(), job.outputFormat(), job.numShards(), name);
  }

  /**
   * {@link #sink(MiningJob, String)} for a job described by its output settings alone ({@code
   * numShards} null: the runner's choice), e.g. one without a {@link MiningJob}.
   *
   * @throws IllegalArgumentException if the directory already holds files
   */
  static TableSink sink(
      String output, OutputFormat format, @Nullable Integer numShards, String name) {
    ResourceId dir =
        FileSystems.matchNewResource(output, true)
            .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY);
    checkEmpty(dir);
    TableSink sink = TableSink.to(dir.toString()).withFormat(format);
    return numShards == null ? sink : sink.withNumShards(numShards);
  }

  private static void checkEmpty(ResourceId dir) {
    MatchResult m;
    List<MatchResult.Metadata> found;
    try {
      m =
          FileSystems.match(
              dir.resolve("*", StandardResolveOptions.RESOLVE_FILE).toString(),
              EmptyMatchTreatment.ALLOW);
      found = m.status() == MatchResult.Status.OK ? m.metadata() : List.of();
    } catch (IOException | IllegalArgumentException e) {
      // Not listable (e.g. absent; Hadoop's client throws IllegalArgumentException for an unknown
      // namenode host): nothing there. A remote output that cannot be written is reported by the
      // command's write check.
      return;
    }
    if (!found.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "Output directory %s already holds files (e.g. %s); choose another --output or"
                  + " remove them",
              dir, found.get(0).resourceId()));
    }
  }
}
