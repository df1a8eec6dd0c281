package io.rusket.beam.pipelines;

import java.io.IOException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
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
 * Input and output of the mining pipelines from {@link MiningOptions}: the {@link TableSource} of
 * {@code --input} with its columns checked, and a {@link TableSink} per result directory under
 * {@code --output}. Everything is checked when called, before the pipeline runs.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * TableSource events =
 *     MiningIO.longFormatSource(options, "store_id", options.getTxnCol(), options.getItemCol());
 * PCollection<Row> rows = pipeline.apply("ReadInput", events);
 * results.apply("WriteItemsets", MiningIO.sink(options, "itemsets"));
 * }</pre>
 */
public final class MiningIO {
  private MiningIO() {}

  /** Integer types accepted for ids and 0/1 items. */
  public static final Set<TypeName> INTEGERS =
      EnumSet.of(TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);

  /** Types accepted for a group, transaction or item key: STRING or an integer. */
  public static final Set<TypeName> KEYS =
      EnumSet.of(TypeName.STRING, TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);

  /** Types accepted for a one-hot item column: BOOLEAN or a 0/1 integer. */
  public static final Set<TypeName> ONE_HOT =
      EnumSet.of(TypeName.BOOLEAN, TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64);

  /**
   * {@code value}, checked to be given.
   *
   * @throws IllegalArgumentException naming {@code option} when the value is null or blank
   */
  public static String required(@Nullable String value, String option) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Missing required option " + option);
    }
    return value;
  }

  /** Checks {@code --numShards}: absent, or at least 1. */
  public static void checkNumShards(MiningOptions o) {
    if (o.getNumShards() != null && o.getNumShards() < 1) {
      throw new IllegalArgumentException(
          "Invalid --numShards: " + o.getNumShards() + ". Valid range is [1, 2147483647].");
    }
  }

  /** The unchecked source of {@code --input} in {@code --inputFormat} (or the inferred one). */
  public static TableSource source(MiningOptions o) {
    return TableSource.from(o.getInput())
        .withFormat(InputFormat.resolve(o.getInputFormat(), o.getInput()));
  }

  /**
   * The source of long-format rows {@code keyColumns..., txnCol, itemCol}, each checked to be a
   * STRING or integer column of the first input file.
   *
   * @throws IllegalArgumentException naming the file and the missing or mistyped column
   */
  public static TableSource longFormatSource(MiningOptions o, String... columns) {
    Map<String, Collection<TypeName>> required = new LinkedHashMap<>();
    for (String c : columns) {
      required.put(c, KEYS);
    }
    return source(o).withColumns(columns).validate(required);
  }

  /**
   * The source of one-hot rows: {@code groupCol} (STRING or integer) and every other column as an
   * item (BOOLEAN or 0/1 integer).
   *
   * @throws IllegalArgumentException naming the file and the column of the wrong type, or if there
   *     is no item column
   */
  public static TableSource oneHotSource(MiningOptions o, String groupCol) {
    TableSource src = source(o);
    Schema schema = src.getFileSchema();
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
  public static ResourceId resultDir(MiningOptions o, String name) {
    return FileSystems.matchNewResource(o.getOutput(), true)
        .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /**
   * The sink of {@code <output>/<name>/} in {@code --outputFormat} with {@code --numShards}.
   *
   * @throws IllegalArgumentException for an unknown format, a bad shard count, or if the directory
   *     already holds files (results of two runs must not mix), naming it and one file
   */
  public static TableSink sink(MiningOptions o, String name) {
    ResourceId dir = resultDir(o, name);
    checkEmpty(dir);
    TableSink sink =
        TableSink.to(dir.toString()).withFormat(OutputFormat.parse(o.getOutputFormat()));
    return o.getNumShards() == null ? sink : sink.withNumShards(o.getNumShards());
  }

  private static void checkEmpty(ResourceId dir) {
    MatchResult m;
    try {
      m =
          FileSystems.match(
              dir.resolve("*", StandardResolveOptions.RESOLVE_FILE).toString(),
              EmptyMatchTreatment.ALLOW);
      if (m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                "Output directory %s already holds files (e.g. %s); choose another --output or"
                    + " remove them",
                dir, m.metadata().get(0).resourceId()));
      }
    } catch (IOException e) {
      // Not listable (e.g. absent): nothing there.
    }
  }
}
