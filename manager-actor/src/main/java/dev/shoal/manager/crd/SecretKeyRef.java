package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret: {@code valueFrom.secretKeyRef}. */
public class SecretKeyRef {

  @JsonPropertyDescription("Name of the Secret.")
  @Required
  private String name;

  @JsonPropertyDescription("Namespace of the Secret; default: default.")
  private String namespace;

  @JsonPropertyDescription("Key in the Secret whose value is used.")
  @Required
  private String key;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
