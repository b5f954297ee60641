package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** MetricPipeline: Kubernetes runtime metrics (parsed, not acted on yet). */
public class RuntimeInput {

  @JsonPropertyDescription(
      "Collect runtime metrics of pods, containers, nodes and workloads. Default: false.")
  private Boolean enabled;

  @JsonPropertyDescription("Namespaces whose runtime metrics are collected.")
  private NamespaceSelector namespaces;

  @JsonPropertyDescription(
      "Per resource kind (pod, container, node, volume, deployment, ...): enabled or not.")
  private Map<String, EnabledFlag> resources;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public NamespaceSelector getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(NamespaceSelector namespaces) {
    this.namespaces = namespaces;
  }

  public Map<String, EnabledFlag> getResources() {
    return resources;
  }

  public void setResources(Map<String, EnabledFlag> resources) {
    this.resources = resources;
  }
}
