package dev.shoal.pipeline.stream;

import java.util.Set;

/**
 * Which data a pipeline takes: requests from the OTLP receivers, and (metric pipelines) scraped
 * Prometheus series.
 *
 * @param otlpEnabled false: the pipeline takes nothing pushed over OTLP
 * @param includeNamespaces when not empty, only resources whose {@code k8s.namespace.name} is one
 *     of these
 * @param excludeNamespaces resources whose {@code k8s.namespace.name} is one of these are left out
 * @param prometheus whether it takes scraped series
 */
public record InputSelector(
    boolean otlpEnabled,
    Set<String> includeNamespaces,
    Set<String> excludeNamespaces,
    PrometheusInput prometheus) {

  public static final InputSelector ALL = new InputSelector(true, Set.of(), Set.of());

  /** OTLP only, no scraped series. */
  public InputSelector(
      boolean otlpEnabled, Set<String> includeNamespaces, Set<String> excludeNamespaces) {
    this(otlpEnabled, includeNamespaces, excludeNamespaces, PrometheusInput.DISABLED);
  }

  public InputSelector {
    if (prometheus == null) prometheus = PrometheusInput.DISABLED;
    includeNamespaces = Set.copyOf(includeNamespaces);
    excludeNamespaces = Set.copyOf(excludeNamespaces);
    if (!includeNamespaces.isEmpty() && !excludeNamespaces.isEmpty()) {
      throw new IllegalArgumentException("namespaces: give include or exclude, not both");
    }
  }

  /** Whether every resource passes, whatever its namespace. */
  public boolean selectsAllNamespaces() {
    return includeNamespaces.isEmpty() && excludeNamespaces.isEmpty();
  }

  /** Whether a resource of the given namespace (null or empty when it has none) passes. */
  public boolean selectsNamespace(String namespace) {
    if (!includeNamespaces.isEmpty())
      return namespace != null && includeNamespaces.contains(namespace);
    return namespace == null || !excludeNamespaces.contains(namespace);
  }
}
