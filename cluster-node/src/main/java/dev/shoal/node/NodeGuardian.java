package dev.shoal.node;

import dev.shoal.manager.PipelineManager;
import dev.shoal.manager.distribution.PipelineConfigurationSubscriber;
import dev.shoal.node.ops.NodeState;
import dev.shoal.pipeline.prometheus.ScrapeDelivery;
import dev.shoal.pipeline.receiver.OtlpReceivers;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import dev.shoal.sharding.PipelineSharding;
import dev.shoal.sharding.ScrapeTargets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's root actor: it starts the management port, makes the node a cluster member, starts the
 * pipelines, binds the receivers, and registers the shutdown sequence, in that order. The node is
 * started when {@code started} completes; a failure on the way (a port in use, say) fails it
 * instead.
 *
 * <p>The management port comes first because Cluster Bootstrap works through it (members probe each
 * other's {@code /bootstrap/seed-nodes}), and so that {@code /alive} answers and {@code /ready}
 * says why not while the node is still joining.
 *
 * <p>When a Kubernetes API is in reach, the member's metadata cache starts with the guardian
 * ({@link NodeEnrichment}), and the receivers are bound only once it synced or its sync timeout
 * passed.
 *
 * <p>Every member reports its pipelines' counters to their sharded {@code PipelineEntity}s ({@link
 * PipelineStatsReporter}); sharding is started with the guardian. So is the sharding of the
 * Prometheus scrape targets: the targets this member comes to own feed its own pipelines; with a
 * pipelines folder, the folder's static targets are the desired set ({@link StaticScrapeTargets}).
 *
 * <p>Shutdown, through {@link CoordinatedShutdown}: the receivers stop accepting ({@code
 * service-unbind}), requests in flight finish ({@code service-requests-done}), the pipelines drain
 * to their outputs ({@code service-stop}), the stats reporter stops, then sharding hands off its
 * shards and the member leaves the cluster.
 */
final class NodeGuardian {
  private static final Logger log = LoggerFactory.getLogger(NodeGuardian.class);

  interface Command {}

  private record ManagementStarted(Uri management) implements Command {}

  private record MemberUp() implements Command {}

  private record PipelinesRunning() implements Command {}

  private record ReceiversBound(OtlpReceivers.Bindings bindings) implements Command {}

  private record StartFailed(Throwable cause) implements Command {}

  private NodeGuardian() {}

  static Behavior<Command> create(
      NodeSettings settings, CompletableFuture<StartedNode> startedNode) {
    return Behaviors.setup(
        context ->
            Behaviors.withStash(
                8,
                stash -> {
                  NodeEnrichment enrichment =
                      NodeEnrichment.start(context, settings.enrichment(), settings.kubeconfig());
                  CoordinatedShutdown.get(context.getSystem())
                      .addTask(
                          CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                          "stop-kubernetes-metadata",
                          () -> {
                            enrichment.close();
                            return CompletableFuture.completedFuture(Done.getInstance());
                          });
                  SignalRouter router = new SignalRouter(enrichment.enrichment());
                  ActorRef<PipelineSupervisor.Command> supervisor =
                      context.spawn(PipelineSupervisor.create(router), "pipelines");
                  // Every member runs what the manager (a singleton) publishes; it subscribes now
                  // and hears of the configuration once the member is Up.
                  context.spawn(
                      PipelineConfigurationSubscriber.create(
                          supervisor, settings.debugDir(), java.time.Clock.systemUTC()),
                      "pipeline-configuration");
                  Cluster cluster = Cluster.get(context.getSystem());
                  // The scrape targets this member comes to own feed its own pipelines.
                  ScrapeTargets scrapeTargets =
                      ScrapeTargets.init(context.getSystem(), ScrapeDelivery.to(router));
                  // Sharding may start before the member is Up: it buffers what is sent until
                  // then, and the router has no pipelines to report before they run.
                  ActorRef<PipelineStatsReporter.Command> reporter =
                      context.spawn(
                          PipelineStatsReporter.create(
                              router,
                              PipelineSharding.init(context.getSystem()),
                              cluster.selfMember().address().toString()),
                          "pipeline-stats");
                  ActorRef<SelfUp> upAdapter =
                      context.messageAdapter(SelfUp.class, up -> new MemberUp());
                  cluster.subscriptions().tell(Subscribe.create(upAdapter, SelfUp.class));
                  context.pipeToSelf(
                      startManagement(context, settings),
                      (uri, failure) ->
                          failure == null ? new ManagementStarted(uri) : new StartFailed(failure));
                  return Behaviors.receive(Command.class)
                      .onMessage(
                          ManagementStarted.class,
                          started -> {
                            join(context, settings.join());
                            return stash.unstashAll(
                                awaitingMember(
                                    context,
                                    settings,
                                    enrichment,
                                    router,
                                    supervisor,
                                    scrapeTargets,
                                    reporter,
                                    started.management(),
                                    startedNode));
                          })
                      .onMessage(
                          StartFailed.class,
                          failed -> {
                            startedNode.completeExceptionally(unwrap(failed.cause()));
                            return Behaviors.empty();
                          })
                      .onAnyMessage(
                          // With seed nodes Pekko joins on its own, so the member may be Up
                          // before the management port is.
                          other -> {
                            stash.stash(other);
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private static CompletionStage<Uri> startManagement(
      ActorContext<Command> context, NodeSettings settings) {
    PekkoManagement management = PekkoManagement.get(context.getSystem());
    CoordinatedShutdown.get(context.getSystem())
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "stop-management",
            management::stop);
    return management
        .start()
        .exceptionally(
            failure -> {
              throw new OtlpReceivers.BindFailedException(
                  "Pekko Management (/ready, /metrics)",
                  settings.managementAddress(),
                  settings.managementPort(),
                  "pekko.management.http.port",
                  failure);
            });
  }

  /** Starts joining the cluster the configured way, and says which way in the log. */
  private static void join(ActorContext<Command> context, JoinSettings join) {
    Cluster cluster = Cluster.get(context.getSystem());
    Address self = cluster.selfMember().address();
    context.getLog().info(join.describe(self.toString()));
    switch (join.way()) {
      case SELF -> cluster.manager().tell(Join.create(self));
      // pekko.cluster.seed-nodes is set: the cluster extension joins them by itself.
      case SEED_NODES -> {}
      case BOOTSTRAP -> {
        ClusterBootstrap.get(context.getSystem()).start();
        // The probes' HTTP connection pools outlive the bootstrap; closed before the actor system
        // terminates, they do not log an error for being cut off.
        CoordinatedShutdown.get(context.getSystem())
            .addTask(
                CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "stop-bootstrap-connections",
                () ->
                    Http.get(context.getSystem())
                        .shutdownAllConnectionPools()
                        .thenApply(done -> Done.getInstance()));
      }
    }
  }

  private static Behavior<Command> awaitingMember(
      ActorContext<Command> context,
      NodeSettings settings,
      NodeEnrichment enrichment,
      SignalRouter router,
      ActorRef<PipelineSupervisor.Command> supervisor,
      ScrapeTargets scrapeTargets,
      ActorRef<PipelineStatsReporter.Command> reporter,
      Uri management,
      CompletableFuture<StartedNode> startedNode) {
    return Behaviors.receive(Command.class)
        .onMessage(
            MemberUp.class,
            up -> {
              try {
                startPipelines(context, settings, scrapeTargets);
              } catch (RuntimeException e) { // e.g. an unreadable kubeconfig
                startedNode.completeExceptionally(e);
                return Behaviors.empty();
              }
              context.pipeToSelf(
                  AskPattern.<PipelineSupervisor.Command, PipelineSupervisor.Applied>ask(
                      supervisor,
                      PipelineSupervisor.AwaitApplied::new,
                      settings.startupTimeout(),
                      context.getSystem().scheduler()),
                  (applied, failure) -> {
                    if (failure != null) return new StartFailed(failure);
                    NodeState.get(context.getSystem()).pipelinesRunning();
                    return new PipelinesRunning();
                  });
              return Behaviors.same();
            })
        .onMessage(
            PipelinesRunning.class,
            running -> {
              // Data is accepted once the metadata cache synced (or its sync timeout passed), so
              // the first requests are enriched like all later ones.
              context.pipeToSelf(
                  enrichment
                      .ready()
                      .thenCompose(
                          synced ->
                              OtlpReceivers.bind(
                                  settings.receivers(), router, context.getSystem())),
                  (bindings, failure) ->
                      failure == null ? new ReceiversBound(bindings) : new StartFailed(failure));
              return Behaviors.same();
            })
        .onMessage(
            ReceiversBound.class,
            bound -> {
              NodeState.get(context.getSystem()).receiversBound();
              registerShutdown(context, settings, supervisor, reporter, bound.bindings());
              startedNode.complete(new StartedNode(bound.bindings(), management));
              return Behaviors.empty();
            })
        .onMessage(
            StartFailed.class,
            failed -> {
              startedNode.completeExceptionally(unwrap(failed.cause()));
              return Behaviors.empty();
            })
        .build();
  }

  /**
   * Starts the pipeline manager singleton (on the oldest member; every member takes part) with the
   * source {@link PipelineSourceChoice} picks: the Kubernetes API, a folder, or the built-in debug
   * pipelines. Says which in the log.
   */
  private static void startPipelines(
      ActorContext<Command> context, NodeSettings settings, ScrapeTargets scrapeTargets) {
    PipelineSourceChoice choice =
        PipelineSourceChoice.of(settings.kubeconfig(), settings.pipelinesDir());
    PipelineManager.Source source = ManagerSource.of(context, settings, choice, scrapeTargets);
    context.getLog().info("member is Up; the pipeline manager reads {}", choice.describe());
    PipelineManager.initSingleton(
        context.getSystem(),
        source,
        context.getSystem().settings().config().getDuration("shoal.manager.publish-timeout"));
  }

  private static void registerShutdown(
      ActorContext<Command> context,
      NodeSettings settings,
      ActorRef<PipelineSupervisor.Command> supervisor,
      ActorRef<PipelineStatsReporter.Command> reporter,
      OtlpReceivers.Bindings bindings) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(context.getSystem());
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "not-ready",
        () -> {
          NodeState.get(context.getSystem()).draining();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceUnbind(),
        "stop-accepting-otlp",
        () -> {
          log.info("shutting down: the receivers stop accepting");
          return bindings.unbind();
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "finish-otlp-requests",
        () ->
            bindings.terminate(settings.requestsDoneTimeout()).thenApply(t -> Done.getInstance()));
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceStop(),
        "drain-pipelines",
        () ->
            AskPattern.<PipelineSupervisor.Command, PipelineSupervisor.Drained>ask(
                    supervisor,
                    PipelineSupervisor.Drain::new,
                    settings.drainTimeout(),
                    context.getSystem().scheduler())
                .thenApply(
                    drained -> {
                      log.info("shutting down: every pipeline exported what it held");
                      return Done.getInstance();
                    }));
    // After the drain, so the entities saw most of it; before sharding hands its shards off and
    // the member leaves, so no report is sent into a closing region.
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeClusterShutdown(),
        "stop-pipeline-stats",
        () -> {
          reporter.tell(PipelineStatsReporter.Stop.INSTANCE);
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  /** What a started node offers to its caller. */
  record StartedNode(OtlpReceivers.Bindings bindings, Uri management) {}

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
