package io.rusket.beam.transforms;

import io.rusket.beam.miner.FPMiner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Coder of {@link FPMiner} accumulators: the miner's canonical binary form ({@link FPMiner#encode}:
 * a small header and one sorted run of delta varints, about 1 to 2.5 bytes per distinct
 * (transaction, item) pair). Deterministic and consistent with equals: equal miners encode to equal
 * bytes. Decoded miners get the coder's RAM budget; a run larger than it is streamed to a spill
 * file instead of the heap.
 *
 * <pre>{@code
 * PCollection<KV<Integer, FPMiner>> shards = ...;
 * shards.setCoder(KvCoder.of(VarIntCoder.of(), FPMinerCoder.of(64L << 20)));
 * }</pre>
 */
public final class FPMinerCoder extends CustomCoder<FPMiner> {
  private static final long serialVersionUID = 1L;
  private static final FPMinerCoder DEFAULT = new FPMinerCoder(FPMiner.DEFAULT_MAX_RAM_BYTES);

  private final long maxRamBytes;

  private FPMinerCoder(long maxRamBytes) {
    this.maxRamBytes = maxRamBytes;
  }

  /** The coder; decoded miners get {@link FPMiner#DEFAULT_MAX_RAM_BYTES}. */
  public static FPMinerCoder of() {
    return DEFAULT;
  }

  /** The coder; decoded miners get the RAM budget {@code maxRamBytes}. */
  public static FPMinerCoder of(long maxRamBytes) {
    if (maxRamBytes < FPMiner.MIN_RAM_BYTES) {
      throw new IllegalArgumentException(
          "maxRamBytes must be at least " + FPMiner.MIN_RAM_BYTES + ", got " + maxRamBytes);
    }
    return new FPMinerCoder(maxRamBytes);
  }

  @Override
  public void encode(FPMiner value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("Cannot encode a null FPMiner");
    }
    value.encode(out);
  }

  @Override
  public FPMiner decode(InputStream in) throws IOException {
    try {
      return FPMiner.decode(in, maxRamBytes);
    } catch (IOException e) {
      throw new CoderException("Cannot decode an FPMiner: " + e.getMessage(), e);
    }
  }

  /** Deterministic: the encoding is canonical. */
  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FPMinerCoder && ((FPMinerCoder) o).maxRamBytes == maxRamBytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(maxRamBytes);
  }
}
