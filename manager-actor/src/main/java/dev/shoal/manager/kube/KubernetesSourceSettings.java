package dev.shoal.manager.kube;

import com.typesafe.config.Config;
import dev.shoal.manager.health.HealthSettings;
import dev.shoal.manager.reconcile.ReconcilerSettings;
import java.time.Duration;

/**
 * Settings of {@link KubernetesPipelineSource} ({@code shoal.manager.kubernetes}, {@code
 * shoal.manager.health} and the reconciler's {@code shoal.manager}), read once.
 *
 * @param resyncInterval how often the pipelines are validated again when nothing changed
 * @param retryBackoff first wait before a failed status write is tried again; doubles per failure
 * @param maxRetryBackoff the wait never grows beyond this
 * @param secretSyncTimeout a newly referenced Secret whose first read takes longer than this is
 *     treated as missing until it arrives, so that one unreadable Secret does not hold up the
 *     others
 * @param health thresholds of the health conditions
 * @param reconciler limits and defaults of validation
 */
public record KubernetesSourceSettings(
    Duration resyncInterval,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    Duration secretSyncTimeout,
    HealthSettings health,
    ReconcilerSettings reconciler) {

  public KubernetesSourceSettings {
    positive(resyncInterval, "resync-interval");
    positive(retryBackoff, "retry-backoff");
    positive(secretSyncTimeout, "secret-sync-timeout");
    if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
      throw new IllegalArgumentException(
          "shoal.manager.kubernetes.max-retry-backoff must be at least retry-backoff");
    }
  }

  private static void positive(Duration d, String key) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("shoal.manager.kubernetes." + key + " must be positive");
    }
  }

  /** Reads {@code shoal.manager} of the given (root) configuration. */
  public static KubernetesSourceSettings fromConfig(Config config) {
    Config k = config.getConfig("shoal.manager.kubernetes");
    return new KubernetesSourceSettings(
        k.getDuration("resync-interval"),
        k.getDuration("retry-backoff"),
        k.getDuration("max-retry-backoff"),
        k.getDuration("secret-sync-timeout"),
        HealthSettings.fromConfig(config),
        ReconcilerSettings.fromConfig(config));
  }
}
