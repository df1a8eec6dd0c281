package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.ParquetColumns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grouped} in a deliberately small heap: a forked JVM with {@code -Xmx256m} mines about 3.1M
 * generated events of 20 stores from Parquet on the embedded Spark runner ({@code local[2]}) and on
 * the DirectRunner, read column-wise into per-store accumulators, and must give exactly the plain
 * loop's itemsets (the file read column-wise, a {@code TransactionDb} per store, mined). Before the
 * columnar path, the same run died with an OutOfMemoryError in this heap.
 */
class GroupedMemoryBoundedTest {
  private static final double MIN_SUPPORT = 0.01;

  @TempDir static Path data;
  @TempDir Path out;

  static Path events;
  static TreeSet<String> expected;

  @BeforeAll
  static void generateAndMineWithThePlainLoop() throws IOException {
    GenerateData.write(
        GenerateData.generate(
            Config.of(12).withStores(20).withTransactions(700_000).withItems(2_600)),
        data,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.PARQUET));
    events = data.resolve("events.parquet");
    expected = plainLoop(events);
    assertTrue(expected.size() > 500, "enough itemsets: " + expected.size());
  }

  /** Column-wise read, a TransactionDb per store, mined; as {@code store|items|count} lines. */
  static TreeSet<String> plainLoop(Path file) throws IOException {
    Map<String, long[]> txns = new HashMap<>();
    Map<String, int[]> items = new HashMap<>();
    Map<String, Integer> sizes = new HashMap<>();
    long rows = 0;
    for (ParquetColumns.Split s :
        ParquetColumns.splitsOf(FileSystems.matchSingleFileSpec(file.toString()))) {
      ParquetColumns.Chunk c =
          ParquetColumns.read(s, List.of("store_id", "transaction_id", "item_id"));
      String[] store = c.strings("store_id");
      long[] txn = c.longs("transaction_id");
      long[] item = c.longs("item_id");
      for (int r = 0; r < c.rows(); r++) {
        int k = sizes.getOrDefault(store[r], 0);
        long[] t = ArrayUtil.grow(txns.computeIfAbsent(store[r], x -> new long[16]), k + 1L);
        int[] i = ArrayUtil.grow(items.computeIfAbsent(store[r], x -> new int[16]), k + 1L);
        t[k] = txn[r];
        i[k] = (int) item[r];
        txns.put(store[r], t);
        items.put(store[r], i);
        sizes.put(store[r], k + 1);
      }
      rows += c.rows();
    }
    assertTrue(rows > 3_000_000, "a few million events: " + rows);
    TreeSet<String> sets = new TreeSet<>();
    for (String s : sizes.keySet()) {
      int k = sizes.get(s);
      TransactionDb db =
          TransactionDb.fromPairs(
              Arrays.copyOf(txns.get(s), k), Arrays.copyOf(items.get(s), k), null);
      Itemsets is = ItemsetMiner.minSupport(MIN_SUPPORT).mine(db);
      for (int x = 0; x < is.size(); x++) {
        int[] ids = is.items(x).clone();
        Arrays.sort(ids);
        sets.add(s + "|" + Arrays.toString(ids) + "|" + is.count(x) + "|" + db.size());
      }
    }
    return sets;
  }

  /** The itemsets written as JSON lines under {@code dir}, as the plain loop's lines. */
  static TreeSet<String> itemsets(Path dir) throws IOException {
    TreeSet<String> sets = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          Map<String, Object> o = MiniJson.object(line);
          List<?> items = (List<?>) o.get("itemsets");
          int[] ids = items.stream().mapToInt(x -> Integer.parseInt((String) x)).sorted().toArray();
          String key =
              o.get("store_id")
                  + "|"
                  + Arrays.toString(ids)
                  + "|"
                  + ((Number) o.get("count")).longValue()
                  + "|"
                  + ((Number) o.get("transactions")).longValue();
          assertTrue(sets.add(key), "itemset written twice: " + key);
        }
      }
    }
    return sets;
  }

  private void minesInSmallHeap(String... runner) throws Exception {
    Path o = out.resolve("result");
    List<String> args =
        new ArrayList<>(
            List.of(
                "grouped",
                "--input=" + events,
                "--groupCol=store_id",
                "--txnCol=transaction_id",
                "--itemCol=item_id",
                "--minSupport=" + MIN_SUPPORT,
                "--outputFormat=jsonl",
                "--output=" + o));
    args.addAll(List.of(runner));
    String stdout =
        StreamMemoryBoundedTest.runSmallHeap(out.resolve("child.log"), args.toArray(String[]::new));
    assertTrue(stdout.contains("itemsets=" + expected.size()), stdout);
    assertEquals(expected, itemsets(o.resolve("itemsets")));
  }

  @Test
  void sparkLocal2InA256MiBHeapGivesThePlainLoopsItemsets() throws Exception {
    minesInSmallHeap("--sparkMaster=local[2]");
  }

  @Test
  void directRunnerInA256MiBHeapGivesThePlainLoopsItemsets() throws Exception {
    minesInSmallHeap("--runner=DirectRunner");
  }
}
