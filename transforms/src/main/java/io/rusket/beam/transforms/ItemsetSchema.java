package io.rusket.beam.transforms;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one definition of the itemset rows every transform writes and the rule transforms read: an
 * optional group field, then {@code support DOUBLE}, {@code itemsets ARRAY<STRING>} (item names;
 * {@code ARRAY<INT32>} ids when names are off), {@code count INT64} (transactions that contain the
 * itemset) and {@code transactions INT64} (N, per group).
 */
public final class ItemsetSchema {
  /** The itemset's support, {@code count / transactions}, {@code DOUBLE}. */
  public static final String SUPPORT = "support";

  /** The itemset's items, ascending, {@code ARRAY<STRING>} or {@code ARRAY<INT32>}. */
  public static final String ITEMSETS = "itemsets";

  /** The number of transactions (of the group) containing the itemset, {@code INT64}. */
  public static final String COUNT = "count";

  /** The number of transactions N the itemsets were mined from (per group), {@code INT64}. */
  public static final String TRANSACTIONS = "transactions";

  /** The itemset fields, in order, after the group field if there is one. */
  public static final List<String> FIELDS = List.of(SUPPORT, ITEMSETS, COUNT, TRANSACTIONS);

  private ItemsetSchema() {}

  /**
   * The itemset schema: {@code groupField} first when not null, then {@link #FIELDS}; items are
   * names ({@code STRING}) when {@code itemNames}, else ids ({@code INT32}).
   */
  public static Schema of(@Nullable Field groupField, boolean itemNames) {
    Schema.Builder b = Schema.builder();
    if (groupField != null) {
      b.addField(groupField);
    }
    return b.addDoubleField(SUPPORT)
        .addArrayField(ITEMSETS, itemNames ? FieldType.STRING : FieldType.INT32)
        .addInt64Field(COUNT)
        .addInt64Field(TRANSACTIONS)
        .build();
  }
}
