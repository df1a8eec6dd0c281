package io.rusket.beam.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * The distinct items of one transaction (a basket), identified by keys that are either integers
 * ({@link Kind#INTEGER}) or strings ({@link Kind#STRING}): the step between one-hot input rows and
 * a group's {@link GroupBaskets}. Its {@link Kind} also names the kind of transaction and item keys
 * of long-format events ({@link GroupEvents}).
 *
 * <p>Invariant, as seen from outside: the keys are distinct and ascending (numerically, or by
 * {@link String#compareTo}). Inside, {@link #add} appends to a pending tail that is sorted and
 * de-duplicated the next time the keys are read, so that a basket built one item at a time costs
 * {@code O(k log k)}, not {@code O(k²)}. An {@code ItemSet} is mutable only through {@link #add}
 * and {@link #addAll}.
 *
 * <p>Encoded by {@link #coder()}: a kind byte, the number of keys as a VarInt, then for integer
 * keys the first key as a VarLong and each later key as its (positive) gap to the previous one, or
 * for string keys each key as a VarInt byte length and its UTF-8 bytes.
 */
public final class ItemSet {
  /** The type of the item keys. */
  public enum Kind {
    /** Integer keys (one-hot column indices, or the values of an integer item field). */
    INTEGER,
    /** String keys (the values of a string item field). */
    STRING
  }

  private final Kind kind;

  /** Keys when kind is INTEGER; null otherwise. */
  private long[] longs;

  /** Keys when kind is STRING; null otherwise. */
  private String[] strings;

  /** Number of key slots in use. */
  private int size;

  /** Invariant: keys [0, sorted) are strictly ascending; keys [sorted, size) are pending. */
  private int sorted;

  private ItemSet(Kind kind, long[] longs, String[] strings, int size) {
    this.kind = kind;
    this.longs = longs;
    this.strings = strings;
    this.size = size;
    this.sorted = 0;
    normalize();
  }

  /** An empty set of the given kind. */
  public static ItemSet empty(Kind kind) {
    Objects.requireNonNull(kind, "kind");
    return kind == Kind.INTEGER
        ? new ItemSet(kind, new long[4], null, 0)
        : new ItemSet(kind, null, new String[4], 0);
  }

  /** The set of these integer keys; repeats count once, order does not matter. */
  public static ItemSet ofLongs(long... keys) {
    Objects.requireNonNull(keys, "keys");
    return new ItemSet(Kind.INTEGER, keys.clone(), null, keys.length);
  }

  /** The set of the first {@code length} keys of {@code keys} (copied). */
  public static ItemSet ofLongs(long[] keys, int length) {
    Objects.requireNonNull(keys, "keys");
    return new ItemSet(Kind.INTEGER, Arrays.copyOf(keys, length), null, length);
  }

  /**
   * The set of these string keys; repeats count once, order does not matter.
   *
   * @throws IllegalArgumentException for a null key
   */
  public static ItemSet ofStrings(String... keys) {
    Objects.requireNonNull(keys, "keys");
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) {
        throw new IllegalArgumentException("null item key at position " + i);
      }
    }
    return new ItemSet(Kind.STRING, null, keys.clone(), keys.length);
  }

  /** The kind of the keys. */
  public Kind kind() {
    return kind;
  }

  /** Number of distinct keys. */
  public int size() {
    normalize();
    return size;
  }

  /** The {@code i}-th smallest integer key. */
  public long longKey(int i) {
    checkKind(Kind.INTEGER);
    normalize();
    checkIndex(i);
    return longs[i];
  }

  /** The {@code i}-th smallest string key. */
  public String stringKey(int i) {
    checkKind(Kind.STRING);
    normalize();
    checkIndex(i);
    return strings[i];
  }

  /** Adds an integer key; returns this. */
  public ItemSet add(long key) {
    checkKind(Kind.INTEGER);
    if (size == longs.length) {
      longs = Arrays.copyOf(longs, grow(size));
    }
    longs[size++] = key;
    return this;
  }

  /**
   * Adds a string key; returns this.
   *
   * @throws IllegalArgumentException for a null key
   */
  public ItemSet add(String key) {
    checkKind(Kind.STRING);
    if (key == null) {
      throw new IllegalArgumentException("null item key");
    }
    if (size == strings.length) {
      strings = Arrays.copyOf(strings, grow(size));
    }
    strings[size++] = key;
    return this;
  }

  /**
   * Adds every key of {@code other} (left unchanged); returns this.
   *
   * @throws IllegalArgumentException if the kinds differ
   */
  public ItemSet addAll(ItemSet other) {
    checkKind(other.kind);
    other.normalize();
    int n = other.size;
    if (kind == Kind.INTEGER) {
      if (size + n > longs.length) {
        longs = Arrays.copyOf(longs, Math.max(grow(longs.length), size + n));
      }
      System.arraycopy(other.longs, 0, longs, size, n);
    } else {
      if (size + n > strings.length) {
        strings = Arrays.copyOf(strings, Math.max(grow(strings.length), size + n));
      }
      System.arraycopy(other.strings, 0, strings, size, n);
    }
    size += n;
    return this;
  }

  /** A copy holding exactly the keys, in arrays of exactly their size. */
  public ItemSet copy() {
    normalize();
    return kind == Kind.INTEGER
        ? new ItemSet(kind, Arrays.copyOf(longs, size), null, size)
        : new ItemSet(kind, null, Arrays.copyOf(strings, size), size);
  }

  /** Approximate heap footprint in bytes. */
  public long ramBytesUsed() {
    if (kind == Kind.INTEGER) {
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
    if (kind == Kind.INTEGER) {
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

  private static int grow(int n) {
    if (n >= Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("Too many items in one transaction: " + n);
    }
    return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(4, n + (n >> 1) + 1L));
  }

  private void checkKind(Kind expected) {
    if (kind != expected) {
      throw new IllegalArgumentException(
          "This item set holds " + kind + " keys, not " + expected + " keys");
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
    if (!(o instanceof ItemSet)) {
      return false;
    }
    ItemSet other = (ItemSet) o;
    normalize();
    other.normalize();
    if (kind != other.kind || size != other.size) {
      return false;
    }
    return kind == Kind.INTEGER
        ? Arrays.equals(longs, 0, size, other.longs, 0, size)
        : Arrays.equals(strings, 0, size, other.strings, 0, size);
  }

  @Override
  public int hashCode() {
    normalize();
    int h = kind.ordinal();
    for (int i = 0; i < size; i++) {
      h = 31 * h + (kind == Kind.INTEGER ? Long.hashCode(longs[i]) : strings[i].hashCode());
    }
    return h;
  }

  @Override
  public String toString() {
    normalize();
    return kind == Kind.INTEGER
        ? Arrays.toString(Arrays.copyOf(longs, size))
        : Arrays.toString(Arrays.copyOf(strings, size));
  }

  /** The coder of item sets; see the class comment for the layout. */
  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /** Encodes an {@link ItemSet}: deterministic, and consistent with {@link ItemSet#equals}. */
  public static final class Coder extends CustomCoder<ItemSet> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    private Coder() {}

    @Override
    public void encode(ItemSet value, OutputStream out) throws IOException {
      if (value == null) {
        throw new CoderException("cannot encode a null ItemSet");
      }
      value.normalize();
      out.write(value.kind.ordinal());
      VarInt.encode(value.size, out);
      if (value.kind == Kind.INTEGER) {
        for (int i = 0; i < value.size; i++) {
          VarInt.encode(i == 0 ? value.longs[0] : value.longs[i] - value.longs[i - 1], out);
        }
      } else {
        for (int i = 0; i < value.size; i++) {
          STRING.encode(value.strings[i], out);
        }
      }
    }

    @Override
    public ItemSet decode(InputStream in) throws IOException {
      Kind kind = decodeKind(in);
      int n = VarInt.decodeInt(in);
      if (n < 0) {
        throw new CoderException("invalid ItemSet size " + n);
      }
      if (kind == Kind.INTEGER) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
          long v = VarInt.decodeLong(in);
          keys[i] = i == 0 ? v : keys[i - 1] + v;
        }
        return new ItemSet(kind, keys, null, n);
      }
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        keys[i] = STRING.decode(in);
      }
      return new ItemSet(kind, null, keys, n);
    }

    /**
     * Writes {@code n} dictionary keys in id order: VarLong values ({@code longs} not null) or
     * UTF-8 strings. The key-list layout shared by the group accumulators' coders.
     */
    static void encodeKeys(long[] longs, String[] strings, int n, OutputStream out)
        throws IOException {
      for (int i = 0; i < n; i++) {
        if (longs != null) {
          VarInt.encode(longs[i], out);
        } else {
          STRING.encode(strings[i], out);
        }
      }
    }

    /** Reads {@code n} keys written by {@link #encodeKeys} into {@code longs} or {@code strings}. */
    static void decodeKeys(long[] longs, String[] strings, int n, InputStream in)
        throws IOException {
      for (int i = 0; i < n; i++) {
        if (longs != null) {
          longs[i] = VarInt.decodeLong(in);
        } else {
          strings[i] = STRING.decode(in);
        }
      }
    }

    static Kind decodeKind(InputStream in) throws IOException {
      int b = in.read();
      if (b < 0 || b >= Kind.values().length) {
        throw new CoderException("invalid item kind byte " + b);
      }
      return Kind.values()[b];
    }

    /** Deterministic: equal sets have one sorted form and so one encoding. */
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

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
