package dev.shoal.bench.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.bench.sink.SinkMode;
import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines do not hold each other up, and a reload under load loses nothing acknowledged. */
class PipelineIsolationAndReloadTest {
  @TempDir Path dir;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newHttpClient();

  static String pipeline(String name, String endpoint, String queueBytes) {
    return String.join(
        "\n",
        "apiVersion: telemetry.shoal.dev/v1beta1",
        "kind: TracePipeline",
        "metadata:",
        "  name: " + name,
        "spec:",
        "  queue:",
        "    bytes: " + queueBytes,
        "  output:",
        "    otlp:",
        "      protocol: grpc",
        "      endpoint:",
        "        value: " + endpoint,
        // Long enough that a loaded machine does not time out an export that then arrives twice:
        // the reload test counts exactly-once delivery to a healthy backend.
        "      timeout: 10s",
        "      retry:",
        "        initialInterval: 100ms",
        "        maxInterval: 300ms",
        "        maxElapsedTime: 120s",
        "");
  }

  /** Posts one request of {@code spans} spans; true when the node acknowledged it. */
  private boolean post(NodeWithSink node, int spans) throws Exception {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(Span.newBuilder().setName("span-" + i).setStartTimeUnixNano(i));
    }
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
            .build();
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(URI.create(node.httpEndpoint() + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    return response.statusCode() == 200;
  }

  @Test
  void aDeadBackendFillsOnlyItsOwnPipelineAndRecovers() throws Exception {
    NodeWithSink node = new NodeWithSink(dir, "");
    SinkBackend up = node.sink(SinkMode.OK);
    SinkBackend down = node.sink(SinkMode.parse("fail-503"));
    try {
      node.writePipelines(
          pipeline("healthy", up.grpcEndpoint(), "64Mi")
              + "---\n"
              + pipeline("broken", down.grpcEndpoint(), "16Ki"));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  node.metric("shoal_pipeline_queue_bytes_capacity", "tracepipeline/broken") > 0
                      && node.metric("shoal_pipeline_queue_bytes_capacity", "tracepipeline/healthy")
                          > 0);
      int requests = 200;
      for (int i = 0; i < requests; i++) {
        assertTrue(post(node, 20), "the healthy pipeline had room: accepted");
      }
      long total = requests * 20L;
      await().atMost(WAIT).until(() -> NodeWithSink.items(up) == total);

      long accepted = node.metric("shoal_pipeline_items_accepted_total", "tracepipeline/broken");
      long skipped =
          node.metric(
              "shoal_pipeline_items_dropped_total", "tracepipeline/broken", "reason", "queue_full");
      assertTrue(skipped > 0, "the broken pipeline's small queue never filled");
      assertEquals(total, accepted + skipped, "every item is either held or counted as dropped");
      assertEquals(0, NodeWithSink.items(down));

      down.setMode(SinkMode.OK);
      await().atMost(WAIT).until(() -> NodeWithSink.items(down) == accepted);
      assertTrue(post(node, 20));
      await().atMost(WAIT).until(() -> NodeWithSink.items(down) == accepted + 20);
      await().atMost(WAIT).until(() -> NodeWithSink.items(up) == total + 20);
      assertEquals(
          accepted + 20,
          node.metric("shoal_pipeline_items_exported_total", "tracepipeline/broken"));
    } finally {
      up.stop();
      down.stop();
      node.close();
    }
  }

  @Test
  void reloadsUnderSteadyLoadLoseNothingAcknowledged() throws Exception {
    NodeWithSink node = new NodeWithSink(dir, "");
    SinkBackend sink = node.sink(SinkMode.OK);
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicLong acknowledged = new AtomicLong();
    try {
      node.writePipelines(pipeline("backend", sink.grpcEndpoint(), "64Mi"));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  node.metric("shoal_pipeline_queue_bytes_capacity", "tracepipeline/backend") > 0);
      CompletableFuture<Void> load =
          CompletableFuture.runAsync(
              () -> {
                try {
                  while (sending.get()) {
                    if (post(node, 10)) acknowledged.addAndGet(10);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // Each edit changes the pipeline, so a new stream starts beside the old one, which drains.
      for (String size : new String[] {"65Mi", "66Mi", "67Mi"}) {
        long before = acknowledged.get();
        await().atMost(WAIT).until(() -> acknowledged.get() > before + 200);
        node.writePipelines(pipeline("backend", sink.grpcEndpoint(), size));
        long bytes = Long.parseLong(size.replace("Mi", "")) << 20;
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    node.metric("shoal_pipeline_queue_bytes_capacity", "tracepipeline/backend")
                        == bytes);
      }
      long before = acknowledged.get();
      await().atMost(WAIT).until(() -> acknowledged.get() > before + 200);
      sending.set(false);
      load.get(30, TimeUnit.SECONDS);

      long sent = acknowledged.get();
      await().atMost(WAIT).until(() -> NodeWithSink.items(sink) >= sent);
      // Delivery is at-least-once; with a healthy backend and no retries it is exactly once.
      assertEquals(sent, NodeWithSink.items(sink));
      assertEquals(sent, sink.counts().of(Signal.TRACES).items());
    } finally {
      sending.set(false);
      sink.stop();
      node.close();
    }
  }
}
