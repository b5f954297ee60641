package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired state of a MetricPipeline. */
public class MetricPipelineSpec extends PipelineSpec {

  @JsonPropertyDescription("Where the pipeline takes its data from.")
  private MetricPipelineInput input;

  public MetricPipelineInput getInput() {
    return input;
  }

  public void setInput(MetricPipelineInput input) {
    this.input = input;
  }

  @Override
  public OtlpInput otlpInput() {
    return input == null ? null : input.getOtlp();
  }
}
