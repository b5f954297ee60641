package dev.shoal.pipeline.enrich;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The member's Kubernetes metadata cache: it applies what the informers saw ({@link
 * MetadataInformers} tells it each change) to its {@link PodTable}, and publishes an immutable
 * {@link MetadataSnapshot} for enrichment to read. Changes are gathered for up to the publish
 * interval into one snapshot, so a burst of pod events costs one copy, not one per event.
 *
 * <p>State: the table, only in this actor; the published snapshot in the {@link KubernetesMetadata}
 * given at creation. Node-local: nothing of it crosses the cluster. On a restart the table starts
 * empty and the informers' next relist fills it again.
 */
public final class MetadataCache {
  public interface Command {}

  /** A pod was added or changed. */
  public record PodUpserted(PodMetadata pod) implements Command {}

  /** A pod was deleted. */
  public record PodDeleted(String uid) implements Command {}

  /** A ReplicaSet's Deployment (null: owned by none, or the ReplicaSet was deleted). */
  public record ReplicaSetOwned(String namespace, String name, String deployment)
      implements Command {}

  /** A Job's CronJob (null: owned by none, or the Job was deleted). */
  public record JobOwned(String namespace, String name, String cronJob) implements Command {}

  private enum Publish implements Command {
    INSTANCE
  }

  private enum Expire implements Command {
    INSTANCE
  }

  private MetadataCache() {}

  public static Behavior<Command> create(EnrichmentSettings settings, KubernetesMetadata target) {
    return Behaviors.withTimers(
        timers -> {
          timers.startTimerWithFixedDelay(
              Expire.INSTANCE, expireInterval(settings.deletedPodGrace()));
          return new MetadataCache()
              .running(
                  new PodTable(settings.deletedPodGrace()), settings, target.published(), timers);
        });
  }

  /** Often enough that a gone pod leaves within a quarter of its grace period after it ends. */
  static Duration expireInterval(Duration grace) {
    Duration quarter = grace.dividedBy(4);
    Duration min = Duration.ofMillis(100);
    Duration max = Duration.ofSeconds(5);
    return quarter.compareTo(min) < 0 ? min : quarter.compareTo(max) > 0 ? max : quarter;
  }

  private Behavior<Command> running(
      PodTable table,
      EnrichmentSettings settings,
      AtomicReference<MetadataSnapshot> published,
      TimerScheduler<Command> timers) {
    return Behaviors.receive(Command.class)
        .onMessage(
            PodUpserted.class,
            m -> {
              table.podUpserted(m.pod(), System.nanoTime());
              return schedule(table, settings, timers);
            })
        .onMessage(
            PodDeleted.class,
            m -> {
              table.podDeleted(m.uid(), System.nanoTime());
              return schedule(table, settings, timers);
            })
        .onMessage(
            ReplicaSetOwned.class,
            m -> {
              table.replicaSetOwner(m.namespace(), m.name(), m.deployment());
              return schedule(table, settings, timers);
            })
        .onMessage(
            JobOwned.class,
            m -> {
              table.jobOwner(m.namespace(), m.name(), m.cronJob());
              return schedule(table, settings, timers);
            })
        .onMessageEquals(
            Expire.INSTANCE,
            () -> {
              table.expire(System.nanoTime());
              return schedule(table, settings, timers);
            })
        .onMessageEquals(
            Publish.INSTANCE,
            () -> {
              if (table.changed()) published.set(table.snapshot());
              return Behaviors.same();
            })
        .build();
  }

  private static Behavior<Command> schedule(
      PodTable table, EnrichmentSettings settings, TimerScheduler<Command> timers) {
    if (table.changed() && !timers.isTimerActive(Publish.INSTANCE)) {
      timers.startSingleTimer(Publish.INSTANCE, settings.publishInterval());
    }
    return Behaviors.same();
  }
}
