package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** MetricPipeline: scraping of annotated Prometheus endpoints (parsed, not acted on yet). */
public class PrometheusInput {

  @JsonPropertyDescription(
      "Scrape pods and services annotated prometheus.io/scrape. Default: false.")
  private Boolean enabled;

  @JsonPropertyDescription("Namespaces whose targets are scraped.")
  private NamespaceSelector namespaces;

  @JsonPropertyDescription("Also keep the scrape's own diagnostic metrics.")
  private EnabledFlag diagnosticMetrics;

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
}
