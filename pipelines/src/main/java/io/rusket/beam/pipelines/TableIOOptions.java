package io.rusket.beam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The input and output options every file-in, file-out pipeline takes, declared once: the input
 * table ({@code --input}, {@code --inputFormat}, {@code --csvTypes}) and the result directory
 * ({@code --output}, {@code --outputFormat}, {@code --numShards}). {@link MiningOptions}, {@link
 * MineSequencesOptions} and {@link UtilityOptions} extend it; Beam keeps one registry of option
 * names in a JVM, so each name has one type and one default everywhere. An interface whose command
 * says more about an option (which directories {@code --output} holds, how CSV columns are read)
 * redeclares only its getter, with its own {@link Description}, and keeps the type, the annotations
 * and the setter declared here.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * --input=events/*.parquet --output=gs://bucket/out --outputFormat=jsonl --numShards=4
 * }</pre>
 */
public interface TableIOOptions extends PipelineOptions {
  @Description("Input file or glob: Parquet, Arrow IPC (file format) or CSV with a header.")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description(
      "Input format: parquet, arrow or csv. Inferred from the input's extension when absent"
          + " (.parquet; .arrow, .feather, .ipc; .csv).")
  @Nullable String getInputFormat();

  void setInputFormat(@Nullable String value);

  @Description(
      "CSV input: the types of some columns, as column:type,... with the types string, long, int,"
          + " double, boolean (e.g. txn:long). A column not listed is text: 0012 and 12 are two"
          + " values. Integers are parsed strictly (no '+', no leading zeros).")
  @Nullable String getCsvTypes();

  void setCsvTypes(@Nullable String value);

  @Description(
      "Output directory: itemsets are written under <output>/itemsets/, rules under"
          + " <output>/rules/, as part-SSSSS-of-NNNNN.<ext> shards. Those directories must not"
          + " already hold files.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Output format: parquet, jsonl or csv.")
  @Default.String("parquet")
  String getOutputFormat();

  void setOutputFormat(String value);

  @Description("Number of output shards; the runner chooses when absent.")
  @Nullable Integer getNumShards();

  void setNumShards(@Nullable Integer value);
}
