package io.rusket.beam.runners;

import io.rusket.beam.pipelines.io.TextFormats;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes records with fixed columns to a UTF-8 file, one record per line ({@code \n}), as JSON
 * lines or CSV. A record is written field by field, in column order, then {@link #end()}ed:
 * numbers, counts, and lists of item ids, which are written with their names.
 *
 * <ul>
 *   <li>JSON lines: one object per record, keys in column order; an item list is an array of
 *       strings; a non-finite number is {@code null}.
 *   <li>CSV: a header row of the column names; an item list is one field, the names joined by
 *       {@code |}; a field is quoted per RFC 4180 when it holds a comma, a quote or a line break; a
 *       non-finite number is {@code inf}, {@code -inf} or {@code nan}.
 * </ul>
 *
 * Numbers are written with {@link Double#toString(double)}. A failure to create or write the file
 * is a {@link UsageException} naming it (unchecked, so that the writer can sit behind a miner's
 * sink).
 */
abstract class RecordWriter implements AutoCloseable {
  /** Separates the names of an item list in a CSV field. */
  static final char CSV_ITEM_SEPARATOR = '|';

  /** The file formats. */
  enum Format {
    JSONL,
    CSV;

    /** Parses {@code jsonl} or {@code csv}, case-insensitively, for the option {@code option}. */
    static Format parse(String option, String value) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new UsageException(
          "Invalid --" + option + ": " + value + ". Valid values are jsonl, csv.");
    }

    /**
     * The format named by the extension of {@code option}'s file: {@code .jsonl} or {@code .json}
     * is JSON lines, {@code .csv} CSV.
     *
     * @param otherwise how else to choose, for the error message when the extension says nothing
     */
    static Format ofExtension(String option, Path file, String otherwise) {
      String name = file.getFileName() == null ? "" : file.getFileName().toString();
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".jsonl") || lower.endsWith(".json")) {
        return JSONL;
      }
      if (lower.endsWith(".csv")) {
        return CSV;
      }
      throw new UsageException(
          "cannot tell the format of --"
              + option
              + "="
              + file
              + " from its extension: name it"
              + " .jsonl, .json or .csv"
              + otherwise);
    }
  }

  private final Path file;
  private final Writer out;
  private final int columns;

  /** The record being written; flushed to {@link #out} by {@link #end()}. */
  final StringBuilder line = new StringBuilder(256);

  /** Index of the next field of the current record. */
  private int column;

  private RecordWriter(Path file, Writer out, int columns) {
    this.file = file;
    this.out = out;
    this.columns = columns;
  }

  /**
   * Creates (or truncates) {@code file}, and its missing parent directories, and for CSV writes the
   * header.
   *
   * @param itemNames the names of item ids, index = id
   * @param columns the column names, in the order fields are written
   */
  static RecordWriter open(Path file, Format format, String[] itemNames, String... columns) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Writer w =
          new BufferedWriter(
              new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
      if (format == Format.CSV) {
        w.write(String.join(",", columns));
        w.write('\n');
        return new Csv(file, w, itemNames, columns.length);
      }
      return new Jsonl(file, w, itemNames, columns);
    } catch (IOException e) {
      throw UsageException.io("cannot write", file, e);
    }
  }

  /** Writes a number field. */
  final RecordWriter number(double value) {
    startField(column++);
    writeNumber(value);
    return this;
  }

  /** Writes an integer field. */
  final RecordWriter count(long value) {
    startField(column++);
    line.append(value);
    return this;
  }

  /** Writes the names of {@code items[0, length)} as one field. */
  final RecordWriter items(int[] items, int length) {
    startField(column++);
    writeItems(items, length);
    return this;
  }

  /** Ends the record and writes its line. */
  final void end() {
    assert column == columns : "record has " + column + " fields, expected " + columns;
    endRecord();
    line.append('\n');
    try {
      out.append(line);
    } catch (IOException e) {
      throw UsageException.io("cannot write", file, e);
    }
    line.setLength(0);
    column = 0;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw UsageException.io("cannot write", file, e);
    }
  }

  abstract void startField(int index);

  abstract void writeNumber(double value);

  abstract void writeItems(int[] items, int length);

  abstract void endRecord();

  private static final class Jsonl extends RecordWriter {
    /** Per column, what precedes its value: {@code {"name":} or {@code ,"name":}. */
    private final String[] keys;

    /** Per item id, its name as a JSON string. */
    private final String[] names;

    Jsonl(Path file, Writer out, String[] itemNames, String[] columns) {
      super(file, out, columns.length);
      keys = new String[columns.length];
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < columns.length; j++) {
        sb.setLength(0);
        sb.append(j == 0 ? '{' : ',');
        TextFormats.appendJsonString(sb, columns[j]);
        keys[j] = sb.append(':').toString();
      }
      names = new String[itemNames.length];
      for (int i = 0; i < itemNames.length; i++) {
        sb.setLength(0);
        TextFormats.appendJsonString(sb, itemNames[i]);
        names[i] = sb.toString();
      }
    }

    @Override
    void startField(int index) {
      line.append(keys[index]);
    }

    @Override
    void writeNumber(double value) {
      if (Double.isFinite(value)) {
        line.append(value);
      } else {
        line.append("null");
      }
    }

    @Override
    void writeItems(int[] items, int length) {
      line.append('[');
      for (int k = 0; k < length; k++) {
        if (k > 0) {
          line.append(',');
        }
        line.append(names[items[k]]);
      }
      line.append(']');
    }

    @Override
    void endRecord() {
      line.append('}');
    }
  }

  private static final class Csv extends RecordWriter {
    private final String[] names;
    private final StringBuilder field = new StringBuilder(64);

    Csv(Path file, Writer out, String[] itemNames, int columns) {
      super(file, out, columns);
      this.names = itemNames;
    }

    @Override
    void startField(int index) {
      if (index > 0) {
        line.append(',');
      }
    }

    @Override
    void writeNumber(double value) {
      if (Double.isFinite(value)) {
        line.append(value);
      } else {
        line.append(Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf");
      }
    }

    @Override
    void writeItems(int[] items, int length) {
      field.setLength(0);
      for (int k = 0; k < length; k++) {
        if (k > 0) {
          field.append(CSV_ITEM_SEPARATOR);
        }
        field.append(names[items[k]]);
      }
      TextFormats.appendCsvField(line, field);
    }

    @Override
    void endRecord() {}
  }
}
