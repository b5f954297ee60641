package dev.shoal.pipeline.output;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * An OTLP output, resolved: secrets are already read, so it holds the values themselves.
 *
 * @param protocol gRPC or HTTP/protobuf
 * @param endpoint scheme, host and port (and for HTTP an optional base path); {@code http://} means
 *     plaintext, {@code https://} TLS
 * @param path for HTTP: the path requests go to (e.g. {@code /v1/traces}); ignored for gRPC
 * @param headers sent with every request, values with their prefix already applied; includes {@code
 *     Authorization} when basic authentication is configured
 * @param tls certificates and checks for {@code https://} endpoints
 * @param compression how request bodies are compressed
 * @param requestTimeout one export call fails after this long
 * @param retry how failed exports are retried
 */
public record OtlpOutputSettings(
    Protocol protocol,
    URI endpoint,
    String path,
    Map<String, String> headers,
    Tls tls,
    Compression compression,
    Duration requestTimeout,
    Retry retry)
    implements OutputSettings {

  public OtlpOutputSettings {
    headers = Map.copyOf(headers);
  }

  public enum Protocol {
    GRPC,
    HTTP
  }

  public enum Compression {
    GZIP,
    NONE
  }

  /**
   * TLS material in PEM, as read from the pipeline or its secrets.
   *
   * @param insecure plaintext even for an endpoint that does not say {@code http://}
   * @param insecureSkipVerify TLS without checking the server's certificate
   * @param caPem certificates to trust instead of the JVM's
   * @param certPem client certificate chain, for mutual TLS
   * @param keyPem client private key (PKCS#8 or PKCS#1), for mutual TLS
   */
  public record Tls(
      boolean insecure,
      boolean insecureSkipVerify,
      Optional<String> caPem,
      Optional<String> certPem,
      Optional<String> keyPem) {

    public static final Tls DEFAULT =
        new Tls(false, false, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Retries of failed exports, per the OTLP specification: only retryable answers are retried, with
   * exponential backoff and jitter, honouring the server's RetryInfo / Retry-After.
   *
   * @param enabled false: a failed export is dropped at once (and counted)
   * @param initialInterval wait before the first retry
   * @param maxInterval the wait never grows beyond this
   * @param maxElapsed after this long since the first attempt the batch is dropped (and counted)
   */
  public record Retry(
      boolean enabled, Duration initialInterval, Duration maxInterval, Duration maxElapsed) {

    public static final Retry DEFAULT =
        new Retry(true, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(300));
  }

  @Override
  public String toString() {
    return "OTLP/" + protocol + " " + endpoint + (protocol == Protocol.HTTP ? path : "");
  }
}
