package dev.shoal.sharding;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The settings of {@link PipelineEntity} and of the members that report to it, read once from
 * {@code shoal.sharding.pipeline-entity}.
 *
 * @param reportInterval how often every member reports each pipeline
 * @param window the span of the cluster-wide rates
 * @param staleAfter a member whose last report is older than this no longer counts as reporting
 * @param passivateAfter an entity without reports for this long stops
 */
public record PipelineEntitySettings(
    Duration reportInterval, Duration window, Duration staleAfter, Duration passivateAfter) {

  public PipelineEntitySettings {
    if (reportInterval.isNegative() || reportInterval.isZero()) {
      throw new IllegalArgumentException("report-interval must be positive");
    }
    if (window.compareTo(reportInterval) < 0) {
      throw new IllegalArgumentException("window must be at least one report-interval");
    }
    if (staleAfter.compareTo(reportInterval) < 0) {
      throw new IllegalArgumentException("stale-after must be at least one report-interval");
    }
    if (passivateAfter.isNegative() || passivateAfter.isZero()) {
      throw new IllegalArgumentException("passivate-after must be positive");
    }
  }

  public static PipelineEntitySettings fromConfig(Config config) {
    Config c = config.getConfig("shoal.sharding.pipeline-entity");
    Duration interval = c.getDuration("report-interval");
    return new PipelineEntitySettings(
        interval,
        c.getDuration("window"),
        interval.multipliedBy(c.getInt("stale-after-reports")),
        c.getDuration("passivate-after"));
  }
}
