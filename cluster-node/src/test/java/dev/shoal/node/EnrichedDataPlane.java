package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.shoal.pipeline.enrich.EnrichmentSettings;
import dev.shoal.pipeline.enrich.KubernetesMetadata;
import dev.shoal.pipeline.enrich.MetadataCache;
import dev.shoal.pipeline.enrich.MetadataInformers;
import dev.shoal.pipeline.enrich.PodEnrichment;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.receiver.OtlpReceivers;
import dev.shoal.pipeline.receiver.ReceiverSettings;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/**
 * A member's data plane on loopback, as the node wires it, with Kubernetes enrichment from a real
 * API server: the metadata cache and its informers, the router that enriches, trace pipelines that
 * select namespaces and write to debug files, and both OTLP receivers on free ports.
 */
final class EnrichedDataPlane implements AutoCloseable {
  final ActorTestKit testKit;
  final KubernetesMetadata metadata = new KubernetesMetadata();
  final OtlpReceivers.Bindings bindings;
  private final MetadataInformers informers;
  private final Path debugDir;

  /**
   * @param pipelines trace pipelines by name, each with its input selector; each writes to {@code
   *     debugDir/<name>.jsonl}
   */
  EnrichedDataPlane(
      KubernetesClient client,
      EnrichmentSettings settings,
      Map<String, InputSelector> pipelines,
      Path debugDir)
      throws Exception {
    this.debugDir = debugDir;
    Config config =
        ConfigFactory.parseString(
                "shoal.pipeline.receiver { bind-address = \"127.0.0.1\", grpc.port = 0,"
                    + " http.port = 0 }\n"
                    + "shoal.pipeline.pipeline-defaults.batch.timeout = 50ms\n"
                    // A data plane, no cluster: no remoting port to collide with other tests.
                    + "pekko.actor.provider = local\n"
                    + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                    + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"")
            .withFallback(ConfigFactory.load())
            .resolve();
    testKit = ActorTestKit.create("enriched-data-plane", config);
    var cache = testKit.spawn(MetadataCache.create(settings, metadata), "kubernetes-metadata");
    informers = MetadataInformers.start(client, settings, cache);
    informers.synced().toCompletableFuture().get(60, TimeUnit.SECONDS);

    SignalRouter router = new SignalRouter(new PodEnrichment(metadata, settings));
    PipelineDefaults defaults = PipelineDefaults.fromConfig(config);
    List<PipelineSettings> running = new ArrayList<>();
    pipelines.forEach(
        (name, input) -> {
          PipelineSettings p =
              defaults.pipeline(name, Signal.TRACES, defaults.debugOutput(debugDir, name));
          running.add(
              new PipelineSettings(
                  p.name(),
                  p.signal(),
                  p.queueBytes(),
                  p.batch(),
                  p.exportConcurrency(),
                  p.overflow(),
                  input,
                  p.output()));
        });
    var supervisor = testKit.spawn(PipelineSupervisor.create(router), "pipelines");
    TestProbe<PipelineSupervisor.Applied> applied = testKit.createTestProbe();
    supervisor.tell(new PipelineSupervisor.ApplyPipelines(running, applied.ref()));
    assertEquals(pipelines.size(), applied.receiveMessage(Duration.ofSeconds(10)).running().size());
    bindings =
        OtlpReceivers.bind(ReceiverSettings.fromConfig(config), router, testKit.system())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  String grpcEndpoint() {
    return "http://127.0.0.1:" + bindings.grpcAddress().getPort();
  }

  String httpEndpoint() {
    return "http://127.0.0.1:" + bindings.httpAddress().getPort();
  }

  /** Every resource (with its spans) the pipeline wrote so far. */
  List<ResourceSpans> written(String pipeline) throws IOException {
    Path file = debugDir.resolve(pipeline + ".jsonl");
    List<ResourceSpans> resources = new ArrayList<>();
    if (!Files.exists(file)) return resources;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      ExportTraceServiceRequest request =
          (ExportTraceServiceRequest)
              Signal.TRACES.parseJson(line.getBytes(StandardCharsets.UTF_8));
      resources.addAll(request.getResourceSpansList());
    }
    return resources;
  }

  @Override
  public void close() {
    informers.close();
    bindings.unbind().toCompletableFuture().join();
    testKit.shutdownTestKit();
  }
}
