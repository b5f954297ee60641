package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;

/**
 * Everything the reconciler looks at, as read from one source at one moment.
 *
 * @param pipelines the pipeline resources, at most one per {@link ResourceRef}
 * @param secrets the Secrets the pipelines may reference
 * @param schemaProblems resources whose YAML did not fit the schema (unknown field, wrong type,
 *     defined twice), with the problem; such a resource is in {@code pipelines} with what could be
 *     read of it, and never runs
 */
public record ResourceSnapshot(
    List<PipelineResource> pipelines,
    List<Secret> secrets,
    Map<ResourceRef, String> schemaProblems) {

  public static final ResourceSnapshot EMPTY = new ResourceSnapshot(List.of(), List.of(), Map.of());

  public ResourceSnapshot {
    pipelines = List.copyOf(pipelines);
    secrets = List.copyOf(secrets);
    schemaProblems = Map.copyOf(schemaProblems);
  }
}
