package dev.shoal.manager.kube;

import dev.shoal.manager.Manifests;
import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineStatus;
import dev.shoal.manager.crd.TracePipeline;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/** Objects for the Kubernetes source's tests against fabric8's mock server in CRUD mode. */
final class MockApi {
  private MockApi() {}

  /**
   * Registers the CRDs the build generated, so that the mock server treats {@code status} as a
   * subresource (a spec write keeps it; a status write changes only it).
   */
  static void registerCrds(KubernetesClient client) throws IOException {
    Path generated = Path.of("target", "classes", "META-INF", "fabric8");
    try (Stream<Path> files = Files.list(generated)) {
      for (Path file : files.filter(f -> f.toString().endsWith("-v1.yml")).toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd =
              client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.resource(crd).create();
        }
      }
    }
  }

  /** A TracePipeline, as {@link Manifests#tracePipeline} writes it. */
  static TracePipeline tracePipeline(
      KubernetesClient client, String name, String endpoint, String... otlpLines) {
    return client
        .getKubernetesSerialization()
        .unmarshal(Manifests.tracePipeline(name, endpoint, otlpLines), TracePipeline.class);
  }

  /** A TracePipeline whose header X-Token comes from key {@code token} of Secret default/token. */
  static TracePipeline withSecretHeader(KubernetesClient client, String name) {
    return tracePipeline(
        client,
        name,
        "http://collector:4317",
        "headers:",
        "  - name: X-Token",
        "    valueFrom: {secretKeyRef: {name: token, namespace: default, key: token}}");
  }

  /** Secret default/token with {@code data.token} (base64, as the API server stores it). */
  static Secret tokenSecret(String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("token")
        .withNamespace("default")
        .endMetadata()
        .addToData(
            "token", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  static List<Condition> conditions(KubernetesClient client, String name) {
    TracePipeline p = client.resources(TracePipeline.class).withName(name).get();
    PipelineStatus status = p == null ? null : p.getStatus();
    return status == null ? List.of() : status.getConditions();
  }

  static Condition condition(KubernetesClient client, String name, String type) {
    return conditions(client, name).stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
