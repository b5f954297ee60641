package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Inputs of a MetricPipeline. */
public class MetricPipelineInput {

  @JsonPropertyDescription("Data points pushed over OTLP.")
  private OtlpInput otlp;

  @JsonPropertyDescription(
      "Scraping of Prometheus endpoints: annotated pods and services, and static targets.")
  private PrometheusInput prometheus;

  @JsonPropertyDescription("istio-proxy metrics (not acted on yet).")
  private IstioInput istio;

  @JsonPropertyDescription("Kubernetes runtime metrics (not acted on yet).")
  private RuntimeInput runtime;

  public OtlpInput getOtlp() {
    return otlp;
  }

  public void setOtlp(OtlpInput otlp) {
    this.otlp = otlp;
  }

  public PrometheusInput getPrometheus() {
    return prometheus;
  }

  public void setPrometheus(PrometheusInput prometheus) {
    this.prometheus = prometheus;
  }

  public IstioInput getIstio() {
    return istio;
  }

  public void setIstio(IstioInput istio) {
    this.istio = istio;
  }

  public RuntimeInput getRuntime() {
    return runtime;
  }

  public void setRuntime(RuntimeInput runtime) {
    this.runtime = runtime;
  }
}
