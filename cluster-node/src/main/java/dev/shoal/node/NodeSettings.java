package dev.shoal.node;

import dev.shoal.pipeline.enrich.EnrichmentSettings;
import dev.shoal.pipeline.receiver.ReceiverSettings;
import dev.shoal.pipeline.stream.PipelineDefaults;
import java.nio.file.Path;
import java.time.Duration;

/** The settings the guardian needs, read once from the configuration. */
record NodeSettings(
    ReceiverSettings receivers,
    EnrichmentSettings enrichment,
    PipelineDefaults pipelineDefaults,
    Path dataDir,
    java.util.Optional<Path> pipelinesDir,
    java.util.Optional<Path> kubeconfig,
    Duration startupTimeout,
    Duration drainTimeout,
    Duration requestsDoneTimeout,
    String managementAddress,
    int managementPort,
    JoinSettings join) {

  Path debugDir() {
    return dataDir.resolve("debug");
  }

  static NodeSettings fromConfig(com.typesafe.config.Config config) {
    return new NodeSettings(
        ReceiverSettings.fromConfig(config),
        EnrichmentSettings.fromConfig(config),
        PipelineDefaults.fromConfig(config),
        Path.of(config.getString("shoal.node.data-dir")).toAbsolutePath(),
        config.getString("shoal.node.pipelines-dir").isEmpty()
            ? java.util.Optional.empty()
            : java.util.Optional.of(
                Path.of(config.getString("shoal.node.pipelines-dir")).toAbsolutePath()),
        config.getString("shoal.node.kubeconfig").isEmpty()
            ? java.util.Optional.empty()
            : java.util.Optional.of(Path.of(config.getString("shoal.node.kubeconfig"))),
        config.getDuration("shoal.node.startup-timeout"),
        config.getDuration("shoal.node.drain-timeout"),
        config.getDuration("pekko.coordinated-shutdown.phases.service-requests-done.timeout"),
        config.getString("pekko.management.http.bind-hostname"),
        config.getInt("pekko.management.http.port"),
        JoinSettings.fromConfig(config));
  }
}
