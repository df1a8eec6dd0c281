package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineStreamOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.junit.jupiter.api.Test;

/**
 * The Flink jar's list of registered options ({@link OptionCatalog#FLINK_RESOURCE}: the registrars
 * the runners' list lacks, Beam's Flink runner's) is what Beam registers on this module's class
 * path, so that the Flink jar too checks its commands' arguments without Beam's registry. When it
 * is out of date the test writes the new list to {@code runners/flink/target/}, to copy over {@code
 * runners/flink/src/main/resources/}{@value OptionCatalog#FLINK_RESOURCE}.
 */
class FlinkOptionCatalogTest {
  private static final String HEADER =
      "# The options of the Beam options registrars the Flink jar adds to those of"
          + " beam-options.txt\n# (OptionCatalog): written by FlinkOptionCatalogTest from Beam's"
          + " registry; do not edit.\n";

  private static String resource(String name) throws IOException {
    try (InputStream in = OptionCatalog.class.getClassLoader().getResourceAsStream(name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, List<Class<? extends PipelineOptions>>> registrars() {
    Map<String, List<Class<? extends PipelineOptions>>> byName = new TreeMap<>();
    for (PipelineOptionsRegistrar r :
        ServiceLoader.load(
            PipelineOptionsRegistrar.class, Thread.currentThread().getContextClassLoader())) {
      List<Class<? extends PipelineOptions>> types = new ArrayList<>();
      r.getPipelineOptions().forEach(types::add);
      byName.put(r.getClass().getName(), types);
    }
    return byName;
  }

  @Test
  void theFlinkListIsWhatBeamRegistersBesideTheRunnersList() throws IOException {
    Map<String, ?> runnersList =
        OptionCatalog.parse(
            new BufferedReader(new java.io.StringReader(resource(OptionCatalog.RESOURCE)))
                .lines()
                .collect(Collectors.toList()));
    Map<String, List<Class<? extends PipelineOptions>>> extra = new TreeMap<>(registrars());
    extra.keySet().removeIf(n -> n.startsWith("io.rusket.") || runnersList.containsKey(n));
    String expected = OptionCatalog.write(HEADER, extra);
    String actual = resource(OptionCatalog.FLINK_RESOURCE);
    if (!expected.equals(actual)) {
      Path written = Path.of("target", "beam-options-flink.txt");
      Files.createDirectories(written.getParent());
      Files.writeString(written, expected);
      assertEquals(
          expected,
          actual,
          "Beam's registered options changed: copy "
              + written.toAbsolutePath()
              + " to runners/flink/src/main/resources/"
              + OptionCatalog.FLINK_RESOURCE);
    }
    assertNotNull(
        OptionCatalog.registered(Thread.currentThread().getContextClassLoader()),
        "the lists cover every registrar of the class path");
  }

  /** The options known without Beam's registry are those of the registry (Flink's among them). */
  @Test
  void theOptionsKnownWithoutBeamAreThoseOfBeamsRegistry() {
    for (Class<? extends PipelineOptions> type :
        List.of(MineGroupedOptions.class, MineStreamOptions.class)) {
      List<Class<?>> all = new ArrayList<>();
      all.add(type);
      all.add(PipelineOptions.class);
      registrars().values().forEach(all::addAll);
      Map<String, BeamArgs.Property> fromBeam = new TreeMap<>();
      for (Class<?> c : all) {
        for (Method m : c.getMethods()) {
          if (BeamArgs.isGetter(m)) {
            boolean ours = m.getDeclaringClass().getName().startsWith("io.rusket.");
            BeamArgs.Property p =
                new BeamArgs.Property(
                    BeamArgs.property(m), OptionCatalog.Kind.of(m.getReturnType()), ours);
            BeamArgs.Property before = fromBeam.get(p.name());
            if (before == null || !before.ours()) {
              fromBeam.put(p.name(), p);
            }
          }
        }
      }
      assertEquals(fromBeam, BeamArgs.properties(type), type.getName());
    }
  }
}
