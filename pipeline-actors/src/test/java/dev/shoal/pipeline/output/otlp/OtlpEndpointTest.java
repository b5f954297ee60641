package dev.shoal.pipeline.output.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OtlpEndpointTest {
  private static OtlpEndpoint of(String endpoint, String path, boolean insecure) {
    return OtlpEndpoint.of(
        new OtlpOutputSettings(
            Protocol.HTTP,
            URI.create(endpoint),
            path,
            Map.of(),
            new Tls(insecure, false, Optional.empty(), Optional.empty(), Optional.empty()),
            Compression.NONE,
            Duration.ofSeconds(10),
            OtlpOutputSettings.Retry.DEFAULT));
  }

  @Test
  void hostPortAndPath() {
    assertEquals(
        new OtlpEndpoint("otel.example", 4318, false, "/v1/traces"),
        of("http://otel.example:4318", "/v1/traces", false));
  }

  @Test
  void theEndpointsOwnPathComesFirstAndSchemesGiveDefaultPorts() {
    assertEquals(
        new OtlpEndpoint("otel.example", 443, true, "/otlp/v1/logs"),
        of("https://otel.example/otlp/", "/v1/logs", false));
    assertEquals(80, of("http://otel.example", "/v1/logs", false).port());
  }

  @Test
  void insecureTurnsTlsOff() {
    assertEquals(false, of("https://otel.example:4317", "", true).tls());
  }

  @Test
  void otherSchemesAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> of("ftp://otel.example", "", false));
    assertTrue(e.getMessage().contains("http:// or https://"), e.getMessage());
  }
}
