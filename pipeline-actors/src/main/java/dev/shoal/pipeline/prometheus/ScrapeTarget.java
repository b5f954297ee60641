package dev.shoal.pipeline.prometheus;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * One endpoint to scrape and how: what the manager decides and the member that owns the target
 * runs. Plain fields only, so that it crosses the cluster as CBOR (module sharding binds it).
 *
 * @param id the stable identity of the target: for Kubernetes targets namespace, pod or service,
 *     port and path; for static ones the URL. Never a mutable label; it is the sharding key.
 * @param url where to GET the exposition ({@code http} or {@code https})
 * @param job the Prometheus job, which becomes the resource's {@code service.name}
 * @param pipelines the metric pipelines that take the target's series
 * @param interval time between two scrapes; every owner scrapes at the same instants ({@link
 *     ScrapePhase})
 * @param timeout a scrape not answered in full by then fails
 * @param insecureSkipVerify HTTPS without checking the certificate and host name
 * @param caPem certificates to trust for HTTPS instead of the JVM's, or null
 * @param bodyLimitBytes the most bytes a body may have, compressed and after decompression
 * @param sampleLimit the most samples a body may hold
 */
public record ScrapeTarget(
    String id,
    String url,
    String job,
    Set<String> pipelines,
    Duration interval,
    Duration timeout,
    boolean insecureSkipVerify,
    String caPem,
    long bodyLimitBytes,
    int sampleLimit) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final long DEFAULT_BODY_LIMIT = 20L * 1024 * 1024;
  public static final int DEFAULT_SAMPLE_LIMIT = 50_000;

  public ScrapeTarget {
    pipelines = Set.copyOf(new TreeSet<>(pipelines));
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "scrape target " + url + ": give an http:// or https:// URL");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("scrape target " + url + ": the URL has no host");
    }
    if (interval.isNegative() || interval.toMillis() < 1000) {
      throw new IllegalArgumentException("scrape target " + url + ": interval below 1s");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException(
          "scrape target " + url + ": the timeout must be positive and at most the interval");
    }
  }

  /**
   * A static target from a pipeline's {@code input.prometheus.staticTargets}: its id is the URL,
   * its job {@code static}, the limits the defaults; the timeout is the default or the interval,
   * whichever is shorter.
   */
  public static ScrapeTarget staticTarget(String url, Set<String> pipelines, Duration interval) {
    Duration timeout = DEFAULT_TIMEOUT.compareTo(interval) < 0 ? DEFAULT_TIMEOUT : interval;
    return new ScrapeTarget(
        url,
        url,
        "static",
        pipelines,
        interval,
        timeout,
        false,
        null,
        DEFAULT_BODY_LIMIT,
        DEFAULT_SAMPLE_LIMIT);
  }

  public TargetIdentity identity() {
    return TargetIdentity.of(job, URI.create(url));
  }
}
