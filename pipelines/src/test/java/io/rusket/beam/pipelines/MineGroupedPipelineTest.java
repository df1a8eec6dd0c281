package io.rusket.beam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.pipelines.GenerateData.Config;
import io.rusket.beam.pipelines.GenerateData.Dataset;
import io.rusket.beam.pipelines.GenerateData.Layout;
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

  /** One-hot receipts, BOOLEAN columns (Arrow) and 0/1 columns (CSV): items named by column. */
  @Test
  void oneHotReceiptsEqualTheMinerPerStore() throws IOException {
    List<Row> all = expected(generated, id -> generated.itemNames[id]);
    assertTrue(all.stream().anyMatch(r -> r.getArray("itemsets").size() > 2));
    for (String ext : List.of("arrow", "csv")) {
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
      sb.append(day).append(',').append(txn).append(',').append(Csv.quote(item)).append('\n');
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

    // One-hot from the event log: transaction_id is INT64 (fine as 0/1), but nothing says which
    // columns are items; a STRING column is refused, named.
    Path strings = out.resolve("onehot-bad.csv");
    Files.writeString(strings, "store_id,bread,note\nS1,1,hello\n");
    e = fails("--input=" + strings, "--groupCol=store_id", o);
    assertTrue(
        e.getMessage().contains("Column 'note' of " + strings + " is STRING"), e.getMessage());

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
}
