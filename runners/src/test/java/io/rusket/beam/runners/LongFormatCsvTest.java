package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rusket.beam.miner.TransactionDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading long-format CSV: RFC 4180 details, numbering, and errors naming file and line. */
class LongFormatCsvTest {
  @TempDir Path dir;

  private TransactionDb read(String content, String txnCol, String itemCol) throws IOException {
    Path file = Files.writeString(dir.resolve("in.csv"), content, StandardCharsets.UTF_8);
    return LongFormatCsv.read(file, txnCol, itemCol);
  }

  private UsageException fails(String content, String txnCol, String itemCol) {
    return assertThrows(UsageException.class, () -> read(content, txnCol, itemCol));
  }

  /** Transaction t's items by name, in item-id order. */
  private static List<List<String>> baskets(TransactionDb db) {
    List<List<String>> out = new ArrayList<>();
    for (int t = 0; t < db.size(); t++) {
      List<String> names = new ArrayList<>();
      for (int item : db.transaction(t)) {
        names.add(db.itemName(item));
      }
      out.add(names);
    }
    return out;
  }

  @Test
  void transactionsAndItemsNumberedByFirstAppearance() throws IOException {
    TransactionDb db =
        read("item,txn\nz,B\ny,A\nx,B\nz,A\nz,B\ny,C\n", "txn", "item");
    assertEquals(List.of(List.of("z", "x"), List.of("z", "y"), List.of("y")), baskets(db));
    assertEquals(List.of("z", "y", "x"), List.of(db.itemNames()));
  }

  @Test
  void crlfBomBlankLinesAndNoFinalLineBreak() throws IOException {
    TransactionDb db = read("\uFEFFt,i\r\n1,a\r\n\r\n\n2,b\r\n1,b", "t", "i");
    assertEquals(List.of(List.of("a", "b"), List.of("b")), baskets(db));
  }

  @Test
  void quotedFieldsHoldCommasQuotesAndLineBreaks() throws IOException {
    TransactionDb db =
        read("t,i,note\n\"1\",\"a, \"\"b\"\"\",\"x\r\ny\"\n1,\"\",z\n", "t", "note");
    assertEquals(List.of(List.of("x\r\ny", "z")), baskets(db));
    db = read("t,i\n1,\"a, \"\"b\"\"\"\n1,  c \n", "t", "i");
    assertEquals(List.of(List.of("a, \"b\"", "  c ")), baskets(db));
  }

  @Test
  void headerOnly() throws IOException {
    TransactionDb db = read("t,i\n", "t", "i");
    assertEquals(0, db.size());
    assertEquals(0, db.nItems());
  }

  @Test
  void errorsNameTheFileAndLine() {
    Path file = dir.resolve("in.csv");
    String at = "malformed CSV in " + file + " at line ";
    assertEquals(
        at + "3: a quote inside an unquoted field; quote the whole field and double the quote",
        fails("t,i\n1,a\n2,b\"c\n", "t", "i").getMessage());
    assertEquals(
        at + "4: 'x' after a closing quote; expected a comma or a line end",
        fails("t,i\n1,\"a\nb\"\n2,\"c\"x\n", "t", "i").getMessage());
    assertEquals(
        at + "2: a quoted field is never closed",
        fails("t,i\n1,\"a\n2,b\n", "t", "i").getMessage());
    assertEquals(
        at + "4: expected 2 fields, as in the header, but found 3",
        fails("t,i\r\n1,a\r\n\r\n2,b,c\r\n", "t", "i").getMessage());
    assertEquals(
        file + " is empty: a CSV file needs a header row naming its columns",
        fails("", "t", "i").getMessage());
    assertEquals(
        "column 't' (--txnCol) appears more than once in the header of " + file,
        fails("t,i,t\n1,a,1\n", "t", "i").getMessage());
    assertEquals(
        "missing --itemCol=NAME, the column of items; the columns of " + file + " are: t, i",
        fails("t,i\n1,a\n", "t", null).getMessage());
    assertEquals(
        "empty value in column t at " + file + " line 3: every row needs a transaction id and an"
            + " item",
        fails("t,i\n1,a\n,b\n", "t", "i").getMessage());
  }
}
