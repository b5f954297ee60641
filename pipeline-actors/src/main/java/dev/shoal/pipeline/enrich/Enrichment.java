package dev.shoal.pipeline.enrich;

import dev.shoal.pipeline.otlp.ExportRequest;
import java.net.InetAddress;

/**
 * Adds what is known about a request's senders to its resources, once per request, before it is
 * routed to pipelines (so that namespace selection sees the added {@code k8s.namespace.name}).
 */
public interface Enrichment {
  /** Leaves every request as it is: off Kubernetes, or with enrichment turned off. */
  Enrichment NONE = (request, peer) -> request;

  /**
   * The request with its resources enriched, or the request itself when nothing is added.
   *
   * @param peer the address of the connection the request came on; null when not known
   */
  ExportRequest enrich(ExportRequest request, InetAddress peer);
}
