package io.rusket.beam.pipelines.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one CSV reader of the project, used by every command and by {@link TableSource}: RFC 4180
 * records parsed by Apache Commons CSV (as Beam's own CsvIO), with a header row, over bytes decoded
 * strictly as UTF-8.
 *
 * <p>The format: comma-separated fields, optionally in double quotes (a quote inside is doubled;
 * commas and line breaks inside quotes are data; a quote inside an unquoted field is data), records
 * ended by LF, CRLF or CR. A leading UTF-8 byte-order mark is skipped. Fields are taken verbatim,
 * never trimmed nor converted. Blank lines are skipped. The first record is the header: its names
 * must be non-empty and distinct. Every other record must have as many fields as the header.
 *
 * <p>Errors are {@link IllegalArgumentException}s of one line naming the source and the 1-based
 * line a record starts on: {@code "events.csv line 3: invalid UTF-8 (byte 0xE9 at column 5)"},
 * {@code "events.csv line 4: expected 3 fields, as in the header, but found 2"}, {@code "events.csv
 * line 5: column 'item' is empty"}.
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * try (CsvReader csv = CsvReader.open(Files.newInputStream(path), path.toString())) {
 *   int item = csv.column("item", "--itemCol");
 *   while (csv.next()) {
 *     String name = csv.nonEmpty(item);
 *   }
 * }
 * }</pre>
 *
 * <p>Memory: streamed; one record at a time, plus a 64 KiB byte buffer.
 */
public final class CsvReader implements Closeable {
  /** RFC 4180 as Commons CSV implements it, with blank lines kept so that lines can be counted. */
  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).build();

  private final String source;
  private final StrictUtf8Reader reader;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final List<String> header;

  /** The line the current record starts on. */
  private long line;

  /** The last line of the previous record (0 before the first). */
  private long lastLine;

  private @Nullable CSVRecord current;

  private CsvReader(InputStream in, String source) throws IOException {
    this.source = source;
    this.reader = new StrictUtf8Reader(in, source);
    this.parser = new CSVParser(reader, FORMAT);
    this.records = parser.iterator();
    if (!advance()) {
      throw new IllegalArgumentException(
          source + " is empty: a CSV file needs a header row naming its columns");
    }
    CSVRecord h = current;
    Set<String> seen = new HashSet<>();
    String[] names = new String[h.size()];
    for (int j = 0; j < names.length; j++) {
      names[j] = h.get(j);
      if (names[j].isEmpty()) {
        throw error(
            "column " + (j + 1) + " of the header has no name; header: " + String.join(",", h));
      }
      if (!seen.add(names[j])) {
        throw error("column '" + names[j] + "' appears twice in the header");
      }
    }
    this.header = List.of(names);
  }

  /**
   * Reads CSV from {@code in} (closed by {@link #close()}), whose name {@code source} appears in
   * error messages, and reads the header row.
   *
   * @throws IllegalArgumentException for an empty input, a header with an empty or repeated name,
   *     invalid UTF-8 or malformed CSV, naming the source and line
   * @throws IOException if reading fails
   */
  public static CsvReader open(InputStream in, String source) throws IOException {
    try {
      return new CsvReader(in, source);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** The column names, from the header row. */
  public List<String> header() {
    return header;
  }

  /** The name of the source, as given to {@link #open}. */
  public String source() {
    return source;
  }

  /**
   * The index of column {@code name}.
   *
   * @param what how the caller names the column in messages, e.g. {@code "--itemCol"}
   * @throws IllegalArgumentException if the header has no such column, listing those present
   */
  public int column(String name, String what) {
    int j = header.indexOf(name);
    if (j < 0) {
      throw new IllegalArgumentException(
          "column '"
              + name
              + "' ("
              + what
              + ") not found; the columns of "
              + source
              + " are: "
              + String.join(", ", header));
    }
    return j;
  }

  /**
   * Moves to the next record; false at the end of the input.
   *
   * @throws IllegalArgumentException for malformed CSV, invalid UTF-8 or a record whose field count
   *     differs from the header's, naming the source and line
   * @throws IOException if reading fails
   */
  public boolean next() throws IOException {
    if (!advance()) {
      return false;
    }
    if (current.size() != header.size()) {
      throw error(
          "expected " + header.size() + " fields, as in the header, but found " + current.size());
    }
    return true;
  }

  /** The 1-based line on which the current record starts. */
  public long line() {
    return line;
  }

  /** Field {@code j} of the current record, verbatim (possibly empty). */
  public String get(int j) {
    return current.get(j);
  }

  /**
   * Field {@code j} of the current record, checked to be non-empty.
   *
   * @throws IllegalArgumentException for an empty field, naming the source, line and column
   */
  public String nonEmpty(int j) {
    String v = current.get(j);
    if (v.isEmpty()) {
      throw error("column '" + header.get(j) + "' is empty");
    }
    return v;
  }

  /** An error about the current record: {@code "<source> line <n>: <detail>"}. */
  public IllegalArgumentException error(String detail) {
    return new IllegalArgumentException(source + " line " + line + ": " + detail);
  }

  /** Reads the next non-blank record into {@code current}, tracking the line it starts on. */
  private boolean advance() throws IOException {
    while (true) {
      line = lastLine + 1;
      boolean has;
      try {
        has = records.hasNext();
      } catch (UncheckedIOException e) {
        throw malformed(e.getCause());
      }
      if (!has) {
        current = null;
        return false;
      }
      current = records.next();
      lastLine = Math.max(line, parser.getCurrentLineNumber());
      if (current.size() == 1 && current.get(0).isEmpty()) {
        continue; // a blank line
      }
      return true;
    }
  }

  /** Commons CSV's parse errors as ours (its line numbers dropped: ours is the record's). */
  private IllegalArgumentException malformed(IOException e) throws IOException {
    String msg = e.getMessage();
    if (msg != null && (msg.contains("encapsulated token") || msg.contains("EOF whilst"))) {
      return error("malformed CSV: " + msg.replaceFirst("^\\((start)?line \\d+\\) ", ""));
    }
    throw e;
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }

  /**
   * UTF-8 decoding that fails on malformed or unmappable input ({@link CodingErrorAction#REPORT})
   * with the source and the line of the bad byte, instead of substituting U+FFFD; skips a leading
   * byte-order mark.
   */
  private static final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final String source;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private boolean eof;
    private boolean flushed;
    private boolean started;

    /** Line breaks among the bytes decoded so far (CR, LF or CRLF each count once). */
    private long breaks;

    /** Bytes decoded so far, and the offset of the current line's first byte. */
    private long offset;

    private long lineStart;

    private byte lastByte;

    StrictUtf8Reader(InputStream in, String source) {
      this.in = in;
      this.source = source;
      bytes.flip();
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (flushed) {
        return -1;
      }
      CharBuffer out = CharBuffer.wrap(cbuf, off, len);
      while (true) {
        int from = bytes.position();
        CoderResult r = decoder.decode(bytes, out, eof);
        count(from, bytes.position());
        if (r.isError()) {
          throw new IllegalArgumentException(
              String.format(
                  "%s line %d: invalid UTF-8 (byte 0x%02X at column %d)",
                  source, breaks + 1, bytes.get(bytes.position()) & 0xff, offset - lineStart + 1));
        }
        if (out.position() > off || r.isOverflow()) {
          break;
        }
        if (eof) {
          decoder.flush(out);
          flushed = true;
          if (out.position() == off) {
            return -1;
          }
          break;
        }
        fill();
      }
      int n = out.position() - off;
      if (!started) {
        started = true;
        if (n > 0 && cbuf[off] == '\uFEFF') {
          System.arraycopy(cbuf, off + 1, cbuf, off, n - 1);
          return n == 1 ? read(cbuf, off, len) : n - 1;
        }
      }
      return n;
    }

    /** Counts the line breaks in {@code bytes[from, to)}. */
    private void count(int from, int to) {
      for (int i = from; i < to; i++) {
        byte b = bytes.get(i);
        if (b == '\r' || (b == '\n' && lastByte != '\r')) {
          breaks++;
        }
        offset++;
        if (b == '\r' || b == '\n') {
          lineStart = offset;
        }
        lastByte = b;
      }
    }

    /** Tops up the byte buffer, keeping the undecoded tail. */
    private void fill() throws IOException {
      if (eof) {
        return;
      }
      bytes.compact();
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) {
        eof = true;
      } else {
        bytes.position(bytes.position() + n);
      }
      bytes.flip();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
