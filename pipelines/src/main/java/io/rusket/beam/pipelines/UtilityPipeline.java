package io.rusket.beam.pipelines;

import io.rusket.beam.miner.UtilityMiner;
import io.rusket.beam.pipelines.io.CsvTypes;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.OutputFormat;
import io.rusket.beam.pipelines.io.TableSink;
import io.rusket.beam.pipelines.io.TableSource;
import io.rusket.beam.transforms.MineUtility;
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
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The high-utility itemsets job: reads long-format events {@code (group, transaction, item,
 * utility)} from a table (Parquet, Arrow IPC or CSV), mines the itemsets whose utility reaches the
 * threshold per group (or globally without {@code --groupCol}) with {@link MineUtility}, and writes
 * {@code <output>/itemsets/part-SSSSS-of-NNNNN.<ext>}: {@code [<groupCol> |] utility DOUBLE | count
 * INT64 | support DOUBLE | itemsets ARRAY<STRING>}.
 *
 * <p>Only the four columns are read. CSV values are text unless {@code --csvTypes} declares a type;
 * the utility column is read as DOUBLE unless declared. Every setting, the input's columns and
 * types and the output directory are checked in {@link #buildPipeline} before anything runs, as
 * {@link IllegalArgumentException}s naming the option, column or file; a bad value met while
 * running (a null key, a negative, NaN or infinite utility) fails naming the column, the value, the
 * event's transaction and item and its group. No runner-specific code.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * // java ... io.rusket.beam.pipelines.UtilityPipeline --runner=DirectRunner \
 * //     --input=data/events.parquet --groupCol=store_id --txnCol=transaction_id \
 * //     --itemCol=item --utilityCol=profit --minUtilityFraction=0.01 --output=out
 * UtilityOptions options =
 *     PipelineOptionsFactory.fromArgs(args).withValidation().as(UtilityOptions.class);
 * Pipeline p = Pipeline.create(options);
 * UtilityPipeline.buildPipeline(p, options);
 * p.run().waitUntilFinish();
 * }</pre>
 *
 * <p>Memory: as {@link MineUtility} — each group's events must fit in one worker.
 */
public final class UtilityPipeline {
  private UtilityPipeline() {}

  /** Subdirectory of {@code --output} holding the itemsets. */
  public static final String ITEMSETS_DIR = "itemsets";

  /** Types accepted for the utility column. */
  static final Set<TypeName> UTILITIES =
      EnumSet.of(
          TypeName.DOUBLE,
          TypeName.FLOAT,
          TypeName.DECIMAL,
          TypeName.BYTE,
          TypeName.INT16,
          TypeName.INT32,
          TypeName.INT64);

  /** The transform {@code o} describes, checked (naming the option and value). */
  static MineUtility transform(UtilityOptions o) {
    checkSettings(o);
    MineUtility t =
        o.getGroupCol() == null
            ? MineUtility.globalEvents(o.getTxnCol(), o.getItemCol(), o.getUtilityCol())
            : MineUtility.events(o.getGroupCol(), o.getTxnCol(), o.getItemCol(), o.getUtilityCol());
    t =
        o.getMinUtility() != null
            ? t.withMinUtility(o.getMinUtility())
            : t.withMinUtilityFraction(o.getMinUtilityFraction());
    return o.getMaxLen() != null ? t.withMaxLen(o.getMaxLen()) : t;
  }

  /**
   * The checks of {@link #transform} without building it: the columns given and distinct, one of
   * {@code --minUtility} and {@code --minUtilityFraction} in range, {@code --maxLen}, {@code
   * --numShards}. Only the miner's own checks run, so no Beam transform is built (the command line
   * calls this before Beam parses the options: an argument error then starts no Beam, Spark or
   * logging).
   *
   * @throws IllegalArgumentException naming the option and value, as {@link #transform} does
   */
  public static void checkSettings(UtilityOptions o) {
    String txn = MiningIO.required(o.getTxnCol(), "--txnCol");
    String item = MiningIO.required(o.getItemCol(), "--itemCol");
    String utility = MiningIO.required(o.getUtilityCol(), "--utilityCol");
    List<String> cols = new ArrayList<>();
    if (o.getGroupCol() != null) {
      cols.add(MiningIO.required(o.getGroupCol(), "--groupCol"));
    }
    cols.add(txn);
    cols.add(item);
    cols.add(utility);
    for (int a = 0; a < cols.size(); a++) {
      for (int b = a + 1; b < cols.size(); b++) {
        if (cols.get(a).equals(cols.get(b))) {
          throw new IllegalArgumentException(
              "Two of --groupCol, --txnCol, --itemCol, --utilityCol name the same column '"
                  + cols.get(a)
                  + "'; each needs a column of its own");
        }
      }
    }
    Double abs = o.getMinUtility();
    Double frac = o.getMinUtilityFraction();
    if ((abs == null) == (frac == null)) {
      throw new IllegalArgumentException(
          abs == null
              ? "Missing required option --minUtility or --minUtilityFraction"
              : "Give --minUtility or --minUtilityFraction, not both");
    }
    try {
      // the checks MineUtility's withMinUtility, withMinUtilityFraction and withMaxLen make
      UtilityMiner m =
          abs != null ? UtilityMiner.minUtility(abs) : UtilityMiner.minUtilityFraction(frac);
      if (o.getMaxLen() != null) {
        m.withMaxLen(o.getMaxLen());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid --" + e.getMessage().replace("Invalid ", ""), e);
    }
    if (o.getNumShards() != null && o.getNumShards() < 1) {
      throw new IllegalArgumentException(
          "Invalid --numShards: " + o.getNumShards() + ". Valid range is [1, 2147483647].");
    }
  }

  /**
   * Validates the options and the input, then adds read → mine → write to {@code pipeline}, without
   * running it; returns the itemset rows.
   *
   * @throws IllegalArgumentException for a bad setting, a missing or mistyped input column, an
   *     unreadable input, or an output directory that already holds files
   */
  public static PCollection<Row> buildPipeline(Pipeline pipeline, UtilityOptions o) {
    FileSystems.setDefaultPipelineOptions(pipeline.getOptions());
    MineUtility mine = transform(o);
    String input = MiningIO.required(o.getInput(), "--input");
    String output = MiningIO.required(o.getOutput(), "--output");
    InputFormat format = InputFormat.resolve(o.getInputFormat(), input);
    Map<String, TypeName> types =
        new LinkedHashMap<>(
            o.getCsvTypes() == null ? Map.of() : CsvTypes.parse(o.getCsvTypes(), "--csvTypes"));
    if (!types.isEmpty() && format != InputFormat.CSV) {
      throw new IllegalArgumentException(
          "--csvTypes applies to CSV input only; "
              + input
              + " is read as "
              + format.optionName()
              + ", whose columns have their types");
    }
    if (format == InputFormat.CSV) {
      types.putIfAbsent(o.getUtilityCol(), TypeName.DOUBLE);
    }
    Map<String, Collection<TypeName>> required = new LinkedHashMap<>();
    if (o.getGroupCol() != null) {
      required.put(o.getGroupCol(), MiningIO.KEYS);
    }
    required.put(o.getTxnCol(), MiningIO.KEYS);
    required.put(o.getItemCol(), MiningIO.KEYS);
    required.put(o.getUtilityCol(), UTILITIES);
    TableSource source = TableSource.from(input).withFormat(format);
    if (!types.isEmpty()) {
      source = source.withCsvTypes(types);
    }
    source = source.withColumns(required.keySet().toArray(new String[0])).validate(required);
    TableSink sink =
        MiningIO.sink(
            output, OutputFormat.parse(o.getOutputFormat()), o.getNumShards(), ITEMSETS_DIR);
    PCollection<Row> itemsets = pipeline.apply("ReadInput", source).apply("MineUtility", mine);
    itemsets.apply("WriteItemsets", sink);
    return itemsets;
  }

  /** A pipeline built from {@code options} by {@link #buildPipeline}, not yet run. */
  public static Pipeline create(UtilityOptions options) {
    Pipeline p = Pipeline.create(options);
    buildPipeline(p, options);
    return p;
  }

  /** Builds and runs the job on the options' runner; returns without waiting. */
  public static PipelineResult run(UtilityOptions options) {
    return create(options).run();
  }

  /** Parses {@code args} (see {@link UtilityOptions}), runs, waits. */
  public static void main(String[] args) {
    PipelineOptionsFactory.register(UtilityOptions.class);
    UtilityOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(UtilityOptions.class);
    run(options).waitUntilFinish();
  }
}
