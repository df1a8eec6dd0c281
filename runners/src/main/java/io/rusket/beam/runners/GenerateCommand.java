package io.rusket.beam.runners;

import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.runners.CliArgs.Option;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code generate}: writes deterministic synthetic retail data with {@link GenerateData} (this
 * command is its entry point) as one-hot receipts, event logs and an item table in Parquet, Arrow
 * IPC and CSV. Prints the settings, then {@code transactions=N events=E generateMillis=T
 * writeMillis=T}, then each file written with its size. A remote {@code --output} (hdfs://, s3://,
 * gs://) takes the file-system options of the pipeline commands; the files are generated locally
 * (in a temporary directory) and copied there.
 */
final class GenerateCommand implements Command {
  static final String NAME = "generate";

  /** The seed without {@code --seed}. */
  static final long DEFAULT_SEED = 42;

  private static final List<Option> OPTIONS =
      List.of(
          new Option(
              "output", "DIR", "where to write (required; created if needed, files replaced)"),
          new Option("seed", "N", "the random seed (default: " + DEFAULT_SEED + ")"),
          new Option("stores", "N", "number of stores (default: " + Config.DEFAULT_STORES + ")"),
          new Option(
              "transactions",
              "N",
              "transactions over all stores (default: " + Config.DEFAULT_TRANSACTIONS + ")"),
          new Option("items", "N", "distinct items (default: " + Config.DEFAULT_ITEMS + ")"),
          new Option(
              "meanBasketSize",
              "X",
              "mean distinct items per basket (default: " + Config.DEFAULT_MEAN_BASKET_SIZE + ")"),
          new Option(
              "storeSkew",
              "X",
              "Zipf exponent of store sizes, 0 = equal (default: "
                  + Config.DEFAULT_STORE_SKEW
                  + ")"),
          new Option(
              "itemSkew",
              "X",
              "Zipf exponent of item popularity (default: " + Config.DEFAULT_ITEM_SKEW + ")"),
          new Option(
              "bundles",
              "N",
              "bundles of 2-3 items bought together (default: " + Config.DEFAULT_BUNDLES + ")"),
          new Option(
              "bundleProbability",
              "X",
              "chance that a basket holds a bundle (default: "
                  + Config.DEFAULT_BUNDLE_PROBABILITY
                  + ")"),
          Option.flag("itemNameColumn", "events also carry the item name (item STRING)"),
          Option.flag(
              "utilityColumns",
              "events also carry quantity INT32 and profit DOUBLE (for the utility command)"),
          new Option("layouts", "receipts,events,items", "what to write (default: all three)"),
          new Option("formats", "parquet,arrow,csv", "file formats (default: parquet,arrow)"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "write synthetic retail data (stores, receipts, events) as Parquet, Arrow or CSV";
  }

  @Override
  public void printHelp(PrintStream out) {
    out.println("Usage: java -jar " + Main.JAR + " " + NAME + " --output=DIR [options]");
    out.println();
    out.println("Generates deterministic retail data (the same options give the same bytes):");
    out.println("stores of Zipf sizes, items of Zipf popularity, baskets of 1 + Poisson items,");
    out.println("co-occurring bundles. Writes, for each layout and format, DIR/LAYOUT.EXT:");
    out.println("  receipts  one-hot: store_id STRING, then one BOOLEAN column per item");
    out.println("  events    store_id STRING, transaction_id INT64, item_id INT32 [, item STRING]");
    out.println("  items     item_id INT32, item STRING");
    out.println("  sequences (only when listed) customers' visits, one row per visit and item:");
    out.println("            store_id STRING, customer_id INT64, day INT64, item_id INT32,");
    out.println("            item STRING; --transactions is the number of visits");
    out.println("Prints the settings, 'transactions=N events=E generateMillis=T writeMillis=T'");
    out.println("and each file written with its size.");
    out.println();
    out.println("Options:");
    for (Option o : OPTIONS) {
      out.printf("  %-40s %s%n", o.usage(), o.description());
    }
    out.println();
    out.println("Example:");
    out.println(
        "  java -jar "
            + Main.JAR
            + " "
            + NAME
            + " --output=data --stores=50"
            + " --transactions=2000000 --items=500 \\");
    out.println("      --layouts=events,items --formats=parquet --itemNameColumn");
    out.println();
    out.println("DIR may be hdfs://, s3:// or gs:// (generated in a temporary local directory,");
    out.println("then copied), with the file-system options of grouped and stream:");
    OptionsHelp.printFileSystemOptions(out);
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    String output = outputOf(args);
    if (FileSystemSetup.isRemote(output)) {
      return runRemote(args, output, out, err);
    }
    CliArgs a = CliArgs.parse(NAME, OPTIONS, args);
    Path dir = a.requiredPath("output");
    Set<Layout> layouts =
        a.has("layouts")
            ? layouts(a.string("layouts"))
            : EnumSet.of(Layout.RECEIPTS, Layout.EVENTS, Layout.ITEMS);
    Set<InputFormat> formats =
        a.has("formats")
            ? formats(a.string("formats"))
            : EnumSet.of(InputFormat.PARQUET, InputFormat.ARROW);
    Config c = config(a);
    GenerateData.Written w;
    try {
      w = GenerateData.write(c, dir, layouts, formats);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    } catch (IOException e) {
      throw UsageException.io("cannot write", dir, e);
    }
    List<Path> files = w.files();
    out.println(c);
    out.printf(
        Locale.ROOT,
        "transactions=%d events=%d generateMillis=%d writeMillis=%d%n",
        w.transactions(),
        w.events(),
        w.generateMillis(),
        w.writeMillis());
    for (Path f : files) {
      try {
        out.println(f + " " + Files.size(f) + " bytes");
      } catch (IOException e) {
        throw UsageException.io("cannot read", f, e);
      }
    }
    return Main.EXIT_OK;
  }

  /** The value of the last {@code --output=} of {@code args}, or null. */
  private static @Nullable String outputOf(String[] args) {
    String v = null;
    for (String arg : args) {
      if (arg.startsWith("--output=")) {
        v = arg.substring("--output=".length());
      }
    }
    return v;
  }

  /**
   * {@code generate --output=hdfs://...|s3://...|gs://...}: the file-system options (Beam's, as for
   * {@code grouped}: {@code --hdfsConfiguration}, {@code --awsRegion}, {@code --endpoint}, ...) are
   * taken out of {@code args} and the output checked before anything is generated ({@link
   * FileSystemSetup#checkOutput}); the files are written to a local temporary directory, then
   * copied to the output through Beam's file systems and deleted.
   */
  private int runRemote(String[] args, String output, PrintStream out, PrintStream err) {
    Set<String> ours = new HashSet<>();
    OPTIONS.forEach(o -> ours.add(o.name()));
    List<String> own = new ArrayList<>();
    List<String> fileSystem = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") ? arg.substring(2, eq < 0 ? arg.length() : eq) : "";
      (ours.contains(name) || name.isEmpty() ? own : fileSystem).add(arg);
    }
    String[] beam = fileSystem.toArray(new String[0]);
    BeamArgs.check(beam, FileSystemOptions.class);
    FileSystemOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(beam).as(FileSystemOptions.class);
    } catch (IllegalArgumentException e) {
      throw new UsageException(BeamArgs.beamMessage(e), e);
    }
    fileSystem.add("--output=" + output);
    FileSystemSetup.apply(options, fileSystem.toArray(new String[0]));
    FileSystemSetup.checkOutput(options, output);
    Path local;
    try {
      local = Files.createTempDirectory("rusket-generate-");
    } catch (IOException e) {
      throw UsageException.io("cannot create a temporary directory in", Path.of("."), e);
    }
    try {
      List<String> localArgs = new ArrayList<>();
      for (String arg : own) {
        localArgs.add(arg.startsWith("--output=") ? "--output=" + local : arg);
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      PrintStream printed = new PrintStream(buf, true, StandardCharsets.UTF_8);
      int code = run(localArgs.toArray(new String[0]), printed, err);
      ResourceId dir = FileSystems.matchNewResource(output, true);
      for (String line : buf.toString(StandardCharsets.UTF_8).split("\\R")) {
        if (line.startsWith(local + File.separator) && line.endsWith(" bytes")) {
          String rest = line.substring(local.toString().length() + 1);
          String name = rest.substring(0, rest.indexOf(' '));
          ResourceId to = dir.resolve(name, StandardResolveOptions.RESOLVE_FILE);
          // One close, the stream's (S3's channel completes its upload on each close)
          try (OutputStream os =
              Channels.newOutputStream(FileSystems.create(to, MimeTypes.BINARY))) {
            Files.copy(local.resolve(name), os);
          } catch (IOException | RuntimeException e) { // the AWS SDK's exceptions are unchecked
            throw new UsageException(
                "--output: cannot write " + to + ": " + FileSystemSetup.reason(e), e);
          }
          out.println(to + rest.substring(name.length()));
        } else if (!line.isEmpty()) {
          out.println(line);
        }
      }
      return code;
    } finally {
      deleteTree(local);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory: the system cleans it eventually.
    }
  }

  /**
   * The settings of {@code a}, applied in an order where each check sees the values it depends on
   * (stores before transactions, items before the basket size).
   */
  private static Config config(CliArgs a) {
    Long seed = a.integer64("seed");
    Config c = Config.of(seed == null ? DEFAULT_SEED : seed);
    try {
      if (a.has("stores")) {
        c = c.withStores(a.integer("stores"));
      }
      if (a.has("transactions")) {
        c = c.withTransactions(a.integer64("transactions"));
      }
      if (a.has("items")) {
        c = c.withItems(a.integer("items"));
      }
      if (a.has("meanBasketSize")) {
        c = c.withMeanBasketSize(a.decimal("meanBasketSize"));
      }
      if (a.has("storeSkew")) {
        c = c.withStoreSkew(a.decimal("storeSkew"));
      }
      if (a.has("itemSkew")) {
        c = c.withItemSkew(a.decimal("itemSkew"));
      }
      if (a.has("bundles") || a.has("bundleProbability")) {
        Integer bundles = a.integer("bundles");
        Double p = a.decimal("bundleProbability");
        c =
            c.withBundles(
                bundles == null ? Config.DEFAULT_BUNDLES : bundles,
                p == null ? Config.DEFAULT_BUNDLE_PROBABILITY : p);
      }
      if (a.flag("itemNameColumn")) {
        c = c.withItemNameColumn(true);
      }
      if (a.flag("utilityColumns")) {
        c = c.withUtilityColumns(true);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
    return c;
  }

  private static Set<Layout> layouts(String v) {
    Set<Layout> set = EnumSet.noneOf(Layout.class);
    for (String s : v.split(",")) {
      try {
        set.add(Layout.valueOf(s.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "Invalid --layouts: " + v + ". Valid values are receipts, events, items, sequences.");
      }
    }
    return set;
  }

  private static Set<InputFormat> formats(String v) {
    Set<InputFormat> set = EnumSet.noneOf(InputFormat.class);
    for (String s : v.split(",")) {
      try {
        set.add(InputFormat.parse(s));
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "Invalid --formats: " + v + ". Valid values are parquet, arrow, csv.");
      }
    }
    return set;
  }
}
