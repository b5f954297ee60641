package dev.shoal.manager;

import dev.shoal.manager.distribution.PublishedPipelines;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster singleton that owns the pipeline configuration: it runs the pipeline source (the
 * Kubernetes API, a folder, or the embedded default), and publishes each resolved set of pipelines,
 * versioned, to every member through Distributed Data ({@link PublishedPipelines#KEY}). Each member
 * runs what is published ({@link dev.shoal.manager.distribution.PipelineConfigurationSubscriber}),
 * including one that joins later: the replicator hands it the current value.
 *
 * <p>A source tells its result the way it would tell a member's supervisor, {@link
 * PipelineSupervisor.ApplyPipelines}; the manager turns that into an update of the register. An
 * unchanged set publishes nothing, so a source that re-reads, and a new manager after a hand-over
 * that reads the same source again, do not bump the version.
 *
 * <p>State: none of its own beyond the source's; the published register is the state, replicated on
 * every member.
 */
public final class PipelineManager {

  /** What the manager handles: the source's results, and the replicator's answers. */
  public interface Command {}

  private record FromSource(PipelineSupervisor.Command command) implements Command {}

  private record UpdateAnswered(
      Replicator.UpdateResponse<LWWRegister<PublishedPipelines>> response, String source, int size)
      implements Command {}

  /**
   * Starts the source of the manager. It is given the reference that takes its {@link
   * PipelineSupervisor.ApplyPipelines}, and names itself for the log.
   */
  public interface Source {
    /** How the log and {@link PublishedPipelines#source()} name the source. */
    String name();

    Behavior<?> behavior(ActorRef<PipelineSupervisor.Command> publishTo);
  }

  private PipelineManager() {}

  /**
   * Runs the manager as a cluster singleton: on the oldest member, moved when that member leaves.
   * Every member calls this; returns a proxy to the singleton.
   */
  public static ActorRef<Command> initSingleton(
      ActorSystem<?> system, Source source, Duration writeTimeout) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(create(source, writeTimeout, Clock.systemUTC()))
                    .onFailure(SupervisorStrategy.restart()),
                "pipeline-manager"));
  }

  /** The manager itself, for a test that runs it without a singleton. */
  public static Behavior<Command> create(Source source, Duration writeTimeout, Clock clock) {
    return Behaviors.setup(
        context ->
            DistributedData.<Command, LWWRegister<PublishedPipelines>>withReplicatorMessageAdapter(
                replicator -> {
                  context
                      .getLog()
                      .info("pipeline manager started; pipelines from {}", source.name());
                  ActorRef<PipelineSupervisor.Command> publishTo =
                      context.messageAdapter(PipelineSupervisor.Command.class, FromSource::new);
                  context.spawn(source.behavior(publishTo), "source");
                  return running(context, replicator, source.name(), writeTimeout, clock);
                }));
  }

  private static Behavior<Command> running(
      ActorContext<Command> context,
      ReplicatorMessageAdapter<Command, LWWRegister<PublishedPipelines>> replicator,
      String source,
      Duration writeTimeout,
      Clock clock) {
    SelfUniqueAddress self = DistributedData.get(context.getSystem()).selfUniqueAddress();
    return Behaviors.receive(Command.class)
        .onMessage(
            FromSource.class,
            from -> {
              if (from.command() instanceof PipelineSupervisor.ApplyPipelines apply) {
                publish(replicator, self, source, apply.pipelines(), writeTimeout, clock);
              } else {
                context.getLog().warn("pipeline source sent {}; ignored", from.command());
              }
              return Behaviors.same();
            })
        .onMessage(
            UpdateAnswered.class,
            answered -> {
              logAnswer(context, answered, writeTimeout);
              return Behaviors.same();
            })
        .build();
  }

  private static void publish(
      ReplicatorMessageAdapter<Command, LWWRegister<PublishedPipelines>> replicator,
      SelfUniqueAddress self,
      String source,
      List<PipelineSettings> pipelines,
      Duration writeTimeout,
      Clock clock) {
    Function<LWWRegister<PublishedPipelines>, LWWRegister<PublishedPipelines>> change =
        register -> {
          PublishedPipelines current = register.getValue();
          if (current.pipelines().equals(pipelines) && current.version() > 0) return register;
          return register.withValue(self, current.next(source, pipelines, clock.millis()));
        };
    replicator.askUpdate(
        replyTo ->
            new Replicator.Update<>(
                PublishedPipelines.KEY,
                LWWRegister.create(self, PublishedPipelines.NONE),
                new Replicator.WriteAll(writeTimeout),
                replyTo,
                change),
        response -> new UpdateAnswered(response, source, pipelines.size()));
  }

  private static void logAnswer(
      ActorContext<Command> context, UpdateAnswered answered, Duration writeTimeout) {
    var response = answered.response();
    if (response instanceof Replicator.UpdateSuccess) {
      context
          .getLog()
          .info(
              "published {} pipelines from {} to every member", answered.size(), answered.source());
    } else if (response instanceof Replicator.UpdateTimeout) {
      // The local replica has it; gossip brings it to the members that did not confirm.
      context
          .getLog()
          .warn(
              "published {} pipelines from {}, but not every member confirmed within {}; they get"
                  + " it by gossip",
              answered.size(),
              answered.source(),
              writeTimeout);
    } else {
      context
          .getLog()
          .error(
              "publishing {} pipelines from {} failed: {}",
              answered.size(),
              answered.source(),
              response);
    }
  }
}
