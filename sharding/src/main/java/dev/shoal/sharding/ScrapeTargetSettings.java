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
 */
public record ScrapeTargetSettings(
    Duration connectTimeout, Duration removalGrace, Duration configureTimeout) {

  public ScrapeTargetSettings {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect-timeout must be positive");
    }
    if (removalGrace.isNegative()) throw new IllegalArgumentException("removal-grace < 0");
    if (configureTimeout.isNegative() || configureTimeout.isZero()) {
      throw new IllegalArgumentException("configure-timeout must be positive");
    }
  }

  public static ScrapeTargetSettings fromConfig(Config config) {
    Config c = config.getConfig("shoal.sharding.scrape-target");
    return new ScrapeTargetSettings(
        c.getDuration("connect-timeout"),
        c.getDuration("removal-grace"),
        c.getDuration("configure-timeout"));
  }
}
