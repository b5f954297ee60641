package dev.shoal.node;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.enrich.EnrichmentSettings;
import dev.shoal.pipeline.stream.InputSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes enrichment against a real kube-apiserver ({@link KubeApiServer}): Namespaces, a
 * Deployment's ReplicaSet, a CronJob's Job and pods owned by them (their IPs set through the status
 * subresource, as no kubelet runs) are created; the metadata cache watches them with only the
 * permissions of {@code deploy/rbac.yaml} (the node's service account, impersonated); the real
 * OpenTelemetry SDK sends spans over loopback carrying {@code k8s.pod.ip}, {@code k8s.pod.uid} or
 * neither (then the connection's address, 127.0.0.1, is a pod's IP). Every attribute is checked in
 * the debug outputs, namespace include and exclude route exactly the right resources, and a deleted
 * pod's late data is enriched within the grace period and not after it. Last, the packaged node
 * itself, given a kubeconfig, does the same.
 */
class EnrichmentOnApiServerIT {
  private static final Duration GRACE = Duration.ofSeconds(4);

  @TempDir static Path debugDir;
  private static KubeApiServer server;
  private static KubernetesClient admin;
  private static KubernetesClient serviceAccount;
  private static EnrichedDataPlane node;
  private static Pod checkout;
  private static Pod report;
  private static Pod local;

  @BeforeAll
  static void start() throws Exception {
    Path target = Files.createDirectories(Path.of("target"));
    server = KubeApiServer.start(Files.createTempDirectory(target, "kube-apiserver-enrich-"));
    admin = new KubernetesClientBuilder().withConfig(server.config()).build();
    TestClusterObjects.applyNodeRbac(admin);
    serviceAccount =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(server.config())
                    .withImpersonateUsername("system:serviceaccount:shoal:shoal")
                    .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:shoal")
                    .build())
            .build();

    for (String ns : List.of("shop", "batch", "other")) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    var deployment =
        TestClusterObjects.owner(
            "apps/v1", "Deployment", "checkout", "d0d0d0d0-0000-4000-8000-000000000001");
    String rsUid =
        admin
            .apps()
            .replicaSets()
            .inNamespace("shop")
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName("checkout-5d8f")
                    .withOwnerReferences(deployment)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(0)
                    .withNewSelector()
                    .addToMatchLabels("app", "checkout")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "checkout")
                    .endMetadata()
                    .withSpec(TestClusterObjects.podSpec())
                    .endTemplate()
                    .endSpec()
                    .build())
            .create()
            .getMetadata()
            .getUid();
    var cronJob =
        TestClusterObjects.owner(
            "batch/v1beta1", "CronJob", "report", "c0c0c0c0-0000-4000-8000-000000000002");
    var jobSpec = TestClusterObjects.podSpec();
    jobSpec.setRestartPolicy("Never");
    String jobUid =
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace("batch")
            .resource(
                new JobBuilder()
                    .withNewMetadata()
                    .withName("report-2901")
                    .withOwnerReferences(cronJob)
                    .endMetadata()
                    .withNewSpec()
                    .withNewTemplate()
                    .withSpec(jobSpec)
                    .endTemplate()
                    .endSpec()
                    .build())
            .create()
            .getMetadata()
            .getUid();
    checkout =
        TestClusterObjects.pod(
            admin,
            "shop",
            "checkout-5d8f-x2x",
            Map.of("app.kubernetes.io/name", "checkout-svc", "team", "red"),
            TestClusterObjects.owner("apps/v1", "ReplicaSet", "checkout-5d8f", rsUid),
            "10.20.0.5");
    report =
        TestClusterObjects.pod(
            admin,
            "batch",
            "report-2901-abc",
            Map.of(),
            TestClusterObjects.owner("batch/v1", "Job", "report-2901", jobUid),
            "10.20.0.6");
    local =
        TestClusterObjects.pod(
            admin, "other", "local-agent", Map.of("app", "agent"), null, "127.0.0.1");

    EnrichmentSettings settings =
        new EnrichmentSettings(
            "it-cluster",
            Duration.ofSeconds(60),
            GRACE,
            List.of("team"),
            List.of(),
            true,
            Duration.ofMillis(100));
    Map<String, InputSelector> pipelines = new LinkedHashMap<>();
    pipelines.put("all", InputSelector.ALL);
    pipelines.put("shop-only", new InputSelector(true, Set.of("shop"), Set.of()));
    pipelines.put("not-shop", new InputSelector(true, Set.of(), Set.of("shop")));
    node = new EnrichedDataPlane(serviceAccount, settings, pipelines, debugDir);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                node.metadata.current().podByIp("10.20.0.6") != null
                    && node.metadata.current().podByIp("127.0.0.1") != null
                    && node.metadata.current().podByUid(checkout.getMetadata().getUid()) != null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (serviceAccount != null) serviceAccount.close();
    if (admin != null) admin.close();
    if (server != null) server.close();
  }

  @Test
  void everyAttributeArrivesAndNamespacesRouteTheEnrichedData() throws Exception {
    send("grpc", "by-ip", Attributes.of(stringKey("k8s.pod.ip"), "10.20.0.5"));
    send("http", "by-uid", Attributes.of(stringKey("k8s.pod.uid"), report.getMetadata().getUid()));
    send("grpc", "by-peer", Attributes.empty());

    await().atMost(Duration.ofSeconds(20)).until(() -> node.written("all").size() >= 3);
    Map<String, String> byIp = attributes(resourceOf("all", "by-ip"));
    Map<String, String> expected = new TreeMap<>();
    expected.put("test.case", "by-ip");
    expected.put("k8s.pod.ip", "10.20.0.5");
    expected.put("k8s.namespace.name", "shop");
    expected.put("k8s.pod.name", "checkout-5d8f-x2x");
    expected.put("k8s.pod.uid", checkout.getMetadata().getUid());
    expected.put("k8s.node.name", "node-a");
    expected.put("k8s.replicaset.name", "checkout-5d8f");
    expected.put("k8s.deployment.name", "checkout");
    expected.put("k8s.cluster.name", "it-cluster");
    expected.put("k8s.pod.label.team", "red");
    expected.put("service.name", "checkout-svc");
    assertEquals(expected, withoutSdkAttributes(byIp));

    Map<String, String> byUid = withoutSdkAttributes(attributes(resourceOf("all", "by-uid")));
    assertEquals("batch", byUid.get("k8s.namespace.name"));
    assertEquals("report-2901-abc", byUid.get("k8s.pod.name"));
    assertEquals("report-2901", byUid.get("k8s.job.name"));
    assertEquals("report", byUid.get("k8s.cronjob.name"));
    assertEquals("report", byUid.get("service.name"), "the CronJob names the service");
    assertNull(byUid.get("k8s.deployment.name"));

    Map<String, String> byPeer = withoutSdkAttributes(attributes(resourceOf("all", "by-peer")));
    assertEquals("local-agent", byPeer.get("k8s.pod.name"), "the connection came from its IP");
    assertEquals("other", byPeer.get("k8s.namespace.name"));
    assertEquals("agent", byPeer.get("service.name"), "label app");

    await().atMost(Duration.ofSeconds(20)).until(() -> node.written("not-shop").size() >= 2);
    assertEquals(List.of("by-ip"), cases("shop-only"));
    assertEquals(List.of("by-peer", "by-uid"), cases("not-shop"));
  }

  @Test
  void aDeletedPodsLateDataIsEnrichedWithinTheGracePeriodAndNotAfter() throws Exception {
    Pod doomed = TestClusterObjects.pod(admin, "shop", "doomed", Map.of(), null, "10.20.0.99");
    String uid = doomed.getMetadata().getUid();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.metadata.current().podByUid(uid) != null);
    long deleted = System.nanoTime();
    admin.pods().inNamespace("shop").withName("doomed").withGracePeriod(0).delete();
    admin
        .pods()
        .inNamespace("shop")
        .withName("doomed")
        .waitUntilCondition(p -> p == null, 20, TimeUnit.SECONDS);
    send("grpc", "late", Attributes.of(stringKey("k8s.pod.ip"), "10.20.0.99"));
    assertTrue(
        System.nanoTime() - deleted < GRACE.toNanos(),
        "the late data was sent within the grace period; the test is too slow to tell");
    await().atMost(Duration.ofSeconds(20)).until(() -> hasCase("all", "late"));
    assertEquals("doomed", attributes(resourceOf("all", "late")).get("k8s.pod.name"));

    await()
        .atMost(GRACE.plus(Duration.ofSeconds(10)))
        .until(() -> node.metadata.current().podByUid(uid) == null);
    assertTrue(System.nanoTime() - deleted >= GRACE.toNanos(), "not before the grace period ended");
    send("grpc", "too-late", Attributes.of(stringKey("k8s.pod.ip"), "10.20.0.99"));
    await().atMost(Duration.ofSeconds(20)).until(() -> hasCase("all", "too-late"));
    Map<String, String> tooLate = attributes(resourceOf("all", "too-late"));
    assertNull(tooLate.get("k8s.pod.name"), "no pod after the grace period: " + tooLate);
    assertNull(tooLate.get("k8s.namespace.name"));
  }

  /**
   * The packaged node, started with {@code KUBECONFIG} pointing at the test server, starts its
   * metadata cache, binds once it synced, and enriches what it receives.
   */
  @Test
  void theNodeWithAKubeconfigEnrichesWhatItReceives() throws Exception {
    Path workDir = Files.createTempDirectory(Path.of("target"), "node-enrich-").toAbsolutePath();
    Path dataDir = workDir.resolve("data");
    try (HeaderRecordingBackend backend = new HeaderRecordingBackend("Content-Type")) {
      // The pipelines come from a folder (an explicit --pipelines wins over KUBECONFIG); the
      // metadata comes from the API KUBECONFIG names.
      Path pipelines = Files.createDirectories(workDir.resolve("pipelines"));
      Files.writeString(
          pipelines.resolve("traces.yaml"),
          String.join(
              "\n",
              "apiVersion: telemetry.shoal.dev/v1beta1",
              "kind: TracePipeline",
              "metadata:",
              "  name: traces",
              "spec:",
              "  output:",
              "    otlp:",
              "      protocol: http",
              "      compression: none",
              "      endpoint:",
              "        value: " + backend.endpoint(),
              ""));
      try (NodeProcess shoal =
          NodeProcess.start(
              workDir,
              Map.of(
                  "KUBECONFIG", server.kubeconfig().toAbsolutePath().toString(),
                  "KUBERNETES_SERVICE_HOST", "",
                  "SHOAL_CLUSTER_NAME", "node-it"),
              "--data-dir",
              dataDir.toString(),
              "--pipelines",
              pipelines.toString())) {
        shoal.awaitReady(Duration.ofSeconds(90));
        assertTrue(shoal.output().contains("Kubernetes metadata cache synced"), shoal.output());
        SpanExporter exporter =
            OtlpGrpcSpanExporter.builder().setEndpoint(shoal.grpcEndpoint()).build();
        SdkTracerProvider tracing =
            SdkTracerProvider.builder()
                .setResource(
                    Resource.getDefault()
                        .merge(
                            Resource.create(Attributes.of(stringKey("k8s.pod.ip"), "10.20.0.5"))))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        tracing.get("enrichment-it").spanBuilder("through-the-node").startSpan().end();
        assertTrue(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "exported");
        tracing.shutdown().join(10, TimeUnit.SECONDS);
        shoal.process().destroy(); // SIGTERM: the node drains its pipeline to the backend
        assertEquals(0, shoal.awaitExit(Duration.ofSeconds(60)), shoal.output());
      }
      // Protobuf carries strings as their UTF-8 bytes: each value shows in the raw body.
      StringBuilder received = new StringBuilder();
      backend.bodies().forEach(b -> received.append(new String(b, StandardCharsets.ISO_8859_1)));
      String written = received.toString();
      assertTrue(written.contains("through-the-node"), written);
      for (String expected :
          List.of(
              "checkout-5d8f-x2x", "k8s.deployment.name", "checkout", "node-it", "checkout-svc")) {
        assertTrue(written.contains(expected), expected + " in " + written);
      }
    }
  }

  // --- sending

  /** One span from a fresh SDK whose resource carries {@code test.case} and {@code extra}. */
  private static void send(String protocol, String testCase, Attributes extra) {
    SpanExporter exporter =
        protocol.equals("grpc")
            ? OtlpGrpcSpanExporter.builder().setEndpoint(node.grpcEndpoint()).build()
            : OtlpHttpSpanExporter.builder()
                .setEndpoint(node.httpEndpoint() + "/v1/traces")
                .build();
    // The SDK's default resource says service.name=unknown_service:java: enrichment replaces it.
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(extra.toBuilder().put("test.case", testCase).build()));
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    tracing.get("enrichment-it").spanBuilder("span-" + testCase).startSpan().end();
    assertTrue(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "exported");
    tracing.shutdown().join(10, TimeUnit.SECONDS);
  }

  // --- reading the outputs

  private static ResourceSpans resourceOf(String pipeline, String testCase) throws Exception {
    return node.written(pipeline).stream()
        .filter(r -> testCase.equals(attributes(r).get("test.case")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + testCase + " in " + pipeline));
  }

  private static boolean hasCase(String pipeline, String testCase) throws Exception {
    return node.written(pipeline).stream()
        .anyMatch(r -> testCase.equals(attributes(r).get("test.case")));
  }

  private static List<String> cases(String pipeline) throws Exception {
    return node.written(pipeline).stream()
        .map(r -> attributes(r).get("test.case"))
        .filter(c -> c.startsWith("by-"))
        .sorted()
        .toList();
  }

  private static Map<String, String> attributes(ResourceSpans r) {
    Map<String, String> map = new TreeMap<>();
    for (KeyValue kv : r.getResource().getAttributesList()) {
      map.put(kv.getKey(), kv.getValue().getStringValue());
    }
    return map;
  }

  private static Map<String, String> withoutSdkAttributes(Map<String, String> attributes) {
    Map<String, String> rest = new TreeMap<>(attributes);
    rest.keySet().removeIf(k -> k.startsWith("telemetry.sdk."));
    return rest;
  }
}
