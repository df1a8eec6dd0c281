package io.rusket.beam.bench;

import java.io.PrintStream;

/**
 * One benchmark suite, selected with {@code --suite=NAME}. Suites are registered in {@link
 * Benchmark#SUITES}; each reads the common {@link BenchOptions} and prints its own report.
 */
interface Suite {
  /** The name used with {@code --suite}. */
  String name();

  /** One line for the usage text. */
  String description();

  /**
   * Runs the suite, printing the report to {@code out} and progress to {@code err}.
   *
   * @return the process exit code: 0 when every result is correct (performance targets missed are
   *     reported, not failed), 1 when a result disagrees with the reference or a peer
   */
  int run(BenchOptions options, PrintStream out, PrintStream err) throws Exception;
}
