package dev.shoal.sharding;

import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.stream.PipelineCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The cluster-wide flow statistics of one pipeline, sharded by the pipeline's name. Every member
 * reports its own cumulative counters for the pipeline every few seconds ({@link ReportStats}); the
 * entity turns them into increments and keeps those of the last window, so that it can answer
 * {@link GetView} with the cluster's rates, drops by reason, refusals and each member's queue fill.
 *
 * <p>The state lives in memory only ({@link FlowWindow}). When the entity moves to another member
 * (rebalance, the hosting member left) or stops after {@code passivate-after} without reports, it
 * starts again empty: each member's next report is its new baseline, and the rates cover only the
 * time since then until the window is full again. Nothing is lost that the members still hold.
 */
public final class PipelineEntity {
  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "PipelineEntity");

  public interface Command extends CborSerializable {}

  /**
   * One member's counters of one pipeline.
   *
   * @param member the member's cluster address
   * @param pipeline the pipeline's name (the entity id)
   * @param snapshot the member's cumulative counters since its pipeline started
   * @param queueUsedBytes bytes the pipeline's queue holds on that member
   * @param queueCapacityBytes the bound of that queue
   * @param at when the member read the counters (its own clock)
   */
  public record ReportStats(
      String member,
      String pipeline,
      StatsSnapshot snapshot,
      long queueUsedBytes,
      long queueCapacityBytes,
      Instant at)
      implements Command {}

  /** Asks for the pipeline's cluster-wide view. */
  public record GetView(ActorRef<PipelineView> replyTo) implements Command {}

  /** No report for {@code passivate-after}. */
  private enum Idle implements Command {
    INSTANCE
  }

  /**
   * {@link PipelineCounters.Snapshot} in a form made for the wire: drops keyed by {@link
   * DropReason#label()}.
   */
  public record StatsSnapshot(
      long received,
      long accepted,
      long refused,
      long exported,
      long exportedBatches,
      Map<String, Long> dropped) {

    public static final StatsSnapshot ZERO = new StatsSnapshot(0, 0, 0, 0, 0, Map.of());

    public StatsSnapshot {
      dropped = Map.copyOf(dropped);
    }

    public static StatsSnapshot of(PipelineCounters.Snapshot s) {
      Map<String, Long> drops = new LinkedHashMap<>();
      s.dropped().forEach((reason, n) -> drops.put(reason.label(), n));
      return new StatsSnapshot(
          s.received(), s.accepted(), s.refused(), s.exported(), s.exportedBatches(), drops);
    }

    public long dropped(String reason) {
      return dropped.getOrDefault(reason, 0L);
    }
  }

  /**
   * The cluster-wide view of a pipeline.
   *
   * @param pipeline its name
   * @param at when the view was taken (the entity's clock)
   * @param window the configured span of the rates
   * @param covered the span the rates actually cover: shorter than {@code window} while the entity
   *     has not observed the pipeline for a whole window yet
   * @param membersReporting members whose last report is recent (within {@code stale-after})
   * @param members every member that reported within the window, by address
   * @param inWindow items counted over {@code covered}, summed over the members
   * @param perSecond the same divided by {@code covered}
   */
  public record PipelineView(
      String pipeline,
      Instant at,
      Duration window,
      Duration covered,
      int membersReporting,
      Map<String, MemberView> members,
      Flow inWindow,
      Rates perSecond)
      implements CborSerializable {

    public PipelineView {
      members = Map.copyOf(members);
    }
  }

  /**
   * What the entity knows about one member's part of the pipeline.
   *
   * @param lastReport when the member read the counters of its last report (its clock)
   * @param reporting whether that report is recent
   * @param queueUsedBytes bytes its queue held then
   * @param queueCapacityBytes the bound of its queue
   * @param queueFill used / capacity, 0 to 1
   */
  public record MemberView(
      Instant lastReport,
      boolean reporting,
      long queueUsedBytes,
      long queueCapacityBytes,
      double queueFill)
      implements CborSerializable {}

  /** Items counted over a span; drops by {@link DropReason#label()}. */
  public record Flow(
      long received, long accepted, long refused, long exported, Map<String, Long> dropped)
      implements CborSerializable {

    public static final Flow ZERO = new Flow(0, 0, 0, 0, Map.of());

    public Flow {
      dropped = Map.copyOf(dropped);
    }

    public long droppedTotal() {
      return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Items per second; drops by {@link DropReason#label()}. */
  public record Rates(
      double received,
      double accepted,
      double refused,
      double exported,
      Map<String, Double> dropped)
      implements CborSerializable {

    public Rates {
      dropped = Map.copyOf(dropped);
    }
  }

  private PipelineEntity() {}

  /** What {@link ClusterSharding#init} needs to run these entities. */
  public static Entity<Command, ShardingEnvelope<Command>> entity(PipelineEntitySettings settings) {
    return Entity.of(
        ENTITY_KEY, ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, Clock.systemUTC()));
  }

  public static Behavior<Command> create(
      String pipeline,
      ActorRef<ClusterSharding.ShardCommand> shard,
      PipelineEntitySettings settings,
      Clock clock) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  FlowWindow window = new FlowWindow(settings.window(), settings.staleAfter());
                  timers.startSingleTimer(Idle.INSTANCE, settings.passivateAfter());
                  return Behaviors.receive(Command.class)
                      .onMessage(
                          ReportStats.class,
                          report -> {
                            if (!pipeline.equals(report.pipeline())) {
                              context
                                  .getLog()
                                  .warn(
                                      "pipeline {}: ignoring a report of pipeline {} from {}",
                                      pipeline,
                                      report.pipeline(),
                                      report.member());
                              return Behaviors.same();
                            }
                            window.record(report, clock.instant());
                            // Restarted on every report: the entity stops once none came for
                            // passivate-after.
                            timers.startSingleTimer(Idle.INSTANCE, settings.passivateAfter());
                            return Behaviors.same();
                          })
                      .onMessage(
                          GetView.class,
                          get -> {
                            get.replyTo().tell(window.view(pipeline, clock.instant()));
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Idle.INSTANCE,
                          () -> {
                            context
                                .getLog()
                                .debug(
                                    "pipeline {}: no report for {}, passivating",
                                    pipeline,
                                    settings.passivateAfter());
                            shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
