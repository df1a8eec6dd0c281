package io.rusket.beam.transforms;

import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Checks and messages shared by {@link MineGrouped}'s DoFns for the values of an input row. */
final class GroupRows {
  private GroupRows() {}

  /** Message of a bad value met while running: names the field, the value and the group. */
  static IllegalArgumentException badValue(
      String role,
      String field,
      @Nullable Object value,
      String groupField,
      @Nullable Object group,
      String rule) {
    return new IllegalArgumentException(
        String.format(
            "MineGrouped: invalid value %s in %s field '%s' of a row of group %s=%s: %s",
            value, role, field, groupField, group, rule));
  }

  /**
   * The row's group value.
   *
   * @throws IllegalArgumentException if it is null, naming the group field
   */
  static Object requireGroup(Row row, int groupIndex, String groupField) {
    Object group = row.getValue(groupIndex);
    if (group == null) {
      throw new IllegalArgumentException(
          String.format(
              "MineGrouped: invalid value null in group field '%s': every row must belong to a"
                  + " group (rows are never dropped silently)",
              groupField));
    }
    return group;
  }
}
