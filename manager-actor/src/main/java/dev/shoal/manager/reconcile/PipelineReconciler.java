package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns pipeline resources and Secrets into the settings the data plane runs, and one {@code
 * ConfigurationGenerated} condition per resource. A pure function of its input and the time passed
 * in: it reads nothing and writes nothing, so the folder source and the Kubernetes source share it.
 *
 * <p>An invalid resource does not run and leaves the others alone. Its condition is False with the
 * most severe {@link Reason} found and a message that names the field, the problem and the fix.
 */
public final class PipelineReconciler {

  /**
   * What the resources come to.
   *
   * @param pipelines the pipelines to run, ordered by name
   * @param conditions the {@code ConfigurationGenerated} condition of every resource, by resource
   */
  public record Result(List<PipelineSettings> pipelines, Map<ResourceRef, Condition> conditions) {

    public static final Result EMPTY = new Result(List.of(), Map.of());

    public Result {
      pipelines = List.copyOf(pipelines);
      conditions = Collections.unmodifiableMap(new TreeMap<>(conditions));
    }

    /** The reason of a resource's condition, if the resource is known. */
    public Optional<String> reason(ResourceRef ref) {
      return Optional.ofNullable(conditions.get(ref)).map(Condition::getReason);
    }
  }

  private final PipelineDefaults defaults;
  private final ReconcilerSettings settings;

  public PipelineReconciler(PipelineDefaults defaults, ReconcilerSettings settings) {
    this.defaults = defaults;
    this.settings = settings;
  }

  /** The pipelines to run and every resource's condition, as of {@code now}. */
  public Result reconcile(ResourceSnapshot snapshot, Instant now) {
    SecretIndex secrets = new SecretIndex(snapshot.secrets());
    Map<ResourceRef, Outcome> outcomes = new TreeMap<>();
    Map<ResourceRef, PipelineResource> resources = new TreeMap<>();
    for (PipelineResource resource : snapshot.pipelines()) {
      if (resource.getMetadata() == null || resource.getMetadata().getName() == null) continue;
      ResourceRef ref = resource.ref();
      resources.put(ref, resource);
      String schemaProblem = snapshot.schemaProblems().get(ref);
      outcomes.put(
          ref,
          schemaProblem != null
              ? Outcome.failed(Reason.VALIDATION_FAILED, schemaProblem)
              : new ResourceTranslation(resource, secrets, now, defaults, settings).run());
    }
    PipelinesPerKindLimit.enforce(settings.maxPipelinesPerKind(), outcomes, resources);

    String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    List<PipelineSettings> running = new ArrayList<>();
    Map<ResourceRef, Condition> conditions = new TreeMap<>();
    outcomes.forEach(
        (ref, outcome) -> {
          if (outcome.settings() != null) running.add(outcome.settings());
          conditions.put(
              ref,
              new Condition(
                  Condition.CONFIGURATION_GENERATED,
                  outcome.reason().status(),
                  outcome.reason().id(),
                  outcome.message(),
                  time,
                  resources.get(ref).generation()));
        });
    running.sort(Comparator.comparing(PipelineSettings::name));
    return new Result(running, conditions);
  }
}
