package dev.shoal.pipeline.prometheus;

import java.net.URI;

/**
 * Who a scrape target is, as its metrics tell it: Prometheus' {@code job} and {@code instance},
 * which become the OTLP resource's {@code service.name} and {@code service.instance.id}, and the
 * address parts the OpenTelemetry conventions add.
 *
 * @param job the scrape job's name
 * @param instance {@code host:port} of the target
 * @param host the target's host
 * @param port the target's port
 * @param scheme {@code http} or {@code https}
 */
public record TargetIdentity(String job, String instance, String host, int port, String scheme) {

  /** The identity of a target scraped at {@code url}, in the named job. */
  public static TargetIdentity of(String job, URI url) {
    String scheme = url.getScheme() == null ? "http" : url.getScheme();
    int port = url.getPort() >= 0 ? url.getPort() : (scheme.equals("https") ? 443 : 80);
    String host = url.getHost();
    return new TargetIdentity(job, host + ":" + port, host, port, scheme);
  }
}
