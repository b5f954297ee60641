package dev.shoal.sharding;

import dev.shoal.pipeline.metrics.ShoalMetrics;
import dev.shoal.pipeline.prometheus.ScrapeClients;
import dev.shoal.pipeline.prometheus.ScrapeDelivery;
import dev.shoal.pipeline.prometheus.ScrapeResult;
import dev.shoal.pipeline.prometheus.ScrapeTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Owns one scrape target, sharded by its stable id: scrapes it on its interval, at the instants
 * every owner computes alike ({@code ScrapePhase}), and hands the series to this member's metric
 * pipelines.
 *
 * <p>Entities are remembered (Distributed Data store, no persistence plugin): when a member leaves
 * or shards are rebalanced, sharding starts the entity again on its new member by itself. The
 * target's definition comes back with it from the replicated desired set ({@link ScrapeTargets}
 * writes it), which the entity subscribes to; a {@link Configure} from the manager works as well.
 * The series memory (start times, last scrape's series) starts empty on the new member.
 *
 * <p>A target the desired set no longer holds is stopped: at once on {@link Stop}, or after {@code
 * removal-grace} when the replicated set says so (a grace, because a member that just joined may
 * still hold an old copy of the set). Stopping passivates, which also forgets the entity.
 */
public final class ScrapeTargetEntity {
  /** Named for {@code /cluster/shards/ScrapeTarget}. */
  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ScrapeTarget");

  public interface Command extends CborSerializable {}

  /** Scrape this target (new, or changed). */
  public record Configure(ScrapeTarget target) implements Command {}

  /** The target left the desired set: stop scraping and forget it. */
  public enum Stop implements Command {
    INSTANCE
  }

  /**
   * Sharding's stop message: the target moves to another member (a rebalance, this member leaving)
   * or its entity passivates after removal. A moving target scrapes a next instant that is close
   * first ({@code hand-off-wait}), so that the new owner leaves no gap.
   */
  public enum HandOff implements Command {
    INSTANCE
  }

  /** Asks how the target's scrapes go. */
  public record GetStatus(ActorRef<TargetStatus> replyTo) implements Command {}

  /**
   * How a target's scrapes go on the member that owns it.
   *
   * @param id the target's id
   * @param url its URL, or null while it has no definition yet
   * @param member the owning member's address
   * @param configured whether it has a definition and scrapes
   * @param lastScrape the instant of the last finished scrape, or null
   * @param lastFailure why the last scrape failed, or null when it succeeded
   * @param lastSamples samples of the last scrape
   * @param scrapes scrapes since the entity started on this member
   * @param failures of those, the failed ones
   * @param skipped instants skipped because the previous scrape was still running
   * @param lastAdmission what the pipelines answered to the last scrape's series
   */
  public record TargetStatus(
      String id,
      String url,
      String member,
      boolean configured,
      Instant lastScrape,
      String lastFailure,
      int lastSamples,
      long scrapes,
      long failures,
      long skipped,
      String lastAdmission)
      implements CborSerializable {}

  private record Tick(long instantMillis) implements Command {}

  private record Scraped(ScrapeResult result, long instantMillis) implements Command {}

  private record DesiredSetChanged(Replicator.SubscribeResponse<LWWMap<String, ScrapeTarget>> rsp)
      implements Command {}

  private enum RemovalConfirmed implements Command {
    INSTANCE
  }

  private enum NeverConfigured implements Command {
    INSTANCE
  }

  private enum HandOffDeadline implements Command {
    INSTANCE
  }

  private static final String TICK = "tick";
  private static final String REMOVAL = "removal";
  private static final String HAND_OFF = "hand-off";
  private static final Duration MOST_WAITED_FOR_A_SCRAPE = Duration.ofSeconds(5);

  private ScrapeTargetEntity() {}

  /** What {@link ClusterSharding#init} needs to run these entities: remembered ones. */
  public static Entity<Command, ShardingEnvelope<Command>> entity(
      ActorSystem<?> system,
      ScrapeTargetSettings settings,
      ScrapeClients clients,
      ScrapeDelivery delivery) {
    return Entity.of(
            ENTITY_KEY,
            ctx -> create(ctx.getEntityId(), ctx.getShard(), settings, clients, delivery))
        .withStopMessage(HandOff.INSTANCE)
        .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true));
  }

  public static Behavior<Command> create(
      String id,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ScrapeTargetSettings settings,
      ScrapeClients clients,
      ScrapeDelivery delivery) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    DistributedData.withReplicatorMessageAdapter(
                        (org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter<
                                    Command, LWWMap<String, ScrapeTarget>>
                                replicator) -> {
                          replicator.subscribe(ScrapeTargets.KEY, DesiredSetChanged::new);
                          timers.startSingleTimer(
                              NeverConfigured.INSTANCE, settings.configureTimeout());
                          ShoalMetrics metrics = ShoalMetrics.get(context.getSystem());
                          metrics.scrapeTargetStarted();
                          String member =
                              Cluster.get(context.getSystem()).selfMember().address().toString();
                          ScrapeLoop loop =
                              new ScrapeLoop(clients, delivery, context.getLog(), member);
                          return running(id, shard, context, timers, loop, metrics, settings);
                        })));
  }

  private static Behavior<Command> running(
      String id,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ScrapeLoop loop,
      ShoalMetrics metrics,
      ScrapeTargetSettings settings) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Configure.class,
            c -> {
              timers.cancel(REMOVAL);
              configure(id, c.target(), context, timers, loop);
              return Behaviors.same();
            })
        .onMessage(
            DesiredSetChanged.class,
            changed -> {
              if (!(changed.rsp() instanceof Replicator.Changed<LWWMap<String, ScrapeTarget>> c)) {
                return Behaviors.same();
              }
              var desired = c.get(ScrapeTargets.KEY).getEntries().get(id);
              if (desired != null) {
                timers.cancel(REMOVAL);
                configure(id, desired, context, timers, loop);
              } else if (!timers.isTimerActive(REMOVAL)) {
                timers.startSingleTimer(
                    REMOVAL, RemovalConfirmed.INSTANCE, settings.removalGrace());
              }
              return Behaviors.same();
            })
        .onMessage(
            Tick.class,
            tick -> {
              if (loop.target() == null) return Behaviors.same();
              CompletionStage<ScrapeResult> scrape = loop.start(tick.instantMillis());
              if (scrape != null) {
                context.pipeToSelf(
                    scrape,
                    (result, failure) ->
                        new Scraped(failure == null ? result : null, tick.instantMillis()));
              }
              if (!loop.handingOff()) scheduleNext(loop, timers, tick.instantMillis());
              return Behaviors.same();
            })
        .onMessage(
            Scraped.class,
            s -> {
              if (s.result() != null) {
                loop.finished(s.result(), s.instantMillis());
                metrics.scraped(s.result().up());
              }
              if (loop.lastBeforeHandOff(s.instantMillis())) {
                context
                    .getLog()
                    .info(
                        "scrape target {}: scraped {}; handing over to its next owner",
                        id,
                        Instant.ofEpochMilli(s.instantMillis()));
                return Behaviors.stopped();
              }
              return Behaviors.same();
            })
        .onMessage(
            GetStatus.class,
            get -> {
              get.replyTo().tell(loop.status(id));
              return Behaviors.same();
            })
        .onMessageEquals(HandOff.INSTANCE, () -> handOff(id, context, timers, loop, settings))
        .onMessageEquals(
            HandOffDeadline.INSTANCE,
            () -> {
              context
                  .getLog()
                  .warn(
                      "scrape target {}: its last scrape before the hand-over is late; going", id);
              return Behaviors.stopped();
            })
        .onMessageEquals(
            Stop.INSTANCE,
            () -> {
              context.getLog().info("scrape target {}: removed from the desired set; stopping", id);
              loop.removing();
              return passivate(shard, context);
            })
        .onMessageEquals(
            RemovalConfirmed.INSTANCE,
            () -> {
              context
                  .getLog()
                  .info("scrape target {}: no longer in the replicated desired set; stopping", id);
              loop.removing();
              return passivate(shard, context);
            })
        .onMessageEquals(
            NeverConfigured.INSTANCE,
            () -> {
              if (loop.target() != null) return Behaviors.same();
              context
                  .getLog()
                  .warn("scrape target {}: started but never given a definition; stopping", id);
              return passivate(shard, context);
            })
        .onSignal(
            PostStop.class,
            stopped -> {
              metrics.scrapeTargetStopped();
              return Behaviors.same();
            })
        .build();
  }

  private static void configure(
      String id,
      ScrapeTarget target,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ScrapeLoop loop) {
    if (!id.equals(target.id())) {
      context.getLog().warn("scrape target {}: ignoring the definition of {}", id, target.id());
      return;
    }
    boolean first = loop.target() == null;
    if (!loop.configure(target)) return;
    context
        .getLog()
        .info(
            "scrape target {}: {} every {} for pipelines {}",
            id,
            first ? "scraping" : "changed; scraping",
            target.interval(),
            target.pipelines());
    scheduleNext(loop, timers, System.currentTimeMillis());
  }

  /**
   * Sharding stops the entity. A removed or never-configured target stops at once. A moving one
   * stops after the scrape in flight and, when its next instant is within {@code hand-off-wait},
   * after that instant's scrape: the new owner starts with the instant after, so no instant is
   * scraped twice and, as long as the hand-over takes less than {@code hand-off-wait}, none is
   * missed.
   */
  private static Behavior<Command> handOff(
      String id,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ScrapeLoop loop,
      ScrapeTargetSettings settings) {
    if (loop.target() == null || loop.isRemoving()) return Behaviors.stopped();
    if (loop.handingOff()) return Behaviors.same();
    long now = System.currentTimeMillis();
    long next = loop.nextInstant(now);
    long untilNext = next - now;
    boolean scrapeNext = untilNext <= settings.handOffWait().toMillis();
    if (!scrapeNext && !loop.inFlight()) {
      context.getLog().info("scrape target {}: handing over to its next owner", id);
      return Behaviors.stopped();
    }
    if (scrapeNext) {
      loop.handOffAfter(next);
    } else {
      timers.cancel(TICK);
      loop.handOffAfter(0);
    }
    timers.cancel(REMOVAL);
    Duration scrapeBound =
        loop.target().timeout().compareTo(MOST_WAITED_FOR_A_SCRAPE) < 0
            ? loop.target().timeout()
            : MOST_WAITED_FOR_A_SCRAPE;
    timers.startSingleTimer(
        HAND_OFF,
        HandOffDeadline.INSTANCE,
        Duration.ofMillis(scrapeNext ? untilNext : 0).plus(scrapeBound).plusMillis(500));
    return Behaviors.same();
  }

  private static void scheduleNext(ScrapeLoop loop, TimerScheduler<Command> timers, long after) {
    long now = System.currentTimeMillis();
    long next = loop.nextInstant(Math.max(after, now));
    timers.startSingleTimer(TICK, new Tick(next), Duration.ofMillis(next - now));
  }

  private static Behavior<Command> passivate(
      ActorRef<ClusterSharding.ShardCommand> shard, ActorContext<Command> context) {
    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    return Behaviors.same();
  }
}
