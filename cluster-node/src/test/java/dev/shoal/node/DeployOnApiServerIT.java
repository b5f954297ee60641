package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.OtlpOutput;
import dev.shoal.manager.crd.PipelineOutput;
import dev.shoal.manager.crd.PipelineStatus;
import dev.shoal.manager.crd.TracePipeline;
import dev.shoal.manager.crd.TracePipelineSpec;
import dev.shoal.manager.crd.ValueType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Table;
import io.fabric8.kubernetes.api.model.TableColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance of {@code deploy/} by a real Kubernetes API server (kube-apiserver 1.20 with etcd on
 * loopback, see {@link KubeApiServer}): the CRDs are applied and become Established, a
 * TracePipeline is created and its status written through the status subresource, the schema
 * refuses what it forbids, and every other manifest of the kustomization is created.
 */
class DeployOnApiServerIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final long ESTABLISHED_SECONDS = 60;

  private static Path deploy;
  private static KubeApiServer server;
  private static KubernetesClient client;
  private static KubernetesSerialization serialization;

  @BeforeAll
  static void startServerAndApplyCrds() throws IOException, InterruptedException {
    // Failsafe runs in the module folder; the repository root is its parent.
    deploy = Path.of("").toAbsolutePath().getParent().resolve("deploy");
    Path target = Files.createDirectories(Path.of("target"));
    server = KubeApiServer.start(Files.createTempDirectory(target, "kube-apiserver-"));
    client = new KubernetesClientBuilder().withConfig(server.config()).build();
    serialization = client.getKubernetesSerialization();

    for (HasMetadata crd : manifests(true)) client.resource(crd).serverSideApply();
    for (HasMetadata crd : manifests(true)) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              DeployOnApiServerIT::established, ESTABLISHED_SECONDS, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (client != null) client.close();
    if (server != null) server.close();
  }

  @Test
  void theCrdsOfThePipelineKindsAreEstablished() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (HasMetadata crd : manifests(true)) {
      CustomResourceDefinition onServer =
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .get();
      assertTrue(established(onServer), crd.getMetadata().getName());
      names.add(onServer.getSpec().getNames().getKind());
    }
    assertEquals(new TreeSet<>(List.of("LogPipeline", "MetricPipeline", "TracePipeline")), names);
  }

  @Test
  void aTracePipelinesStatusGoesThroughTheStatusSubresource() {
    MixedOperation<TracePipeline, ?, Resource<TracePipeline>> pipelines =
        client.resources(TracePipeline.class);
    TracePipeline wanted = tracePipeline("backend", "http://collector:4317");
    // The status subresource makes the server ignore a status sent with the resource itself.
    wanted.setStatus(new PipelineStatus(List.of(condition("False", "ValidationFailed", 1))));
    TracePipeline created = pipelines.resource(wanted).create();
    assertNull(created.getStatus(), "status ignored on create");
    assertEquals(1L, created.getMetadata().getGeneration());
    OtlpOutput otlp = created.getSpec().getOutput().getOtlp();
    assertEquals("grpc", otlp.getProtocol(), "schema default");
    assertEquals("gzip", otlp.getCompression(), "schema default");

    List<Condition> conditions =
        List.of(
            condition(Condition.TRUE, "ConfigurationApplied", 1),
            new Condition(
                Condition.TELEMETRY_FLOW_HEALTHY,
                Condition.TRUE,
                "FlowHealthy",
                "No problems detected.",
                now(),
                1L));
    created.setStatus(new PipelineStatus(conditions));
    pipelines.resource(created).patchStatus();

    TracePipeline read = pipelines.withName("backend").get();
    assertEquals(conditions, read.getStatus().getConditions());
    assertEquals(1L, read.getMetadata().getGeneration(), "a status write is no spec change");

    TracePipeline edited =
        pipelines
            .withName("backend")
            .edit(
                p -> {
                  p.getSpec().getOutput().getOtlp().getEndpoint().setValue("http://other:4317");
                  return p;
                });
    assertEquals(2L, edited.getMetadata().getGeneration());
    assertEquals(conditions, edited.getStatus().getConditions(), "a spec write keeps the status");

    Map<String, Object> columns = printerColumns(pipelines.withName("backend").getAsTable());
    assertEquals("True", columns.get("Configuration"), columns.toString());
    assertEquals("FlowHealthy", columns.get("Flow"), columns.toString());
    assertNotNull(columns.get("Age"), columns.toString());
  }

  @Test
  void theSchemaRefusesWhatItForbids() {
    MixedOperation<TracePipeline, ?, Resource<TracePipeline>> pipelines =
        client.resources(TracePipeline.class);

    TracePipeline udp = tracePipeline("udp", "http://collector:4317");
    udp.getSpec().getOutput().getOtlp().setProtocol("udp");
    assertRefused(() -> pipelines.resource(udp).create(), "protocol");

    TracePipeline noEndpoint = tracePipeline("no-endpoint", "unused");
    noEndpoint.getSpec().getOutput().getOtlp().setEndpoint(null);
    assertRefused(() -> pipelines.resource(noEndpoint).create(), "endpoint");

    TracePipeline tooWide = tracePipeline("too-wide", "http://collector:4317");
    tooWide.getSpec().getOutput().getOtlp().setConcurrency(65);
    assertRefused(() -> pipelines.resource(tooWide).create(), "concurrency");

    TracePipeline valid = pipelines.resource(tracePipeline("valid", "http://c:4317")).create();
    valid.setStatus(new PipelineStatus(List.of(condition("Maybe", "Guessing", 1))));
    assertRefused(() -> pipelines.resource(valid).patchStatus(), "conditions");
  }

  /**
   * The namespace, service account, RBAC, services, StatefulSet and PodDisruptionBudget, created
   * for real (nothing runs them: the test server has no controllers or nodes). Each must come back
   * with every field it was sent: an API server drops the fields it does not know without a word.
   */
  @Test
  void everyOtherManifestIsCreated() throws IOException {
    List<HasMetadata> objects = new ArrayList<>(manifests(false));
    // Namespaces first, as kubectl and kustomize order them.
    objects.sort((a, b) -> Boolean.compare(!isNamespace(a), !isNamespace(b)));
    List<String> kinds = new ArrayList<>();
    for (HasMetadata object : objects) {
      HasMetadata sent = servedVersion(object);
      HasMetadata created = client.resource(sent).create();
      HasMetadata read = client.resource(created).get();
      assertNotNull(read, describe(sent) + " is stored");
      assertFieldsKept(sent, read);
      kinds.add(object.getKind());
    }
    assertTrue(
        kinds.containsAll(
            List.of(
                "Namespace",
                "ServiceAccount",
                "Role",
                "RoleBinding",
                "Service",
                "StatefulSet",
                "PodDisruptionBudget")),
        "created: " + kinds);
  }

  /**
   * The object, or its PodDisruptionBudget as policy/v1beta1 when the server has no policy/v1.
   * policy/v1 came with Kubernetes 1.21, the test server is 1.20; the two have the same fields for
   * what deploy/pdb.yaml uses (maxUnavailable and a selector), and a cluster of 1.25 or newer only
   * serves policy/v1, so the manifest keeps it.
   */
  private static HasMetadata servedVersion(HasMetadata object) {
    if (!object.getKind().equals("PodDisruptionBudget")
        || client.supports(object.getApiVersion(), object.getKind())) {
      return object;
    }
    assertEquals("policy/v1", object.getApiVersion(), describe(object));
    assertTrue(client.supports("policy/v1beta1", "PodDisruptionBudget"), "policy/v1beta1 served");
    ObjectNode tree = serialization.convertValue(object, ObjectNode.class);
    tree.put("apiVersion", "policy/v1beta1");
    return serialization.convertValue(tree, HasMetadata.class);
  }

  /** Every field path of what was sent is in what the server returned (values may be defaulted). */
  private static void assertFieldsKept(HasMetadata sent, HasMetadata read) {
    List<String> missing = new ArrayList<>();
    collectMissing(
        serialization.convertValue(sent, JsonNode.class),
        serialization.convertValue(read, JsonNode.class),
        "",
        missing);
    assertEquals(List.of(), missing, describe(sent) + ": fields the server dropped");
  }

  private static void collectMissing(
      JsonNode sent, JsonNode read, String path, List<String> missing) {
    if (sent.isObject()) {
      sent.fields()
          .forEachRemaining(
              field -> {
                JsonNode there = read.get(field.getKey());
                String at = path + "." + field.getKey();
                if (there == null) missing.add(at);
                else collectMissing(field.getValue(), there, at, missing);
              });
    } else if (sent.isArray()) {
      for (int i = 0; i < sent.size(); i++) {
        if (i >= read.size()) missing.add(path + "[" + i + "]");
        else collectMissing(sent.get(i), read.get(i), path + "[" + i + "]", missing);
      }
    }
  }

  private static void assertRefused(Runnable write, String field) {
    KubernetesClientException refused = assertThrows(KubernetesClientException.class, write::run);
    assertEquals(422, refused.getCode(), refused.getMessage());
    assertTrue(refused.getMessage().contains(field), refused.getMessage());
  }

  private static Map<String, Object> printerColumns(Table table) {
    assertEquals(1, table.getRows().size(), "one row");
    List<Object> cells = table.getRows().get(0).getCells();
    Map<String, Object> columns = new LinkedHashMap<>();
    List<TableColumnDefinition> definitions = table.getColumnDefinitions();
    for (int i = 0; i < definitions.size(); i++)
      columns.put(definitions.get(i).getName(), cells.get(i));
    return columns;
  }

  /** The manifests that deploy/kustomization.yaml lists: the CRDs, or all the others. */
  private static List<HasMetadata> manifests(boolean crds) throws IOException {
    JsonNode kustomization = YAML.readTree(deploy.resolve("kustomization.yaml").toFile());
    List<HasMetadata> objects = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      for (JsonNode document :
          YAML.readerFor(JsonNode.class)
              .<JsonNode>readValues(deploy.resolve(resource.asText()).toFile())
              .readAll()) {
        if (document == null || document.isEmpty()) continue;
        boolean crd = document.path("kind").asText().equals("CustomResourceDefinition");
        if (crd == crds) objects.add(serialization.convertValue(document, HasMetadata.class));
      }
    }
    assertTrue(!objects.isEmpty(), "kustomization lists " + (crds ? "CRDs" : "other manifests"));
    return objects;
  }

  private static TracePipeline tracePipeline(String name, String endpoint) {
    ValueType value = new ValueType();
    value.setValue(endpoint);
    OtlpOutput otlp = new OtlpOutput();
    otlp.setEndpoint(value);
    PipelineOutput output = new PipelineOutput();
    output.setOtlp(otlp);
    TracePipelineSpec spec = new TracePipelineSpec();
    spec.setOutput(output);
    TracePipeline pipeline = new TracePipeline();
    pipeline.setMetadata(new ObjectMetaBuilder().withName(name).build());
    pipeline.setSpec(spec);
    return pipeline;
  }

  private static Condition condition(String status, String reason, long generation) {
    return new Condition(
        Condition.CONFIGURATION_GENERATED, status, reason, reason + ".", now(), generation);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
  }

  private static boolean isNamespace(HasMetadata object) {
    return object.getKind().equals("Namespace");
  }

  private static String describe(HasMetadata object) {
    return object.getApiVersion() + " " + object.getKind() + " " + object.getMetadata().getName();
  }
}
