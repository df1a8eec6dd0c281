package io.rusket.beam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.Dataset;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.TableSinkTest;
import io.rusket.beam.pipelines.io.TextFormats;
import io.rusket.beam.testing.Datasets;
import io.rusket.beam.transforms.MineGrouped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MineGroupedPipeline on the DirectRunner: generated stores in every input format against the miner
 * run store by store, the bakery log per weekday, the output directories, and every validation
 * error before anything runs.
 */
class MineGroupedPipelineTest {
  private static final double MIN_SUPPORT = 0.05;
  private static final Schema OUT =
      MineGrouped.outputSchema(Schema.Field.of("store_id", Schema.FieldType.STRING), true);

  @TempDir static Path data;
  @TempDir Path out;

  static Dataset generated;

  @BeforeAll
  static void generate() throws IOException {
    generated =
        GenerateData.generate(
            Config.of(2026)
                .withStores(5)
                .withTransactions(2_000)
                .withItems(30)
                .withBundles(4, 0.3));
    GenerateData.write(
        generated,
        data,
        EnumSet.of(Layout.EVENTS, Layout.RECEIPTS),
        EnumSet.allOf(InputFormat.class));
  }

  static MineGroupedOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(MineGroupedOptions.class);
  }

  /** The miner on each store's baskets; items ascending by id, named by {@code name}. */
  static List<Row> expected(Dataset d, IntFunction<String> name) {
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < d.storeIds.length; k++) {
      List<int[]> baskets = new ArrayList<>();
      for (int t = 0; t < d.numTransactions(); t++) {
        if (d.store[t] == k) {
          baskets.add(Arrays.copyOfRange(d.items, d.offsets[t], d.offsets[t + 1]));
        }
      }
      TransactionDb db = TransactionDb.fromIntBaskets(baskets.toArray(new int[0][]));
      Itemsets sets = ItemsetMiner.minSupport(MIN_SUPPORT).withThreads(1).mine(db);
      for (int i = 0; i < sets.size(); i++) {
        int[] ids = sets.items(i).clone();
        Arrays.sort(ids);
        List<String> names = new ArrayList<>();
        for (int id : ids) {
          names.add(name.apply(id));
        }
        rows.add(
            Row.withSchema(OUT)
                .addValues(d.storeIds[k], sets.support(i), names, sets.count(i), (long) db.size())
                .build());
      }
    }
    return rows;
  }

  static List<String> files(Path dir) throws IOException {
    return TableSinkTest.files(dir);
  }

  static void assertOnlyShards(Path dir, String ext) throws IOException {
    List<String> names = files(dir);
    assertTrue(!names.isEmpty(), dir + " is empty");
    for (String n : names) {
      assertTrue(n.matches("part-\\d{5}-of-\\d{5}\\." + ext), dir + " holds " + names);
    }
  }

  static long lines(Path dir) throws IOException {
    long n = 0;
    for (String f : files(dir)) {
      n += Files.readAllLines(dir.resolve(f)).size();
    }
    return n;
  }

  /** Events in Parquet, Arrow and CSV: the same itemsets, equal to the miner store by store. */
  @Test
  void eventsInEveryFormatEqualTheMinerPerStore() throws IOException {
    List<Row> expected = expected(generated, Integer::toString);
    assertTrue(
        expected.size() > 5 * generated.storeIds.length, "enough itemsets: " + expected.size());
    for (String ext : List.of("parquet", "arrow", "csv")) {
      Path o = out.resolve(ext);
      MineGroupedOptions opts =
          options(
              "--input=" + data.resolve("events." + ext),
              "--groupCol=store_id",
              "--txnCol=transaction_id",
              "--itemCol=item_id",
              "--minSupport=" + MIN_SUPPORT,
              "--rules",
              "--metric=lift",
              "--minThreshold=1.0",
              "--output=" + o,
              "--outputFormat=jsonl",
              "--numShards=2");
      if (ext.equals("csv")) {
        // CSV values are text unless declared: the ids as the other formats type them.
        opts.setCsvTypes("transaction_id:long,item_id:int");
      }
      Pipeline p = Pipeline.create(opts);
      MineGroupedPipeline.Outputs outputs = MineGroupedPipeline.buildPipeline(p, opts);
      PAssert.that(ext, outputs.itemsets).containsInAnyOrder(expected);
      p.run().waitUntilFinish();

      assertEquals(List.of("itemsets", "rules"), files(o), ext);
      assertOnlyShards(o.resolve("itemsets"), "jsonl");
      assertOnlyShards(o.resolve("rules"), "jsonl");
      assertEquals(expected.size(), lines(o.resolve("itemsets")), ext);
      assertTrue(lines(o.resolve("rules")) > 0, "bundles give rules with lift >= 1");
    }
  }

  /**
   * One-hot receipts, BOOLEAN columns (Arrow and Parquet, both read column-wise) and 0/1 columns
   * (CSV): items named by column.
   */
  @Test
  void oneHotReceiptsEqualTheMinerPerStore() throws IOException {
    List<Row> all = expected(generated, id -> generated.itemNames[id]);
    assertTrue(all.stream().anyMatch(r -> r.getArray("itemsets").size() > 2));
    for (String ext : List.of("arrow", "parquet", "csv")) {
      Path o = out.resolve(ext);
      boolean csv = ext.equals("csv");
      // The CSV run also sets --maxLen=2 and --method=eclat.
      List<Row> expected =
          csv ? all.stream().filter(r -> r.getArray("itemsets").size() <= 2).toList() : all;
      MineGroupedOptions opts =
          options(
              "--input=" + data.resolve("receipts." + ext),
              "--groupCol=store_id",
              "--minSupport=" + MIN_SUPPORT,
              "--maxLen=" + (csv ? 2 : 100),
              "--method=" + (csv ? "eclat" : "fpgrowth"),
              "--output=" + o,
              "--outputFormat=" + (csv ? "csv" : "parquet"));
      Pipeline p = Pipeline.create(opts);
      MineGroupedPipeline.Outputs outputs = MineGroupedPipeline.buildPipeline(p, opts);
      assertEquals(null, outputs.rules);
      PAssert.that(ext, outputs.itemsets).containsInAnyOrder(expected);
      p.run().waitUntilFinish();
      assertEquals(List.of("itemsets"), files(o));
      assertOnlyShards(o.resolve("itemsets"), ext.equals("csv") ? "csv" : "parquet");
    }
  }

  /**
   * The bakery log (bread-basket.csv: Date,Time,Transaction,Item) with a derived Weekday column, as
   * CSV in long format, mined per weekday: equal to the miner run on each weekday's baskets.
   */
  @Test
  void bakeryLogPerWeekdayFromCsv() throws IOException {
    Path raw = Datasets.require("bread-basket.csv");
    List<String> lines = Files.readAllLines(raw, StandardCharsets.UTF_8);
    Path csv = out.resolve("bakery-weekday.csv");
    Map<String, Map<Long, Set<String>>> byDay = new TreeMap<>();
    StringBuilder sb = new StringBuilder("Weekday,Transaction,Item\n");
    for (String rawLine : lines.subList(1, lines.size())) {
      String line = rawLine.replaceAll("\\p{Cntrl}", ""); // CRLF and one NUL byte in the file
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      String day = LocalDate.parse(f[0].trim()).getDayOfWeek().name();
      long txn = Long.parseLong(f[2].trim());
      String item = f[3].trim();
      sb.append(day).append(',').append(txn).append(',');
      TextFormats.appendCsvField(sb, item);
      sb.append('\n');
      byDay
          .computeIfAbsent(day, d -> new LinkedHashMap<>())
          .computeIfAbsent(txn, t -> new HashSet<>())
          .add(item);
    }
    Files.writeString(csv, sb, StandardCharsets.UTF_8);
    assertEquals(7, byDay.size());

    Schema out7 =
        MineGrouped.outputSchema(Schema.Field.of("Weekday", Schema.FieldType.STRING), true);
    List<Row> expected = new ArrayList<>();
    byDay.forEach(
        (day, baskets) -> {
          TransactionDb db = TransactionDb.fromStringBaskets(new ArrayList<>(baskets.values()));
          Itemsets sets = ItemsetMiner.minSupport(0.02).withThreads(1).mine(db);
          for (int i = 0; i < sets.size(); i++) {
            String[] names = sets.names(i);
            Arrays.sort(names);
            expected.add(
                Row.withSchema(out7)
                    .addValues(
                        day, sets.support(i), Arrays.asList(names), sets.count(i), (long) db.size())
                    .build());
          }
        });

    Path o = out.resolve("bakery");
    MineGroupedOptions opts =
        options(
            "--input=" + csv,
            "--groupCol=Weekday",
            "--txnCol=Transaction",
            "--itemCol=Item",
            "--minSupport=0.02",
            "--rules",
            "--minThreshold=0.5",
            "--output=" + o,
            // 21k input rows: the DirectRunner's per-element checks would double this test's time;
            // the generated-data tests run with them on.
            "--enforceImmutability=false",
            "--enforceEncodability=false");
    Pipeline p = Pipeline.create(opts);
    MineGroupedPipeline.Outputs outputs = MineGroupedPipeline.buildPipeline(p, opts);
    PAssert.that(outputs.itemsets).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
    assertOnlyShards(o.resolve("itemsets"), "parquet");
    assertOnlyShards(o.resolve("rules"), "parquet");
  }

  private IllegalArgumentException fails(String... args) {
    MineGroupedOptions opts = options(args);
    return assertThrows(
        IllegalArgumentException.class,
        () -> MineGroupedPipeline.buildPipeline(Pipeline.create(opts), opts));
  }

  @Test
  void badOptionsAndInputsFailBeforeRunningNamingTheCulprit() throws IOException {
    String events = "--input=" + data.resolve("events.parquet");
    String o = "--output=" + out.resolve("x");
    IllegalArgumentException e =
        fails(events, "--groupCol=store", "--txnCol=transaction_id", "--itemCol=item_id", o);
    assertTrue(
        e.getMessage().contains("Column 'store' is missing from " + data.resolve("events.parquet")),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("store_id STRING, transaction_id INT64, item_id INT32"),
        e.getMessage());

    e = fails(events, "--groupCol=store_id", "--txnCol=transaction_id", o);
    assertTrue(e.getMessage().contains("needs both --txnCol and --itemCol"), e.getMessage());

    e =
        fails(
            events,
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--minSupport=1.5",
            o);
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());

    e =
        fails(
            events,
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--method=apriori",
            o);
    assertTrue(e.getMessage().contains("Invalid method: apriori"), e.getMessage());

    e =
        fails(
            events,
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--rules",
            "--metric=magic",
            o);
    assertTrue(e.getMessage().contains("magic"), e.getMessage());

    e =
        fails(
            events,
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--outputFormat=xml",
            o);
    assertTrue(e.getMessage().contains("Invalid output format: xml"), e.getMessage());

    e = fails("--input=" + data.resolve("nothing-*.arrow"), "--groupCol=store_id", o);
    assertTrue(e.getMessage().contains("matches no file"), e.getMessage());

    e = fails("--input=" + data.resolve("events.txt"), "--groupCol=store_id", o);
    assertTrue(e.getMessage().contains("--inputFormat"), e.getMessage());

    // One-hot CSV: every column but the group is an item; one declared STRING is refused, named.
    Path strings = out.resolve("onehot-bad.csv");
    Files.writeString(strings, "store_id,bread,note\nS1,1,hello\n");
    e = fails("--input=" + strings, "--groupCol=store_id", "--csvTypes=note:string", o);
    assertTrue(
        e.getMessage().contains("Column 'note' of " + strings + " is STRING"), e.getMessage());

    // --csvTypes: CSV input only, a valid spec, columns of the file.
    e = fails(events, "--groupCol=store_id", "--csvTypes=store_id:string", o);
    assertTrue(e.getMessage().startsWith("--csvTypes applies to CSV input only"), e.getMessage());
    e = fails("--input=" + strings, "--groupCol=store_id", "--csvTypes=bread:bool", o);
    assertEquals(
        "Invalid --csvTypes type for column 'bread': bool. Valid types are string, long, int,"
            + " double, boolean.",
        e.getMessage());
    e = fails("--input=" + strings, "--groupCol=store_id", "--csvTypes=milk:boolean", o);
    assertTrue(
        e.getMessage().contains("declared for column 'milk' (--csvTypes), which is missing"),
        e.getMessage());

    // One column for both transactions and items.
    e = fails(events, "--groupCol=store_id", "--txnCol=item_id", "--itemCol=item_id", o);
    assertTrue(
        e.getMessage().startsWith("--txnCol and --itemCol name the same column 'item_id'"),
        e.getMessage());

    // An output directory that already holds files.
    Path used = out.resolve("used");
    Files.createDirectories(used.resolve("itemsets"));
    Files.writeString(used.resolve("itemsets/part-00000-of-00001.parquet"), "old");
    e =
        fails(
            events,
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--output=" + used);
    assertTrue(e.getMessage().contains("already holds files"), e.getMessage());
    assertTrue(e.getMessage().contains("part-00000-of-00001.parquet"), e.getMessage());

    // Required options are enforced by the options' validation.
    assertThrows(IllegalArgumentException.class, () -> options(events, o));
  }

  /** Writes {@code text} to {@code name} under the test's output directory. */
  private Path csvFile(String name, String text) throws IOException {
    return Files.writeString(out.resolve(name), text, StandardCharsets.UTF_8);
  }

  /** Builds and runs a job; the message of its failure, met building or running. */
  private static String runFails(MineGroupedOptions opts) {
    Exception e =
        assertThrows(
            Exception.class,
            () -> {
              Pipeline p = Pipeline.create(opts);
              MineGroupedPipeline.buildPipeline(p, opts);
              p.run().waitUntilFinish();
            });
    return String.valueOf(e.getMessage());
  }

  /**
   * Regression (issue 9): CSV items 0012, 012 and 12 were typed INT64 and merged into 12. With four
   * baskets {0012, 7} and four {12, 8}, no item reaches minSupport 0.6 (as {@code mine} finds),
   * where {@code grouped} reported ["12"] with support 1.0.
   */
  @Test
  void csvItemsWithLeadingZerosAreDistinctItems() throws IOException {
    StringBuilder sb = new StringBuilder("store,txn,item\n");
    for (int t = 0; t < 8; t++) {
      sb.append("S,").append(t).append(',').append(t < 4 ? "0012" : "12").append('\n');
      sb.append("S,").append(t).append(',').append(t < 4 ? "7" : "8").append('\n');
    }
    Path in = csvFile("zeros.csv", sb.toString());
    MineGroupedOptions opts =
        options(
            "--input=" + in,
            "--groupCol=store",
            "--txnCol=txn",
            "--itemCol=item",
            "--minSupport=0.6",
            "--output=" + out.resolve("zeros"));
    Pipeline p = Pipeline.create(opts);
    PAssert.that(MineGroupedPipeline.buildPipeline(p, opts).itemsets).empty();
    p.run().waitUntilFinish();

    // At 0.5 the three spellings are three items, each of its own baskets.
    Path in3 = csvFile("zeros3.csv", "store,txn,item\nS,1,0012\nS,2,012\nS,3,12\nS,4,12\n");
    MineGroupedOptions opts3 =
        options(
            "--input=" + in3,
            "--groupCol=store",
            "--txnCol=txn",
            "--itemCol=item",
            "--minSupport=0.25",
            "--output=" + out.resolve("zeros3"));
    Schema schema =
        MineGrouped.outputSchema(Schema.Field.of("store", Schema.FieldType.STRING), true);
    Pipeline p3 = Pipeline.create(opts3);
    PAssert.that(MineGroupedPipeline.buildPipeline(p3, opts3).itemsets)
        .containsInAnyOrder(
            Row.withSchema(schema).addValues("S", 0.25, List.of("0012"), 1L, 4L).build(),
            Row.withSchema(schema).addValues("S", 0.25, List.of("012"), 1L, 4L).build(),
            Row.withSchema(schema).addValues("S", 0.5, List.of("12"), 2L, 4L).build());
    p3.run().waitUntilFinish();
  }

  /**
   * Regression (issue 9): stores 001 and 1 became one store, written back as the JSON number 1;
   * transactions 007 and 7 one transaction; SKU 00123 came out as 123.
   */
  @Test
  void csvGroupsAndItemsAreWrittenBackAsTheTextRead() throws IOException {
    Path in =
        csvFile(
            "stores.csv",
            "store,txn,sku\n001,007,00123\n001,7,00123\n1,07,00123\n1,07,9\n1,7,00123\n");
    Path o = out.resolve("stores");
    MineGroupedOptions opts =
        options(
            "--input=" + in,
            "--groupCol=store",
            "--txnCol=txn",
            "--itemCol=sku",
            "--minSupport=1.0",
            "--output=" + o,
            "--outputFormat=jsonl",
            "--numShards=1");
    Pipeline p = Pipeline.create(opts);
    MineGroupedPipeline.buildPipeline(p, opts);
    p.run().waitUntilFinish();
    List<String> lines = Files.readAllLines(o.resolve("itemsets/part-00000-of-00001.jsonl"));
    lines.sort(null);
    assertEquals(
        List.of(
            "{\"store\":\"001\",\"support\":1.0,\"itemsets\":[\"00123\"],\"count\":2,"
                + "\"transactions\":2}",
            "{\"store\":\"1\",\"support\":1.0,\"itemsets\":[\"00123\"],\"count\":2,"
                + "\"transactions\":2}"),
        lines);
  }

  /** Regression (issue 9): an empty CSV group or item was the value "": now an error, named. */
  @Test
  void emptyCsvFieldsAreRejected() throws IOException {
    Path in = csvFile("empty.csv", "store,txn,item\nS,1,a\nS,2,\n");
    String msg =
        runFails(
            options(
                "--input=" + in,
                "--groupCol=store",
                "--txnCol=txn",
                "--itemCol=item",
                "--output=" + out.resolve("empty")));
    assertTrue(msg.contains(in + " line 3: column 'item' is empty"), msg);
  }

  /**
   * Regression (issue 9): one-hot CSV columns of true/false were refused while the message offered
   * them; any value but true, false, 1, 0 fails naming file, line, column and value.
   */
  @Test
  void oneHotCsvTakesTrueFalseAndZeroOne() throws IOException {
    Path in =
        csvFile("onehot.csv", "store,bread,milk\nS,true,false\nS,TRUE,1\nS,1,0\nS,false,true\n");
    MineGroupedOptions opts =
        options(
            "--input=" + in,
            "--groupCol=store",
            "--minSupport=0.5",
            "--output=" + out.resolve("oh"));
    Schema schema =
        MineGrouped.outputSchema(Schema.Field.of("store", Schema.FieldType.STRING), true);
    Pipeline p = Pipeline.create(opts);
    PAssert.that(MineGroupedPipeline.buildPipeline(p, opts).itemsets)
        .containsInAnyOrder(
            Row.withSchema(schema).addValues("S", 0.75, List.of("bread"), 3L, 4L).build(),
            Row.withSchema(schema).addValues("S", 0.5, List.of("milk"), 2L, 4L).build());
    p.run().waitUntilFinish();

    for (String bad : List.of("2", "-1", "yes")) {
      Path b =
          csvFile("onehot-" + bad + ".csv", "store,bread,milk\nS,true,false\nS," + bad + ",1\n");
      String msg =
          runFails(
              options(
                  "--input=" + b,
                  "--groupCol=store",
                  "--minSupport=0.5",
                  "--output=" + out.resolve("oh-" + bad)));
      assertTrue(
          msg.contains(
              b
                  + " line 3: column 'bread': '"
                  + bad
                  + "' is not a valid BOOLEAN (true, false, 1"
                  + " or 0)"),
          msg);
    }
  }
}
