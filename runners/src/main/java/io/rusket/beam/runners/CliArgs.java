package io.rusket.beam.runners;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The options of one command, written {@code --name=value} (or a bare {@code --name} for a flag, as
 * Beam's PipelineOptions do), checked against the options the command declares. Every getter
 * returns null for an absent option and throws {@link UsageException} for a bad value, naming the
 * option and the value.
 */
final class CliArgs {
  /** A declared option; a flag when {@code valueHint} is null. */
  record Option(String name, String valueHint, String description) {
    static Option flag(String name, String description) {
      return new Option(name, null, description);
    }

    boolean isFlag() {
      return valueHint == null;
    }

    /** How it is written: {@code --name=HINT}, or {@code --name} for a flag. */
    String usage() {
      return "--" + name + (isFlag() ? "" : "=" + valueHint);
    }
  }

  /** A path written as a URL, {@code scheme://...}. */
  static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

  /**
   * Whether {@code path} is on a file system other than the local one ({@code scheme://...}, not
   * {@code file:}). Here rather than in {@link FileSystemSetup} (which delegates to it), so that
   * {@code mine} checks its paths without loading Beam's file system classes.
   */
  static boolean isRemote(String path) {
    return path != null && URL.matcher(path).matches() && !path.startsWith("file:");
  }

  private final Map<String, Option> known;
  private final Map<String, String> values;

  private CliArgs(Map<String, Option> known, Map<String, String> values) {
    this.known = known;
    this.values = values;
  }

  /**
   * Parses {@code args} against the options of {@code command}.
   *
   * @throws UsageException for an argument that is not an option, an unknown or repeated option, or
   *     a missing value
   */
  static CliArgs parse(String command, List<Option> options, String[] args) {
    Map<String, Option> known = new LinkedHashMap<>();
    for (Option o : options) {
      known.put(o.name(), o);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException(
            "unexpected argument '"
                + arg
                + "' for "
                + command
                + ": options are written --name=value");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? null : arg.substring(eq + 1);
      Option option = known.get(name);
      if (option == null) {
        throw new UsageException(
            "unknown option --"
                + name
                + " for "
                + command
                + suggestion(name, known.keySet())
                + "; see "
                + command
                + " --help");
      }
      if (option.isFlag()) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
          throw new UsageException(
              "Invalid --"
                  + name
                  + ": "
                  + value
                  + ". It is a flag: --"
                  + name
                  + " or --"
                  + name
                  + "=true|false.");
        }
        value = value == null ? "true" : value;
      } else if (value == null || value.isEmpty()) {
        throw new UsageException("--" + name + " needs a value: " + option.usage());
      }
      if (values.put(name, value) != null) {
        throw new UsageException("--" + name + " is given more than once");
      }
    }
    return new CliArgs(known, values);
  }

  private static String suggestion(String name, Iterable<String> known) {
    String close = closest(name, known);
    return close == null ? "" : " (did you mean --" + close + "?)";
  }

  /**
   * The known option {@code name} was most likely meant to be: the same ignoring case, else the
   * first at the smallest edit distance (insertions, deletions, substitutions; a swap of two
   * neighbours counts once) of at most 2, or 1 for names of up to 4 characters; null if none.
   */
  static String closest(String name, Iterable<String> known) {
    int limit = name.length() <= 4 ? 1 : 2;
    String best = null;
    int bestDistance = limit + 1;
    for (String k : known) {
      int d = k.equalsIgnoreCase(name) ? 0 : distance(name.toLowerCase(), k.toLowerCase());
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Optimal string alignment distance (Damerau–Levenshtein without repeated edits). */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }

  /**
   * Checks that options that only act with a flag come with it, e.g. {@code --metric} with {@code
   * --rules}: the options are ignored otherwise, so their presence is a mistake. Shared by {@code
   * mine} and the Beam commands.
   *
   * @param given whether an option was given on the command line
   * @throws UsageException "{@code --metric needs --rules}" for the first such option given
   */
  static void requireFlagFor(
      String flag, boolean flagOn, Predicate<String> given, List<String> options) {
    if (flagOn) {
      return;
    }
    for (String option : options) {
      if (given.test(option)) {
        throw new UsageException("--" + option + " needs --" + flag);
      }
    }
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name) {
    return values.get(name);
  }

  /** The value, or a usage error {@code missing --name=HINT}. */
  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException("missing " + known.get(name).usage());
    }
    return v;
  }

  boolean flag(String name) {
    return "true".equals(values.get(name));
  }

  Path path(String name) {
    return toPath(name, values.get(name));
  }

  Path requiredPath(String name) {
    return toPath(name, required(name));
  }

  private static Path toPath(String name, String v) {
    try {
      return v == null ? null : Path.of(v);
    } catch (InvalidPathException e) {
      throw new UsageException("Invalid --" + name + ": " + v + " (" + e.getReason() + ")");
    }
  }

  Double decimal(String name) {
    String v = values.get(name);
    try {
      return v == null ? null : Double.valueOf(v);
    } catch (NumberFormatException e) {
      throw new UsageException("Invalid --" + name + ": " + v + " (expected a number)");
    }
  }

  Integer integer(String name) {
    String v = values.get(name);
    try {
      return v == null ? null : Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw new UsageException(
          "Invalid --"
              + name
              + ": "
              + v
              + " (expected an integer up to "
              + Integer.MAX_VALUE
              + ")");
    }
  }

  Long integer64(String name) {
    String v = values.get(name);
    try {
      return v == null ? null : Long.valueOf(v);
    } catch (NumberFormatException e) {
      throw new UsageException("Invalid --" + name + ": " + v + " (expected an integer)");
    }
  }
}
