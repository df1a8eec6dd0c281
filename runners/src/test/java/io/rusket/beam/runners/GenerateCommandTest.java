package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate}: GenerateData's options, output and errors. */
class GenerateCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheChosenLayoutsAndFormatsAndSaysWhat() throws IOException {
    Path out = dir.resolve("data");
    Cli r =
        Cli.run(
            "generate",
            "--output=" + out,
            "--seed=3",
            "--stores=4",
            "--transactions=500",
            "--items=30",
            "--meanBasketSize=3",
            "--storeSkew=2",
            "--itemSkew=0.5",
            "--bundles=4",
            "--bundleProbability=0.5",
            "--itemNameColumn",
            "--layouts=events,items",
            "--formats=csv,parquet");
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(
        "seed=3 stores=4 transactions=500 items=30 meanBasketSize=3.0 storeSkew=2.0 itemSkew=0.5"
            + " bundles=4 bundleProbability=0.5 itemNameColumn=true",
        lines.get(0));
    assertTrue(
        lines.get(1).matches("transactions=500 events=\\d+ generateMillis=\\d+ writeMillis=\\d+"),
        lines::toString);
    assertEquals(6, lines.size(), lines::toString);
    for (String f : List.of("events.csv", "events.parquet", "items.csv", "items.parquet")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
      assertTrue(r.out().contains(out.resolve(f) + " " + Files.size(out.resolve(f)) + " bytes"), f);
    }
    List<String> csv = Files.readAllLines(out.resolve("events.csv"));
    assertEquals("store_id,transaction_id,item_id,item", csv.get(0));
    long events = Long.parseLong(lines.get(1).split(" ")[1].substring("events=".length()));
    assertEquals(events + 1, csv.size());
  }

  @Test
  void sameOptionsGiveTheSameBytes() throws IOException {
    for (String sub : List.of("a", "b")) {
      Cli r =
          Cli.run(
              "generate",
              "--output=" + dir.resolve(sub),
              "--transactions=300",
              "--stores=3",
              "--items=20",
              "--layouts=receipts",
              "--formats=csv");
      assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    }
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a/receipts.csv")),
        Files.readAllBytes(dir.resolve("b/receipts.csv")));
  }

  @Test
  void defaultsAreGenerateDatas() throws IOException {
    Cli r = Cli.run("generate", "--output=" + dir, "--transactions=100", "--formats=csv");
    assertEquals(Main.EXIT_OK, r.exitCode(), r::err);
    assertTrue(
        r.out()
            .startsWith(
                "seed=42 stores=20 transactions=100 items=200 meanBasketSize=4.4"
                    + " storeSkew=1.1 itemSkew=1.0 bundles=12 bundleProbability=0.3 itemNameColumn=false"),
        r::out);
    for (String f : List.of("receipts.csv", "events.csv", "items.csv")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
  }

  @Test
  void mistakesAreUsageErrors() {
    Cli.run("generate", "--stores=3").assertUsageError("missing --output=DIR");
    Cli.run("generate", "--output=" + dir, "--stores=0")
        .assertUsageError("Invalid stores: 0. Valid range is [1, 1000000].");
    Cli.run("generate", "--output=" + dir, "--stores=x")
        .assertUsageErrorContaining("Invalid --stores: x");
    Cli.run("generate", "--output=" + dir, "--stores=30", "--transactions=10")
        .assertUsageErrorContaining("Invalid transactions: 10");
    Cli.run("generate", "--output=" + dir, "--formats=orc")
        .assertUsageError("Invalid --formats: orc. Valid values are parquet, arrow, csv.");
    Cli.run("generate", "--output=" + dir, "--layouts=baskets")
        .assertUsageError(
            "Invalid --layouts: baskets. Valid values are receipts, events, items, sequences.");
    Cli.run("generate", "--output=" + dir, "--size=3").assertUsageErrorContaining("--size");
  }

  @Test
  void unwritableOutputIsAUsageError() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Cli.run("generate", "--output=" + file.resolve("sub"), "--transactions=100", "--formats=csv")
        .assertUsageErrorContaining("cannot write");
  }

  @Test
  void helpListsTheOptions() {
    Cli r = Cli.run("generate", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    for (String o :
        List.of(
            "--output=DIR",
            "--seed=N",
            "--stores=N",
            "--transactions=N",
            "--items=N",
            "--meanBasketSize=X",
            "--storeSkew=X",
            "--itemSkew=X",
            "--bundles=N",
            "--bundleProbability=X",
            "--itemNameColumn",
            "--layouts=receipts,events,items",
            "--formats=parquet,arrow,csv")) {
      assertTrue(r.out().contains("  " + o + " "), () -> o + " in\n" + r.out());
    }
  }
}
