package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;

/** Shoal addition: the pipeline's bounded queue. */
public class QueueSpec {

  @JsonPropertyDescription(
      "Bound of what the pipeline holds, e.g. 64Mi. Default: shoal.pipeline.pipeline-defaults.queue-bytes.")
  private Quantity bytes;

  @JsonPropertyDescription(
      "drop or refuse: what happens to a request when the queue is full. Default: drop.")
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
