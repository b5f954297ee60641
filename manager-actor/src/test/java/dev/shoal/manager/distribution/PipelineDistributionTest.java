package dev.shoal.manager.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.shoal.manager.PipelineManager;
import dev.shoal.pipeline.metrics.ShoalMetrics;
import dev.shoal.pipeline.output.DebugOutputSettings;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manager publishes what its source resolves, versioned, and every member's subscriber hands it
 * to its supervisor: on a one-member cluster with the real replicator. (Several members, as
 * separate processes: multi-node-tests' MembershipIT.)
 */
class PipelineDistributionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static ActorTestKit testKit;

  @BeforeAll
  static void startOneMemberCluster() {
    testKit =
        ActorTestKit.create(
            "distribution",
            ConfigFactory.parseString(
                    "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.cluster.distributed-data.notify-subscribers-interval = 50ms")
                .withFallback(ConfigFactory.load()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aChangedSetIsPublishedOnceAndEveryMemberRunsIt() {
    Path localDebug = Path.of("/member/own/debug");
    TestProbe<PipelineSupervisor.Command> supervisor = testKit.createTestProbe();
    testKit.spawn(
        PipelineConfigurationSubscriber.create(supervisor.ref(), localDebug, Clock.systemUTC()));
    AtomicReference<ActorRef<PipelineSupervisor.Command>> publishTo = new AtomicReference<>();
    testKit.spawn(
        PipelineManager.create(capturing(publishTo), Duration.ofSeconds(2), Clock.systemUTC()));
    awaitCaptured(publishTo);

    List<PipelineSettings> first =
        List.of(
            SamplePipelines.debug("logs-debug", Path.of("/manager/debug")),
            SamplePipelines.otlp("traces", "http://127.0.0.1:4318"));
    publishTo
        .get()
        .tell(new PipelineSupervisor.ApplyPipelines(first, testKit.system().ignoreRef()));

    PipelineSupervisor.ApplyPipelines applied =
        supervisor.expectMessageClass(PipelineSupervisor.ApplyPipelines.class, WAIT);
    assertEquals(List.of("logs-debug", "traces"), names(applied.pipelines()));
    DebugOutputSettings debug = (DebugOutputSettings) applied.pipelines().get(0).output();
    assertEquals(localDebug, debug.directory(), "a debug output writes on the member's own disk");
    assertEquals(first.get(1), applied.pipelines().get(1), "an OTLP output arrives as resolved");
    applied.replyTo().tell(new PipelineSupervisor.Applied(List.of()));
    awaitMetric("shoal_pipeline_configuration_version 1.0");

    // The same set again (a re-read, a new manager after a hand-over): nothing new to run.
    publishTo
        .get()
        .tell(new PipelineSupervisor.ApplyPipelines(first, testKit.system().ignoreRef()));
    supervisor.expectNoMessage(Duration.ofMillis(800));

    List<PipelineSettings> second = List.of(SamplePipelines.otlp("traces", "http://10.1.1.1:4318"));
    publishTo
        .get()
        .tell(new PipelineSupervisor.ApplyPipelines(second, testKit.system().ignoreRef()));
    assertEquals(
        second,
        supervisor.expectMessageClass(PipelineSupervisor.ApplyPipelines.class, WAIT).pipelines());

    // A member that starts following later gets the current version at once.
    TestProbe<PipelineSupervisor.Command> late = testKit.createTestProbe();
    testKit.spawn(
        PipelineConfigurationSubscriber.create(late.ref(), localDebug, Clock.systemUTC()));
    assertEquals(
        second, late.expectMessageClass(PipelineSupervisor.ApplyPipelines.class, WAIT).pipelines());
  }

  private static PipelineManager.Source capturing(
      AtomicReference<ActorRef<PipelineSupervisor.Command>> publishTo) {
    return new PipelineManager.Source() {
      @Override
      public String name() {
        return "the test";
      }

      @Override
      public Behavior<?> behavior(ActorRef<PipelineSupervisor.Command> target) {
        publishTo.set(target);
        return Behaviors.empty();
      }
    };
  }

  private static void awaitCaptured(AtomicReference<?> reference) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (reference.get() == null && System.nanoTime() < deadline) sleep(20);
    assertTrue(reference.get() != null, "the manager started its source");
  }

  private static void awaitMetric(String line) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String text = "";
    while (System.nanoTime() < deadline) {
      text = new String(ShoalMetrics.get(testKit.system()).scrape(), StandardCharsets.UTF_8);
      if (text.contains(line)) return;
      sleep(20);
    }
    throw new AssertionError("no '" + line + "' in /metrics:\n" + text);
  }

  private static List<String> names(List<PipelineSettings> pipelines) {
    return pipelines.stream().map(PipelineSettings::name).toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
