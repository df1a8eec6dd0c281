package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.testing.Datasets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code mine}, run in-process through {@link Main#run}. */
class MineCommandTest {
  /** Three baskets; at minSupport 0.5 (count >= 2): a:2 b:3 c:2 ab:2 bc:2. */
  private static final String ABC = "a b c\na b\nb c\n";

  private static final Map<List<String>, Long> ABC_ITEMSETS =
      Map.of(
          List.of("a"), 2L,
          List.of("b"), 3L,
          List.of("c"), 2L,
          List.of("a", "b"), 2L,
          List.of("b", "c"), 2L);

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------
  // Results

  @Test
  void summaryOnlyCountsWithoutOutput() throws IOException {
    Path in = file("abc.dat", ABC);
    Map<String, Long> s = Cli.run("mine", "--input=" + in, "--minSupport=0.5").summary();
    assertEquals(List.of("transactions", "items", "itemsets", "millis"), List.copyOf(s.keySet()));
    assertEquals(3, s.get("transactions"));
    assertEquals(3, s.get("items"));
    assertEquals(5, s.get("itemsets"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(in), files.collect(Collectors.toList()), "nothing written");
    }
  }

  @Test
  void jsonLinesParseBack() throws IOException {
    Path in = file("abc.dat", ABC);
    Path out = dir.resolve("out.jsonl");
    Map<String, Long> s =
        Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + out).summary();
    List<Map<String, Object>> rows = jsonLines(out);
    assertEquals(s.get("itemsets"), rows.size());
    Map<List<String>, Long> got = new HashMap<>();
    for (Map<String, Object> row : rows) {
      assertEquals(List.of("support", "count", "itemsets"), List.copyOf(row.keySet()));
      long count = (Long) row.get("count");
      assertEquals(count / 3.0, (Double) row.get("support"));
      got.put(strings(row.get("itemsets")), count);
    }
    assertEquals(ABC_ITEMSETS, got);
  }

  @Test
  void csvOutput() throws IOException {
    Path in = file("abc.dat", ABC);
    Path out = dir.resolve("out.csv");
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + out).summary();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals("support,count,itemsets", lines.get(0));
    Set<String> expected =
        ABC_ITEMSETS.entrySet().stream()
            .map(e -> e.getValue() / 3.0 + "," + e.getValue() + "," + String.join("|", e.getKey()))
            .collect(Collectors.toSet());
    assertEquals(expected, Set.copyOf(lines.subList(1, lines.size())));
    assertEquals(ABC_ITEMSETS.size() + 1, lines.size());
  }

  @Test
  void outputFormatOverridesTheExtension() throws IOException {
    Path in = file("abc.dat", ABC);
    Path txt = dir.resolve("out.txt");
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + txt, "--outputFormat=csv")
        .summary();
    assertTrue(Files.readString(txt).startsWith("support,count,itemsets\n"));
    Path json = dir.resolve("OUT.JSON");
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + json).summary();
    assertEquals(ABC_ITEMSETS.size(), jsonLines(json).size());
  }

  @Test
  void namesAreEscapedInJsonAndQuotedInCsv() throws IOException {
    List<String> names =
        List.of(
            "quote\"d",
            "back\\slash",
            "comma,here",
            "line\nbreak",
            "cr\rhere",
            "tab\there",
            "ctrl\u0001",
            "ünïcødé ☕",
            "pipe|name",
            " padded ",
            "NONE");
    StringBuilder csv = new StringBuilder("txn,item\n");
    for (String n : names) {
      csv.append("t1,\"").append(n.replace("\"", "\"\"")).append("\"\n");
    }
    Path in = file("names.csv", csv.toString());
    Path json = dir.resolve("out.jsonl");
    String[] common = {"mine", "--input=" + in, "--txnCol=txn", "--itemCol=item", "--minCount=1"};
    Cli.run(concat(common, "--maxLen=1", "--output=" + json)).summary();
    assertEquals(
        Set.copyOf(names),
        jsonLines(json).stream()
            .map(row -> strings(row.get("itemsets")).get(0))
            .collect(Collectors.toSet()));

    Path csvOut = dir.resolve("out.csv");
    Cli.run(concat(common, "--maxLen=2", "--output=" + csvOut)).summary();
    String written = Files.readString(csvOut, StandardCharsets.UTF_8);
    for (String quoted :
        new String[] {
          ",\"quote\"\"d\"\n", ",back\\slash\n", ",\"comma,here\"\n", ",\"line\nbreak\"\n",
          ",\"cr\rhere\"\n", ",ünïcødé ☕\n", ",pipe|name\n", ", padded \n",
          ",\"quote\"\"d|back\\slash\"\n", ",back\\slash|ünïcødé ☕\n"
        }) {
      assertTrue(written.contains(quoted), () -> quoted + " in\n" + written);
    }
  }

  @Test
  void longFormatCsvInput() throws IOException {
    String rows =
        "txn,item,qty\n"
            + "T2,milk,1\n"
            + "T1,bread,2\n"
            + "T2,bread,1\n"
            + "T1,bread,1\n"
            + "T3,milk,1\n"
            + "\"T1\",\"butter\",1\n"
            + "01,milk,1\n"
            + "1,milk,1\n";
    Path in = file("pairs.CSV", rows);
    Path out = dir.resolve("out.jsonl");
    Map<String, Long> s =
        Cli.run(
                "mine",
                "--input=" + in,
                "--txnCol=txn",
                "--itemCol=item",
                "--minCount=2",
                "--output=" + out)
            .summary();
    assertEquals(5, s.get("transactions"), "T1 T2 T3 01 1: ids are strings");
    assertEquals(3, s.get("items"));
    Map<List<String>, Long> got = new HashMap<>();
    for (Map<String, Object> row : jsonLines(out)) {
      got.put(strings(row.get("itemsets")), (Long) row.get("count"));
    }
    assertEquals(Map.of(List.of("milk"), 4L, List.of("bread"), 2L), got);
  }

  @Test
  void formatOptionOverridesTheExtension() throws IOException {
    Path in = file("pairs.txt", "t,i\n1,a\n2,a\n");
    Map<String, Long> s =
        Cli.run(
                "mine",
                "--input=" + in,
                "--format=csv",
                "--txnCol=t",
                "--itemCol=i",
                "--minSupport=1")
            .summary();
    assertEquals(2, s.get("transactions"));
    assertEquals(1, s.get("itemsets"));
    Path baskets = file("baskets.csv", "a b\nb\n");
    s = Cli.run("mine", "--input=" + baskets, "--format=baskets", "--minSupport=1").summary();
    assertEquals(2, s.get("transactions"));
    assertEquals(1, s.get("itemsets"));
  }

  @Test
  void minCountEqualsTheMatchingMinSupport() throws IOException {
    Path in = file("abc.dat", ABC);
    Path bySupport = dir.resolve("s.jsonl");
    Path byCount = dir.resolve("c.jsonl");
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + bySupport).summary();
    Cli.run("mine", "--input=" + in, "--minCount=2", "--output=" + byCount).summary();
    assertEquals(Files.readString(bySupport), Files.readString(byCount));
  }

  @Test
  void maxLenOne() throws IOException {
    Path in = file("abc.dat", ABC);
    assertEquals(
        3,
        Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--maxLen=1")
            .summary()
            .get("itemsets"));
  }

  @Test
  void emptyInput() throws IOException {
    Path in = file("empty.dat", "");
    Path out = dir.resolve("out.csv");
    Map<String, Long> s =
        Cli.run("mine", "--input=" + in, "--minSupport=0.1", "--output=" + out).summary();
    assertEquals(
        List.of(0L, 0L, 0L), List.of(s.get("transactions"), s.get("items"), s.get("itemsets")));
    assertEquals("support,count,itemsets\n", Files.readString(out));
  }

  @Test
  void methodsAndThreadsAgree() throws IOException {
    Random random = new Random(42);
    StringBuilder sb = new StringBuilder();
    for (int t = 0; t < 300; t++) {
      int len = 1 + random.nextInt(8);
      for (int k = 0; k < len; k++) {
        sb.append(k > 0 ? " " : "").append("i").append((int) Math.sqrt(random.nextInt(400)));
      }
      sb.append('\n');
    }
    Path in = file("random.dat", sb.toString());
    Map<String, String> outputs = new TreeMap<>();
    for (String method : new String[] {"fpgrowth", "eclat", "auto"}) {
      for (int threads = 1; threads <= 2; threads++) {
        Path out = dir.resolve(method + threads + ".csv");
        Cli.run(
                "mine",
                "--input=" + in,
                "--minSupport=0.02",
                "--method=" + method,
                "--threads=" + threads,
                "--output=" + out)
            .summary();
        outputs.put(method + threads, Files.readString(out));
      }
    }
    for (String method : new String[] {"fpgrowth", "eclat", "auto"}) {
      assertEquals(outputs.get(method + 1), outputs.get(method + 2), method + ": same bytes");
    }
    assertEquals(sortedLines(outputs.get("fpgrowth1")), sortedLines(outputs.get("eclat1")));
    assertTrue(outputs.get("fpgrowth1").lines().count() > 50);
  }

  @Test
  void retailReference() throws IOException {
    Path retail = Datasets.require("retail.dat");
    Path out = dir.resolve("retail.jsonl");
    Map<String, Long> s =
        Cli.run("mine", "--input=" + retail, "--minSupport=0.01", "--output=" + out).summary();
    assertEquals(88162, s.get("transactions"));
    assertEquals(16470, s.get("items"));
    assertEquals(159, s.get("itemsets"));
    long[] byLength = new long[4];
    for (Map<String, Object> row : jsonLines(out)) {
      byLength[strings(row.get("itemsets")).size() - 1]++;
    }
    assertArrayEquals(new long[] {70, 58, 25, 6}, byLength);
  }

  /** Counts from a brute-force Python oracle over the same file (N = 9531). */
  @Test
  void bakeryCsv() throws IOException {
    Path bakery = Datasets.require("bread-basket.csv");
    String[] common = {"mine", "--input=" + bakery, "--txnCol=Transaction", "--itemCol=Item"};
    Map<String, Long> s = Cli.run(concat(common, "--minSupport=0.01")).summary();
    assertEquals(9531, s.get("transactions"));
    assertEquals(95, s.get("items"));
    assertEquals(63, s.get("itemsets"));

    Path out = dir.resolve("bakery.jsonl");
    assertEquals(
        12,
        Cli.run(concat(common, "--minSupport=0.05", "--output=" + out)).summary().get("itemsets"));
    Map<Set<String>, Long> pairs = new HashMap<>();
    for (Map<String, Object> row : jsonLines(out)) {
      List<String> items = strings(row.get("itemsets"));
      if (items.size() == 2) {
        pairs.put(Set.copyOf(items), (Long) row.get("count"));
      }
    }
    assertEquals(Map.of(Set.of("Bread", "Coffee"), 852L, Set.of("Cake", "Coffee"), 518L), pairs);
  }

  // ---------------------------------------------------------------------------------------------
  // User mistakes: one "error: " line, exit code 2

  static Stream<Arguments> badOptions() {
    return Stream.of(
        bad("Invalid minSupport: 2.0. Valid range is (0, 1].", "--minSupport=2"),
        bad("Invalid minSupport: 0.0. Valid range is (0, 1].", "--minSupport=0"),
        bad("Invalid --minSupport: abc (expected a number)", "--minSupport=abc"),
        bad("Invalid maxLen: 0. Valid range is [1, 2147483647].", "--minSupport=0.5", "--maxLen=0"),
        bad(
            "Invalid --maxLen: two (expected an integer up to 2147483647)",
            "--minSupport=0.5",
            "--maxLen=two"),
        bad("Invalid minCount: 0. Valid range is [1, 2147483647].", "--minCount=0"),
        bad("Invalid --minCount: 1.5 (expected an integer)", "--minCount=1.5"),
        bad(
            "Invalid threads: 0. Valid range is [1, 2147483647].",
            "--minSupport=0.5",
            "--threads=0"),
        bad(
            "Invalid --threads: x (expected an integer up to 2147483647)",
            "--minSupport=0.5",
            "--threads=x"),
        bad(
            "Invalid method: apriori. Valid values are auto, fpgrowth, eclat.",
            "--minSupport=0.5",
            "--method=apriori"),
        bad("missing --minSupport=S (or --minCount=K)"),
        bad("give --minSupport or --minCount, not both", "--minSupport=0.5", "--minCount=2"),
        bad(
            "unknown option --minsupport for mine (did you mean --minSupport?); see mine --help",
            "--minsupport=0.5"),
        bad("unknown option --support for mine; see mine --help", "--support=0.5"),
        bad("--minSupport is given more than once", "--minSupport=0.5", "--minSupport=0.4"),
        bad("--minSupport needs a value: --minSupport=S", "--minSupport"),
        bad("--minSupport needs a value: --minSupport=S", "--minSupport="),
        bad(
            "unexpected argument '0.5' for mine: options are written --name=value",
            "--minSupport=0.5",
            "0.5"),
        bad(
            "Invalid --format: parquet. Valid values are baskets, csv.",
            "--minSupport=0.5",
            "--format=parquet"),
        bad("--outputFormat needs --output=FILE", "--minSupport=0.5", "--outputFormat=csv"),
        bad(
            "Invalid --outputFormat: xml. Valid values are jsonl, csv.", "--minSupport=0.5",
            "--output=x.csv", "--outputFormat=xml"),
        bad(
            "cannot tell the format of --output=out.txt from its extension: name it .jsonl,"
                + " .json or .csv, or add --outputFormat=jsonl|csv",
            "--minSupport=0.5",
            "--output=out.txt"));
  }

  private static Arguments bad(String message, String... options) {
    return Arguments.of(message, options);
  }

  @ParameterizedTest
  @MethodSource("badOptions")
  void badOptionIsOneErrorLine(String message, String[] options) throws IOException {
    Path in = file("abc.dat", ABC);
    Cli.run(concat(new String[] {"mine", "--input=" + in}, options)).assertUsageError(message);
  }

  @Test
  void optionsAreCheckedBeforeTheInputIsRead() {
    Path missing = dir.resolve("missing.dat");
    Cli.run("mine", "--input=" + missing, "--minSupport=2")
        .assertUsageError("Invalid minSupport: 2.0. Valid range is (0, 1].");
  }

  @Test
  void missingInputOption() {
    Cli.run("mine", "--minSupport=0.5").assertUsageError("missing --input=FILE");
  }

  @Test
  void missingInputFile() {
    Path missing = dir.resolve("no/such.dat");
    Cli.run("mine", "--input=" + missing, "--minSupport=0.5")
        .assertUsageError("input file not found: " + missing);
    Cli.run("mine", "--input=" + dir, "--minSupport=0.5")
        .assertUsageError("input is not a file: " + dir);
  }

  @Test
  void malformedCsvNamesFileAndLine() throws IOException {
    Path in = file("bad.csv", "txn,item,qty\n1,a,1\n\"2\",\"b\nc\",1\n3,d\n");
    Cli.run("mine", "--input=" + in, "--txnCol=txn", "--itemCol=item", "--minSupport=0.5")
        .assertUsageError(in + " line 5: expected 3 fields, as in the header, but found 2");
    Path quote = file("quote.csv", "txn,item\r\n1,a\r\n2,\"b\r\n");
    Cli.run("mine", "--input=" + quote, "--txnCol=txn", "--itemCol=item", "--minSupport=0.5")
        .assertUsageError(
            quote + " line 3: malformed CSV: EOF reached before encapsulated token finished");
  }

  @Test
  void missingCsvColumnListsTheColumns() throws IOException {
    Path in = file("pairs.csv", "Date,Transaction,Item\n1,2,a\n");
    Cli.run("mine", "--input=" + in, "--txnCol=Transaction", "--itemCol=Itm", "--minSupport=0.5")
        .assertUsageError(
            "column 'Itm' (--itemCol) not found; the columns of "
                + in
                + " are: Date, Transaction, Item");
    Cli.run("mine", "--input=" + in, "--itemCol=Item", "--minSupport=0.5")
        .assertUsageError(
            "missing --txnCol=NAME, the column of transaction ids; the columns of "
                + in
                + " are: Date, Transaction, Item");
  }

  @Test
  void emptyCsvValue() throws IOException {
    Path in = file("pairs.csv", "t,i\n1,a\n2,\n");
    Cli.run("mine", "--input=" + in, "--txnCol=t", "--itemCol=i", "--minSupport=0.5")
        .assertUsageError(in + " line 3: column 'i' is empty");
  }

  /** Regression (issue 9): {@code mine --output} equal to {@code --input} overwrote the input. */
  @Test
  void outputThatIsTheInputIsRefused() throws IOException {
    Path in = file("abc.dat", ABC);
    String message =
        "--output is the input file "
            + in
            + ": writing it would destroy the input; choose"
            + " another --output";
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + in, "--outputFormat=csv")
        .assertUsageError(message);
    Path sub = Files.createDirectories(dir.resolve("sub"));
    Path roundabout = sub.resolve("../abc.dat");
    Cli.run(
            "mine",
            "--input=" + in,
            "--minSupport=0.5",
            "--output=" + roundabout,
            "--outputFormat=csv")
        .assertUsageError(message);
    // Through a symbolic link: baskets in a file named like an output.
    Path named = file("baskets.jsonl", ABC);
    Path link = Files.createSymbolicLink(dir.resolve("link.dat"), named);
    Cli.run(
            "mine",
            "--input=" + link,
            "--minSupport=0.5",
            "--rules",
            "--rulesOutput=" + sub.resolve("../baskets.jsonl"))
        .assertUsageErrorContaining("--rulesOutput is the input file " + link);
    assertEquals(ABC, Files.readString(in), "the input is untouched");
    assertEquals(ABC, Files.readString(named), "the input is untouched");
  }

  /** Regression (issue 9): {@code mine} on a .gz file mined the compressed bytes as text. */
  @Test
  void gzippedInputIsDecompressed() throws IOException {
    Path gz = dir.resolve("abc.dat.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(ABC.getBytes(StandardCharsets.UTF_8));
    }
    Map<String, Long> s = Cli.run("mine", "--input=" + gz, "--minSupport=0.5").summary();
    assertEquals(3, s.get("transactions"));
    assertEquals(3, s.get("items"));
    assertEquals(5, s.get("itemsets"));
    Path csvGz = dir.resolve("pairs.csv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(csvGz))) {
      o.write("t,i\n1,a\n1,b\n2,a\n".getBytes(StandardCharsets.UTF_8));
    }
    s =
        Cli.run("mine", "--input=" + csvGz, "--txnCol=t", "--itemCol=i", "--minSupport=1")
            .summary();
    assertEquals(2, s.get("transactions"));
    assertEquals(1, s.get("itemsets"));
    // gzip is recognised by its magic bytes, not the name: text named .gz is text.
    Path plain = file("plain.dat.gz", ABC);
    assertEquals(
        5, Cli.run("mine", "--input=" + plain, "--minSupport=0.5").summary().get("itemsets"));
    byte[] bytes = Files.readAllBytes(csvGz);
    Path truncated = Files.write(dir.resolve("truncated.csv.gz"), Arrays.copyOf(bytes, 15));
    Cli.run("mine", "--input=" + truncated, "--txnCol=t", "--itemCol=i", "--minSupport=1")
        .assertUsageErrorContaining("cannot read " + truncated + ": ");
    Path truncatedBaskets = Files.write(dir.resolve("truncated.dat.gz"), Arrays.copyOf(bytes, 15));
    Cli.run("mine", "--input=" + truncatedBaskets, "--minSupport=1")
        .assertUsageErrorContaining(truncatedBaskets + ": corrupt gzip data");
  }

  /**
   * Regression (issue 9): invalid UTF-8 became U+FFFD, so caf\xe9 and caf\xe8 were one item; random
   * bytes were mined as text. Both fail naming the file and line.
   */
  @Test
  void invalidUtf8FailsNamingFileAndLine() throws IOException {
    Path latin1 = dir.resolve("latin1.dat");
    Files.write(latin1, "tea\ncaf\u00e9 tea\ncaf\u00e8\n".getBytes(StandardCharsets.ISO_8859_1));
    Cli.run("mine", "--input=" + latin1, "--minSupport=0.5")
        .assertUsageError(latin1 + " line 2: invalid UTF-8 (byte 0xE9 at column 4)");
    Path csv = dir.resolve("latin1.csv");
    Files.write(csv, "t,i\n1,tea\n2,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Cli.run("mine", "--input=" + csv, "--txnCol=t", "--itemCol=i", "--minSupport=0.5")
        .assertUsageError(csv + " line 3: invalid UTF-8 (byte 0xE9 at column 6)");
    byte[] noise = new byte[100_000];
    new Random(9).nextBytes(noise);
    Path random = Files.write(dir.resolve("random.bin"), noise);
    Cli.run("mine", "--input=" + random, "--minSupport=0.5")
        .assertUsageErrorContaining(random + " line ");
    // Valid multi-byte names far into a file, split across read buffers, are read intact.
    StringBuilder big = new StringBuilder();
    for (int t = 0; t < 40_000; t++) {
      big.append("caf\u00e9 \u2603").append(t % 3).append('\n');
    }
    Path ok = file("utf8.dat", big.toString());
    Map<String, Long> s = Cli.run("mine", "--input=" + ok, "--minSupport=0.3").summary();
    assertEquals(40_000, s.get("transactions"));
    assertEquals(4, s.get("items"));
  }

  /** Regression (issue 9): one column for both transactions and items was accepted. */
  @Test
  void oneColumnForTransactionsAndItemsIsRefused() throws IOException {
    Path in = file("pairs.csv", "txn,item\n1,a\n");
    Cli.run("mine", "--input=" + in, "--txnCol=item", "--itemCol=item", "--minSupport=0.5")
        .assertUsageError(
            "--txnCol and --itemCol name the same column 'item'; a transaction and its items need"
                + " a column each");
  }

  /** CSV values are the text written: 0012, 012 and 12 are three items (as in grouped). */
  @Test
  void csvItemsWithLeadingZerosAreDistinct() throws IOException {
    StringBuilder sb = new StringBuilder("txn,item\n");
    for (int t = 0; t < 8; t++) {
      sb.append(t).append(',').append(t < 4 ? "0012" : "12").append('\n');
      sb.append(t).append(',').append(t < 4 ? "7" : "8").append('\n');
    }
    Path in = file("zeros.csv", sb.toString());
    Map<String, Long> s =
        Cli.run("mine", "--input=" + in, "--txnCol=txn", "--itemCol=item", "--minSupport=0.6")
            .summary();
    assertEquals(8, s.get("transactions"));
    assertEquals(4, s.get("items"));
    assertEquals(0, s.get("itemsets"));
  }

  @Test
  void csvOptionsOnBasketsInput() throws IOException {
    Path in = file("abc.dat", ABC);
    Cli.run("mine", "--input=" + in, "--txnCol=t", "--minSupport=0.5")
        .assertUsageError(
            "--txnCol applies to CSV input only; add --format=csv to read " + in + " as CSV");
  }

  @Test
  void missingOutputDirectoriesAreCreated() throws IOException {
    Path in = file("abc.dat", ABC);
    Path out = dir.resolve("new/sub/dir/out.jsonl");
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + out).summary();
    org.junit.jupiter.api.Assertions.assertTrue(Files.size(out) > 0, out + " written");
  }

  @Test
  void unwritableOutput() throws IOException {
    Path in = file("abc.dat", ABC);
    Path notADir = file("plain.txt", "x");
    Path out = notADir.resolve("out.jsonl");
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + out)
        .assertUsageError("cannot write " + out + ": not a directory: " + notADir);
  }

  @Test
  void failedWriteNamesTheFile() throws IOException {
    Path full = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.exists(full), "needs /dev/full (Linux)");
    Path in = file("abc.dat", ABC);
    Cli.run("mine", "--input=" + in, "--minSupport=0.5", "--output=" + full, "--outputFormat=jsonl")
        .assertUsageError("cannot write /dev/full: No space left on device");
  }

  // ---------------------------------------------------------------------------------------------

  private static List<Map<String, Object>> jsonLines(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      rows.add(MiniJson.object(line));
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object jsonArray) {
    return (List<String>) jsonArray;
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static List<String> sortedLines(String s) {
    return s.lines().sorted().collect(Collectors.toList());
  }
}
