package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired state of a LogPipeline. */
public class LogPipelineSpec extends PipelineSpec {

  @JsonPropertyDescription("Where the pipeline takes its data from.")
  private LogPipelineInput input;

  public LogPipelineInput getInput() {
    return input;
  }

  public void setInput(LogPipelineInput input) {
    this.input = input;
  }

  @Override
  public OtlpInput otlpInput() {
    return input == null ? null : input.getOtlp();
  }
}
