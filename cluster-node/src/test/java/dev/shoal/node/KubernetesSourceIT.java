package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineStatus;
import dev.shoal.manager.crd.TracePipeline;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged node reading its pipelines from a real kube-apiserver (with etcd, on loopback; see
 * {@link KubeApiServer}) through {@code --kubeconfig}: the CRDs of deploy/crds applied, a
 * TracePipeline whose header comes from a Secret, exporting to a real OTLP/HTTP backend. Status is
 * read back from the API server.
 */
class KubernetesSourceIT {
  /** Flow conditions with a 10 s window (docs/pipelines.md: the window plus a few seconds). */
  static final String NODE_CONFIG =
      String.join(
          "\n",
          "shoal.sharding.pipeline-entity.report-interval = 1s",
          "shoal.sharding.pipeline-entity.window = 10s",
          "shoal.manager.health.poll-interval = 1s",
          "");

  static final Duration APPLIED_WITHIN = Duration.ofSeconds(20);
  static final Duration FLOW_WITHIN = Duration.ofSeconds(45);

  @TempDir Path workDir;

  @Test
  void secretsApplyWithoutRestartAndFlowHealthFollowsTheBackend() throws Exception {
    Path target = Files.createDirectories(Path.of("target"));
    Path serverDir = Files.createTempDirectory(target, "kube-apiserver-");
    try (KubeApiServer server = KubeApiServer.start(serverDir);
        KubernetesClient client =
            new KubernetesClientBuilder().withConfig(server.config()).build();
        HeaderRecordingBackend backend = new HeaderRecordingBackend("X-Token")) {
      KubeApiServer.applyPipelineCrds(client);
      client
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("telemetry").endMetadata().build())
          .create();
      client.resource(pipeline(client, backend.endpoint())).create();

      Path config = Files.writeString(workDir.resolve("node.conf"), NODE_CONFIG);
      try (NodeProcess node =
          NodeProcess.start(
              workDir,
              Map.of(),
              "--kubeconfig",
              serverDir.resolve("kubeconfig").toAbsolutePath().toString(),
              "--config",
              config.toString(),
              "--data-dir",
              workDir.resolve("data").toString())) {
        node.awaitReady(Duration.ofSeconds(90));
        assertTrue(
            node.output()
                .contains("the pipeline manager reads pipelines from the Kubernetes API of"),
            node.output());

        Condition missing =
            awaitReason(
                client,
                Condition.CONFIGURATION_GENERATED,
                "ReferencedSecretMissing",
                APPLIED_WITHIN,
                node);
        assertEquals(Condition.FALSE, missing.getStatus());

        client.resource(secret("first")).create();
        awaitReason(
            client,
            Condition.CONFIGURATION_GENERATED,
            "ConfigurationApplied",
            APPLIED_WITHIN,
            node);
        awaitHeaderAtBackend(node, backend, "first");

        client.resource(secret("second")).update();
        awaitHeaderAtBackend(node, backend, "second");

        awaitReason(client, Condition.GATEWAY_HEALTHY, "AllMembersReady", FLOW_WITHIN, node);
        awaitReason(client, Condition.TELEMETRY_FLOW_HEALTHY, "FlowHealthy", FLOW_WITHIN, node);

        backend.down();
        long downAt = System.nanoTime();
        Awaitility.await()
            .atMost(FLOW_WITHIN)
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () -> {
                  send(node, "while-down");
                  assertEquals(
                      "AllTelemetryDataDropped", reason(client, Condition.TELEMETRY_FLOW_HEALTHY));
                });
        System.out.printf(
            "AllTelemetryDataDropped %d s after the backend went down%n",
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downAt));

        backend.up();
        Awaitility.await()
            .atMost(FLOW_WITHIN)
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(
                () -> {
                  send(node, "after-up");
                  assertEquals("FlowHealthy", reason(client, Condition.TELEMETRY_FLOW_HEALTHY));
                });
        Condition flow = condition(client, Condition.TELEMETRY_FLOW_HEALTHY);
        assertEquals(Condition.TRUE, flow.getStatus());
        assertEquals(1L, flow.getObservedGeneration());
      }
    }
  }

  private static HasMetadata pipeline(KubernetesClient client, String endpoint) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: telemetry.shoal.dev/v1beta1",
            "kind: TracePipeline",
            "metadata: {name: backend}",
            "spec:",
            "  output:",
            "    otlp:",
            "      protocol: http",
            "      endpoint: {value: \"" + endpoint + "\"}",
            "      headers:",
            "        - name: X-Token",
            "          valueFrom: {secretKeyRef: {name: token, namespace: telemetry, key: token}}",
            "      retry: {initialInterval: 200ms, maxInterval: 500ms, maxElapsedTime: 2s}",
            "");
    return client.getKubernetesSerialization().unmarshal(yaml, TracePipeline.class);
  }

  private static Secret secret(String token) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("token")
        .withNamespace("telemetry")
        .endMetadata()
        .addToStringData("token", token)
        .build();
  }

  private static Condition condition(KubernetesClient client, String type) {
    TracePipeline p = client.resources(TracePipeline.class).withName("backend").get();
    PipelineStatus status = p == null ? null : p.getStatus();
    return status == null ? null : status.condition(type).orElse(null);
  }

  private static String reason(KubernetesClient client, String type) {
    Condition c = condition(client, type);
    return c == null ? null : c.getReason();
  }

  private static Condition awaitReason(
      KubernetesClient client, String type, String reason, Duration within, NodeProcess node)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Condition c = condition(client, type);
      if (c != null && reason.equals(c.getReason())) return c;
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(
        type
            + " is not "
            + reason
            + " within "
            + within
            + " but "
            + condition(client, type)
            + "\n"
            + node.output());
  }

  /** Sends spans until the backend saw one with this header value. */
  private static void awaitHeaderAtBackend(
      NodeProcess node, HeaderRecordingBackend backend, String value) {
    Awaitility.await()
        .atMost(APPLIED_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              send(node, value);
              List<String> seen = backend.values();
              assertTrue(
                  !seen.isEmpty() && seen.get(seen.size() - 1).equals(value),
                  "backend saw " + seen);
            });
  }

  private static void send(NodeProcess node, String name) {
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                SimpleSpanProcessor.create(
                    OtlpHttpSpanExporter.builder()
                        .setEndpoint(node.httpEndpoint() + "/v1/traces")
                        .build()))
            .build();
    tracing.get("it").spanBuilder(name).startSpan().end();
    CompletableResultCode flushed = tracing.forceFlush();
    flushed.join(10, TimeUnit.SECONDS);
    tracing.shutdown().join(10, TimeUnit.SECONDS);
  }
}
