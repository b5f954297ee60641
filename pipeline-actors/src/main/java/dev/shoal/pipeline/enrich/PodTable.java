package dev.shoal.pipeline.enrich;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The cache's working state: every pod it knows, with when it went away, and the owners of
 * ReplicaSets and Jobs. Only the {@link MetadataCache} actor touches it; enrichment reads the
 * immutable {@link #snapshot}s it makes.
 *
 * <p>A pod that is deleted, or finishes (phase Succeeded or Failed), stays in the snapshots for the
 * grace period, so that data it sent just before is still enriched; then it leaves them. Times are
 * in nanoseconds of one monotonic clock, given by the caller.
 */
final class PodTable {
  private final long graceNanos;
  private final Map<String, Entry> pods = new HashMap<>();
  private final Map<String, Map<String, String>> deploymentOfReplicaSet = new HashMap<>();
  private final Map<String, Map<String, String>> cronJobOfJob = new HashMap<>();
  private boolean changed;

  PodTable(java.time.Duration grace) {
    this.graceNanos = grace.toNanos();
  }

  private static final class Entry {
    PodMetadata pod;
    boolean deleted;

    /** When it was deleted or seen finished; -1 while it runs. */
    long goneSince = -1;

    /** Its grace period has passed: it is in no snapshot any more. */
    boolean expired;

    Entry(PodMetadata pod) {
      this.pod = pod;
    }
  }

  void podUpserted(PodMetadata pod, long now) {
    Entry e = pods.get(pod.uid());
    if (e == null) {
      e = new Entry(pod);
      pods.put(pod.uid(), e);
    } else {
      e.pod = pod;
    }
    if (pod.finished() && e.goneSince < 0) e.goneSince = now;
    if (!e.expired) changed = true;
  }

  void podDeleted(String uid, long now) {
    Entry e = pods.get(uid);
    if (e == null || e.deleted) return;
    e.deleted = true;
    if (e.expired) {
      pods.remove(uid);
      return;
    }
    if (e.goneSince < 0) e.goneSince = now;
    changed = true;
  }

  void replicaSetOwner(String namespace, String name, String deployment) {
    owner(deploymentOfReplicaSet, namespace, name, deployment);
  }

  void jobOwner(String namespace, String name, String cronJob) {
    owner(cronJobOfJob, namespace, name, cronJob);
  }

  private void owner(
      Map<String, Map<String, String>> owners, String namespace, String name, String owner) {
    Map<String, String> inNamespace = owners.get(namespace);
    if (owner == null) {
      if (inNamespace != null && inNamespace.remove(name) != null) {
        changed = true;
        if (inNamespace.isEmpty()) owners.remove(namespace);
      }
      return;
    }
    if (inNamespace == null) owners.put(namespace, inNamespace = new HashMap<>());
    if (!owner.equals(inNamespace.put(name, owner))) changed = true;
  }

  /** Ends the grace period of pods gone longer than it, forgetting the deleted ones. */
  void expire(long now) {
    for (Iterator<Entry> it = pods.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.goneSince < 0 || e.expired || now - e.goneSince < graceNanos) continue;
      changed = true;
      if (e.deleted) it.remove();
      else e.expired = true;
    }
  }

  /** Whether something changed since the last snapshot. */
  boolean changed() {
    return changed;
  }

  /** The pods and owners as they are now, for enrichment to read. */
  MetadataSnapshot snapshot() {
    changed = false;
    List<PodMetadata> visible = new ArrayList<>(pods.size());
    for (Entry e : pods.values()) {
      if (!e.expired) visible.add(e.pod);
    }
    return MetadataSnapshot.of(visible, copy(deploymentOfReplicaSet), copy(cronJobOfJob));
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> owners) {
    Map<String, Map<String, String>> copy = new HashMap<>(owners.size() * 4 / 3 + 1);
    owners.forEach((namespace, names) -> copy.put(namespace, Map.copyOf(names)));
    return copy;
  }

  /** Pods held, the gone ones still in their grace period included. */
  int size() {
    return pods.size();
  }
}
