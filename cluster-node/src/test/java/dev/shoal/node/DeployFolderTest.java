package dev.shoal.node;

import static dev.shoal.node.DeployFolder.key;
import static dev.shoal.node.DeployFolder.name;
import static dev.shoal.node.DeployFolder.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks that {@code deploy/} is complete and well formed: the kustomization lists every manifest
 * (the CRDs of {@code deploy/crds} included), every manifest reads into fabric8's typed model
 * without a field the model does not know, and the objects sit in the node's namespace with the
 * least privilege the node needs. {@link DeployManifestsTest} checks that they agree with the node;
 * {@code DeployOnApiServerIT} has a real API server accept them.
 */
class DeployFolderTest {
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  /** Kinds that live in no namespace. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");

  private static DeployFolder folder;

  @BeforeAll
  static void readManifests() throws IOException {
    folder = DeployFolder.read();
  }

  @Test
  void kustomizationListsExactlyTheYamlFiles() throws IOException {
    Set<String> listed = new TreeSet<>();
    folder.kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    for (String resource : listed) {
      assertTrue(
          Files.isRegularFile(folder.deploy.resolve(resource)), "listed but missing: " + resource);
    }
    assertEquals(
        new TreeSet<>(folder.resourceFiles()),
        listed,
        "every YAML file in deploy/ and below is a kustomization resource");
  }

  @Test
  void kustomizationInstallsTheCrdsOfThePipelineKinds() {
    for (String kind : List.of("TracePipeline", "MetricPipeline", "LogPipeline")) {
      String plural = kind.toLowerCase(Locale.ROOT) + "s";
      JsonNode crd = folder.object("CustomResourceDefinition", plural + ".telemetry.shoal.dev");
      assertEquals(kind, crd.path("spec").path("names").path("kind").asText());
    }
  }

  @Test
  void everyManifestReadsIntoTheTypedModelWithNoUnknownField() throws IOException {
    for (String file : folder.resourceFiles()) {
      for (JsonNode document : folder.documents(file)) {
        String what = file + ": " + key(document.path("kind").asText(), name(document));
        HasMetadata object = KUBERNETES.convertValue(document, HasMetadata.class);
        assertTrue(
            !(object instanceof GenericKubernetesResource),
            what
                + " is no kind fabric8's model knows (apiVersion "
                + document.path("apiVersion").asText()
                + ")");
        assertEquals(document.path("kind").asText(), object.getKind(), what);
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(object, "", unknown);
        assertEquals(List.of(), unknown, what + ": fields the typed model does not know");
      }
    }
  }

  @Test
  void podsRunAsTheServiceAccountTheRoleIsBoundTo() {
    String namespace = name(folder.object("Namespace", "shoal"));
    JsonNode podSpec = folder.statefulSet.path("spec").path("template").path("spec");
    String account = podSpec.path("serviceAccountName").asText();
    folder.object("ServiceAccount", account);
    JsonNode binding = folder.object("RoleBinding", "shoal-pod-reader");
    JsonNode subject = binding.path("subjects").path(0);
    assertEquals("ServiceAccount", subject.path("kind").asText());
    assertEquals(account, subject.path("name").asText());
    assertEquals(namespace, subject.path("namespace").asText());
    JsonNode rules =
        folder.object("Role", binding.path("roleRef").path("name").asText()).path("rules");
    // Least privilege: only what Cluster Bootstrap's Kubernetes API discovery reads.
    assertEquals(1, rules.size(), "one rule");
    assertEquals(List.of("pods"), texts(rules.path(0).path("resources")));
    assertEquals(Set.of("get", "watch", "list"), Set.copyOf(texts(rules.path(0).path("verbs"))));
    // The metadata cache: read only, pods, ReplicaSets and Jobs, every namespace.
    JsonNode clusterBinding = folder.object("ClusterRoleBinding", "shoal-metadata-reader");
    JsonNode clusterSubject = clusterBinding.path("subjects").path(0);
    assertEquals(1, clusterBinding.path("subjects").size(), "one subject");
    assertEquals("ServiceAccount", clusterSubject.path("kind").asText());
    assertEquals(account, clusterSubject.path("name").asText());
    assertEquals(namespace, clusterSubject.path("namespace").asText());
    JsonNode clusterRules =
        folder
            .object("ClusterRole", clusterBinding.path("roleRef").path("name").asText())
            .path("rules");
    Map<String, List<String>> resourcesByGroup = new java.util.TreeMap<>();
    for (JsonNode rule : clusterRules) {
      assertEquals(
          Set.of("get", "watch", "list"),
          Set.copyOf(texts(rule.path("verbs"))),
          "read only: " + rule);
      assertTrue(rule.path("resourceNames").isMissingNode(), "no resourceNames: " + rule);
      for (String group : texts(rule.path("apiGroups"))) {
        resourcesByGroup.put(group, texts(rule.path("resources")));
      }
    }
    assertEquals(
        Map.of("", List.of("pods"), "apps", List.of("replicasets"), "batch", List.of("jobs")),
        resourcesByGroup,
        "exactly what the metadata cache's informers watch");
    for (JsonNode object : folder.objectsByKindAndName.values()) {
      if (CLUSTER_SCOPED.contains(object.path("kind").asText())) {
        assertTrue(object.path("metadata").path("namespace").isMissingNode(), name(object));
        continue;
      }
      assertEquals(namespace, object.path("metadata").path("namespace").asText(), name(object));
    }
  }

  @Test
  void theManagerReadsThePipelineKindsAndSecretsAndWritesOnlyTheirStatus() {
    String account =
        folder
            .statefulSet
            .path("spec")
            .path("template")
            .path("spec")
            .path("serviceAccountName")
            .asText();
    JsonNode binding = folder.object("ClusterRoleBinding", "shoal-pipeline-manager");
    JsonNode subject = binding.path("subjects").path(0);
    assertEquals(account, subject.path("name").asText());
    assertEquals("shoal", subject.path("namespace").asText());
    JsonNode rules =
        folder.object("ClusterRole", binding.path("roleRef").path("name").asText()).path("rules");
    assertEquals(3, rules.size(), "three rules");
    List<String> kinds = List.of("tracepipelines", "metricpipelines", "logpipelines");
    assertEquals(kinds, texts(rules.path(0).path("resources")));
    assertEquals(Set.of("get", "list", "watch"), Set.copyOf(texts(rules.path(0).path("verbs"))));
    assertEquals(
        kinds.stream().map(k -> k + "/status").toList(), texts(rules.path(1).path("resources")));
    assertEquals(Set.of("update", "patch"), Set.copyOf(texts(rules.path(1).path("verbs"))));
    assertEquals(List.of("secrets"), texts(rules.path(2).path("resources")));
    assertEquals(Set.of("get", "list", "watch"), Set.copyOf(texts(rules.path(2).path("verbs"))));
  }

  /**
   * Fields that fabric8's typed model does not know land in its {@code additionalProperties}: a
   * misspelled field, or one of a newer API than the model's. An API server drops such fields of
   * built-in kinds without a word, so they are caught here.
   */
  private static void collectUnknownFields(Object value, String path, List<String> unknown) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) collectUnknownFields(item, path + "[" + i++ + "]", unknown);
      return;
    }
    if (value instanceof Map<?, ?> entries) {
      entries.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown));
      return;
    }
    if (value == null
        || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")) continue;
      Class<?> type = getter.getReturnType();
      boolean model = type.getName().startsWith("io.fabric8.kubernetes.api.model");
      if (!model && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new AssertionError(path + ": " + getter, e);
      }
      // (JSONSchemaProps has a getAdditionalProperties of its own: the schema keyword.)
      if (getter.getName().equals("getAdditionalProperties") && child instanceof Map<?, ?> extra) {
        extra.keySet().forEach(k -> unknown.add(path + "." + k));
      } else {
        String field = getter.getName().substring(3);
        collectUnknownFields(
            child,
            path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1),
            unknown);
      }
    }
  }
}
