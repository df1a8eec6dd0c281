package io.rusket.beam.pipelines.io;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema.TypeName;

/**
 * The CSV column types a user declares, {@code column:type,column:type} ({@link
 * TableSource#parseCsvTypes} delegates here). A class of its own, apart from the {@link
 * TableSource} transform, so that the command line can check {@code --csvTypes} before Beam parses
 * the options: loading a Beam transform sets logging up, this class loads only the schema's {@link
 * TypeName}.
 *
 * <pre>{@code
 * Map<String, TypeName> types = CsvTypes.parse("txn:long,store:string", "--csvTypes");
 * }</pre>
 */
public final class CsvTypes {
  private CsvTypes() {}

  /**
   * Parses CSV column types written as {@code column:type,column:type}, the types {@code string},
   * {@code long}, {@code int}, {@code double} or {@code boolean} (any case), e.g. {@code
   * "txn:long,store:string"}.
   *
   * @param option how to name the setting in messages, e.g. {@code "--csvTypes"}
   * @throws IllegalArgumentException for an entry without a column or a type, an unknown type or a
   *     column given twice, naming the entry
   */
  public static Map<String, TypeName> parse(String spec, String option) {
    Map<String, TypeName> types = new LinkedHashMap<>();
    for (String entry : spec.split(",", -1)) {
      int colon = entry.lastIndexOf(':');
      String column = colon < 0 ? "" : entry.substring(0, colon);
      if (column.isEmpty() || colon == entry.length() - 1) {
        throw new IllegalArgumentException(
            "Invalid "
                + option
                + " entry: '"
                + entry
                + "'. Expected column:type, e.g. txn:long,store:string");
      }
      String name = entry.substring(colon + 1).toLowerCase(Locale.ROOT);
      TypeName type;
      switch (name) {
        case "string":
          type = TypeName.STRING;
          break;
        case "long":
          type = TypeName.INT64;
          break;
        case "int":
          type = TypeName.INT32;
          break;
        case "double":
          type = TypeName.DOUBLE;
          break;
        case "boolean":
          type = TypeName.BOOLEAN;
          break;
        default:
          throw new IllegalArgumentException(
              "Invalid "
                  + option
                  + " type for column '"
                  + column
                  + "': "
                  + entry.substring(colon + 1)
                  + ". Valid types are string, long, int, double, boolean.");
      }
      if (types.put(column, type) != null) {
        throw new IllegalArgumentException(
            "Column '" + column + "' is given twice in " + option + "=" + spec);
      }
    }
    return types;
  }
}
