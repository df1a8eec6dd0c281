package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The dispatcher: commands, help, and errors before any command runs. (No arguments run the demo on
 * embedded Spark in the working directory: {@link BundledJarIT}.)
 */
class MainTest {
  private static final String COMMANDS =
      "mine, grouped, recommend, stream, sequences, utility, report, generate, demo, selftest";

  @Test
  void helpListsTheCommands() {
    for (String help : new String[] {"--help", "-h"}) {
      Cli r = Cli.run(help);
      assertEquals(Main.EXIT_OK, r.exitCode());
      assertTrue(r.out().startsWith("Usage: java -jar rusket-beam.jar COMMAND"), r.out());
      for (String command : COMMANDS.split(", ")) {
        assertTrue(
            r.out().lines().anyMatch(l -> l.startsWith("  " + command + " ")),
            () -> command + " in\n" + r.out());
      }
      assertTrue(r.out().contains("(no arguments: the demo, on embedded Spark)"), r.out());
      assertEquals("", r.err());
    }
  }

  @Test
  void commandHelpListsEveryOptionAndTheFormats() {
    Cli r = Cli.run("mine", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertEquals("", r.err());
    for (String option :
        new String[] {
          "--input=FILE",
          "--format=baskets|csv",
          "--txnCol=NAME",
          "--itemCol=NAME",
          "--minSupport=S",
          "--minCount=K",
          "--maxLen=N",
          "--method=auto|fpgrowth|eclat",
          "--threads=N",
          "--output=FILE",
          "--outputFormat=jsonl|csv",
          "--rules",
          "--metric=NAME",
          "--minThreshold=X",
          "--rulesOutput=FILE"
        }) {
      assertTrue(r.out().contains("  " + option + " "), () -> option + " in\n" + r.out());
    }
    assertTrue(r.out().contains("{\"support\":0.0123,\"count\":45,\"itemsets\":[\"a\",\"b\"]}"));
    assertTrue(r.out().contains("support,count,itemsets"));
    assertTrue(r.out().contains("joined by '|'"));
    assertTrue(r.out().contains("null in jsonl and inf (or -inf, nan) in csv"));
    assertTrue(r.out().contains(" kulczynski"));
  }

  @Test
  void helpWinsOverOtherOptions() {
    Cli r = Cli.run("mine", "--input=x", "--bogus", "--help");
    assertEquals(Main.EXIT_OK, r.exitCode());
    assertTrue(r.out().startsWith("Usage: java -jar rusket-beam.jar mine"), r.out());
  }

  @Test
  void optionsWithoutCommand() {
    Cli.run("--input=a.dat", "--minSupport=0.1")
        .assertUsageError(
            "no command given before --input=a.dat; commands: " + COMMANDS + " (see --help)");
  }

  @Test
  void unknownCommand() {
    Cli.run("grow", "--input=a.dat")
        .assertUsageError("unknown command 'grow'; commands: " + COMMANDS + " (see --help)");
  }
}
