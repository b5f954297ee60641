package dev.shoal.pipeline.enrich;

import static dev.shoal.pipeline.enrich.TestPods.pod;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The informers against fabric8's mock API server (CRUD mode): what is created, changed and deleted
 * there reaches the published snapshot, owners included, and a deleted pod leaves after its grace.
 */
@EnableKubernetesMockClient(crud = true)
class MetadataInformersTest {
  private static final ActorTestKit testKit = ActorTestKit.create("metadata-informers-test");
  static KubernetesClient client;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void podsAndTheirOwnersReachTheSnapshotAndDeletedPodsLeaveAfterTheirGrace() throws Exception {
    EnrichmentSettings settings =
        new EnrichmentSettings(
            "test",
            Duration.ofSeconds(10),
            Duration.ofMillis(800),
            List.of("team"),
            List.of(),
            true,
            Duration.ofMillis(50));
    client
        .apps()
        .replicaSets()
        .inNamespace("shop")
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("checkout-5d8f")
                .withNamespace("shop")
                .withOwnerReferences(owner("apps/v1", "Deployment", "checkout"))
                .endMetadata()
                .build())
        .create();
    client
        .pods()
        .inNamespace("shop")
        .resource(
            pod(
                "shop",
                "checkout-5d8f-a",
                "uid-a",
                "10.4.0.1",
                "ReplicaSet",
                "checkout-5d8f",
                Map.of("team", "red")))
        .create();

    KubernetesMetadata metadata = new KubernetesMetadata();
    var cache = testKit.spawn(MetadataCache.create(settings, metadata));
    try (MetadataInformers informers = MetadataInformers.start(client, settings, cache)) {
      informers.synced().toCompletableFuture().get(10, TimeUnit.SECONDS);
      PodEnrichment enrichment = new PodEnrichment(metadata, settings);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                var a =
                    EnrichmentRequests.attributes(
                        enrichment.enrich(
                            EnrichmentRequests.traces(
                                EnrichmentRequests.resource("k8s.pod.ip", "10.4.0.1")),
                            null),
                        0);
                assertEquals("checkout", a.get("k8s.deployment.name"));
                assertEquals("red", a.get("k8s.pod.label.team"));
                assertEquals("test", a.get("k8s.cluster.name"));
              });

      // A Job of a CronJob, and its pod, created after the informers started.
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace("batch")
          .resource(
              new JobBuilder()
                  .withNewMetadata()
                  .withName("report-1")
                  .withNamespace("batch")
                  .withOwnerReferences(owner("batch/v1", "CronJob", "report"))
                  .endMetadata()
                  .build())
          .create();
      // (The server gives each object its own UID, as a real one does.)
      String uid =
          client
              .pods()
              .inNamespace("batch")
              .resource(
                  pod("batch", "report-1-x", "uid-r", "10.4.0.2", "Job", "report-1", Map.of()))
              .create()
              .getMetadata()
              .getUid();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                PodMetadata p = metadata.current().podByUid(uid);
                assertNotNull(p);
                assertEquals("report", metadata.current().cronJobOf("batch", "report-1"));
              });

      // An IP that changes (through the status subresource) is found under the new one only.
      Pod moved = client.pods().inNamespace("shop").withName("checkout-5d8f-a").get();
      moved.getStatus().setPodIP("10.4.0.9");
      moved.getStatus().setPodIPs(List.of(new io.fabric8.kubernetes.api.model.PodIP("10.4.0.9")));
      client.pods().inNamespace("shop").resource(moved).updateStatus();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertNotNull(metadata.current().podByIp("10.4.0.9")));
      assertNull(metadata.current().podByIp("10.4.0.1"));

      // Deleted: still there within the grace period, gone after it.
      client.pods().inNamespace("batch").withName("report-1-x").delete();
      long deleted = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertNull(metadata.current().podByUid(uid)));
      long gone = System.nanoTime() - deleted;
      assertEquals(
          true,
          gone >= Duration.ofMillis(800).toNanos(),
          "left only after the grace period: " + gone / 1_000_000 + " ms");
      assertNotNull(metadata.current().podByIp("10.4.0.9"), "the other pod stays");
    }
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference owner(
      String apiVersion, String kind, String name) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(name)
        .withUid(name + "-uid")
        .withController(true)
        .build();
  }
}
