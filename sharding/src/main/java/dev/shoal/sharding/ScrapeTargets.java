package dev.shoal.sharding;

import dev.shoal.pipeline.prometheus.ScrapeClients;
import dev.shoal.pipeline.prometheus.ScrapeDelivery;
import dev.shoal.pipeline.prometheus.ScrapeTarget;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.stream.PrometheusInput;
import dev.shoal.sharding.ScrapeTargetEntity.TargetStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The way to the {@link ScrapeTargetEntity}s: starts their sharding on this member, and takes the
 * desired set of targets from whoever decides it (the manager): {@link #apply} writes the set to
 * Distributed Data, where every entity finds its definition (also after it moved to another
 * member), tells each desired target's entity to scrape, and each removed one to stop.
 *
 * <p>The desired set is one replicated map from target id to {@link ScrapeTarget}; a target in it
 * is written again only when its definition changed.
 */
public final class ScrapeTargets {
  static final Key<LWWMap<String, ScrapeTarget>> KEY = LWWMapKey.create("shoal-scrape-targets");

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final SelfUniqueAddress self;

  private ScrapeTargets(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.self = DistributedData.get(system).selfUniqueAddress();
  }

  /**
   * Starts sharding of {@link ScrapeTargetEntity} on this member (idempotent): the entities this
   * member comes to own scrape with HTTP clients of their own and hand their series to {@code
   * delivery}.
   */
  public static ScrapeTargets init(ActorSystem<?> system, ScrapeDelivery delivery) {
    ScrapeTargetSettings settings = ScrapeTargetSettings.fromConfig(system.settings().config());
    Executor executor = system.dispatchers().lookup(DispatcherSelector.blocking());
    String member = Cluster.get(system).selfMember().address().hostPort();
    ScrapeClients clients =
        new ScrapeClients(executor, settings.connectTimeout(), "shoal (member " + member + ")");
    ClusterSharding.get(system)
        .init(ScrapeTargetEntity.entity(system, settings, clients, delivery));
    return new ScrapeTargets(system);
  }

  /**
   * What an {@link #apply} changed.
   *
   * @param desired targets in the desired set now
   * @param removed ids of the targets that left it
   */
  public record Applied(int desired, Set<String> removed) {}

  /**
   * Makes {@code desired} the set of targets the cluster scrapes: writes it to a majority of the
   * members, then configures every desired target's entity and stops the removed ones. Completes
   * when the set is written; fails when a majority did not confirm in {@code timeout} (the set is
   * then still spreading, and the next apply completes it).
   */
  public CompletionStage<Applied> apply(Collection<ScrapeTarget> desired, Duration timeout) {
    Map<String, ScrapeTarget> byId = new LinkedHashMap<>();
    for (ScrapeTarget t : desired) byId.put(t.id(), t);
    Set<String> removed = new TreeSet<>();
    CompletionStage<Replicator.UpdateResponse<LWWMap<String, ScrapeTarget>>> written =
        AskPattern.ask(
            DistributedData.get(system).replicator(),
            replyTo ->
                new Replicator.Update<>(
                    KEY,
                    LWWMap.create(),
                    new Replicator.WriteMajority(timeout),
                    replyTo,
                    current -> {
                      removed.clear();
                      LWWMap<String, ScrapeTarget> next = current;
                      for (String id : current.getEntries().keySet()) {
                        if (!byId.containsKey(id)) {
                          removed.add(id);
                          next = next.remove(self, id);
                        }
                      }
                      for (ScrapeTarget t : byId.values()) {
                        if (!t.equals(current.getEntries().get(t.id()))) {
                          next = next.put(self, t.id(), t);
                        }
                      }
                      return next;
                    }),
            timeout.plusSeconds(1),
            system.scheduler());
    return written.thenApply(
        response -> {
          for (ScrapeTarget t : byId.values()) {
            sharding
                .entityRefFor(ScrapeTargetEntity.ENTITY_KEY, t.id())
                .tell(new ScrapeTargetEntity.Configure(t));
          }
          for (String id : removed) {
            sharding
                .entityRefFor(ScrapeTargetEntity.ENTITY_KEY, id)
                .tell(ScrapeTargetEntity.Stop.INSTANCE);
          }
          if (!(response instanceof Replicator.UpdateSuccess)) {
            throw new IllegalStateException(
                "the desired scrape targets were not confirmed by a majority of members within "
                    + timeout
                    + " ("
                    + response.getClass().getSimpleName()
                    + "); they are still spreading, apply again");
          }
          return new Applied(byId.size(), Set.copyOf(removed));
        });
  }

  /** Asks a target's entity how its scrapes go (starting it, if it is not running). */
  public CompletionStage<TargetStatus> status(String id, Duration timeout) {
    return sharding
        .entityRefFor(ScrapeTargetEntity.ENTITY_KEY, id)
        .ask(ScrapeTargetEntity.GetStatus::new, timeout);
  }

  /**
   * The static targets the pipelines name ({@code input.prometheus.staticTargets}): one target per
   * URL, for every pipeline with the prometheus input that names it, scraped at the shortest of
   * their intervals.
   */
  public static List<ScrapeTarget> staticTargets(Collection<PipelineSettings> pipelines) {
    Map<String, Set<String>> wanting = new TreeMap<>();
    Map<String, Duration> interval = new TreeMap<>();
    for (PipelineSettings p : pipelines) {
      PrometheusInput prometheus = p.input().prometheus();
      if (!prometheus.enabled()) continue;
      for (String url : prometheus.staticTargets()) {
        wanting.computeIfAbsent(url, u -> new TreeSet<>()).add(p.name());
        interval.merge(url, prometheus.interval(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
    }
    List<ScrapeTarget> targets = new ArrayList<>();
    wanting.forEach(
        (url, names) -> targets.add(ScrapeTarget.staticTarget(url, names, interval.get(url))));
    return targets;
  }
}
