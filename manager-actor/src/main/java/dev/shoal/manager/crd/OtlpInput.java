package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The OTLP push input of a pipeline. */
public class OtlpInput {

  @JsonPropertyDescription("Default: true. False: the pipeline takes nothing pushed over OTLP.")
  private Boolean enabled;

  @JsonPropertyDescription("Older Kyma spelling of enabled: false; give one of the two.")
  private Boolean disabled;

  @JsonPropertyDescription("Namespaces whose data the pipeline takes.")
  private NamespaceSelector namespaces;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(Boolean disabled) {
    this.disabled = disabled;
  }

  public NamespaceSelector getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(NamespaceSelector namespaces) {
    this.namespaces = namespaces;
  }
}
