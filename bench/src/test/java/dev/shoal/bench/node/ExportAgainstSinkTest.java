package dev.shoal.bench.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.bench.sink.SinkCounts;
import dev.shoal.bench.sink.SinkMode;
import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A node exporting to the bench sink over OTLP/gRPC and OTLP/HTTP, with the sink answering (or
 * dropping the connection) as a real backend may: the retries and drops are exactly those of the
 * OTLP specification, and the node's counters on /metrics match what the sink counted.
 */
class ExportAgainstSinkTest {
  @TempDir Path dir;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PIPELINE = "tracepipeline/backend";

  /**
   * @param timeout of an export attempt: short only where the backend hangs. A first call on a busy
   *     machine can take a second, and a timed-out attempt is retried, which the sink then counts
   *     twice.
   */
  static String pipeline(String protocol, String endpoint, String timeout, String maxElapsed) {
    return String.join(
        "\n",
        "apiVersion: telemetry.shoal.dev/v1beta1",
        "kind: TracePipeline",
        "metadata:",
        "  name: backend",
        "spec:",
        "  output:",
        "    otlp:",
        "      protocol: " + protocol,
        "      endpoint:",
        "        value: " + endpoint,
        "      timeout: " + timeout,
        "      retry:",
        "        initialInterval: 100ms",
        "        maxInterval: 300ms",
        "        maxElapsedTime: " + maxElapsed,
        "");
  }

  private static void sendSpans(NodeWithSink node, int count) {
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder()
                            .setEndpoint(node.httpEndpoint() + "/v1/traces")
                            .build())
                    .setMaxExportBatchSize(50)
                    .build())
            .build();
    for (int i = 0; i < count; i++) tracing.get("sink-test").spanBuilder("s" + i).startSpan().end();
    CompletableResultCode flushed = tracing.forceFlush();
    flushed.join(30, TimeUnit.SECONDS);
    assertTrue(flushed.isSuccess(), "the node did not acknowledge the spans");
    tracing.shutdown().join(10, TimeUnit.SECONDS);
  }

  private static String endpoint(SinkBackend sink, String protocol) {
    return protocol.equals("grpc") ? sink.grpcEndpoint() : sink.httpEndpoint();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"grpc", "http"})
  void deliveredItemsOnMetricsMatchTheSinkExactly(String protocol) throws Exception {
    NodeWithSink node = null;
    SinkBackend sink = null;
    try {
      node = new NodeWithSink(dir, "");
      sink = node.sink(SinkMode.OK);
      node.writePipelines(pipeline(protocol, endpoint(sink, protocol), "10s", "10s"));
      awaitPipeline(node);
      sendSpans(node, 500);
      SinkBackend s = sink;
      await().atMost(WAIT).until(() -> NodeWithSink.items(s) == 500);
      assertEquals(500, node.metric("shoal_pipeline_items_exported_total", PIPELINE));
      assertEquals(500, node.metric("shoal_pipeline_items_accepted_total", PIPELINE));
      assertEquals(
          sink.counts().of(Signal.TRACES).requests(),
          node.metric("shoal_pipeline_batches_exported_total", PIPELINE));
      assertEquals(0, sink.counts().of(Signal.TRACES).refused());
    } finally {
      close(node, sink);
    }
  }

  @ParameterizedTest(name = "{0} answers {1}")
  @CsvSource({
    "grpc, fail-503",
    "http, fail-503",
    "grpc, throttle-429",
    "http, throttle-429",
    "grpc, hang",
    "http, hang",
    "grpc, drop",
    "http, drop"
  })
  void retryableAnswersAreRetriedUntilTheBackendRecovers(String protocol, String mode)
      throws Exception {
    NodeWithSink node = null;
    SinkBackend sink = null;
    try {
      node = new NodeWithSink(dir, "");
      sink = node.sink(SinkMode.parse(mode));
      String timeout = mode.equals("hang") ? "1s" : "10s";
      node.writePipelines(pipeline(protocol, endpoint(sink, protocol), timeout, "60s"));
      awaitPipeline(node);
      sendSpans(node, 200);
      SinkBackend s = sink;
      NodeWithSink n = node;
      await().atMost(WAIT).until(() -> failedAttempts(s) >= 2);
      assertEquals(0, NodeWithSink.items(sink), "the sink took nothing while failing");
      assertEquals(0, node.metric("shoal_pipeline_items_exported_total", PIPELINE));
      sink.setMode(SinkMode.OK);
      await().atMost(WAIT).until(() -> NodeWithSink.items(s) >= 200);
      await()
          .atMost(WAIT)
          .until(() -> n.metric("shoal_pipeline_items_exported_total", PIPELINE) == 200);
      assertEquals(200, NodeWithSink.items(sink), "every span once: nothing lost, no duplicate");
      assertEquals(
          sink.counts().of(Signal.TRACES).requests(),
          node.metric("shoal_pipeline_batches_exported_total", PIPELINE));
      assertEquals(
          0, node.metric("shoal_pipeline_items_dropped_total", PIPELINE, "reason", "rejected"));
      assertEquals(
          0,
          node.metric(
              "shoal_pipeline_items_dropped_total", PIPELINE, "reason", "retries_exhausted"));
    } finally {
      close(node, sink);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"grpc", "http"})
  void aRejectionDropsTheBatchAtOnceAndCountsIt(String protocol) throws Exception {
    NodeWithSink node = null;
    SinkBackend sink = null;
    try {
      node = new NodeWithSink(dir, "");
      sink = node.sink(SinkMode.parse("reject-400"));
      node.writePipelines(pipeline(protocol, endpoint(sink, protocol), "10s", "60s"));
      awaitPipeline(node);
      sendSpans(node, 100);
      NodeWithSink n = node;
      await()
          .atMost(WAIT)
          .until(
              () ->
                  n.metric("shoal_pipeline_items_dropped_total", PIPELINE, "reason", "rejected")
                      == 100);
      long batches = sink.counts().of(Signal.TRACES).refused();
      assertEquals(0, sink.counts().of(Signal.TRACES).requests(), "the sink accepted nothing");
      assertEquals(0, node.metric("shoal_pipeline_items_exported_total", PIPELINE));
      // Rejections are not retried: the sink saw each batch exactly once.
      assertTrue(batches >= 1 && batches <= 100, "batches: " + batches);
      assertEquals(
          batches,
          node.metric("shoal_pipeline_export_duration_seconds_count", PIPELINE),
          "one attempt per batch");
    } finally {
      close(node, sink);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"grpc", "http"})
  void aBackendThatKeepsDroppingTheConnectionExhaustsTheRetries(String protocol) throws Exception {
    NodeWithSink node = null;
    SinkBackend sink = null;
    try {
      node = new NodeWithSink(dir, "");
      sink = node.sink(SinkMode.parse("drop"));
      node.writePipelines(pipeline(protocol, endpoint(sink, protocol), "10s", "2s"));
      awaitPipeline(node);
      sendSpans(node, 100);
      NodeWithSink n = node;
      await()
          .atMost(WAIT)
          .until(
              () ->
                  n.metric(
                          "shoal_pipeline_items_dropped_total",
                          PIPELINE,
                          "reason",
                          "retries_exhausted")
                      == 100);
      assertEquals(0, NodeWithSink.items(sink), "the sink took nothing");
      assertEquals(0, node.metric("shoal_pipeline_items_exported_total", PIPELINE));
      assertEquals(100, node.metric("shoal_pipeline_items_failed_total", PIPELINE));
      assertEquals(
          0, node.metric("shoal_pipeline_items_dropped_total", PIPELINE, "reason", "rejected"));
      assertEquals(
          0,
          node.metric("shoal_pipeline_items_dropped_total", PIPELINE, "reason", "export_failed"));
      // Each batch was tried more than once before it was given up.
      long batches = node.metric("shoal_pipeline_export_duration_seconds_count", PIPELINE);
      long attempts = sink.counts().of(Signal.TRACES).dropped();
      assertTrue(batches >= 1 && attempts > batches, batches + " batches, " + attempts + " drops");
    } finally {
      close(node, sink);
    }
  }

  /** Export attempts the sink answered with a failure, left unanswered or cut off. */
  private static long failedAttempts(SinkBackend sink) {
    SinkCounts.PerSignal traces = sink.counts().of(Signal.TRACES);
    return traces.refused() + traces.dropped();
  }

  static void awaitPipeline(NodeWithSink node) {
    await()
        .atMost(WAIT)
        .until(() -> node.metric("shoal_pipeline_queue_bytes_capacity", PIPELINE) > 0);
  }

  static void close(NodeWithSink node, SinkBackend sink) throws Exception {
    if (sink != null) sink.setMode(SinkMode.OK);
    if (node != null) node.close();
    if (sink != null) sink.stop();
  }
}
