package io.rusket.beam.transforms;

import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One column of keys for a chunk of rows, as read column-wise from a file: integer keys in a {@code
 * long[]} ({@link KeyKind#INTEGER}) or string keys in a {@code String[]} ({@link KeyKind#STRING}).
 * The bulk input of {@link GroupEvents#addChunk}, with no boxed value or object per row beyond the
 * strings themselves. The array is wrapped, not copied: a reader may refill it for the next chunk
 * once the chunk has been added.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * long[] txns = ...;    // the transaction column of a record batch
 * String[] skus = ...;  // the item column
 * events.addChunk(KeyColumn.ofLongs(txns), KeyColumn.ofStrings(skus), rows, 0, rows.length);
 * }</pre>
 */
public final class KeyColumn {
  private final long @Nullable [] longs;
  private final String @Nullable [] strings;

  private KeyColumn(long @Nullable [] longs, String @Nullable [] strings) {
    this.longs = longs;
    this.strings = strings;
  }

  /** Integer keys: row {@code r} has key {@code keys[r]}. */
  public static KeyColumn ofLongs(long[] keys) {
    return new KeyColumn(Objects.requireNonNull(keys, "keys"), null);
  }

  /** String keys: row {@code r} has key {@code keys[r]}, which must not be null when added. */
  public static KeyColumn ofStrings(String[] keys) {
    return new KeyColumn(null, Objects.requireNonNull(keys, "keys"));
  }

  /** The kind of the keys. */
  public KeyKind kind() {
    return longs != null ? KeyKind.INTEGER : KeyKind.STRING;
  }

  /** Number of rows the column can hold (its array's length). */
  public int capacity() {
    return longs != null ? longs.length : strings.length;
  }

  long[] longs() {
    return longs;
  }

  String[] strings() {
    return strings;
  }
}
