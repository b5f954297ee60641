package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.Condition;

/**
 * Reasons of the {@code ConfigurationGenerated} condition, most severe first: when several hold,
 * the condition reports the first of them.
 */
public enum Reason {
  /** A field has a value Shoal does not know, or a required field is missing. */
  VALIDATION_FAILED("ValidationFailed", false),
  /** A {@code valueFrom.secretKeyRef} names a Secret or key that does not exist. */
  REFERENCED_SECRET_MISSING("ReferencedSecretMissing", false),
  /** The endpoint is not an http:// or https:// URL with a host. */
  ENDPOINT_INVALID("EndpointInvalid", false),
  /** TLS material is not valid PEM, or cert and key are not given together, or do not match. */
  TLS_CONFIGURATION_INVALID("TLSConfigurationInvalid", false),
  /** A certificate of the TLS options has expired. */
  TLS_CERTIFICATE_EXPIRED("TLSCertificateExpired", false),
  /** Valid, but more pipelines of the kind are valid than the configured limit. */
  MAX_PIPELINES_EXCEEDED("MaxPipelinesExceeded", false),
  /** Valid and running, but a certificate expires soon. */
  TLS_CERTIFICATE_ABOUT_TO_EXPIRE("TLSCertificateAboutToExpire", true),
  /** Valid and running. */
  CONFIGURATION_APPLIED("ConfigurationApplied", true);

  private final String id;
  private final boolean runs;

  Reason(String id, boolean runs) {
    this.id = id;
    this.runs = runs;
  }

  /** As written in the condition, e.g. {@code EndpointInvalid}. */
  public String id() {
    return id;
  }

  /** Whether a pipeline with this reason runs. */
  public boolean runs() {
    return runs;
  }

  /** The condition status: True for reasons under which the pipeline runs. */
  public String status() {
    return runs ? Condition.TRUE : Condition.FALSE;
  }
}
