package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineSequencesOptions;
import io.rusket.beam.pipelines.MineStreamOptions;
import io.rusket.beam.pipelines.UtilityOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OptionCatalog}'s list equals what Beam's registry holds on this class path (the bundled
 * jar's dependencies), so the check of the options without Beam ({@link BeamArgs}) cannot drift
 * from Beam: after an upgrade of Beam, the test fails and writes the new list to {@code
 * runners/target/beam-options.txt}, to copy over {@code
 * runners/src/main/resources/io/rusket/beam/runners/beam-options.txt}.
 */
class OptionCatalogTest {
  /** The options interfaces the commands check their arguments against. */
  private static final List<Class<? extends PipelineOptions>> COMMAND_TYPES =
      List.of(
          MineGroupedOptions.class,
          MineStreamOptions.class,
          MineSequencesOptions.class,
          UtilityOptions.class,
          RecommendOptions.class,
          FileSystemOptions.class,
          PipelineOptions.class);

  @TempDir Path dir;

  /** The registrars of the class path, as Beam's registry loads them (a ServiceLoader). */
  private static Map<String, List<Class<? extends PipelineOptions>>> serviceRegistrars() {
    Map<String, List<Class<? extends PipelineOptions>>> byName = new LinkedHashMap<>();
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
  void theListIsWhatBeamRegistersOnThisClassPath() throws IOException {
    Map<String, List<Class<? extends PipelineOptions>>> registrars = serviceRegistrars();
    Map<String, List<Class<? extends PipelineOptions>>> others = new TreeMap<>(registrars);
    others.keySet().removeIf(n -> n.startsWith("io.rusket."));
    String expected =
        OptionCatalog.write(
            "# The options of the Beam options registrars of other projects on the class path of"
                + " rusket-runners\n# (OptionCatalog): written by OptionCatalogTest from Beam's"
                + " registry; do not edit.\n",
            others);
    String actual;
    try (InputStream in =
        OptionCatalog.class.getClassLoader().getResourceAsStream(OptionCatalog.RESOURCE)) {
      assertNotNull(in, OptionCatalog.RESOURCE);
      actual = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!expected.equals(actual)) {
      Path written = Path.of("target", "beam-options.txt");
      Files.createDirectories(written.getParent());
      Files.writeString(written, expected);
      assertEquals(
          expected,
          actual,
          "Beam's registered options changed: copy "
              + written.toAbsolutePath()
              + " to runners/src/main/resources/"
              + OptionCatalog.RESOURCE);
    }
    // and Beam's registry holds them all (at its start it holds PipelineOptions and what the
    // registrars register; later the interfaces registered explicitly, the commands' types)
    Set<Class<?>> fromRegistrars = new HashSet<>();
    fromRegistrars.add(PipelineOptions.class);
    registrars.values().forEach(fromRegistrars::addAll);
    Set<Class<? extends PipelineOptions>> registry = PipelineOptionsFactory.getRegisteredOptions();
    assertTrue(registry.containsAll(fromRegistrars), () -> registry + " " + fromRegistrars);
  }

  /**
   * For every command's options interface, the options {@link BeamArgs} knows from the list (and
   * from reflection over ours) are those it would take from Beam's registry: names, kinds, ours
   * first in suggestions; and the list covers every registrar of the class path.
   */
  @Test
  void theOptionsKnownWithoutBeamAreThoseOfBeamsRegistry() {
    assertNotNull(
        OptionCatalog.registered(Thread.currentThread().getContextClassLoader()),
        "the list covers every registrar of the class path");
    for (Class<? extends PipelineOptions> type : COMMAND_TYPES) {
      Map<String, BeamArgs.Property> fromBeam = new TreeMap<>();
      List<Class<?>> all = new ArrayList<>();
      all.add(type);
      all.add(PipelineOptions.class);
      serviceRegistrars().values().forEach(all::addAll);
      for (Class<?> c : all) {
        for (java.lang.reflect.Method m : c.getMethods()) {
          if (BeamArgs.isGetter(m)) {
            String name = BeamArgs.property(m);
            boolean ours = m.getDeclaringClass().getName().startsWith("io.rusket.");
            BeamArgs.Property p =
                new BeamArgs.Property(name, OptionCatalog.Kind.of(m.getReturnType()), ours);
            BeamArgs.Property before = fromBeam.get(name);
            if (before != null && !before.ours() && !ours) {
              assertEquals(before.kind(), p.kind(), "one kind for --" + name);
            }
            if (before == null || !before.ours()) {
              fromBeam.put(name, p);
            }
          }
        }
      }
      assertEquals(fromBeam, BeamArgs.properties(type), type.getName());
    }
  }

  /** A registrar the list does not know (another runner's jar): Beam's registry is asked. */
  @Test
  void anUnlistedRegistrarFallsBackToBeamsRegistry() throws IOException {
    Path services = dir.resolve(OptionCatalog.SERVICES);
    Files.createDirectories(services.getParent());
    Files.writeString(services, "# a comment\norg.example.OtherRunnerRegistrar # theirs\n");
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {dir.toUri().toURL()}, Thread.currentThread().getContextClassLoader())) {
      assertTrue(OptionCatalog.registrars(loader).contains("org.example.OtherRunnerRegistrar"));
      assertNull(OptionCatalog.registered(loader));
    }
  }
}
