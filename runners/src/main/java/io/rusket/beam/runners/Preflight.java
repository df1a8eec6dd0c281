package io.rusket.beam.runners;

import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineGroupedPipeline;
import io.rusket.beam.pipelines.MineSequencesOptions;
import io.rusket.beam.pipelines.MineSequencesPipeline;
import io.rusket.beam.pipelines.MineStreamOptions;
import io.rusket.beam.pipelines.MineStreamPipeline;
import io.rusket.beam.pipelines.MiningJob;
import io.rusket.beam.pipelines.UtilityOptions;
import io.rusket.beam.pipelines.UtilityPipeline;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The settings of {@code grouped} and {@code stream} checked as {@link MiningJob} checks them
 * (conflicting options such as {@code stream --topK --target=closed}, a format, method, target or
 * metric name, {@code --txnCol} equal to {@code --itemCol}, ...), and those of {@code recommend}
 * ({@link RecommendCommand#settings}: {@code --k}, {@code --score}, ...), {@code sequences} ({@link
 * MineSequencesPipeline#checkSettings}) and {@code utility} ({@link
 * UtilityPipeline#checkSettings}), on the arguments {@link BeamArgs} passed, before Beam parses
 * them: so these mistakes too are reported without initialising Beam's {@code
 * PipelineOptionsFactory}, Spark or log4j (issue 14).
 *
 * <p>Of two mistakes the one reported is the same as before: the check runs only when every option
 * given is ours (Beam's and the runners' options are checked by Beam first), after the check of a
 * local {@code --input} that comes first ({@link PipelineRun#checkInput}).
 *
 * <p>The options {@link MiningJob} reads are a {@link Proxy} of the command's interface whose
 * getters return the given values converted as Beam converts them (strings, integers, numbers,
 * flags, checked by {@link BeamArgs}), else the getter's {@link Default}, else null (0 or false for
 * a primitive), as Beam's own proxy does. It is a check only: the command then parses the same
 * arguments with Beam and builds its job from Beam's options, which raise the same errors. So
 * nothing is rejected here that Beam's options would let pass; where the proxy cannot answer as
 * Beam would (a value it does not convert, a default given by a factory) the check is skipped and
 * the mistake, if any, is found after Beam parsed the options, as before. The transforms' range
 * checks ({@code --minSupport} in (0, 1], ...) are made by the pipelines' {@code checkSettings},
 * with the miner's own checks and the transforms' messages (building a transform would load slf4j
 * and log4j), and {@code --csvTypes} is read by {@link io.rusket.beam.pipelines.io.CsvTypes}, not
 * by the Beam transform {@code TableSource}.
 *
 * <p>Example of use, in a command:
 *
 * <pre>{@code
 * BeamArgs given = BeamArgs.check(args, MineGroupedOptions.class);
 * Preflight.grouped(given);   // throws UsageException
 * }</pre>
 */
final class Preflight {
  private Preflight() {}

  /**
   * Checks {@code given} as {@link MineGroupedPipeline#checkSettings} does ({@link
   * MiningJob#grouped} and the range checks of the transforms).
   *
   * @throws UsageException with its message
   */
  static void grouped(BeamArgs given) {
    MineGroupedOptions o = options(MineGroupedOptions.class, given);
    if (o != null) {
      try {
        MineGroupedPipeline.checkSettings(o);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      } catch (CannotAnswer e) {
        // left to the check after Beam's parsing
      }
    }
  }

  /**
   * Checks {@code given} as {@link MineStreamPipeline#checkSettings} does ({@link MiningJob#stream}
   * and the range checks of the transforms).
   *
   * @throws UsageException with its message
   */
  static void stream(BeamArgs given) {
    MineStreamOptions o = options(MineStreamOptions.class, given);
    if (o != null) {
      try {
        MineStreamPipeline.checkSettings(o);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      } catch (CannotAnswer e) {
        // left to the check after Beam's parsing
      }
    }
  }

  /**
   * Checks {@code given} as {@code recommend} checks its settings ({@link
   * RecommendCommand#settings}: {@code --k}, {@code --score}, {@code --outputFormat}, {@code
   * --shardsPerGroup}, ...).
   *
   * @throws UsageException naming the option and the value
   */
  static void recommend(BeamArgs given) {
    RecommendOptions o = options(RecommendOptions.class, given);
    if (o != null) {
      try {
        RecommendCommand.settings(o);
      } catch (CannotAnswer e) {
        // left to the check after Beam's parsing
      }
    }
  }

  /**
   * Checks {@code given} as {@link MineSequencesPipeline#checkSettings} does ({@code --minCount},
   * {@code --maxPatternLength}, {@code --maxGap}, ...).
   *
   * @throws UsageException with its message
   */
  static void sequences(BeamArgs given) {
    MineSequencesOptions o = options(MineSequencesOptions.class, given);
    if (o != null) {
      try {
        MineSequencesPipeline.checkSettings(o);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      } catch (CannotAnswer e) {
        // left to the check after Beam's parsing
      }
    }
  }

  /**
   * Checks {@code given} as {@link UtilityPipeline#checkSettings} does ({@code --minUtility} or
   * {@code --minUtilityFraction}, {@code --maxLen}, the columns, ...).
   *
   * @throws UsageException with its message
   */
  static void utility(BeamArgs given) {
    UtilityOptions o = options(UtilityOptions.class, given);
    if (o != null) {
      try {
        UtilityPipeline.checkSettings(o);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      } catch (CannotAnswer e) {
        // left to the check after Beam's parsing
      }
    }
  }

  /** A getter the proxy cannot answer as Beam's options would. */
  private static final class CannotAnswer extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CannotAnswer() {
      super(null, null, false, false);
    }
  }

  /**
   * The options of {@code type} holding {@code given}, after the check of a local {@code --input}
   * that the commands make before building the job ({@link PipelineRun#checkInput}); null when the
   * job is better checked after Beam's parsing, as before: with an option of Beam's or a runner's
   * (which Beam checks first) or a remote {@code --input} (listed first).
   */
  private static <T extends PipelineOptions> @Nullable T options(Class<T> type, BeamArgs given) {
    if (!given.onlyOurs() || CliArgs.isRemote(given.value("input"))) {
      // Beam's options first, so that of two mistakes the same is reported as before; a remote
      // input is listed before the job is built
      return null;
    }
    PipelineRun.checkInput(given.value("input"));
    InvocationHandler handler = new InvocationHandler() { // not a lambda: no bootstrap at start
          @Override
          public @Nullable Object invoke(Object proxy, Method m, Object @Nullable [] args)
              throws InvocationTargetException {
            if (m.getDeclaringClass() == Object.class) {
              switch (m.getName()) {
                case "equals":
                  return proxy == args[0];
                case "hashCode":
                  return System.identityHashCode(proxy);
                default:
                  return type.getSimpleName() + given;
              }
            }
            if (!BeamArgs.isGetter(m)) {
              throw new CannotAnswer();
            }
            String name = BeamArgs.property(m);
            return given.has(name) ? convert(given.value(name), m.getReturnType()) : defaultOf(m);
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /** {@code value} as Beam reads it for a getter of type {@code t} (checked by BeamArgs). */
  private static Object convert(@Nullable String value, Class<?> t) {
    if (t == boolean.class || t == Boolean.class) {
      return value == null || value.equalsIgnoreCase("true");
    }
    if (value == null) {
      throw new CannotAnswer(); // a bare --name for a value: Beam's reading decides
    }
    try {
      if (t == String.class) {
        return value;
      }
      if (t == int.class || t == Integer.class) {
        return Integer.valueOf(value);
      }
      if (t == long.class || t == Long.class) {
        return Long.valueOf(value);
      }
      if (t == double.class || t == Double.class) {
        return Double.valueOf(value);
      }
    } catch (NumberFormatException e) {
      throw new CannotAnswer();
    }
    throw new CannotAnswer();
  }

  /** The getter's {@link Default}, else null (or a primitive's zero), as Beam's proxy answers. */
  private static @Nullable Object defaultOf(Method m) {
    Class<?> t = m.getReturnType();
    Default.String s = m.getAnnotation(Default.String.class);
    if (s != null && t == String.class) {
      return s.value();
    }
    Default.Integer i = m.getAnnotation(Default.Integer.class);
    if (i != null && (t == int.class || t == Integer.class)) {
      return i.value();
    }
    Default.Long l = m.getAnnotation(Default.Long.class);
    if (l != null && (t == long.class || t == Long.class)) {
      return l.value();
    }
    Default.Double d = m.getAnnotation(Default.Double.class);
    if (d != null && (t == double.class || t == Double.class)) {
      return d.value();
    }
    Default.Boolean b = m.getAnnotation(Default.Boolean.class);
    if (b != null && (t == boolean.class || t == Boolean.class)) {
      return b.value();
    }
    for (java.lang.annotation.Annotation a : m.getAnnotations()) {
      if (a.annotationType().getEnclosingClass() == Default.class) {
        throw new CannotAnswer(); // a default of another kind (a factory, an enum, ...)
      }
    }
    if (t == boolean.class) {
      return false;
    }
    if (t == int.class) {
      return 0;
    }
    if (t == long.class) {
      return 0L;
    }
    if (t == double.class) {
      return 0.0;
    }
    if (t.isPrimitive()) {
      throw new CannotAnswer();
    }
    return null;
  }
}
