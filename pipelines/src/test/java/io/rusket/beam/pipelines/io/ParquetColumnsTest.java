package io.rusket.beam.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetColumnsTest {
  private static final List<String> ALL = List.of("txn", "item", "store", "flag", "hot");

  @TempDir Path dir;

  private static List<ParquetColumns.Split> splits(Path file) throws IOException {
    return ParquetColumns.splitsOf(FileSystems.matchSingleFileSpec(file.toString()));
  }

  /** Every split of {@code file}, read whole and in slices of {@code slice} rows, concatenated. */
  private static void assertReadsBack(Path file, OddParquet.Events e, int slice)
      throws IOException {
    long[] txn = new long[e.size()];
    long[] item = new long[e.size()];
    String[] store = new String[e.size()];
    boolean[] flag = new boolean[e.size()];
    boolean[] hot = new boolean[e.size()];
    int at = 0;
    for (ParquetColumns.Split s : splits(file)) {
      ParquetColumns.Chunk c = ParquetColumns.read(s, ALL);
      assertEquals(s.rows(), c.rows());
      assertEquals(ParquetColumns.Kind.LONG, c.kind("txn"));
      System.arraycopy(c.longs("txn"), 0, txn, at, c.rows());
      System.arraycopy(c.longs("item"), 0, item, at, c.rows());
      System.arraycopy(c.strings("store"), 0, store, at, c.rows());
      System.arraycopy(c.booleans("flag"), 0, flag, at, c.rows());
      System.arraycopy(c.booleans("hot"), 0, hot, at, c.rows());
      // The same rows a slice at a time.
      try (ParquetColumns.Cursor cur = ParquetColumns.open(s, List.of("item", "txn"))) {
        int row = 0;
        for (ParquetColumns.Chunk part; (part = cur.next(slice)) != null; ) {
          assertEquals(row, part.firstRow());
          assertArrayEquals(
              Arrays.copyOfRange(c.longs("txn"), row, row + part.rows()), part.longs("txn"));
          assertArrayEquals(
              Arrays.copyOfRange(c.longs("item"), row, row + part.rows()), part.longs("item"));
          row += part.rows();
        }
        assertEquals(s.rows(), row);
        assertEquals(0, cur.remaining());
        assertNull(cur.next(slice));
      }
      at += c.rows();
    }
    assertEquals(e.size(), at);
    assertArrayEquals(e.txn, txn);
    assertArrayEquals(e.item, item);
    assertArrayEquals(e.store, store);
    assertArrayEquals(e.flag, flag);
    assertArrayEquals(e.flag, hot);
  }

  @Test
  void manyRowGroupsDictionaryEncodedInt64() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(1, 30_000, 5_000, 300);
    Path f = dir.resolve("many.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().rowGroupBytes(16 << 10));
    assertTrue(OddParquet.rowGroupRows(f).length > 5, Arrays.toString(OddParquet.rowGroupRows(f)));
    assertTrue(OddParquet.dictionaryEncoded(f, "store"));
    assertTrue(OddParquet.dictionaryEncoded(f, "item"));
    assertReadsBack(f, e, 777);
  }

  @Test
  void manyRowGroupsPlainInt32() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(2, 30_000, 5_000, 300);
    Path f = dir.resolve("plain.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().int32().plain().rowGroupBytes(16 << 10));
    assertTrue(OddParquet.rowGroupRows(f).length > 5);
    assertTrue(!OddParquet.dictionaryEncoded(f, "store"));
    assertReadsBack(f, e, 1000);
  }

  @Test
  void oneRowGroup() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(3, 10_000, 2_000, 100);
    Path f = dir.resolve("one.parquet");
    OddParquet.write(f, e, new OddParquet.Shape());
    assertEquals(1, OddParquet.rowGroupRows(f).length);
    assertReadsBack(f, e, 4096);
  }

  @Test
  void emptyRowGroupIsSkipped() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(4, 9_000, 2_000, 100);
    Path f = dir.resolve("empty-group.parquet");
    OddParquet.write(f, e, new OddParquet.Shape().rowGroupBytes(32 << 10).withEmptyRowGroup());
    long[] groups = OddParquet.rowGroupRows(f);
    assertTrue(Arrays.stream(groups).anyMatch(r -> r == 0), Arrays.toString(groups));
    List<ParquetColumns.Split> splits = splits(f);
    assertEquals(groups.length - 1, splits.size());
    for (ParquetColumns.Split s : splits) {
      assertTrue(s.rows() > 0);
      assertEquals(groups[s.rowGroup()], s.rows());
    }
    assertReadsBack(f, e, 500);
  }

  /** The data pages of the txn column of the file's first row group, from its offset index. */
  private static int pages(Path f) throws IOException {
    try (org.apache.parquet.hadoop.ParquetFileReader r =
        org.apache.parquet.hadoop.ParquetFileReader.open(OddParquet.input(f))) {
      return r.readOffsetIndex(r.getRowGroups().get(0).getColumns().get(0)).getPageCount();
    }
  }

  /** Every split of {@code file} cut at {@code maxRows}, read and concatenated. */
  private static void assertRangesReadBack(Path file, OddParquet.Events e, long maxRows)
      throws IOException {
    List<ParquetColumns.Split> splits =
        ParquetColumns.splitsOf(FileSystems.matchSingleFileSpec(file.toString()), maxRows);
    long[] txn = new long[e.size()];
    String[] store = new String[e.size()];
    boolean[] hot = new boolean[e.size()];
    int at = 0;
    long expectFirst = 0;
    for (ParquetColumns.Split s : splits) {
      assertTrue(s.rows() <= maxRows && s.rows() > 0, s.toString());
      assertEquals(expectFirst, s.firstRow(), s.toString());
      ParquetColumns.Chunk c = ParquetColumns.read(s, List.of("txn", "store", "hot"));
      assertEquals(s.rows(), c.rows());
      assertEquals(s.firstRow(), c.firstRow());
      System.arraycopy(c.longs("txn"), 0, txn, at, c.rows());
      System.arraycopy(c.strings("store"), 0, store, at, c.rows());
      System.arraycopy(c.booleans("hot"), 0, hot, at, c.rows());
      at += c.rows();
      long groupRows = OddParquet.rowGroupRows(file)[s.rowGroup()];
      expectFirst = s.firstRow() + s.rows() == groupRows ? 0 : s.firstRow() + s.rows();
    }
    assertEquals(e.size(), at);
    assertArrayEquals(e.txn, txn);
    assertArrayEquals(e.store, store);
    assertArrayEquals(e.flag, hot);
  }

  @Test
  void rangesOfALargeRowGroupReadBackExactly() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(31, 50_000, 9_000, 300);
    for (OddParquet.Shape shape :
        List.of(
            new OddParquet.Shape().pageBytes(2048),
            new OddParquet.Shape().int32().plain().pageBytes(4096),
            new OddParquet.Shape().pageBytes(2048).withoutOffsetIndex(),
            new OddParquet.Shape().rowGroupBytes(64 << 10).pageBytes(1024))) {
      Path f = dir.resolve("ranges.parquet");
      OddParquet.write(f, e, shape);
      assertEquals(!shape.noOffsetIndex, OddParquet.hasOffsetIndex(f));
      assertTrue(shape.noOffsetIndex || OddParquet.rowGroupRows(f).length > 1 || pages(f) > 8);
      assertReadsBack(f, e, 999);
      for (long maxRows : new long[] {7_000, 12_345, 49_999, 50_000}) {
        assertRangesReadBack(f, e, maxRows);
      }
    }
    // One row group of 50,000 rows cut at 7,000: 8 splits of 6,250.
    Path f = dir.resolve("ranges.parquet");
    OddParquet.write(f, e, new OddParquet.Shape());
    List<ParquetColumns.Split> s =
        ParquetColumns.splitsOf(FileSystems.matchSingleFileSpec(f.toString()), 7_000);
    assertEquals(8, s.size());
    assertEquals(
        new ParquetColumns.Split(f.toString(), s.get(0).fileBytes(), 0, 43_750, 6_250), s.get(7));
  }

  @Test
  void nullInARangeNamesItsRowWithinTheRowGroup() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(32, 30_000, 5_000, 300);
    for (OddParquet.Shape shape :
        List.of(
            new OddParquet.Shape().pageBytes(2048).nullAt("txn", 23_456),
            new OddParquet.Shape().pageBytes(2048).nullAt("txn", 23_456).withoutOffsetIndex())) {
      Path f = dir.resolve("range-null.parquet");
      OddParquet.write(f, e, shape);
      List<ParquetColumns.Split> splits =
          ParquetColumns.splitsOf(FileSystems.matchSingleFileSpec(f.toString()), 10_000);
      assertEquals(3, splits.size());
      ParquetColumns.read(splits.get(0), List.of("txn", "item"));
      ParquetColumns.read(splits.get(1), List.of("txn", "item"));
      IllegalArgumentException x =
          assertThrows(
              IllegalArgumentException.class,
              () -> ParquetColumns.read(splits.get(2), List.of("item", "txn")));
      assertTrue(
          x.getMessage().contains("'txn' is null in " + f + ", row group 0, row 23456 "),
          x.getMessage());
    }
  }

  @Test
  void dictionaryStringsAreDecodedOncePerEntry() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(5, 5_000, 2_000, 100);
    Path f = dir.resolve("dict.parquet");
    OddParquet.write(f, e, new OddParquet.Shape());
    ParquetColumns.Chunk c = ParquetColumns.read(splits(f).get(0), List.of("store"));
    String[] s = c.strings("store");
    int other = 1;
    while (!s[other].equals(s[0])) {
      other++;
    }
    assertSame(s[0], s[other]);
  }

  @Test
  void nullNamesFileColumnRowGroupAndRow() throws IOException {
    OddParquet.Events e = OddParquet.Events.random(6, 20_000, 5_000, 300);
    for (String column : List.of("item", "store", "flag")) {
      Path f = dir.resolve("null-" + column + ".parquet");
      OddParquet.write(f, e, new OddParquet.Shape().rowGroupBytes(16 << 10).nullAt(column, 12_345));
      // Find the row group of row 12345.
      long[] groups = OddParquet.rowGroupRows(f);
      int g = 0;
      long first = 0;
      while (first + groups[g] <= 12_345) {
        first += groups[g++];
      }
      assertTrue(g > 0, "the null should not be in the first row group");
      ParquetColumns.Split split = splits(f).get(g);
      IllegalArgumentException x =
          assertThrows(IllegalArgumentException.class, () -> ParquetColumns.read(split, ALL));
      String m = x.getMessage();
      assertTrue(m.contains(f.toString()), m);
      assertTrue(m.contains("'" + column + "' is null"), m);
      assertTrue(m.contains("row group " + g + ","), m);
      assertTrue(m.contains("row " + (12_345 - first) + " "), m);
      // Sliced, the row is still counted within the row group.
      IllegalArgumentException y =
          assertThrows(
              IllegalArgumentException.class,
              () -> {
                try (ParquetColumns.Cursor cur = ParquetColumns.open(split, List.of(column))) {
                  while (cur.next(7) != null) {}
                }
              });
      assertEquals(
          m.replace("'" + column + "'", ""), y.getMessage().replace("'" + column + "'", ""));
      // The other row groups read fine.
      ParquetColumns.read(splits(f).get(0), ALL);
    }
  }

  @Test
  void missingColumnListsThosePresent() throws IOException {
    Path f = dir.resolve("m.parquet");
    OddParquet.write(f, OddParquet.Events.random(7, 100, 10, 10), new OddParquet.Shape());
    ParquetColumns.Split s = splits(f).get(0);
    IllegalArgumentException x =
        assertThrows(
            IllegalArgumentException.class, () -> ParquetColumns.read(s, List.of("txn", "sku")));
    assertTrue(x.getMessage().contains(f.toString()), x.getMessage());
    assertTrue(x.getMessage().contains("row group 0"), x.getMessage());
    assertTrue(x.getMessage().contains("no column 'sku'"), x.getMessage());
    assertTrue(x.getMessage().contains("[txn, item, store, flag, hot]"), x.getMessage());
  }

  @Test
  void wrongTypeNamesTheColumn() throws IOException {
    Path f = dir.resolve("w.parquet");
    OddParquet.write(f, OddParquet.Events.random(8, 100, 10, 10), new OddParquet.Shape());
    ParquetColumns.Chunk c = ParquetColumns.read(splits(f).get(0), ALL);
    IllegalArgumentException x =
        assertThrows(IllegalArgumentException.class, () -> c.longs("store"));
    assertTrue(x.getMessage().contains("'store'"), x.getMessage());
    assertTrue(x.getMessage().contains("row group 0"), x.getMessage());
    assertTrue(x.getMessage().contains("strings"), x.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.strings("txn"));
    assertThrows(IllegalArgumentException.class, () -> c.booleans("store"));
    assertThrows(IllegalArgumentException.class, () -> c.longs("flag"));
    IllegalArgumentException y =
        assertThrows(IllegalArgumentException.class, () -> c.longs("nope"));
    assertTrue(y.getMessage().contains("was not read"), y.getMessage());
  }

  /** FLOAT and DOUBLE columns as doubles (exactly), in slices; a null names its row. */
  @Test
  void floatAndDoubleColumnsReadAsDoubles() throws IOException {
    org.apache.avro.Schema avro =
        new org.apache.avro.Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"r\",\"fields\":["
                    + "{\"name\":\"f\",\"type\":\"float\"},"
                    + "{\"name\":\"d\",\"type\":[\"null\",\"double\"]}]}");
    Path path = dir.resolve("fd.parquet");
    int n = 1_000;
    float[] f = new float[n];
    double[] d = new double[n];
    try (org.apache.parquet.hadoop.ParquetWriter<org.apache.avro.generic.GenericRecord> w =
        LocalFiles.parquetWriter(path, avro)) {
      for (int k = 0; k < n; k++) {
        f[k] = k / 3f - 100;
        d[k] = k == 0 ? Double.NaN : Math.PI * k * (k % 2 == 0 ? 1 : -1e100);
        org.apache.avro.generic.GenericData.Record r =
            new org.apache.avro.generic.GenericData.Record(avro);
        r.put("f", f[k]);
        r.put("d", k == n - 1 ? null : d[k]);
        w.write(r);
      }
    }
    ParquetColumns.Split s = splits(path).get(0);
    try (ParquetColumns.Cursor cur = ParquetColumns.open(s, List.of("d", "f"))) {
      ParquetColumns.Chunk c = cur.next(n - 1);
      assertEquals(ParquetColumns.Kind.DOUBLE, c.kind("f"));
      assertEquals(ParquetColumns.Kind.DOUBLE, c.kind("d"));
      double[] fs = c.doubles("f");
      for (int k = 0; k < n - 1; k++) {
        assertEquals(f[k], (float) fs[k]);
        assertEquals((double) f[k], fs[k]);
      }
      assertArrayEquals(Arrays.copyOf(d, n - 1), c.doubles("d"));
      IllegalArgumentException wrong =
          assertThrows(IllegalArgumentException.class, () -> c.longs("d"));
      assertTrue(wrong.getMessage().contains("floating-point"), wrong.getMessage());
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> cur.next(5));
      assertTrue(
          x.getMessage().contains("'d' is null in " + path + ", row group 0, row " + (n - 1)),
          x.getMessage());
    }
    assertEquals(
        0,
        ParquetColumns.read(
                new ParquetColumns.Split(s.file(), s.fileBytes(), 0, 0, 0), List.of("f"))
            .doubles("f")
            .length);
  }

  @Test
  void oneHotIntegerOutsideZeroOneNamesTheRow() throws IOException {
    Path f = dir.resolve("hot.parquet");
    OddParquet.Events e = OddParquet.Events.random(9, 100, 10, 10);
    OddParquet.write(f, e, new OddParquet.Shape());
    ParquetColumns.Chunk c = ParquetColumns.read(splits(f).get(0), List.of("txn"));
    int bad = 0;
    while (e.txn[bad] == 0 || e.txn[bad] == 1) {
      bad++;
    }
    IllegalArgumentException x =
        assertThrows(IllegalArgumentException.class, () -> c.booleans("txn"));
    assertTrue(x.getMessage().contains("'txn' = " + e.txn[bad]), x.getMessage());
    assertTrue(x.getMessage().contains("row " + bad + ":"), x.getMessage());
  }

  @Test
  void truncatedFileNamesIt() throws IOException {
    Path f = dir.resolve("t.parquet");
    java.nio.file.Files.write(f, new byte[] {'P', 'A', 'R', '1', 0, 0, 0});
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> splits(f));
    assertTrue(x.getMessage().contains(f.toString()), x.getMessage());
    ParquetColumns.Split s = new ParquetColumns.Split(f.toString(), 7, 0, 1);
    assertThrows(IllegalArgumentException.class, () -> ParquetColumns.read(s, List.of("txn")));
  }

  @Test
  void splitCoderRoundTripsAndIsDeterministic() throws Exception {
    ParquetColumns.Split s = new ParquetColumns.Split("/tmp/a b/é.parquet", 1L << 40, 7, 123_456);
    CoderProperties.coderDecodeEncodeEqual(ParquetColumns.Split.coder(), s);
    CoderProperties.coderDeterministic(
        ParquetColumns.Split.coder(), s, new ParquetColumns.Split(s.file(), 1L << 40, 7, 123_456));
    ParquetColumns.Split.coder().verifyDeterministic();
    assertThrows(IllegalArgumentException.class, () -> new ParquetColumns.Split("", 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ParquetColumns.Split("f", 1, -1, 1));
  }

  @Test
  void splitsTransformExpandsEveryFileIntoItsRowGroups() throws IOException {
    List<ParquetColumns.Split> expected = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      Path f = dir.resolve("part-" + k + ".parquet");
      OddParquet.write(
          f,
          OddParquet.Events.random(10 + k, 5_000 * (k + 1), 1_000, 50),
          new OddParquet.Shape().rowGroupBytes(16 << 10).withEmptyRowGroup());
      expected.addAll(splits(f));
    }
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<ParquetColumns.Split> got =
        p.apply(FileIO.match().filepattern(dir.resolve("part-*.parquet").toString()))
            .apply(FileIO.readMatches())
            .apply(ParquetColumns.splits());
    PAssert.that(got).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
