package io.rusket.beam.transforms;

import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The expansion shared by {@link RulesGrouped} and {@link AssociationRules}: the input and output
 * schemas, their validation ({@link Layout}), and the steps, each in a file of its own: {@link
 * KeyItemsetsByGroupFn}, a {@code GroupByKey}, {@link GenerateRulesFn} (with {@link GroupItemsets},
 * one group's itemsets).
 *
 * <p>Shape: {@code KeyByGroup} (a ParDo that validates each itemset row and projects it to a
 * compact value row {@code (items, count, transactions)} keyed by a one-field row holding the group
 * value, or by an empty row for the global transform) → {@code GroupItemsets} (GroupByKey) → {@code
 * GenerateRules} (a ParDo that builds one compact {@link Itemsets} per group and streams its rules
 * out as Rows).
 */
final class RuleRows {
  /** Input field: support of the itemset, {@code count / transactions}. */
  static final String SUPPORT = ItemsetSchema.SUPPORT;

  /** Input field: the items of the itemset. */
  static final String ITEMSETS = ItemsetSchema.ITEMSETS;

  /** Input field: number of transactions containing the itemset. */
  static final String COUNT = ItemsetSchema.COUNT;

  /** Input field: number of transactions the itemsets were mined from (N, per group). */
  static final String TRANSACTIONS = ItemsetSchema.TRANSACTIONS;

  /** Output field: the rule's antecedent items, ascending. */
  static final String ANTECEDENTS = "antecedents";

  /** Output field: the rule's consequent items, ascending. */
  static final String CONSEQUENTS = "consequents";

  /**
   * Largest relative difference accepted between an input row's {@code support} and {@code count /
   * transactions}: wide enough for a support that went through a FLOAT, narrow enough to catch
   * itemsets paired with the wrong number of transactions (in groups of up to a million).
   */
  static final double SUPPORT_TOLERANCE = 1e-6;

  private static final RuleMetric[] METRICS = RuleMetric.values();

  /** Number of metrics, one output field each. */
  static final int METRIC_COUNT = METRICS.length;

  /** The output fields after the group field, in order. */
  static final List<String> RULE_FIELDS = ruleFields();

  private RuleRows() {}

  /**
   * Checks a rule configuration with the miner's own messages.
   *
   * @throws IllegalArgumentException for a null metric or a NaN threshold, naming the value
   */
  static void checkConfig(RuleMetric metric, double minThreshold) {
    RuleMiner.of(metric, minThreshold);
  }

  private static List<String> ruleFields() {
    List<String> names = new ArrayList<>();
    names.add(ANTECEDENTS);
    names.add(CONSEQUENTS);
    for (RuleMetric m : METRICS) {
      names.add(m.columnName());
    }
    return Collections.unmodifiableList(names);
  }

  // ------------------------------------------------------------------------------------------
  // Schemas

  /** The validated layout of an input schema, with the schemas derived from it. */
  static final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Null for the global transform. */
    final @Nullable String groupField;

    final int groupIndex;
    final int supportIndex;
    final int itemsetsIndex;
    final int countIndex;
    final int transactionsIndex;

    /** True for {@code ARRAY<INT32>} itemsets, false for {@code ARRAY<STRING>}. */
    final boolean intItems;

    /** The group field alone (grouped), or no field at all (global). */
    final Schema keySchema;

    /** {@code items ARRAY<STRING|INT32>, count INT64, transactions INT64}, all non-null. */
    final Schema valueSchema;

    final Schema outputSchema;

    private Layout(Schema input, @Nullable String groupField) {
      this.groupField = groupField;
      this.groupIndex = groupField == null ? -1 : input.indexOf(groupField);
      this.supportIndex = input.indexOf(SUPPORT);
      this.itemsetsIndex = input.indexOf(ITEMSETS);
      this.countIndex = input.indexOf(COUNT);
      this.transactionsIndex = input.indexOf(TRANSACTIONS);
      this.intItems =
          input.getField(ITEMSETS).getType().getCollectionElementType().getTypeName()
              == TypeName.INT32;
      FieldType item = intItems ? FieldType.INT32 : FieldType.STRING;
      Schema.Builder key = Schema.builder();
      if (groupField != null) {
        key.addField(input.getField(groupField));
      }
      this.keySchema = key.build();
      this.valueSchema =
          Schema.builder()
              .addArrayField("items", item)
              .addInt64Field(COUNT)
              .addInt64Field(TRANSACTIONS)
              .build();
      Schema.Builder out = Schema.builder();
      if (groupField != null) {
        out.addField(input.getField(groupField));
      }
      out.addArrayField(ANTECEDENTS, item).addArrayField(CONSEQUENTS, item);
      for (RuleMetric m : METRICS) {
        out.addDoubleField(m.columnName());
      }
      this.outputSchema = out.build();
    }

    /** "group store_id=7", or "the global itemsets". */
    String describe(Row key) {
      return groupField == null
          ? "the global itemsets"
          : "group " + groupField + "=" + key.getValue(0);
    }
  }

  /**
   * Validates the input schema of {@code transformName} and derives the layout.
   *
   * @param groupField the group field, or null for the global transform
   * @throws IllegalArgumentException naming the missing or mistyped field, the type expected and
   *     the fields present
   */
  static Layout validate(
      PCollection<Row> input, @Nullable String groupField, String transformName) {
    if (!input.hasSchema()) {
      throw new IllegalArgumentException(
          transformName
              + " needs a PCollection<Row> with a schema, but "
              + input.getName()
              + " has none (coder "
              + input.getCoder()
              + "). Set one with setRowSchema(...).");
    }
    return validate(input.getSchema(), groupField, transformName);
  }

  /** Validates an input schema; see {@link #validate(PCollection, String, String)}. */
  static Layout validate(Schema schema, @Nullable String groupField, String transformName) {
    if (groupField != null && !schema.hasField(groupField)) {
      throw fieldError(transformName, schema, groupField, "any type usable as a key", null);
    }
    checkField(transformName, schema, SUPPORT, TypeName.DOUBLE, null);
    checkField(transformName, schema, ITEMSETS, TypeName.ARRAY, TypeName.STRING, TypeName.INT32);
    checkField(transformName, schema, COUNT, TypeName.INT64, null);
    checkField(transformName, schema, TRANSACTIONS, TypeName.INT64, null);
    if (groupField != null
        && Arrays.asList(SUPPORT, ITEMSETS, COUNT, TRANSACTIONS).contains(groupField)) {
      throw new IllegalArgumentException(
          transformName
              + ": the group field '"
              + groupField
              + "' is one of the itemset fields ("
              + SUPPORT
              + ", "
              + ITEMSETS
              + ", "
              + COUNT
              + ", "
              + TRANSACTIONS
              + "). Name the"
              + " field that identifies the group, such as a store or region.");
    }
    if (groupField != null && RULE_FIELDS.contains(groupField)) {
      throw new IllegalArgumentException(
          transformName
              + ": the group field '"
              + groupField
              + "' has the name of an output"
              + " field ("
              + String.join(", ", RULE_FIELDS)
              + "). Rename it before applying "
              + transformName
              + ".");
    }
    Layout layout = new Layout(schema, groupField);
    if (groupField != null) {
      Coder<Row> keyCoder = RowCoder.of(layout.keySchema);
      try {
        keyCoder.verifyDeterministic();
      } catch (Coder.NonDeterministicException e) {
        throw new IllegalArgumentException(
            transformName
                + ": the group field '"
                + groupField
                + "' of type "
                + typeName(schema.getField(groupField).getType())
                + " cannot be a grouping key:"
                + " its encoding is not deterministic ("
                + e.getMessage()
                + "). Group by a"
                + " field of another type (STRING, an integer type, ...).",
            e);
      }
    }
    return layout;
  }

  private static void checkField(
      String transformName,
      Schema schema,
      String name,
      TypeName type,
      @Nullable TypeName element,
      TypeName... otherElements) {
    String expected = element == null ? type.name() : type.name() + "<" + element.name() + ">";
    for (TypeName other : otherElements) {
      expected += " or " + type.name() + "<" + other.name() + ">";
    }
    if (!schema.hasField(name)) {
      throw fieldError(transformName, schema, name, expected, null);
    }
    FieldType actual = schema.getField(name).getType();
    boolean ok = actual.getTypeName() == type;
    if (ok && element != null) {
      TypeName e = actual.getCollectionElementType().getTypeName();
      ok = e == element || Arrays.asList(otherElements).contains(e);
    }
    if (!ok) {
      throw fieldError(transformName, schema, name, expected, actual);
    }
  }

  private static IllegalArgumentException fieldError(
      String transformName,
      Schema schema,
      String name,
      String expected,
      @Nullable FieldType actual) {
    StringBuilder present = new StringBuilder();
    for (Field f : schema.getFields()) {
      if (present.length() > 0) {
        present.append(", ");
      }
      present.append(f.getName()).append(' ').append(typeName(f.getType()));
    }
    return new IllegalArgumentException(
        transformName
            + ": input field '"
            + name
            + "' "
            + (actual == null ? "is missing" : "has type " + typeName(actual))
            + "; expected "
            + expected
            + ". Fields present: "
            + present
            + ". The input must be"
            + " itemsets as MineGrouped outputs them: [group field,] support DOUBLE, itemsets"
            + " ARRAY<STRING> (or ARRAY<INT32>), count INT64, transactions INT64.");
  }

  /** A type as written in messages: {@code INT64}, {@code ARRAY<STRING>}, {@code ROW}. */
  static String typeName(FieldType t) {
    String s =
        t.getTypeName().isCollectionType()
            ? t.getTypeName().name() + "<" + typeName(t.getCollectionElementType()) + ">"
            : t.getTypeName().isMapType()
                ? "MAP<" + typeName(t.getMapKeyType()) + ", " + typeName(t.getMapValueType()) + ">"
                : t.getTypeName().isLogicalType()
                    ? "LOGICAL_TYPE<" + t.getLogicalType().getIdentifier() + ">"
                    : t.getTypeName().name();
    return Boolean.TRUE.equals(t.getNullable()) ? s + " (nullable)" : s;
  }

  // ------------------------------------------------------------------------------------------
  // Expansion

  /** KeyByGroup → GroupItemsets → GenerateRules, with the counters of {@code namespace}. */
  static PCollection<Row> expand(
      PCollection<Row> input,
      Layout layout,
      RuleMetric metric,
      double minThreshold,
      io.rusket.beam.miner.Target itemsets,
      String namespace) {
    PCollection<KV<Row, Row>> keyed =
        input
            .apply(
                layout.groupField == null ? "KeyGlobally" : "KeyByGroup",
                ParDo.of(new KeyItemsetsByGroupFn(layout)))
            .setCoder(KvCoder.of(RowCoder.of(layout.keySchema), RowCoder.of(layout.valueSchema)));
    return keyed
        .apply("GroupItemsets", GroupByKey.create())
        .apply(
            "GenerateRules",
            ParDo.of(new GenerateRulesFn(layout, metric, minThreshold, itemsets, namespace)))
        .setRowSchema(layout.outputSchema);
  }
}
