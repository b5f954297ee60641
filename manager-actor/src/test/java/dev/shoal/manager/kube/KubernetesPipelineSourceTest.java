package dev.shoal.manager.kube;

import static dev.shoal.manager.kube.MockApi.condition;
import static dev.shoal.manager.kube.MockApi.tokenSecret;
import static dev.shoal.manager.kube.MockApi.tracePipeline;
import static dev.shoal.manager.kube.MockApi.withSecretHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.TracePipeline;
import dev.shoal.manager.health.HealthSettings;
import dev.shoal.manager.reconcile.ReconcilerSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import dev.shoal.sharding.PipelineEntity.Flow;
import dev.shoal.sharding.PipelineEntity.MemberView;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import dev.shoal.sharding.PipelineEntity.Rates;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes source against fabric8's mock API server in CRUD mode with the pipeline CRDs
 * registered: what runs, what the status says, and that nothing is written or applied needlessly.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPipelineSourceTest {
  static final Duration WITHIN = Duration.ofSeconds(10);
  static final String MEMBER = "pekko://shoal@127.0.0.1:25520";

  // Static: one mock server for the class (each test cleans up after itself).
  static KubernetesClient client;
  ActorTestKit testKit;
  TestProbe<PipelineSupervisor.Command> supervisor;
  final AtomicReference<PipelineView> view = new AtomicReference<>();

  final FlowViews flowViews =
      new FlowViews() {
        @Override
        public CompletionStage<PipelineView> view(String pipeline) {
          PipelineView v = view.get();
          return v == null
              ? CompletableFuture.failedFuture(new IllegalStateException("no entity"))
              : CompletableFuture.completedFuture(v);
        }

        @Override
        public Set<String> upMembers() {
          return Set.of(MEMBER);
        }
      };

  @BeforeAll
  static void registerCrds() throws IOException {
    MockApi.registerCrds(client);
  }

  @BeforeEach
  void start() {
    Config config =
        ConfigFactory.parseString(
                "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                    + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"")
            .withFallback(ConfigFactory.load())
            .resolve();
    testKit = ActorTestKit.create("kube-source-test", config);
    supervisor = testKit.createTestProbe();
  }

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
    client.resources(TracePipeline.class).delete();
    client.secrets().inNamespace("default").delete();
  }

  static KubernetesSourceSettings settings(ActorTestKit testKit, Duration resync) {
    Config config = testKit.system().settings().config();
    return new KubernetesSourceSettings(
        resync,
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        new HealthSettings(Duration.ofMillis(300), 0.8, Duration.ofSeconds(30)),
        ReconcilerSettings.fromConfig(config));
  }

  ActorRef<KubernetesPipelineSource.Command> startSource(Duration resync) {
    return startSource(testKit, client, supervisor, flowViews, resync);
  }

  static ActorRef<KubernetesPipelineSource.Command> startSource(
      ActorTestKit testKit,
      KubernetesClient client,
      TestProbe<PipelineSupervisor.Command> supervisor,
      FlowViews flowViews,
      Duration resync) {
    return testKit.spawn(
        KubernetesPipelineSource.create(
            client,
            PipelineDefaults.fromConfig(testKit.system().settings().config()),
            settings(testKit, resync),
            flowViews,
            supervisor.ref(),
            Clock.systemUTC()));
  }

  List<PipelineSettings> nextApply() {
    return supervisor
        .expectMessageClass(PipelineSupervisor.ApplyPipelines.class, WITHIN)
        .pipelines();
  }

  static String header(PipelineSettings p) {
    return ((OtlpOutputSettings) p.output()).headers().get("X-Token");
  }

  Condition awaitCondition(String name, String type, String reason) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    Condition c = null;
    while (System.nanoTime() < deadline) {
      c = condition(client, name, type);
      if (c != null && reason.equals(c.getReason())) return c;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(type + " of " + name + " is not " + reason + " but " + c);
  }

  @Test
  void aMissingSecretIsReportedAndItsCreationAndRotationApplyWithoutRestart() {
    client.resource(withSecretHeader(client, "backend")).create();
    startSource(Duration.ofMinutes(1));
    assertEquals(List.of(), nextApply(), "the invalid pipeline does not run");
    Condition missing =
        awaitCondition("backend", Condition.CONFIGURATION_GENERATED, "ReferencedSecretMissing");
    assertEquals(Condition.FALSE, missing.getStatus());
    assertEquals(1L, missing.getObservedGeneration());
    assertTrue(missing.getMessage().contains("Secret default/token does not exist"));

    client.resource(tokenSecret("first")).create();
    List<PipelineSettings> applied = nextApply();
    assertEquals("first", header(applied.get(0)));
    awaitCondition("backend", Condition.CONFIGURATION_GENERATED, "ConfigurationApplied");

    client.resource(tokenSecret("second")).update();
    assertEquals("second", header(nextApply().get(0)));

    client.secrets().inNamespace("default").withName("token").delete();
    assertEquals(List.of(), nextApply());
    awaitCondition("backend", Condition.CONFIGURATION_GENERATED, "ReferencedSecretMissing");
  }

  @Test
  void resyncsAndAHandOverNeitherReapplyNorRewrite() throws Exception {
    client.resource(tracePipeline(client, "backend", "http://collector:4317")).create();
    ActorRef<KubernetesPipelineSource.Command> first = startSource(Duration.ofMillis(200));
    assertEquals(1, nextApply().size());
    Condition applied =
        awaitCondition("backend", Condition.CONFIGURATION_GENERATED, "ConfigurationApplied");
    String version =
        client
            .resources(TracePipeline.class)
            .withName("backend")
            .get()
            .getMetadata()
            .getResourceVersion();

    // Several resyncs later: nothing applied again, nothing written.
    supervisor.expectNoMessage(Duration.ofSeconds(1));
    assertEquals(version, resourceVersion("backend"));

    // A new manager (another member after a hand-over) lists again and applies the same set,
    // and leaves the status as it is.
    testKit.stop(first);
    startSource(Duration.ofMinutes(1));
    assertEquals(1, nextApply().size());
    Thread.sleep(500); // no condition to wait for: the point is that nothing happens
    assertEquals(version, resourceVersion("backend"));
    assertEquals(
        applied.getLastTransitionTime(),
        condition(client, "backend", Condition.CONFIGURATION_GENERATED).getLastTransitionTime());
  }

  @Test
  void aSpecEditAppliesAndMovesObservedGeneration() {
    client.resource(tracePipeline(client, "backend", "http://collector:4317")).create();
    startSource(Duration.ofMinutes(1));
    assertEquals(1, nextApply().size());
    // The source writes the status meanwhile: a conflicting edit is tried again.
    awaitCondition("backend", Condition.CONFIGURATION_GENERATED, "ConfigurationApplied");
    TracePipeline edited = client.resources(TracePipeline.class).withName("backend").get();
    edited.getSpec().getOutput().getOtlp().getEndpoint().setValue("not a url");
    edited.getMetadata().setGeneration(2L);
    edited.getMetadata().setResourceVersion(null);
    client.resource(edited).update();
    assertEquals(List.of(), nextApply());
    Condition invalid =
        awaitCondition("backend", Condition.CONFIGURATION_GENERATED, "EndpointInvalid");
    assertEquals(2L, invalid.getObservedGeneration());
  }

  @Test
  void healthConditionsComeFromTheViewAndAreWrittenOnTransitionsOnly() throws Exception {
    client.resource(tracePipeline(client, "backend", "http://collector:4317")).create();
    startSource(Duration.ofMinutes(1));
    assertEquals(1, nextApply().size());

    view.set(view(Flow.ZERO, 0.1));
    Condition healthy = awaitCondition("backend", Condition.TELEMETRY_FLOW_HEALTHY, "FlowHealthy");
    assertEquals(Condition.TRUE, healthy.getStatus());
    Condition gateway = awaitCondition("backend", Condition.GATEWAY_HEALTHY, "AllMembersReady");
    assertNotNull(gateway.getLastTransitionTime());
    String version = resourceVersion("backend");
    Thread.sleep(1000); // three polls of an unchanged view
    assertEquals(version, resourceVersion("backend"), "an unchanged view writes nothing");

    view.set(view(new Flow(10, 10, 0, 0, Map.of("retries_exhausted", 10L)), 0.1));
    Condition dropped =
        awaitCondition("backend", Condition.TELEMETRY_FLOW_HEALTHY, "AllTelemetryDataDropped");
    assertEquals(Condition.FALSE, dropped.getStatus());

    // An entity that does not answer leaves the condition as it is.
    view.set(null);
    Thread.sleep(700);
    assertEquals(
        "AllTelemetryDataDropped",
        condition(client, "backend", Condition.TELEMETRY_FLOW_HEALTHY).getReason());

    view.set(view(new Flow(10, 10, 0, 10, Map.of()), 0.1));
    awaitCondition("backend", Condition.TELEMETRY_FLOW_HEALTHY, "FlowHealthy");
  }

  private String resourceVersion(String name) {
    return client
        .resources(TracePipeline.class)
        .withName(name)
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  private static PipelineView view(Flow flow, double fill) {
    return new PipelineView(
        "tracepipeline/backend",
        Instant.now(),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        1,
        Map.of(MEMBER, new MemberView(Instant.now(), true, 1, 10, fill)),
        flow,
        new Rates(0, 0, 0, 0, Map.of()));
  }
}
