package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.OtlpOutput;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.PipelineSpec;
import dev.shoal.manager.crd.RetrySpec;
import dev.shoal.manager.crd.ValueType;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Checks {@code spec.output.otlp} and turns it into the exporter's settings; headers and TLS are
 * checked by {@link OtlpHeaders} and {@link OutputTlsTranslation}.
 */
final class OtlpOutputTranslation {

  static final String OTLP = "spec.output.otlp";

  private final Findings findings;
  private final SecretValues values;
  private final ReconcilerSettings settings;
  private final PipelineResource resource;
  private final OtlpHeaders headers;
  private final OutputTlsTranslation tls;

  OtlpOutputTranslation(
      Findings findings,
      SecretValues values,
      ReconcilerSettings settings,
      PipelineResource resource,
      Instant now) {
    this.findings = findings;
    this.values = values;
    this.settings = settings;
    this.resource = resource;
    this.headers = new OtlpHeaders(findings, values);
    this.tls =
        new OutputTlsTranslation(
            findings, values, new CertificateExpiry(findings, now, settings.tlsExpiryWarning()));
  }

  /** The exporter's settings, or null after a problem that stops the pipeline. */
  OtlpOutputSettings output(PipelineSpec spec) {
    OtlpOutput otlp = spec.getOutput() == null ? null : spec.getOutput().getOtlp();
    if (otlp == null) {
      findings.problem(
          Reason.VALIDATION_FAILED,
          OTLP + ": required; give the backend as spec.output.otlp.endpoint.value");
      return null;
    }
    Protocol protocol = protocol(otlp.getProtocol());
    URI endpoint = endpoint(otlp.getEndpoint());
    String path = path(otlp.getPath(), protocol);
    Map<String, String> headers = this.headers.headers(otlp);
    Tls tls = this.tls.tls(otlp.getTls());
    Compression compression = compression(otlp.getCompression());
    Duration timeout =
        otlp.getTimeout() == null
            ? settings.otlpRequestTimeout()
            : duration(otlp.getTimeout(), OTLP + ".timeout", settings.otlpRequestTimeout());
    Retry retry = retry(otlp.getRetry());
    if (findings.blocked()) return null;
    return new OtlpOutputSettings(
        protocol, endpoint, path, headers, tls, compression, timeout, retry);
  }

  /** Export calls in flight; {@code fallback} when not given. */
  int concurrency(PipelineSpec spec, int fallback) {
    Integer wanted =
        spec.getOutput() == null || spec.getOutput().getOtlp() == null
            ? null
            : spec.getOutput().getOtlp().getConcurrency();
    if (wanted == null) return fallback;
    if (wanted < 1 || wanted > 64) {
      findings.problem(
          Reason.VALIDATION_FAILED, OTLP + ".concurrency: must be 1 to 64, found " + wanted);
      return 1;
    }
    return wanted;
  }

  private Protocol protocol(String protocol) {
    if (protocol == null || protocol.isEmpty()) return Protocol.GRPC;
    return switch (protocol) {
      case "grpc" -> Protocol.GRPC;
      case "http" -> Protocol.HTTP;
      default -> {
        findings.problem(
            Reason.VALIDATION_FAILED,
            OTLP + ".protocol: '" + protocol + "' is not supported; use grpc or http");
        yield Protocol.GRPC;
      }
    };
  }

  private URI endpoint(ValueType endpoint) {
    String raw = values.resolve(endpoint, OTLP + ".endpoint", true);
    if (raw == null) return null;
    String text = raw.trim();
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && !uri.getHost().isEmpty()) {
        return uri;
      }
    } catch (URISyntaxException invalid) {
      // reported below
    }
    String shown =
        endpoint.getValueFrom() != null
            ? "the value from " + SecretValues.describe(endpoint.getValueFrom().getSecretKeyRef())
            : "'" + text + "'";
    findings.problem(
        Reason.ENDPOINT_INVALID,
        OTLP
            + ".endpoint: "
            + shown
            + " is not a URL with scheme http or https and a host; write it as"
            + " https://host:port (or http://host:port for plaintext)");
    return null;
  }

  private String path(String path, Protocol protocol) {
    boolean given = path != null && !path.isEmpty();
    if (protocol == Protocol.GRPC) {
      if (given) {
        findings.problem(
            Reason.VALIDATION_FAILED,
            OTLP + ".path: only for protocol http; remove it or set protocol: http");
      }
      return "";
    }
    if (!given) return resource.pipelineKind().signal().httpPath();
    if (!path.startsWith("/")) {
      findings.problem(Reason.VALIDATION_FAILED, OTLP + ".path: '" + path + "' must start with /");
    }
    return path;
  }

  private Compression compression(String compression) {
    if (compression == null || compression.isEmpty()) return Compression.GZIP;
    return switch (compression) {
      case "gzip" -> Compression.GZIP;
      case "none" -> Compression.NONE;
      default -> {
        findings.problem(
            Reason.VALIDATION_FAILED,
            OTLP + ".compression: '" + compression + "' is not supported; use gzip or none");
        yield Compression.GZIP;
      }
    };
  }

  private Retry retry(RetrySpec retry) {
    if (retry == null) return Retry.DEFAULT;
    String base = OTLP + ".retry";
    Retry defaults = Retry.DEFAULT;
    boolean enabled = retry.getEnabled() == null || retry.getEnabled();
    Duration initial =
        retry.getInitialInterval() == null
            ? defaults.initialInterval()
            : duration(retry.getInitialInterval(), base + ".initialInterval", null);
    Duration max =
        retry.getMaxInterval() == null
            ? defaults.maxInterval()
            : duration(retry.getMaxInterval(), base + ".maxInterval", null);
    Duration elapsed =
        retry.getMaxElapsedTime() == null
            ? defaults.maxElapsed()
            : duration(retry.getMaxElapsedTime(), base + ".maxElapsedTime", null);
    if (initial == null || max == null || elapsed == null) return defaults;
    if (initial.compareTo(max) > 0) {
      findings.problem(
          Reason.VALIDATION_FAILED,
          base + ": initialInterval " + initial + " is longer than maxInterval " + max);
    }
    return new Retry(enabled, initial, max, elapsed);
  }

  private Duration duration(String text, String path, Duration fallback) {
    Duration duration = GoDurations.parse(text);
    if (duration == null || duration.isZero()) {
      findings.problem(
          Reason.VALIDATION_FAILED,
          path + ": '" + text + "' is not a positive duration; write e.g. 500ms, 10s or 1m30s");
      return fallback;
    }
    return duration;
  }
}
