package io.rusket.beam.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smile.association.FPGrowth;
import smile.association.FPTree;

/**
 * Smile 3.1.1 FP-Growth as a command line, for suite {@code cli} ({@link CliSuite}): {@code java
 * -cp SMILE_JARS:test-classes io.rusket.beam.bench.SmileCliChild FILE MINCOUNT} reads a FIMI basket
 * file (integers separated by blanks, one transaction per line; Smile has no reader for it, so a
 * plain byte parser, as a user would write), mines it with {@code FPTree.of(minCount, int[][])} and
 * {@code FPGrowth.apply}, counts the itemsets and prints {@code transactions=N itemsets=K}. Uses
 * nothing of this project, so its JVM loads only Smile's classes and this one.
 */
public final class SmileCliChild {
  private SmileCliChild() {}

  public static void main(String[] args) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(args[0]));
    int minCount = Integer.parseInt(args[1]);
    List<int[]> rows = new ArrayList<>();
    int[] row = new int[64];
    int n = 0;
    int value = 0;
    boolean inNumber = false;
    for (int i = 0; i <= bytes.length; i++) {
      int c = i < bytes.length ? bytes[i] : '\n';
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        inNumber = true;
        continue;
      }
      if (inNumber) {
        if (n == row.length) {
          row = Arrays.copyOf(row, 2 * n);
        }
        row[n++] = value;
        value = 0;
        inNumber = false;
      }
      if (c == '\n' && (i < bytes.length || n > 0)) {
        rows.add(Arrays.copyOf(row, n));
        n = 0;
      }
    }
    int[][] transactions = rows.toArray(new int[0][]);
    long[] itemsets = {0};
    FPGrowth.apply(FPTree.of(minCount, transactions)).forEach(s -> itemsets[0]++);
    System.out.println("transactions=" + transactions.length + " itemsets=" + itemsets[0]);
  }
}
