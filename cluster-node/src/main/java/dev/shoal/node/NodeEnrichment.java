package dev.shoal.node;

import dev.shoal.pipeline.enrich.Enrichment;
import dev.shoal.pipeline.enrich.EnrichmentSettings;
import dev.shoal.pipeline.enrich.KubernetesMetadata;
import dev.shoal.pipeline.enrich.MetadataCache;
import dev.shoal.pipeline.enrich.MetadataInformers;
import dev.shoal.pipeline.enrich.PodEnrichment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Kubernetes metadata enrichment: when a Kubernetes API is in reach, the metadata cache
 * actor, the informers that feed it and the {@link Enrichment} the router applies; otherwise
 * nothing, said once in the log. {@link #ready} completes when the cache has listed everything
 * once, or when the sync timeout has passed (then the cache keeps filling in the background): a
 * slow or unreachable API never holds ingestion back for longer than that.
 */
final class NodeEnrichment implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeEnrichment.class);

  private final Enrichment enrichment;
  private final CompletionStage<Void> ready;
  private final KubernetesClient client;
  private final MetadataInformers informers;

  private NodeEnrichment(
      Enrichment enrichment,
      CompletionStage<Void> ready,
      KubernetesClient client,
      MetadataInformers informers) {
    this.enrichment = enrichment;
    this.ready = ready;
    this.client = client;
    this.informers = informers;
  }

  static NodeEnrichment start(
      ActorContext<?> context, EnrichmentSettings settings, Optional<Path> kubeconfig) {
    KubernetesClient client;
    try {
      client = kubernetesClient(kubeconfig);
    } catch (RuntimeException e) {
      log.error(
          "cannot build a Kubernetes client ({}); resources are not enriched with Kubernetes"
              + " metadata. Check KUBECONFIG or the pod's service account",
          e.getMessage());
      return off();
    }
    if (client == null) {
      log.info(
          "no Kubernetes API in reach (no --kubeconfig, no pod, no KUBECONFIG):"
              + " resources are not enriched with Kubernetes metadata");
      return off();
    }
    KubernetesMetadata metadata = new KubernetesMetadata();
    ActorRef<MetadataCache.Command> cache =
        context.spawn(MetadataCache.create(settings, metadata), "kubernetes-metadata");
    MetadataInformers informers = MetadataInformers.start(client, settings, cache);
    log.info(
        "enriching resources with Kubernetes metadata from {}; waiting up to {} for the first"
            + " listing of pods, ReplicaSets and Jobs",
        client.getMasterUrl(),
        settings.syncTimeout());
    CompletableFuture<Void> ready = new CompletableFuture<>();
    informers
        .synced()
        .toCompletableFuture()
        .orTimeout(settings.syncTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                log.info(
                    "Kubernetes metadata cache synced ({} pods known)", metadata.current().pods());
              } else if (failure instanceof java.util.concurrent.TimeoutException) {
                log.warn(
                    "Kubernetes metadata cache not synced within {} ({}); accepting data anyway,"
                        + " enriched as the cache fills",
                    settings.syncTimeout(),
                    EnrichmentSettings.CONFIG_PATH + ".sync-timeout");
              } else {
                log.error(
                    "Kubernetes metadata cache cannot list its objects ({}); data is enriched only"
                        + " with what it has. The node needs get, list and watch on pods,"
                        + " replicasets (apps) and jobs (batch) in all namespaces:"
                        + " deploy/rbac.yaml",
                    failure.getMessage());
              }
              ready.complete(null);
            });
    return new NodeEnrichment(new PodEnrichment(metadata, settings), ready, client, informers);
  }

  private static NodeEnrichment off() {
    return new NodeEnrichment(Enrichment.NONE, CompletableFuture.completedFuture(null), null, null);
  }

  /**
   * The node's Kubernetes client, or null when no Kubernetes API is in reach; the same API the
   * pipeline source would read ({@link PipelineSourceChoice}: {@code --kubeconfig}, a pod's service
   * account, {@code KUBECONFIG}), whether or not the pipelines come from a folder.
   */
  static KubernetesClient kubernetesClient(Optional<Path> kubeconfig) {
    PipelineSourceChoice api = PipelineSourceChoice.of(kubeconfig, Optional.empty());
    return api.usesKubernetes() ? api.client() : null;
  }

  /** What the router applies to each request. */
  Enrichment enrichment() {
    return enrichment;
  }

  /** Completes when the cache has synced, or its sync timeout passed; never fails. */
  CompletionStage<Void> ready() {
    return ready;
  }

  @Override
  public void close() {
    if (informers != null) informers.close();
    if (client != null) client.close();
  }
}
