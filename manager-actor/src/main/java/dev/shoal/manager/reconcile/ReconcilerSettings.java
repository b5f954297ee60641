package dev.shoal.manager.reconcile;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits and defaults of the reconciler ({@code shoal.manager}), read once.
 *
 * @param maxPipelinesPerKind at most this many pipelines of each kind run; 0 for no limit
 * @param tlsExpiryWarning a certificate expiring within this time gives {@code
 *     TLSCertificateAboutToExpire}
 * @param otlpRequestTimeout timeout of one export call when the pipeline sets none
 */
public record ReconcilerSettings(
    int maxPipelinesPerKind, Duration tlsExpiryWarning, Duration otlpRequestTimeout) {

  public ReconcilerSettings {
    if (maxPipelinesPerKind < 0) {
      throw new IllegalArgumentException("shoal.manager.max-pipelines-per-kind must be >= 0");
    }
    if (tlsExpiryWarning.isNegative()) {
      throw new IllegalArgumentException("shoal.manager.tls-expiry-warning must not be negative");
    }
    if (otlpRequestTimeout.isNegative() || otlpRequestTimeout.isZero()) {
      throw new IllegalArgumentException("shoal.manager.otlp-request-timeout must be positive");
    }
  }

  /** Reads {@code shoal.manager} of the given (root) configuration. */
  public static ReconcilerSettings fromConfig(Config config) {
    Config m = config.getConfig("shoal.manager");
    return new ReconcilerSettings(
        m.getInt("max-pipelines-per-kind"),
        m.getDuration("tls-expiry-warning"),
        m.getDuration("otlp-request-timeout"));
  }
}
