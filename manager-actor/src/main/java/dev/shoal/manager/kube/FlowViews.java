package dev.shoal.manager.kube;

import dev.shoal.sharding.PipelineEntity.PipelineView;
import dev.shoal.sharding.PipelineSharding;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Where the manager gets what the health conditions are made of: each pipeline's cluster-wide view
 * and the members that are Up. An interface so that tests, and other wirings, can give their own.
 */
public interface FlowViews {

  /** The cluster-wide view of a pipeline (by its data-plane name, e.g. tracepipeline/x). */
  CompletionStage<PipelineView> view(String pipeline);

  /** The cluster addresses of the members that are Up, as members report them to the entities. */
  Set<String> upMembers();

  /** The {@link dev.shoal.sharding.PipelineEntity}s of this cluster, asked with a timeout. */
  static FlowViews sharded(ActorSystem<?> system, PipelineSharding sharding, Duration timeout) {
    Cluster cluster = Cluster.get(system);
    return new FlowViews() {
      @Override
      public CompletionStage<PipelineView> view(String pipeline) {
        return sharding.view(pipeline, timeout);
      }

      @Override
      public Set<String> upMembers() {
        Set<String> up = new TreeSet<>();
        cluster
            .state()
            .getMembers()
            .forEach(
                m -> {
                  if (m.status() == MemberStatus.up()) up.add(m.address().toString());
                });
        return up;
      }
    };
  }
}
