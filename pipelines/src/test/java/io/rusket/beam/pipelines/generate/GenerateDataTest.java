package io.rusket.beam.pipelines.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.pipelines.io.TableSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GenerateData: determinism by seed (rows and file bytes) and the shape of the data. */
class GenerateDataTest {
  @TempDir Path dir;

  private static final Config SMALL =
      Config.of(7).withStores(20).withTransactions(20_000).withItems(120);

  @Test
  void sameSeedSameRowsAndBytesOtherSeedOtherData() throws IOException {
    Dataset a = GenerateData.generate(SMALL);
    Dataset b = GenerateData.generate(SMALL);
    assertArrayEquals(a.store, b.store);
    assertArrayEquals(a.offsets, b.offsets);
    assertArrayEquals(a.items, b.items);
    Dataset c =
        GenerateData.generate(Config.of(8).withStores(20).withTransactions(20_000).withItems(120));
    assertFalse(Arrays.equals(a.items, c.items), "another seed, other data");

    Set<InputFormat> all = EnumSet.allOf(InputFormat.class);
    List<Path> first = GenerateData.write(a, dir.resolve("a"), EnumSet.allOf(Layout.class), all);
    List<Path> second = GenerateData.write(b, dir.resolve("b"), EnumSet.allOf(Layout.class), all);
    assertEquals(12, first.size());
    for (int i = 0; i < first.size(); i++) {
      assertEquals(first.get(i).getFileName(), second.get(i).getFileName());
      assertArrayEquals(
          Files.readAllBytes(first.get(i)),
          Files.readAllBytes(second.get(i)),
          first.get(i).toString());
    }
  }

  @Test
  void storesSkewedBasketsAroundTheMeanItemsSkewedBundlesCoOccur() {
    Dataset d = GenerateData.generate(SMALL);
    int[] perStore = new int[d.storeIds.length];
    for (int s : d.store) {
      perStore[s]++;
    }
    int max = Arrays.stream(perStore).max().getAsInt();
    int min = Arrays.stream(perStore).min().getAsInt();
    assertEquals(perStore[0], max, "S001 is the largest");
    assertTrue(min >= 1);
    assertTrue(max >= 15.0 * min, "Zipf store sizes: " + Arrays.toString(perStore));
    // Transactions are ordered by store.
    for (int t = 1; t < d.store.length; t++) {
      assertTrue(d.store[t - 1] <= d.store[t]);
    }

    double mean = d.numEvents() / (double) d.numTransactions();
    assertTrue(mean > 4.0 && mean < 4.9, "mean basket size " + mean);
    int[] freq = new int[d.itemNames.length];
    for (int t = 0; t < d.numTransactions(); t++) {
      assertTrue(d.offsets[t + 1] > d.offsets[t], "no empty basket");
      for (int p = d.offsets[t]; p < d.offsets[t + 1]; p++) {
        freq[d.items[p]]++;
        if (p > d.offsets[t]) {
          assertTrue(d.items[p - 1] < d.items[p], "distinct, ascending");
        }
      }
    }
    assertTrue(freq[0] > 5 * freq[60], "Zipf items: " + freq[0] + " vs " + freq[60]);
    assertEquals(new HashSet<>(Arrays.asList(d.itemNames)).size(), d.itemNames.length);

    // The first bundle's first two items co-occur far more than independence predicts (lift > 2).
    int x = d.bundles[0][0];
    int y = d.bundles[0][1];
    int both = 0;
    for (int t = 0; t < d.numTransactions(); t++) {
      int[] basket = Arrays.copyOfRange(d.items, d.offsets[t], d.offsets[t + 1]);
      if (Arrays.binarySearch(basket, x) >= 0 && Arrays.binarySearch(basket, y) >= 0) {
        both++;
      }
    }
    double n = d.numTransactions();
    double lift = (both / n) / ((freq[x] / n) * (freq[y] / n));
    assertTrue(lift > 2, "bundle lift " + lift);
  }

  /**
   * Generated while written ({@link GenerateData#write(Config, Path, Set, Set)}, several chunks):
   * the same files, byte for byte, as the data generated in memory and written, in every layout and
   * format, and the counts of the data.
   */
  @Test
  void streamedWriteGivesTheBytesOfTheDataInMemory() throws IOException {
    Config c = Config.of(5).withStores(7).withTransactions(3 * 32_768 + 123).withItems(60);
    Dataset d = GenerateData.generate(c);
    Set<InputFormat> all = EnumSet.allOf(InputFormat.class);
    List<Path> inMemory = GenerateData.write(d, dir.resolve("a"), EnumSet.allOf(Layout.class), all);
    GenerateData.Written w =
        GenerateData.write(c, dir.resolve("b"), EnumSet.allOf(Layout.class), all);
    assertEquals(d.numTransactions(), w.transactions());
    assertEquals(d.numEvents(), w.events());
    assertEquals(12, w.files().size());
    for (int i = 0; i < inMemory.size(); i++) {
      assertEquals(inMemory.get(i).getFileName(), w.files().get(i).getFileName());
      assertArrayEquals(
          Files.readAllBytes(inMemory.get(i)),
          Files.readAllBytes(w.files().get(i)),
          w.files().get(i).toString());
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            GenerateData.write(
                Config.of(1).withTransactions(50).withStores(100),
                dir,
                EnumSet.of(Layout.EVENTS),
                all));
  }

  /**
   * Memory does not grow with the data: in a JVM with a 32 MiB heap, 2M transactions (8.8M events,
   * whose item ids alone take 35 MB as arrays) are written as Arrow and CSV by the streamed write,
   * while generating them in memory runs out of heap there.
   */
  @Test
  void streamedWriteFitsASmallHeapThatTheDataDoesNot() throws Exception {
    Child streamed = Child.run("stream", dir.resolve("s"));
    assertEquals(0, streamed.code, streamed.output);
    assertTrue(streamed.output.contains("transactions=2000000 events="), streamed.output);
    long events = Long.parseLong(streamed.output.replaceAll("(?s).*events=(\\d+).*", "$1"));
    assertTrue(events * 4 > 32L << 20, "the item ids alone exceed the heap: " + events);
    assertEquals(events + 1, lines(dir.resolve("s/events.csv")));
    Child inMemory = Child.run("memory", dir.resolve("m"));
    assertTrue(inMemory.code != 0 && inMemory.output.contains("OutOfMemoryError"), inMemory.output);
  }

  private static long lines(Path f) throws IOException {
    try (Stream<String> s = Files.lines(f)) {
      return s.count();
    }
  }

  /** A JVM with {@code -Xmx32m} running {@link SmallHeapMain}. */
  private record Child(int code, String output) {
    static Child run(String mode, Path out) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m"));
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (a.startsWith("--add-opens")) {
          cmd.add(a); // Arrow's memory needs java.nio
        }
      }
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              SmallHeapMain.class.getName(),
              mode,
              out.toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Child(p.waitFor(), output);
    }
  }

  /**
   * {@link GenerateData#write} writes the layouts and formats asked for (the command line's {@code
   * generate} is tested in runners); the files' schemas are those documented.
   */
  @Test
  void writesTheChosenLayoutsAndFormats() throws IOException {
    Path out = dir.resolve("cli");
    Dataset d =
        GenerateData.generate(
            Config.of(3)
                .withStores(4)
                .withTransactions(500)
                .withItems(20)
                .withItemNameColumn(true));
    List<Path> written =
        GenerateData.write(
            d,
            out,
            EnumSet.of(Layout.EVENTS, Layout.ITEMS),
            EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW));
    assertEquals(4, written.size());
    assertEquals(
        List.of("events.arrow", "events.parquet", "items.arrow", "items.parquet"), files(out));
    for (String f : List.of("events.arrow", "events.parquet")) {
      assertEquals(
          GenerateData.eventsSchema(true).getFieldNames(),
          TableSource.from(out.resolve(f).toString()).getFileSchema().getFieldNames());
    }
    assertEquals(
        GenerateData.itemsSchema(),
        TableSource.from(out.resolve("items.parquet").toString()).getFileSchema());
  }

  /** The names of the files in {@code d}, sorted. */
  private static List<String> files(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void badSettingsNameTheValueAndRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Config.of(1).withStores(0));
    assertEquals("Invalid stores: 0. Valid range is [1, 1000000].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Config.of(1).withItemSkew(-1));
    assertTrue(e.getMessage().startsWith("Invalid itemSkew: -1.0."), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GenerateData.generate(Config.of(1).withTransactions(50).withStores(100)));
    assertTrue(e.getMessage().contains("100 stores"), e.getMessage());
  }
}
