package io.rusket.beam.runners;

import io.rusket.beam.miner.TransactionDb;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads transactions in long format from a CSV file: one (transaction, item) pair per row.
 *
 * <p>The file is UTF-8 (a leading byte-order mark is skipped), comma-separated, quoted per RFC
 * 4180 (a quoted field may hold commas, doubled quotes and line breaks), with {@code \r\n} or
 * {@code \n} line ends. The first row names the columns; every row has as many fields as the
 * header. Blank lines are skipped. Values are taken verbatim, without trimming.
 *
 * <p>Transaction ids and items are strings. A transaction's rows may be anywhere in the file;
 * transactions are numbered, and items given dense ids, in order of first appearance; a repeated
 * item in a transaction counts once. Every row needs a non-empty transaction id and item.
 *
 * <p>Memory: the pairs are held as a {@code long} and an {@code int} per row, plus one map entry
 * per distinct transaction id and item, until the {@link TransactionDb} is built.
 */
final class LongFormatCsv {
  /** The largest Java array: a limit of the pair arrays and of {@link TransactionDb}. */
  private static final int MAX_ROWS = Integer.MAX_VALUE - 8;

  private LongFormatCsv() {}

  /**
   * Reads {@code file}, taking transaction ids from column {@code txnCol} and items from column
   * {@code itemCol}.
   *
   * @param txnCol the transaction column's name; null is reported as a missing {@code --txnCol}
   * @param itemCol the item column's name; null is reported as a missing {@code --itemCol}
   * @throws UsageException for a malformed file (naming the file and line), a missing column
   *     (naming the columns present) or an empty value
   * @throws IOException if the file cannot be read
   */
  static TransactionDb read(Path file, String txnCol, String itemCol) throws IOException {
    try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      Parser csv = new Parser(reader, file);
      List<String> row = csv.next();
      if (row == null) {
        throw new UsageException(file + " is empty: a CSV file needs a header row naming its columns");
      }
      List<String> header = List.copyOf(row);
      int txnIdx = column(file, header, txnCol, "txnCol", "transaction ids");
      int itemIdx = column(file, header, itemCol, "itemCol", "items");

      Map<String, Integer> txnIds = new HashMap<>();
      Map<String, Integer> itemIds = new HashMap<>();
      List<String> itemNames = new ArrayList<>();
      long[] txns = new long[1024];
      int[] items = new int[1024];
      int n = 0;
      while ((row = csv.next()) != null) {
        if (row.size() != header.size()) {
          throw csv.malformed(
              csv.recordLine,
              "expected " + header.size() + " fields, as in the header, but found " + row.size());
        }
        String txn = row.get(txnIdx);
        String item = row.get(itemIdx);
        if (txn.isEmpty() || item.isEmpty()) {
          throw new UsageException(
              "empty value in column " + header.get(txn.isEmpty() ? txnIdx : itemIdx) + " at "
                  + file + " line " + csv.recordLine
                  + ": every row needs a transaction id and an item");
        }
        if (n == txns.length) {
          if (n == MAX_ROWS) {
            throw new UsageException(file + " has more than " + MAX_ROWS + " rows");
          }
          int grown = (int) Math.min(MAX_ROWS, 2L * n);
          txns = Arrays.copyOf(txns, grown);
          items = Arrays.copyOf(items, grown);
        }
        Integer t = txnIds.get(txn);
        if (t == null) {
          t = txnIds.size();
          txnIds.put(txn, t);
        }
        Integer i = itemIds.get(item);
        if (i == null) {
          i = itemNames.size();
          itemIds.put(item, i);
          itemNames.add(item);
        }
        txns[n] = t;
        items[n] = i;
        n++;
      }
      return TransactionDb.fromPairs(
          Arrays.copyOf(txns, n), Arrays.copyOf(items, n), itemNames.toArray(new String[0]));
    }
  }

  private static int column(Path file, List<String> header, String name, String option, String what) {
    String present = "; the columns of " + file + " are: " + String.join(", ", header);
    if (name == null) {
      throw new UsageException("missing --" + option + "=NAME, the column of " + what + present);
    }
    int idx = header.indexOf(name);
    if (idx < 0) {
      throw new UsageException(
          "column '" + name + "' (--" + option + ") not found" + present);
    }
    if (header.lastIndexOf(name) != idx) {
      throw new UsageException(
          "column '" + name + "' (--" + option + ") appears more than once in the header of " + file);
    }
    return idx;
  }

  /** An RFC 4180 record reader that counts physical lines, for error messages. */
  private static final class Parser {
    private static final int EOF = -1;

    private final Reader in;
    private final Path file;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int limit;
    private final StringBuilder field = new StringBuilder();
    private final List<String> fields = new ArrayList<>();
    /** The physical line being read, from 1. */
    private int line = 1;
    /** The physical line where the last record returned by {@link #next()} starts. */
    int recordLine;

    Parser(Reader in, Path file) throws IOException {
      this.in = in;
      this.file = file;
      if (peek() == '\uFEFF') {
        pos++;
      }
    }

    private int read() throws IOException {
      int c = peek();
      pos++;
      return c;
    }

    private int peek() throws IOException {
      if (pos >= limit) {
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return EOF;
        }
      }
      return buf[pos];
    }

    /** True at a line end: {@code \n}, {@code \r\n} (consumed whole) or a lone {@code \r}. */
    private boolean lineEnd(int c) throws IOException {
      if (c == '\r' && peek() == '\n') {
        pos++;
      }
      return c == '\n' || c == '\r';
    }

    /** The fields of the next non-blank record, valid until the next call; null at the end. */
    List<String> next() throws IOException {
      int c = read();
      while (lineEnd(c)) {
        line++;
        c = read();
      }
      if (c == EOF) {
        return null;
      }
      recordLine = line;
      fields.clear();
      while (true) {
        field.setLength(0);
        if (c == '"') {
          int opened = line;
          while (true) {
            c = read();
            if (c == EOF) {
              throw malformed(opened, "a quoted field is never closed");
            } else if (c == '"') {
              if (peek() != '"') {
                break;
              }
              pos++;
              field.append('"');
            } else {
              if (c == '\n' || (c == '\r' && peek() != '\n')) {
                line++;
              }
              field.append((char) c);
            }
          }
          c = read();
          if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
            throw malformed(
                line, "'" + (char) c + "' after a closing quote; expected a comma or a line end");
          }
        } else {
          while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
            if (c == '"') {
              throw malformed(
                  line,
                  "a quote inside an unquoted field; quote the whole field and double the quote");
            }
            field.append((char) c);
            c = read();
          }
        }
        fields.add(field.toString());
        if (c != ',') {
          if (lineEnd(c)) {
            line++;
          }
          return fields;
        }
        c = read();
      }
    }

    UsageException malformed(int atLine, String detail) {
      return new UsageException("malformed CSV in " + file + " at line " + atLine + ": " + detail);
    }
  }
}
