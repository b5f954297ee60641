package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** MetricPipeline: istio-proxy metrics (parsed, not acted on yet). */
public class IstioInput {

  @JsonPropertyDescription("Scrape istio-proxy sidecars. Default: false.")
  private Boolean enabled;

  @JsonPropertyDescription("Namespaces whose sidecars are scraped.")
  private NamespaceSelector namespaces;

  @JsonPropertyDescription("Also keep the scrape's own diagnostic metrics.")
  private EnabledFlag diagnosticMetrics;

  @JsonPropertyDescription("Also keep Envoy's own metrics.")
  private EnabledFlag envoyMetrics;

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

  public EnabledFlag getDiagnosticMetrics() {
    return diagnosticMetrics;
  }

  public void setDiagnosticMetrics(EnabledFlag diagnosticMetrics) {
    this.diagnosticMetrics = diagnosticMetrics;
  }

  public EnabledFlag getEnvoyMetrics() {
    return envoyMetrics;
  }

  public void setEnvoyMetrics(EnabledFlag envoyMetrics) {
    this.envoyMetrics = envoyMetrics;
  }
}
