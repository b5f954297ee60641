package dev.shoal.sharding;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The settings of {@link ScrapeTargetEntity}, read once from {@code shoal.sharding.scrape-target}.
 *
 * @param connectTimeout how long opening a connection to a target may take
 * @param removalGrace how long an entity keeps scraping after the replicated desired set stopped
 *     holding it, before it stops (an explicit {@code Stop} is obeyed at once)
 * @param configureTimeout an entity that got no definition within this long stops
 * @param handOffWait an entity handed to another member whose next scrape is at most this far off
 *     does that scrape first, so that the new owner, which starts at the instant after, leaves no
 *     gap; a later instant is the new owner's
 */
public record ScrapeTargetSettings(
    Duration connectTimeout,
    Duration removalGrace,
    Duration configureTimeout,
    Duration handOffWait) {

  public ScrapeTargetSettings {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect-timeout must be positive");
    }
    if (removalGrace.isNegative()) throw new IllegalArgumentException("removal-grace < 0");
    if (configureTimeout.isNegative() || configureTimeout.isZero()) {
      throw new IllegalArgumentException("configure-timeout must be positive");
    }
    if (handOffWait.isNegative()) throw new IllegalArgumentException("hand-off-wait < 0");
  }

  public static ScrapeTargetSettings fromConfig(Config config) {
    Config c = config.getConfig("shoal.sharding.scrape-target");
    return new ScrapeTargetSettings(
        c.getDuration("connect-timeout"),
        c.getDuration("removal-grace"),
        c.getDuration("configure-timeout"),
        c.getDuration("hand-off-wait"));
  }
}
