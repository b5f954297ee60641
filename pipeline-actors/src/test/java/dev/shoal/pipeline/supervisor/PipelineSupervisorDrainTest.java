package dev.shoal.pipeline.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A member that drains for shutdown starts nothing new when a configuration arrives late. */
class PipelineSupervisorDrainTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("supervisor");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aConfigurationAfterTheDrainStartsNoPipeline(@TempDir Path dir) {
    PipelineDefaults defaults = PipelineDefaults.fromConfig(ConfigFactory.load());
    List<PipelineSettings> pipelines =
        List.of(defaults.pipeline("logs", Signal.LOGS, defaults.debugOutput(dir, "logs")));
    SignalRouter router = new SignalRouter();
    ActorRef<PipelineSupervisor.Command> supervisor =
        testKit.spawn(PipelineSupervisor.create(router));
    TestProbe<PipelineSupervisor.Applied> applied = testKit.createTestProbe();
    supervisor.tell(new PipelineSupervisor.ApplyPipelines(pipelines, applied.ref()));
    assertEquals(1, applied.receiveMessage(Duration.ofSeconds(10)).running().size());

    TestProbe<PipelineSupervisor.Drained> drained = testKit.createTestProbe();
    supervisor.tell(new PipelineSupervisor.Drain(drained.ref()));
    drained.expectMessage(Duration.ofSeconds(30), PipelineSupervisor.Drained.INSTANCE);

    supervisor.tell(new PipelineSupervisor.ApplyPipelines(pipelines, applied.ref()));
    applied.expectNoMessage(Duration.ofMillis(500));
    assertTrue(router.pipelines().isEmpty(), "the router routes to nothing: " + router.pipelines());
  }
}
