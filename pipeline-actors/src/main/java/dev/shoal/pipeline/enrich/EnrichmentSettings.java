package dev.shoal.pipeline.enrich;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * Settings of Kubernetes metadata enrichment, read once from {@code shoal.pipeline.enrichment}.
 *
 * @param clusterName value of {@code k8s.cluster.name} on enriched resources; empty: not set
 * @param syncTimeout how long a starting node waits for the cache's first full listing before it
 *     accepts data anyway (the cache keeps filling in the background)
 * @param deletedPodGrace how long a deleted (or finished) pod stays associable, so that data sent
 *     just before it went away is still enriched
 * @param podLabels pod labels copied as {@code k8s.pod.label.<key>}, by exact key
 * @param podLabelPrefixes pod labels copied as {@code k8s.pod.label.<key>}, every key that starts
 *     with one of these
 * @param associateByPeerAddress whether a resource with neither {@code k8s.pod.uid} nor {@code
 *     k8s.pod.ip} is associated with the pod whose IP sent the request
 * @param publishInterval changes to the cache become visible to enrichment at most this late (they
 *     are gathered into one new snapshot)
 */
public record EnrichmentSettings(
    String clusterName,
    Duration syncTimeout,
    Duration deletedPodGrace,
    List<String> podLabels,
    List<String> podLabelPrefixes,
    boolean associateByPeerAddress,
    Duration publishInterval) {

  public static final String CONFIG_PATH = "shoal.pipeline.enrichment";

  public EnrichmentSettings {
    podLabels = List.copyOf(podLabels);
    podLabelPrefixes = List.copyOf(podLabelPrefixes);
    requirePositive(syncTimeout, "sync-timeout");
    requirePositive(deletedPodGrace, "deleted-pod-grace");
    requirePositive(publishInterval, "publish-interval");
    for (String key : podLabels) {
      if (key.isBlank()) throw new IllegalArgumentException(CONFIG_PATH + ".pod-labels: empty key");
    }
    for (String prefix : podLabelPrefixes) {
      if (prefix.isBlank()) {
        throw new IllegalArgumentException(
            CONFIG_PATH + ".pod-label-prefixes: empty prefix (it would copy every label)");
      }
    }
  }

  private static void requirePositive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(CONFIG_PATH + "." + key + " must be positive: " + d);
    }
  }

  public static EnrichmentSettings fromConfig(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    return new EnrichmentSettings(
        c.getString("cluster-name"),
        c.getDuration("sync-timeout"),
        c.getDuration("deleted-pod-grace"),
        c.getStringList("pod-labels"),
        c.getStringList("pod-label-prefixes"),
        c.getBoolean("associate-by-peer-address"),
        c.getDuration("publish-interval"));
  }

  /** Whether a pod label is copied onto resources. */
  boolean copiesLabel(String key) {
    if (podLabels.contains(key)) return true;
    for (String prefix : podLabelPrefixes) {
      if (key.startsWith(prefix)) return true;
    }
    return false;
  }
}
