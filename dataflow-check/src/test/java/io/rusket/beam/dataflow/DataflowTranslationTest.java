package io.rusket.beam.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rusket.beam.pipelines.MineGroupedOptions;
import io.rusket.beam.pipelines.MineGroupedPipeline;
import io.rusket.beam.pipelines.MineSequencesOptions;
import io.rusket.beam.pipelines.MineSequencesPipeline;
import io.rusket.beam.pipelines.MineStreamOptions;
import io.rusket.beam.pipelines.MineStreamPipeline;
import io.rusket.beam.pipelines.UtilityOptions;
import io.rusket.beam.pipelines.UtilityPipeline;
import io.rusket.beam.pipelines.generate.Config;
import io.rusket.beam.pipelines.generate.GenerateData;
import io.rusket.beam.pipelines.generate.Layout;
import io.rusket.beam.pipelines.io.InputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.util.DataflowTemplateJob;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pipeline, built with Dataflow options, goes through the DataflowRunner's whole submission
 * path except the call to the service: {@code --templateLocation} makes {@link DataflowRunner#run}
 * translate the pipeline (the portable proto and Dataflow's job with its steps), stage the files
 * and the pipeline proto, and write the job as a classic template file instead of creating it.
 * There are no credentials here: paths are local and not validated (a Dataflow user gives {@code
 * gs://} paths; see README, "On Dataflow"). Checked: the job file names the project and region and
 * holds a step for each of the pipeline's transforms, and the staged proto holds them too.
 */
class DataflowTranslationTest {
  @TempDir static Path dir;
  private static Path data;

  @BeforeAll
  static void data() throws Exception {
    data = dir.resolve("data");
    GenerateData.write(
        GenerateData.generate(Config.of(7).withStores(3).withTransactions(300).withItems(20)),
        data,
        EnumSet.of(Layout.EVENTS, Layout.RECEIPTS),
        EnumSet.allOf(InputFormat.class));
    GenerateData.write(
        Config.of(7).withStores(3).withTransactions(300).withItems(20),
        data,
        EnumSet.of(Layout.SEQUENCES),
        EnumSet.allOf(InputFormat.class));
    GenerateData.write(
        GenerateData.generate(
            Config.of(7)
                .withStores(3)
                .withTransactions(300)
                .withItems(20)
                .withUtilityColumns(true)),
        data.resolve("utility"),
        EnumSet.of(Layout.EVENTS),
        EnumSet.allOf(InputFormat.class));
  }

  /** Every pipeline and input format, each for Dataflow's runner v1 and runner v2. */
  static Stream<Arguments> pipelines() {
    List<Arguments> all = new ArrayList<>();
    for (String engine : List.of("v1", "v2")) {
      for (String format : List.of("parquet", "arrow", "csv")) {
        all.add(
            Arguments.of("grouped-events-" + format + "-" + engine, grouped("events." + format)));
        all.add(
            Arguments.of(
                "grouped-receipts-" + format + "-" + engine, grouped("receipts." + format)));
        all.add(Arguments.of("stream-" + format + "-" + engine, stream("events." + format)));
        all.add(
            Arguments.of("sequences-" + format + "-" + engine, sequences("sequences." + format)));
        all.add(
            Arguments.of("utility-" + format + "-" + engine, utility("utility/events." + format)));
      }
    }
    return all.stream();
  }

  private static List<String> grouped(String input) {
    List<String> a = new ArrayList<>(List.of("grouped", "--groupCol=store_id", "--minSupport=0.1"));
    if (input.startsWith("events")) {
      a.addAll(List.of("--txnCol=transaction_id", "--itemCol=item_id"));
    }
    a.add("--input=" + input);
    return csv(a, input);
  }

  private static List<String> stream(String input) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "stream",
                "--txnCol=transaction_id",
                "--itemCol=item_id",
                "--numItems=20",
                "--minSupport=0.1",
                "--input=" + input));
    return csv(a, input);
  }

  private static List<String> sequences(String input) {
    return List.of(
        "sequences",
        "--groupCol=store_id",
        "--sequenceCol=customer_id",
        "--timeCol=day",
        "--itemCol=item",
        "--minSupport=0.2",
        "--maxPatternLength=3",
        "--input=" + input);
  }

  private static List<String> utility(String input) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "utility",
                "--groupCol=store_id",
                "--txnCol=transaction_id",
                "--itemCol=item_id",
                "--utilityCol=profit",
                "--minUtilityFraction=0.05",
                "--input=" + input));
    if (input.endsWith(".csv")) {
      a.add("--csvTypes=transaction_id:long,item_id:int");
    }
    return a;
  }

  private static List<String> csv(List<String> args, String input) {
    if (input.equals("events.csv")) {
      args.add("--csvTypes=transaction_id:long,item_id:int");
    }
    args.addAll(List.of("--rules", "--metric=lift", "--minThreshold=1.0"));
    return args;
  }

  /** Dataflow's options, as a user gives them, with local paths and no credentials. */
  private static List<String> dataflowOptions(Path work) {
    return List.of(
        "--runner=DataflowRunner",
        "--project=rusket-test",
        "--region=europe-west1",
        "--jobName=rusket-translation-test",
        "--tempLocation=" + work.resolve("temp"),
        "--gcpTempLocation=" + work.resolve("temp"),
        "--stagingLocation=" + work.resolve("staging"),
        "--templateLocation=" + work.resolve("template.json"),
        // what to stage: the pipelines' classes only (not the whole test classpath)
        "--filesToStage=" + codeOf(MineGroupedPipeline.class),
        // no GCS and no credentials here
        "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory");
  }

  private static String codeOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void translatesToADataflowJob(String name, List<String> command) throws Exception {
    Path work = Files.createDirectories(dir.resolve(name));
    List<String> args = new ArrayList<>(dataflowOptions(work));
    if (name.endsWith("-v2")) {
      args.add("--experiments=use_runner_v2");
    }
    for (String a : command.subList(1, command.size())) {
      args.add(a.startsWith("--input=") ? "--input=" + data.resolve(a.substring(8)) : a);
    }
    args.add("--output=" + work.resolve("out"));
    String[] argv = args.toArray(String[]::new);
    Pipeline p;
    if (command.get(0).equals("grouped")) {
      p =
          MineGroupedPipeline.create(
              PipelineOptionsFactory.fromArgs(argv).withValidation().as(MineGroupedOptions.class));
    } else if (command.get(0).equals("sequences")) {
      p =
          MineSequencesPipeline.create(
              PipelineOptionsFactory.fromArgs(argv)
                  .withValidation()
                  .as(MineSequencesOptions.class));
    } else if (command.get(0).equals("utility")) {
      p =
          UtilityPipeline.create(
              PipelineOptionsFactory.fromArgs(argv).withValidation().as(UtilityOptions.class));
    } else {
      p =
          MineStreamPipeline.create(
              PipelineOptionsFactory.fromArgs(argv).withValidation().as(MineStreamOptions.class));
    }
    assertEquals(DataflowRunner.class, p.getOptions().getRunner());
    List<String> ours = topLevelTransforms(p);
    assertTrue(
        command.get(0).equals("sequences")
            ? ours.contains("MineSequences") && ours.contains("WriteSequences")
            : ours.contains("WriteItemsets")
                && (command.get(0).equals("utility")
                    ? ours.contains("MineUtility")
                    : ours.contains("WriteRules")),
        ours::toString);

    PipelineResult result = p.run();
    assertTrue(result instanceof DataflowTemplateJob, () -> "not a template job: " + result);

    JsonNode job = new ObjectMapper().readTree(work.resolve("template.json").toFile());
    JsonNode options = job.path("environment").path("sdkPipelineOptions").path("options");
    assertEquals("rusket-test", options.path("project").asText(), job::toPrettyString);
    assertEquals("europe-west1", options.path("region").asText());
    boolean v2 = name.endsWith("-v2");
    List<String> experiments = new ArrayList<>();
    options.path("experiments").forEach(e -> experiments.add(e.asText()));
    assertEquals(v2, experiments.contains("use_runner_v2"), experiments::toString);
    JsonNode steps = job.path("steps");
    if (v2) {
      // runner v2 submits the portable pipeline (below) instead of Dataflow steps
      assertTrue(experiments.contains("use_portable_job_submission"), experiments::toString);
      assertEquals(0, steps.size(), job::toPrettyString);
    } else {
      assertTrue(steps.isArray() && steps.size() > 0, job::toPrettyString);
      Set<String> userNames = new TreeSet<>();
      for (JsonNode step : steps) {
        assertTrue(!step.path("kind").asText().isEmpty(), step::toPrettyString);
        userNames.add(step.path("properties").path("user_name").path("value").asText());
      }
      for (String t : ours) {
        assertTrue(
            userNames.stream().anyMatch(u -> u.equals(t) || u.startsWith(t + "/")),
            () -> "no Dataflow step of " + t + " in " + userNames);
      }
    }

    // The portable pipeline, staged beside the files (the job names it in pipelineUrl): our
    // top-level transforms, and every leaf a primitive with its URN.
    Path pb = Path.of(options.path("pipelineUrl").asText());
    assertEquals(work.resolve("staging"), pb.getParent(), options::toPrettyString);
    RunnerApi.Pipeline proto = RunnerApi.Pipeline.parseFrom(Files.readAllBytes(pb));
    Set<String> protoNames = new TreeSet<>();
    for (RunnerApi.PTransform t : proto.getComponents().getTransformsMap().values()) {
      protoNames.add(t.getUniqueName());
      if (t.getSubtransformsCount() == 0) {
        assertTrue(!t.getSpec().getUrn().isEmpty(), () -> "no URN: " + t.getUniqueName());
      }
    }
    for (String t : ours) {
      assertTrue(protoNames.contains(t), () -> "proto lacks " + t + ": " + protoNames);
    }
  }

  /**
   * The names of the pipeline's top-level transforms (ReadGroups, MineGrouped, WriteItemsets...).
   */
  private static List<String> topLevelTransforms(Pipeline p) {
    List<String> names = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode() && node.getEnclosingNode().isRootNode()) {
              names.add(node.getFullName());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getEnclosingNode().isRootNode()) {
              names.add(node.getFullName());
            }
          }
        });
    return names;
  }
}
