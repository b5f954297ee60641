package dev.shoal.pipeline.enrich;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The fabric8 informers that feed a {@link MetadataCache}: pods, ReplicaSets (for their Deployment)
 * and Jobs (for their CronJob), in every namespace. StatefulSets and DaemonSets need no informer: a
 * pod's owner reference names them.
 *
 * <p>The callbacks turn each object into the little the cache keeps and tell the cache actor; they
 * touch no state of theirs. The informers' own stores keep only each object's key, UID and resource
 * version ({@link ReducedStateItemStore}), not the whole object, so the cache's memory is what it
 * keeps itself. The informers reconnect by themselves when a watch ends, and keep trying when
 * listing fails ({@link InformerFailureLog}).
 */
public final class MetadataInformers implements AutoCloseable {
  private final List<SharedIndexInformer<?>> informers;
  private final CompletableFuture<Void> synced;

  private MetadataInformers(List<SharedIndexInformer<?>> informers) {
    this.informers = informers;
    this.synced =
        CompletableFuture.allOf(
            informers.stream()
                .map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new));
  }

  /** Starts the informers; {@link #synced} completes once each has listed everything once. */
  public static MetadataInformers start(
      KubernetesClient client, EnrichmentSettings settings, ActorRef<MetadataCache.Command> cache) {
    SharedIndexInformer<Pod> pods =
        reduced(client, Pod.class, client.pods().inAnyNamespace().runnableInformer(0));
    pods.addEventHandler(
        handler(
            pod -> {
              PodMetadata metadata = PodMetadata.from(pod, settings);
              return metadata == null ? null : new MetadataCache.PodUpserted(metadata);
            },
            pod -> new MetadataCache.PodDeleted(pod.getMetadata().getUid()),
            cache));
    SharedIndexInformer<ReplicaSet> replicaSets =
        reduced(
            client,
            ReplicaSet.class,
            client.apps().replicaSets().inAnyNamespace().runnableInformer(0));
    replicaSets.addEventHandler(
        handler(
            rs -> ownedBy(rs, "Deployment", MetadataCache.ReplicaSetOwned::new),
            rs -> ownedBy(rs, null, MetadataCache.ReplicaSetOwned::new),
            cache));
    SharedIndexInformer<Job> jobs =
        reduced(client, Job.class, client.batch().v1().jobs().inAnyNamespace().runnableInformer(0));
    jobs.addEventHandler(
        handler(
            job -> ownedBy(job, "CronJob", MetadataCache.JobOwned::new),
            job -> ownedBy(job, null, MetadataCache.JobOwned::new),
            cache));
    return new MetadataInformers(List.of(pods, replicaSets, jobs));
  }

  /** Completes when every informer has listed its objects once; fails when one cannot start. */
  public CompletionStage<Void> synced() {
    return synced;
  }

  /** Stops watching. */
  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
  }

  private static <T extends HasMetadata> SharedIndexInformer<T> reduced(
      KubernetesClient client, Class<T> type, SharedIndexInformer<T> informer) {
    informer.exceptionHandler(new InformerFailureLog(type.getSimpleName() + "s"));
    return informer.itemStore(
        new ReducedStateItemStore<>(
            ReducedStateItemStore.NAME_KEY_STATE,
            type,
            client.getKubernetesSerialization(),
            "metadata.uid"));
  }

  private interface OwnerMessage {
    MetadataCache.Command of(String namespace, String name, String owner);
  }

  /**
   * The message saying which object of {@code ownerKind} controls this one; with a null kind (the
   * object was deleted) or no such owner, the message says it has none.
   */
  private static MetadataCache.Command ownedBy(
      HasMetadata object, String ownerKind, OwnerMessage message) {
    var meta = object.getMetadata();
    String owner = null;
    if (ownerKind != null && meta.getOwnerReferences() != null) {
      for (OwnerReference o : meta.getOwnerReferences()) {
        if (ownerKind.equals(o.getKind())
            && (Boolean.TRUE.equals(o.getController()) || meta.getOwnerReferences().size() == 1)) {
          owner = o.getName();
        }
      }
    }
    return message.of(meta.getNamespace(), meta.getName(), owner);
  }

  private static <T> ResourceEventHandler<T> handler(
      Function<T, MetadataCache.Command> upserted,
      Function<T, MetadataCache.Command> deleted,
      ActorRef<MetadataCache.Command> cache) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        tell(upserted.apply(object));
      }

      @Override
      public void onUpdate(T oldObject, T newObject) {
        tell(upserted.apply(newObject));
      }

      @Override
      public void onDelete(T object, boolean deletedFinalStateUnknown) {
        tell(deleted.apply(object));
      }

      private void tell(MetadataCache.Command command) {
        if (command != null) cache.tell(command);
      }
    };
  }
}
