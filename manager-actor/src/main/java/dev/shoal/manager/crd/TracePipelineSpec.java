package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired state of a TracePipeline. */
public class TracePipelineSpec implements PipelineSpec {

  @JsonPropertyDescription("Where the pipeline takes its data from.")
  private TracePipelineInput input;

  @JsonPropertyDescription("Where the pipeline sends its data.")
  private PipelineOutput output;

  @JsonPropertyDescription("Shoal addition: the pipeline's bounded queue.")
  private QueueSpec queue;

  public TracePipelineInput getInput() {
    return input;
  }

  public void setInput(TracePipelineInput input) {
    this.input = input;
  }

  @Override
  public PipelineOutput getOutput() {
    return output;
  }

  public void setOutput(PipelineOutput output) {
    this.output = output;
  }

  @Override
  public QueueSpec getQueue() {
    return queue;
  }

  public void setQueue(QueueSpec queue) {
    this.queue = queue;
  }

  @Override
  public OtlpInput otlpInput() {
    return input == null ? null : input.getOtlp();
  }
}
