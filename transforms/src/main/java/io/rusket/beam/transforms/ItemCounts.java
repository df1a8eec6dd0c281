package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.FPMiner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * MineStream's step 3 value: N and each item's support, exactly, for one shard or (summed by
 * {@link SumCountsFn}) for a whole window. {@code support[i]} is the number of transactions holding
 * item id {@code i}; the array ends at the largest item id seen (its length is that id + 1, or 0),
 * so it is sized by the data, never by {@code numItems}. Immutable by convention.
 */
final class ItemCounts {
  final long n;
  final long[] support;

  ItemCounts(long n, long[] support) {
    this.n = n;
    this.support = support;
  }

  /** No transactions, no items: the identity of {@link SumCountsFn}. */
  static ItemCounts empty() {
    return new ItemCounts(0, new long[0]);
  }

  /**
   * The counts of the transactions of {@code miner}, keyed {@code shard}, checking on the way —
   * one hash per transaction — that each belongs there: {@code MineStream.shardOf(t, shards) ==
   * shard}. A caller-built miner ({@link MineStream#ofShardMiners()}) with a transaction in the
   * wrong shard would otherwise count that transaction once per shard in N and split its items.
   *
   * @throws IllegalArgumentException naming the transaction, the shard found and the one expected
   */
  static ItemCounts ofShard(FPMiner miner, int shard, int shards) {
    long[][] support = {new long[0]};
    int[] maxItem = {-1};
    long n =
        miner.forEachTransaction(
            (txn, items, len) -> {
              int expected = MineStream.shardOf(txn, shards);
              if (expected != shard) {
                throw new IllegalArgumentException(
                    "MineStream.ofShardMiners: transaction " + txn + " is in a miner keyed "
                        + shard + " but belongs to shard " + expected + " = MineStream.shardOf("
                        + txn + ", " + shards + "): key every miner by MineStream.shardOf(txn, "
                        + shards + ") with the same shard count as withShards(" + shards
                        + "), so that all pairs of a transaction are in one miner's shard");
              }
              if (len == 0) {
                return;
              }
              int top = items[len - 1]; // ascending
              if (top > maxItem[0]) {
                maxItem[0] = top;
                support[0] = ArrayUtil.grow(support[0], top + 1L);
              }
              long[] s = support[0];
              for (int k = 0; k < len; k++) {
                s[items[k]]++;
              }
            });
    return new ItemCounts(n, Arrays.copyOf(support[0], maxItem[0] + 1));
  }

  /** The coder: see {@link Coder} for the layout. */
  static Coder coder() {
    return Coder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemCounts
        && ((ItemCounts) o).n == n
        && Arrays.equals(((ItemCounts) o).support, support);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(n) * 31 + Arrays.hashCode(support);
  }

  @Override
  public String toString() {
    return "ItemCounts{n=" + n + ", items=" + support.length + "}";
  }

  /** N, the number of items, then each support, as varints (one byte for most items). */
  static final class Coder extends CustomCoder<ItemCounts> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(ItemCounts value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode null ItemCounts");
      }
      VarInt.encode(value.n, out);
      VarInt.encode(value.support.length, out);
      for (long s : value.support) {
        VarInt.encode(s, out);
      }
    }

    @Override
    public ItemCounts decode(InputStream in) throws IOException {
      long n = VarInt.decodeLong(in);
      int len = VarInt.decodeInt(in);
      if (len < 0 || n < 0) {
        throw new CoderException("corrupt ItemCounts: " + len + " items, N " + n);
      }
      long[] s = new long[len];
      for (int i = 0; i < len; i++) {
        s[i] = VarInt.decodeLong(in);
      }
      return new ItemCounts(n, s);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Coder;
    }

    @Override
    public int hashCode() {
      return Coder.class.hashCode();
    }
  }
}
