package io.rusket.beam.pipelines;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Minimal RFC 4180 CSV: comma-separated fields, optionally in double quotes (a quote inside is
 * doubled; commas and line breaks inside quotes are data), records ended by LF or CRLF. Fields are
 * not trimmed. Shared by {@link TableSource} (reading) and {@link TableSink} (writing).
 */
final class Csv {
  private Csv() {}

  /** {@code s} as a CSV field: quoted (quotes doubled) iff it holds a comma, quote, CR or LF. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    TextFormats.appendCsvField(sb, s);
    return sb.toString();
  }

  /** Reads records one by one, tracking the line each starts on. Blank lines are skipped. */
  static final class RecordReader implements Closeable {
    private final Reader in;
    private final String file;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;

    /** The 1-based line number of the next character. */
    private long line = 1;

    /** The 1-based line on which the last record returned started. */
    private long recordLine;

    RecordReader(Reader in, String file) {
      this.in = in;
      this.file = file;
    }

    /** The line on which the last record returned by {@link #next()} started. */
    long recordLine() {
      return recordLine;
    }

    private int read() throws IOException {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return -1;
        }
      }
      return buf[pos++];
    }

    private int peek() throws IOException {
      int c = read();
      if (c != -1) {
        pos--;
      }
      return c;
    }

    /**
     * The next record's fields, or null at the end of the input.
     *
     * @throws IllegalArgumentException for an unterminated quoted field or text after a closing
     *     quote, naming the file and line
     */
    @Nullable List<String> next() throws IOException {
      if (line == 1 && peek() == '\uFEFF') {
        read(); // a UTF-8 byte order mark is not part of the first column's name
      }
      while (true) {
        int c = read();
        if (c == -1) {
          return null;
        }
        recordLine = line;
        if (c == '\n') {
          line++;
          continue; // blank line
        }
        if (c == '\r' && peek() == '\n') {
          read();
          line++;
          continue; // blank CRLF line
        }
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        while (true) {
          if (c == '"' && sb.length() == 0) {
            long quoteLine = line;
            while (true) {
              int d = read();
              if (d == -1) {
                throw new IllegalArgumentException(
                    String.format(
                        "%s:%d: unterminated quoted field (the quote opens on line %d)",
                        file, line, quoteLine));
              }
              if (d == '"') {
                if (peek() == '"') {
                  read();
                  sb.append('"');
                  continue;
                }
                break;
              }
              if (d == '\n') {
                line++;
              }
              sb.append((char) d);
            }
            c = read();
            if (c == '\r' && peek() == '\n') {
              c = read();
            }
            if (c != ',' && c != '\n' && c != -1) {
              throw new IllegalArgumentException(
                  String.format(
                      "%s:%d: unexpected character '%s' after a closing quote (field %d)",
                      file, line, (char) c, fields.size() + 1));
            }
          } else {
            while (c != ',' && c != '\n' && c != -1) {
              if (c == '\r' && peek() == '\n') {
                c = read();
                break;
              }
              sb.append((char) c);
              c = read();
            }
          }
          fields.add(sb.toString());
          sb.setLength(0);
          if (c == ',') {
            c = read();
            continue;
          }
          if (c == '\n') {
            line++;
          }
          return fields;
        }
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
