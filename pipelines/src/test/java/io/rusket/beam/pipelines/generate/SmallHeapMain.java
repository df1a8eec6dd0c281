package io.rusket.beam.pipelines.generate;

import io.rusket.beam.pipelines.io.InputFormat;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * Run by {@link GenerateDataTest} in a JVM with a small heap: writes 2M transactions as Arrow and
 * CSV events, streamed ({@code stream DIR}) or generated in memory first ({@code memory DIR}).
 */
public final class SmallHeapMain {
  private SmallHeapMain() {}

  public static void main(String[] args) throws Exception {
    Config c = Config.of(3).withStores(20).withTransactions(2_000_000).withItems(500);
    Path dir = Path.of(args[1]);
    EnumSet<Layout> layouts = EnumSet.of(Layout.EVENTS);
    EnumSet<InputFormat> formats = EnumSet.of(InputFormat.ARROW, InputFormat.CSV);
    if (args[0].equals("stream")) {
      GenerateData.Written w = GenerateData.write(c, dir, layouts, formats);
      System.out.println("transactions=" + w.transactions() + " events=" + w.events());
    } else {
      GenerateData.write(GenerateData.generate(c), dir, layouts, formats);
      System.out.println("written in memory");
    }
  }
}
