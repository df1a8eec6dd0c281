package io.rusket.beam.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --minSupport} with {@code --topK} on the grouped and the stream pipeline: written, it is
 * honoured, also at 0.5 (once its default, which could not be told from none); absent, top-k alone
 * (no threshold); absent without {@code --topK}, the default 0.5.
 *
 * <p>Baskets {@code abc abc ab a c c} (items a = 0, b = 1, c = 2; N = 6): counts a 4, c 4, b 3, ab
 * 3, ac 2, bc 2, abc 2, in each of two stores (the stream sees both: N = 12, counts doubled, the
 * same supports). Support 0.5 (count 3) keeps a, b, c, ab: 4 itemsets; the top 5 without a
 * threshold add ac (ties at 2: fewer items first, then item order): 5.
 */
class MinSupportWithTopKTest {
  private static final String[][] BASKETS = {
    {"0", "1", "2"}, {"0", "1", "2"}, {"0", "1"}, {"0"}, {"2"}, {"2"}
  };
  private static final int AT_HALF = 4;
  private static final int TOP_5 = 5;

  @TempDir static Path data;
  @TempDir Path out;
  private static Path events;

  @BeforeAll
  static void write() throws IOException {
    StringBuilder csv = new StringBuilder("store,txn,item\n");
    for (int s = 1; s <= 2; s++) {
      for (int t = 0; t < BASKETS.length; t++) {
        for (String item : BASKETS[t]) {
          csv.append("S" + s).append(',').append(10 * s + t).append(',').append(item).append('\n');
        }
      }
    }
    events = Files.writeString(data.resolve("events.csv"), csv.toString(), UTF_8);
  }

  @Test
  void theJobResolvesTheOption() {
    MiningJob given = MiningJob.grouped(grouped("job1", "--topK=5", "--minSupport=0.5"));
    assertTrue(given.minSupportGiven());
    assertEquals(0.5, given.minSupport());
    MiningJob topOnly = MiningJob.grouped(grouped("job2", "--topK=5"));
    assertFalse(topOnly.minSupportGiven());
    MiningJob plain = MiningJob.grouped(grouped("job3"));
    assertTrue(plain.minSupportGiven());
    assertEquals(MiningJob.DEFAULT_MIN_SUPPORT, plain.minSupport());
  }

  /** Stream's top-k is for target all; closed is refused before the run, naming both options. */
  @Test
  void streamRefusesTopKWithTargetClosed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MiningJob.stream(stream("s4", "--topK=5", "--target=closed")));
    assertTrue(e.getMessage().startsWith("--topK with --target=closed does not apply to stream"));
    assertTrue(MiningJob.grouped(grouped("g4", "--topK=5", "--target=closed")).topK() == 5);
  }

  @Test
  void groupedHonoursAWrittenMinSupportWithTopK() throws IOException {
    assertEquals(2 * AT_HALF, groupedItemsets("g1", "--topK=5", "--minSupport=0.5"));
    assertEquals(2 * TOP_5, groupedItemsets("g2", "--topK=5"));
    assertEquals(2 * AT_HALF, groupedItemsets("g3"));
  }

  @Test
  void streamHonoursAWrittenMinSupportWithTopK() throws IOException {
    assertEquals(AT_HALF, streamItemsets("s1", "--topK=5", "--minSupport=0.5"));
    assertEquals(TOP_5, streamItemsets("s2", "--topK=5"));
    assertEquals(AT_HALF, streamItemsets("s3"));
  }

  private MineGroupedOptions grouped(String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + events,
                "--groupCol=store",
                "--txnCol=txn",
                "--itemCol=item",
                "--outputFormat=jsonl",
                "--output=" + out.resolve(name)));
    args.addAll(List.of(more));
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .withValidation()
        .as(MineGroupedOptions.class);
  }

  private long groupedItemsets(String name, String... more) throws IOException {
    MineGroupedOptions o = grouped(name, more);
    Pipeline p = Pipeline.create(o);
    MineGroupedPipeline.buildPipeline(p, o);
    p.run().waitUntilFinish();
    return MineGroupedPipelineTest.lines(out.resolve(name).resolve("itemsets"));
  }

  private long streamItemsets(String name, String... more) throws IOException {
    MineStreamOptions o = stream(name, more);
    Pipeline p = Pipeline.create(o);
    MineStreamPipeline.buildPipeline(p, o);
    p.run().waitUntilFinish();
    return MineGroupedPipelineTest.lines(out.resolve(name).resolve("itemsets"));
  }

  private MineStreamOptions stream(String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + events,
                "--txnCol=txn",
                "--itemCol=item",
                "--csvTypes=txn:long,item:int",
                "--numItems=3",
                "--shards=2",
                "--outputFormat=jsonl",
                "--output=" + out.resolve(name)));
    args.addAll(List.of(more));
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .withValidation()
        .as(MineStreamOptions.class);
  }
}
