package io.rusket.beam.transforms;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one definition of the recommendation rows {@link Recommend} writes: the group field (same
 * name and type as the baskets', absent for global rules), the basket id field (same name and
 * type), then {@code rank INT32} (1 for the best item of the basket), {@code item STRING}, {@code
 * score DOUBLE} (the chosen metric of the supporting rule), {@code antecedents ARRAY<STRING>} (that
 * rule's antecedent items, ascending), {@code confidence DOUBLE} and {@code lift DOUBLE} (that
 * rule's).
 */
public final class RecommendationSchema {
  /** 1-based rank of the item among the basket's recommendations, {@code INT32}. */
  public static final String RANK = "rank";

  /** The recommended item, never in the basket, {@code STRING}. */
  public static final String ITEM = "item";

  /** The item's score: the supporting rule's value of the chosen metric, {@code DOUBLE}. */
  public static final String SCORE = "score";

  /** The supporting rule's antecedent items, ascending, {@code ARRAY<STRING>}. */
  public static final String ANTECEDENTS = "antecedents";

  /** The supporting rule's confidence, {@code DOUBLE}. */
  public static final String CONFIDENCE = "confidence";

  /** The supporting rule's lift, {@code DOUBLE}. */
  public static final String LIFT = "lift";

  /** The recommendation fields, in order, after the group and basket id fields. */
  public static final List<String> FIELDS =
      List.of(RANK, ITEM, SCORE, ANTECEDENTS, CONFIDENCE, LIFT);

  private RecommendationSchema() {}

  /**
   * The recommendation schema: {@code groupField} first when not null, then {@code basketField},
   * then {@link #FIELDS}.
   */
  public static Schema of(@Nullable Field groupField, Field basketField) {
    Schema.Builder b = Schema.builder();
    if (groupField != null) {
      b.addField(groupField.withNullable(false));
    }
    return b.addField(basketField.withNullable(false))
        .addInt32Field(RANK)
        .addStringField(ITEM)
        .addDoubleField(SCORE)
        .addArrayField(ANTECEDENTS, FieldType.STRING)
        .addDoubleField(CONFIDENCE)
        .addDoubleField(LIFT)
        .build();
  }
}
