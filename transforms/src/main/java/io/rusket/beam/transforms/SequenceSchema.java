package io.rusket.beam.transforms;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one definition of the sequential-pattern rows {@link MineSequences} writes: an optional group
 * field, then {@code support DOUBLE}, {@code count INT64} (sequences containing the pattern),
 * {@code sequences INT64} (N, per group) and {@code sequence ARRAY<ARRAY<STRING>>} (the pattern's
 * steps, each its items ascending).
 */
public final class SequenceSchema {
  /** The pattern's support, {@code count / sequences}, {@code DOUBLE}. */
  public static final String SUPPORT = "support";

  /** The number of sequences (of the group) containing the pattern, {@code INT64}. */
  public static final String COUNT = "count";

  /** The number of sequences N the patterns were mined from (per group), {@code INT64}. */
  public static final String SEQUENCES = "sequences";

  /** The pattern: its steps in order, each a list of item names, {@code ARRAY<ARRAY<STRING>>}. */
  public static final String SEQUENCE = "sequence";

  /** The pattern fields, in order, after the group field if there is one. */
  public static final List<String> FIELDS = List.of(SUPPORT, COUNT, SEQUENCES, SEQUENCE);

  private SequenceSchema() {}

  /** The pattern schema: {@code groupField} first when not null, then {@link #FIELDS}. */
  public static Schema of(@Nullable Field groupField) {
    Schema.Builder b = Schema.builder();
    if (groupField != null) {
      b.addField(groupField);
    }
    return b.addDoubleField(SUPPORT)
        .addInt64Field(COUNT)
        .addInt64Field(SEQUENCES)
        .addArrayField(SEQUENCE, FieldType.array(FieldType.STRING))
        .build();
  }
}
