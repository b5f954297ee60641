package dev.shoal.manager.crd;

/** What the specs of the three pipeline kinds have in common. */
public interface PipelineSpec {

  /** Where the pipeline sends its data. */
  PipelineOutput getOutput();

  /** Shoal addition: the pipeline's queue; null for the defaults. */
  QueueSpec getQueue();

  /** The OTLP push input, or null when the spec leaves it at its default. */
  OtlpInput otlpInput();
}
