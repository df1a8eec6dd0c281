package io.rusket.beam.pipelines.io;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;

/**
 * The schema check of {@link TableSource} (required columns and their types) and the one-line
 * descriptions of schemas and types its messages use.
 */
final class Schemas {
  private Schemas() {}

  /**
   * Checks that {@code schema} (read from {@code file}) has each required column with one of the
   * acceptable types.
   *
   * @throws IllegalArgumentException naming the file, the missing or mistyped column, the types
   *     accepted and the columns present
   */
  static void checkColumns(
      String file, Schema schema, Map<String, ? extends Collection<TypeName>> required) {
    for (Map.Entry<String, ? extends Collection<TypeName>> e : required.entrySet()) {
      String name = e.getKey();
      if (!schema.hasField(name)) {
        throw new IllegalArgumentException(
            String.format(
                "Column '%s' is missing from %s; columns present: %s",
                name, file, describe(schema)));
      }
      FieldType type = schema.getField(name).getType();
      if (!e.getValue().contains(type.getTypeName())) {
        throw new IllegalArgumentException(
            String.format(
                "Column '%s' of %s is %s; expected one of %s. Columns present: %s",
                name, file, describe(type), sorted(e.getValue()), describe(schema)));
      }
    }
  }

  private static String sorted(Collection<TypeName> types) {
    return types.stream().sorted().map(Enum::name).collect(Collectors.joining(", ", "[", "]"));
  }

  /** "store_id STRING, count INT64, itemsets ARRAY<STRING>, x DOUBLE (nullable)". */
  static String describe(Schema schema) {
    return schema.getFields().stream()
        .map(f -> f.getName() + " " + describe(f.getType()))
        .collect(Collectors.joining(", "));
  }

  /** "INT64", "ARRAY<STRING>", "STRING (nullable)". */
  static String describe(FieldType t) {
    String s;
    switch (t.getTypeName()) {
      case ARRAY:
      case ITERABLE:
        s = t.getTypeName() + "<" + describe(t.getCollectionElementType()) + ">";
        break;
      case MAP:
        s = "MAP<" + describe(t.getMapKeyType()) + ", " + describe(t.getMapValueType()) + ">";
        break;
      case LOGICAL_TYPE:
        s = t.getLogicalType().getIdentifier();
        break;
      default:
        s = t.getTypeName().name();
    }
    return Boolean.TRUE.equals(t.getNullable()) ? s + " (nullable)" : s;
  }
}
