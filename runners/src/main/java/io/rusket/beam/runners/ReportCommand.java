package io.rusket.beam.runners;

import io.rusket.beam.pipelines.MiningOptions;
import io.rusket.beam.runners.report.Report;
import io.rusket.beam.runners.report.RunInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code report}: the HTML report of a result directory ({@link Report}) — {@code --input=DIR} the
 * {@code --output} of a {@code grouped} or {@code stream} run (its {@code itemsets/} and {@code
 * rules/} in any output format, on any file system the jar reads), {@code --output=FILE} the page
 * (default {@code DIR/report.html}). Prints one line:
 *
 * <pre>{@code
 * groups=G itemsets=K rules=R report=FILE millis=T
 * }</pre>
 *
 * <p>Also the {@code --report} flag of {@code grouped} and {@code stream} ({@link #take}, {@link
 * #writeBeside}): after the run, {@value RunInfo#FILE} and {@value Report#FILE} are written in the
 * output directory and the report's path is printed after the summary line, as {@code report=FILE}.
 * The report's classes are loaded only then, never on the way to another command.
 */
final class ReportCommand implements Command {
  static final String NAME = "report";

  /** The flag of grouped and stream. */
  static final String FLAG = "report";

  static final List<CliArgs.Option> OPTIONS =
      List.of(
          new CliArgs.Option(
              "input", "DIR", "the result directory: the --output of a grouped or stream run"),
          new CliArgs.Option("output", "FILE", "the page to write (default: DIR/report.html)"),
          new CliArgs.Option(
              "topRules",
              "N",
              "rules shown per group, the strongest by lift (default "
                  + Report.DEFAULT_TOP_RULES
                  + ")"),
          new CliArgs.Option(
              "topItems",
              "N",
              "items shown per group, by support (default " + Report.DEFAULT_TOP_ITEMS + ")"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "an HTML report (tables, plots) of a grouped or stream result directory";
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println("Usage: java -jar " + Main.JAR + " " + NAME + " --input=DIR [--output=FILE]");
    out.println();
    out.println("Reads the itemsets/ and rules/ that grouped or stream wrote in DIR (Parquet,");
    out.println("JSON lines or CSV; local, hdfs://, s3:// or gs://) and DIR/" + RunInfo.FILE);
    out.println("if present, and writes one self-contained HTML page (no network needed to view");
    out.println("it): the run's summary, a sortable table of the groups, and per group a");
    out.println("support-confidence scatter of its rules coloured by lift, its items of highest");
    out.println("support, its itemsets by length, a sortable table of its strongest rules");
    out.println("(filterable by item) and a graph of them. Prints one line:");
    out.println("  groups=G itemsets=K rules=R report=FILE millis=T");
    out.println();
    out.println("Options:");
    for (CliArgs.Option o : OPTIONS) {
      out.printf("  %-18s %s%n", o.usage(), o.description());
    }
    out.println("  and for remote paths Beam's file system options (--hdfsConfiguration,");
    out.println("  --awsRegion, --endpoint, ...), as grouped takes them.");
    out.println();
    out.println("grouped and stream write the same page beside their results with --report.");
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    long start = System.nanoTime();
    Set<String> ours = new HashSet<>();
    OPTIONS.forEach(o -> ours.add(o.name()));
    List<String> own = new ArrayList<>();
    List<String> fileSystem = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") ? arg.substring(2, eq < 0 ? arg.length() : eq) : "";
      (ours.contains(name) || name.isEmpty() ? own : fileSystem).add(arg);
    }
    CliArgs a = CliArgs.parse(NAME, OPTIONS, own.toArray(new String[0]));
    String input = a.required("input");
    Integer topRules = a.integer("topRules");
    Integer topItems = a.integer("topItems");
    int rules = topRules == null ? Report.DEFAULT_TOP_RULES : topRules;
    int items = topItems == null ? Report.DEFAULT_TOP_ITEMS : topItems;
    if (rules < 1 || items < 1) {
      throw new UsageException(
          "Invalid --"
              + (rules < 1 ? "topRules: " + rules : "topItems: " + items)
              + ". It must be at least 1.");
    }
    String output = a.has("output") ? a.string("output") : null;
    if (!fileSystem.isEmpty()
        || FileSystemSetup.isRemote(input)
        || FileSystemSetup.isRemote(output)) {
      String[] beam = fileSystem.toArray(new String[0]);
      BeamArgs.check(beam, FileSystemOptions.class);
      PipelineOptions options;
      try {
        options = PipelineOptionsFactory.fromArgs(beam).as(FileSystemOptions.class);
      } catch (IllegalArgumentException e) {
        throw new UsageException(BeamArgs.beamMessage(e), e);
      }
      List<String> paths = new ArrayList<>(List.of("--input=" + input));
      if (output != null) {
        paths.add("--output=" + output);
      }
      paths.addAll(fileSystem);
      FileSystemSetup.apply(options, paths.toArray(new String[0]));
    }
    Report.Written w = write(input, output == null ? Report.besides(input) : output, rules, items);
    out.println(
        "groups="
            + w.groups()
            + " itemsets="
            + w.itemsets()
            + " rules="
            + w.rules()
            + " report="
            + w.file()
            + " millis="
            + (System.nanoTime() - start) / 1_000_000);
    return Main.EXIT_OK;
  }

  private static Report.Written write(String input, String file, int topRules, int topItems) {
    try {
      return Report.write(input, file, topRules, topItems);
    } catch (IllegalArgumentException e) {
      throw new UsageException("report: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UsageException(
          "report: cannot read " + input + " or write " + file + ": " + FileSystemSetup.reason(e),
          e);
    }
  }

  /** A command line without {@code --report}, and whether it was given. */
  record Taken(String[] rest, boolean report) {}

  /**
   * Takes {@code --report} (or {@code --report=true|false}) out of grouped's or stream's arguments.
   *
   * @throws UsageException for another value, or the flag given twice
   */
  static Taken take(String[] args) {
    List<String> rest = new ArrayList<>();
    Boolean report = null;
    for (String arg : args) {
      if (arg.equals("--" + FLAG) || arg.startsWith("--" + FLAG + "=")) {
        String value = arg.equals("--" + FLAG) ? "true" : arg.substring(FLAG.length() + 3);
        if (!value.equals("true") && !value.equals("false")) {
          throw new UsageException(
              "Invalid --"
                  + FLAG
                  + ": "
                  + value
                  + ". It is a flag: --report or --report=true|false.");
        }
        if (report != null) {
          throw new UsageException("--" + FLAG + " is given more than once");
        }
        report = value.equals("true");
      } else {
        rest.add(arg);
      }
    }
    return new Taken(rest.toArray(new String[0]), report != null && report);
  }

  /** The line of grouped's and stream's help for {@code --report}. */
  static void printFlagHelp(PrintStream out) {
    out.println("  --report  after the run, also write DIR/" + Report.FILE + " (an HTML report:");
    out.println(
        "      tables and plots of the results; see report --help) and DIR/" + RunInfo.FILE);
    out.println("      (the run's settings and counts), and print report=FILE after the summary");
  }

  /** The run info of a grouped or stream run of {@code options}: settings, then counts. */
  static RunInfo runInfo(String command, MiningOptions options, String runner) {
    return RunInfo.of(command)
        .put("runner", runner)
        .put("input", options.getInput())
        .put("inputFormat", options.getInputFormat())
        .put("txnCol", options.getTxnCol())
        .put("itemCol", options.getItemCol())
        .put("minSupport", options.getMinSupport())
        .put("method", options.getMethod())
        .put("target", options.getTarget())
        .put("topK", options.getTopK())
        .put("minLen", options.getMinLen())
        .put("maxLen", options.getMaxLen())
        .put("metric", options.getRules() ? options.getMetric() : null)
        .put("minThreshold", options.getRules() ? options.getMinThreshold() : null);
  }

  /**
   * Writes {@code info} and the report of result directory {@code dir} in it, and prints {@code
   * report=FILE} on {@code out}.
   *
   * @throws UsageException if either cannot be written, or the results not read
   */
  static void writeBeside(String dir, RunInfo info, PrintStream out) {
    try {
      info.write(dir);
    } catch (IOException | RuntimeException e) {
      throw new UsageException(
          "--report: cannot write "
              + RunInfo.FILE
              + " in "
              + dir
              + ": "
              + FileSystemSetup.reason(e),
          e);
    }
    Report.Written w =
        write(dir, Report.besides(dir), Report.DEFAULT_TOP_RULES, Report.DEFAULT_TOP_ITEMS);
    out.println("report=" + w.file());
  }
}
