package dev.shoal.pipeline.enrich;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an informer of the metadata cache does when listing or watching fails: it tries again
 * (fabric8 backs off between attempts), whether it had started or not, so an API server that is
 * unreachable or refuses at first does not leave the cache empty for good. It says so in the log at
 * most once a minute per informer, naming the fix when the API refuses for lack of rights.
 */
final class InformerFailureLog implements ExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(MetadataInformers.class);
  private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String resource;
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - QUIET_NANOS);

  InformerFailureLog(String resource) {
    this.resource = resource;
  }

  @Override
  public boolean retryAfterException(boolean isStarted, Throwable t) {
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last >= QUIET_NANOS && lastLogged.compareAndSet(last, now)) {
      boolean forbidden = t instanceof KubernetesClientException k && k.getCode() == 403;
      log.warn(
          "Kubernetes metadata cache: watching {} failed ({}); retrying.{}",
          resource,
          t.toString(),
          forbidden
              ? " The node needs get, list and watch on pods, apps/replicasets and batch/jobs in"
                  + " all namespaces (deploy/rbac.yaml, ClusterRole shoal-metadata-reader)"
              : "");
    }
    return true;
  }
}
