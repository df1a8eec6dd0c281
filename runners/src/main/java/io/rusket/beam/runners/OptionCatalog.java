package io.rusket.beam.runners;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The option names (and their kinds) of the Beam options interfaces that other jars register, read
 * from the resources {@value #RESOURCE} (and in the Flink jar {@value #FLINK_RESOURCE}) instead of
 * from Beam's registry, so that a pipeline command's argument errors ({@link BeamArgs}) are found
 * without initialising Beam's {@code PipelineOptionsFactory}, and with it Jackson, Beam's file
 * systems, Spark's classes and log4j (issue 14: {@code grouped --bogus=1} took 1.4 s whole-process
 * that way, {@code grouped --help} 0.14 s).
 *
 * <p>Why a list written at development time rather than reflection at run time: Beam's registry is
 * filled by the {@code PipelineOptionsRegistrar}s named in the {@value #SERVICES} files (13 in the
 * bundled jar: Beam core's, the Spark, Direct, Hadoop, AWS and GCP ones and ours); instantiating
 * them and reflecting over their ~60 interfaces loads those interfaces, every type their getters
 * name and the annotations' factory classes (Spark's {@code StorageLevel} enum among them). The
 * list, keyed by registrar class name, costs one resource read. It holds only registrars of other
 * projects, whose options change with their versions (the Beam version pinned in the parent pom):
 * ours (the {@code io.rusket.} registrars, {@link FileSystemOptions}) and the command's own options
 * interface are always reflected, so our options never drift from it. {@code OptionCatalogTest}
 * compares the list with what Beam's registry holds on the runners' class path (the bundled jar's),
 * so an upgrade of Beam that changes an option fails the build (its message says how to rewrite the
 * file: {@link #write}).
 *
 * <p>Soundness: {@link #registered} answers only when every registrar named in the class path's
 * service files is in a list (or ours); otherwise (a user's jar on the class path, another
 * runner's) it returns null and {@link BeamArgs} asks Beam's registry, as before. The Flink jar's
 * {@code FlinkRunnerRegistrar} is in the list of {@code runners/flink} ({@value #FLINK_RESOURCE}),
 * which {@code FlinkOptionCatalogTest} compares with Beam's registry there.
 *
 * <p>Format: a line {@code registrar CLASS}, then a line {@code NAME KIND} per option of its
 * interfaces ({@link Kind}) but those of {@code PipelineOptions} itself (every command's options
 * interface extends it); {@code #} starts a comment.
 */
final class OptionCatalog {
  /** The list of other projects' registrars and their options (those of rusket-runners). */
  static final String RESOURCE = "io/rusket/beam/runners/beam-options.txt";

  /**
   * The list of the registrars the Flink jar adds (Beam's Flink runner's), from {@code
   * runners/flink}: a name of its own, so that the bundled Flink jar holds both lists.
   */
  static final String FLINK_RESOURCE = "io/rusket/beam/runners/beam-options-flink.txt";

  /** Beam's service file of options registrars (read as text: no class is loaded). */
  static final String SERVICES =
      "META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar";

  private static final String PIPELINE_OPTIONS = "org.apache.beam.sdk.options.PipelineOptions";

  /** What {@link BeamArgs} checks of a value: the getter's type, in classes. */
  enum Kind {
    /** boolean, Boolean: bare {@code --name} or {@code =true|false}. */
    FLAG,
    /** int, Integer. */
    INT,
    /** long, Long. */
    LONG,
    /** double, float and their boxes. */
    NUMBER,
    /** an array or a Collection: may be given more than once. */
    LIST,
    /** anything else (String, enums, JSON values): left to Beam. */
    VALUE;

    static Kind of(Class<?> t) {
      if (t == boolean.class || t == Boolean.class) {
        return FLAG;
      }
      if (t == int.class || t == Integer.class) {
        return INT;
      }
      if (t == long.class || t == Long.class) {
        return LONG;
      }
      if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
        return NUMBER;
      }
      if (t.isArray() || Collection.class.isAssignableFrom(t)) {
        return LIST;
      }
      return VALUE;
    }
  }

  /** The registered options: ours (to reflect over) and the others' from the list. */
  record Registered(List<String> ourRegistrars, Map<String, Kind> others) {}

  private OptionCatalog() {}

  /**
   * The registrars of {@code loader}'s service files: ours by name, the others' options from the
   * list; null when the list lacks one of them (then only Beam's registry knows its options).
   */
  static @Nullable Registered registered(ClassLoader loader) {
    List<String> lines = readAll(loader, RESOURCE);
    lines.addAll(readAll(loader, FLINK_RESOURCE));
    Map<String, Map<String, Kind>> listed = parse(lines);
    List<String> ours = new ArrayList<>();
    Map<String, Kind> others = new LinkedHashMap<>();
    for (String registrar : registrars(loader)) {
      if (registrar.startsWith("io.rusket.")) {
        ours.add(registrar);
        continue;
      }
      Map<String, Kind> options = listed.get(registrar);
      if (options == null) {
        return null;
      }
      for (Map.Entry<String, Kind> e : options.entrySet()) {
        others.putIfAbsent(e.getKey(), e.getValue());
      }
    }
    return new Registered(ours, others);
  }

  /** The class names in {@code loader}'s {@value #SERVICES} files, in order, once each. */
  static Set<String> registrars(ClassLoader loader) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : readAll(loader, SERVICES)) {
      int hash = line.indexOf('#');
      String name = (hash < 0 ? line : line.substring(0, hash)).trim();
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The list's text for {@code registrars}: each with the options of the interfaces it registers,
   * sorted by name, and the kinds of their getters. ({@code OptionCatalogTest} writes it to {@code
   * runners/target/beam-options.txt} when the resource is out of date.)
   */
  static String write(
      String header, Map<String, ? extends Collection<? extends Class<?>>> registrars) {
    StringBuilder text = new StringBuilder(header);
    for (Map.Entry<String, ? extends Collection<? extends Class<?>>> r : registrars.entrySet()) {
      Map<String, Kind> options = new TreeMap<>();
      for (Class<?> type : r.getValue()) {
        for (Method m : type.getMethods()) {
          // PipelineOptions' own getters are left out: every command's type has them
          if (BeamArgs.isGetter(m) && !m.getDeclaringClass().getName().equals(PIPELINE_OPTIONS)) {
            options.putIfAbsent(BeamArgs.property(m), Kind.of(m.getReturnType()));
          }
        }
      }
      text.append("registrar ").append(r.getKey()).append('\n');
      options.forEach((name, kind) -> text.append(name).append(' ').append(kind).append('\n'));
    }
    return text.toString();
  }

  /** The list's text as registrar to option to kind. */
  static Map<String, Map<String, Kind>> parse(List<String> lines) {
    Map<String, Map<String, Kind>> listed = new LinkedHashMap<>();
    Map<String, Kind> current = null;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.indexOf(' ');
      String first = space < 0 ? line : line.substring(0, space);
      String rest = space < 0 ? "" : line.substring(space + 1).strip();
      if (first.equals("registrar")) {
        current = listed.get(rest);
        if (current == null) { // no lambda: this runs at start
          current = new LinkedHashMap<>();
          listed.put(rest, current);
        }
      } else if (current == null || rest.isEmpty()) {
        throw new IllegalStateException(RESOURCE + ": malformed line '" + raw + "'");
      } else {
        current.put(first, Kind.valueOf(rest));
      }
    }
    return listed;
  }

  /** The lines of every resource {@code name} of {@code loader}. */
  private static List<String> readAll(ClassLoader loader, String name) {
    List<String> lines = new ArrayList<>();
    try {
      Enumeration<URL> urls = loader.getResources(name);
      while (urls.hasMoreElements()) {
        try (InputStream in = urls.nextElement().openStream();
            BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            lines.add(line);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
    return lines;
  }
}
