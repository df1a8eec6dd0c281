package io.rusket.beam.runners;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bundled jar's entry point: {@code java -jar rusket-beam.jar COMMAND [--option=value ...]}.
 *
 * <p>Commands: {@code mine} ({@link MineCommand}), {@code grouped} ({@link GroupedCommand}), {@code
 * recommend} ({@link RecommendCommand}), {@code stream} ({@link StreamCommand}), {@code sequences}
 * ({@link SequencesCommand}), {@code report} ({@link ReportCommand}), {@code generate} ({@link
 * GenerateCommand}), {@code demo} ({@link DemoCommand}), {@code selftest} ({@link
 * SelfTestCommand}). No arguments run the demo. {@code --help} prints the commands; {@code COMMAND
 * --help} a command's options. A user mistake (unknown command or option, bad value, missing or
 * malformed file, bad input data met while a pipeline runs) prints one line starting with {@code
 * error: } on stderr and exits with {@link #EXIT_USAGE}; the stack trace only with {@code
 * --verbose}, which every command takes ({@link ErrorReport}). A command that runs out of memory
 * prints one line {@code error: out of memory in ...} and exits with {@link #EXIT_FAILURE}. The
 * pipeline commands print their progress on stderr unless {@code --quiet} ({@link RunProgress}).
 */
public final class Main {
  /** Success. */
  public static final int EXIT_OK = 0;

  /** The work could not be done, e.g. the heap is too small. */
  public static final int EXIT_FAILURE = 1;

  /** A user mistake on the command line or in the input. */
  public static final int EXIT_USAGE = 2;

  /**
   * The jar's name in help and messages: the file this class was loaded from when it is one of ours
   * ({@code rusket-beam.jar}, {@code rusket-beam-flink.jar}, ...), else {@code rusket-beam.jar}.
   */
  static final String JAR = jarName();

  private static String jarName() {
    try {
      CodeSource source = Main.class.getProtectionDomain().getCodeSource();
      String name = source == null ? "" : Path.of(source.getLocation().toURI()).getFileName() + "";
      return name.matches("rusket-beam[\\w.-]*\\.jar") ? name : "rusket-beam.jar";
    } catch (URISyntaxException | RuntimeException e) {
      return "rusket-beam.jar";
    }
  }

  /**
   * The commands, in the order of {@code --help}. An instance field, built only when a command is
   * looked up by name or listed: {@code mine} is found without it ({@link #command}), so it loads
   * none of the other commands' classes (and so nothing of Beam, Spark or log4j). A command's
   * constructor, {@link Command#name()} and {@link Command#summary()} must not touch Beam, Spark or
   * logging either: {@code --help} and an unknown command build them all.
   */
  private final List<Command> commands =
      List.of(
          new MineCommand(),
          new GroupedCommand(),
          new RecommendCommand(),
          new StreamCommand(),
          new SequencesCommand(),
          new UtilityCommand(),
          new ReportCommand(),
          new GenerateCommand(),
          new DemoCommand(),
          new SelfTestCommand());

  private Main() {}

  /** The commands ({@link #commands}). */
  private static List<Command> commands() {
    return new Main().commands;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The flag every command takes: on an error, print the stack trace (and Spark's task logs). */
  static final String VERBOSE = "verbose";

  /**
   * Runs the command line {@code args}, printing results to {@code out} and errors to {@code err}.
   * An error is one line {@code error: ...} ({@link ErrorReport}); with {@code --verbose} (anywhere
   * on the line) its stack trace follows, and Spark's logging of failed tasks stays on.
   *
   * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean verbose = false;
    try {
      List<String> rest = new ArrayList<>();
      for (String arg : args) {
        if (arg.equals("--" + VERBOSE) || arg.startsWith("--" + VERBOSE + "=")) {
          verbose = verbose(arg);
        } else {
          rest.add(arg);
        }
      }
      return dispatch(rest.toArray(new String[0]), out, err, verbose);
    } catch (Throwable t) {
      return ErrorReport.report(t, verbose, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static boolean verbose(String arg) {
    String value = arg.equals("--" + VERBOSE) ? "true" : arg.substring(VERBOSE.length() + 3);
    if (!value.equals("true") && !value.equals("false")) {
      throw new UsageException(
          "Invalid --"
              + VERBOSE
              + ": "
              + value
              + ". It is a flag: --"
              + VERBOSE
              + " or --"
              + VERBOSE
              + "=true|false.");
    }
    return value.equals("true");
  }

  private static int dispatch(String[] args, PrintStream out, PrintStream err, boolean verbose)
      throws Exception {
    if (args.length > 0 && isHelp(args[0])) {
      printHelp(out);
      return EXIT_OK;
    }
    Command command = args.length == 0 ? new DemoCommand() : command(args[0]);
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    if (anyHelp(rest)) {
      command.printHelp(out);
      printCommonOptions(out);
      return EXIT_OK;
    }
    if (verbose || !command.runsPipelines()) {
      return command.run(rest, out, err);
    }
    // Spark's task logs are turned off when a pipeline starts (PipelineRun.runAndWait), not here:
    // an argument error must not initialise log4j (issue 14)
    Boolean before = PipelineRun.QUIET_TASK_LOGS.get();
    PipelineRun.QUIET_TASK_LOGS.set(Boolean.TRUE);
    try {
      return command.run(rest, out, err);
    } finally {
      PipelineRun.QUIET_TASK_LOGS.set(before);
    }
  }

  /** The options of {@link #run} itself, at the end of every command's help. */
  private static void printCommonOptions(PrintStream out) {
    out.println();
    out.println("Every command also takes:");
    out.println("  --verbose   on an error, also print its stack trace (and, on Spark, the");
    out.println("              executor's logs of failed tasks); without it an error is one line");
    out.println("              'error: ...' on stderr, exit status 2 for a mistake in the");
    out.println("              options or the input data, 1 when the work could not be done.");
  }

  private static Command command(String name) {
    if (name.equals(MineCommand.NAME)) {
      return new MineCommand(); // the fast path: no other command's class is loaded
    }
    for (Command c : commands()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    if (name.startsWith("-")) {
      throw new UsageException(
          "no command given before " + name + "; commands: " + names() + " (see --help)");
    }
    throw new UsageException(
        "unknown command '" + name + "'; commands: " + names() + " (see --help)");
  }

  /** Whether {@code args} hold {@code --help} (a loop, not a stream: no lambda at start). */
  private static boolean anyHelp(String[] args) {
    for (String arg : args) {
      if (isHelp(arg)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  private static String names() {
    return commands().stream().map(Command::name).collect(Collectors.joining(", "));
  }

  private static void printHelp(PrintStream out) {
    out.println("Usage: java -jar " + JAR + " COMMAND [--option=value ...]");
    out.println("       java -jar " + JAR + "    (no arguments: the demo, on embedded Spark)");
    out.println();
    out.println("Commands:");
    for (Command c : commands()) {
      out.printf("  %-10s %s%n", c.name(), c.summary());
    }
    out.println();
    out.println("'java -jar " + JAR + " COMMAND --help' lists a command's options.");
    out.println("Exit status: 0 on success; 2 on a usage or input error, reported as one line");
    out.println("starting with 'error: ' on stderr; 1 when the work could not be done.");
    out.println("--verbose (with any command) adds the error's stack trace.");
    out.println("grouped, stream and demo print their progress on stderr (the Spark UI address,");
    out.println("a line every 10 s, a summary); --quiet turns it off.");
  }
}
