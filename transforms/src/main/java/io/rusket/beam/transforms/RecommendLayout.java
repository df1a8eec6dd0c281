package io.rusket.beam.transforms;

import io.rusket.beam.miner.RuleMetric;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link Recommend}'s validated input schemas (rules and baskets) and the schemas derived from
 * them: the group key, the basket value, the (group, basket) key of events, the output.
 */
final class RecommendLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String ANTECEDENTS = RecommendationSchema.ANTECEDENTS;
  static final String CONSEQUENTS = "consequents";

  /** Value field of a basket: its distinct items. */
  static final String ITEMS = "items";

  final @Nullable String groupField;
  final String basketField;
  final String itemField;
  final boolean events;

  // Rules
  final int rGroup;
  final int rAnts;
  final int rCons;
  final int rScore;
  final int rLift;
  final int rSupport;
  final int rConfidence;
  final int rAntSupport;
  final int rConSupport;

  // Baskets
  final int bGroup;
  final int bBasket;
  final int bItem;

  /** The group field alone (grouped), or no field (global). */
  final Schema keySchema;

  /** The group and basket id fields: the key of one basket's events. */
  final Schema eventKeySchema;

  /** {@code basket id, items ARRAY<STRING>}. */
  final Schema basketSchema;

  final Schema outputSchema;

  RecommendLayout(
      Schema rules,
      Schema baskets,
      @Nullable String groupField,
      String basketField,
      String itemField,
      boolean events,
      RuleMetric score) {
    this.groupField = groupField;
    this.basketField = basketField;
    this.itemField = itemField;
    this.events = events;
    String t = "Recommend";
    // Rules
    if (groupField != null) {
      need(t, "rules", rules, groupField, null);
    }
    rAnts = need(t, "rules", rules, ANTECEDENTS, FieldType.array(FieldType.STRING));
    rCons = need(t, "rules", rules, CONSEQUENTS, FieldType.array(FieldType.STRING));
    rScore = need(t, "rules", rules, score.columnName(), FieldType.DOUBLE);
    rLift = need(t, "rules", rules, RuleMetric.LIFT.columnName(), FieldType.DOUBLE);
    rSupport = need(t, "rules", rules, RuleMetric.SUPPORT.columnName(), FieldType.DOUBLE);
    rConfidence = need(t, "rules", rules, RuleMetric.CONFIDENCE.columnName(), FieldType.DOUBLE);
    rAntSupport = optional(rules, RuleMetric.ANTECEDENT_SUPPORT.columnName());
    rConSupport = optional(rules, RuleMetric.CONSEQUENT_SUPPORT.columnName());
    rGroup = groupField == null ? -1 : rules.indexOf(groupField);
    // Baskets
    bBasket = need(t, "baskets", baskets, basketField, null);
    bItem =
        need(
            t,
            "baskets",
            baskets,
            itemField,
            events ? FieldType.STRING : FieldType.array(FieldType.STRING));
    if (groupField != null) {
      need(t, "baskets", baskets, groupField, null);
      FieldType rg = rules.getField(groupField).getType().withNullable(false);
      FieldType bg = baskets.getField(groupField).getType().withNullable(false);
      if (!rg.equals(bg)) {
        throw new IllegalArgumentException(
            String.format(
                "Recommend: the group field '%s' has type %s in the rules but %s in the baskets;"
                    + " they must be the same type to be joined",
                groupField, RuleRows.typeName(rg), RuleRows.typeName(bg)));
      }
      if (groupField.equals(basketField) || groupField.equals(itemField)) {
        throw new IllegalArgumentException(
            "Recommend: the group field '"
                + groupField
                + "' is also the basket id or item field; name three different fields");
      }
    }
    if (basketField.equals(itemField)) {
      throw new IllegalArgumentException(
          "Recommend: the basket id field and the item field are both '"
              + basketField
              + "'; name two different fields");
    }
    bGroup = groupField == null ? -1 : baskets.indexOf(groupField);
    for (String f : new String[] {groupField, basketField}) {
      if (f != null && RecommendationSchema.FIELDS.contains(f)) {
        throw new IllegalArgumentException(
            "Recommend: the field '"
                + f
                + "' has the name of an output field ("
                + String.join(", ", RecommendationSchema.FIELDS)
                + "). Rename it before applying Recommend.");
      }
    }
    Field group = groupField == null ? null : baskets.getField(groupField).withNullable(false);
    Field basket = baskets.getField(basketField).withNullable(false);
    Schema.Builder key = Schema.builder();
    if (group != null) {
      key.addField(group);
    }
    keySchema = key.build();
    Schema.Builder ek = Schema.builder();
    if (group != null) {
      ek.addField(group);
    }
    eventKeySchema = ek.addField(basket).build();
    basketSchema = Schema.builder().addField(basket).addArrayField(ITEMS, FieldType.STRING).build();
    outputSchema = RecommendationSchema.of(group, basket);
    deterministic(keySchema, groupField);
    if (events) {
      deterministic(eventKeySchema, basketField);
    }
  }

  private static void deterministic(Schema schema, @Nullable String field) {
    if (field == null) {
      return;
    }
    Coder<Row> coder = RowCoder.of(schema);
    try {
      coder.verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalArgumentException(
          "Recommend: the field '"
              + field
              + "' cannot be a grouping key: its encoding is not deterministic ("
              + e.getMessage()
              + "). Use a field of another type (STRING, an integer type, ...).",
          e);
    }
  }

  private static int optional(Schema s, String name) {
    return s.hasField(name) && s.getField(name).getType().getTypeName() == TypeName.DOUBLE
        ? s.indexOf(name)
        : -1;
  }

  private static int need(
      String t, String role, Schema s, String name, @Nullable FieldType expected) {
    if (!s.hasField(name)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: the %s have no field '%s'%s. Fields present: %s",
              t,
              role,
              name,
              expected == null ? "" : " (" + RuleRows.typeName(expected) + ")",
              fields(s)));
    }
    FieldType actual = s.getField(name).getType();
    if (expected != null && !sameType(actual, expected)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: the %s field '%s' has type %s; expected %s. Fields present: %s",
              t, role, name, RuleRows.typeName(actual), RuleRows.typeName(expected), fields(s)));
    }
    return s.indexOf(name);
  }

  /** Same type name and, for arrays, element type name (nullability aside). */
  private static boolean sameType(FieldType actual, FieldType expected) {
    if (actual.getTypeName() != expected.getTypeName()) {
      return false;
    }
    return !expected.getTypeName().isCollectionType()
        || actual.getCollectionElementType().getTypeName()
            == expected.getCollectionElementType().getTypeName();
  }

  private static String fields(Schema s) {
    List<String> l = new ArrayList<>();
    for (Field f : s.getFields()) {
      l.add(f.getName() + " " + RuleRows.typeName(f.getType()));
    }
    return String.join(", ", l);
  }

  /** The group key of a row whose group value is at {@code index} (-1: global). */
  Row key(Row row, int index, String role) {
    if (index < 0) {
      return Row.withSchema(keySchema).attachValues(Collections.emptyList());
    }
    Object g = row.getValue(index);
    if (g == null) {
      throw new IllegalArgumentException(
          String.format(
              "Recommend: invalid value null in group field '%s' of %s %s: every row must belong"
                  + " to a group (rows are never dropped silently)",
              groupField, role, row));
    }
    return Row.withSchema(keySchema).attachValues(Collections.singletonList(g));
  }

  /** "group store_id=7", or "the global rules". */
  String describe(Row key) {
    return groupField == null ? "the global rules" : "group " + groupField + "=" + key.getValue(0);
  }

  /** A deterministic shard of a basket id in {@code [0, shards)}. */
  static int shardOf(Object basketId, int shards) {
    int h =
        basketId instanceof byte[]
            ? java.util.Arrays.hashCode((byte[]) basketId)
            : Objects.hashCode(basketId);
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return Math.floorMod(h, shards);
  }
}
