package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired state of a TracePipeline. */
public class TracePipelineSpec extends PipelineSpec {

  @JsonPropertyDescription("Where the pipeline takes its data from.")
  private TracePipelineInput input;

  public TracePipelineInput getInput() {
    return input;
  }

  public void setInput(TracePipelineInput input) {
    this.input = input;
  }

  @Override
  public OtlpInput otlpInput() {
    return input == null ? null : input.getOtlp();
  }
}
