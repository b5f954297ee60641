package dev.shoal.pipeline.output.otlp;

import dev.shoal.pipeline.output.OtlpOutputSettings;
import java.net.URI;
import java.util.Locale;

/**
 * Where an OTLP exporter connects: host, port, whether with TLS, and (for HTTP) the path requests
 * go to.
 *
 * @param tls {@code https://} and not {@code insecure}
 * @param path the endpoint's own path, if any, followed by the output's path
 */
record OtlpEndpoint(String host, int port, boolean tls, String path) {

  static OtlpEndpoint of(OtlpOutputSettings settings) {
    URI uri = settings.endpoint();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "OTLP endpoint " + uri + " must start with http:// or https://");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("OTLP endpoint " + uri + " names no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    boolean https = scheme.equals("https");
    int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    String base = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    String path = settings.path() == null ? "" : settings.path();
    if (!path.isEmpty() && !path.startsWith("/")) path = "/" + path;
    String full = base + path;
    return new OtlpEndpoint(
        host, port, https && !settings.tls().insecure(), full.isEmpty() ? "/" : full);
  }
}
