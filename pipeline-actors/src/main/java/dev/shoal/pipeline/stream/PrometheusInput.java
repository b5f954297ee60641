package dev.shoal.pipeline.stream;

import java.time.Duration;
import java.util.List;

/**
 * Whether a metric pipeline takes scraped Prometheus series, and which targets it names itself.
 *
 * @param enabled false: the pipeline takes no scraped series
 * @param diagnosticMetrics whether it also takes {@code up} and the {@code scrape_*} series
 * @param interval how often its targets are scraped
 * @param staticTargets URLs it scrapes besides the discovered targets (Shoal's addition to Kyma's
 *     fields: so that a node without Kubernetes scrapes too)
 */
public record PrometheusInput(
    boolean enabled, boolean diagnosticMetrics, Duration interval, List<String> staticTargets) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final PrometheusInput DISABLED =
      new PrometheusInput(false, false, DEFAULT_INTERVAL, List.of());

  public PrometheusInput {
    staticTargets = List.copyOf(staticTargets);
    if (interval.toMillis() < 1000) {
      throw new IllegalArgumentException("prometheus interval must be at least 1s");
    }
  }
}
