package dev.shoal.manager.distribution;

import dev.shoal.pipeline.metrics.ShoalMetrics;
import dev.shoal.pipeline.output.DebugOutputSettings;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * Runs on every member: follows the pipeline configuration the manager publishes ({@link
 * PublishedPipelines#KEY}) and hands each new version to the member's {@link PipelineSupervisor}.
 *
 * <p>Debug outputs write into this member's own data folder, whatever folder the manager's member
 * uses: each member writes its own files.
 *
 * <p>State: the last version handed to the supervisor, and the one it confirmed; in memory only. A
 * restarted subscriber gets the current value from its replicator at once and applies it again,
 * which leaves unchanged pipelines running.
 */
public final class PipelineConfigurationSubscriber {

  public interface Command {}

  private record Published(Replicator.SubscribeResponse<LWWRegister<PublishedPipelines>> response)
      implements Command {}

  private record Applied(PublishedPipelines configuration, PipelineSupervisor.Applied applied)
      implements Command {}

  private record NotConfirmed(PublishedPipelines configuration, Throwable failure)
      implements Command {}

  /** Starting streams takes milliseconds; a supervisor silent this long is stuck, or stopping. */
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

  private PipelineConfigurationSubscriber() {}

  /**
   * @param supervisor the member's supervisor
   * @param debugDir where this member's debug outputs write
   */
  public static Behavior<Command> create(
      ActorRef<PipelineSupervisor.Command> supervisor, Path debugDir, Clock clock) {
    return Behaviors.setup(
        context ->
            DistributedData.<Command, LWWRegister<PublishedPipelines>>withReplicatorMessageAdapter(
                replicator -> {
                  replicator.subscribe(PublishedPipelines.KEY, Published::new);
                  return following(context, supervisor, debugDir, clock, 0);
                }));
  }

  private static Behavior<Command> following(
      ActorContext<Command> context,
      ActorRef<PipelineSupervisor.Command> supervisor,
      Path debugDir,
      Clock clock,
      long handedOver) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Published.class,
            published -> {
              if (!(published.response() instanceof Replicator.Changed<?> changed)) {
                return Behaviors.same();
              }
              PublishedPipelines configuration =
                  ((LWWRegister<PublishedPipelines>) changed.dataValue()).getValue();
              if (configuration.version() <= handedOver) return Behaviors.same();
              // One ask per version: the answer names the version it confirms, even when a newer
              // version is handed over before the supervisor answered the older one.
              context.ask(
                  PipelineSupervisor.Applied.class,
                  supervisor,
                  APPLY_TIMEOUT,
                  replyTo ->
                      new PipelineSupervisor.ApplyPipelines(
                          localized(configuration.pipelines(), debugDir), replyTo),
                  (applied, failure) ->
                      failure == null
                          ? new Applied(configuration, applied)
                          : new NotConfirmed(configuration, failure));
              return following(context, supervisor, debugDir, clock, configuration.version());
            })
        .onMessage(
            Applied.class,
            applied -> {
              PublishedPipelines configuration = applied.configuration();
              long delayMillis = Math.max(0, clock.millis() - configuration.publishedAtMillis());
              ShoalMetrics.get(context.getSystem())
                  .configurationApplied(configuration.version(), delayMillis / 1000.0);
              context
                  .getLog()
                  .info(
                      "running pipeline configuration version {} from {}: {} pipelines, {} ms after"
                          + " it was published",
                      configuration.version(),
                      configuration.source(),
                      applied.applied().running().size(),
                      delayMillis);
              return Behaviors.same();
            })
        .onMessage(
            NotConfirmed.class,
            notConfirmed -> {
              context
                  .getLog()
                  .warn(
                      "pipeline configuration version {}: the supervisor did not confirm it ({})",
                      notConfirmed.configuration().version(),
                      notConfirmed.failure().toString());
              return Behaviors.same();
            })
        .build();
  }

  /** The pipelines as this member runs them: debug outputs in its own debug folder. */
  static List<PipelineSettings> localized(List<PipelineSettings> pipelines, Path debugDir) {
    return pipelines.stream()
        .map(
            p ->
                p.output() instanceof DebugOutputSettings debug
                    ? p.withOutput(
                        new DebugOutputSettings(
                            debugDir,
                            debug.fileName(),
                            debug.rotateBytes(),
                            debug.keepFiles(),
                            debug.delayPerBatch()))
                    : p)
        .toList();
  }
}
