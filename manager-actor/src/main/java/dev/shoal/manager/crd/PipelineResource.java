package dev.shoal.manager.crd;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A {@link TracePipeline}, {@link MetricPipeline} or {@link LogPipeline}, seen through what they
 * have in common. Method names avoid the bean pattern so that they never turn into YAML fields.
 */
public interface PipelineResource extends HasMetadata {

  PipelineKind pipelineKind();

  /** The spec, or null when the resource has none. */
  PipelineSpec pipelineSpec();

  default ResourceRef ref() {
    return new ResourceRef(pipelineKind(), getMetadata().getName());
  }

  /** {@code metadata.generation}; 1 when not set, as for a resource read from a file. */
  default long generation() {
    Long generation = getMetadata() == null ? null : getMetadata().getGeneration();
    return generation == null ? 1 : generation;
  }
}
