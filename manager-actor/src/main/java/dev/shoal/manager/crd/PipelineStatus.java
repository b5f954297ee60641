package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Observed state of a pipeline: its conditions. */
public class PipelineStatus {

  /** Printer column (kubectl get): the status of the ConfigurationGenerated condition. */
  public static final String CONFIGURATION_COLUMN =
      ".status.conditions[?(@.type==\"" + Condition.CONFIGURATION_GENERATED + "\")].status";

  /** Printer column (kubectl get): the reason of the TelemetryFlowHealthy condition. */
  public static final String FLOW_COLUMN =
      ".status.conditions[?(@.type==\"" + Condition.TELEMETRY_FLOW_HEALTHY + "\")].reason";

  /** Printer column (kubectl get): the age, as kubectl shows it for every resource. */
  public static final String AGE_COLUMN = ".metadata.creationTimestamp";

  @JsonPropertyDescription("Conditions describing the state of the pipeline.")
  private List<Condition> conditions = new ArrayList<>();

  public PipelineStatus() {}

  public PipelineStatus(List<Condition> conditions) {
    this.conditions = new ArrayList<>(conditions);
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  /** The condition of the given type, if there is one. */
  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PipelineStatus other && conditions.equals(other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(conditions);
  }

  @Override
  public String toString() {
    return "PipelineStatus" + conditions;
  }
}
