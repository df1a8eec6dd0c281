package io.rusket.beam.runners;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * The command line of a Beam command ({@code grouped}, {@code stream}, {@code demo}, {@code
 * selftest}) checked against the properties of its {@link PipelineOptions} interface and of every
 * options interface registered with Beam (the runners'), before Beam parses it, so that a mistake
 * is one line naming the option and the value instead of Beam's and Jackson's internals:
 *
 * <ul>
 *   <li>{@code --foo=1}: {@code unknown option --foo (see --help)}, with a "did you mean" for a
 *       close name ({@link CliArgs#closest});
 *   <li>{@code --minSupport=abc}: {@code --minSupport: 'abc' is not a number} (and likewise for
 *       integers and flags);
 *   <li>{@code --minSupport=0.3 --minSupport=0.9}: {@code --minSupport is given more than once}
 *       (lists, such as {@code --experiments}, may repeat, as Beam allows);
 *   <li>a missing {@link Validation.Required} option of ours: {@code missing required option
 *       --groupCol (see --help)} (Beam's own required options have defaults).
 * </ul>
 *
 * <p>What passes is handed to {@link PipelineOptionsFactory#fromArgs} unchanged; its remaining
 * messages go through {@link #beamMessage} (one line, without Jackson's source locations).
 *
 * <p>Example of use, as {@link RunnerSetup#optionsFrom} does:
 *
 * <pre>{@code
 * BeamArgs given = BeamArgs.check(args, MineGroupedOptions.class);   // throws UsageException
 * if (given.has("metric") && !given.isTrue("rules")) { ... }
 * }</pre>
 */
final class BeamArgs {
  /** A property of an options interface: its name and the type its getter returns. */
  private record Property(String name, Class<?> type, boolean ours) {}

  private final Map<String, String> values;

  private BeamArgs(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Checks {@code args} against {@code type} and Beam's registered options interfaces.
   *
   * @return the options given (name to value, null for a bare {@code --name}), in order
   * @throws UsageException for an argument that is not {@code --name[=value]}, an unknown option, a
   *     value of the wrong type, an option given twice or a missing required option
   */
  static BeamArgs check(String[] args, Class<? extends PipelineOptions> type) {
    PipelineOptionsFactory.register(type);
    Map<String, Property> known = properties(type);
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException(
            "unexpected argument '" + arg + "': options are written --name=value (see --help)");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? null : arg.substring(eq + 1);
      Property p = known.get(name);
      if (p == null) {
        String close = CliArgs.closest(name, ourFirst(known));
        throw new UsageException(
            "unknown option --"
                + name
                + (close == null ? "" : "; did you mean --" + close + "?")
                + " (see --help)");
      }
      boolean repeatable = p.type().isArray() || Collection.class.isAssignableFrom(p.type());
      if (values.containsKey(name) && !repeatable) {
        throw new UsageException("--" + name + " is given more than once");
      }
      checkValue(p, value);
      values.put(name, value);
    }
    for (Method m : type.getMethods()) {
      Validation.Required required = m.getAnnotation(Validation.Required.class);
      if (required != null
          && required.groups().length == 0
          && isGetter(m)
          && m.getDeclaringClass().getName().startsWith("io.rusket.")
          && !values.containsKey(property(m))) {
        throw new UsageException("missing required option --" + property(m) + " (see --help)");
      }
    }
    return new BeamArgs(values);
  }

  /** Whether {@code --name} was given (with any value). */
  boolean has(String name) {
    return values.containsKey(name);
  }

  /** Whether the flag {@code --name} was given and not as {@code --name=false}. */
  boolean isTrue(String name) {
    return values.containsKey(name) && !"false".equalsIgnoreCase(values.get(name));
  }

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  /** Numbers, integers and flags, checked as Jackson would read them for Beam. */
  private static void checkValue(Property p, String value) {
    Class<?> t = p.type();
    String option = "--" + p.name();
    if (t == boolean.class || t == Boolean.class) {
      if (value != null && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw new UsageException(
            option
                + ": '"
                + value
                + "' is not true or false (a flag: "
                + option
                + " or "
                + option
                + "=false)");
      }
      return;
    }
    boolean number = t == double.class || t == Double.class || t == float.class || t == Float.class;
    long min;
    long max;
    if (t == int.class || t == Integer.class) {
      min = Integer.MIN_VALUE;
      max = Integer.MAX_VALUE;
    } else if (t == long.class || t == Long.class) {
      min = Long.MIN_VALUE;
      max = Long.MAX_VALUE;
    } else if (number) {
      min = 0;
      max = 0;
    } else {
      return;
    }
    if (value == null || value.isEmpty()) {
      throw new UsageException(option + " needs a value: " + option + "=" + (number ? "X" : "N"));
    }
    if (number) {
      try {
        Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new UsageException(option + ": '" + value + "' is not a number");
      }
      return;
    }
    if (!INTEGER.matcher(value).matches()) {
      throw new UsageException(option + ": '" + value + "' is not an integer");
    }
    boolean inRange;
    try {
      long v = Long.parseLong(value);
      inRange = v >= min && v <= max;
    } catch (NumberFormatException e) {
      inRange = false; // digits only, so beyond the range of a long
    }
    if (!inRange) {
      throw new UsageException(
          option + ": " + value + " is out of range [" + min + ", " + max + "]");
    }
  }

  /**
   * The properties Beam's {@link PipelineOptionsFactory} accepts for {@code type}: those of {@code
   * type} and of every registered options interface (the runners' among them).
   */
  private static Map<String, Property> properties(Class<? extends PipelineOptions> type) {
    Map<String, Property> known = new TreeMap<>();
    Set<Class<? extends PipelineOptions>> registered =
        PipelineOptionsFactory.getRegisteredOptions();
    for (Class<?> c : concat(type, registered)) {
      for (Method m : c.getMethods()) {
        if (isGetter(m)) {
          boolean ours = m.getDeclaringClass().getName().startsWith("io.rusket.");
          known.merge(
              property(m),
              new Property(property(m), m.getReturnType(), ours),
              (a, b) -> a.ours() ? a : b);
        }
      }
    }
    return known;
  }

  private static List<Class<?>> concat(Class<?> first, Collection<? extends Class<?>> rest) {
    List<Class<?>> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** The names, ours (io.rusket's interfaces) first, so a suggestion prefers them on a tie. */
  private static List<String> ourFirst(Map<String, Property> known) {
    List<String> names = new ArrayList<>();
    known.values().stream().filter(Property::ours).forEach(p -> names.add(p.name()));
    known.values().stream().filter(p -> !p.ours()).forEach(p -> names.add(p.name()));
    return names;
  }

  /** Whether {@code m} is a property getter, {@code getX()} or a boolean {@code isX()}. */
  static boolean isGetter(Method m) {
    String n = m.getName();
    return m.getParameterCount() == 0
        && !m.isDefault()
        && !Modifier.isStatic(m.getModifiers())
        && (n.startsWith("get") && n.length() > 3 && m.getReturnType() != void.class
            || n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class);
  }

  /** The property of getter {@code m}: {@code getMinSupport} is {@code minSupport}. */
  static String property(Method m) {
    String n = m.getName();
    return Introspector.decapitalize(n.substring(n.startsWith("get") ? 3 : 2));
  }

  /**
   * A message of Beam's option parsing as one line: Jackson's source locations ("at [Source: ...]")
   * dropped, line breaks joined.
   */
  static String beamMessage(IllegalArgumentException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int source = m.indexOf(" at [Source:");
    if (source >= 0) {
      m = m.substring(0, source);
    }
    return ErrorReport.oneLine(m);
  }
}
