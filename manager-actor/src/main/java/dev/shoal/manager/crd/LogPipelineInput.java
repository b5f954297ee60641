package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Inputs of a LogPipeline. */
public class LogPipelineInput {

  @JsonPropertyDescription("Log records pushed over OTLP.")
  private OtlpInput otlp;

  public OtlpInput getOtlp() {
    return otlp;
  }

  public void setOtlp(OtlpInput otlp) {
    this.otlp = otlp;
  }
}
