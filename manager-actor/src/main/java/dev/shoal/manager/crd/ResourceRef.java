package dev.shoal.manager.crd;

import java.util.Comparator;

/**
 * Names one pipeline resource. Pipeline resources are cluster-scoped, so kind and name are enough.
 */
public record ResourceRef(PipelineKind kind, String name) implements Comparable<ResourceRef> {

  private static final Comparator<ResourceRef> ORDER =
      Comparator.comparing(ResourceRef::kind).thenComparing(ResourceRef::name);

  /** The name of the data-plane pipeline it becomes, e.g. {@code tracepipeline/backend}. */
  public String pipelineName() {
    return kind.id() + "/" + name;
  }

  @Override
  public int compareTo(ResourceRef other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return pipelineName();
  }
}
