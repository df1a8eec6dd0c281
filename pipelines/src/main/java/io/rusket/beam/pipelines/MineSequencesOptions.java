package io.rusket.beam.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Options of {@link MineSequencesPipeline}: the events table (group, sequence, time, item), the
 * PrefixSpan settings and the output ({@link TableIOOptions}: this command's descriptions of {@code
 * --csvTypes} and {@code --output}). Names shared with {@link MiningOptions} have the same types
 * and annotations (Beam keeps one registry of option names), so {@code --minSupport} defaults to
 * 0.5 as {@code grouped}'s does.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * --input=visits.parquet --groupCol=store_id --sequenceCol=customer_id --timeCol=day
 * --itemCol=item --minSupport=0.05 --maxPatternLength=4 --output=out --outputFormat=jsonl
 * }</pre>
 */
public interface MineSequencesOptions extends TableIOOptions {
  @Override
  @Description(
      "CSV input: the types of some columns, as column:type,... with the types string, long, int,"
          + " double, boolean. The time column is read as long unless declared.")
  @Nullable String getCsvTypes();

  @Description(
      "The group column (STRING or integer): patterns are mined per value (store, region);"
          + " without it, one global result.")
  @Nullable String getGroupCol();

  void setGroupCol(@Nullable String value);

  @Description("The sequence column (STRING or integer): a customer, a session, ...")
  @Validation.Required
  String getSequenceCol();

  void setSequenceCol(String value);

  @Description(
      "The time column (an integer type or a timestamp): orders the events of a sequence; events"
          + " of one time form one step (an itemset).")
  @Validation.Required
  String getTimeCol();

  void setTimeCol(String value);

  @Description("The item column (STRING or integer).")
  @Validation.Required
  String getItemCol();

  void setItemCol(String value);

  @Description(
      "Minimum support, in (0, 1]: a pattern is frequent iff count / sequences >= minSupport"
          + " (sequences of its group; exact ceiling); 0.5 when neither it nor --minCount is"
          + " given. Not with --minCount, which replaces it.")
  @Nullable Double getMinSupport();

  void setMinSupport(@Nullable Double value);

  @Description("Minimum count instead of --minSupport: frequent iff count >= minCount (>= 1).")
  @Nullable Long getMinCount();

  void setMinCount(@Nullable Long value);

  @Description("Longest pattern, in items over all its steps (at least 1).")
  @Default.Integer(10)
  int getMaxPatternLength();

  void setMaxPatternLength(int value);

  @Description(
      "Consecutive steps of a pattern at most this many steps apart in the sequence (1: adjacent);"
          + " no limit when absent.")
  @Nullable Integer getMaxGap();

  void setMaxGap(@Nullable Integer value);

  @Description(
      "Every event is a step of its own (events of one time ordered by item), instead of the"
          + " events of one time forming one step.")
  @Default.Boolean(false)
  boolean getSingleItemSteps();

  void setSingleItemSteps(boolean value);

  @Override
  @Description(
      "Output directory: the patterns are written under <output>/sequences/ as"
          + " part-SSSSS-of-NNNNN.<ext> shards; it must not already hold files.")
  @Validation.Required
  String getOutput();
}
