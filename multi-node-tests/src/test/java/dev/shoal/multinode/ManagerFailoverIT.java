package dev.shoal.multinode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.node.KubeApiServer;
import dev.shoal.node.NodeProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The pipeline manager singleton against a real kube-apiserver, across the loss of its member:
 * three members read their pipelines through {@code --kubeconfig}; the oldest runs the manager and
 * writes the TracePipeline's status. Killed with {@code kill -9}, its successor on the next oldest
 * member lists the resources again and goes on: a change to the pipeline after the kill shows in
 * its status, written by the new manager, and reaches the surviving members.
 */
class ManagerFailoverIT {
  private static final Duration START = Duration.ofSeconds(90);

  /** Removal of a killed member (docs/operations.md) + the singleton's start, with room. */
  private static final Duration FAILOVER = Duration.ofSeconds(60);

  @Test
  void theNextManagerKeepsMaintainingStatusAfterTheFirstIsKilled() throws Exception {
    try (LocalCluster cluster = new LocalCluster("manager-failover");
        KubeApiServer api = KubeApiServer.start(cluster.dir().resolve("kube-apiserver"));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config()).build();
        SinkInThisJvm sink = SinkInThisJvm.start("failover-sink")) {
      KubeApiServer.applyPipelineCrds(client);
      Path kubeconfig = cluster.dir().resolve("kube-apiserver").resolve("kubeconfig");
      apply(client, "http://127.0.0.1:" + sink.backend().grpcPort());

      NodeProcess.Ports pa = NodeProcess.Ports.free();
      NodeProcess.Ports pb = NodeProcess.Ports.free();
      NodeProcess.Ports pc = NodeProcess.Ports.free();
      String seeds =
          String.join(",", pa.clusterAddress(), pb.clusterAddress(), pc.clusterAddress());
      List<NodeProcess> members = new ArrayList<>();
      for (var entry : Map.of("a", pa, "b", pb, "c", pc).entrySet()) {
        members.add(
            cluster.start(
                entry.getKey(),
                entry.getValue(),
                Map.of(),
                "--seed",
                seeds,
                "--kubeconfig",
                kubeconfig.toString()));
      }
      for (NodeProcess node : members) node.awaitReady(START);
      cluster.awaitAllUp(members, Duration.ofSeconds(30));
      awaitReason(cluster, client, "ConfigurationApplied", 1, Duration.ofSeconds(30));

      NodeProcess manager = oldest(members);
      assertTrue(manager.output().contains("pipeline manager started"), manager.output());
      manager.process().destroyForcibly(); // kill -9
      manager.process().waitFor(30, TimeUnit.SECONDS);
      members.remove(manager);
      long killed = System.nanoTime();

      // Changed after the kill: only a new manager can notice, validate and write it.
      apply(client, "not a URL");
      awaitReason(cluster, client, "EndpointInvalid", 2, FAILOVER);
      System.out.printf(
          "MEASURED kill -9 of the manager's member -> status of a later change written by the"
              + " next manager: %.1f s%n",
          (System.nanoTime() - killed) / 1e9);
      NodeProcess next = oldest(members);
      assertTrue(next.output().contains("pipeline manager started"), next.output());
      // An invalid pipeline does not run: the new manager published the change to the survivors.
      Awaitility.await("the survivors stop the pipeline that became invalid")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                for (NodeProcess node : members) {
                  if (MemberPipelines.of(node).pipelines().contains("tracepipeline/failover")) {
                    return false;
                  }
                }
                return true;
              });
    }
  }

  private static NodeProcess oldest(List<NodeProcess> members) throws Exception {
    String oldest = ClusterView.of(members.get(0)).oldest();
    return members.stream()
        .filter(n -> n.clusterNode().equals(oldest))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no member is the oldest, " + oldest));
  }

  private static void apply(KubernetesClient client, String endpoint) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: telemetry.shoal.dev/v1beta1",
            "kind: TracePipeline",
            "metadata:",
            "  name: failover",
            "spec:",
            "  output:",
            "    otlp:",
            "      protocol: grpc",
            "      endpoint:",
            "        value: \"" + endpoint + "\"",
            "");
    client.resource(yaml).forceConflicts().serverSideApply();
  }

  /** Waits for ConfigurationGenerated with {@code reason} for {@code generation}. */
  private static void awaitReason(
      LocalCluster cluster,
      KubernetesClient client,
      String reason,
      long generation,
      Duration bound) {
    try {
      Awaitility.await("ConfigurationGenerated " + reason + " for generation " + generation)
          .atMost(bound)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> reason.equals(configurationReason(client, generation)));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; status: " + status(client) + cluster.logs(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static String configurationReason(KubernetesClient client, long generation) {
    Object status = status(client);
    if (!(status instanceof Map<?, ?> map)) return null;
    for (Object c : (List<Object>) map.get("conditions")) {
      Map<String, Object> condition = (Map<String, Object>) c;
      if ("ConfigurationGenerated".equals(condition.get("type"))
          && ((Number) condition.get("observedGeneration")).longValue() == generation) {
        return (String) condition.get("reason");
      }
    }
    return null;
  }

  private static Object status(KubernetesClient client) {
    GenericKubernetesResource r =
        client
            .genericKubernetesResources("telemetry.shoal.dev/v1beta1", "TracePipeline")
            .withName("failover")
            .get();
    return r == null ? null : r.getAdditionalProperties().get("status");
  }
}
