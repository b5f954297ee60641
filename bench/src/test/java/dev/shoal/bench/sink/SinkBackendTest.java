package dev.shoal.bench.sink;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.bench.BenchSystem;
import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real OpenTelemetry Java SDK exports to the sink over OTLP/gRPC and OTLP/HTTP: the sink counts
 * every span, data point and log record exactly, and its modes make the SDK's exports fail and
 * succeed again.
 */
class SinkBackendTest {
  private static ActorSystem<Void> system;
  private static final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private SinkBackend sink;

  @BeforeAll
  static void startSystem() {
    system = BenchSystem.create("sink-test");
  }

  @AfterAll
  static void stopSystem() {
    BenchSystem.terminate(system, Duration.ofSeconds(10));
  }

  @BeforeEach
  void startSink() {
    sink =
        SinkBackend.start(
            system, "127.0.0.1", 0, 0, SinkMode.OK, SinkBackend.Connections.DROPPABLE);
  }

  @AfterEach
  void stopSink() {
    sink.stop();
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void countsEverySpanTheSdkExports(String protocol) {
    SpanExporter exporter = spanExporter(protocol);
    List<SpanData> spans = spans(137);
    assertSucceeded(exporter.export(spans.subList(0, 100)));
    assertSucceeded(exporter.export(spans.subList(100, 137)));
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    SinkCounts.PerSignal traces = sink.counts().of(Signal.TRACES);
    assertEquals(137, traces.items());
    assertEquals(2, traces.requests());
    assertEquals(0, traces.refused() + traces.invalid());
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void countsEveryDataPointTheSdkExports(String protocol) {
    MetricExporter otlp =
        protocol.equals("grpc")
            ? OtlpGrpcMetricExporter.builder().setEndpoint(sink.grpcEndpoint()).build()
            : OtlpHttpMetricExporter.builder()
                .setEndpoint(sink.httpEndpoint() + "/v1/metrics")
                .build();
    // The SDK may add metrics of its own: count the points it actually exports.
    long[] exported = new long[1];
    MetricExporter exporter =
        new MetricExporter() {
          @Override
          public CompletableResultCode export(Collection<MetricData> metrics) {
            metrics.forEach(m -> exported[0] += m.getData().getPoints().size());
            return otlp.export(metrics);
          }

          @Override
          public CompletableResultCode flush() {
            return otlp.flush();
          }

          @Override
          public CompletableResultCode shutdown() {
            return otlp.shutdown();
          }

          @Override
          public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return otlp.getAggregationTemporality(type);
          }
        };
    SdkMeterProvider metrics =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
            .build();
    var meter = metrics.get("sink-test");
    var counter = meter.counterBuilder("orders").build();
    counter.add(1, Attributes.of(stringKey("payment"), "card"));
    counter.add(2, Attributes.of(stringKey("payment"), "cash"));
    var latency = meter.histogramBuilder("latency").build();
    for (String route : List.of("/a", "/b", "/c")) {
      latency.record(12.5, Attributes.of(stringKey("route"), route));
    }
    assertSucceeded(metrics.forceFlush());
    metrics.shutdown().join(10, TimeUnit.SECONDS);

    assertTrue(exported[0] >= 5, "2 sum points and 3 histogram points, at least");
    assertEquals(exported[0], sink.counts().items(Signal.METRICS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void countsEveryLogRecordTheSdkExports(String protocol) {
    LogRecordExporter exporter =
        protocol.equals("grpc")
            ? OtlpGrpcLogRecordExporter.builder().setEndpoint(sink.grpcEndpoint()).build()
            : OtlpHttpLogRecordExporter.builder()
                .setEndpoint(sink.httpEndpoint() + "/v1/logs")
                .build();
    SdkLoggerProvider logging =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())
            .build();
    var logger = logging.get("sink-test");
    for (int i = 0; i < 7; i++) logger.logRecordBuilder().setBody("record " + i).emit();
    assertSucceeded(logging.forceFlush());
    logging.shutdown().join(10, TimeUnit.SECONDS);

    assertEquals(7, sink.counts().items(Signal.LOGS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void failingModeFailsTheSdksExportsUntilItRecovers(String protocol) {
    SpanExporter exporter = spanExporter(protocol);
    sink.setMode(SinkMode.parse("fail-503"));
    CompletableResultCode failed = exporter.export(spans(10));
    failed.join(15, TimeUnit.SECONDS);
    assertTrue(failed.isDone());
    assertFalse(failed.isSuccess(), "the export succeeded although the sink fails");
    assertEquals(0, sink.counts().items(Signal.TRACES));
    assertEquals(1, sink.counts().of(Signal.TRACES).refused());

    sink.setMode(SinkMode.OK);
    assertSucceeded(exporter.export(spans(10)));
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    assertEquals(10, sink.counts().items(Signal.TRACES));
  }

  @Test
  void modeChangesOverHttpAndThrottlingSaysWhenToRetry() throws Exception {
    assertEquals(200, post("/mode?m=throttle-429").statusCode());
    HttpResponse<String> throttled = post("/v1/traces");
    assertEquals(429, throttled.statusCode());
    assertEquals("1", throttled.headers().firstValue("Retry-After").orElse(""));

    assertEquals(200, post("/mode?m=reject-400").statusCode());
    assertEquals(400, post("/v1/traces").statusCode());

    assertEquals(400, post("/mode?m=sometimes").statusCode());
    assertEquals(200, post("/mode?m=delay:20").statusCode());
    assertEquals(SinkMode.parse("delay:20"), sink.mode());

    HttpResponse<String> counts =
        http.send(
            HttpRequest.newBuilder(URI.create(sink.httpEndpoint() + "/counts")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, counts.statusCode());
    assertTrue(counts.body().startsWith("{\"mode\":\"delay:20\""), counts.body());
    assertTrue(
        counts
            .body()
            .contains(
                "\"traces\":{\"requests\":0,\"items\":0,\"refused\":2,\"dropped\":0,\"invalid\":0}"),
        counts.body());
  }

  @Test
  void delayModeStillCountsWhatItAccepts() {
    sink.setMode(SinkMode.parse("delay:300"));
    SpanExporter exporter = spanExporter("grpc");
    long start = System.nanoTime();
    assertSucceeded(exporter.export(spans(3)));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    assertEquals(3, sink.counts().items(Signal.TRACES));
  }

  @Test
  void hangModeLeavesTheClientToItsTimeout() {
    sink.setMode(SinkMode.parse("hang"));
    SpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(sink.grpcEndpoint())
            .setRetryPolicy(null)
            .setTimeout(Duration.ofMillis(500))
            .build();
    CompletableResultCode result = exporter.export(spans(2));
    result.join(10, TimeUnit.SECONDS);
    assertTrue(result.isDone());
    assertFalse(result.isSuccess());
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    assertEquals(0, sink.counts().items(Signal.TRACES));
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void dropModeCutsTheConnectionWithoutAnAnswer(String protocol) {
    SpanExporter exporter = spanExporter(protocol);
    assertSucceeded(exporter.export(spans(1)));
    sink.setMode(SinkMode.parse("drop"));
    long start = System.nanoTime();
    CompletableResultCode dropped = exporter.export(spans(10));
    dropped.join(15, TimeUnit.SECONDS);
    assertTrue(dropped.isDone());
    assertFalse(dropped.isSuccess(), "the export succeeded although the sink drops");
    // The client learns at once, not at its 10 s timeout.
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    SinkCounts.PerSignal traces = sink.counts().of(Signal.TRACES);
    // OkHttp and grpc-java may resend once on a fresh connection when one breaks: at least one.
    assertTrue(traces.dropped() >= 1, "dropped: " + traces.dropped());
    assertEquals(0, traces.refused());
    assertEquals(1, traces.items());

    sink.setMode(SinkMode.OK);
    assertSucceeded(exporter.export(spans(10)));
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    assertEquals(11, sink.counts().items(Signal.TRACES));
  }

  @Test
  void droppingAnHttpConnectionSendsNotOneByte() throws Exception {
    sink.setMode(SinkMode.parse("drop"));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sink.httpPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /v1/traces HTTP/1.1\r\nHost: sink\r\n"
                      + "Content-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      int first;
      try {
        first = socket.getInputStream().read();
      } catch (SocketException reset) {
        first = -1;
      }
      assertEquals(-1, first, "the sink answered instead of dropping the connection");
    }
    assertEquals(1, sink.counts().of(Signal.TRACES).dropped());
  }

  @Test
  void aSinkWithDirectConnectionsRefusesToDrop() throws Exception {
    SinkBackend direct = SinkBackend.start(system, "127.0.0.1", 0, 0, SinkMode.OK);
    try {
      assertThrows(IllegalArgumentException.class, () -> direct.setMode(SinkMode.parse("drop")));
      HttpResponse<String> refused =
          http.send(
              HttpRequest.newBuilder(URI.create(direct.httpEndpoint() + "/mode?m=drop"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(400, refused.statusCode());
      assertTrue(refused.body().contains("--droppable"), refused.body());
      assertEquals(SinkMode.OK, direct.mode());
    } finally {
      direct.stop();
    }
  }

  @Test
  void anUnreadableBodyIsRejectedAndCountedAsInvalid() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(sink.httpEndpoint() + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x0a, 0x7f, 0x01}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, response.statusCode());
    assertEquals(1, sink.counts().of(Signal.TRACES).invalid());
    assertEquals(0, sink.counts().of(Signal.TRACES).requests());
  }

  private HttpResponse<String> post(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sink.httpEndpoint() + pathAndQuery))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An exporter without retries, so a failure shows at once. */
  private SpanExporter spanExporter(String protocol) {
    return protocol.equals("grpc")
        ? OtlpGrpcSpanExporter.builder()
            .setEndpoint(sink.grpcEndpoint())
            .setRetryPolicy(null)
            .setTimeout(Duration.ofSeconds(10))
            .build()
        : OtlpHttpSpanExporter.builder()
            .setEndpoint(sink.httpEndpoint() + "/v1/traces")
            .setRetryPolicy(null)
            .setTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** Real SDK spans, recorded by a processor instead of being exported. */
  private static List<SpanData> spans(int count) {
    List<SpanData> ended = new ArrayList<>();
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                new SpanProcessor() {
                  @Override
                  public void onStart(io.opentelemetry.context.Context c, ReadWriteSpan span) {}

                  @Override
                  public boolean isStartRequired() {
                    return false;
                  }

                  @Override
                  public void onEnd(ReadableSpan span) {
                    ended.add(span.toSpanData());
                  }

                  @Override
                  public boolean isEndRequired() {
                    return true;
                  }
                })
            .build();
    var tracer = tracing.get("sink-test");
    for (int i = 0; i < count; i++) {
      tracer.spanBuilder("GET /item/" + i).setAttribute("item.index", i).startSpan().end();
    }
    tracing.close();
    return ended;
  }

  private static void assertSucceeded(CompletableResultCode result) {
    result.join(15, TimeUnit.SECONDS);
    assertTrue(result.isSuccess(), "the SDK's export failed");
  }
}
