package dev.shoal.node.ops;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * What the node has reached on its way up and down, for the readiness check: set by the node's
 * guardian and its shutdown tasks, read by {@link NodeReadiness}.
 */
public final class NodeState implements Extension {
  private static final ExtensionId<NodeState> ID =
      new ExtensionId<>() {
        @Override
        public NodeState createExtension(ActorSystem<?> system) {
          return new NodeState();
        }
      };

  private volatile boolean pipelinesRunning;
  private volatile boolean receiversBound;
  private volatile boolean draining;

  public static NodeState get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public void pipelinesRunning() {
    pipelinesRunning = true;
  }

  public void receiversBound() {
    receiversBound = true;
  }

  /** The node stops taking data: it is no longer ready, for good. */
  public void draining() {
    draining = true;
  }

  /** Why the node is not ready, or null when it is. */
  public String notReadyBecause() {
    if (draining) return "the node is draining for shutdown";
    if (!pipelinesRunning) return "the pipelines are not running yet";
    if (!receiversBound) return "the OTLP receivers are not bound yet";
    return null;
  }
}
