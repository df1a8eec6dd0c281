package io.rusket.beam.runners;

import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import io.rusket.beam.runners.CliArgs.Option;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code generate}: writes deterministic synthetic retail data with {@link GenerateData} (this
 * command is its entry point) as one-hot receipts, event logs and an item table in Parquet, Arrow
 * IPC and CSV. Prints the settings, then {@code transactions=N events=E generateMillis=T
 * writeMillis=T}, then each file written with its size.
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
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    CliArgs a = CliArgs.parse(NAME, OPTIONS, args);
    Path dir = a.requiredPath("output");
    Set<Layout> layouts =
        a.has("layouts") ? layouts(a.string("layouts")) : EnumSet.allOf(Layout.class);
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
            "Invalid --layouts: " + v + ". Valid values are receipts, events, items.");
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
