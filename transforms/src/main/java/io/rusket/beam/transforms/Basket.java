package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * The distinct items of one transaction (a basket), identified by keys that are either integers
 * ({@link KeyKind#INTEGER}) or strings ({@link KeyKind#STRING}): the step between one-hot input
 * rows and a group's {@link GroupBaskets}.
 *
 * <p>Invariant, as seen from outside: the keys are distinct and ascending (numerically, or by
 * {@link String#compareTo}). Inside, {@link #add} appends to a pending tail that is sorted and
 * de-duplicated the next time the keys are read, so that a basket built one item at a time costs
 * {@code O(k log k)}, not {@code O(k²)}. A {@code Basket} is mutable only through {@link #add} and
 * {@link #addAll}.
 *
 * <p>Encoded by {@link #coder()}: a kind byte, the number of keys as a VarInt, then for integer
 * keys the first key as a VarLong and each later key as its (positive) gap to the previous one, or
 * for string keys each key as a VarInt byte length and its UTF-8 bytes (as {@code StringUtf8Coder}
 * writes a nested string).
 */
public final class Basket {
  private final KeyKind kind;

  /** Keys when kind is INTEGER; null otherwise. */
  private long[] longs;

  /** Keys when kind is STRING; null otherwise. */
  private String[] strings;

  /** Number of key slots in use. */
  private int size;

  /** Invariant: keys [0, sorted) are strictly ascending; keys [sorted, size) are pending. */
  private int sorted;

  private Basket(KeyKind kind, long[] longs, String[] strings, int size) {
    this.kind = kind;
    this.longs = longs;
    this.strings = strings;
    this.size = size;
    this.sorted = 0;
    normalize();
  }

  /** An empty set of the given kind. */
  public static Basket empty(KeyKind kind) {
    Objects.requireNonNull(kind, "kind");
    return kind == KeyKind.INTEGER
        ? new Basket(kind, new long[4], null, 0)
        : new Basket(kind, null, new String[4], 0);
  }

  /** The set of these integer keys; repeats count once, order does not matter. */
  public static Basket ofLongs(long... keys) {
    Objects.requireNonNull(keys, "keys");
    return new Basket(KeyKind.INTEGER, keys.clone(), null, keys.length);
  }

  /** The set of the first {@code length} keys of {@code keys} (copied). */
  public static Basket ofLongs(long[] keys, int length) {
    Objects.requireNonNull(keys, "keys");
    return new Basket(KeyKind.INTEGER, Arrays.copyOf(keys, length), null, length);
  }

  /**
   * The set of these string keys; repeats count once, order does not matter.
   *
   * @throws IllegalArgumentException for a null key
   */
  public static Basket ofStrings(String... keys) {
    Objects.requireNonNull(keys, "keys");
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) {
        throw new IllegalArgumentException("null item key at position " + i);
      }
    }
    return new Basket(KeyKind.STRING, null, keys.clone(), keys.length);
  }

  /** The kind of the keys. */
  public KeyKind kind() {
    return kind;
  }

  /** Number of distinct keys. */
  public int size() {
    normalize();
    return size;
  }

  /** The {@code i}-th smallest integer key. */
  public long longKey(int i) {
    checkKind(KeyKind.INTEGER);
    normalize();
    checkIndex(i);
    return longs[i];
  }

  /** The {@code i}-th smallest string key. */
  public String stringKey(int i) {
    checkKind(KeyKind.STRING);
    normalize();
    checkIndex(i);
    return strings[i];
  }

  /** Adds an integer key; returns this. */
  public Basket add(long key) {
    checkKind(KeyKind.INTEGER);
    longs = ArrayUtil.grow(longs, size + 1L);
    longs[size++] = key;
    return this;
  }

  /**
   * Adds a string key; returns this.
   *
   * @throws IllegalArgumentException for a null key
   */
  public Basket add(String key) {
    checkKind(KeyKind.STRING);
    if (key == null) {
      throw new IllegalArgumentException("null item key");
    }
    strings = ArrayUtil.grow(strings, size + 1L);
    strings[size++] = key;
    return this;
  }

  /**
   * Adds every key of {@code other} (left unchanged); returns this.
   *
   * @throws IllegalArgumentException if the kinds differ
   */
  public Basket addAll(Basket other) {
    checkKind(other.kind);
    other.normalize();
    int n = other.size;
    if (kind == KeyKind.INTEGER) {
      longs = ArrayUtil.grow(longs, (long) size + n);
      System.arraycopy(other.longs, 0, longs, size, n);
    } else {
      strings = ArrayUtil.grow(strings, (long) size + n);
      System.arraycopy(other.strings, 0, strings, size, n);
    }
    size += n;
    return this;
  }

  /** A copy holding exactly the keys, in arrays of exactly their size. */
  public Basket copy() {
    normalize();
    return kind == KeyKind.INTEGER
        ? new Basket(kind, Arrays.copyOf(longs, size), null, size)
        : new Basket(kind, null, Arrays.copyOf(strings, size), size);
  }

  /** Approximate heap footprint in bytes. */
  public long ramBytesUsed() {
    if (kind == KeyKind.INTEGER) {
      return 32 + 16 + 8L * longs.length;
    }
    long bytes = 32 + 16 + 8L * strings.length;
    for (int i = 0; i < size; i++) {
      bytes += 40 + strings[i].length();
    }
    return bytes;
  }

  /** Sorts and de-duplicates the pending keys into the sorted prefix. */
  private void normalize() {
    if (sorted == size) {
      return;
    }
    if (kind == KeyKind.INTEGER) {
      Arrays.sort(longs, 0, size);
      int w = 0;
      for (int i = 0; i < size; i++) {
        if (w == 0 || longs[i] != longs[w - 1]) {
          longs[w++] = longs[i];
        }
      }
      size = w;
    } else {
      Arrays.sort(strings, 0, size);
      int w = 0;
      for (int i = 0; i < size; i++) {
        if (w == 0 || !strings[i].equals(strings[w - 1])) {
          strings[w++] = strings[i];
        }
      }
      Arrays.fill(strings, w, size, null);
      size = w;
    }
    sorted = size;
  }

  private void checkKind(KeyKind expected) {
    if (kind != expected) {
      throw new IllegalArgumentException(
          "This basket holds " + kind + " keys, not " + expected + " keys");
    }
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IllegalArgumentException(
          "Invalid key index: " + i + ". Valid range is [0, " + size + ").");
    }
  }

  /** Equal iff the same kind and the same keys. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Basket)) {
      return false;
    }
    Basket other = (Basket) o;
    normalize();
    other.normalize();
    if (kind != other.kind || size != other.size) {
      return false;
    }
    return kind == KeyKind.INTEGER
        ? Arrays.equals(longs, 0, size, other.longs, 0, size)
        : Arrays.equals(strings, 0, size, other.strings, 0, size);
  }

  @Override
  public int hashCode() {
    normalize();
    int h = kind.ordinal();
    for (int i = 0; i < size; i++) {
      h = 31 * h + (kind == KeyKind.INTEGER ? Long.hashCode(longs[i]) : strings[i].hashCode());
    }
    return h;
  }

  @Override
  public String toString() {
    normalize();
    return kind == KeyKind.INTEGER
        ? Arrays.toString(Arrays.copyOf(longs, size))
        : Arrays.toString(Arrays.copyOf(strings, size));
  }

  /** The coder of baskets; see the class comment for the layout. */
  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /** Encodes an {@link Basket}: deterministic, and consistent with {@link Basket#equals}. */
  public static final class Coder extends StatelessCoder<Basket> {
    private static final Coder INSTANCE = new Coder();

    private Coder() {}

    @Override
    public void encode(Basket value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null Basket");
      }
      value.normalize();
      KeyDictionary.encodeKind(value.kind, out);
      VarInt.encode(value.size, out);
      if (value.kind == KeyKind.INTEGER) {
        for (int i = 0; i < value.size; i++) {
          VarInt.encode(i == 0 ? value.longs[0] : value.longs[i] - value.longs[i - 1], out);
        }
      } else {
        for (int i = 0; i < value.size; i++) {
          KeyDictionary.writeString(value.strings[i], out);
        }
      }
    }

    @Override
    public Basket decode(InputStream in) throws IOException {
      KeyKind kind = KeyDictionary.decodeKind(in);
      int n = VarInt.decodeInt(in);
      if (n < 0) {
        throw new CoderException("invalid Basket size " + n);
      }
      if (kind == KeyKind.INTEGER) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
          long v = VarInt.decodeLong(in);
          keys[i] = i == 0 ? v : keys[i - 1] + v;
        }
        return new Basket(kind, keys, null, n);
      }
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        keys[i] = KeyDictionary.readString(in);
      }
      return new Basket(kind, null, keys, n);
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
