package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * One aspect of a resource's state, as Kubernetes conditions are: {@code status} True, False or
 * Unknown, a one-word CamelCase {@code reason} and a {@code message} for people.
 */
@JsonPropertyOrder({
  "type",
  "status",
  "reason",
  "message",
  "lastTransitionTime",
  "observedGeneration"
})
public class Condition {

  /** Whether the resource's configuration is valid and applied. */
  public static final String CONFIGURATION_GENERATED = "ConfigurationGenerated";

  /** Whether every cluster member that is Up runs the pipeline. */
  public static final String GATEWAY_HEALTHY = "GatewayHealthy";

  /** Whether the pipeline's data flows to its backend. */
  public static final String TELEMETRY_FLOW_HEALTHY = "TelemetryFlowHealthy";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  /** The values of {@code status}, for the CRD schema only. */
  public enum StatusValue {
    @JsonProperty(TRUE)
    IS_TRUE,
    @JsonProperty(FALSE)
    IS_FALSE,
    @JsonProperty(UNKNOWN)
    IS_UNKNOWN
  }

  @JsonPropertyDescription("Kind of condition, e.g. ConfigurationGenerated.")
  @Required
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  @SchemaFrom(type = StatusValue.class)
  @Required
  private String status;

  @JsonPropertyDescription("Why the condition has this status: one CamelCase word.")
  private String reason;

  @JsonPropertyDescription("Human-readable details: what is wrong and how to fix it.")
  private String message;

  @JsonPropertyDescription("When status or reason last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("metadata.generation of the resource this condition is about.")
  private Long observedGeneration;

  public Condition() {}

  public Condition(
      String type,
      String status,
      String reason,
      String message,
      String lastTransitionTime,
      Long observedGeneration) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.lastTransitionTime = lastTransitionTime;
    this.observedGeneration = observedGeneration;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  /** A copy with another transition time. */
  public Condition withLastTransitionTime(String time) {
    return new Condition(type, status, reason, message, time, observedGeneration);
  }

  /** Whether status and reason are the same, so that no transition happened. */
  public boolean sameState(Condition other) {
    return other != null
        && Objects.equals(status, other.status)
        && Objects.equals(reason, other.reason);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition c
        && Objects.equals(type, c.type)
        && Objects.equals(status, c.status)
        && Objects.equals(reason, c.reason)
        && Objects.equals(message, c.message)
        && Objects.equals(lastTransitionTime, c.lastTransitionTime)
        && Objects.equals(observedGeneration, c.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }

  @Override
  public String toString() {
    return type + "=" + status + " " + reason + ": " + message;
  }
}
