package io.rusket.beam.transforms;

import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The expansion shared by {@link RulesGrouped} and {@link AssociationRules}: the input and output
 * schemas, their validation, and the two DoFns.
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
      String namespace) {
    PCollection<KV<Row, Row>> keyed =
        input
            .apply(
                layout.groupField == null ? "KeyGlobally" : "KeyByGroup",
                ParDo.of(new KeyByGroupFn(layout)))
            .setCoder(KvCoder.of(RowCoder.of(layout.keySchema), RowCoder.of(layout.valueSchema)));
    return keyed
        .apply("GroupItemsets", GroupByKey.create())
        .apply(
            "GenerateRules", ParDo.of(new GenerateRulesFn(layout, metric, minThreshold, namespace)))
        .setRowSchema(layout.outputSchema);
  }

  /** Validates each itemset row and keys it by its group: see {@link RuleRows#keyed}. */
  static final class KeyByGroupFn extends DoFn<Row, KV<Row, Row>> {
    private static final long serialVersionUID = 1L;
    private final Layout layout;

    KeyByGroupFn(Layout layout) {
      this.layout = layout;
    }

    @ProcessElement
    public void processElement(@Element Row row, OutputReceiver<KV<Row, Row>> out) {
      out.output(keyed(layout, row));
    }
  }

  /**
   * Validates one itemset row (no nulls, a non-empty itemset of distinct items, 1 ≤ count ≤
   * transactions, support = count / transactions) and projects it to {@code KV(group row, (items,
   * count, transactions))}.
   *
   * @throws IllegalArgumentException naming the group, the problem and the row
   */
  static KV<Row, Row> keyed(Layout l, Row row) {
    Row key =
        Row.withSchema(l.keySchema)
            .attachValues(
                l.groupIndex < 0
                    ? Collections.emptyList()
                    : Collections.singletonList(row.getValue(l.groupIndex)));
    Collection<Object> items = row.getArray(l.itemsetsIndex);
    Double support = row.getDouble(l.supportIndex);
    Long count = row.getInt64(l.countIndex);
    Long n = row.getInt64(l.transactionsIndex);
    if (items == null || support == null || count == null || n == null) {
      String field =
          items == null
              ? ITEMSETS
              : support == null ? SUPPORT : count == null ? COUNT : TRANSACTIONS;
      throw badRow(l, key, row, "'" + field + "' is null");
    }
    if (items.isEmpty()) {
      throw badRow(l, key, row, "the itemset is empty");
    }
    Object[] values = items.toArray();
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw badRow(l, key, row, "item " + i + " of the itemset is null");
      }
      for (int j = 0; j < i; j++) {
        if (values[i].equals(values[j])) {
          throw badRow(l, key, row, "item " + values[i] + " appears twice in the itemset");
        }
      }
    }
    if (n < 1) {
      throw badRow(l, key, row, "transactions is " + n + ", but it must be at least 1");
    }
    if (count < 1 || count > n) {
      throw badRow(l, key, row, "count is " + count + ", outside [1, transactions = " + n + "]");
    }
    double expected = count / (double) n;
    if (!(Math.abs(support - expected) <= SUPPORT_TOLERANCE * expected)) {
      throw badRow(
          l,
          key,
          row,
          "support "
              + support
              + " is not count / transactions = "
              + count
              + " / "
              + n
              + " = "
              + expected);
    }
    return KV.of(key, Row.withSchema(l.valueSchema).attachValues(Arrays.asList(values), count, n));
  }

  private static IllegalArgumentException badRow(Layout l, Row key, Row row, String what) {
    StringBuilder fields = new StringBuilder();
    Schema schema = row.getSchema();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      fields
          .append(i == 0 ? "{" : ", ")
          .append(schema.getField(i).getName())
          .append('=')
          .append((Object) row.getValue(i));
    }
    return new IllegalArgumentException(
        "Invalid itemset row in " + l.describe(key) + ": " + what + ". Row: " + fields + "}");
  }

  /** Collects each group's itemsets and streams its rules out: see {@link GroupItemsets}. */
  static final class GenerateRulesFn extends DoFn<KV<Row, Iterable<Row>>, Row> {
    private static final long serialVersionUID = 1L;
    private final Layout layout;
    private final RuleMetric metric;
    private final double minThreshold;
    private final Counter groups;
    private final Counter itemsetsRead;
    private final Counter rulesEmitted;
    private transient @Nullable RuleMiner rules;

    GenerateRulesFn(Layout layout, RuleMetric metric, double minThreshold, String namespace) {
      this.layout = layout;
      this.metric = metric;
      this.minThreshold = minThreshold;
      this.groups = Metrics.counter(namespace, "groups");
      this.itemsetsRead = Metrics.counter(namespace, "itemsetsRead");
      this.rulesEmitted = Metrics.counter(namespace, "rulesEmitted");
    }

    @Setup
    public void setup() {
      rules = RuleMiner.of(metric, minThreshold);
    }

    @ProcessElement
    public void processElement(@Element KV<Row, Iterable<Row>> group, OutputReceiver<Row> out) {
      GroupItemsets g = GroupItemsets.collect(layout, group.getKey(), group.getValue());
      groups.inc();
      itemsetsRead.inc(g.itemsets.size());
      rulesEmitted.inc(g.emitRules(rules, out::output));
    }
  }

  /**
   * The itemsets of one group as a compact {@link Itemsets}, with the item value of each dense id.
   *
   * <p>Items get dense ids in ascending order of their values (names, or int ids), so the rules,
   * and the order of the items inside each, depend only on the group's itemsets, never on the order
   * in which they arrive; the itemsets are put in canonical order (by length, then
   * lexicographically), so the order of the rules is deterministic too.
   */
  static final class GroupItemsets {
    final Layout layout;
    final Row key;

    /** Item ids ascending with their values; names are the values' {@code toString()}. */
    final Itemsets itemsets;

    /** The item value (String or Integer) of each dense id, ascending. */
    final Object[] items;

    private GroupItemsets(Layout layout, Row key, Itemsets itemsets, Object[] items) {
      this.layout = layout;
      this.key = key;
      this.itemsets = itemsets;
      this.items = items;
    }

    /**
     * Collects a group's value rows (as {@link RuleRows#keyed} made them) in one pass.
     *
     * @throws IllegalArgumentException if the rows disagree on the number of transactions, naming
     *     the group and both values
     */
    static GroupItemsets collect(Layout l, Row key, Iterable<Row> rows) {
      // One pass: items get provisional ids in order of first appearance.
      HashMap<Object, Integer> ids = new HashMap<>();
      ArrayList<Object> values = new ArrayList<>();
      int size = 0;
      int[] offsets = new int[65];
      int[] items = new int[256];
      long[] counts = new long[64];
      long n = 0;
      Row first = null;
      for (Row itemset : rows) {
        long t = itemset.getInt64(2);
        if (first == null) {
          first = itemset;
          n = t;
        } else if (t != n) {
          throw new IllegalArgumentException(
              "The itemsets of "
                  + l.describe(key)
                  + " disagree on the number of transactions"
                  + " they were mined from: "
                  + n
                  + " for itemset "
                  + first.getArray(0)
                  + ", "
                  + t
                  + " for itemset "
                  + itemset.getArray(0)
                  + ". All the itemsets of a group"
                  + " must come from one mining run (support = count / transactions).");
        }
        Collection<Object> its = itemset.getArray(0);
        if (size == counts.length) {
          counts = Arrays.copyOf(counts, grow(counts.length, size + 1L));
          offsets = Arrays.copyOf(offsets, counts.length + 1);
        }
        int fill = offsets[size];
        if (fill + its.size() > items.length) {
          items = Arrays.copyOf(items, grow(items.length, (long) fill + its.size()));
        }
        for (Object v : its) {
          Integer id = ids.get(v);
          if (id == null) {
            id = values.size();
            ids.put(v, id);
            values.add(v);
          }
          items[fill++] = id;
        }
        counts[size] = itemset.getInt64(1);
        offsets[++size] = fill;
      }
      // Final ids: ascending item values (String or Integer natural order).
      Object[] sorted = values.toArray();
      Arrays.sort(sorted);
      int[] rank = new int[sorted.length];
      String[] names = new String[sorted.length];
      for (int r = 0; r < sorted.length; r++) {
        rank[ids.get(sorted[r])] = r;
        names[r] = sorted[r].toString();
      }
      Itemsets.Collector collector = Itemsets.collector(n, names);
      int[] buf = new int[16];
      for (int i = 0; i < size; i++) {
        int from = offsets[i];
        int len = offsets[i + 1] - from;
        if (buf.length < len) {
          buf = new int[len];
        }
        for (int k = 0; k < len; k++) {
          buf[k] = rank[items[from + k]];
        }
        collector.accept(buf, len, counts[i]); // sorts the items
      }
      return new GroupItemsets(l, key, collector.build().canonical(), sorted);
    }

    /**
     * Generates the rules with {@code rules} and hands each to {@code out} as an output row, in the
     * miner's deterministic order.
     *
     * @return the number of rules
     * @throws IllegalArgumentException if a subset of an itemset is missing or an itemset is listed
     *     twice, naming it and the group
     */
    long emitRules(RuleMiner rules, Consumer<Row> out) {
      final Object[] values = items;
      final Object groupValue = layout.groupIndex < 0 ? null : key.getValue(0);
      final boolean grouped = layout.groupIndex >= 0;
      final Schema schema = layout.outputSchema;
      try {
        return rules.generate(
            itemsets,
            (ant, aLen, con, cLen, metrics) -> {
              List<Object> row = new ArrayList<>(schema.getFieldCount());
              if (grouped) {
                row.add(groupValue);
              }
              row.add(values(values, ant, aLen));
              row.add(values(values, con, cLen));
              for (int m = 0; m < METRICS.length; m++) {
                row.add(metrics[m]);
              }
              out.accept(Row.withSchema(schema).attachValues(row));
            });
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Cannot generate the rules of " + layout.describe(key) + ": " + e.getMessage(), e);
      }
    }

    private static List<Object> values(Object[] values, int[] ids, int len) {
      Object[] out = new Object[len];
      for (int k = 0; k < len; k++) {
        out[k] = values[ids[k]];
      }
      return Arrays.asList(out);
    }
  }

  /** A new capacity of at least {@code minSize}, growing {@code current} by 1.5×. */
  static int grow(int current, long minSize) {
    final int max = Integer.MAX_VALUE - 16;
    if (minSize > max) {
      throw new IllegalStateException(
          "Array of "
              + minSize
              + " elements exceeds the maximum of "
              + max
              + ": a group has too many itemsets for one worker.");
    }
    return (int) Math.min(Math.max(minSize, current + (current >> 1) + 8L), max);
  }
}
