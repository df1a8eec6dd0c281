package io.rusket.beam.runners;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bundled jar's entry point: {@code java -jar rusket-beam.jar COMMAND [--option=value ...]}.
 *
 * <p>Commands: {@code mine} ({@link MineCommand}), {@code grouped} ({@link GroupedCommand}),
 * {@code stream} ({@link StreamCommand}), {@code generate} ({@link GenerateCommand}), {@code
 * demo} ({@link DemoCommand}), {@code selftest} ({@link SelfTestCommand}). No arguments run the
 * demo. {@code --help} prints the commands;
 * {@code COMMAND --help} a command's options. A user mistake (unknown command or option, bad
 * value, missing or malformed file) prints one line starting with {@code error: } on stderr and
 * exits with {@link #EXIT_USAGE}, never with a stack trace.
 */
public final class Main {
  /** Success. */
  public static final int EXIT_OK = 0;

  /** The work could not be done, e.g. the heap is too small. */
  public static final int EXIT_FAILURE = 1;

  /** A user mistake on the command line or in the input. */
  public static final int EXIT_USAGE = 2;

  static final String JAR = "rusket-beam.jar";

  private static final List<Command> COMMANDS =
      List.of(
          new MineCommand(),
          new GroupedCommand(),
          new StreamCommand(),
          new GenerateCommand(),
          new DemoCommand(),
          new SelfTestCommand());

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command line {@code args}, printing results to {@code out} and errors to {@code err}.
   *
   * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      if (args.length == 0) {
        return new DemoCommand().run(args, out, err);
      }
      if (isHelp(args[0])) {
        printHelp(out);
        return EXIT_OK;
      }
      Command command = command(args[0]);
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      if (Arrays.stream(rest).anyMatch(Main::isHelp)) {
        command.printHelp(out);
        return EXIT_OK;
      }
      return command.run(rest, out, err);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return EXIT_USAGE;
    } catch (OutOfMemoryError e) {
      err.println(
          "error: out of memory (max heap " + (Runtime.getRuntime().maxMemory() >> 20)
              + " MB): give Java more with -Xmx, e.g. java -Xmx8g -jar " + JAR
              + ", or ask for less (a higher --minSupport, a --maxLen)");
      return EXIT_FAILURE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static Command command(String name) {
    for (Command c : COMMANDS) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    if (name.startsWith("-")) {
      throw new UsageException(
          "no command given before " + name + "; commands: " + names() + " (see --help)");
    }
    throw new UsageException("unknown command '" + name + "'; commands: " + names() + " (see --help)");
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  private static String names() {
    return COMMANDS.stream().map(Command::name).collect(Collectors.joining(", "));
  }

  private static void printHelp(PrintStream out) {
    out.println("Usage: java -jar " + JAR + " COMMAND [--option=value ...]");
    out.println("       java -jar " + JAR + "    (no arguments: the demo, on embedded Spark)");
    out.println();
    out.println("Commands:");
    for (Command c : COMMANDS) {
      out.printf("  %-10s %s%n", c.name(), c.summary());
    }
    out.println();
    out.println("'java -jar " + JAR + " COMMAND --help' lists a command's options.");
    out.println("Exit status: 0 on success; 2 on a usage or input error, reported as one line");
    out.println("starting with 'error: ' on stderr; 1 when the work could not be done.");
  }
}
