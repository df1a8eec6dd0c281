package io.rusket.beam.miner;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An immutable, compact store of transactions: compressed sparse rows of dense item ids.
 *
 * <p>Transaction {@code t} holds the items {@code items[offsets[t] .. offsets[t+1])}, distinct and
 * ascending. Item ids are dense, {@code 0 .. nItems()-1}; where the input had names (string
 * baskets, FIMI tokens, one-hot column names) {@link #itemName(int)} returns them.
 *
 * <p>Input contract, the same for every factory: an item repeated inside one transaction counts
 * once; an empty transaction is kept and counts toward {@link #size()} (and so toward support).
 */
public final class TransactionDb {
  /** Invariant: length size()+1, offsets[0] == 0, non-decreasing. */
  private final int[] offsets;

  /** Invariant: within each transaction strictly ascending, every id in [0, nItems). */
  private final int[] items;

  private final int nItems;

  /** Null when the items have no names; otherwise length nItems. */
  private final String[] itemNames;

  private TransactionDb(int[] offsets, int[] items, int nItems, String[] itemNames) {
    this.offsets = offsets;
    this.items = items;
    this.nItems = nItems;
    this.itemNames = itemNames;
  }

  /**
   * Wraps arrays that already satisfy the invariants (each transaction strictly ascending, ids in
   * {@code [0, nItems)}); no copy, no check. For builders in this package that produce them.
   */
  static TransactionDb trusted(int[] offsets, int[] items, int nItems) {
    return new TransactionDb(offsets, items, nItems, null);
  }

  /** Number of transactions, N. */
  public int size() {
    return offsets.length - 1;
  }

  /** Number of distinct item ids: every id is in {@code [0, nItems())}. */
  public int nItems() {
    return nItems;
  }

  /** Total number of (transaction, item) entries after de-duplication. */
  public long nEntries() {
    return offsets[offsets.length - 1];
  }

  /** Number of distinct items in transaction {@code t}. */
  public int transactionLength(int t) {
    checkTransaction(t);
    return offsets[t + 1] - offsets[t];
  }

  /** A copy of the item ids of transaction {@code t}, ascending. */
  public int[] transaction(int t) {
    checkTransaction(t);
    return Arrays.copyOfRange(items, offsets[t], offsets[t + 1]);
  }

  /** True if the items carry names. */
  public boolean hasItemNames() {
    return itemNames != null;
  }

  /** The item's name, or its id in decimal when the items carry no names. */
  public String itemName(int item) {
    if (item < 0 || item >= nItems) {
      throw new IllegalArgumentException(
          "Invalid item id: " + item + ". Valid range is [0, " + nItems + ").");
    }
    return itemNames == null ? Integer.toString(item) : itemNames[item];
  }

  /** A copy of the item names (index = item id), or null when the items carry no names. */
  public String[] itemNames() {
    return itemNames == null ? null : itemNames.clone();
  }

  /** Number of transactions containing each item; index = item id. */
  public int[] itemCounts() {
    int[] counts = new int[nItems];
    final int[] its = items;
    for (int i = 0, n = offsets[offsets.length - 1]; i < n; i++) {
      counts[its[i]]++;
    }
    return counts;
  }

  /** Fraction of the N × nItems cells that are set, in [0, 1]. */
  public double density() {
    return size() == 0 || nItems == 0 ? 0.0 : nEntries() / ((double) size() * nItems);
  }

  /** Approximate heap footprint of this store, in bytes. */
  public long ramBytesUsed() {
    return RamUsage.OBJECT_HEADER
        + RamUsage.sizeOf(offsets)
        + RamUsage.sizeOf(items)
        + RamUsage.sizeOf(itemNames);
  }

  // Package-private raw views for the miners; never mutated.
  int[] rawOffsets() {
    return offsets;
  }

  int[] rawItems() {
    return items;
  }

  private void checkTransaction(int t) {
    if (t < 0 || t >= size()) {
      throw new IllegalArgumentException(
          "Invalid transaction index: " + t + ". Valid range is [0, " + size() + ").");
    }
  }

  @Override
  public String toString() {
    return "TransactionDb{transactions="
        + size()
        + ", items="
        + nItems
        + ", entries="
        + nEntries()
        + "}";
  }

  // ------------------------------------------------------------------------------------------
  // Factories

  /**
   * Transactions of integer item ids, used as the dense ids themselves: ids must be {@code >= 0}
   * and {@link #nItems()} is the largest id + 1. Items carry no names.
   *
   * @throws IllegalArgumentException for a null basket or a negative id, naming its position
   */
  public static TransactionDb fromIntBaskets(int[][] baskets) {
    if (baskets == null) {
      throw new IllegalArgumentException("baskets must not be null");
    }
    Builder b = new Builder(baskets.length, -1);
    for (int t = 0; t < baskets.length; t++) {
      int[] basket = baskets[t];
      if (basket == null) {
        throw new IllegalArgumentException("basket " + t + " is null");
      }
      for (int k = 0; k < basket.length; k++) {
        if (basket[k] < 0) {
          throw new IllegalArgumentException(
              "Invalid item id "
                  + basket[k]
                  + " in basket "
                  + t
                  + " at position "
                  + k
                  + ": ids must be >= 0.");
        }
      }
      b.addTransaction(basket, 0, basket.length);
    }
    return b.build(null);
  }

  /**
   * Transactions of named items. Dense ids follow the order in which names first appear.
   *
   * @throws IllegalArgumentException for a null basket or a null item, naming its position
   */
  public static TransactionDb fromStringBaskets(List<? extends Collection<String>> baskets) {
    if (baskets == null) {
      throw new IllegalArgumentException("baskets must not be null");
    }
    Dictionary dict = new Dictionary();
    Builder b = new Builder(baskets.size(), -1);
    int[] buf = new int[16];
    int t = 0;
    for (Collection<String> basket : baskets) {
      if (basket == null) {
        throw new IllegalArgumentException("basket " + t + " is null");
      }
      if (buf.length < basket.size()) {
        buf = new int[basket.size()];
      }
      int k = 0;
      for (String item : basket) {
        if (item == null) {
          throw new IllegalArgumentException("null item in basket " + t + " at position " + k);
        }
        buf[k++] = dict.id(item);
      }
      b.addTransaction(buf, 0, k);
      t++;
    }
    return b.build(dict.names());
  }

  /**
   * A one-hot matrix: row {@code t} is transaction {@code t}, column {@code j} is the item named
   * {@code columns[j]} (item id {@code j}).
   *
   * @throws IllegalArgumentException for duplicate or null column names or a row whose width
   *     differs from the number of columns, naming the row
   */
  public static TransactionDb fromOneHot(boolean[][] rows, String[] columns) {
    if (rows == null || columns == null) {
      throw new IllegalArgumentException("rows and columns must not be null");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int j = 0; j < columns.length; j++) {
      if (columns[j] == null) {
        throw new IllegalArgumentException("column " + j + " has a null name");
      }
      Integer prev = seen.put(columns[j], j);
      if (prev != null) {
        throw new IllegalArgumentException(
            "Duplicate column name '" + columns[j] + "' at columns " + prev + " and " + j);
      }
    }
    Builder b = new Builder(rows.length, columns.length);
    int[] buf = new int[columns.length];
    for (int t = 0; t < rows.length; t++) {
      boolean[] row = rows[t];
      if (row == null || row.length != columns.length) {
        throw new IllegalArgumentException(
            "Row "
                + t
                + " has "
                + (row == null ? "no values" : row.length + " values")
                + " but there are "
                + columns.length
                + " columns");
      }
      int k = 0;
      for (int j = 0; j < row.length; j++) {
        if (row[j]) {
          buf[k++] = j;
        }
      }
      b.addTransaction(buf, 0, k);
    }
    return b.build(columns.clone());
  }

  /**
   * Long format: one (transaction id, item id) pair per entry. Transactions are ordered by
   * ascending transaction id; the pairs of one transaction may appear anywhere, repeated pairs
   * count once. Item ids are the dense ids ({@code >= 0}); {@code itemNames}, when not null, names
   * them (its length is then {@link #nItems()} and every id must be below it).
   *
   * @throws IllegalArgumentException for mismatched lengths or an id out of range, naming the
   *     position
   */
  public static TransactionDb fromPairs(long[] txnIds, int[] itemIds, String[] itemNames) {
    if (txnIds == null || itemIds == null) {
      throw new IllegalArgumentException("txnIds and itemIds must not be null");
    }
    if (txnIds.length != itemIds.length) {
      throw new IllegalArgumentException(
          "txnIds has " + txnIds.length + " entries but itemIds has " + itemIds.length);
    }
    final int n = txnIds.length;
    int maxItem = -1;
    for (int i = 0; i < n; i++) {
      int item = itemIds[i];
      if (item < 0 || (itemNames != null && item >= itemNames.length)) {
        throw new IllegalArgumentException(
            "Invalid item id "
                + item
                + " at position "
                + i
                + ". Valid range is [0, "
                + (itemNames == null ? "2^31" : Integer.toString(itemNames.length))
                + ").");
      }
      maxItem = Math.max(maxItem, item);
    }
    // Sort pair indices by (txn, item) via a packed sort: order txns by id, then group.
    long[] sortedTxn = txnIds.clone();
    Arrays.sort(sortedTxn);
    int nTxn = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || sortedTxn[i] != sortedTxn[i - 1]) {
        sortedTxn[nTxn++] = sortedTxn[i];
      }
    }
    // Counting sort of entries by transaction index.
    int[] txnIndex = new int[n];
    int[] start = new int[nTxn + 1];
    for (int i = 0; i < n; i++) {
      int t = Arrays.binarySearch(sortedTxn, 0, nTxn, txnIds[i]);
      txnIndex[i] = t;
      start[t + 1]++;
    }
    for (int t = 0; t < nTxn; t++) {
      start[t + 1] += start[t];
    }
    int[] grouped = new int[n];
    int[] fill = Arrays.copyOf(start, nTxn);
    for (int i = 0; i < n; i++) {
      grouped[fill[txnIndex[i]]++] = itemIds[i];
    }
    Builder b = new Builder(nTxn, itemNames == null ? maxItem + 1 : itemNames.length);
    for (int t = 0; t < nTxn; t++) {
      b.addTransaction(grouped, start[t], start[t + 1]);
    }
    return b.build(itemNames == null ? null : itemNames.clone());
  }

  /**
   * Transactions already in compressed sparse rows, as other stores hold them: transaction {@code
   * t} is {@code items[offsets[t] .. offsets[t+1])}. Each transaction is sorted and de-duplicated
   * here (the input contract above), so the ids of one transaction may come in any order. The
   * arrays are not kept: the database holds its own copies.
   *
   * <p>{@code offsets} has one more entry than there are transactions, starts at 0, never decreases
   * and ends at {@code items.length}. Item ids are {@code >= 0}; when {@code itemNames} is not null
   * it names them (its length is then {@link #nItems()}, every id must be below it, and the names
   * must be distinct and not null), otherwise {@link #nItems()} is the largest id + 1.
   *
   * @throws IllegalArgumentException for a null array, offsets that break the rules above (naming
   *     the position), an id out of range (naming its position) or a null or repeated name
   */
  public static TransactionDb fromCsr(int[] offsets, int[] items, String[] itemNames) {
    if (offsets == null || items == null) {
      throw new IllegalArgumentException("offsets and items must not be null");
    }
    if (offsets.length == 0 || offsets[0] != 0) {
      throw new IllegalArgumentException(
          "offsets must start with 0 (and have one entry more than there are transactions), got "
              + (offsets.length == 0 ? "an empty array" : "offsets[0] = " + offsets[0]));
    }
    final int n = offsets.length - 1;
    for (int t = 0; t < n; t++) {
      if (offsets[t + 1] < offsets[t]) {
        throw new IllegalArgumentException(
            "offsets must not decrease, but offsets["
                + (t + 1)
                + "] = "
                + offsets[t + 1]
                + " < offsets["
                + t
                + "] = "
                + offsets[t]);
      }
    }
    if (offsets[n] != items.length) {
      throw new IllegalArgumentException(
          "The last offset must equal the number of items: offsets["
              + n
              + "] = "
              + offsets[n]
              + " but items has "
              + items.length
              + " entries");
    }
    if (itemNames != null) {
      Map<String, Integer> seen = new HashMap<>();
      for (int j = 0; j < itemNames.length; j++) {
        if (itemNames[j] == null) {
          throw new IllegalArgumentException("item " + j + " has a null name");
        }
        Integer prev = seen.put(itemNames[j], j);
        if (prev != null) {
          throw new IllegalArgumentException(
              "Duplicate item name '" + itemNames[j] + "' for items " + prev + " and " + j);
        }
      }
    }
    for (int i = 0; i < items.length; i++) {
      int item = items[i];
      if (item < 0 || (itemNames != null && item >= itemNames.length)) {
        throw new IllegalArgumentException(
            "Invalid item id "
                + item
                + " at position "
                + i
                + ". Valid range is [0, "
                + (itemNames == null ? "2^31" : Integer.toString(itemNames.length))
                + ").");
      }
    }
    Builder b = new Builder(n, itemNames == null ? -1 : itemNames.length);
    for (int t = 0; t < n; t++) {
      b.addTransaction(items, offsets[t], offsets[t + 1]);
    }
    return b.build(itemNames == null ? null : itemNames.clone());
  }

  /**
   * A database over CSR arrays whose transactions already hold their items strictly ascending, each
   * id in {@code [0, nItems)}: checked in one pass and then used as they are, without the copy
   * {@link #fromCsr} makes (so a large database needs its arrays only once in memory). The caller
   * must not change the arrays afterwards.
   *
   * @throws IllegalArgumentException naming the transaction and position of the first violation
   */
  public static TransactionDb wrapSortedCsr(int[] offsets, int[] items, int nItems) {
    if (offsets == null || items == null) {
      throw new IllegalArgumentException("offsets and items must not be null");
    }
    if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != items.length) {
      throw new IllegalArgumentException(
          "offsets must start with 0 and end with items.length = "
              + items.length
              + ", got "
              + (offsets.length == 0
                  ? "an empty array"
                  : offsets[0] + " ... " + offsets[offsets.length - 1]));
    }
    if (nItems < 0) {
      throw new IllegalArgumentException(
          "Invalid nItems: " + nItems + ". Valid range is [0, 2^31).");
    }
    for (int t = 0; t + 1 < offsets.length; t++) {
      int from = offsets[t];
      int to = offsets[t + 1];
      if (to < from) {
        throw new IllegalArgumentException(
            "offsets must not decrease, but offsets[" + (t + 1) + "] = " + to + " < " + from);
      }
      int prev = -1;
      for (int i = from; i < to; i++) {
        int item = items[i];
        if (item <= prev || item >= nItems) {
          throw new IllegalArgumentException(
              "Transaction "
                  + t
                  + ": item "
                  + item
                  + " at position "
                  + i
                  + (item >= nItems
                      ? " is outside [0, " + nItems + ")"
                      : " does not follow " + prev + " strictly ascending"));
        }
        prev = item;
      }
    }
    return new TransactionDb(offsets, items, nItems, null);
  }

  /**
   * Reads a basket text file (FIMI format): one transaction per line, items as tokens separated by
   * spaces or tabs. Tokens become item names; dense ids follow first appearance. An empty line is
   * an empty transaction; a final line break does not start another transaction. The text is UTF-8,
   * decoded strictly; a file that starts with the gzip magic bytes {@code 1f 8b} is decompressed
   * first (whatever its name).
   *
   * <p>Example: {@code TransactionDb.readBaskets(Path.of("retail.dat"))} or {@code
   * readBaskets(Path.of("retail.dat.gz"))}.
   *
   * @throws IOException if the file cannot be read; a missing file is reported with its path
   * @throws IllegalArgumentException naming the file and the line (and the byte column) for invalid
   *     UTF-8, for binary content (a NUL byte or another control character than tab, carriage
   *     return and line feed), or for corrupt gzip data
   */
  public static TransactionDb readBaskets(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return readBaskets(in, file.toString());
    }
  }

  /**
   * Reads baskets in FIMI format from a stream, as {@link #readBaskets(Path)}; {@code sourceName}
   * (a file name, say) names the input in error messages. Gzip data (magic bytes {@code 1f 8b}) is
   * decompressed; a caller may as well pass a {@link java.util.zip.GZIPInputStream}. The stream is
   * read to its end and not closed.
   *
   * @throws IllegalArgumentException as {@link #readBaskets(Path)}, naming {@code sourceName}
   */
  public static TransactionDb readBaskets(InputStream in, String sourceName) throws IOException {
    if (in == null) {
      throw new IllegalArgumentException("in must not be null");
    }
    String name = sourceName == null ? "input" : sourceName;
    PushbackInputStream head = new PushbackInputStream(in, 2);
    byte[] magic = head.readNBytes(2);
    head.unread(magic);
    if (magic.length == 2 && magic[0] == (byte) 0x1f && magic[1] == (byte) 0x8b) {
      try {
        return parseBaskets(new GZIPInputStream(head, 1 << 16), name);
      } catch (ZipException | EOFException e) {
        throw new IllegalArgumentException(
            name + ": corrupt gzip data (" + e.getMessage() + ")", e);
      }
    }
    return parseBaskets(head, name);
  }

  /** Reads baskets in FIMI format from a stream, named "input" in error messages. */
  public static TransactionDb readBaskets(InputStream in) throws IOException {
    return readBaskets(in, "input");
  }

  /**
   * The FIMI parser. Tokens of ASCII digits take the dictionary's numeric fast path, creating no
   * String; other ASCII tokens are decoded as such; tokens with bytes from 0x80 are decoded
   * strictly as UTF-8. Line numbers and byte columns are tracked only as offsets, for messages.
   */
  private static TransactionDb parseBaskets(InputStream in, String name) throws IOException {
    Dictionary dict = new Dictionary();
    Builder b = new Builder(1024, -1);
    byte[] buf = new byte[1 << 16];
    int[] basket = new int[64];
    int nBasket = 0;
    byte[] token = new byte[64];
    int tokenLen = 0;
    boolean tokenHigh = false; // the token has a byte >= 0x80: strict UTF-8 decoding
    boolean lineOpen = false;
    long line = 1;
    long base = 0; // offset in the input of buf[0]
    long lineStart = 0; // offset of the current line's first byte
    long tokenStart = 0; // offset of the current token's first byte
    Utf8 utf8 = null;
    int read;
    while ((read = in.read(buf)) > 0) {
      for (int i = 0; i < read; i++) {
        byte c = buf[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          if (tokenLen > 0) {
            if (nBasket == basket.length) {
              basket = ArrayUtil.grow(basket, nBasket + 1L);
            }
            if (tokenHigh) {
              if (utf8 == null) {
                utf8 = new Utf8();
              }
              basket[nBasket++] =
                  dict.id(utf8.decode(token, tokenLen, name, line, tokenStart - lineStart + 1));
              tokenHigh = false;
            } else {
              basket[nBasket++] = dict.id(token, tokenLen);
            }
            tokenLen = 0;
          }
          if (c == '\n') {
            b.addTransaction(basket, 0, nBasket);
            nBasket = 0;
            lineOpen = false;
            line++;
            lineStart = base + i + 1;
          }
        } else {
          if ((c & 0xE0) == 0 || c == 0x7F) {
            throw binary(name, line, base + i - lineStart + 1, c);
          }
          if (tokenLen == token.length) {
            token = ArrayUtil.grow(token, tokenLen + 1L);
          }
          if (tokenLen == 0) {
            tokenStart = base + i;
          }
          tokenHigh |= c < 0;
          token[tokenLen++] = c;
          lineOpen = true;
        }
      }
      base += read;
    }
    if (tokenLen > 0) {
      if (nBasket == basket.length) {
        basket = ArrayUtil.grow(basket, nBasket + 1L);
      }
      basket[nBasket++] =
          tokenHigh
              ? dict.id(new Utf8().decode(token, tokenLen, name, line, tokenStart - lineStart + 1))
              : dict.id(token, tokenLen);
    }
    if (lineOpen || nBasket > 0) {
      b.addTransaction(basket, 0, nBasket);
    }
    return b.build(dict.names());
  }

  private static IllegalArgumentException binary(String name, long line, long column, byte c) {
    return new IllegalArgumentException(
        name
            + " line "
            + line
            + ": binary content (byte "
            + hex(c)
            + " at column "
            + column
            + "); a basket file is UTF-8 text, items separated by spaces or tabs, one"
            + " transaction per line");
  }

  private static String hex(byte c) {
    return String.format(Locale.ROOT, "0x%02X", c & 0xFF);
  }

  /** A strict UTF-8 decoder for tokens (malformed and unmappable input reported, not replaced). */
  private static final class Utf8 {
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer chars = CharBuffer.allocate(64);

    /**
     * The token's text.
     *
     * @throws IllegalArgumentException naming the source, line and byte column of the first byte of
     *     invalid UTF-8
     */
    String decode(byte[] token, int len, String name, long line, long column) {
      if (chars.capacity() < len) {
        chars = CharBuffer.allocate(ArrayUtil.grow(chars.capacity(), len));
      }
      chars.clear();
      decoder.reset();
      ByteBuffer bytes = ByteBuffer.wrap(token, 0, len);
      CoderResult r = decoder.decode(bytes, chars, true);
      if (!r.isError()) {
        r = decoder.flush(chars);
      }
      if (r.isError()) {
        int bad = Math.min(bytes.position(), len - 1);
        throw new IllegalArgumentException(
            name
                + " line "
                + line
                + ": invalid UTF-8 (byte "
                + hex(token[bad])
                + " at column "
                + (column + bad)
                + ")");
      }
      chars.flip();
      return chars.toString();
    }
  }

  // ------------------------------------------------------------------------------------------

  /** Maps names to dense ids in order of first appearance. */
  static final class Dictionary {
    /** Canonical decimal tokens below this value take the array path (at most 16 MiB). */
    static final int MAX_NUMERIC = 1 << 22;

    /** Ids of canonical decimal tokens ("0", or no leading zero), by value; -1 if unseen. */
    private int[] numericIds = new int[0];

    private final HashMap<String, Integer> ids = new HashMap<>();
    private String[] names = new String[64];
    private int size;

    int id(String name) {
      Integer id = ids.get(name);
      if (id == null) {
        id = newId(name);
        ids.put(name, id);
      }
      return id;
    }

    /**
     * The id of a token of raw bytes. Canonical decimal tokens below {@link #MAX_NUMERIC} — what
     * FIMI files hold — take a fast path through an array indexed by their value, creating no
     * String until the token is new; every other token ("007", "x1", "1e3", "99999999") goes
     * through the name map. The two paths never see the same token text, so ids stay one per
     * distinct token.
     */
    int id(byte[] token, int len) {
      if (len <= 9 && (len == 1 || token[0] != '0')) {
        int v = 0;
        int k = 0;
        for (; k < len; k++) {
          int d = token[k] - '0';
          if (d < 0 || d > 9) {
            break;
          }
          v = v * 10 + d;
        }
        if (k == len && v < MAX_NUMERIC) {
          if (v >= numericIds.length) {
            int cap = Math.min(MAX_NUMERIC, ArrayUtil.grow(numericIds.length, v + 1L));
            int old = numericIds.length;
            numericIds = Arrays.copyOf(numericIds, cap);
            Arrays.fill(numericIds, old, cap, -1);
          }
          int id = numericIds[v];
          if (id < 0) {
            id = newId(Integer.toString(v));
            numericIds[v] = id;
          }
          return id;
        }
      }
      return id(new String(token, 0, len, StandardCharsets.UTF_8));
    }

    private int newId(String name) {
      int id = size++;
      names = ArrayUtil.grow(names, id + 1L);
      names[id] = name;
      return id;
    }

    String[] names() {
      return Arrays.copyOf(names, size);
    }
  }

  /**
   * Appends transactions into CSR arrays, sorting and de-duplicating each one. {@code nItems} &lt;
   * 0 means "largest id + 1".
   */
  static final class Builder {
    private int[] offsets;
    private int[] items;
    private int size;
    private int fill;
    private int maxItem = -1;
    private final int declaredItems;

    Builder(int expectedTransactions, int nItems) {
      this.offsets = new int[Math.max(expectedTransactions, 1) + 1];
      this.items = new int[Math.max(expectedTransactions, 16) * 4];
      this.declaredItems = nItems;
    }

    void addTransaction(int[] src, int from, int to) {
      int len = to - from;
      if (size + 1 == offsets.length) {
        offsets = Arrays.copyOf(offsets, ArrayUtil.grow(offsets.length, size + 2));
      }
      if (fill + len > items.length) {
        items = Arrays.copyOf(items, ArrayUtil.grow(items.length, (long) fill + len));
      }
      System.arraycopy(src, from, items, fill, len);
      // Sort and de-duplicate in place; baskets are short, so insertion sort for small ones.
      int start = fill;
      int end = fill + len;
      if (len > 32) {
        Arrays.sort(items, start, end);
      } else {
        for (int i = start + 1; i < end; i++) {
          int v = items[i];
          int j = i - 1;
          while (j >= start && items[j] > v) {
            items[j + 1] = items[j];
            j--;
          }
          items[j + 1] = v;
        }
      }
      int w = start;
      for (int i = start; i < end; i++) {
        if (i == start || items[i] != items[w - 1]) {
          items[w++] = items[i];
        }
      }
      if (w > start && items[w - 1] > maxItem) {
        maxItem = items[w - 1];
      }
      fill = w;
      offsets[++size] = fill;
    }

    TransactionDb build(String[] names) {
      int nItems =
          names != null ? names.length : (declaredItems >= 0 ? declaredItems : maxItem + 1);
      if (maxItem >= nItems) {
        throw new IllegalArgumentException(
            "Invalid item id " + maxItem + ". Valid range is [0, " + nItems + ").");
      }
      return new TransactionDb(
          Arrays.copyOf(offsets, size + 1), Arrays.copyOf(items, fill), nItems, names);
    }
  }
}
