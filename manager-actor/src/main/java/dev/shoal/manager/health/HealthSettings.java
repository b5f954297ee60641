package dev.shoal.manager.health;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Thresholds of the {@code TelemetryFlowHealthy} and {@code GatewayHealthy} conditions ({@code
 * shoal.manager.health}), read once.
 *
 * @param pollInterval how often the manager asks every pipeline's entity for its view
 * @param bufferFillThreshold a member's queue filled above this fraction (0 to 1) gives {@code
 *     BufferFillingUp}
 * @param rolloutGrace for this long after a pipeline's configuration changed, members that do not
 *     report it yet are a rollout ({@code RolloutInProgress}), not a problem
 */
public record HealthSettings(
    Duration pollInterval, double bufferFillThreshold, Duration rolloutGrace) {

  public static final HealthSettings DEFAULTS =
      new HealthSettings(Duration.ofSeconds(5), 0.8, Duration.ofSeconds(30));

  public HealthSettings {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("shoal.manager.health.poll-interval must be positive");
    }
    if (!(bufferFillThreshold > 0 && bufferFillThreshold <= 1)) {
      throw new IllegalArgumentException(
          "shoal.manager.health.buffer-fill-threshold must be above 0 and at most 1, not "
              + bufferFillThreshold);
    }
    if (rolloutGrace.isNegative()) {
      throw new IllegalArgumentException("shoal.manager.health.rollout-grace must not be negative");
    }
  }

  /** Reads {@code shoal.manager.health} of the given (root) configuration. */
  public static HealthSettings fromConfig(Config config) {
    Config c = config.getConfig("shoal.manager.health");
    return new HealthSettings(
        c.getDuration("poll-interval"),
        c.getDouble("buffer-fill-threshold"),
        c.getDuration("rollout-grace"));
  }
}
