package dev.shoal.node;

import dev.shoal.pipeline.prometheus.ScrapeTarget;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import dev.shoal.sharding.ScrapeTargets;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the pipeline manager's source and its publication (inside the singleton): passes
 * every command on, and makes the static scrape targets of each set of pipelines ({@code
 * input.prometheus.staticTargets}) the desired set of {@link ScrapeTargets}. Stateless; a new
 * manager after a hand-over writes the same set again, which changes nothing.
 */
final class StaticScrapeTargets {
  // Logged from the write's completion, off the actor: not through the actor's own logger.
  private static final Logger log = LoggerFactory.getLogger(StaticScrapeTargets.class);
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

  private StaticScrapeTargets() {}

  static Behavior<PipelineSupervisor.Command> create(
      ActorRef<PipelineSupervisor.Command> supervisor, ScrapeTargets targets) {
    return Behaviors.setup(
        context ->
            Behaviors.receive(PipelineSupervisor.Command.class)
                .onMessage(
                    PipelineSupervisor.ApplyPipelines.class,
                    apply -> {
                      supervisor.tell(apply);
                      List<ScrapeTarget> desired = ScrapeTargets.staticTargets(apply.pipelines());
                      targets
                          .apply(desired, WRITE_TIMEOUT)
                          .whenComplete(
                              (applied, failure) -> {
                                if (failure != null) {
                                  log.warn("static scrape targets: {}", failure.getMessage());
                                } else if (!desired.isEmpty() || !applied.removed().isEmpty()) {
                                  log.info(
                                      "static scrape targets: {} desired, removed {}",
                                      applied.desired(),
                                      applied.removed());
                                }
                              });
                      return Behaviors.same();
                    })
                .onAnyMessage(
                    other -> {
                      supervisor.tell(other);
                      return Behaviors.same();
                    })
                .build());
  }
}
