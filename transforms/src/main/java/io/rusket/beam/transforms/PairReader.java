package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import java.io.Serializable;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * How MineStream reads the transaction and item of an input element: {@link KvPairs} for {@code
 * KV<Long, Integer>}, {@link RowPairs} for Rows with two integer fields, and {@link ShardMiners},
 * the marker of caller-built shard miners (no pairs to read). A reader is bound to its input at
 * {@code expand()}, which validates the input's type or schema.
 */
abstract class PairReader<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A reader for this input; validates its type or schema (naming the field). */
  abstract PairReader<T> bind(PCollection<T> input);

  /** The transaction id; a null fails naming the element. */
  abstract long txn(T element);

  /** The item id as a long (range-checked by the caller, with the transaction). */
  abstract long item(T element, long txn);

  /** What the item is called in messages: the field name, or "item id". */
  abstract String itemLabel();

  void populateDisplayData(DisplayData.Builder builder) {}

  /** {@code KV<transaction id, item id>} pairs ({@link MineStream#ofKvs()}). */
  static final class KvPairs extends PairReader<KV<Long, Integer>> {
    private static final long serialVersionUID = 1L;

    @Override
    PairReader<KV<Long, Integer>> bind(PCollection<KV<Long, Integer>> input) {
      return this;
    }

    @Override
    long txn(KV<Long, Integer> e) {
      Long t = e.getKey();
      if (t == null) {
        throw new IllegalArgumentException(
            "MineStream: null transaction id in pair " + e + " (pairs are never dropped)");
      }
      return t;
    }

    @Override
    long item(KV<Long, Integer> e, long txn) {
      Integer i = e.getValue();
      if (i == null) {
        throw new IllegalArgumentException(
            "MineStream: null item id in transaction " + txn + " (pairs are never dropped)");
      }
      return i;
    }

    @Override
    String itemLabel() {
      return "item id";
    }
  }

  /** Rows with an integer transaction field and an integer item field ({@link MineStream#of}). */
  static final class RowPairs extends PairReader<Row> {
    private static final long serialVersionUID = 1L;
    private final String txnField;
    private final String itemField;
    private final int txnIndex;
    private final int itemIndex;

    RowPairs(String txnField, String itemField) {
      this(txnField, itemField, -1, -1);
    }

    private RowPairs(String txnField, String itemField, int txnIndex, int itemIndex) {
      this.txnField = txnField;
      this.itemField = itemField;
      this.txnIndex = txnIndex;
      this.itemIndex = itemIndex;
    }

    @Override
    PairReader<Row> bind(PCollection<Row> input) {
      if (!input.hasSchema()) {
        throw new IllegalArgumentException(
            "MineStream.of(\""
                + txnField
                + "\", \""
                + itemField
                + "\") needs a PCollection<Row> with a schema; use MineStream.ofKvs() for"
                + " KV<Long, Integer> pairs");
      }
      Schema schema = input.getSchema();
      return new RowPairs(
          txnField,
          itemField,
          integerField(schema, txnField, "transaction"),
          integerField(schema, itemField, "item"));
    }

    private static int integerField(Schema schema, String name, String role) {
      if (!schema.hasField(name)) {
        throw new IllegalArgumentException(
            "MineStream: the "
                + role
                + " field '"
                + name
                + "' is not in the input schema; fields: "
                + schema.getFieldNames());
      }
      FieldType type = schema.getField(name).getType();
      TypeName t = type.getTypeName();
      if (t != TypeName.BYTE && t != TypeName.INT16 && t != TypeName.INT32 && t != TypeName.INT64) {
        throw new IllegalArgumentException(
            "MineStream: the "
                + role
                + " field '"
                + name
                + "' must be an integer (INT8, INT16,"
                + " INT32 or INT64), but it is "
                + type);
      }
      return schema.indexOf(name);
    }

    @Override
    long txn(Row row) {
      Object t = row.getValue(txnIndex);
      if (t == null) {
        throw new IllegalArgumentException(
            "MineStream: null " + txnField + " in row " + row + " (rows are never dropped)");
      }
      return ((Number) t).longValue();
    }

    @Override
    long item(Row row, long txn) {
      Object i = row.getValue(itemIndex);
      if (i == null) {
        throw new IllegalArgumentException(
            "MineStream: null "
                + itemField
                + " in transaction "
                + txnField
                + " = "
                + txn
                + " (rows are never dropped)");
      }
      return ((Number) i).longValue();
    }

    @Override
    String itemLabel() {
      return itemField;
    }

    @Override
    void populateDisplayData(DisplayData.Builder builder) {
      builder
          .add(DisplayData.item("transactionField", txnField).withLabel("Transaction field"))
          .add(DisplayData.item("itemField", itemField).withLabel("Item field"));
    }
  }

  /** Marks {@link MineStream#ofShardMiners()} input: miners, no single pairs to read. */
  static final class ShardMiners extends PairReader<KV<Integer, FPMiner>> {
    private static final long serialVersionUID = 1L;

    @Override
    PairReader<KV<Integer, FPMiner>> bind(PCollection<KV<Integer, FPMiner>> input) {
      return this;
    }

    @Override
    long txn(KV<Integer, FPMiner> element) {
      throw new UnsupportedOperationException("shard miners hold no single pair");
    }

    @Override
    long item(KV<Integer, FPMiner> element, long txn) {
      throw new UnsupportedOperationException("shard miners hold no single pair");
    }

    @Override
    String itemLabel() {
      return "item id";
    }
  }
}
