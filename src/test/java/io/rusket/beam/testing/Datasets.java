package io.rusket.beam.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the public datasets in {@code ../shared/datasets} (never copied into the project) and the
 * reference itemset counts for them. Tests call {@link #require(String)}, which skips the test with
 * a clear message when the folder is absent.
 */
public final class Datasets {
  private Datasets() {}

  /** The datasets folder: system property {@code rusket.datasets}, else ../shared/datasets. */
  public static Path dir() {
    String prop = System.getProperty("rusket.datasets");
    if (prop != null && !prop.isEmpty()) {
      return Paths.get(prop);
    }
    String root = System.getProperty("rusket.root", ".");
    return Paths.get(root).resolve("../shared/datasets").normalize();
  }

  /** The dataset file, or a skipped test (JUnit assumption) when it is absent. */
  public static Path require(String fileName) {
    Path p = dir().resolve(fileName);
    Assumptions.assumeTrue(
        Files.isRegularFile(p),
        "Skipped: dataset " + p + " is absent (tests read ../shared/datasets beside the project)");
    return p;
  }

  /** One row of the reference table. */
  public static final class Reference {
    public final String dataset;

    /** "exact" (mined at minSupport) or "guard" (mined at minCount, one off the threshold). */
    public final String kind;

    public final double minSupport;
    public final long minCount;
    public final long itemsets;
    public final long[] byLength;

    Reference(String[] f) {
      dataset = f[0];
      kind = f[1];
      minSupport = f[2].equals("-") ? Double.NaN : Double.parseDouble(f[2]);
      minCount = Long.parseLong(f[3]);
      itemsets = Long.parseLong(f[4]);
      byLength = Arrays.stream(f[5].split(",")).mapToLong(Long::parseLong).toArray();
    }

    public String file() {
      return dataset + ".dat";
    }

    public boolean exact() {
      return kind.equals("exact");
    }

    @Override
    public String toString() {
      return dataset + (exact() ? " s=" + minSupport : " minCount=" + minCount);
    }
  }

  /** One row of the closed / maximal reference table (golden file condensed-counts.tsv). */
  public static final class CondensedReference {
    public final String dataset;
    public final double minSupport;
    public final long minCount;
    public final long closed;
    public final long maximal;

    CondensedReference(String[] f) {
      dataset = f[0];
      minSupport = Double.parseDouble(f[1]);
      minCount = Long.parseLong(f[2]);
      closed = Long.parseLong(f[3]);
      maximal = Long.parseLong(f[4]);
    }

    public String file() {
      return dataset + ".dat";
    }

    @Override
    public String toString() {
      return dataset + " s=" + minSupport;
    }
  }

  /** The closed / maximal reference rows (golden file condensed-counts.tsv). */
  public static List<CondensedReference> condensedReferences() {
    List<CondensedReference> rows = new ArrayList<>();
    for (String[] f : rows("condensed-counts.tsv")) {
      rows.add(new CondensedReference(f));
    }
    return rows;
  }

  private static List<String[]> rows(String resource) {
    List<String[]> rows = new ArrayList<>();
    try (InputStream in = Datasets.class.getResourceAsStream(resource);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(line.split("\t"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** The reference rows (golden file reference-counts.tsv). */
  public static List<Reference> references() {
    List<Reference> rows = new ArrayList<>();
    for (String[] f : rows("reference-counts.tsv")) {
      rows.add(new Reference(f));
    }
    return rows;
  }
}
