package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Shoal addition: retries of failed exports (exponential backoff with jitter). */
public class RetrySpec {

  @JsonPropertyDescription("Default: true. False drops a batch at the first failure.")
  private Boolean enabled;

  @JsonPropertyDescription("Wait before the first retry, a duration like 5s. Default: 5s.")
  private String initialInterval;

  @JsonPropertyDescription("The wait never grows beyond this. Default: 30s.")
  private String maxInterval;

  @JsonPropertyDescription("A batch is dropped after retrying this long. Default: 300s.")
  private String maxElapsedTime;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getInitialInterval() {
    return initialInterval;
  }

  public void setInitialInterval(String initialInterval) {
    this.initialInterval = initialInterval;
  }

  public String getMaxInterval() {
    return maxInterval;
  }

  public void setMaxInterval(String maxInterval) {
    this.maxInterval = maxInterval;
  }

  public String getMaxElapsedTime() {
    return maxElapsedTime;
  }

  public void setMaxElapsedTime(String maxElapsedTime) {
    this.maxElapsedTime = maxElapsedTime;
  }
}
