package dev.shoal.bench.enrich;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Random;
import java.util.UUID;

/**
 * Pods as a real cluster's API serves them, for measuring the metadata cache: Deployment pods with
 * the usual labels and annotations, two containers with environment, ports, resources and mounts,
 * and realistic name lengths. Pod {@code i} is owned by ReplicaSet {@code i / 10} of its namespace.
 */
final class SyntheticPods {
  private final Random random;

  SyntheticPods(long seed) {
    this.random = new Random(seed);
  }

  static String namespace(int i) {
    return "team-" + (i % 40) + "-apps";
  }

  static String workload(int i) {
    return "service-" + (i / 10) + "-backend";
  }

  static String replicaSet(int i) {
    return workload(i) + "-7d9f8c6b5";
  }

  static String ip(int i) {
    return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
  }

  Pod pod(int i) {
    String name = replicaSet(i) + "-" + Integer.toString(10_000 + random.nextInt(50_000), 36);
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace(i))
        .withUid(new UUID(random.nextLong(), random.nextLong()).toString())
        .withResourceVersion(String.valueOf(1_000_000 + i))
        .addToLabels("app.kubernetes.io/name", workload(i))
        .addToLabels("app.kubernetes.io/instance", workload(i) + "-prod")
        .addToLabels("app.kubernetes.io/version", "1.4." + (i % 7))
        .addToLabels("pod-template-hash", "7d9f8c6b5")
        .addToLabels("team", "team-" + (i % 40))
        .addToLabels("security.istio.io/tlsMode", "istio")
        .addToAnnotations("prometheus.io/scrape", "true")
        .addToAnnotations("prometheus.io/port", "9090")
        .addToAnnotations("kubectl.kubernetes.io/restartedAt", "2026-11-20T10:00:00Z")
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName(replicaSet(i))
        .withUid(new UUID(random.nextLong(), random.nextLong()).toString())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withNodeName("gke-prod-pool-1-" + Integer.toHexString(i % 50) + "abcd-xyz1")
        .withServiceAccountName(workload(i))
        .addNewContainer()
        .withName("app")
        .withImage("registry.example.com/" + workload(i) + ":1.4." + (i % 7))
        .addNewPort()
        .withContainerPort(8080)
        .withName("http")
        .endPort()
        .addNewEnv()
        .withName("OTEL_EXPORTER_OTLP_ENDPOINT")
        .withValue("http://shoal-otlp.shoal:4317")
        .endEnv()
        .addNewEnv()
        .withName("JAVA_TOOL_OPTIONS")
        .withValue("-XX:MaxRAMPercentage=70")
        .endEnv()
        .withNewResources()
        .addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("memory", new Quantity("512Mi"))
        .endResources()
        .addNewVolumeMount()
        .withName("config")
        .withMountPath("/etc/app")
        .endVolumeMount()
        .endContainer()
        .addNewContainer()
        .withName("istio-proxy")
        .withImage("docker.io/istio/proxyv2:1.22.0")
        .addNewPort()
        .withContainerPort(15090)
        .withName("http-envoy-prom")
        .endPort()
        .endContainer()
        .addNewVolume()
        .withName("config")
        .withNewConfigMap()
        .withName(workload(i) + "-config")
        .endConfigMap()
        .endVolume()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withHostIP("10.128.0." + (i % 50))
        .withPodIP(ip(i))
        .addNewPodIP(ip(i))
        .withStartTime("2026-11-20T10:00:00Z")
        .withQosClass("Burstable")
        .endStatus()
        .build();
  }
}
