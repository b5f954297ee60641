package dev.shoal.manager.kube;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineStatus;
import dev.shoal.manager.crd.ResourceRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes pipelines' conditions through the status subresource, as a patch of {@code status} alone
 * (the whole list of conditions is replaced, nothing else is touched), without a resourceVersion:
 * the manager is the status' only writer. Blocking I/O: call it from a dispatcher meant for that.
 */
final class StatusPatches {

  /** One resource's conditions to write; {@code baseVersion} is what they were computed from. */
  record Patch(ResourceRef ref, String baseVersion, List<Condition> conditions) {}

  /** What a batch of writes did. */
  record Outcome(List<Patch> written, List<String> failures) {}

  /**
   * A JSON patch (RFC 6902) that sets {@code /status} as a whole ({@code add} replaces a member
   * that exists): the conditions are exactly the ones sent. (A JSON merge patch would do the same
   * on an API server, but fabric8's mock server merges lists instead of replacing them.)
   */
  private static final PatchContext REPLACE_STATUS = PatchContext.of(PatchType.JSON);

  private final KubernetesClient client;

  StatusPatches(KubernetesClient client) {
    this.client = client;
  }

  Outcome write(List<Patch> patches) {
    List<Patch> written = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Patch patch : patches) {
      try {
        String body =
            client
                .getKubernetesSerialization()
                .asJson(
                    List.of(
                        Map.of(
                            "op",
                            "add",
                            "path",
                            "/status",
                            "value",
                            new PipelineStatus(patch.conditions()))));
        client
            .resources(type(patch.ref()))
            .withName(patch.ref().name())
            .subresource("status")
            .patch(REPLACE_STATUS, body);
        written.add(patch);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) continue; // deleted meanwhile: nothing to report on
        failures.add(patch.ref() + ": " + describe(e));
      } catch (RuntimeException e) {
        failures.add(patch.ref() + ": " + e);
      }
    }
    return new Outcome(written, failures);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<HasMetadata> type(ResourceRef ref) {
    return (Class) ref.kind().newResource().getClass();
  }

  private static String describe(KubernetesClientException e) {
    return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + e.getMessage() : String.valueOf(e);
  }
}
