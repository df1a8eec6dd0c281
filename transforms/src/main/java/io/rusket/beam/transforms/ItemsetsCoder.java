package io.rusket.beam.transforms;

import io.rusket.beam.miner.Itemsets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Coder of collected {@link Itemsets}: N, the item names (if any: their count + 1, then each as
 * {@link StringUtf8Coder} writes it nested, a varint byte length and standard UTF-8, so names of
 * any length and any Unicode character round-trip), then per itemset its length, its ascending item
 * ids as deltas and its count, all as varints. Keeps the itemsets' order, so it is deterministic
 * and round-trips to an {@linkplain Itemsets#equals equal} value.
 *
 * <pre>{@code
 * PCollection<Itemsets> freq = pairs.apply(Combine.globally(MineStream.combineFn(50_000, config)));
 * // the CombineFn names this coder as its default output coder
 * }</pre>
 */
public final class ItemsetsCoder extends StatelessCoder<Itemsets> {
  private static final long serialVersionUID = 1L;
  private static final ItemsetsCoder INSTANCE = new ItemsetsCoder();
  private static final StringUtf8Coder NAME = StringUtf8Coder.of();

  private ItemsetsCoder() {}

  /** The coder. */
  public static ItemsetsCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Itemsets value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("Cannot encode null Itemsets");
    }
    VarInt.encode(value.nTransactions(), out);
    String[] names = value.hasItemNames() ? value.itemNames() : null;
    VarInt.encode(names == null ? 0 : names.length + 1, out);
    if (names != null) {
      for (String name : names) {
        NAME.encode(name, out); // nested: varint length, UTF-8 bytes
      }
    }
    int size = value.size();
    VarInt.encode(size, out);
    for (int i = 0; i < size; i++) {
      int len = value.length(i);
      VarInt.encode(len, out);
      int prev = -1;
      for (int k = 0; k < len; k++) {
        int item = value.item(i, k);
        VarInt.encode(item - prev - 1, out);
        prev = item;
      }
      VarInt.encode(value.count(i), out);
    }
  }

  @Override
  public Itemsets decode(InputStream in) throws IOException {
    long n = VarInt.decodeLong(in);
    int namesPlusOne = VarInt.decodeInt(in);
    String[] names = null;
    if (namesPlusOne > 0) {
      names = new String[namesPlusOne - 1];
      for (int j = 0; j < names.length; j++) {
        names[j] = NAME.decode(in);
      }
    } else if (namesPlusOne < 0) {
      throw new CoderException("Corrupt Itemsets encoding: name count " + namesPlusOne);
    }
    int size = VarInt.decodeInt(in);
    if (size < 0) {
      throw new CoderException("Corrupt Itemsets encoding: size " + size);
    }
    Itemsets.Collector c = Itemsets.collector(n, names);
    int[] buf = new int[16];
    for (int i = 0; i < size; i++) {
      int len = VarInt.decodeInt(in);
      if (len <= 0) {
        throw new CoderException("Corrupt Itemsets encoding: itemset length " + len);
      }
      if (len > buf.length) {
        buf = new int[Math.max(len, 2 * buf.length)];
      }
      int prev = -1;
      for (int k = 0; k < len; k++) {
        prev = prev + 1 + VarInt.decodeInt(in);
        buf[k] = prev;
      }
      c.accept(buf, len, VarInt.decodeLong(in));
    }
    return c.build();
  }
}
