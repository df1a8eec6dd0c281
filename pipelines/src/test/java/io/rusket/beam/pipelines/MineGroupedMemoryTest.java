package io.rusket.beam.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rusket.beam.miner.ArrayUtil;
import io.rusket.beam.miner.ItemsetMiner;
import io.rusket.beam.miner.Itemsets;
import io.rusket.beam.miner.TransactionDb;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grouped} with bounded memory: a child JVM with {@code -Xmx256m} runs MineGroupedPipeline
 * on the DirectRunner over 3M generated events read column-wise from Arrow and from Parquet, and
 * gets the plain loop's itemsets (the file read column-wise in this JVM, a {@code TransactionDb}
 * per store, mined).
 */
class MineGroupedMemoryTest {
  static final double MIN_SUPPORT = 0.01;
  static final String HEAP = "-Xmx256m";

  @TempDir Path dir;

  @Test
  void eventsOfMillionsMineIn256MegabytesAsThePlainLoopFromArrowAndParquet() throws Exception {
    Path data = dir.resolve("data");
    GenerateData.write(
        GenerateData.generate(
            Config.of(10).withStores(20).withTransactions(700_000).withItems(2_600)),
        data,
        EnumSet.of(Layout.EVENTS),
        EnumSet.of(InputFormat.ARROW, InputFormat.PARQUET));
    Map<String, Long> n = new HashMap<>();
    Set<String> expected = plainLoop(data.resolve("events.arrow"), n);
    long events = n.get("events");
    assertTrue(events > 2_500_000, events + " events");
    assertTrue(expected.size() > 100, expected.size() + " itemsets");
    for (String ext : List.of("arrow", "parquet")) {
      Set<String> got = runChild(data.resolve("events." + ext), dir.resolve("out-" + ext));
      assertEquals(expected.size(), got.size(), ext + " itemsets");
      assertEquals(expected, got, ext);
    }
  }

  /** MineGroupedPipeline in a child JVM with {@value #HEAP}; its itemsets. */
  private Set<String> runChild(Path input, Path out) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(HEAP);
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MineGroupedPipeline.class.getName());
    cmd.addAll(
        List.of(
            "--runner=DirectRunner",
            "--targetParallelism=2",
            "--input=" + input,
            "--groupCol=store_id",
            "--txnCol=transaction_id",
            "--itemCol=item_id",
            "--minSupport=" + MIN_SUPPORT,
            "--output=" + out,
            "--outputFormat=jsonl"));
    Path log = dir.resolve(out.getFileName() + ".log");
    Process child =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = child.waitFor(10, TimeUnit.MINUTES);
    if (!done) {
      child.destroyForcibly();
    }
    String tail = tail(log);
    assertTrue(done, "the child did not finish in 10 minutes: " + tail);
    assertEquals(0, child.exitValue(), "the child failed with " + HEAP + ":\n" + tail);
    return read(out.resolve("itemsets"));
  }

  /** The physical yardstick: column-wise read, a TransactionDb per store, mined. */
  static Set<String> plainLoop(Path arrow, Map<String, Long> counts) throws IOException {
    Map<String, long[]> txns = new HashMap<>();
    Map<String, int[]> items = new HashMap<>();
    Map<String, Integer> sizes = new HashMap<>();
    long events = 0;
    try (BufferAllocator alloc = new RootAllocator();
        FileChannel ch = FileChannel.open(arrow, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        VarCharVector store = (VarCharVector) root.getVector("store_id");
        BigIntVector txn = (BigIntVector) root.getVector("transaction_id");
        IntVector item = (IntVector) root.getVector("item_id");
        for (int r = 0; r < root.getRowCount(); r++) {
          String s = new String(store.get(r), StandardCharsets.UTF_8);
          int k = sizes.getOrDefault(s, 0);
          long[] t = ArrayUtil.grow(txns.computeIfAbsent(s, x -> new long[16]), k + 1L);
          int[] i = ArrayUtil.grow(items.computeIfAbsent(s, x -> new int[16]), k + 1L);
          t[k] = txn.get(r);
          i[k] = item.get(r);
          txns.put(s, t);
          items.put(s, i);
          sizes.put(s, k + 1);
        }
        events += root.getRowCount();
      }
    }
    counts.put("events", events);
    Set<String> out = new HashSet<>();
    for (String s : sizes.keySet()) {
      int k = sizes.get(s);
      TransactionDb db =
          TransactionDb.fromPairs(
              Arrays.copyOf(txns.get(s), k), Arrays.copyOf(items.get(s), k), null);
      Itemsets sets = ItemsetMiner.minSupport(MIN_SUPPORT).mine(db);
      for (int x = 0; x < sets.size(); x++) {
        int[] items32 = sets.items(x);
        long[] ids = new long[items32.length];
        for (int j = 0; j < ids.length; j++) {
          ids[j] = items32[j];
        }
        Arrays.sort(ids);
        out.add(s + "|" + Arrays.toString(ids) + "|" + sets.count(x) + "|" + db.size());
      }
    }
    return out;
  }

  /** The child's JSONL itemsets in the plain loop's form. */
  static Set<String> read(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> out = new HashSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        for (String line : Files.readAllLines(f)) {
          JsonNode row = json.readTree(line);
          List<Long> ids = new ArrayList<>();
          row.get("itemsets").forEach(e -> ids.add(Long.parseLong(e.asText())));
          long[] sorted = ids.stream().mapToLong(Long::longValue).sorted().toArray();
          out.add(
              row.get("store_id").asText()
                  + "|"
                  + Arrays.toString(sorted)
                  + "|"
                  + row.get("count").asLong()
                  + "|"
                  + row.get("transactions").asLong());
        }
      }
    }
    return out;
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no output)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
