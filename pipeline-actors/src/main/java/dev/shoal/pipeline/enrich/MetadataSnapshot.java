package dev.shoal.pipeline.enrich;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * An immutable view of the cluster's pods and their owners at one moment: what enrichment reads,
 * without locks and without ever waiting for the API. The cache builds a new one when something
 * changed ({@link PodTable#snapshot}) and swaps it in whole.
 *
 * <p>A pod is found by UID, or by IP when exactly one pod in the view has that IP: an IP shared by
 * several pods (one deleted a moment ago and its successor, say) finds none, since any choice could
 * be the wrong one. Pods on the host network are never found by IP.
 */
public final class MetadataSnapshot {
  /** Before the cache has seen anything, or off Kubernetes. */
  public static final MetadataSnapshot EMPTY =
      new MetadataSnapshot(Map.of(), Map.of(), Map.of(), Map.of());

  private static final PodMetadata SHARED_IP =
      new PodMetadata(
          "",
          "",
          "",
          null,
          java.util.List.of(),
          false,
          false,
          null,
          null,
          null,
          java.util.List.of());

  private final Map<String, PodMetadata> byUid;
  private final Map<String, PodMetadata> byIp;
  private final Map<String, Map<String, String>> deploymentOfReplicaSet;
  private final Map<String, Map<String, String>> cronJobOfJob;

  private MetadataSnapshot(
      Map<String, PodMetadata> byUid,
      Map<String, PodMetadata> byIp,
      Map<String, Map<String, String>> deploymentOfReplicaSet,
      Map<String, Map<String, String>> cronJobOfJob) {
    this.byUid = byUid;
    this.byIp = byIp;
    this.deploymentOfReplicaSet = deploymentOfReplicaSet;
    this.cronJobOfJob = cronJobOfJob;
  }

  /**
   * A view of these pods and owners. The owner maps (namespace → owned name → owner name) are taken
   * as they are: the caller hands over maps nobody changes afterwards.
   */
  static MetadataSnapshot of(
      Collection<PodMetadata> pods,
      Map<String, Map<String, String>> deploymentOfReplicaSet,
      Map<String, Map<String, String>> cronJobOfJob) {
    Map<String, PodMetadata> byUid = new HashMap<>(pods.size() * 4 / 3 + 1);
    Map<String, PodMetadata> byIp = new HashMap<>(pods.size() * 4 / 3 + 1);
    for (PodMetadata pod : pods) {
      byUid.put(pod.uid(), pod);
      if (!pod.associableByIp()) continue;
      for (String ip : pod.ips()) {
        PodMetadata other = byIp.putIfAbsent(ip, pod);
        if (other != null && other != pod) byIp.put(ip, SHARED_IP);
      }
    }
    return new MetadataSnapshot(byUid, byIp, deploymentOfReplicaSet, cronJobOfJob);
  }

  /** The pod with this UID, or null. */
  public PodMetadata podByUid(String uid) {
    return uid == null ? null : byUid.get(uid);
  }

  /** The one pod with this IP, or null when none or several have it. */
  public PodMetadata podByIp(String ip) {
    if (ip == null) return null;
    PodMetadata pod = byIp.get(ip);
    return pod == SHARED_IP ? null : pod;
  }

  /** Pods in the view, the recently deleted included. */
  public int pods() {
    return byUid.size();
  }

  /** The Deployment that owns a ReplicaSet, or null. */
  String deploymentOf(String namespace, String replicaSet) {
    Map<String, String> inNamespace = deploymentOfReplicaSet.get(namespace);
    return inNamespace == null ? null : inNamespace.get(replicaSet);
  }

  /** The CronJob that owns a Job, or null. */
  String cronJobOf(String namespace, String job) {
    Map<String, String> inNamespace = cronJobOfJob.get(namespace);
    return inNamespace == null ? null : inNamespace.get(job);
  }
}
