package dev.shoal.pipeline.receiver;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real OpenTelemetry Java SDK sends spans, metrics and logs over OTLP/gRPC and
 * OTLP/HTTP-protobuf; every item must appear in the debug output with its attributes, resource and
 * scope intact.
 */
class OtelSdkIngestTest {
  @TempDir static Path debugDir;
  static ReceiverHarness node;

  @BeforeAll
  static void start() {
    node = new ReceiverHarness(debugDir, "shoal.pipeline.pipeline-defaults.batch.timeout = 50ms");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static io.opentelemetry.sdk.resources.Resource resource(String protocol) {
    return io.opentelemetry.sdk.resources.Resource.create(
        Attributes.of(
            stringKey("service.name"),
            "checkout-" + protocol,
            stringKey("k8s.namespace.name"),
            "shop"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void spansArriveWithAttributesResourceAndScope(String protocol) throws Exception {
    SpanExporter exporter =
        protocol.equals("grpc")
            ? OtlpGrpcSpanExporter.builder().setEndpoint(node.grpcEndpoint()).build()
            : OtlpHttpSpanExporter.builder()
                .setEndpoint(node.httpEndpoint() + "/v1/traces")
                .build();
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .setResource(resource(protocol))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    var tracer = tracing.get("shoal-test-" + protocol, "1.2.3");
    int count = 25;
    for (int i = 0; i < count; i++) {
      tracer
          .spanBuilder("GET /cart/" + protocol + "/" + i)
          .setAttribute("http.request.method", "GET")
          .setAttribute(longKey("item.index"), i)
          .startSpan()
          .end();
    }
    assertSucceeded(tracing.forceFlush());
    tracing.shutdown().join(10, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              List<Span> spans =
                  spansOf(protocol)
                      .filter(s -> s.getName().startsWith("GET /cart/" + protocol + "/"))
                      .toList();
              assertEquals(count, spans.size());
            });
    ResourceSpans rs =
        resourceSpans()
            .filter(r -> serviceName(r.getResource()).equals("checkout-" + protocol))
            .findFirst()
            .orElseThrow();
    assertEquals("shop", attribute(rs.getResource().getAttributesList(), "k8s.namespace.name"));
    ScopeSpans ss = rs.getScopeSpans(0);
    assertEquals("shoal-test-" + protocol, ss.getScope().getName());
    assertEquals("1.2.3", ss.getScope().getVersion());
    Span first =
        ss.getSpansList().stream()
            .filter(s -> s.getName().endsWith("/0"))
            .findFirst()
            .orElseThrow();
    assertEquals("GET", attribute(first.getAttributesList(), "http.request.method"));
    assertEquals(16, first.getTraceId().size());
    assertEquals(8, first.getSpanId().size());
    assertTrue(first.getEndTimeUnixNano() >= first.getStartTimeUnixNano());
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void metricsArriveWithTheirPoints(String protocol) throws Exception {
    MetricExporter exporter =
        protocol.equals("grpc")
            ? OtlpGrpcMetricExporter.builder().setEndpoint(node.grpcEndpoint()).build()
            : OtlpHttpMetricExporter.builder()
                .setEndpoint(node.httpEndpoint() + "/v1/metrics")
                .build();
    SdkMeterProvider metrics =
        SdkMeterProvider.builder()
            .setResource(resource(protocol))
            .registerMetricReader(
                PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
            .build();
    var meter = metrics.get("shoal-meter-" + protocol);
    var counter = meter.counterBuilder("orders." + protocol).setUnit("1").build();
    counter.add(3, Attributes.of(stringKey("payment"), "card"));
    counter.add(4, Attributes.of(stringKey("payment"), "cash"));
    assertSucceeded(metrics.forceFlush());
    metrics.shutdown().join(10, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              Optional<Metric> orders = metric("orders." + protocol);
              assertTrue(orders.isPresent(), "metric orders." + protocol + " not written yet");
              var points = orders.get().getSum().getDataPointsList();
              assertEquals(2, points.size());
              long card =
                  points.stream()
                      .filter(p -> attribute(p.getAttributesList(), "payment").equals("card"))
                      .findFirst()
                      .orElseThrow()
                      .getAsInt();
              assertEquals(3, card);
              assertTrue(orders.get().getSum().getIsMonotonic());
            });
    ResourceMetrics rm =
        ((List<ExportMetricsServiceRequest>) (List<?>) node.written(Signal.METRICS))
            .stream()
                .flatMap(r -> r.getResourceMetricsList().stream())
                .filter(r -> serviceName(r.getResource()).equals("checkout-" + protocol))
                .findFirst()
                .orElseThrow();
    ScopeMetrics sm =
        rm.getScopeMetricsList().stream()
            .filter(s -> s.getScope().getName().equals("shoal-meter-" + protocol))
            .findFirst()
            .orElseThrow();
    assertEquals("1", sm.getMetrics(0).getUnit());
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void logsArriveWithBodySeverityAndAttributes(String protocol) throws Exception {
    LogRecordExporter exporter =
        protocol.equals("grpc")
            ? OtlpGrpcLogRecordExporter.builder().setEndpoint(node.grpcEndpoint()).build()
            : OtlpHttpLogRecordExporter.builder()
                .setEndpoint(node.httpEndpoint() + "/v1/logs")
                .build();
    SdkLoggerProvider logging =
        SdkLoggerProvider.builder()
            .setResource(resource(protocol))
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())
            .build();
    var logger = logging.get("shoal-logger-" + protocol);
    for (int i = 0; i < 10; i++) {
      logger
          .logRecordBuilder()
          .setBody("order " + i + " via " + protocol)
          .setSeverity(Severity.WARN)
          .setAttribute(stringKey("order.id"), "o-" + i)
          .emit();
    }
    assertSucceeded(logging.forceFlush());
    logging.shutdown().join(10, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              List<LogRecord> records =
                  scopeLogs("shoal-logger-" + protocol)
                      .flatMap(s -> s.getLogRecordsList().stream())
                      .toList();
              assertEquals(10, records.size());
            });
    LogRecord third =
        scopeLogs("shoal-logger-" + protocol)
            .flatMap(s -> s.getLogRecordsList().stream())
            .filter(r -> r.getBody().getStringValue().equals("order 3 via " + protocol))
            .findFirst()
            .orElseThrow();
    assertEquals("o-3", attribute(third.getAttributesList(), "order.id"));
    assertEquals(13, third.getSeverityNumberValue()); // SEVERITY_NUMBER_WARN
    ResourceLogs rl =
        ((List<ExportLogsServiceRequest>) (List<?>) node.written(Signal.LOGS))
            .stream()
                .flatMap(r -> r.getResourceLogsList().stream())
                .filter(r -> serviceName(r.getResource()).equals("checkout-" + protocol))
                .findFirst()
                .orElseThrow();
    assertEquals("shop", attribute(rl.getResource().getAttributesList(), "k8s.namespace.name"));
  }

  private static void assertSucceeded(CompletableResultCode result) {
    result.join(15, TimeUnit.SECONDS);
    assertTrue(result.isSuccess(), "the SDK's export failed");
  }

  @SuppressWarnings("unchecked")
  private static Stream<ResourceSpans> resourceSpans() throws Exception {
    return ((List<ExportTraceServiceRequest>) (List<?>) node.written(Signal.TRACES))
        .stream().flatMap(r -> r.getResourceSpansList().stream());
  }

  private static Stream<Span> spansOf(String protocol) throws Exception {
    return resourceSpans()
        .filter(r -> serviceName(r.getResource()).equals("checkout-" + protocol))
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream());
  }

  @SuppressWarnings("unchecked")
  private static Optional<Metric> metric(String name) throws Exception {
    return ((List<ExportMetricsServiceRequest>) (List<?>) node.written(Signal.METRICS))
        .stream()
            .flatMap(r -> r.getResourceMetricsList().stream())
            .flatMap(r -> r.getScopeMetricsList().stream())
            .flatMap(s -> s.getMetricsList().stream())
            .filter(m -> m.getName().equals(name))
            .findFirst();
  }

  @SuppressWarnings("unchecked")
  private static Stream<ScopeLogs> scopeLogs(String scope) throws Exception {
    return ((List<ExportLogsServiceRequest>) (List<?>) node.written(Signal.LOGS))
        .stream()
            .flatMap(r -> r.getResourceLogsList().stream())
            .flatMap(r -> r.getScopeLogsList().stream())
            .filter(s -> s.getScope().getName().equals(scope));
  }

  static String serviceName(Resource resource) {
    return attribute(resource.getAttributesList(), "service.name");
  }

  static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }
}
