package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Beyond the limit, the pipelines created last (then: last by name) stop. */
final class PipelinesPerKindLimit {

  private PipelinesPerKindLimit() {}

  /**
   * Replaces the outcome of every runnable pipeline beyond {@code max} of its kind; 0: no limit.
   */
  static void enforce(
      int max, Map<ResourceRef, Outcome> outcomes, Map<ResourceRef, PipelineResource> resources) {
    if (max == 0) return;
    Map<PipelineKind, List<ResourceRef>> runnable = new EnumMap<>(PipelineKind.class);
    outcomes.forEach(
        (ref, outcome) -> {
          if (outcome.settings() != null) {
            runnable.computeIfAbsent(ref.kind(), k -> new ArrayList<>()).add(ref);
          }
        });
    Comparator<ResourceRef> oldestFirst =
        Comparator.<ResourceRef, Instant>comparing(
                ref -> created(resources.get(ref)), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(ResourceRef::name);
    runnable.forEach(
        (kind, refs) -> {
          refs.sort(oldestFirst);
          for (ResourceRef ref : refs.subList(Math.min(max, refs.size()), refs.size())) {
            outcomes.put(
                ref,
                Outcome.failed(
                    Reason.MAX_PIPELINES_EXCEEDED,
                    "At most "
                        + max
                        + " "
                        + kind.kind()
                        + " resources run (shoal.manager.max-pipelines-per-kind) and older ones"
                        + " take the places; delete a "
                        + kind.kind()
                        + " or raise the limit"));
          }
        });
  }

  private static Instant created(PipelineResource resource) {
    String timestamp = resource.getMetadata().getCreationTimestamp();
    if (timestamp == null) return null;
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
