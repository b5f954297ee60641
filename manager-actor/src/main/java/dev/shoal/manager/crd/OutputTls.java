package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** TLS options of an OTLP output. The PEM values may come from Secrets. */
public class OutputTls {

  @JsonPropertyDescription("Plaintext, no TLS at all. Default: false.")
  private Boolean insecure;

  @JsonPropertyDescription("TLS without checking the server certificate. Default: false.")
  private Boolean insecureSkipVerify;

  @JsonPropertyDescription("CA certificates (PEM) to trust instead of the JVM's.")
  private ValueType ca;

  @JsonPropertyDescription("Client certificate chain (PEM) for mutual TLS; needs key.")
  private ValueType cert;

  @JsonPropertyDescription("Client private key (PEM, PKCS#8 or PKCS#1) for mutual TLS; needs cert.")
  private ValueType key;

  public Boolean getInsecure() {
    return insecure;
  }

  public void setInsecure(Boolean insecure) {
    this.insecure = insecure;
  }

  public Boolean getInsecureSkipVerify() {
    return insecureSkipVerify;
  }

  public void setInsecureSkipVerify(Boolean insecureSkipVerify) {
    this.insecureSkipVerify = insecureSkipVerify;
  }

  public ValueType getCa() {
    return ca;
  }

  public void setCa(ValueType ca) {
    this.ca = ca;
  }

  public ValueType getCert() {
    return cert;
  }

  public void setCert(ValueType cert) {
    this.cert = cert;
  }

  public ValueType getKey() {
    return key;
  }

  public void setKey(ValueType key) {
    this.key = key;
  }
}
