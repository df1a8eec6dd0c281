package io.rusket.beam.runners;

import io.rusket.beam.runners.OptionCatalog.Kind;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;

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
 * <p>The registered interfaces' options come from {@link OptionCatalog} (a list checked against
 * Beam's registry by its test), not from Beam's registry, so that a mistake is reported without
 * initialising {@link PipelineOptionsFactory}, Spark or log4j (issue 14).
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
  /**
   * A property of an options interface: its name, the kind of type its getter returns, and whether
   * an interface of ours declares it.
   */
  record Property(String name, Kind kind, boolean ours) {}

  private final Map<String, String> values;
  private final boolean onlyOurs;

  private BeamArgs(Map<String, String> values, boolean onlyOurs) {
    this.values = values;
    this.onlyOurs = onlyOurs;
  }

  /**
   * Whether every option given is one of ours (of io.rusket's interfaces): none of Beam's or a
   * runner's, which Beam checks when it parses them.
   */
  boolean onlyOurs() {
    return onlyOurs;
  }

  /**
   * Checks {@code args} against {@code type} and Beam's registered options interfaces.
   *
   * @return the options given (name to value, null for a bare {@code --name}), in order
   * @throws UsageException for an argument that is not {@code --name[=value]}, an unknown option, a
   *     value of the wrong type, an option given twice or a missing required option
   */
  static BeamArgs check(String[] args, Class<? extends PipelineOptions> type) {
    Map<String, Property> known = properties(type);
    Map<String, String> values = new LinkedHashMap<>();
    boolean onlyOurs = true;
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
      if (values.containsKey(name) && p.kind() != Kind.LIST) {
        throw new UsageException("--" + name + " is given more than once");
      }
      checkValue(p, value);
      values.put(name, value);
      onlyOurs &= p.ours();
    }
    for (String name : required(type)) {
      if (!values.containsKey(name)) {
        throw new UsageException("missing required option --" + name + " (see --help)");
      }
    }
    return new BeamArgs(values, onlyOurs);
  }

  /**
   * The {@link Validation.Required} options of {@code type} declared by our interfaces (Beam's own
   * required options have defaults), sorted by name: the first missing one is reported. (In the
   * order of {@link Class#getMethods}, as before, the option named changed from run to run when
   * several were missing: that order is unspecified, and HotSpot's varies.)
   */
  static Set<String> required(Class<? extends PipelineOptions> type) {
    Set<String> names = new TreeSet<>();
    for (Method m : type.getMethods()) {
      if (isGetter(m) && m.getDeclaringClass().getName().startsWith("io.rusket.")) {
        Validation.Required required = m.getAnnotation(Validation.Required.class);
        if (required != null && required.groups().length == 0) {
          names.add(property(m));
        }
      }
    }
    return names;
  }

  /** Whether {@code --name} was given (with any value). */
  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The value of {@code --name=value}; null for a bare {@code --name} or an absent option. */
  @Nullable String value(String name) {
    return values.get(name);
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Whether the flag {@code --name} was given and not as {@code --name=false}. */
  boolean isTrue(String name) {
    return values.containsKey(name) && !"false".equalsIgnoreCase(values.get(name));
  }

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  /** Numbers, integers and flags, checked as Jackson would read them for Beam. */
  private static void checkValue(Property p, String value) {
    String option = "--" + p.name();
    if (p.kind() == Kind.FLAG) {
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
    boolean number = p.kind() == Kind.NUMBER;
    long min;
    long max;
    if (p.kind() == Kind.INT) {
      min = Integer.MIN_VALUE;
      max = Integer.MAX_VALUE;
    } else if (p.kind() == Kind.LONG) {
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
   * type} and of every registered options interface (the runners' among them). Without touching
   * Beam's registry when {@link OptionCatalog} knows every registrar of the class path (the bundled
   * jar's: then {@code PipelineOptionsFactory}, Jackson, Spark and log4j stay unloaded until the
   * arguments pass); from the registry otherwise.
   */
  static Map<String, Property> properties(Class<? extends PipelineOptions> type) {
    Map<String, Property> known = new TreeMap<>();
    addGetters(type, known);
    ClassLoader loader = Thread.currentThread().getContextClassLoader(); // as Beam's registry
    if (loader == null) {
      loader = BeamArgs.class.getClassLoader();
    }
    OptionCatalog.Registered registered = OptionCatalog.registered(loader);
    if (registered != null) {
      try {
        for (String name : registered.ourRegistrars()) {
          PipelineOptionsRegistrar registrar =
              Class.forName(name, true, loader)
                  .asSubclass(PipelineOptionsRegistrar.class)
                  .getDeclaredConstructor()
                  .newInstance();
          for (Class<?> c : registrar.getPipelineOptions()) {
            addGetters(c, known);
          }
        }
        for (Map.Entry<String, Kind> e : registered.others().entrySet()) {
          merge(known, new Property(e.getKey(), e.getValue(), false));
        }
        return known;
      } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
        known.clear(); // Beam's registry will tell (or fail on it the same way)
        addGetters(type, known);
      }
    }
    PipelineOptionsFactory.register(type);
    for (Class<?> c : PipelineOptionsFactory.getRegisteredOptions()) {
      addGetters(c, known);
    }
    return known;
  }

  /** The properties of {@code c}'s getters into {@code known}. */
  private static void addGetters(Class<?> c, Map<String, Property> known) {
    for (Method m : c.getMethods()) {
      if (isGetter(m)) {
        boolean ours = m.getDeclaringClass().getName().startsWith("io.rusket.");
        merge(known, new Property(property(m), Kind.of(m.getReturnType()), ours));
      }
    }
  }

  /** Adds {@code p}: ours win over others' of the same name, else the later. */
  private static void merge(Map<String, Property> known, Property p) {
    Property before = known.get(p.name());
    if (before == null || !before.ours()) {
      known.put(p.name(), p);
    }
  }

  /** The names, ours (io.rusket's interfaces) first, so a suggestion prefers them on a tie. */
  private static List<String> ourFirst(Map<String, Property> known) {
    List<String> names = new ArrayList<>();
    for (Property p : known.values()) {
      if (p.ours()) {
        names.add(p.name());
      }
    }
    for (Property p : known.values()) {
      if (!p.ours()) {
        names.add(p.name());
      }
    }
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
    String name = n.substring(n.startsWith("get") ? 3 : 2);
    // as java.beans.Introspector.decapitalize (which Beam uses), without loading java.beans
    if (name.length() > 1
        && Character.isUpperCase(name.charAt(1))
        && Character.isUpperCase(name.charAt(0))) {
      return name;
    }
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
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
