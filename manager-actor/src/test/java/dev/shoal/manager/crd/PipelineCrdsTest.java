package dev.shoal.manager.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.shoal.manager.Manifests;
import dev.shoal.manager.reconcile.PipelineReconciler;
import dev.shoal.manager.reconcile.ReconcilerSettings;
import dev.shoal.pipeline.stream.PipelineDefaults;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the generated CRDs promise an API server: cluster scope, the status subresource, the printer
 * columns, and a schema with the enums, defaults and required fields of the Kyma v1beta1 pipelines.
 * The enum values are also checked against the reconciler, which validates the same fields for
 * pipelines read from a folder, where no schema applies.
 */
class PipelineCrdsTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(PipelineKind.class)
  void clusterScopedWithTheStatusSubresource(PipelineKind kind) throws IOException {
    CustomResourceDefinition crd = crd(kind);
    assertEquals("telemetry.shoal.dev", crd.getSpec().getGroup());
    assertEquals(kind.kind(), crd.getSpec().getNames().getKind());
    assertEquals("Cluster", crd.getSpec().getScope());
    CustomResourceDefinitionVersion version = onlyVersion(crd);
    assertEquals(PipelineKind.API_VERSION, crd.getSpec().getGroup() + "/" + version.getName());
    assertTrue(version.getServed() && version.getStorage());
    assertNotNull(version.getSubresources().getStatus(), "status subresource");
  }

  @ParameterizedTest
  @EnumSource(PipelineKind.class)
  void printerColumnsShowConfigurationFlowAndAge(PipelineKind kind) throws IOException {
    Map<String, String> columns = new LinkedHashMap<>();
    for (CustomResourceColumnDefinition column :
        onlyVersion(crd(kind)).getAdditionalPrinterColumns()) {
      columns.put(column.getName(), column.getJsonPath() + " " + column.getType());
    }
    assertEquals(
        Map.of(
            "Configuration",
            ".status.conditions[?(@.type==\"ConfigurationGenerated\")].status string",
            "Flow",
            ".status.conditions[?(@.type==\"TelemetryFlowHealthy\")].reason string",
            "Age",
            ".metadata.creationTimestamp date"),
        columns);
  }

  @ParameterizedTest
  @EnumSource(PipelineKind.class)
  void schemaHasTheEnumsDefaultsAndRequiredFields(PipelineKind kind) throws IOException {
    JSONSchemaProps spec = property(schema(kind), "spec");
    assertEquals(List.of("output"), spec.getRequired());
    JSONSchemaProps output = property(spec, "output");
    assertEquals(List.of("otlp"), output.getRequired());
    JSONSchemaProps otlp = property(output, "otlp");
    assertEquals(List.of("endpoint"), otlp.getRequired());
    assertEnum(property(otlp, "protocol"), "grpc", List.of("grpc", "http"));
    assertEnum(property(otlp, "compression"), "gzip", List.of("gzip", "none"));
    assertEnum(property(property(spec, "queue"), "overflow"), "drop", List.of("drop", "refuse"));
    JSONSchemaProps concurrency = property(otlp, "concurrency");
    assertEquals(1.0, concurrency.getMinimum());
    assertEquals(64.0, concurrency.getMaximum());

    assertEquals(List.of("name"), property(otlp, "headers").getItems().getSchema().getRequired());
    JSONSchemaProps basic = property(property(otlp, "authentication"), "basic");
    assertEquals(List.of("password", "user"), basic.getRequired());
    JSONSchemaProps secretKeyRef =
        property(property(property(otlp, "endpoint"), "valueFrom"), "secretKeyRef");
    assertEquals(List.of("key", "name"), secretKeyRef.getRequired());

    JSONSchemaProps condition =
        property(property(schema(kind), "status"), "conditions").getItems().getSchema();
    assertEquals(List.of("status", "type"), condition.getRequired());
    assertEquals(List.of("False", "True", "Unknown"), enumValues(property(condition, "status")));
  }

  @ParameterizedTest
  @EnumSource(OtlpOutput.ProtocolValue.class)
  void everyProtocolTheSchemaAllowsIsOneTheReconcilerAccepts(OtlpOutput.ProtocolValue value)
      throws IOException {
    assertAccepted("protocol: " + name(value));
  }

  @ParameterizedTest
  @EnumSource(OtlpOutput.CompressionValue.class)
  void everyCompressionTheSchemaAllowsIsOneTheReconcilerAccepts(OtlpOutput.CompressionValue value)
      throws IOException {
    assertAccepted("compression: " + name(value));
  }

  @ParameterizedTest
  @EnumSource(QueueSpec.OverflowValue.class)
  void everyOverflowTheSchemaAllowsIsOneTheReconcilerAccepts(QueueSpec.OverflowValue value)
      throws IOException {
    String yaml =
        Manifests.tracePipeline("p", "http://collector:4317")
            + "  queue:\n    overflow: "
            + name(value)
            + "\n";
    assertAcceptedPipeline(yaml);
  }

  private static void assertAccepted(String otlpLine) {
    assertAcceptedPipeline(Manifests.tracePipeline("p", "http://collector:4317", otlpLine));
  }

  private static void assertAcceptedPipeline(String yaml) {
    PipelineReconciler reconciler =
        new PipelineReconciler(
            PipelineDefaults.fromConfig(ConfigFactory.load()),
            new ReconcilerSettings(0, Duration.ofDays(14), Duration.ofSeconds(10)));
    PipelineReconciler.Result result =
        reconciler.reconcile(Manifests.parse(yaml).snapshot(), Instant.now());
    Condition condition =
        result.conditions().get(new ResourceRef(PipelineKind.TRACE_PIPELINE, "p"));
    assertEquals(Condition.TRUE, condition.getStatus(), yaml + "\n" + condition);
  }

  private static void assertEnum(JSONSchemaProps property, String defaultValue, List<String> values)
      throws IOException {
    assertEquals(values, enumValues(property));
    assertEquals(JSON.readTree(JSON.writeValueAsString(defaultValue)), property.getDefault());
  }

  private static List<String> enumValues(JSONSchemaProps property) {
    List<String> values = new ArrayList<>();
    property.getEnum().forEach(v -> values.add(v.asText()));
    return values;
  }

  /** The JSON name of a schema-only enum value, e.g. {@code grpc}. */
  private static String name(Enum<?> value) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(value)).asText();
  }

  private static JSONSchemaProps property(JSONSchemaProps object, String name) {
    JSONSchemaProps property = object.getProperties().get(name);
    assertNotNull(property, "no property " + name + " in " + object.getProperties().keySet());
    return property;
  }

  private static JSONSchemaProps schema(PipelineKind kind) throws IOException {
    return onlyVersion(crd(kind)).getSchema().getOpenAPIV3Schema();
  }

  private static CustomResourceDefinitionVersion onlyVersion(CustomResourceDefinition crd) {
    assertEquals(1, crd.getSpec().getVersions().size(), "one version");
    return crd.getSpec().getVersions().get(0);
  }

  /** The CRD as the build generated it (CrdFilesTest checks that deploy/crds holds the same). */
  static CustomResourceDefinition crd(PipelineKind kind) throws IOException {
    String file = "/META-INF/fabric8/" + kind.id() + "s.telemetry.shoal.dev-v1.yml";
    try (InputStream in = PipelineCrdsTest.class.getResourceAsStream(file)) {
      assertNotNull(in, file + " is not on the classpath: did crd-generator-maven-plugin run?");
      return SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
    }
  }
}
