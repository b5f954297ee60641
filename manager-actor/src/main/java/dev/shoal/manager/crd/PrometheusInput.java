package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * MetricPipeline: scraping of Prometheus endpoints. {@code staticTargets} and {@code interval} are
 * Shoal's additions to Kyma's fields.
 */
public class PrometheusInput {

  @JsonPropertyDescription(
      "Scrape pods and services annotated prometheus.io/scrape. Default: false.")
  private Boolean enabled;

  @JsonPropertyDescription("Namespaces whose targets are scraped.")
  private NamespaceSelector namespaces;

  @JsonPropertyDescription("Also keep the scrape's own diagnostic metrics.")
  private EnabledFlag diagnosticMetrics;

  @JsonPropertyDescription(
      "URLs (http:// or https://) scraped besides the discovered targets, e.g."
          + " http://10.0.0.5:9100/metrics. Each URL is one target, scraped by one member.")
  private List<String> staticTargets;

  @JsonPropertyDescription(
      "Time between two scrapes of a target, e.g. 30s or 1m (at least 1s). Default: 30s.")
  private String interval;

  public List<String> getStaticTargets() {
    return staticTargets;
  }

  public void setStaticTargets(List<String> staticTargets) {
    this.staticTargets = staticTargets;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

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
