package dev.shoal.multinode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.node.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cluster Bootstrap off Kubernetes: with {@code SHOAL_DISCOVERY=config} two nodes find each other
 * through the management addresses listed in their configuration, agree that neither is in a
 * cluster yet, and the one with the lowest address forms it; the other joins. In a pod the same
 * bootstrap runs with Kubernetes API discovery instead: {@link KubernetesBootstrapIT}.
 */
class BootstrapIT {
  @Test
  void twoNodesDiscoveredThroughConfigurationFormOneCluster() throws Exception {
    try (LocalCluster cluster = new LocalCluster("bootstrap")) {
      NodeProcess.Ports p1 = NodeProcess.Ports.free();
      NodeProcess.Ports p2 = NodeProcess.Ports.free();
      Path discovery = cluster.dir().resolve("discovery.conf");
      Files.writeString(
          discovery,
          "pekko.discovery.config.services.shoal.endpoints = [\n"
              + "  {host = \"127.0.0.1\", port = "
              + p1.management()
              + "},\n"
              + "  {host = \"127.0.0.1\", port = "
              + p2.management()
              + "}]\n");
      Map<String, String> env =
          Map.of("SHOAL_DISCOVERY", "config", "SHOAL_REQUIRED_CONTACT_POINTS", "2");
      long launched = System.nanoTime();
      NodeProcess one = cluster.start("one", p1, env, "--config", discovery.toString());
      NodeProcess two = cluster.start("two", p2, env, "--config", discovery.toString());
      for (NodeProcess node : List.of(one, two)) node.awaitReady(Duration.ofSeconds(60));
      cluster.awaitAllUp(List.of(one, two), Duration.ofSeconds(30));
      System.out.printf(
          "MEASURED 2 members bootstrapped through config discovery, from their launch: %.1f s%n",
          (System.nanoTime() - launched) / 1e9);
      for (NodeProcess node : List.of(one, two)) {
        assertTrue(
            node.output().contains("joining through Cluster Bootstrap: config discovery"),
            node.output());
      }
    }
  }
}
