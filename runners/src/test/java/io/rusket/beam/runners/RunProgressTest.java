package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;

/** The progress lines, with a fake clock and fake counters (no pipeline). */
class RunProgressTest {
  private static final RunProgress.Counter EVENTS =
      new RunProgress.Counter("events", "TableSource", "rowsRead");
  private static final RunProgress.Counter PAIRS =
      new RunProgress.Counter("pairs", "MineStream", "pairs");

  /** Counters and a stage set by the test. */
  private static final class FakeSource implements RunProgress.Source {
    final Map<RunProgress.Counter, Long> values = new HashMap<>();
    @Nullable String stage;
    boolean broken;

    @Override
    public long count(RunProgress.Counter c) {
      if (broken) {
        throw new IllegalStateException("metrics changed while read");
      }
      return values.getOrDefault(c, 0L);
    }

    @Override
    public @Nullable String stage() {
      return stage;
    }
  }

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final FakeSource source = new FakeSource();

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void linesShowElapsedTimeCountsStageAndTheSummaryRate() {
    RunProgress p = new RunProgress(err, List.of(EVENTS, PAIRS), source, nanos::get);
    p.start("http://127.0.0.1:4040");
    try {
      nanos.addAndGet(10_400_000_000L);
      source.values.put(EVENTS, 41_250_000L);
      source.values.put(PAIRS, 40_118_312L);
      source.stage = "MineStream/ShardPairs";
      p.printProgress();
      nanos.addAndGet(10_000_000_000L);
      source.values.put(EVENTS, 88_000_000L);
      source.stage = null;
      p.printProgress();
      source.broken = true; // metrics unreadable for a moment: no line, no failure
      p.printProgress();
      source.broken = false;
      p.finish(42_100);
    } finally {
      p.close();
    }
    List<String> lines = lines();
    assertEquals(4, lines.size(), lines::toString);
    assertEquals("Spark UI: http://127.0.0.1:4040", lines.get(0));
    assertTrue(
        lines
            .get(1)
            .matches(
                "progress: 10s events=41,250,000 pairs=40,118,312 stage=MineStream/ShardPairs"
                    + " heap=[\\d,]+ MB"),
        lines.get(1));
    assertTrue(
        lines.get(2).matches("progress: 20s events=88,000,000 pairs=40,118,312 heap=[\\d,]+ MB"),
        lines.get(2));
    assertTrue(
        lines
            .get(3)
            .matches(
                "done: 88,000,000 events in 42\\.1 s \\(2\\.09M events/s\\), peak heap [\\d,]+ MB"
                    + " of [\\d,]+ MB"),
        lines.get(3));
    assertEquals(20_400, p.elapsedMillis());
  }

  @Test
  void withoutTheUiNoAddressLine() {
    try (RunProgress p = new RunProgress(err, List.of(EVENTS), source, nanos::get)) {
      p.start(null);
    }
    assertEquals(List.of(), lines());
  }

  /** The timer prints on its own, every interval. */
  @Test
  void theTimerPrintsEveryInterval() throws InterruptedException {
    long before = RunProgress.intervalMillis;
    RunProgress.intervalMillis = 20;
    try (RunProgress p = new RunProgress(err, List.of(EVENTS), source, System::nanoTime)) {
      p.start(null);
      long deadline = System.currentTimeMillis() + 10_000;
      while (lines().size() < 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      RunProgress.intervalMillis = before;
    }
    assertTrue(lines().size() >= 3, () -> lines().toString());
    assertTrue(
        lines().stream().allMatch(l -> l.startsWith("progress: ")), () -> lines().toString());
  }

  @Test
  void formats() {
    assertEquals(
        "progress: 0s events=0 heap=1 MB",
        RunProgress.progressLine(999, List.of(EVENTS), new long[] {0}, null, 1 << 20));
    assertEquals("1,234,567", RunProgress.grouped(1_234_567));
    assertEquals("2,048 MB", RunProgress.megabytes(2L << 30));
    assertEquals("310k", RunProgress.rate(310_000));
    assertEquals("12", RunProgress.rate(12.4));
    assertEquals(
        "done: 0 events in 0.0 s (0 events/s), peak heap 1 MB of 2 MB",
        RunProgress.summaryLine(0, "events", 0, 1 << 20, 2 << 20));
    assertThrows(
        IllegalArgumentException.class, () -> new RunProgress(err, List.of(), source, nanos::get));
  }
}
