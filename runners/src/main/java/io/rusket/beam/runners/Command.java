package io.rusket.beam.runners;

import java.io.PrintStream;

/**
 * One subcommand of the bundled jar: {@code java -jar rusket-beam.jar NAME [--option=value ...]}.
 * {@link Main} dispatches on the name and handles {@code --help}; a command parses the rest of the
 * arguments itself (with {@link CliArgs}, or as Beam PipelineOptions).
 */
interface Command {
  /** The name users type, e.g. {@code mine}. */
  String name();

  /** One line for the jar's list of commands. */
  String summary();

  /** Prints the command's full help ({@code NAME --help}). */
  void printHelp(PrintStream out);

  /**
   * Whether the command runs Beam pipelines (then, without {@code --verbose}, Spark's logging of
   * failed tasks is kept off stderr while it runs: {@link TaskLogging}).
   */
  default boolean runsPipelines() {
    return false;
  }

  /**
   * Runs the command with the arguments that follow its name.
   *
   * @return the exit code
   * @throws UsageException for a user mistake: a bad option, a missing or malformed file
   * @throws PipelineFailed for a pipeline that failed while running ({@link ErrorReport} tells bad
   *     input data from an internal failure)
   */
  int run(String[] args, PrintStream out, PrintStream err);
}
