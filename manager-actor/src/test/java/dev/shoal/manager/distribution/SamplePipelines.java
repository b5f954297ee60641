package dev.shoal.manager.distribution;

import com.typesafe.config.ConfigFactory;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Resolved pipelines of every kind of output, with every optional part filled. */
final class SamplePipelines {
  static final PipelineDefaults DEFAULTS = PipelineDefaults.fromConfig(ConfigFactory.load());

  private SamplePipelines() {}

  static PipelineSettings debug(String name, Path dir) {
    return DEFAULTS.pipeline(name, Signal.LOGS, DEFAULTS.debugOutput(dir, name));
  }

  static PipelineSettings otlp(String name, String endpoint) {
    OtlpOutputSettings output =
        new OtlpOutputSettings(
            OtlpOutputSettings.Protocol.HTTP,
            URI.create(endpoint),
            "/v1/traces",
            Map.of("Authorization", "Basic dXNlcjpwYXNz", "X-Tenant", "a"),
            new OtlpOutputSettings.Tls(
                false,
                true,
                Optional.of("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
                Optional.empty(),
                Optional.empty()),
            OtlpOutputSettings.Compression.GZIP,
            Duration.ofSeconds(7),
            new OtlpOutputSettings.Retry(
                true, Duration.ofMillis(250), Duration.ofSeconds(3), Duration.ofMinutes(2)));
    return new PipelineSettings(
        name,
        Signal.TRACES,
        8 * 1024 * 1024,
        DEFAULTS.batch(),
        3,
        Overflow.REFUSE,
        new InputSelector(true, Set.of(), Set.of("kube-system", "istio-system")),
        output);
  }
}
