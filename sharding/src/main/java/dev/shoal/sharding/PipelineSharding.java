package dev.shoal.sharding;

import dev.shoal.sharding.PipelineEntity.PipelineView;
import dev.shoal.sharding.PipelineEntity.ReportStats;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The members' way to the {@link PipelineEntity}s: starts their sharding on this member and
 * addresses an entity by pipeline name. Sharding buffers what is sent before the member is Up.
 */
public final class PipelineSharding {
  private final ClusterSharding sharding;
  private final PipelineEntitySettings settings;

  private PipelineSharding(ClusterSharding sharding, PipelineEntitySettings settings) {
    this.sharding = sharding;
    this.settings = settings;
  }

  /**
   * Starts sharding of {@link PipelineEntity} on this member (idempotent), with the settings of
   * {@code shoal.sharding.pipeline-entity}.
   */
  public static PipelineSharding init(ActorSystem<?> system) {
    PipelineEntitySettings settings = PipelineEntitySettings.fromConfig(system.settings().config());
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(PipelineEntity.entity(settings));
    return new PipelineSharding(sharding, settings);
  }

  public PipelineEntitySettings settings() {
    return settings;
  }

  /** Sends a member's report to its pipeline's entity. */
  public void report(ReportStats report) {
    sharding.entityRefFor(PipelineEntity.ENTITY_KEY, report.pipeline()).tell(report);
  }

  /** Asks a pipeline's entity for its cluster-wide view. */
  public CompletionStage<PipelineView> view(String pipeline, Duration timeout) {
    return sharding
        .entityRefFor(PipelineEntity.ENTITY_KEY, pipeline)
        .ask(PipelineEntity.GetView::new, timeout);
  }
}
