package dev.shoal.pipeline.enrich;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the member's current {@link MetadataSnapshot} is published: the {@link MetadataCache}
 * writes it, every receiver thread reads it. Reading is one volatile load; it never waits.
 */
public final class KubernetesMetadata {
  private final AtomicReference<MetadataSnapshot> published =
      new AtomicReference<>(MetadataSnapshot.EMPTY);

  /** The pods and owners as last published. */
  public MetadataSnapshot current() {
    return published.get();
  }

  AtomicReference<MetadataSnapshot> published() {
    return published;
  }
}
