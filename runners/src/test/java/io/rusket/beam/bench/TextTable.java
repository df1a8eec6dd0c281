package io.rusket.beam.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A fixed-width text table: a header row, a rule, then rows; text left, numbers right. */
final class TextTable {
  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> rightAligned = new ArrayList<>();
  private final List<String[]> rows = new ArrayList<>();

  /** Adds a left-aligned (text) column. */
  TextTable text(String header) {
    headers.add(header);
    rightAligned.add(false);
    return this;
  }

  /** Adds a right-aligned (number) column. */
  TextTable num(String header) {
    headers.add(header);
    rightAligned.add(true);
    return this;
  }

  /** Adds a row of at most one cell per column; missing cells at the end are blank. */
  void row(List<String> cells) {
    if (cells.size() > headers.size()) {
      throw new IllegalArgumentException(
          "Row has " + cells.size() + " cells but the table has " + headers.size() + " columns");
    }
    String[] r = new String[headers.size()];
    java.util.Arrays.fill(r, "");
    for (int i = 0; i < cells.size(); i++) {
      r[i] = cells.get(i);
    }
    rows.add(r);
  }

  void print(PrintStream out) {
    int n = headers.size();
    int[] w = new int[n];
    for (int c = 0; c < n; c++) {
      w[c] = headers.get(c).length();
      for (String[] r : rows) {
        w[c] = Math.max(w[c], r[c].length());
      }
    }
    out.println(line(headers.toArray(new String[0]), w));
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < n; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
    }
    out.println(rule);
    for (String[] r : rows) {
      out.println(line(r, w));
    }
  }

  private String line(String[] cells, int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        sb.append("  ");
      }
      String pad = " ".repeat(w[c] - cells[c].length());
      sb.append(rightAligned.get(c) ? pad + cells[c] : cells[c] + pad);
    }
    return sb.toString().stripTrailing();
  }
}
