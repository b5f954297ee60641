package dev.shoal.manager.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Tells a missing CustomResourceDefinition (a 404 on listing a pipeline kind) by its fix. */
final class MissingCrds {
  private MissingCrds() {}

  /** The fix to add to the log line of {@code failure}, or "" when it is not a 404. */
  static String hint(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 404) {
        return ". The pipeline CRDs are not installed in this cluster: kubectl apply -f"
            + " deploy/crds/ (or kubectl apply -k deploy), or start the node with --pipelines DIR";
      }
    }
    return "";
  }
}
