package dev.shoal.manager.kube;

import static dev.shoal.manager.kube.MockApi.tracePipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/** The API server goes away under a running source: the pipelines keep running as they were. */
@EnableKubernetesMockClient(crud = true)
class KubernetesSourceOutageTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void anUnreachableApiServerKeepsThePipelinesRunning() throws Exception {
    MockApi.registerCrds(client);
    ActorTestKit testKit = ActorTestKit.create("kube-outage-test");
    try {
      TestProbe<PipelineSupervisor.Command> supervisor = testKit.createTestProbe();
      FlowViews none =
          new FlowViews() {
            @Override
            public CompletionStage<PipelineView> view(String pipeline) {
              return CompletableFuture.failedFuture(new IllegalStateException("no entity"));
            }

            @Override
            public Set<String> upMembers() {
              return Set.of();
            }
          };
      client.resource(tracePipeline(client, "backend", "http://collector:4317")).create();
      KubernetesPipelineSourceTest.startSource(
          testKit, client, supervisor, none, Duration.ofMillis(200));
      assertEquals(
          1,
          supervisor
              .expectMessageClass(
                  PipelineSupervisor.ApplyPipelines.class, KubernetesPipelineSourceTest.WITHIN)
              .pipelines()
              .size());
      server.shutdown();
      // Resyncs every 200 ms while the informers fail: nothing is applied, least of all an
      // empty set.
      supervisor.expectNoMessage(Duration.ofSeconds(2));
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
