package dev.shoal.multinode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.node.KubeApiServer;
import dev.shoal.node.NodeProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cluster Bootstrap with Kubernetes API discovery, against a real kube-apiserver on loopback: two
 * Pod objects labelled as the StatefulSet labels its pods, with the management port named as the
 * node looks for it, and their IP set through the status subresource (no kubelet runs them). Two
 * node processes, told they are in a pod the way Kubernetes tells them (service host and port in
 * the environment, token, CA and namespace files), list those pods, probe each other's management
 * port, and form one cluster.
 */
class KubernetesBootstrapIT {
  private static final String NAMESPACE = "shoal-bootstrap";

  @Test
  void twoNodesDiscoveredThroughTheKubernetesApiFormOneCluster() throws Exception {
    try (LocalCluster cluster = new LocalCluster("kubernetes-bootstrap");
        KubeApiServer api = KubeApiServer.start(cluster.dir().resolve("kube-apiserver"));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config()).build()) {
      NodeProcess.Ports p1 = NodeProcess.Ports.free();
      NodeProcess.Ports p2 = NodeProcess.Ports.free();
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      createRunningPod(client, "shoal-0", p1.management());
      createRunningPod(client, "shoal-1", p2.management());
      // What a pod would find in /var/run/secrets/kubernetes.io/serviceaccount/.
      String bearer =
          api.config().getOauthToken() != null
              ? api.config().getOauthToken()
              : api.config().getAutoOAuthToken();
      Path token = Files.writeString(cluster.dir().resolve("token"), bearer);
      Path settings =
          Files.writeString(
              cluster.dir().resolve("in-pod.conf"),
              String.join(
                  "\n",
                  "pekko.discovery.kubernetes-api {",
                  "  api-ca-path = \"" + api.servingCertificate() + "\"",
                  "  api-token-path = \"" + token + "\"",
                  "  pod-namespace = \"" + NAMESPACE + "\"",
                  "}",
                  ""));
      java.net.URI server = java.net.URI.create(api.config().getMasterUrl());
      Map<String, String> env =
          Map.of(
              "SHOAL_DISCOVERY",
              "kubernetes-api",
              "SHOAL_REQUIRED_CONTACT_POINTS",
              "2",
              "KUBERNETES_SERVICE_HOST",
              server.getHost(),
              "KUBERNETES_SERVICE_PORT",
              String.valueOf(server.getPort()));
      long launched = System.nanoTime();
      NodeProcess one = cluster.start("one", p1, env, "--config", settings.toString());
      NodeProcess two = cluster.start("two", p2, env, "--config", settings.toString());
      for (NodeProcess node : List.of(one, two)) node.awaitReady(Duration.ofSeconds(90));
      cluster.awaitAllUp(List.of(one, two), Duration.ofSeconds(30));
      System.out.printf(
          "MEASURED 2 members bootstrapped through Kubernetes API discovery, from their launch:"
              + " %.1f s%n",
          (System.nanoTime() - launched) / 1e9);
      for (NodeProcess node : List.of(one, two)) {
        assertTrue(
            node.output().contains("joining through Cluster Bootstrap: kubernetes-api discovery"),
            node.output());
      }
    }
  }

  /** A pod as the StatefulSet makes it, Running at 127.0.0.1 (set as the kubelet would). */
  private static void createRunningPod(KubernetesClient client, String name, int managementPort) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .withLabels(Map.of("app.kubernetes.io/name", "shoal"))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("shoal")
            .withImage("shoal:test")
            .addNewPort()
            .withName("management")
            .withContainerPort(managementPort)
            .endPort()
            .endContainer()
            .endSpec()
            .build();
    Pod created = client.pods().inNamespace(NAMESPACE).resource(pod).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .withPodIP("127.0.0.1")
            .withPodIPs(new io.fabric8.kubernetes.api.model.PodIP("127.0.0.1"))
            .build());
    client.pods().inNamespace(NAMESPACE).resource(created).updateStatus();
  }
}
