package io.rusket.beam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.HighUtilityItemsets;
import io.rusket.beam.miner.UtilityDb;
import io.rusket.beam.miner.UtilityMiner;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.Dataset;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.TableSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UtilityPipeline on the DirectRunner: generated events with utilities in every input format, per
 * store and global, against the EFIM core run store by store on the generator's arrays; the
 * generator's utility columns; validation before anything runs.
 */
class UtilityPipelineTest {
  @TempDir static Path data;
  @TempDir Path out;

  static Dataset generated;

  @BeforeAll
  static void generate() throws IOException {
    generated =
        GenerateData.generate(
            Config.of(2026)
                .withStores(4)
                .withTransactions(1_500)
                .withItems(25)
                .withBundles(4, 0.3)
                .withUtilityColumns(true));
    GenerateData.write(
        generated, data, EnumSet.of(Layout.EVENTS), EnumSet.allOf(InputFormat.class));
  }

  static UtilityOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(UtilityOptions.class);
  }

  /** "store|utility|count|support|[items]" of the core run per store (or on everything). */
  static List<String> expected(Dataset d, UtilityMiner miner, boolean perStore) {
    TreeMap<String, UtilityDb.Builder> dbs = new TreeMap<>();
    long seed = d.config.seed();
    for (int t = 0; t < d.numTransactions(); t++) {
      String store = perStore ? d.storeIds[d.store[t]] : "all";
      UtilityDb.Builder b = dbs.computeIfAbsent(store, k -> UtilityDb.builder());
      long id = d.transactionId(t);
      for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
        b.add(id, d.items[p], GenerateData.profitCents(seed, id, d.items[p]) / 100.0);
      }
    }
    List<String> lines = new ArrayList<>();
    for (var e : dbs.entrySet()) {
      UtilityDb db = e.getValue().build();
      HighUtilityItemsets h = miner.mine(db);
      for (int i = 0; i < h.size(); i++) {
        List<String> names = new ArrayList<>();
        for (int item : h.items(i)) {
          names.add(Integer.toString(item));
        }
        lines.add(
            e.getKey()
                + "|"
                + h.utility(i)
                + "|"
                + h.count(i)
                + "|"
                + h.count(i) / (double) db.nTransactions()
                + "|"
                + names);
      }
    }
    return lines;
  }

  static String line(Row r) {
    String group = r.getSchema().hasField("store_id") ? r.getString("store_id") : "all";
    return group
        + "|"
        + r.getDouble("utility")
        + "|"
        + r.getInt64("count")
        + "|"
        + r.getDouble("support")
        + "|"
        + r.getArray("itemsets");
  }

  private void runAndCheck(UtilityOptions o, List<String> want) {
    Pipeline p = Pipeline.create(o);
    PCollection<Row> rows = UtilityPipeline.buildPipeline(p, o);
    PAssert.that(rows.apply(MapElements.into(TypeDescriptors.strings()).via(r -> line(r))))
        .containsInAnyOrder(want);
    p.run().waitUntilFinish();
  }

  @Test
  void perStoreInEveryFormatMatchesTheCore() throws IOException {
    List<String> want = expected(generated, UtilityMiner.minUtilityFraction(0.02), true);
    assertTrue(want.size() > 10, "a test with something to find: " + want.size());
    for (String ext : List.of("parquet", "arrow", "csv")) {
      Path o = out.resolve(ext);
      List<String> args = new ArrayList<>();
      if (ext.equals("csv")) { // CSV values are text unless declared: items as numbers here
        args.add("--csvTypes=item_id:int,transaction_id:long");
      }
      runAndCheck(
          options(
              concat(
                  args.toArray(new String[0]),
                  "--input=" + data.resolve("events." + ext),
                  "--groupCol=store_id",
                  "--txnCol=transaction_id",
                  "--itemCol=item_id",
                  "--utilityCol=profit",
                  "--minUtilityFraction=0.02",
                  "--output=" + o,
                  "--outputFormat=jsonl")),
          want);
      try (var files = Files.list(o.resolve(UtilityPipeline.ITEMSETS_DIR))) {
        assertTrue(files.findAny().isPresent(), ext);
      }
    }
  }

  @Test
  void globalWithAbsoluteThresholdAndMaxLen() {
    List<String> want = expected(generated, UtilityMiner.minUtility(2500).withMaxLen(2), false);
    assertTrue(want.size() > 5, "a test with something to find: " + want.size());
    runAndCheck(
        options(
            "--input=" + data.resolve("events.parquet"),
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--utilityCol=profit",
            "--minUtility=2500",
            "--maxLen=2",
            "--output=" + out),
        want);
  }

  @Test
  void generatorUtilityColumnsAreAFunctionOfSeedTransactionAndItem() {
    TableSource src = TableSource.from(data.resolve("events.csv").toString());
    assertEquals(
        List.of("store_id", "transaction_id", "item_id", "quantity", "profit"),
        src.getFileSchema().getFieldNames());
    long seed = generated.config.seed();
    for (int item = 0; item < 25; item++) {
      long m = GenerateData.marginCents(seed, item);
      assertTrue(m >= 5 && m <= 5000, "margin " + m);
      for (long txn = 1; txn < 50; txn++) {
        int q = GenerateData.quantity(seed, txn, item);
        assertTrue(q >= 1 && q <= 8, "quantity " + q);
        assertEquals(q * m, GenerateData.profitCents(seed, txn, item));
      }
    }
    // opt-in: the default event layout is unchanged
    assertEquals(
        List.of("store_id", "transaction_id", "item_id"),
        GenerateData.eventsSchema(false).getFieldNames());
  }

  @Test
  void badOptionsAreReportedBeforeRunning() {
    String[] base = {
      "--input=" + data.resolve("events.parquet"),
      "--groupCol=store_id",
      "--txnCol=transaction_id",
      "--itemCol=item_id",
      "--utilityCol=profit",
      "--output=" + out
    };
    List<String[]> cases = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    cases.add(base);
    messages.add("--minUtility or --minUtilityFraction");
    cases.add(concat(base, "--minUtility=5", "--minUtilityFraction=0.1"));
    messages.add("not both");
    cases.add(concat(base, "--minUtility=-5"));
    messages.add("Invalid --minUtility: -5.0");
    cases.add(concat(base, "--minUtilityFraction=1.5"));
    messages.add("Invalid --minUtilityFraction: 1.5");
    cases.add(concat(base, "--minUtility=5", "--maxLen=0"));
    messages.add("Invalid --maxLen: 0");
    for (int k = 0; k < cases.size(); k++) {
      UtilityOptions o = options(cases.get(k));
      Pipeline p = Pipeline.create(o);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> UtilityPipeline.buildPipeline(p, o));
      assertTrue(e.getMessage().contains(messages.get(k)), e.getMessage());
    }
    // a utility column that is not numeric, a missing column
    UtilityOptions o =
        options(
            "--input=" + data.resolve("events.parquet"),
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--utilityCol=store_id",
            "--minUtility=1",
            "--output=" + out);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UtilityPipeline.buildPipeline(Pipeline.create(o), o));
    assertTrue(e.getMessage().contains("store_id"), e.getMessage());
    UtilityOptions o2 =
        options(
            "--input=" + data.resolve("events.parquet"),
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--utilityCol=price",
            "--minUtility=1",
            "--output=" + out);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UtilityPipeline.buildPipeline(Pipeline.create(o2), o2));
    assertTrue(e.getMessage().contains("price"), e.getMessage());
  }

  @Test
  void negativeUtilityInCsvFailsNamingTheEvent() throws IOException {
    Path csv = out.resolve("bad.csv");
    Files.writeString(csv, "store,txn,sku,profit\ns1,1,milk,2.5\ns1,2,jam,-0.25\n");
    UtilityOptions o =
        options(
            "--input=" + csv,
            "--groupCol=store",
            "--txnCol=txn",
            "--itemCol=sku",
            "--utilityCol=profit",
            "--minUtility=1",
            "--output=" + out.resolve("o"));
    Pipeline p = Pipeline.create(o);
    UtilityPipeline.buildPipeline(p, o);
    Exception e = assertThrows(Exception.class, p::run);
    String m = String.valueOf(e.getMessage());
    for (String part : List.of("-0.25", "'profit'", "transaction 2", "item jam", "store=s1")) {
      assertTrue(m.contains(part), m);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
