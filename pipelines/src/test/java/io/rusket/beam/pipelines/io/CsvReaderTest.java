package io.rusket.beam.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one CSV reader: RFC 4180 details (from the two hand-written parsers it replaces), line
 * numbers, strict UTF-8, and errors naming the source and line.
 */
class CsvReaderTest {
  private static CsvReader open(byte[] bytes) throws IOException {
    return CsvReader.open(new ByteArrayInputStream(bytes), "in.csv");
  }

  /** The header, then each record with the line it starts on. */
  private static List<String> read(String content) throws IOException {
    return read(content.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> read(byte[] content) throws IOException {
    List<String> out = new ArrayList<>();
    try (CsvReader r = open(content)) {
      out.add(String.join("|", r.header()));
      while (r.next()) {
        String[] fields = new String[r.header().size()];
        for (int j = 0; j < fields.length; j++) {
          fields[j] = r.get(j);
        }
        out.add(r.line() + ":" + String.join("|", fields));
      }
    }
    return out;
  }

  private static String fails(String content) {
    return fails(content.getBytes(StandardCharsets.UTF_8));
  }

  private static String fails(byte[] content) {
    return assertThrows(IllegalArgumentException.class, () -> read(content)).getMessage();
  }

  @Test
  void crlfBomBlankLinesAndNoFinalLineBreak() throws IOException {
    assertEquals(
        List.of("t|i", "2:1|a", "5:2|b", "6:1|b"), read("\uFEFFt,i\r\n1,a\r\n\r\n\n2,b\r\n1,b"));
    assertEquals(List.of("t|i", "2:1|a", "3:2|b"), read("t,i\r1,a\r2,b\r"));
  }

  @Test
  void quotedFieldsHoldCommasQuotesAndLineBreaks() throws IOException {
    assertEquals(
        List.of("t|i|note", "2:1|a, \"b\"|x\r\ny", "4:1||z", "5:2|  c |q\"r"),
        read("t,i,note\n\"1\",\"a, \"\"b\"\"\",\"x\r\ny\"\n1,\"\",z\n2,  c ,q\"r\n"));
  }

  @Test
  void headerOnly() throws IOException {
    assertEquals(List.of("t|i"), read("t,i\n"));
  }

  @Test
  void nonEmptyNamesTheColumn() throws IOException {
    try (CsvReader r = open("t,i\n1,a\n,b\n".getBytes(StandardCharsets.UTF_8))) {
      int t = r.column("t", "--txnCol");
      r.next();
      assertEquals("1", r.nonEmpty(t));
      r.next();
      assertEquals(
          "in.csv line 3: column 't' is empty",
          assertThrows(IllegalArgumentException.class, () -> r.nonEmpty(t)).getMessage());
      assertEquals(
          "column 'x' (--itemCol) not found; the columns of in.csv are: t, i",
          assertThrows(IllegalArgumentException.class, () -> r.column("x", "--itemCol"))
              .getMessage());
    }
  }

  @Test
  void errorsNameTheSourceAndLine() {
    assertEquals(
        "in.csv line 4: malformed CSV: invalid char between encapsulated token and delimiter",
        fails("t,i\n1,\"a\nb\"\n2,\"c\"x\n"));
    assertEquals(
        "in.csv line 2: malformed CSV: EOF reached before encapsulated token finished",
        fails("t,i\n1,\"a\n2,b\n"));
    assertEquals(
        "in.csv line 4: expected 2 fields, as in the header, but found 3",
        fails("t,i\r\n1,a\r\n\r\n2,b,c\r\n"));
    assertEquals(
        "in.csv line 2: expected 2 fields, as in the header, but found 1", fails("t,i\nx\n"));
    assertEquals("in.csv is empty: a CSV file needs a header row naming its columns", fails(""));
    assertEquals(
        "in.csv is empty: a CSV file needs a header row naming its columns", fails("\n\r\n"));
    assertEquals("in.csv line 1: column 't' appears twice in the header", fails("t,i,t\n1,a,1\n"));
    assertEquals(
        "in.csv line 2: column 2 of the header has no name; header: t,,i", fails("\nt,,i\n"));
  }

  /** Regression (issue 9): invalid UTF-8 was decoded as U+FFFD, merging distinct items. */
  @Test
  void invalidUtf8NamesTheLineOfTheBadByte() {
    byte[] latin1 = "t,i\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("in.csv line 2: invalid UTF-8 (byte 0xE9 at column 6)", fails(latin1));
    // A truncated sequence at the end of the input.
    byte[] truncated = Arrays.copyOf("t,i\n1,\u00e9".getBytes(StandardCharsets.UTF_8), 7);
    assertEquals("in.csv line 2: invalid UTF-8 (byte 0xC3 at column 3)", fails(truncated));
    // Far into the file, past the decoder's and the parser's buffers, inside a quoted field.
    StringBuilder sb = new StringBuilder("t,i\n");
    for (int k = 0; k < 20_000; k++) {
      sb.append(k).append(",caf\u00e9 \u2603\n");
    }
    sb.append("x,\"multi\nline ");
    byte[] good = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] bad = Arrays.copyOf(good, good.length + 3);
    bad[good.length] = (byte) 0xFF;
    bad[good.length + 1] = '"';
    bad[good.length + 2] = '\n';
    assertEquals("in.csv line 20003: invalid UTF-8 (byte 0xFF at column 6)", fails(bad));
  }

  /** Multi-byte characters split across buffer boundaries decode intact. */
  @Test
  void multiByteCharactersAcrossBuffers() throws IOException {
    StringBuilder sb = new StringBuilder("t,i\n");
    List<String> want = new ArrayList<>(List.of("t|i"));
    for (int k = 0; k < 30_000; k++) {
      String item = "\u00e9\u2603\uD83D\uDE00" + k;
      sb.append(k).append(',').append(item).append('\n');
      want.add((k + 2) + ":" + k + "|" + item);
    }
    assertEquals(want, read(sb.toString()));
  }
}
