package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.FPMiner;
import io.rusket.beam.miner.ItemIdMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * MineStream's step 3 value: N and each item's support, exactly, for one shard or (summed by {@link
 * SumCountsFn}) for a whole window. Sparse: {@code ids} are the item ids seen, strictly ascending,
 * and {@code support[k]} (at least 1) is the number of transactions holding {@code ids[k]} — sized
 * by the distinct ids seen, never by {@code numItems} nor by the largest id. Immutable by
 * convention.
 */
final class ItemCounts {
  private static final int DENSE = ItemIdMap.DENSE_IDS;
  final long n;
  final int[] ids;
  final long[] support;

  ItemCounts(long n, int[] ids, long[] support) {
    assert ids.length == support.length : "ids=" + ids.length + ", support=" + support.length;
    this.n = n;
    this.ids = ids;
    this.support = support;
  }

  /** No transactions, no items: the identity of {@link SumCountsFn}. */
  static ItemCounts empty() {
    return new ItemCounts(0, new int[0], new long[0]);
  }

  /** The counts with {@code support[i]} for item id {@code i} (zeros are dropped). */
  static ItemCounts ofDense(long n, long[] support) {
    int k = 0;
    for (long s : support) {
      if (s > 0) {
        k++;
      }
    }
    int[] ids = new int[k];
    long[] sup = new long[k];
    k = 0;
    for (int i = 0; i < support.length; i++) {
      if (support[i] > 0) {
        ids[k] = i;
        sup[k++] = support[i];
      }
    }
    return new ItemCounts(n, ids, sup);
  }

  /**
   * The counts of the transactions of {@code miner}, keyed {@code shard}, checking on the way — one
   * hash per transaction — that each belongs there: {@code MineStream.shardOf(t, shards) == shard}.
   * A caller-built miner ({@link MineStream#ofShardMiners()}) with a transaction in the wrong shard
   * would otherwise count that transaction once per shard in N and split its items. Ids below
   * {@link ItemIdMap#DENSE_IDS} are counted in an array sized by the largest of them seen, larger
   * ids in an {@link ItemIdMap}.
   *
   * @throws IllegalArgumentException naming the transaction, the shard found and the one expected
   */
  static ItemCounts ofShard(FPMiner miner, int shard, int shards) {
    long[][] dense = {new long[0]};
    ItemIdMap sparse = new ItemIdMap();
    long n =
        miner.forEachTransaction(
            (txn, items, len) -> {
              int expected = MineStream.shardOf(txn, shards);
              if (expected != shard) {
                throw new IllegalArgumentException(
                    "MineStream.ofShardMiners: transaction "
                        + txn
                        + " is in a miner keyed "
                        + shard
                        + " but belongs to shard "
                        + expected
                        + " = MineStream.shardOf("
                        + txn
                        + ", "
                        + shards
                        + "): key every miner by MineStream.shardOf(txn, "
                        + shards
                        + ") with the same shard count as withShards("
                        + shards
                        + "), so that all pairs of a transaction are in one miner's shard");
              }
              long[] d = dense[0];
              for (int k = 0; k < len; k++) {
                int item = items[k]; // ascending
                if (item < d.length) {
                  d[item]++;
                } else if (item < DENSE) {
                  // capped, so that an id is counted on one side only
                  d = Arrays.copyOf(d, Math.min(ArrayUtil.grow(d.length, item + 1L), DENSE));
                  dense[0] = d;
                  d[item]++;
                } else {
                  sparse.addTo(item, 1);
                }
              }
            });
    long[] d = dense[0];
    int[] big = sparse.sortedIds(); // all >= DENSE_IDS > every dense id
    int k = 0;
    for (long s : d) {
      if (s > 0) {
        k++;
      }
    }
    int[] ids = new int[k + big.length];
    long[] sup = new long[ids.length];
    k = 0;
    for (int i = 0; i < d.length; i++) {
      if (d[i] > 0) {
        ids[k] = i;
        sup[k++] = d[i];
      }
    }
    for (int id : big) {
      ids[k] = id;
      sup[k++] = sparse.get(id, 0);
    }
    return new ItemCounts(n, ids, sup);
  }

  /** The coder: see {@link Coder} for the layout. */
  static Coder coder() {
    return Coder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemCounts
        && ((ItemCounts) o).n == n
        && Arrays.equals(((ItemCounts) o).ids, ids)
        && Arrays.equals(((ItemCounts) o).support, support);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(n) * 31 + Arrays.hashCode(ids)) * 31 + Arrays.hashCode(support);
  }

  @Override
  public String toString() {
    return "ItemCounts{n=" + n + ", items=" + ids.length + "}";
  }

  /**
   * N, the number of items seen, then per item the gap to the previous id (minus one; the first is
   * its id) and its support, all as varints: two bytes for most items of a dense id range.
   */
  static final class Coder extends StatelessCoder<ItemCounts> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(ItemCounts value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode null ItemCounts");
      }
      VarInt.encode(value.n, out);
      VarInt.encode(value.ids.length, out);
      int prev = -1;
      for (int k = 0; k < value.ids.length; k++) {
        VarInt.encode(value.ids[k] - prev - 1, out);
        prev = value.ids[k];
        VarInt.encode(value.support[k], out);
      }
    }

    @Override
    public ItemCounts decode(InputStream in) throws IOException {
      long n = VarInt.decodeLong(in);
      int len = VarInt.decodeInt(in);
      if (len < 0 || n < 0) {
        throw new CoderException("corrupt ItemCounts: " + len + " items, N " + n);
      }
      int[] ids = new int[len];
      long[] s = new long[len];
      long prev = -1;
      for (int k = 0; k < len; k++) {
        long id = prev + 1 + VarInt.decodeInt(in);
        if (id > Integer.MAX_VALUE || id <= prev) {
          throw new CoderException("corrupt ItemCounts: item id " + id + " after " + prev);
        }
        ids[k] = (int) id;
        prev = id;
        s[k] = VarInt.decodeLong(in);
      }
      return new ItemCounts(n, ids, s);
    }
  }
}
