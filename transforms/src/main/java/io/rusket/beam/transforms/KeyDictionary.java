package io.rusket.beam.transforms;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.RamUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A dictionary of distinct keys of one {@link KeyKind}, each with a dense id in insertion order:
 * the one key dictionary of {@link GroupBaskets} (items) and {@link GroupEvents} (transactions and
 * items), with the key encoding that they and {@link Basket} share.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>K1</b> keys {@code [0, size())} are distinct; id {@code i} stands for key {@code i}.
 *   <li><b>K2</b> the lookup table, when present, maps every key to its id: an open-addressing
 *       table of {@code id + 1} (0 = empty slot), linear probing, a power-of-two length at least
 *       twice the number of keys. It is built on the first lookup and dropped by {@link #trim()}.
 * </ul>
 *
 * <p>Integer keys are held in a {@code long[]} and looked up without boxing; string keys in a
 * {@code String[]}, hashed by {@link String#hashCode()} (cached by the String).
 *
 * <p>Encoding ({@link #encode}): the number of keys as a VarInt, then the keys in id order, each a
 * VarLong (integer keys) or a VarInt UTF-8 byte length and the bytes (string keys, as {@link
 * StringUtf8Coder} writes a nested string). The kind is written separately ({@link #encodeKind}),
 * as one byte: 0 for {@link KeyKind#INTEGER}, 1 for {@link KeyKind#STRING}.
 */
final class KeyDictionary {
  /** Most keys one dictionary holds: its lookup table is a power of two at least twice as long. */
  static final int MAX_KEYS = 1 << 29;

  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final KeyKind[] KINDS = KeyKind.values();

  private final KeyKind kind;
  private int n;

  /** Keys when INTEGER, else null; slots [0, n) in use. */
  private long @Nullable [] longs;

  /** Keys when STRING, else null; slots [0, n) in use. */
  private String @Nullable [] strings;

  /** {@link RamUsage#string} summed over the string keys; 0 for integer keys. */
  private long stringBytes;

  /** K2: the lookup table, or null. */
  private int @Nullable [] table;

  private KeyDictionary(
      KeyKind kind, int n, long @Nullable [] longs, String @Nullable [] strings, long stringBytes) {
    this.kind = kind;
    this.n = n;
    this.longs = longs;
    this.strings = strings;
    this.stringBytes = stringBytes;
  }

  /** No keys. */
  static KeyDictionary empty(KeyKind kind) {
    return kind == KeyKind.INTEGER
        ? new KeyDictionary(kind, 0, new long[4], null, 0)
        : new KeyDictionary(kind, 0, null, new String[4], 0);
  }

  /** Wraps {@code n} distinct integer keys (K1, not checked), without copying. */
  static KeyDictionary wrapLongs(long[] keys, int n) {
    return new KeyDictionary(KeyKind.INTEGER, n, keys, null, 0);
  }

  /** Wraps {@code n} distinct string keys (K1, not checked), without copying. */
  static KeyDictionary wrapStrings(String[] keys, int n) {
    return new KeyDictionary(KeyKind.STRING, n, null, keys, stringBytes(keys, n));
  }

  KeyKind kind() {
    return kind;
  }

  /** Number of keys. */
  int size() {
    return n;
  }

  /** The integer key of id {@code id}. */
  long longKey(int id) {
    assert kind == KeyKind.INTEGER && id >= 0 && id < n : "id=" + id + ", size=" + n;
    return longs[id];
  }

  /** The string key of id {@code id}. */
  String stringKey(int id) {
    assert kind == KeyKind.STRING && id >= 0 && id < n : "id=" + id + ", size=" + n;
    return strings[id];
  }

  /** The key of id {@code id} as text. */
  String keyString(int id) {
    return kind == KeyKind.INTEGER ? Long.toString(longs[id]) : strings[id];
  }

  /** A copy of the string keys in id order, exactly {@link #size()} long. */
  String[] stringKeys() {
    return Arrays.copyOf(strings, n);
  }

  // ------------------------------------------------------------------------------------------
  // Lookup and insertion

  /** The id of integer key {@code key}, added with the next id if new. */
  int add(long key) {
    int[] t = tableWithRoom();
    int mask = t.length - 1;
    final long[] keys = longs;
    for (int slot = mix(Long.hashCode(key)) & mask; ; slot = (slot + 1) & mask) {
      int e = t[slot];
      if (e == 0) {
        int id = append(key);
        t[slot] = id + 1;
        return id;
      }
      if (keys[e - 1] == key) {
        return e - 1;
      }
    }
  }

  /** The id of string key {@code key}, added with the next id if new. */
  int add(String key) {
    int[] t = tableWithRoom();
    int mask = t.length - 1;
    final String[] keys = strings;
    for (int slot = mix(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int e = t[slot];
      if (e == 0) {
        int id = append(key);
        t[slot] = id + 1;
        return id;
      }
      if (keys[e - 1].equals(key)) {
        return e - 1;
      }
    }
  }

  /** The id of string key {@code key}, or -1 if absent; never adds (builds the table if none). */
  int find(String key) {
    int[] t = table;
    if (t == null) {
      t = tableWithRoom();
    }
    int mask = t.length - 1;
    final String[] keys = strings;
    for (int slot = mix(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int e = t[slot];
      if (e == 0) {
        return -1;
      }
      if (keys[e - 1].equals(key)) {
        return e - 1;
      }
    }
  }

  /**
   * The id of a key given as an object: a {@link String} for STRING keys, an integer {@link Number}
   * (Long, Integer, Short, Byte) for INTEGER keys; added if new.
   *
   * @param role "transaction" or "item", for the message
   * @throws IllegalArgumentException for a null key or one of the wrong type
   */
  int addObject(@Nullable Object key, String role) {
    if (kind == KeyKind.STRING) {
      if (key instanceof String) {
        return add((String) key);
      }
    } else if (key instanceof Long
        || key instanceof Integer
        || key instanceof Short
        || key instanceof Byte) {
      return add(((Number) key).longValue());
    }
    throw new IllegalArgumentException(
        String.format(
            "Invalid %s key: %s (%s). Keys of this group are %s: %s",
            role,
            key,
            key == null ? "null" : key.getClass().getSimpleName(),
            kind,
            kind == KeyKind.STRING ? "a String" : "a Long, Integer, Short or Byte"));
  }

  /**
   * Adds the keys of rows {@code rows[from, to)} of {@code column} (rows {@code from} to {@code to}
   * when {@code rows} is null) and writes their ids to {@code out[outOff...]}, without boxing; a
   * run of equal consecutive keys is looked up once.
   *
   * @throws IllegalArgumentException if the column holds keys of another kind
   */
  void addColumn(KeyColumn column, int @Nullable [] rows, int from, int to, int[] out, int outOff) {
    if (column.kind() != kind) {
      throw new IllegalArgumentException(
          "A column of " + column.kind() + " keys cannot join a dictionary of " + kind + " keys");
    }
    int w = outOff;
    if (kind == KeyKind.INTEGER) {
      final long[] keys = column.longs();
      long prev = 0;
      int prevId = -1;
      for (int k = from; k < to; k++) {
        long key = keys[rows == null ? k : rows[k]];
        if (prevId < 0 || key != prev) {
          prevId = add(key);
          prev = key;
        }
        out[w++] = prevId;
      }
    } else {
      final String[] keys = column.strings();
      String prev = null;
      int prevId = -1;
      for (int k = from; k < to; k++) {
        String key = keys[rows == null ? k : rows[k]];
        if (prevId < 0 || !key.equals(prev)) {
          prevId = add(key);
          prev = key;
        }
        out[w++] = prevId;
      }
    }
  }

  /** Adds the keys of {@code other} (left unchanged); returns other's id → this id. */
  int[] addAll(KeyDictionary other) {
    if (other.kind != kind) {
      throw new IllegalArgumentException(
          "Keys of kind " + other.kind + " cannot join a dictionary of " + kind + " keys");
    }
    final int m = other.n;
    int[] remap = new int[m];
    if (kind == KeyKind.INTEGER) {
      final long[] o = other.longs;
      for (int i = 0; i < m; i++) {
        remap[i] = add(o[i]);
      }
    } else {
      final String[] o = other.strings;
      for (int i = 0; i < m; i++) {
        remap[i] = add(o[i]);
      }
    }
    return remap;
  }

  private int append(long key) {
    checkRoom();
    longs = ArrayUtil.grow(longs, n + 1L);
    longs[n] = key;
    return n++;
  }

  private int append(String key) {
    checkRoom();
    strings = ArrayUtil.grow(strings, n + 1L);
    strings[n] = key;
    stringBytes += RamUsage.string(key);
    return n++;
  }

  private void checkRoom() {
    if (n >= MAX_KEYS) {
      throw new IllegalStateException(
          String.format(
              "A group holds more than %d distinct %s keys, the most one dictionary holds; split"
                  + " the group (add a field to the group key, or window the input)",
              MAX_KEYS, kind));
    }
  }

  /** The lookup table (K2) with room for one more key: built, or rebuilt twice as long, if not. */
  private int[] tableWithRoom() {
    int[] t = table;
    if (t == null || (2L * (n + 1) > t.length && t.length < (1 << 30))) {
      int len = t == null ? 16 : t.length;
      while (len < 2L * (n + 1) && len < (1 << 30)) {
        len <<= 1;
      }
      t = table = buildTable(len);
    }
    return t;
  }

  /** A lookup table of length {@code len} (a power of two) holding keys [0, n). */
  private int[] buildTable(int len) {
    int[] t = new int[len];
    int mask = len - 1;
    for (int id = 0; id < n; id++) {
      int h = kind == KeyKind.INTEGER ? Long.hashCode(longs[id]) : strings[id].hashCode();
      int slot = mix(h) & mask;
      while (t[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      t[slot] = id + 1;
    }
    return t;
  }

  /** Spreads a hash code over the low bits that the mask keeps (Murmur3's finalizer). */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  // ------------------------------------------------------------------------------------------
  // Order

  /** Id → its rank in ascending key order (numerically, or by {@link String#compareTo}). */
  int[] ascendingRanks() {
    int[] rank = new int[n];
    if (kind == KeyKind.INTEGER) {
      long[] sorted = Arrays.copyOf(longs, n);
      Arrays.sort(sorted);
      for (int i = 0; i < n; i++) {
        rank[i] = Arrays.binarySearch(sorted, longs[i]);
      }
    } else {
      String[] sorted = Arrays.copyOf(strings, n);
      Arrays.sort(sorted);
      for (int i = 0; i < n; i++) {
        rank[i] = Arrays.binarySearch(sorted, strings[i]);
      }
    }
    return rank;
  }

  /** A new dictionary holding the key of id {@code i} at id {@code rank[i]}, no lookup table. */
  KeyDictionary permuted(int[] rank) {
    if (kind == KeyKind.INTEGER) {
      long[] l = new long[n];
      for (int i = 0; i < n; i++) {
        l[rank[i]] = longs[i];
      }
      return new KeyDictionary(kind, n, l, null, 0);
    }
    String[] s = new String[n];
    for (int i = 0; i < n; i++) {
      s[rank[i]] = strings[i];
    }
    return new KeyDictionary(kind, n, null, s, stringBytes);
  }

  /** True if ids follow ascending key order. */
  boolean isAscending() {
    for (int i = 1; i < n; i++) {
      boolean ascending =
          kind == KeyKind.INTEGER
              ? longs[i - 1] < longs[i]
              : strings[i - 1].compareTo(strings[i]) < 0;
      if (!ascending) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Size

  /** Trims the key array to its contents and drops the lookup table. */
  void trim() {
    table = null;
    if (longs != null) {
      longs = Arrays.copyOf(longs, n);
    } else {
      strings = Arrays.copyOf(strings, n);
    }
  }

  /** A deep copy of the keys, without the lookup table. */
  KeyDictionary copy() {
    return new KeyDictionary(
        kind,
        n,
        longs == null ? null : Arrays.copyOf(longs, n),
        strings == null ? null : Arrays.copyOf(strings, n),
        stringBytes);
  }

  /** Approximate heap footprint in bytes, lookup table included; constant time. */
  long ramBytesUsed() {
    long bytes = RamUsage.OBJECT_HEADER + 32;
    bytes += longs != null ? RamUsage.longs(longs.length) : 0;
    bytes += strings != null ? RamUsage.references(strings.length) + stringBytes : 0;
    bytes += table != null ? RamUsage.ints(table.length) : 0;
    return bytes;
  }

  private static long stringBytes(String[] keys, int n) {
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      bytes += RamUsage.string(keys[i]);
    }
    return bytes;
  }

  // ------------------------------------------------------------------------------------------
  // Encoding

  /** Writes the number of keys and the keys in id order (see the class comment). */
  void encode(OutputStream out) throws IOException {
    VarInt.encode(n, out);
    if (longs != null) {
      VarInts.writeLongs(out, longs, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      writeString(strings[i], out);
    }
  }

  /**
   * Reads a dictionary written by {@link #encode}.
   *
   * @throws CoderException for a negative or too large number of keys
   */
  static KeyDictionary decode(KeyKind kind, InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n < 0 || n > MAX_KEYS) {
      throw new CoderException(
          "corrupt key dictionary: " + n + " keys (valid range is [0, " + MAX_KEYS + "])");
    }
    if (kind == KeyKind.INTEGER) {
      long[] keys = new long[n];
      VarInts.readLongs(in, keys, n);
      return wrapLongs(keys, n);
    }
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = readString(in);
    }
    return wrapStrings(keys, n);
  }

  /** The exact size of {@link #encode}'s output, computed without encoding. */
  long encodedSize() {
    long bytes = VarInt.getLength(n);
    for (int i = 0; i < n; i++) {
      bytes += longs != null ? VarInt.getLength(longs[i]) : stringSize(strings[i]);
    }
    return bytes;
  }

  /** Writes a kind as one byte. */
  static void encodeKind(KeyKind kind, OutputStream out) throws IOException {
    out.write(kind.ordinal());
  }

  /** Reads a kind written by {@link #encodeKind}. */
  static KeyKind decodeKind(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0 || b >= KINDS.length) {
      throw new CoderException("invalid key kind byte " + b);
    }
    return KINDS[b];
  }

  /** Writes a string key: VarInt UTF-8 length, then the bytes. */
  static void writeString(String s, OutputStream out) throws IOException {
    STRING.encode(s, out);
  }

  /** Reads a string key written by {@link #writeString}. */
  static String readString(InputStream in) throws IOException {
    return STRING.decode(in);
  }

  /** The encoded size of a string key, without encoding it. */
  static long stringSize(String s) {
    long utf8 = utf8Length(s);
    return VarInt.getLength(utf8) + utf8;
  }

  /** The UTF-8 length of {@code s}; an unpaired surrogate counts as the '?' it becomes. */
  static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  // ------------------------------------------------------------------------------------------

  /** Equal iff the same kind and the same keys in the same id order. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KeyDictionary)) {
      return false;
    }
    KeyDictionary d = (KeyDictionary) o;
    return kind == d.kind
        && n == d.n
        && (kind == KeyKind.INTEGER
            ? Arrays.equals(longs, 0, n, d.longs, 0, n)
            : Arrays.equals(strings, 0, n, d.strings, 0, n));
  }

  @Override
  public int hashCode() {
    int h = 31 * kind.ordinal() + n;
    for (int i = 0; i < n; i++) {
      h = 31 * h + (longs != null ? Long.hashCode(longs[i]) : strings[i].hashCode());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("KeyDictionary{").append(kind).append(", [");
    for (int i = 0; i < Math.min(n, 10); i++) {
      sb.append(i > 0 ? ", " : "").append(keyString(i));
    }
    return sb.append(n > 10 ? ", … " + (n - 10) + " more]}" : "]}").toString();
  }
}
