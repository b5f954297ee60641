package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** What the specs of the three pipeline kinds have in common: the output and the queue. */
public abstract class PipelineSpec {

  @JsonPropertyDescription("Where the pipeline sends its data.")
  @Required
  private PipelineOutput output;

  @JsonPropertyDescription("Shoal addition: the pipeline's bounded queue.")
  private QueueSpec queue;

  /** Where the pipeline sends its data. */
  public PipelineOutput getOutput() {
    return output;
  }

  public void setOutput(PipelineOutput output) {
    this.output = output;
  }

  /** Shoal addition: the pipeline's queue; null for the defaults. */
  public QueueSpec getQueue() {
    return queue;
  }

  public void setQueue(QueueSpec queue) {
    this.queue = queue;
  }

  /** The OTLP push input, or null when the spec leaves it at its default. */
  public abstract OtlpInput otlpInput();
}
