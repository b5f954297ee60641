package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** An OTLP output (Kyma v1beta1 fields, plus Shoal's {@code timeout} and {@code retry}). */
public class OtlpOutput {

  /**
   * The values of {@code protocol}, for the CRD schema only. The field stays a string, so that a
   * pipeline read from a folder (where no schema applies) reports a wrong value as a finding.
   */
  public enum ProtocolValue {
    @JsonProperty("grpc")
    GRPC,
    @JsonProperty("http")
    HTTP
  }

  /** The values of {@code compression}, for the CRD schema only (see {@link ProtocolValue}). */
  public enum CompressionValue {
    @JsonProperty("gzip")
    GZIP,
    @JsonProperty("none")
    NONE
  }

  @JsonPropertyDescription("grpc or http. Default: grpc.")
  @SchemaFrom(type = ProtocolValue.class)
  @Default("grpc")
  private String protocol;

  @JsonPropertyDescription("URL of the backend: http://host:port or https://host:port.")
  @Required
  private ValueType endpoint;

  @JsonPropertyDescription(
      "Only for protocol http: the URL path; default /v1/traces, /v1/metrics or /v1/logs.")
  private String path;

  @JsonPropertyDescription("Headers sent with every export request.")
  private List<Header> headers;

  @JsonPropertyDescription("Authentication of the export requests.")
  private Authentication authentication;

  @JsonPropertyDescription("TLS options.")
  private OutputTls tls;

  @JsonPropertyDescription("gzip or none. Default: gzip.")
  @SchemaFrom(type = CompressionValue.class)
  @Default("gzip")
  private String compression;

  @JsonPropertyDescription("Shoal addition: one export call fails after this long, e.g. 10s.")
  private String timeout;

  @JsonPropertyDescription("Shoal addition: retries of failed exports.")
  private RetrySpec retry;

  @JsonPropertyDescription(
      "Shoal addition: export calls in flight at once for this pipeline, 1 to 64. Default: the"
          + " node's shoal.pipeline.pipeline-defaults.export-concurrency.")
  @Min(1)
  @Max(64)
  private Integer concurrency;

  public String getProtocol() {
    return protocol;
  }

  public void setProtocol(String protocol) {
    this.protocol = protocol;
  }

  public ValueType getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(ValueType endpoint) {
    this.endpoint = endpoint;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public List<Header> getHeaders() {
    return headers;
  }

  public void setHeaders(List<Header> headers) {
    this.headers = headers;
  }

  public Authentication getAuthentication() {
    return authentication;
  }

  public void setAuthentication(Authentication authentication) {
    this.authentication = authentication;
  }

  public OutputTls getTls() {
    return tls;
  }

  public void setTls(OutputTls tls) {
    this.tls = tls;
  }

  public String getCompression() {
    return compression;
  }

  public void setCompression(String compression) {
    this.compression = compression;
  }

  public String getTimeout() {
    return timeout;
  }

  public Integer getConcurrency() {
    return concurrency;
  }

  public void setConcurrency(Integer concurrency) {
    this.concurrency = concurrency;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public RetrySpec getRetry() {
    return retry;
  }

  public void setRetry(RetrySpec retry) {
    this.retry = retry;
  }
}
