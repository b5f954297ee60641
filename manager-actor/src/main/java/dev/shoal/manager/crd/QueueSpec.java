package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.Quantity;

/** Shoal addition: the pipeline's bounded queue. */
public class QueueSpec {

  /**
   * The values of {@code overflow}, for the CRD schema only. The field stays a string, so that a
   * pipeline read from a folder (where no schema applies) reports a wrong value as a finding.
   */
  public enum OverflowValue {
    @JsonProperty("drop")
    DROP,
    @JsonProperty("refuse")
    REFUSE
  }

  @JsonPropertyDescription(
      "Bound of what the pipeline holds, e.g. 64Mi. Default: shoal.pipeline.pipeline-defaults.queue-bytes.")
  private Quantity bytes;

  @JsonPropertyDescription(
      "drop or refuse: what happens to a request when the queue is full. Default: drop.")
  @SchemaFrom(type = OverflowValue.class)
  @Default("drop")
  private String overflow;

  public Quantity getBytes() {
    return bytes;
  }

  public void setBytes(Quantity bytes) {
    this.bytes = bytes;
  }

  public String getOverflow() {
    return overflow;
  }

  public void setOverflow(String overflow) {
    this.overflow = overflow;
  }
}
