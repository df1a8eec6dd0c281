package io.rusket.beam.transforms;

import static io.rusket.beam.transforms.GroupRows.badValue;
import static io.rusket.beam.transforms.GroupRows.requireGroup;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/** One-hot Row → (group, basket of item column indices). */
final class OneHotToBasketsFn extends DoFn<Row, KV<Row, Basket>> {
  private static final String RULE =
      "one-hot item fields must be 0 or 1 (or false/true); rows are never dropped silently";
  private final String groupField;
  private final int groupIndex;
  private final String[] columnNames;
  private final int[] columnIndices;
  private final Schema keySchema;
  private transient long[] buf;

  OneHotToBasketsFn(
      String groupField,
      int groupIndex,
      String[] columnNames,
      int[] columnIndices,
      Schema keySchema) {
    this.groupField = groupField;
    this.groupIndex = groupIndex;
    this.columnNames = columnNames;
    this.columnIndices = columnIndices;
    this.keySchema = keySchema;
  }

  @Setup
  public void setup() {
    buf = new long[columnIndices.length];
  }

  @ProcessElement
  public void processElement(@Element Row row, OutputReceiver<KV<Row, Basket>> out) {
    Object group = requireGroup(row, groupIndex, groupField);
    int k = 0;
    for (int j = 0; j < columnIndices.length; j++) {
      Object v = row.getValue(columnIndices[j]);
      boolean set;
      if (v instanceof Boolean) {
        set = (Boolean) v;
      } else if (v instanceof Number) {
        long x = ((Number) v).longValue();
        if (x != 0 && x != 1) {
          throw badValue("item", columnNames[j], v, groupField, group, RULE);
        }
        set = x == 1;
      } else {
        throw badValue("item", columnNames[j], v, groupField, group, RULE);
      }
      if (set) {
        buf[k++] = j;
      }
    }
    out.output(KV.of(Row.withSchema(keySchema).attachValues(group), Basket.ofLongs(buf, k)));
  }
}
