package dev.shoal.node.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Readiness check of Pekko Management ({@code /ready}): the node's pipelines run, its receivers are
 * bound, and it is not draining. Cluster membership (Up) is checked by Pekko Management's own
 * cluster check beside this one.
 */
public final class NodeReadiness implements Supplier<CompletionStage<Boolean>> {
  private final NodeState state;

  public NodeReadiness(ActorSystem system) {
    this.state = NodeState.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    String reason = state.notReadyBecause();
    return reason == null
        ? CompletableFuture.completedFuture(true)
        : CompletableFuture.failedFuture(new IllegalStateException(reason));
  }
}
