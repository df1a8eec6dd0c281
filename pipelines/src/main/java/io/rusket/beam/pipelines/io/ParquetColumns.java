package io.rusket.beam.pipelines.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Parquet files read column-wise, one row group at a time, into primitive arrays — no Avro record,
 * no Beam {@code Row} and no boxed value per row. For readers that feed accumulators straight from
 * columns (the shard miners of {@code stream}, the group accumulators of {@code grouped}).
 *
 * <ul>
 *   <li>{@link #splits()} expands each file into one {@link Split} per non-empty row group, and a
 *       row group of more than {@value #DEFAULT_SPLIT_ROWS} rows into several splits of consecutive
 *       rows (only the footer is read), then reshuffles them so that the row groups of one file are
 *       read on every worker and core.
 *   <li>{@link #read(Split, List)} reads the named columns of one split into a {@link Chunk};
 *       {@link #open(Split, List)} reads them a slice of rows at a time, for splits too large to
 *       hold decoded.
 * </ul>
 *
 * <p>Example of use:
 *
 * <pre>{@code
 * PCollection<ParquetColumns.Split> splits = p
 *     .apply(FileIO.match().filepattern("events-*.parquet"))
 *     .apply(FileIO.readMatches())
 *     .apply(ParquetColumns.splits());
 * // in a DoFn<ParquetColumns.Split, ...>:
 * ParquetColumns.Chunk c = ParquetColumns.read(split, List.of("transaction_id", "item_id"));
 * long[] txn = c.longs("transaction_id");
 * long[] item = c.longs("item_id");
 * for (int i = 0; i < c.rows(); i++) { ... }
 * }</pre>
 *
 * <p><b>Columns and types.</b> A column is a top-level, non-repeated primitive field. Its values
 * come out by physical type: INT32 and INT64 as {@code long[]} ({@link Chunk#longs}), FLOAT and
 * DOUBLE as {@code double[]} ({@link Chunk#doubles}), BINARY (UTF-8 strings, with or without the
 * STRING annotation) as {@code String[]} ({@link Chunk#strings}) and BOOLEAN as {@code boolean[]}
 * ({@link Chunk#booleans}, which also accepts an INT32/INT64 column of 0s and 1s, as one-hot files
 * have). Strings of dictionary-encoded pages are decoded once per dictionary entry: the rows
 * holding one entry share one {@code String} instance; plain-encoded pages are decoded per row.
 *
 * <p><b>Errors.</b> A missing column (the columns present are listed), a nested, repeated or
 * otherwise typed column, a column read as another type than it has, a null, or a 0/1 column
 * holding another value is an {@link IllegalArgumentException} naming the file, the column, the row
 * group and, for a value, its row within the row group. Nothing is skipped.
 *
 * <p><b>Memory.</b> Reading a split holds its requested column chunks compressed, as in the file
 * (for a range of rows only the pages holding them, when the file has offset indexes, as parquet-mr
 * writes since 1.11; else the whole row group: writers default to row groups of 128 MiB), one
 * decompressed page per column, and the decoded rows asked for: all the split's rows for {@link
 * #read}, at most {@code maxRows} per {@link Cursor#next} slice. Files are opened through Beam's
 * {@link FileSystems}, so any Beam file system (local, HDFS, S3, GCS) works.
 *
 * <p>Metrics (namespace {@value TableSource#METRICS_NAMESPACE}): counters {@code filesRead} and
 * {@code rowGroups} (non-empty row groups found by {@link #splits()}).
 */
public final class ParquetColumns {
  private ParquetColumns() {}

  /**
   * One row group of one Parquet file, or a range of its rows: the file's resource id (as {@link
   * org.apache.beam.sdk.io.fs.ResourceId#toString()}), its size in bytes, the row group's index in
   * the footer, the first row of the range within the row group and its row count. A small value
   * with a deterministic coder ({@link #coder()}).
   */
  public static final class Split {
    private final String file;
    private final long fileBytes;
    private final int rowGroup;
    private final long firstRow;
    private final long rows;

    /**
     * A whole row group of {@code rows} rows.
     *
     * @throws IllegalArgumentException for an empty file name, a negative size, index or count
     */
    public Split(String file, long fileBytes, int rowGroup, long rows) {
      this(file, fileBytes, rowGroup, 0, rows);
    }

    /**
     * Rows {@code [firstRow, firstRow + rows)} of a row group.
     *
     * @throws IllegalArgumentException for an empty file name, a negative size, index, first row or
     *     count
     */
    public Split(String file, long fileBytes, int rowGroup, long firstRow, long rows) {
      if (file == null
          || file.isEmpty()
          || fileBytes < 0
          || rowGroup < 0
          || firstRow < 0
          || rows < 0) {
        throw new IllegalArgumentException(
            "Invalid Parquet split: file="
                + file
                + ", fileBytes="
                + fileBytes
                + ", rowGroup="
                + rowGroup
                + ", firstRow="
                + firstRow
                + ", rows="
                + rows);
      }
      this.file = file;
      this.fileBytes = fileBytes;
      this.rowGroup = rowGroup;
      this.firstRow = firstRow;
      this.rows = rows;
    }

    /** The file's resource id, as a string that {@link FileSystems#matchNewResource} resolves. */
    public String file() {
      return file;
    }

    /** The file's size in bytes. */
    public long fileBytes() {
      return fileBytes;
    }

    /** The row group's index in the file's footer, from 0. */
    public int rowGroup() {
      return rowGroup;
    }

    /** The split's first row, within the row group (0 for a whole row group). */
    public long firstRow() {
      return firstRow;
    }

    /** The split's row count (the row group's for a whole row group). */
    public long rows() {
      return rows;
    }

    /** The coder of splits: deterministic, consistent with {@code equals}. */
    public static Coder<Split> coder() {
      return SplitCoder.INSTANCE;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof Split)) {
        return false;
      }
      Split s = (Split) o;
      return file.equals(s.file)
          && fileBytes == s.fileBytes
          && rowGroup == s.rowGroup
          && firstRow == s.firstRow
          && rows == s.rows;
    }

    @Override
    public int hashCode() {
      return Objects.hash(file, fileBytes, rowGroup, firstRow, rows);
    }

    @Override
    public String toString() {
      return file
          + " row group "
          + rowGroup
          + " (rows "
          + firstRow
          + " to "
          + (firstRow + rows)
          + ")";
    }
  }

  /** {@link Split}'s coder: the file as UTF-8, then varints. */
  private static final class SplitCoder extends AtomicCoder<Split> {
    private static final long serialVersionUID = 1L;
    static final SplitCoder INSTANCE = new SplitCoder();

    @Override
    public void encode(Split s, OutputStream out) throws IOException {
      if (s == null) {
        throw new IllegalArgumentException("Cannot encode a null Parquet split");
      }
      StringUtf8Coder.of().encode(s.file, out);
      VarLongCoder.of().encode(s.fileBytes, out);
      VarIntCoder.of().encode(s.rowGroup, out);
      VarLongCoder.of().encode(s.firstRow, out);
      VarLongCoder.of().encode(s.rows, out);
    }

    @Override
    public Split decode(InputStream in) throws IOException {
      String file = StringUtf8Coder.of().decode(in);
      long bytes = VarLongCoder.of().decode(in);
      int rowGroup = VarIntCoder.of().decode(in);
      long firstRow = VarLongCoder.of().decode(in);
      long rows = VarLongCoder.of().decode(in);
      return new Split(file, bytes, rowGroup, firstRow, rows);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }

  /**
   * Row groups of more rows than this are read as several splits of consecutive rows ({@link
   * #splits()}), so that one large row group is read on several cores.
   */
  public static final long DEFAULT_SPLIT_ROWS = 1L << 20;

  /**
   * Expands each file into {@link Split}s (reading only the footer): one per non-empty row group,
   * or for a row group of more than {@value #DEFAULT_SPLIT_ROWS} rows, several splits of
   * consecutive rows of about equal size; then reshuffles the splits so that they spread over the
   * workers and cores.
   *
   * @throws IllegalArgumentException (when the pipeline runs) for a file whose footer cannot be
   *     read, naming it
   */
  public static PTransform<PCollection<FileIO.ReadableFile>, PCollection<Split>> splits() {
    return new Splits(DEFAULT_SPLIT_ROWS);
  }

  /**
   * As {@link #splits()}, cutting row groups of more than {@code maxRows} rows.
   *
   * @throws IllegalArgumentException if {@code maxRows < 1}
   */
  public static PTransform<PCollection<FileIO.ReadableFile>, PCollection<Split>> splits(
      long maxRows) {
    checkMaxRows(maxRows);
    return new Splits(maxRows);
  }

  private static void checkMaxRows(long maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException(
          "Invalid maxRows: " + maxRows + ". Valid range is [1, " + Long.MAX_VALUE + "].");
    }
  }

  private static final class Splits
      extends PTransform<PCollection<FileIO.ReadableFile>, PCollection<Split>> {
    private static final long serialVersionUID = 1L;
    private final long maxRows;

    Splits(long maxRows) {
      this.maxRows = maxRows;
    }

    @Override
    public PCollection<Split> expand(PCollection<FileIO.ReadableFile> files) {
      return files
          .apply("RowGroups", ParDo.of(new SplitFn(maxRows)))
          .setCoder(Split.coder())
          .apply("SpreadRowGroups", Reshuffle.viaRandomKey())
          .setCoder(Split.coder());
    }
  }

  private static final class SplitFn extends DoFn<FileIO.ReadableFile, Split> {
    private static final long serialVersionUID = 1L;
    private final Counter files = Metrics.counter(TableSource.METRICS_NAMESPACE, "filesRead");
    private final Counter rowGroups = Metrics.counter(TableSource.METRICS_NAMESPACE, "rowGroups");
    private final long maxRows;

    SplitFn(long maxRows) {
      this.maxRows = maxRows;
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, OutputReceiver<Split> out) {
      List<Split> splits = splitsOf(file.getMetadata(), maxRows);
      files.inc();
      rowGroups.inc(splits.stream().filter(s -> s.firstRow == 0).count());
      for (Split s : splits) {
        out.output(s);
      }
    }
  }

  /**
   * The splits of one file: one per non-empty row group, whole, in footer order (reads only the
   * footer). For single-process readers, e.g. {@code
   * splitsOf(FileSystems.matchSingleFileSpec(path))}.
   *
   * @throws IllegalArgumentException if the footer cannot be read, naming the file
   */
  public static List<Split> splitsOf(Metadata file) {
    return splitsOf(file, Long.MAX_VALUE);
  }

  /**
   * The splits of one file, in footer order: one per non-empty row group, or for a row group of
   * more than {@code maxRows} rows, {@code ceil(rows / maxRows)} splits of consecutive rows of
   * about equal size.
   *
   * @throws IllegalArgumentException if {@code maxRows < 1}, or the footer cannot be read, naming
   *     the file
   */
  public static List<Split> splitsOf(Metadata file, long maxRows) {
    checkMaxRows(maxRows);
    String name = file.resourceId().toString();
    List<BlockMetaData> blocks;
    try (ParquetFileReader reader = ParquetFileReader.open(new BeamInputFile(file))) {
      blocks = reader.getRowGroups();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot read the Parquet footer of "
              + name
              + " (truncated, corrupt or not a Parquet file?): "
              + e.getMessage(),
          e);
    }
    List<Split> splits = new ArrayList<>();
    for (int g = 0; g < blocks.size(); g++) {
      long rows = blocks.get(g).getRowCount();
      long parts = rows == 0 ? 0 : (rows - 1) / maxRows + 1;
      for (long k = 0; k < parts; k++) {
        long from = rows * k / parts;
        long to = rows * (k + 1) / parts;
        splits.add(
            parts == 1
                ? new Split(name, file.sizeBytes(), g, rows)
                : new Split(name, file.sizeBytes(), g, from, to - from));
      }
    }
    return splits;
  }

  /** The physical kind of a column's values. */
  public enum Kind {
    /** INT32 or INT64: {@link Chunk#longs}. */
    LONG,
    /** BINARY (UTF-8): {@link Chunk#strings}. */
    STRING,
    /** BOOLEAN: {@link Chunk#booleans}. */
    BOOLEAN,
    /** FLOAT or DOUBLE: {@link Chunk#doubles}. */
    DOUBLE
  }

  /**
   * Rows of one row group, column-wise: for each requested column, an array of {@link #rows()}
   * values in row order. The arrays are the chunk's own (not copies): callers may keep or modify
   * them.
   */
  public static final class Chunk {
    private final Split split;
    private final long firstRow;
    private final int rows;
    private final Map<String, Object> values;
    private final Map<String, Kind> kinds;

    Chunk(Split split, long firstRow, int rows, Map<String, Object> values, Map<String, Kind> k) {
      this.split = split;
      this.firstRow = firstRow;
      this.rows = rows;
      this.values = values;
      this.kinds = k;
    }

    /** The split the rows come from. */
    public Split split() {
      return split;
    }

    /**
     * The row, within the row group, of this chunk's first row (for {@link #read}, the split's
     * {@link Split#firstRow}).
     */
    public long firstRow() {
      return firstRow;
    }

    /** The number of rows. */
    public int rows() {
      return rows;
    }

    /**
     * The kind of {@code column}'s values.
     *
     * @throws IllegalArgumentException if it was not read
     */
    public Kind kind(String column) {
      Kind k = kinds.get(column);
      if (k == null) {
        throw new IllegalArgumentException(
            "Column '"
                + column
                + "' was not read from "
                + where(split)
                + "; read: "
                + kinds.keySet());
      }
      return k;
    }

    /**
     * An INT32 or INT64 column's values, widened to {@code long}.
     *
     * @throws IllegalArgumentException if the column was not read or is of another type
     */
    public long[] longs(String column) {
      return (long[]) typed(column, Kind.LONG);
    }

    /**
     * A BINARY (UTF-8) column's values; the rows of one dictionary entry share one instance.
     *
     * @throws IllegalArgumentException if the column was not read or is of another type
     */
    public String[] strings(String column) {
      return (String[]) typed(column, Kind.STRING);
    }

    /**
     * A FLOAT or DOUBLE column's values, widened to {@code double} (exactly).
     *
     * @throws IllegalArgumentException if the column was not read or is of another type
     */
    public double[] doubles(String column) {
      return (double[]) typed(column, Kind.DOUBLE);
    }

    /**
     * A BOOLEAN column's values, or an INT32/INT64 column's 0s and 1s as false and true.
     *
     * @throws IllegalArgumentException if the column was not read, is of another type, or an
     *     integer value is neither 0 nor 1 (naming its row within the row group)
     */
    public boolean[] booleans(String column) {
      Kind k = kind(column);
      if (k == Kind.BOOLEAN) {
        return (boolean[]) values.get(column);
      }
      if (k != Kind.LONG) {
        throw wrongKind(column, k, Kind.BOOLEAN);
      }
      long[] v = (long[]) values.get(column);
      boolean[] b = new boolean[rows];
      for (int i = 0; i < rows; i++) {
        long x = v[i];
        if (x != 0 && x != 1) {
          throw new IllegalArgumentException(
              "Parquet column '"
                  + column
                  + "' = "
                  + x
                  + " in "
                  + where(split)
                  + ", row "
                  + (firstRow + i)
                  + ": a one-hot item column must hold 0 or 1 (or be BOOLEAN)");
        }
        b[i] = x == 1;
      }
      return b;
    }

    private Object typed(String column, Kind want) {
      Kind k = kind(column);
      if (k != want) {
        throw wrongKind(column, k, want);
      }
      return values.get(column);
    }

    private IllegalArgumentException wrongKind(String column, Kind has, Kind want) {
      return new IllegalArgumentException(
          "Parquet column '"
              + column
              + "' of "
              + where(split)
              + " holds "
              + describe(has)
              + ", expected "
              + describe(want));
    }
  }

  private static String describe(Kind k) {
    switch (k) {
      case LONG:
        return "integers (INT32/INT64)";
      case STRING:
        return "strings (BINARY/UTF8)";
      case BOOLEAN:
        return "booleans (BOOLEAN)";
      case DOUBLE:
        return "floating-point numbers (FLOAT/DOUBLE)";
      default:
        throw new AssertionError(k);
    }
  }

  private static String where(Split s) {
    return s.file + ", row group " + s.rowGroup;
  }

  /**
   * Reads {@code columns} of the split's rows (its whole row group, or its range of rows).
   *
   * @throws IllegalArgumentException as the class documents (missing or mistyped column, a null),
   *     naming the file, column, row group and row; or if the row group holds more than {@code
   *     Integer.MAX_VALUE - 8} rows (read it with {@link #open} instead)
   * @throws IOException if the file cannot be read
   */
  public static Chunk read(Split split, List<String> columns) throws IOException {
    if (split.rows > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          where(split) + " has " + split.rows + " rows, too many for one chunk: read it in slices");
    }
    try (Cursor c = open(split, columns)) {
      Chunk chunk = c.next(Integer.MAX_VALUE - 8);
      if (chunk == null) {
        return new Chunk(split, split.firstRow, 0, c.empty(), c.kinds);
      }
      return chunk;
    }
  }

  /**
   * Opens the split's rows for reading {@code columns} a slice at a time ({@link Cursor#next}).
   * Close the cursor to release the file.
   *
   * @throws IllegalArgumentException for no column, a repeated one, a missing or mistyped column
   *     (naming the file, row group and column, and listing the columns present)
   * @throws IOException if the file cannot be read
   */
  public static Cursor open(Split split, List<String> columns) throws IOException {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("ParquetColumns needs at least one column to read");
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      if (c == null || c.isEmpty() || !seen.add(c)) {
        throw new IllegalArgumentException(
            "Invalid or repeated column name '" + c + "' in " + columns);
      }
    }
    Metadata md =
        Metadata.builder()
            .setResourceId(FileSystems.matchNewResource(split.file, false))
            .setSizeBytes(split.fileBytes)
            .setIsReadSeekEfficient(true)
            .setLastModifiedMillis(0L)
            .build();
    ParquetFileReader reader;
    try {
      reader = ParquetFileReader.open(new BeamInputFile(md));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot read the Parquet footer of "
              + split.file
              + " (truncated, corrupt or not a Parquet file?): "
              + e.getMessage(),
          e);
    }
    try {
      return new Cursor(split, reader, columns);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /**
   * A row group being read a slice of rows at a time: each {@link #next} decodes the following rows
   * of every requested column. Not thread-safe.
   */
  public static final class Cursor implements AutoCloseable {
    private final Split split;
    private final ParquetFileReader reader;
    private final List<String> columns;
    private final Map<String, Kind> kinds = new HashMap<>();
    private final ColumnReader[] readers;
    private final int[] maxDefinition;
    private final Kind[] kindOf;
    private final ValueConverter[] converters;
    private final long rows;
    private long position;

    private Cursor(Split split, ParquetFileReader reader, List<String> columns) throws IOException {
      this.split = split;
      this.reader = reader;
      this.columns = List.copyOf(columns);
      List<BlockMetaData> blocks = reader.getRowGroups();
      if (split.rowGroup >= blocks.size()) {
        throw new IllegalArgumentException(
            split.file
                + " has "
                + blocks.size()
                + " row groups, no row group "
                + split.rowGroup
                + " (was the file replaced while the job ran?)");
      }
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      int n = columns.size();
      List<Type> fields = new ArrayList<>(n);
      kindOf = new Kind[n];
      maxDefinition = new int[n];
      converters = new ValueConverter[n];
      for (int j = 0; j < n; j++) {
        String c = columns.get(j);
        if (!fileSchema.containsField(c)) {
          List<String> present = new ArrayList<>();
          for (Type t : fileSchema.getFields()) {
            present.add(t.getName());
          }
          throw new IllegalArgumentException(
              "Parquet file "
                  + split.file
                  + " (row group "
                  + split.rowGroup
                  + ") has no column '"
                  + c
                  + "'; columns present: "
                  + present);
        }
        Type t = fileSchema.getType(c);
        kindOf[j] = kindOf(split, t);
        kinds.put(c, kindOf[j]);
        fields.add(t);
        converters[j] = kindOf[j] == Kind.STRING ? new StringConverter() : new ValueConverter();
      }
      MessageType requested = new MessageType(fileSchema.getName(), fields);
      reader.setRequestedSchema(requested);
      BlockMetaData block = blocks.get(split.rowGroup);
      if (split.firstRow + split.rows > block.getRowCount()) {
        throw new IllegalArgumentException(
            split
                + " is beyond the row group's "
                + block.getRowCount()
                + " rows (was the file replaced while the job ran?)");
      }
      this.rows = split.rows;
      boolean whole = split.firstRow == 0 && split.rows == block.getRowCount();
      boolean indexed = true;
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        if (requested.containsPath(chunk.getPath().toArray())
            && chunk.getOffsetIndexReference() == null) {
          indexed = false;
        }
      }
      // A range of rows: with offset indexes (parquet-mr writes them since 1.11), only the pages
      // holding those rows are read and the readers skip the rest of those pages; without, the
      // whole row group is read and the rows before the range skipped.
      long skip = 0;
      PageReadStore pages;
      if (whole || split.rows == 0) {
        pages = reader.readRowGroup(split.rowGroup);
      } else if (indexed) {
        pages = reader.readFilteredRowGroup(split.rowGroup, rowRange(split, block.getRowCount()));
      } else {
        pages = reader.readRowGroup(split.rowGroup);
        skip = split.firstRow;
      }
      if (pages == null) {
        throw new IllegalArgumentException(
            "Parquet file " + split.file + " has no row group " + split.rowGroup);
      }
      GroupConverter root =
          new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
              return converters[fieldIndex];
            }

            @Override
            public void start() {}

            @Override
            public void end() {}
          };
      ColumnReadStoreImpl store =
          new ColumnReadStoreImpl(
              pages, root, requested, reader.getFooter().getFileMetaData().getCreatedBy());
      readers = new ColumnReader[n];
      List<ColumnDescriptor> descriptors = requested.getColumns();
      for (int j = 0; j < n; j++) {
        ColumnDescriptor d = descriptors.get(j);
        readers[j] = store.getColumnReader(d);
        maxDefinition[j] = d.getMaxDefinitionLevel();
        ColumnReader r = readers[j];
        for (long i = 0; i < skip; i++) {
          if (r.getCurrentDefinitionLevel() == maxDefinition[j]) {
            r.skip();
          }
          r.consume();
        }
      }
    }

    /** The rows of {@code split}, as Parquet's row ranges of a row group of {@code rowCount}. */
    private static RowRanges rowRange(Split split, long rowCount) {
      long first = split.firstRow;
      long last = split.firstRow + split.rows - 1;
      // RowRanges are built from pages: one page spanning exactly the split's rows.
      OffsetIndex range =
          new OffsetIndex() {
            @Override
            public int getPageCount() {
              return 1;
            }

            @Override
            public long getOffset(int pageIndex) {
              return 0;
            }

            @Override
            public int getCompressedPageSize(int pageIndex) {
              return 0;
            }

            @Override
            public long getFirstRowIndex(int pageIndex) {
              return first;
            }

            @Override
            public long getLastRowIndex(int pageIndex, long rowGroupRowCount) {
              return last;
            }
          };
      return RowRanges.create(rowCount, IntStream.of(0).iterator(), range);
    }

    private static Kind kindOf(Split split, Type t) {
      String bad = null;
      if (!t.isPrimitive()) {
        bad = "a group (nested)";
      } else if (t.isRepetition(Type.Repetition.REPEATED)) {
        bad = "repeated";
      } else {
        PrimitiveType p = t.asPrimitiveType();
        PrimitiveTypeName n = p.getPrimitiveTypeName();
        if (n == PrimitiveTypeName.INT32 || n == PrimitiveTypeName.INT64) {
          return Kind.LONG;
        }
        if (n == PrimitiveTypeName.BOOLEAN) {
          return Kind.BOOLEAN;
        }
        if (n == PrimitiveTypeName.BINARY) {
          return Kind.STRING;
        }
        if (n == PrimitiveTypeName.DOUBLE || n == PrimitiveTypeName.FLOAT) {
          return Kind.DOUBLE;
        }
        bad = n.toString();
      }
      throw new IllegalArgumentException(
          "Parquet column '"
              + t.getName()
              + "' of "
              + where(split)
              + " is "
              + bad
              + "; readable columns are top-level INT32, INT64, FLOAT, DOUBLE, BINARY (UTF-8)"
              + " or BOOLEAN");
    }

    /** The split being read. */
    public Split split() {
      return split;
    }

    /** The rows not read yet. */
    public long remaining() {
      return rows - position;
    }

    /**
     * The next at most {@code maxRows} rows, or null when all have been read.
     *
     * @throws IllegalArgumentException if {@code maxRows < 1}, or for a null (naming the file,
     *     column, row group and row within the row group)
     */
    public @Nullable Chunk next(int maxRows) {
      if (maxRows < 1) {
        throw new IllegalArgumentException("Invalid maxRows: " + maxRows + ". Must be >= 1.");
      }
      long left = rows - position;
      if (left <= 0) {
        return null;
      }
      int n = (int) Math.min(maxRows, left);
      Map<String, Object> values = new HashMap<>();
      for (int j = 0; j < readers.length; j++) {
        values.put(columns.get(j), readColumn(j, n));
      }
      Chunk c = new Chunk(split, split.firstRow + position, n, values, kinds);
      position += n;
      return c;
    }

    Map<String, Object> empty() {
      Map<String, Object> values = new HashMap<>();
      for (int j = 0; j < readers.length; j++) {
        Kind k = kindOf[j];
        Object none;
        switch (k) {
          case LONG:
            none = new long[0];
            break;
          case STRING:
            none = new String[0];
            break;
          case BOOLEAN:
            none = new boolean[0];
            break;
          case DOUBLE:
            none = new double[0];
            break;
          default:
            throw new AssertionError(k);
        }
        values.put(columns.get(j), none);
      }
      return values;
    }

    private Object readColumn(int j, int n) {
      ColumnReader r = readers[j];
      int maxDef = maxDefinition[j];
      switch (kindOf[j]) {
        case LONG:
          {
            long[] out = new long[n];
            boolean int32 =
                r.getDescriptor().getPrimitiveType().getPrimitiveTypeName()
                    == PrimitiveTypeName.INT32;
            for (int i = 0; i < n; i++) {
              if (maxDef > 0 && r.getCurrentDefinitionLevel() < maxDef) {
                throw nullAt(j, i);
              }
              out[i] = int32 ? r.getInteger() : r.getLong();
              r.consume();
            }
            return out;
          }
        case BOOLEAN:
          {
            boolean[] out = new boolean[n];
            for (int i = 0; i < n; i++) {
              if (maxDef > 0 && r.getCurrentDefinitionLevel() < maxDef) {
                throw nullAt(j, i);
              }
              out[i] = r.getBoolean();
              r.consume();
            }
            return out;
          }
        case DOUBLE:
          {
            double[] out = new double[n];
            boolean float32 =
                r.getDescriptor().getPrimitiveType().getPrimitiveTypeName()
                    == PrimitiveTypeName.FLOAT;
            for (int i = 0; i < n; i++) {
              if (maxDef > 0 && r.getCurrentDefinitionLevel() < maxDef) {
                throw nullAt(j, i);
              }
              out[i] = float32 ? r.getFloat() : r.getDouble();
              r.consume();
            }
            return out;
          }
        case STRING:
          {
            String[] out = new String[n];
            StringConverter sc = (StringConverter) converters[j];
            sc.target = out;
            for (int i = 0; i < n; i++) {
              if (maxDef > 0 && r.getCurrentDefinitionLevel() < maxDef) {
                throw nullAt(j, i);
              }
              sc.index = i;
              r.writeCurrentValueToConverter();
              r.consume();
            }
            sc.target = null;
            return out;
          }
        default:
          throw new AssertionError(kindOf[j]);
      }
    }

    private IllegalArgumentException nullAt(int j, int i) {
      return new IllegalArgumentException(
          "Parquet column '"
              + columns.get(j)
              + "' is null in "
              + where(split)
              + ", row "
              + (split.firstRow + position + i)
              + " (rows are never dropped: fill or filter the nulls first)");
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /** The converter of a column read with the reader's getters: never called. */
  private static class ValueConverter extends PrimitiveConverter {}

  /**
   * Strings: a dictionary page is decoded once into {@code dictionary}; rows then refer to its
   * entries. Plain pages are decoded per row.
   */
  private static final class StringConverter extends ValueConverter {
    String @Nullable [] dictionary;
    String @Nullable [] target;
    int index;

    @Override
    public boolean hasDictionarySupport() {
      return true;
    }

    @Override
    public void setDictionary(Dictionary d) {
      String[] s = new String[d.getMaxId() + 1];
      for (int i = 0; i < s.length; i++) {
        s[i] = d.decodeToBinary(i).toStringUsingUTF8();
      }
      dictionary = s;
    }

    @Override
    public void addValueFromDictionary(int dictionaryId) {
      target[index] = dictionary[dictionaryId];
    }

    @Override
    public void addBinary(Binary value) {
      target[index] = value.toStringUsingUTF8();
    }
  }
}
