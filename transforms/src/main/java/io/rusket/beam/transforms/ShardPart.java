package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One of the two inputs MineStream's step 4 joins per shard and window: the shard's merged miner or
 * the window's global counts (exactly one of the two is set).
 */
final class ShardPart {
  final @Nullable FPMiner miner;
  final @Nullable ItemCounts counts;

  private ShardPart(@Nullable FPMiner miner, @Nullable ItemCounts counts) {
    this.miner = miner;
    this.counts = counts;
  }

  static ShardPart ofMiner(FPMiner miner) {
    return new ShardPart(Objects.requireNonNull(miner), null);
  }

  static ShardPart ofCounts(ItemCounts counts) {
    return new ShardPart(null, Objects.requireNonNull(counts));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardPart
        && Objects.equals(miner, ((ShardPart) o).miner)
        && Objects.equals(counts, ((ShardPart) o).counts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(miner, counts);
  }

  /** The coder: a tag byte (0 miner, 1 counts), then the part in its own coder. */
  static Coder coder(long maxRamBytes) {
    return new Coder(maxRamBytes);
  }

  static final class Coder extends org.apache.beam.sdk.coders.CustomCoder<ShardPart> {
    private static final long serialVersionUID = 1L;
    private final FPMinerCoder minerCoder;

    private Coder(long maxRamBytes) {
      this.minerCoder = FPMinerCoder.of(maxRamBytes);
    }

    @Override
    public void encode(ShardPart p, OutputStream out) throws IOException {
      if (p == null) {
        throw new CoderException("cannot encode null ShardPart");
      }
      if (p.miner != null) {
        out.write(0);
        minerCoder.encode(p.miner, out);
      } else {
        out.write(1);
        ItemCounts.coder().encode(p.counts, out);
      }
    }

    @Override
    public ShardPart decode(InputStream in) throws IOException {
      int tag = in.read();
      switch (tag) {
        case 0:
          return ofMiner(minerCoder.decode(in));
        case 1:
          return ofCounts(ItemCounts.coder().decode(in));
        default:
          throw new CoderException("corrupt ShardPart: tag " + tag);
      }
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      minerCoder.verifyDeterministic();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Coder && minerCoder.equals(((Coder) o).minerCoder);
    }

    @Override
    public int hashCode() {
      return minerCoder.hashCode();
    }
  }
}
