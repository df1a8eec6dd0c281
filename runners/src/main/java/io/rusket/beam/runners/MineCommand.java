package io.rusket.beam.runners;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.ItemsetSink;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.Method;
import io.rusket.beam.miner.RuleMetric;
import io.rusket.beam.miner.RuleMiner;
import io.rusket.beam.miner.RuleSink;
import io.rusket.beam.miner.Target;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.pipelines.io.CsvReader;
import io.rusket.beam.runners.CliArgs.Option;
import io.rusket.beam.runners.RecordWriter.Format;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * {@code mine}: frequent itemsets of one file, on this machine, with {@link ItemsetMiner}.
 *
 * <p>Reads a basket file or a long-format CSV (gunzipped when it is gzip data; strict UTF-8; CSV
 * with the project's one CSV reader, {@link CsvReader}) into a {@link TransactionDb}, mines it,
 * streams the itemsets to {@code --output} (or only counts them) and prints one summary line:
 *
 * <pre>{@code transactions=N items=M itemsets=K millis=T}</pre>
 *
 * <p>T is the time from the start of mining to the end of writing, without reading the input. With
 * {@code --rules} it also derives association rules with {@link RuleMiner}, writes them to {@code
 * --rulesOutput} (or only counts them) and appends {@code rules=R} to the line. Every option is
 * checked before the input is read; an output that is the input file is refused.
 *
 * <p>Memory: the transactions must fit in the heap; the itemsets need not, they are streamed,
 * except with {@code --rules}, which derives rules from the collected itemsets.
 */
final class MineCommand implements Command {
  static final String NAME = "mine";

  private static final List<Option> OPTIONS =
      List.of(
          new Option("input", "FILE", "the transactions (required)"),
          new Option("format", "baskets|csv", "default: csv for .csv(.gz), else baskets"),
          new Option("txnCol", "NAME", "csv: the transaction column (required)"),
          new Option("itemCol", "NAME", "csv: the item column (required)"),
          new Option("minSupport", "S", "frequent iff count / N >= S; S in (0, 1]"),
          new Option("minCount", "K", "or: frequent iff count >= K"),
          new Option("maxLen", "N", "at most N items (default: any)"),
          new Option("method", "auto|fpgrowth|eclat", "the algorithm (default: auto)"),
          new Option("target", "all|closed|maximal", "which itemsets (default: all)"),
          new Option("topK", "K", "only the K of highest count (threshold then optional)"),
          new Option("minLen", "N", "at least N items (default: 1)"),
          new Option("threads", "N", "at most N mining threads (default: all cores)"),
          new Option("output", "FILE", "write the itemsets (default: only count them)"),
          new Option("outputFormat", "jsonl|csv", "default: from --output's extension"),
          Option.flag("rules", "also derive association rules"),
          new Option("metric", "NAME", "rules: the filter metric (default: confidence)"),
          new Option("minThreshold", "X", "rules: keep metric >= X (default: 0.8)"),
          new Option("rulesOutput", "FILE", "rules: write them, .jsonl/.json or .csv"));

  /** The rules' metric without {@code --metric}. */
  static final String DEFAULT_METRIC = "confidence";

  /** The rules' threshold without {@code --minThreshold}. */
  static final double DEFAULT_MIN_THRESHOLD = 0.8;

  private static final String[] ITEMSET_COLUMNS = {"support", "count", "itemsets"};

  /** Antecedents, consequents, then every metric in {@link RuleMetric#ordinal()} order. */
  private static final String[] RULE_COLUMNS = ruleColumns();

  private static String[] ruleColumns() {
    RuleMetric[] metrics = RuleMetric.values();
    String[] columns = new String[2 + metrics.length];
    columns[0] = "antecedents";
    columns[1] = "consequents";
    for (RuleMetric m : metrics) {
      columns[2 + m.ordinal()] = m.columnName();
    }
    return columns;
  }

  /** The input file formats. */
  enum InputFormat {
    BASKETS,
    CSV
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "frequent itemsets of one file, on this machine";
  }

  @Override
  public void printHelp(PrintStream out) {
    String jar = "java -jar " + Main.JAR;
    out.println("Usage: " + jar + " mine --input=FILE (--minSupport=S | --minCount=K) [options]");
    out.println();
    out.println("Mines the frequent itemsets of FILE and prints one line:");
    out.println("  transactions=N items=M itemsets=K millis=T");
    out.println("N transactions, M distinct items, K frequent itemsets, T milliseconds from the");
    out.println("start of mining to the end of writing (reading the input is not counted).");
    out.println("With --rules the line ends with rules=R, the number of rules kept.");
    out.println();
    out.println("Options:");
    for (Option o : OPTIONS) {
      out.printf("  %-30s %s%n", o.usage(), o.description());
    }
    out.println();
    out.println("Input formats:");
    out.println("  baskets  one transaction per line, items as tokens separated by spaces or");
    out.println("           tabs (FIMI format); an empty line is an empty transaction.");
    out.println("  csv      long format: one (transaction, item) pair per row; a header row");
    out.println("           names the columns; comma-separated, UTF-8, quoted per RFC 4180. A");
    out.println("           transaction's rows may be anywhere; a repeated item counts once.");
    out.println("           Values are taken verbatim (no trimming) and must not be empty.");
    out.println("  Either may be gzipped (e.g. events.csv.gz). The text must be UTF-8: anything");
    out.println("  else is an error naming the file and line.");
    out.println();
    out.println("Output formats (UTF-8, one itemset per line):");
    out.println("  jsonl    {\"support\":0.0123,\"count\":45,\"itemsets\":[\"a\",\"b\"]}");
    out.println("  csv      a header row support,count,itemsets, then e.g. 0.0123,45,a|b");
    out.println("           The items of an itemset are one field, their names joined by '|',");
    out.println("           quoted per RFC 4180 when they hold a comma, a quote or a line break.");
    out.println("           ('|' inside a name is written as is: use jsonl for such names.)");
    out.println("  support = count / N, written as Java's Double.toString (e.g. 1.0E-4). Items");
    out.println("  are written by name, in order of first appearance in the input.");
    out.println();
    out.println("Rules (--rules): every rule A -> C between frequent itemsets whose --metric");
    out.println("reaches --minThreshold. Metrics, also the columns after antecedents,consequents:");
    StringBuilder metrics = new StringBuilder(" ");
    for (int j = 2; j < RULE_COLUMNS.length; j++) {
      if (metrics.length() + RULE_COLUMNS[j].length() > 76) {
        out.println(metrics);
        metrics.setLength(1);
      }
      metrics.append(' ').append(RULE_COLUMNS[j]).append(j + 1 < RULE_COLUMNS.length ? "," : "");
    }
    out.println(metrics);
    out.println("--rulesOutput writes one rule per line, as jsonl or csv by its extension:");
    out.println(
        "  jsonl    {\"antecedents\":[\"a\"],\"consequents\":[\"b\"],\"antecedent_support\":0.5,");
    out.println("           ...,\"kulczynski\":0.75}");
    out.println(
        "  csv      a header row antecedents,consequents,antecedent_support,...,kulczynski;");
    out.println("           items joined by '|' as for itemsets.");
    out.println("  A value that is not finite (conviction is infinite when confidence is 1) is");
    out.println("  null in jsonl and inf (or -inf, nan) in csv. Rules need the itemsets in");
    out.println("  memory: with --rules they are collected rather than streamed.");
    out.println();
    out.println("Examples:");
    out.println("  " + jar + " mine --input=retail.dat --minSupport=0.01 --output=itemsets.jsonl");
    out.println(
        "  " + jar + " mine --input=bread-basket.csv --txnCol=Transaction --itemCol=Item \\");
    out.println("      --minSupport=0.02 --maxLen=2 --output=itemsets.csv");
    out.println(
        "  " + jar + " mine --input=bread-basket.csv --txnCol=Transaction --itemCol=Item \\");
    out.println(
        "      --minSupport=0.01 --rules --metric=lift --minThreshold=1.2"
            + " --rulesOutput=rules.jsonl");
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    CliArgs a = CliArgs.parse(NAME, OPTIONS, args);
    for (String option : List.of("input", "output", "rulesOutput")) {
      if (CliArgs.isRemote(a.string(option))) {
        throw new UsageException(
            "--"
                + option
                + ": "
                + a.string(option)
                + " is not on this machine: mine reads and writes local files (grouped and stream"
                + " read and write hdfs://, s3:// and gs://; or copy the file here first)");
      }
    }
    Path input = a.requiredPath("input");
    InputFormat inputFormat = inputFormat(a, input);
    ItemsetMiner miner = miner(a);
    RuleMiner rules = rules(a);
    if (rules != null && (miner.getTopK() != null || miner.getMinLen() > 1)) {
      throw new UsageException(
          "--rules needs every frequent itemset (or the closed ones), so not --topK or --minLen"
              + " above 1");
    }
    if (rules != null && miner.getTarget() != Target.ALL) {
      try {
        rules = rules.withInput(miner.getTarget()); // closed: supports recovered; maximal: refused
      } catch (IllegalArgumentException e) {
        throw new UsageException("--rules with --target=maximal: " + e.getMessage(), e);
      }
    }
    Path output = a.path("output");
    Format outputFormat = outputFormat(a, output);
    Path rulesOutput = a.path("rulesOutput");
    Format rulesFormat =
        rulesOutput == null ? null : Format.ofExtension("rulesOutput", rulesOutput, "");
    if (output != null
        && rulesOutput != null
        && output.toAbsolutePath().normalize().equals(rulesOutput.toAbsolutePath().normalize())) {
      throw new UsageException("--output and --rulesOutput are the same file: " + output);
    }
    checkInput(input);
    checkNotInput(input, output, "output");
    checkNotInput(input, rulesOutput, "rulesOutput");

    TransactionDb db = read(input, inputFormat, a.string("txnCol"), a.string("itemCol"));

    long start = System.nanoTime();
    long itemsets;
    long ruleCount = 0;
    String[] names = names(db);
    try (RecordWriter itemsetOut = open(output, outputFormat, names, ITEMSET_COLUMNS);
        RecordWriter ruleOut = open(rulesOutput, rulesFormat, names, RULE_COLUMNS)) {
      // Items of each written itemset in ascending item id (first appearance in the input), the
      // same order as the collected form used with --rules.
      ItemsetSink sink =
          itemsetOut == null
              ? (items, length, count) -> {}
              : ItemsetSink.sorted(itemsetRows(itemsetOut, db.size()));
      if (rules == null) {
        itemsets = miner.mine(db, sink);
      } else {
        Itemsets collected = miner.mine(db);
        collected.forEach(sink);
        itemsets = collected.size();
        ruleCount =
            rules.generate(
                collected, ruleOut == null ? (x, xLen, y, yLen, m) -> {} : ruleRows(ruleOut));
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    out.println(
        "transactions="
            + db.size()
            + " items="
            + db.nItems()
            + " itemsets="
            + itemsets
            + " millis="
            + millis
            + (rules == null ? "" : " rules=" + ruleCount));
    return Main.EXIT_OK;
  }

  private static InputFormat inputFormat(CliArgs a, Path input) {
    String value = a.string("format");
    InputFormat format;
    if (value == null) {
      String name = input.toString().toLowerCase(Locale.ROOT);
      boolean csv = name.endsWith(".csv") || name.endsWith(".csv.gz");
      format = csv ? InputFormat.CSV : InputFormat.BASKETS;
    } else if (value.equalsIgnoreCase("baskets")) {
      format = InputFormat.BASKETS;
    } else if (value.equalsIgnoreCase("csv")) {
      format = InputFormat.CSV;
    } else {
      throw new UsageException("Invalid --format: " + value + ". Valid values are baskets, csv.");
    }
    if (format == InputFormat.BASKETS) {
      for (String csvOnly : List.of("txnCol", "itemCol")) {
        if (a.has(csvOnly)) {
          throw new UsageException(
              "--"
                  + csvOnly
                  + " applies to CSV input only; add --format=csv to read "
                  + input
                  + " as CSV");
        }
      }
    } else if (a.has("txnCol") && a.string("txnCol").equals(a.string("itemCol"))) {
      throw new UsageException(
          "--txnCol and --itemCol name the same column '"
              + a.string("txnCol")
              + "'; a transaction and its items need a column each");
    }
    return format;
  }

  /** The configured miner; its own checks report bad values with the valid range. */
  private static ItemsetMiner miner(CliArgs a) {
    Double minSupport = a.decimal("minSupport");
    Long minCount = a.integer64("minCount");
    Integer maxLen = a.integer("maxLen");
    Integer threads = a.integer("threads");
    String method = a.string("method");
    String target = a.string("target");
    Integer topK = a.integer("topK");
    Integer minLen = a.integer("minLen");
    if (minSupport == null && minCount == null && topK != null) {
      minCount = 1L; // top-k alone: no threshold
    }
    if (minSupport == null && minCount == null) {
      throw new UsageException("missing --minSupport=S (or --minCount=K)");
    }
    if (minSupport != null && minCount != null) {
      throw new UsageException("give --minSupport or --minCount, not both");
    }
    try {
      ItemsetMiner m =
          minSupport != null
              ? ItemsetMiner.minSupport(minSupport)
              : ItemsetMiner.minCount(minCount);
      if (maxLen != null) {
        m = m.withMaxLen(maxLen);
      }
      if (method != null) {
        m = m.withMethod(Method.parse(method));
      }
      if (threads != null) {
        m = m.withThreads(threads);
      }
      if (target != null) {
        m = m.withTarget(Target.parse(target));
      }
      if (minLen != null) {
        m = m.withMinLen(minLen);
      }
      if (topK != null) {
        m = m.withTopK(topK);
      }
      return m;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** The rules to derive with {@code --rules}, else null; a rules option needs the flag. */
  private static RuleMiner rules(CliArgs a) {
    CliArgs.requireFlagFor(
        "rules", a.flag("rules"), a::has, List.of("metric", "minThreshold", "rulesOutput"));
    if (!a.flag("rules")) {
      return null;
    }
    String metric = a.has("metric") ? a.string("metric") : DEFAULT_METRIC;
    Double threshold = a.decimal("minThreshold");
    try {
      return RuleMiner.of(
          RuleMetric.parse(metric), threshold == null ? DEFAULT_MIN_THRESHOLD : threshold);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  private static Format outputFormat(CliArgs a, Path output) {
    String value = a.string("outputFormat");
    if (output == null) {
      if (value != null) {
        throw new UsageException("--outputFormat needs --output=FILE");
      }
      return null;
    }
    return value != null
        ? Format.parse("outputFormat", value)
        : Format.ofExtension("output", output, ", or add --outputFormat=jsonl|csv");
  }

  private static void checkInput(Path input) {
    if (!Files.exists(input)) {
      throw new UsageException("input file not found: " + input);
    }
    if (!Files.isRegularFile(input)) {
      throw new UsageException("input is not a file: " + input);
    }
  }

  /** Refuses an output that is the input file (after links and relative paths are resolved). */
  private static void checkNotInput(Path input, Path output, String option) {
    try {
      if (output != null && Files.exists(output) && Files.isSameFile(input, output)) {
        throw new UsageException(
            "--"
                + option
                + " is the input file "
                + input
                + ": writing it would destroy the input;"
                + " choose another --"
                + option);
      }
    } catch (IOException e) {
      throw UsageException.io("cannot read", output, e);
    }
  }

  /**
   * Reads the input, gunzipped when it starts with gzip's magic bytes, decoded strictly as UTF-8
   * (invalid UTF-8 is an error naming the file and line, never U+FFFD): baskets by {@link
   * TransactionDb#readBaskets(InputStream, String)}, CSV by {@link CsvReader}.
   */
  private static TransactionDb read(Path input, InputFormat format, String txnCol, String itemCol) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16)) {
      return format == InputFormat.CSV
          ? readLongFormatCsv(gunzipped(in), input.toString(), txnCol, itemCol)
          : TransactionDb.readBaskets(in, input.toString());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    } catch (IOException e) {
      throw UsageException.io("cannot read", input, e);
    }
  }

  /** {@code in}, decompressed if it starts with gzip's magic bytes (as the basket reader does). */
  private static InputStream gunzipped(InputStream in) throws IOException {
    PushbackInputStream head = new PushbackInputStream(in, 2);
    byte[] magic = head.readNBytes(2);
    head.unread(magic);
    boolean gzip = magic.length == 2 && magic[0] == (byte) 0x1f && magic[1] == (byte) 0x8b;
    return gzip ? new GZIPInputStream(head, 1 << 16) : head;
  }

  /**
   * Long-format CSV ({@link CsvReader}): one (transaction, item) pair per row. Transaction ids and
   * items are strings, taken verbatim; transactions are numbered, and items given dense ids, in
   * order of first appearance; a repeated item in a transaction counts once. Every row needs a
   * non-empty transaction id and item.
   *
   * <p>Memory: a {@code long} and an {@code int} per row, plus one map entry per distinct
   * transaction id and item, until the {@link TransactionDb} is built.
   */
  private static TransactionDb readLongFormatCsv(
      InputStream in, String file, String txnCol, String itemCol) throws IOException {
    try (CsvReader csv = CsvReader.open(in, file)) {
      int txnIdx = column(csv, txnCol, "txnCol", "transaction ids");
      int itemIdx = column(csv, itemCol, "itemCol", "items");
      Map<String, Integer> txnIds = new HashMap<>();
      Map<String, Integer> itemIds = new HashMap<>();
      List<String> itemNames = new ArrayList<>();
      long[] txns = new long[1024];
      int[] items = new int[1024];
      int n = 0;
      while (csv.next()) {
        String txn = csv.nonEmpty(txnIdx);
        String item = csv.nonEmpty(itemIdx);
        if (n == txns.length) {
          if (n == ArrayUtil.MAX_ARRAY_LENGTH) {
            throw new UsageException(
                file + " has more than " + ArrayUtil.MAX_ARRAY_LENGTH + " rows");
          }
          int grown = ArrayUtil.grow(n, n + 1L);
          txns = Arrays.copyOf(txns, grown);
          items = Arrays.copyOf(items, grown);
        }
        Integer t = txnIds.get(txn);
        if (t == null) {
          t = txnIds.size();
          txnIds.put(txn, t);
        }
        Integer i = itemIds.get(item);
        if (i == null) {
          i = itemNames.size();
          itemIds.put(item, i);
          itemNames.add(item);
        }
        txns[n] = t;
        items[n] = i;
        n++;
      }
      return TransactionDb.fromPairs(
          Arrays.copyOf(txns, n), Arrays.copyOf(items, n), itemNames.toArray(new String[0]));
    }
  }

  private static int column(CsvReader csv, String name, String option, String what) {
    if (name == null) {
      throw new UsageException(
          "missing --"
              + option
              + "=NAME, the column of "
              + what
              + "; the columns of "
              + csv.source()
              + " are: "
              + String.join(", ", csv.header()));
    }
    return csv.column(name, "--" + option);
  }

  /** The item names, index = item id (ids in decimal for items without names). */
  private static String[] names(TransactionDb db) {
    String[] names = new String[db.nItems()];
    for (int i = 0; i < names.length; i++) {
      names[i] = db.itemName(i);
    }
    return names;
  }

  /** A writer for {@code file}, or null when there is no file. */
  private static RecordWriter open(Path file, Format format, String[] names, String[] columns) {
    return file == null ? null : RecordWriter.open(file, format, names, columns);
  }

  /** Writes each itemset as a record support, count, itemsets. */
  private static ItemsetSink itemsetRows(RecordWriter w, long nTransactions) {
    return (items, length, count) ->
        w.number(count / (double) nTransactions).count(count).items(items, length).end();
  }

  /** Writes each rule as a record antecedents, consequents, then its metrics. */
  private static RuleSink ruleRows(RecordWriter w) {
    return (antecedent, aLen, consequent, cLen, metrics) -> {
      w.items(antecedent, aLen).items(consequent, cLen);
      for (double m : metrics) {
        w.number(m);
      }
      w.end();
    };
  }
}
