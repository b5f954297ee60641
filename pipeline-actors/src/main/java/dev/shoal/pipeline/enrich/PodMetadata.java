package dev.shoal.pipeline.enrich;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the cache keeps of one pod: only what enrichment writes or associates by, so that a cached
 * pod costs a few hundred bytes rather than the tens of KiB of its API object.
 *
 * @param uid {@code metadata.uid}
 * @param name {@code metadata.name}
 * @param namespace {@code metadata.namespace}
 * @param nodeName {@code spec.nodeName}, or null before it is scheduled
 * @param ips {@code status.podIPs} (or {@code status.podIP}); empty before it has one
 * @param hostNetwork {@code spec.hostNetwork}: its IP is its node's, shared with other pods, so it
 *     is never associated by IP
 * @param finished phase {@code Succeeded} or {@code Failed}: it sends nothing more, and its IP may
 *     be given to another pod
 * @param ownerKind kind of its controlling owner ({@code ReplicaSet}, {@code Job}, {@code
 *     StatefulSet}, {@code DaemonSet}, ...), or null
 * @param ownerName name of its controlling owner, or null
 * @param serviceNameLabel label {@code app.kubernetes.io/name}, else label {@code app}, else null
 * @param copiedLabels the labels the settings copy, as alternating attribute keys ({@code
 *     k8s.pod.label.<key>}) and values
 */
public record PodMetadata(
    String uid,
    String name,
    String namespace,
    String nodeName,
    List<String> ips,
    boolean hostNetwork,
    boolean finished,
    String ownerKind,
    String ownerName,
    String serviceNameLabel,
    List<String> copiedLabels) {

  static final String APP_NAME_LABEL = "app.kubernetes.io/name";
  static final String APP_LABEL = "app";

  /** The metadata of a pod as the API serves it; null when it has no UID (not a stored pod). */
  public static PodMetadata from(Pod pod, EnrichmentSettings settings) {
    var meta = pod.getMetadata();
    if (meta == null || meta.getUid() == null) return null;
    PodSpec spec = pod.getSpec();
    PodStatus status = pod.getStatus();
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    OwnerReference owner = controller(meta.getOwnerReferences());
    String phase = status == null ? null : status.getPhase();
    // Namespaces, nodes, owners and label values repeat across many pods: each is kept once.
    return new PodMetadata(
        meta.getUid(),
        meta.getName(),
        shared(meta.getNamespace()),
        spec == null ? null : shared(spec.getNodeName()),
        ips(status),
        spec != null && Boolean.TRUE.equals(spec.getHostNetwork()),
        "Succeeded".equals(phase) || "Failed".equals(phase),
        owner == null ? null : shared(owner.getKind()),
        owner == null ? null : shared(owner.getName()),
        shared(labels.getOrDefault(APP_NAME_LABEL, labels.get(APP_LABEL))),
        copiedLabels(labels, settings));
  }

  /**
   * The one copy of a string that many pods hold. The JVM's string table forgets a string once no
   * pod refers to it any more, so this does not grow with churn.
   */
  private static String shared(String s) {
    return s == null ? null : s.intern();
  }

  /** The owner that controls the pod; the only owner when none is marked controller. */
  private static OwnerReference controller(List<OwnerReference> owners) {
    if (owners == null || owners.isEmpty()) return null;
    for (OwnerReference o : owners) {
      if (Boolean.TRUE.equals(o.getController())) return o;
    }
    return owners.size() == 1 ? owners.get(0) : null;
  }

  private static List<String> ips(PodStatus status) {
    if (status == null) return List.of();
    List<String> ips = new ArrayList<>(2);
    if (status.getPodIPs() != null) {
      for (PodIP ip : status.getPodIPs()) {
        String normal = IpAddresses.normalize(ip.getIp());
        if (normal != null && !ips.contains(normal)) ips.add(normal);
      }
    }
    String ip = IpAddresses.normalize(status.getPodIP());
    if (ip != null && !ips.contains(ip)) ips.add(ip);
    return List.copyOf(ips);
  }

  private static List<String> copiedLabels(Map<String, String> labels, EnrichmentSettings s) {
    if (s.podLabels().isEmpty() && s.podLabelPrefixes().isEmpty()) return List.of();
    List<String> copied = new ArrayList<>();
    labels.entrySet().stream()
        .filter(e -> e.getValue() != null && s.copiesLabel(e.getKey()))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              copied.add(shared(PodAttributes.LABEL_PREFIX + e.getKey()));
              copied.add(shared(e.getValue()));
            });
    return List.copyOf(copied);
  }

  /** Whether it may be found by its IP: it has one, and that IP is its own. */
  boolean associableByIp() {
    return !hostNetwork && !ips.isEmpty();
  }
}
