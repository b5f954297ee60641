package dev.shoal.pipeline.enrich;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Pods as the API serves them, and settings, for the enrichment tests. */
final class TestPods {
  private TestPods() {}

  static EnrichmentSettings settings(
      String clusterName, List<String> labels, List<String> prefixes) {
    return new EnrichmentSettings(
        clusterName,
        Duration.ofSeconds(5),
        Duration.ofMinutes(2),
        labels,
        prefixes,
        true,
        Duration.ofMillis(50));
  }

  static EnrichmentSettings settings() {
    return settings("", List.of(), List.of());
  }

  /** A running pod with an IP, owned (as controller) by {@code ownerKind/ownerName} when given. */
  static Pod pod(
      String namespace,
      String name,
      String uid,
      String ip,
      String ownerKind,
      String ownerName,
      Map<String, String> labels) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withUid(uid)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-1")
            .addNewContainer()
            .withName("app")
            .withImage("example/app:1")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP(ip)
            .addNewPodIP(ip)
            .endStatus();
    if (ownerKind != null) {
      b.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion(ownerKind.equals("Job") ? "batch/v1" : "apps/v1")
                  .withKind(ownerKind)
                  .withName(ownerName)
                  .withUid(ownerName + "-uid")
                  .withController(true)
                  .build())
          .endMetadata();
    }
    return b.build();
  }

  static PodMetadata metadata(Pod pod, EnrichmentSettings settings) {
    return PodMetadata.from(pod, settings);
  }
}
