package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where a pipeline sends its data; OTLP is the only output. */
public class PipelineOutput {

  @JsonPropertyDescription("An OTLP backend.")
  @Required
  private OtlpOutput otlp;

  public OtlpOutput getOtlp() {
    return otlp;
  }

  public void setOtlp(OtlpOutput otlp) {
    this.otlp = otlp;
  }
}
