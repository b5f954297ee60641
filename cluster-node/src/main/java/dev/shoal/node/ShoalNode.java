package dev.shoal.node;

import com.typesafe.config.Config;
import dev.shoal.pipeline.receiver.OtlpReceivers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Shoal node: its actor system, its receivers, its data folder. */
public final class ShoalNode {
  private static final Logger log = LoggerFactory.getLogger(ShoalNode.class);

  private final ActorSystem<NodeGuardian.Command> system;
  private final NodeSettings settings;
  private final OtlpReceivers.Bindings bindings;
  private final org.apache.pekko.http.javadsl.model.Uri managementUri;

  private ShoalNode(
      ActorSystem<NodeGuardian.Command> system,
      NodeSettings settings,
      NodeGuardian.StartedNode started) {
    this.system = system;
    this.settings = settings;
    this.bindings = started.bindings();
    this.managementUri = started.management();
  }

  /**
   * The configuration of a node: {@code overrides} above application.conf and the modules'
   * reference.conf, below system properties; substitutions resolved after the overrides applied;
   * the seed nodes and discovery of {@code shoal.node.join} turned into Pekko's settings.
   *
   * @throws IllegalArgumentException when the way to join the cluster is wrong or ambiguous
   */
  public static Config loadConfig(Config overrides) {
    return JoinSettings.applyTo(
        com.typesafe.config.ConfigFactory.load(
            overrides.withFallback(com.typesafe.config.ConfigFactory.defaultApplication())));
  }

  /**
   * Starts a node and waits until it is a cluster member with its pipelines running and its
   * receivers bound. On failure nothing is left running.
   *
   * @throws NodeStartException naming what failed and how to fix it
   */
  public static ShoalNode start(Config config) {
    NodeSettings settings;
    try {
      settings = NodeSettings.fromConfig(config);
    } catch (RuntimeException e) {
      throw new NodeStartException("invalid configuration: " + e.getMessage(), e);
    }
    String outOfPlace = settings.join().whyNotHere(config);
    if (outOfPlace != null) throw new NodeStartException(outOfPlace, null);
    CompletableFuture<NodeGuardian.StartedNode> started = new CompletableFuture<>();
    ActorSystem<NodeGuardian.Command> system;
    try {
      system =
          ActorSystem.create(
              NodeGuardian.create(settings, started), JoinSettings.SYSTEM_NAME, config);
    } catch (RuntimeException e) {
      throw new NodeStartException(clusterStartProblem(config, e), e);
    }
    long timeoutMillis = config.getDuration("shoal.node.startup-timeout").toMillis();
    try {
      NodeGuardian.StartedNode node = started.get(timeoutMillis, TimeUnit.MILLISECONDS);
      ShoalNode running = new ShoalNode(system, settings, node);
      running.logEndpoints();
      return running;
    } catch (ExecutionException e) {
      terminate(system);
      throw new NodeStartException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      String why = notStartedBecause(system, settings.join());
      terminate(system);
      throw new NodeStartException(
          "the node did not start within "
              + timeoutMillis
              + " ms (shoal.node.startup-timeout)"
              + why,
          e);
    } catch (InterruptedException e) {
      terminate(system);
      Thread.currentThread().interrupt();
      throw new NodeStartException("interrupted while starting", e);
    }
  }

  /** What the node was still waiting for when its start timed out. */
  private static String notStartedBecause(ActorSystem<?> system, JoinSettings join) {
    MemberStatus status = Cluster.get(system).selfMember().status();
    if (status == MemberStatus.up()) return "";
    // Before it joined anything, a node sees itself as Removed.
    String notMember =
        ": it is not a cluster member yet"
            + (status == MemberStatus.removed() ? "" : " (status " + status + ")");
    return switch (join.way()) {
      case SEED_NODES ->
          notMember
              + "; none of the seed nodes "
              + join.seedNodes()
              + " let it join. Check that they run, that this node reaches their cluster port"
              + " and that they reach it back at its own (SHOAL_CLUSTER_HOST:SHOAL_CLUSTER_PORT)";
      case BOOTSTRAP ->
          notMember
              + "; Cluster Bootstrap needs "
              + join.requiredContactPoints()
              + " members found by "
              + join.discoveryMethod()
              + " discovery whose management ports answer, or one of them already in a cluster";
      case SELF -> notMember;
    };
  }

  private static String clusterStartProblem(Config config, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("bind") || message.contains("Address already in use")) {
      return String.format(
          "cannot listen for cluster traffic on %s:%d (%s). Free the port, or choose another with"
              + " pekko.remote.artery.canonical.port (env SHOAL_CLUSTER_PORT)",
          config.getString("pekko.remote.artery.canonical.hostname"),
          config.getInt("pekko.remote.artery.canonical.port"),
          message);
    }
    return "cannot start the actor system: " + message;
  }

  private static void terminate(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("the actor system did not terminate in time: {}", e.toString());
    }
  }

  private void logEndpoints() {
    log.info(
        "Shoal node ready: OTLP/gRPC on {}, OTLP/HTTP on {}, management (/ready, /metrics) on {},"
            + " debug output in {}",
        hostPort(bindings.grpcAddress()),
        hostPort(bindings.httpAddress()),
        managementUri,
        settings.debugDir());
  }

  private String hostPort(InetSocketAddress address) {
    return settings.receivers().bindAddress() + ":" + address.getPort();
  }

  public InetSocketAddress grpcAddress() {
    return bindings.grpcAddress();
  }

  public InetSocketAddress httpAddress() {
    return bindings.httpAddress();
  }

  public org.apache.pekko.http.javadsl.model.Uri managementUri() {
    return managementUri;
  }

  public Path dataDir() {
    return settings.dataDir();
  }

  public Path debugDir() {
    return settings.debugDir();
  }

  public ActorSystem<?> system() {
    return system;
  }

  /**
   * Runs the shutdown sequence (stop accepting, finish requests, drain the pipelines, leave) and
   * completes when the actor system has terminated.
   */
  public CompletableFuture<Done> stop(CoordinatedShutdown.Reason reason) {
    return CoordinatedShutdown.get(system).runAll(reason).toCompletableFuture();
  }

  /** The node could not start; the message says what to change. */
  public static final class NodeStartException extends RuntimeException {
    NodeStartException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
