package io.rusket.beam.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rusket.beam.transforms.AssociationRules;
import io.rusket.beam.transforms.MineGrouped;
import io.rusket.beam.transforms.MineSequences;
import io.rusket.beam.transforms.MineStream;
import io.rusket.beam.transforms.RulesGrouped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.construction.CoderTranslation;
import org.apache.beam.sdk.util.construction.ModelCoders;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.apache.beam.sdk.util.construction.RehydratedComponents;
import org.apache.beam.sdk.util.construction.SdkComponents;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * Each transform's pipeline translates to the portable Runner API proto, as portable runners
 * (Flink, Spark job server, Dataflow v2) receive it: the rows between transforms use the standard
 * row coder, the only Java-specific coders are the transforms' own compact coders (never Java
 * serialization), each of which survives the proto (decoded back equal to itself); the shuffles are
 * the standard Combine.perKey / GroupByKey primitives.
 */
class PortabilityTest {
  private static final String JAVA_CODER_URN = "beam:coders:javasdk:0.1";

  private static final Schema ITEMSETS =
      Schema.builder()
          .addDoubleField("support")
          .addArrayField("itemsets", Schema.FieldType.STRING)
          .addInt64Field("count")
          .addInt64Field("transactions")
          .build();

  /** What one pipeline's proto holds. */
  private record Translated(
      RunnerApi.Pipeline proto,
      Set<String> transformUrns,
      Map<String, Coder<?>> javaCoders,
      String outputCoderUrn) {}

  private static Translated translate(Function<Pipeline, PCollection<Row>> build)
      throws IOException {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> out = build.apply(p);
    assertTrue(out.getCoder() instanceof RowCoder, () -> "output coder " + out.getCoder());

    RunnerApi.Pipeline proto = PipelineTranslation.toProto(p);
    RunnerApi.Components components = proto.getComponents();
    RehydratedComponents rehydrated = RehydratedComponents.forComponents(components);

    Set<String> standard = ModelCoders.urns();
    Map<String, Coder<?>> javaCoders = new TreeMap<>();
    for (Map.Entry<String, RunnerApi.Coder> e : components.getCodersMap().entrySet()) {
      String urn = e.getValue().getSpec().getUrn();
      if (standard.contains(urn)) {
        continue;
      }
      assertEquals(
          JAVA_CODER_URN, urn, () -> "coder " + e.getKey() + " is neither standard nor Java");
      Coder<?> coder = rehydrated.getCoder(e.getKey());
      javaCoders.put(coder.getClass().getName(), coder);
    }

    Set<String> urns = new TreeSet<>();
    components.getTransformsMap().values().forEach(t -> urns.add(t.getSpec().getUrn()));
    String outputId = null;
    for (Map.Entry<String, RunnerApi.PCollection> e : components.getPcollectionsMap().entrySet()) {
      if (e.getValue().getUniqueName().equals(out.getName())) {
        outputId = e.getValue().getCoderId();
      }
    }
    String outputUrn = components.getCodersOrThrow(outputId).getSpec().getUrn();
    return new Translated(proto, urns, javaCoders, outputUrn);
  }

  /**
   * The Java coders of a pipeline: none uses Java serialization; apart from Beam's own (for Create
   * and the shuffles), they are exactly {@code ours}, the transforms' {@link CustomCoder}s, each of
   * which decodes back from its proto equal to itself; the output is standard rows.
   */
  private static void assertCoders(Translated t, String... ours) throws IOException {
    List<String> ourCoders = new ArrayList<>();
    for (Map.Entry<String, Coder<?>> e : t.javaCoders().entrySet()) {
      Coder<?> coder = e.getValue();
      assertFalse(coder instanceof SerializableCoder, () -> "Java serialization: " + coder);
      if (!e.getKey().startsWith("io.rusket.")) {
        // Beam's own, from Create and the shuffles (VoidCoder, SnappyCoder), and CoGroupByKey's
        // union and result coders
        assertTrue(
            e.getKey().startsWith("org.apache.beam.sdk.coders.")
                || e.getKey().startsWith("org.apache.beam.sdk.transforms.join."),
            e.getKey());
      } else {
        ourCoders.add(e.getKey().substring(e.getKey().lastIndexOf('.') + 1));
        assertTrue(coder instanceof CustomCoder, e.getKey());
        SdkComponents sdk = SdkComponents.create();
        RunnerApi.Coder proto = CoderTranslation.toProto(coder, sdk);
        Coder<?> back =
            CoderTranslation.fromProto(
                proto,
                RehydratedComponents.forComponents(sdk.toComponents()),
                CoderTranslation.TranslationContext.DEFAULT);
        assertEquals(coder, back, () -> "round trip of " + coder);
      }
    }
    assertEquals(
        new TreeSet<>(List.of(ours)), new TreeSet<>(ourCoders), t.javaCoders().keySet()::toString);
    assertEquals(ModelCoders.ROW_CODER_URN, t.outputCoderUrn(), "output rows use the row coder");
  }

  @Test
  void mineGroupedOneHot() throws IOException {
    ShopData data = ShopData.generate(1, 10, 5);
    Translated t =
        translate(
            p ->
                p.apply(Create.of(data.oneHot()).withRowSchema(ShopData.ONE_HOT))
                    .apply(MineGrouped.byColumn(ShopData.STORE).withMinSupport(0.2)));
    assertTrue(
        t.transformUrns().contains(PTransformTranslation.COMBINE_PER_KEY_TRANSFORM_URN),
        t.transformUrns()::toString);
    assertCoders(t, "GroupBaskets$Coder", "Basket$Coder");
  }

  @Test
  void mineGroupedEventsAndRulesGrouped() throws IOException {
    ShopData data = ShopData.generate(2, 10, 5);
    Translated t =
        translate(
            p ->
                p.apply(Create.of(data.events()).withRowSchema(ShopData.EVENTS))
                    .apply(
                        MineGrouped.events(ShopData.STORE, ShopData.RECEIPT, ShopData.SKU)
                            .withMinSupport(0.2))
                    .apply(RulesGrouped.byColumn(ShopData.STORE)));
    assertTrue(t.transformUrns().contains(PTransformTranslation.COMBINE_PER_KEY_TRANSFORM_URN));
    assertTrue(t.transformUrns().contains(PTransformTranslation.GROUP_BY_KEY_TRANSFORM_URN));
    assertCoders(t, "GroupBaskets$Coder", "GroupEvents$Coder");
  }

  @Test
  void associationRules() throws IOException {
    Row a = Row.withSchema(ITEMSETS).addValues(0.5, List.of("a"), 2L, 4L).build();
    Row b = Row.withSchema(ITEMSETS).addValues(0.5, List.of("b"), 2L, 4L).build();
    Row ab = Row.withSchema(ITEMSETS).addValues(0.25, List.of("a", "b"), 1L, 4L).build();
    Translated t =
        translate(
            p ->
                p.apply(Create.of(a, b, ab).withRowSchema(ITEMSETS))
                    .apply(AssociationRules.create()));
    assertTrue(t.transformUrns().contains(PTransformTranslation.GROUP_BY_KEY_TRANSFORM_URN));
    assertCoders(t);
  }

  @Test
  void mineStreamAndAssociationRules() throws IOException {
    Schema events = Schema.builder().addInt64Field("session").addInt32Field("item").build();
    Row e1 = Row.withSchema(events).addValues(1L, 2).build();
    Row e2 = Row.withSchema(events).addValues(1L, 3).build();
    Translated t =
        translate(
            p ->
                p.apply(Create.of(e1, e2).withRowSchema(events))
                    .apply(MineStream.of("session", "item").withNumItems(5).withMinSupport(0.5))
                    .apply(AssociationRules.create()));
    assertTrue(t.transformUrns().contains(PTransformTranslation.COMBINE_PER_KEY_TRANSFORM_URN));
    assertTrue(t.transformUrns().contains(PTransformTranslation.GROUP_BY_KEY_TRANSFORM_URN));
    assertCoders(t, "FPMinerCoder", "ItemCounts$Coder", "PrunedBaskets$Coder", "ShardPart$Coder");
  }

  @Test
  void mineSequencesPerGroupAndGlobally() throws IOException {
    Schema events =
        Schema.builder()
            .addStringField("store")
            .addInt64Field("customer")
            .addInt64Field("day")
            .addStringField("sku")
            .build();
    Row e1 = Row.withSchema(events).addValues("s", 1L, 1L, "a").build();
    Row e2 = Row.withSchema(events).addValues("s", 1L, 2L, "b").build();
    for (boolean global : new boolean[] {false, true}) {
      Translated t =
          translate(
              p ->
                  p.apply(Create.of(e1, e2).withRowSchema(events))
                      .apply(
                          global
                              ? MineSequences.globally("customer", "day", "sku")
                              : MineSequences.events("store", "customer", "day", "sku")));
      assertTrue(t.transformUrns().contains(PTransformTranslation.COMBINE_PER_KEY_TRANSFORM_URN));
      assertCoders(t, "SequenceEvents$Coder");
    }
  }
}
