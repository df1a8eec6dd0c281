package io.rusket.beam.transforms;

/**
 * The range checks of {@link MineStream}'s {@code withNumItems} and {@code withShards}, in a class
 * of their own that names no Beam type: the command line makes them before Beam parses its options
 * (loading a Beam transform would set logging up), with the same messages as the transform.
 *
 * <pre>{@code
 * StreamLimits.checkNumItems(numItems);   // IllegalArgumentException unless >= 1
 * }</pre>
 */
public final class StreamLimits {
  /** The most shards {@link MineStream#withShards} takes. */
  public static final int MAX_SHARDS = 1 << 16;

  private StreamLimits() {}

  /**
   * @throws IllegalArgumentException unless {@code numItems >= 1}, naming the value
   */
  public static void checkNumItems(int numItems) {
    if (numItems < 1) {
      throw new IllegalArgumentException(
          "Invalid numItems: " + numItems + ". Valid range is [1, " + Integer.MAX_VALUE + "].");
    }
  }

  /**
   * @throws IllegalArgumentException unless {@code shards} is in [1, {@link #MAX_SHARDS}], naming
   *     the value
   */
  public static void checkShards(int shards) {
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException(
          "Invalid shards: " + shards + ". Valid range is [1, " + MAX_SHARDS + "].");
    }
  }
}
