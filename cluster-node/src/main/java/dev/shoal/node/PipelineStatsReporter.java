package dev.shoal.node;

import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.RunningPipeline;
import dev.shoal.sharding.PipelineEntity;
import dev.shoal.sharding.PipelineSharding;
import java.time.Instant;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Sends this member's counters of every running pipeline to the pipeline's {@link PipelineEntity}
 * every {@code shoal.sharding.pipeline-entity.report-interval}. It holds no state: the counters
 * live in the pipelines' queues, and are cumulative, so a lost report only delays the entity's
 * view. Stopped by the node's shutdown before the member leaves the cluster.
 */
final class PipelineStatsReporter {

  interface Command {}

  /** Stop reporting. */
  enum Stop implements Command {
    INSTANCE
  }

  private enum Tick implements Command {
    INSTANCE
  }

  private PipelineStatsReporter() {}

  static Behavior<Command> create(SignalRouter router, PipelineSharding sharding, String member) {
    return Behaviors.withTimers(
        timers -> {
          timers.startTimerWithFixedDelay(Tick.INSTANCE, sharding.settings().reportInterval());
          return Behaviors.receive(Command.class)
              .onMessageEquals(
                  Tick.INSTANCE,
                  () -> {
                    Instant now = Instant.now();
                    for (RunningPipeline p : router.pipelines()) {
                      sharding.report(
                          new PipelineEntity.ReportStats(
                              member,
                              p.settings().name(),
                              PipelineEntity.StatsSnapshot.of(p.queue().counters().snapshot()),
                              p.queue().usedBytes(),
                              p.queue().capacityBytes(),
                              now));
                    }
                    return Behaviors.same();
                  })
              .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
              .build();
        });
  }
}
