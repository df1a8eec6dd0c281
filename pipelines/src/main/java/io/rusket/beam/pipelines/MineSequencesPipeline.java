package io.rusket.beam.pipelines;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.SequenceMiner;
import io.rusket.beam.pipelines.io.ArrowGroups;
import io.rusket.beam.pipelines.io.CsvTypes;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.OutputFormat;
import io.rusket.beam.pipelines.io.ParquetGroups;
import io.rusket.beam.pipelines.io.TableSink;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.MineSequences;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The sequential-patterns job: reads long-format events {@code (group, sequence, time, item)} from
 * a Parquet, Arrow or CSV table, mines the frequent sequential patterns of each group (or, without
 * {@code --groupCol}, of all sequences together) with {@link MineSequences}, and writes them to
 * {@code <output>/sequences/part-SSSSS-of-NNNNN.<ext>}: {@code <groupCol> | support DOUBLE | count
 * INT64 | sequences INT64 | sequence ARRAY<ARRAY<STRING>>} (JSON lines carry {@code sequence} as a
 * list of lists, e.g. {@code [["bread","milk"],["eggs"]]}; CSV writes each step as {@code [a, b]},
 * steps joined by {@code |}).
 *
 * <p>Every setting, the input's columns and types and the output directory are checked in {@link
 * #buildPipeline} before anything runs; mistakes are {@link IllegalArgumentException}s naming the
 * option, column or file. CSV columns are text unless declared ({@code --csvTypes}); the time
 * column is declared {@code long} unless given another type there. Parquet input with an integer
 * time column is read column-wise ({@link ParquetGroups#readSequences}: no Row per event); other
 * input as Rows. No runner-specific code.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // --input=visits.parquet --groupCol=store_id --sequenceCol=customer_id --timeCol=day
 * // --itemCol=item --minSupport=0.05 --maxPatternLength=4 --output=out --outputFormat=jsonl
 * MineSequencesOptions options =
 *     PipelineOptionsFactory.fromArgs(args).withValidation().as(MineSequencesOptions.class);
 * Pipeline p = Pipeline.create(options);
 * MineSequencesPipeline.buildPipeline(p, options);
 * p.run().waitUntilFinish();
 * }</pre>
 *
 * <p>Memory: as {@link MineSequences} — each group's events must fit in one worker.
 */
public final class MineSequencesPipeline {
  private MineSequencesPipeline() {}

  /** Subdirectory of {@code --output} holding the patterns. */
  public static final String SEQUENCES_DIR = "sequences";

  /** The default of {@code --minSupport}, as the other pipelines' option. */
  public static final double DEFAULT_MIN_SUPPORT = 0.5;

  private static final Set<TypeName> TIMES =
      EnumSet.of(TypeName.BYTE, TypeName.INT16, TypeName.INT32, TypeName.INT64, TypeName.DATETIME);

  /**
   * The transform of the options' settings, checked: {@code --minSupport} or {@code --minCount}
   * (not both), {@code --maxPatternLength}, {@code --maxGap}, {@code --singleItemSteps}.
   *
   * @throws IllegalArgumentException naming the option and value
   */
  public static MineSequences transform(MineSequencesOptions o) {
    checkSettings(o);
    String group = o.getGroupCol();
    MineSequences t =
        group == null
            ? MineSequences.globally(o.getSequenceCol(), o.getTimeCol(), o.getItemCol())
            : MineSequences.events(group, o.getSequenceCol(), o.getTimeCol(), o.getItemCol());
    Long minCount = o.getMinCount();
    t =
        minCount != null
            ? t.withMinCount(minCount)
            : t.withMinSupport(o.getMinSupport() == null ? DEFAULT_MIN_SUPPORT : o.getMinSupport());
    t = t.withMaxPatternLength(o.getMaxPatternLength());
    if (o.getMaxGap() != null) {
      t = t.withMaxGap(o.getMaxGap());
    }
    return o.getSingleItemSteps() ? t.withSingleItemSteps() : t;
  }

  /**
   * The checks of {@link #transform} without building it: the columns given, {@code --minSupport}
   * or {@code --minCount} (not both) in range, {@code --maxPatternLength}, {@code --maxGap}. Only
   * the miner's own checks run, so no Beam transform is built (the command line calls this before
   * Beam parses the options: an argument error then starts no Beam, Spark or logging).
   *
   * @throws IllegalArgumentException naming the option and value, as {@link #transform} does
   */
  public static void checkSettings(MineSequencesOptions o) {
    MiningIO.required(o.getSequenceCol(), "--sequenceCol");
    MiningIO.required(o.getTimeCol(), "--timeCol");
    MiningIO.required(o.getItemCol(), "--itemCol");
    String group = o.getGroupCol();
    if (group != null && group.isBlank()) {
      throw new IllegalArgumentException("Invalid --groupCol: it is blank");
    }
    Double givenSupport = o.getMinSupport();
    Long minCount = o.getMinCount();
    // --minSupport has no Beam default (its type is shared with the other pipelines' option, which
    // must tell a written 0.5 from none): absent, it is 0.5 unless a minCount replaces it; both
    // written is a conflict.
    if (minCount != null && givenSupport != null) {
      throw new IllegalArgumentException(
          "Give either --minSupport or --minCount, not both (got --minSupport="
              + givenSupport
              + " and --minCount="
              + minCount
              + ")");
    }
    try {
      // the checks MineSequences' withMinCount, withMinSupport, withMaxPatternLength and
      // withMaxGap make (they call these)
      SequenceMiner m =
          minCount != null ? SequenceMiner.minCount(minCount) : SequenceMiner.minCount(1);
      if (minCount == null) {
        ItemsetMiner.checkMinSupport(givenSupport == null ? DEFAULT_MIN_SUPPORT : givenSupport);
      }
      m = m.withMaxPatternLength(o.getMaxPatternLength());
      if (o.getMaxGap() != null) {
        m.withMaxGap(o.getMaxGap());
      }
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      throw new IllegalArgumentException(
          m.startsWith("Invalid ") ? "Invalid --" + m.substring("Invalid ".length()) : m, e);
    }
  }

  /**
   * Validates the options and the input, then adds read → mine → write to {@code pipeline}, without
   * running it.
   *
   * @return the patterns (already connected to their sink)
   * @throws IllegalArgumentException for a bad setting (naming the option and value), a missing or
   *     mistyped input column (naming the file and column), or an output directory that already
   *     holds files
   */
  public static PCollection<Row> buildPipeline(Pipeline pipeline, MineSequencesOptions o) {
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    MineSequences mine = transform(o);
    String input = MiningIO.required(o.getInput(), "--input");
    String output = MiningIO.required(o.getOutput(), "--output");
    InputFormat format = InputFormat.resolve(o.getInputFormat(), input);
    OutputFormat outputFormat = OutputFormat.parse(o.getOutputFormat());
    Map<String, TypeName> types =
        o.getCsvTypes() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(CsvTypes.parse(o.getCsvTypes(), "--csvTypes"));
    if (!types.isEmpty() && format != InputFormat.CSV) {
      throw new IllegalArgumentException(
          "--csvTypes applies to CSV input only; " + input + " is " + format);
    }
    if (format == InputFormat.CSV) {
      types.putIfAbsent(o.getTimeCol(), TypeName.INT64);
    }
    List<String> columns = new ArrayList<>();
    Map<String, Collection<TypeName>> required = new LinkedHashMap<>();
    if (o.getGroupCol() != null) {
      columns.add(o.getGroupCol());
      required.put(o.getGroupCol(), MiningIO.KEYS);
    }
    columns.add(o.getSequenceCol());
    required.put(o.getSequenceCol(), MiningIO.KEYS);
    columns.add(o.getTimeCol());
    required.put(o.getTimeCol(), TIMES);
    columns.add(o.getItemCol());
    required.put(o.getItemCol(), MiningIO.KEYS);
    if (columns.stream().distinct().count() < columns.size()) {
      throw new IllegalArgumentException(
          "The group, sequence, time and item columns must be distinct, got " + columns);
    }
    TableSource source = TableSource.from(input).withFormat(format);
    if (!types.isEmpty()) {
      source = source.withCsvTypes(types);
    }
    source = source.withColumns(columns.toArray(new String[0])).validate(required);
    TableSink sink = MiningIO.sink(output, outputFormat, o.getNumShards(), SEQUENCES_DIR);
    PCollection<Row> patterns =
        format == InputFormat.PARQUET
                && ParquetGroups.readsSequences(
                    source.getSchema(),
                    o.getGroupCol(),
                    o.getSequenceCol(),
                    o.getTimeCol(),
                    o.getItemCol())
            ? readColumns(pipeline, input, source.getSchema(), o, mine)
            : pipeline.apply("ReadInput", source).apply("MineSequences", mine);
    patterns.apply("WriteSequences", sink);
    return patterns;
  }

  /**
   * Parquet input with an integer time column, read column-wise: row groups straight into per-group
   * {@link io.rusket.beam.transforms.SequenceEvents} ({@link ParquetGroups#readSequences}), mined
   * by {@link MineSequences#ofSequenceEvents} with the same settings — no Row per event, the same
   * patterns.
   */
  private static PCollection<Row> readColumns(
      Pipeline pipeline, String input, Schema columns, MineSequencesOptions o, MineSequences mine) {
    return pipeline
        .apply(
            "ReadGroups",
            ParquetGroups.readSequences(
                input,
                columns,
                o.getGroupCol(),
                o.getSequenceCol(),
                o.getTimeCol(),
                o.getItemCol()))
        .apply(
            "MineSequences",
            mine.ofSequenceEvents(
                ArrowGroups.keyKind(columns.getField(o.getSequenceCol()).getType()),
                ArrowGroups.keyKind(columns.getField(o.getItemCol()).getType())));
  }

  /** A pipeline built from {@code options} by {@link #buildPipeline}, not yet run. */
  public static Pipeline create(MineSequencesOptions options) {
    Pipeline p = Pipeline.create(options);
    buildPipeline(p, options);
    return p;
  }

  /** Builds and runs the job on the options' runner; returns without waiting. */
  public static PipelineResult run(MineSequencesOptions options) {
    return create(options).run();
  }

  /** Command-line entry point: parses the options and runs the job to its end. */
  public static void main(String[] args) {
    MineSequencesOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(MineSequencesOptions.class);
    run(options).waitUntilFinish();
  }
}
