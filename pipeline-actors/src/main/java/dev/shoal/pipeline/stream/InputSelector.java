package dev.shoal.pipeline.stream;

import java.util.Set;

/**
 * Which requests a pipeline takes from the OTLP receivers.
 *
 * @param otlpEnabled false: the pipeline takes nothing pushed over OTLP
 * @param includeNamespaces when not empty, only resources whose {@code k8s.namespace.name} is one
 *     of these
 * @param excludeNamespaces resources whose {@code k8s.namespace.name} is one of these are left out
 */
public record InputSelector(
    boolean otlpEnabled, Set<String> includeNamespaces, Set<String> excludeNamespaces) {

  public static final InputSelector ALL = new InputSelector(true, Set.of(), Set.of());

  public InputSelector {
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
