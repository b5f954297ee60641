package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a value is read from instead of being written in the pipeline. */
public class ValueFromSource {

  @JsonPropertyDescription("Reads the value from a key of a Secret.")
  private SecretKeyRef secretKeyRef;

  public SecretKeyRef getSecretKeyRef() {
    return secretKeyRef;
  }

  public void setSecretKeyRef(SecretKeyRef secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }
}
