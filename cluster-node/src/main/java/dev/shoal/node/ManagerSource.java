package dev.shoal.node;

import dev.shoal.manager.PipelineManager;
import dev.shoal.manager.folder.FolderPipelineSource;
import dev.shoal.manager.kube.FlowViews;
import dev.shoal.manager.kube.KubernetesPipelineSource;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import dev.shoal.sharding.PipelineSharding;
import dev.shoal.sharding.ScrapeTargets;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The source the pipeline manager singleton runs, made from {@link PipelineSourceChoice}: the
 * Kubernetes source (with its client, closed when the node stops, and the pipelines' sharded flow
 * views for their health), the folder source, or the built-in debug pipelines. Whatever it
 * publishes also sets the desired Prometheus scrape targets ({@link StaticScrapeTargets}).
 */
final class ManagerSource {
  /** How long the manager waits for a pipeline's cluster-wide flow view. */
  private static final Duration FLOW_VIEW_TIMEOUT = Duration.ofSeconds(3);

  private ManagerSource() {}

  static PipelineManager.Source of(
      ActorContext<?> context,
      NodeSettings settings,
      PipelineSourceChoice choice,
      ScrapeTargets scrapeTargets) {
    String name = choice.describe();
    switch (choice.source()) {
      case IN_CLUSTER, KUBECONFIG -> {
        KubernetesClient client = choice.client();
        CoordinatedShutdown.get(context.getSystem())
            .addTask(
                CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "close-kubernetes-client",
                () -> {
                  client.close();
                  return CompletableFuture.completedFuture(Done.getInstance());
                });
        FlowViews views =
            FlowViews.sharded(
                context.getSystem(), PipelineSharding.init(context.getSystem()), FLOW_VIEW_TIMEOUT);
        return source(
            name,
            scrapeTargets,
            publishTo ->
                KubernetesPipelineSource.create(
                    client, settings.pipelineDefaults(), views, publishTo));
      }
      case FOLDER -> {
        Path dir = choice.folder().orElseThrow();
        return source(
            name,
            scrapeTargets,
            publishTo -> FolderPipelineSource.create(dir, settings.pipelineDefaults(), publishTo));
      }
      default -> {}
    }
    return source(
        name,
        scrapeTargets,
        publishTo ->
            Behaviors.setup(
                embedded -> {
                  publishTo.tell(
                      new PipelineSupervisor.ApplyPipelines(
                          DefaultPipelines.create(settings.pipelineDefaults(), settings.debugDir()),
                          embedded.getSystem().ignoreRef()));
                  return Behaviors.empty();
                }));
  }

  /**
   * A source whose every published set also decides the desired scrape targets: {@link
   * StaticScrapeTargets} stands between the source and the publication.
   */
  private static PipelineManager.Source source(
      String name,
      ScrapeTargets scrapeTargets,
      Function<ActorRef<PipelineSupervisor.Command>, Behavior<?>> behavior) {
    return new PipelineManager.Source() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Behavior<?> behavior(ActorRef<PipelineSupervisor.Command> publishTo) {
        return Behaviors.<Object>setup(
            context -> {
              ActorRef<PipelineSupervisor.Command> withTargets =
                  context.spawn(
                      StaticScrapeTargets.create(publishTo, scrapeTargets),
                      "static-scrape-targets");
              @SuppressWarnings("unchecked")
              Behavior<Object> source = (Behavior<Object>) behavior.apply(withTargets);
              return source;
            });
      }
    };
  }
}
