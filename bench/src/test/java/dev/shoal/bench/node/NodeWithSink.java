package dev.shoal.bench.node;

import com.typesafe.config.ConfigFactory;
import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.bench.sink.SinkMode;
import dev.shoal.node.ShoalNode;
import dev.shoal.pipeline.otlp.Signal;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A node running in this JVM with pipelines from a folder, and sinks as its backends, all on
 * loopback with free ports.
 */
final class NodeWithSink implements AutoCloseable {
  final Path pipelines;
  final ActorSystem<Void> sinkSystem = ActorSystem.create(Behaviors.empty(), "sinks");
  final ShoalNode node;
  private final int managementPort;
  private final HttpClient http = HttpClient.newHttpClient();

  NodeWithSink(Path dir, String pipelineYaml) throws IOException {
    pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(pipelines.resolve("pipelines.yaml"), pipelineYaml);
    managementPort = freePort();
    node =
        ShoalNode.start(
            ShoalNode.loadConfig(
                ConfigFactory.parseString(
                    String.join(
                        "\n",
                        "shoal.node.data-dir = \"" + dir.resolve("data") + "\"",
                        "shoal.node.pipelines-dir = \"" + pipelines + "\"",
                        "shoal.pipeline.receiver { bind-address = \"127.0.0.1\", grpc.port = 0,"
                            + " http.port = 0 }",
                        "shoal.pipeline.pipeline-defaults.batch.timeout = 50ms",
                        "shoal.node.drain-timeout = 10s",
                        "pekko.remote.artery.canonical.port = 0",
                        "pekko.management.http.port = " + managementPort,
                        "pekko.management.http.bind-hostname = \"127.0.0.1\""))));
  }

  SinkBackend sink(SinkMode mode) {
    return SinkBackend.start(sinkSystem, "127.0.0.1", 0, 0, mode);
  }

  String httpEndpoint() {
    return "http://127.0.0.1:" + node.httpAddress().getPort();
  }

  String grpcEndpoint() {
    return "http://127.0.0.1:" + node.grpcAddress().getPort();
  }

  /** Replaces the pipelines file; the node applies it within about a poll interval. */
  void writePipelines(String yaml) throws IOException {
    Path tmp = pipelines.resolve(".pipelines.yaml.tmp");
    Files.writeString(tmp, yaml);
    Files.move(
        tmp,
        pipelines.resolve("pipelines.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The node's /metrics, through its management port. */
  String metrics() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** One sample of /metrics, e.g. {@code shoal_pipeline_items_exported_total} of a pipeline. */
  long metric(String name, String pipeline, String... moreLabels) throws Exception {
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < moreLabels.length; i += 2) {
      labels.append(".*").append(moreLabels[i]).append("=\"").append(moreLabels[i + 1]).append('"');
    }
    Pattern sample =
        Pattern.compile(
            "^"
                + Pattern.quote(name)
                + "\\{(?=.*pipeline=\""
                + Pattern.quote(pipeline)
                + "\")"
                + (labels.length() == 0 ? "" : "(?=" + labels + ")")
                + "[^}]*\\} ([0-9.eE+]+)$",
            Pattern.MULTILINE);
    Matcher m = sample.matcher(metrics());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  static long items(SinkBackend sink) {
    return sink.counts().items(Signal.TRACES);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    node.stop(org.apache.pekko.actor.CoordinatedShutdown.unknownReason()).get(60, TimeUnit.SECONDS);
    sinkSystem.terminate();
    sinkSystem.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
