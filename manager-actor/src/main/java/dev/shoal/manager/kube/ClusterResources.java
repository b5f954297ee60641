package dev.shoal.manager.kube;

import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.PipelineStatus;
import dev.shoal.manager.reconcile.ReferencedSecrets.SecretName;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric8 informers of the Kubernetes source: one per pipeline kind (cluster-wide; the kinds
 * are cluster-scoped) and one per referenced Secret, by namespace and name, so that no other Secret
 * is ever read. Their caches are the source's view of the cluster.
 *
 * <p>Informer threads only call {@code changed} (which tells the source actor); the caches are read
 * by the actor. An informer whose list or watch fails retries by itself with fabric8's exponential
 * backoff and keeps its cache meanwhile, so an API-server outage keeps the last known resources.
 * Not thread-safe apart from that: owned by the source actor.
 */
final class ClusterResources implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterResources.class);

  private final KubernetesClient client;
  private final Runnable changed;
  private final BiConsumer<String, Throwable> problem;
  private final Map<PipelineKind, SharedIndexInformer<HasMetadata>> pipelines =
      new EnumMap<>(PipelineKind.class);
  private final Map<SecretName, SecretWatch> secrets = new HashMap<>();

  private record SecretWatch(SharedIndexInformer<Secret> informer, Instant started) {}

  /**
   * @param changed called (on an informer thread) when a watched object was added, deleted or
   *     changed, and when an informer finished its first list
   * @param problem called (on an informer thread) with what failed, before fabric8 retries
   */
  ClusterResources(
      KubernetesClient client, Runnable changed, BiConsumer<String, Throwable> problem) {
    this.client = client;
    this.changed = changed;
    this.problem = problem;
  }

  /** Starts the informers of the three kinds; does not wait for their first list. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void start() {
    for (PipelineKind kind : PipelineKind.values()) {
      Class<? extends HasMetadata> type = (Class) kind.newResource().getClass();
      SharedIndexInformer<HasMetadata> informer =
          (SharedIndexInformer) client.resources(type).runnableInformer(0);
      informer.addEventHandler(new PipelineEvents());
      informer.exceptionHandler(retrying(kind.kind() + " resources"));
      pipelines.put(kind, informer);
      informer.start().whenComplete((done, failure) -> changed.run());
    }
  }

  /** Whether every pipeline informer has listed its kind at least once. */
  boolean pipelinesSynced() {
    return pipelines.size() == PipelineKind.values().length
        && pipelines.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** The pipeline resources as last listed or watched. */
  List<PipelineResource> pipelines() {
    List<PipelineResource> all = new ArrayList<>();
    for (SharedIndexInformer<HasMetadata> informer : pipelines.values()) {
      for (HasMetadata item : informer.getStore().list()) {
        if (item instanceof PipelineResource p) all.add(p);
      }
    }
    return all;
  }

  /**
   * Watches exactly these Secrets from now on: starts an informer for each new one (by name, in its
   * namespace) and stops those no longer referenced.
   */
  void watchSecrets(Set<SecretName> wanted, Instant now) {
    Iterator<Map.Entry<SecretName, SecretWatch>> it = secrets.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<SecretName, SecretWatch> entry = it.next();
      if (!wanted.contains(entry.getKey())) {
        log.debug("no pipeline references Secret {} any more; stopping its watch", entry.getKey());
        entry.getValue().informer().stop();
        it.remove();
      }
    }
    for (SecretName name : wanted) {
      if (secrets.containsKey(name)) continue;
      SharedIndexInformer<Secret> informer =
          client.secrets().inNamespace(name.namespace()).withName(name.name()).runnableInformer(0);
      informer.addEventHandler(new SecretEvents());
      informer.exceptionHandler(retrying("Secret " + name));
      secrets.put(name, new SecretWatch(informer, now));
      informer.start().whenComplete((done, failure) -> changed.run());
    }
  }

  /**
   * Secrets whose first read has not finished within {@code timeout}, or empty when every watched
   * Secret has been read once; null while some are still within the timeout.
   */
  List<SecretName> secretsNotRead(Instant now, java.time.Duration timeout) {
    List<SecretName> late = new ArrayList<>();
    boolean waiting = false;
    for (Map.Entry<SecretName, SecretWatch> entry : secrets.entrySet()) {
      if (entry.getValue().informer().hasSynced()) continue;
      if (entry.getValue().started().plus(timeout).isAfter(now)) waiting = true;
      else late.add(entry.getKey());
    }
    return waiting ? null : late;
  }

  /** The watched Secrets that exist, as last read. */
  List<Secret> secrets() {
    List<Secret> all = new ArrayList<>();
    for (SecretWatch watch : secrets.values()) all.addAll(watch.informer().getStore().list());
    return all;
  }

  @Override
  public void close() {
    pipelines.values().forEach(SharedIndexInformer::stop);
    secrets.values().forEach(w -> w.informer().stop());
    pipelines.clear();
    secrets.clear();
  }

  /** The status a pipeline resource has now, or null. */
  static PipelineStatus statusOf(PipelineResource resource) {
    return resource instanceof CustomResource<?, ?> cr && cr.getStatus() instanceof PipelineStatus s
        ? s
        : null;
  }

  private io.fabric8.kubernetes.client.informers.ExceptionHandler retrying(String what) {
    return (started, failure) -> {
      problem.accept(what, failure);
      return true;
    };
  }

  /**
   * Relists and resyncs deliver updates without a change (same resourceVersion): ignored. So are
   * writes of the status alone (the source's own), which do not change what runs.
   */
  private final class PipelineEvents implements ResourceEventHandler<HasMetadata> {
    @Override
    public void onAdd(HasMetadata item) {
      changed.run();
    }

    @Override
    public void onUpdate(HasMetadata before, HasMetadata after) {
      if (sameVersion(before, after)) return;
      if (before instanceof PipelineResource b
          && after instanceof PipelineResource a
          && b.generation() == a.generation()
          && !Objects.equals(statusOf(b), statusOf(a))) {
        return;
      }
      changed.run();
    }

    @Override
    public void onDelete(HasMetadata item, boolean deletedFinalStateUnknown) {
      changed.run();
    }
  }

  private final class SecretEvents implements ResourceEventHandler<Secret> {
    @Override
    public void onAdd(Secret item) {
      changed.run();
    }

    @Override
    public void onUpdate(Secret before, Secret after) {
      if (!sameVersion(before, after)) changed.run();
    }

    @Override
    public void onDelete(Secret item, boolean deletedFinalStateUnknown) {
      changed.run();
    }
  }

  private static boolean sameVersion(HasMetadata a, HasMetadata b) {
    String x = a.getMetadata() == null ? null : a.getMetadata().getResourceVersion();
    String y = b.getMetadata() == null ? null : b.getMetadata().getResourceVersion();
    return x != null && x.equals(y);
  }
}
