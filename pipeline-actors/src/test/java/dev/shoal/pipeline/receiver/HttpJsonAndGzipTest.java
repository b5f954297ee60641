package dev.shoal.pipeline.receiver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/HTTP takes the OTLP JSON encoding (hex ids, enum names, 64-bit integers as strings, fields
 * from newer OTLP versions) and gzip-compressed bodies of either encoding, for all three signals,
 * and writes exactly what was sent.
 */
class HttpJsonAndGzipTest {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN_ID = "eee19b7ec3c1b174";
  private static final String PARENT_SPAN_ID = "eee19b7ec3c1b173";

  @TempDir static Path debugDir;
  static ReceiverHarness node;
  static HttpClient client;

  @BeforeAll
  static void start() {
    node =
        new ReceiverHarness(
            debugDir,
            "shoal.pipeline.receiver.max-request-bytes = 64KiB\n"
                + "shoal.pipeline.pipeline-defaults.batch.timeout = 50ms");
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stop() {
    // Drained first, so that stopping the node does not abort running pipelines.
    node.drain();
    node.close();
  }

  private static String traceJson(String spanName) {
    // Hex ids, the kind as an enum name, and fields this build of OTLP does not know.
    return """
        {"resourceSpans": [{
          "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "json-checkout"}}]},
          "scopeSpans": [{
            "scope": {"name": "json-scope", "version": "0.9"},
            "spans": [{
              "traceId": "%s",
              "spanId": "%s",
              "parentSpanId": "%s",
              "name": "%s",
              "kind": "SPAN_KIND_SERVER",
              "startTimeUnixNano": "1700000000000000000",
              "endTimeUnixNano": "1700000000250000000",
              "attributes": [
                {"key": "http.request.method", "value": {"stringValue": "GET"}},
                {"key": "retries", "value": {"intValue": "3"}},
                {"key": "ratio", "value": {"doubleValue": 0.5}}],
              "someFieldFromTheFuture": {"nested": [1, 2, 3]}
            }]
          }]
        }],
        "anotherUnknownField": true}
        """
        .formatted(TRACE_ID, SPAN_ID, PARENT_SPAN_ID, spanName);
  }

  @Test
  void aJsonTraceRequestIsAcceptedAndWrittenWithItsIdsAndAttributes() throws Exception {
    HttpResponse<byte[]> response = post("/v1/traces", JSON, utf8(traceJson("json-span")), false);

    assertEquals(200, response.statusCode());
    assertEquals(JSON, mediaType(response));
    assertEquals("{}", new String(response.body(), StandardCharsets.UTF_8));

    ResourceSpans written = awaitResourceSpans("json-span");
    assertEquals("json-checkout", OtelSdkIngestTest.serviceName(written.getResource()), "resource");
    assertEquals("json-scope", written.getScopeSpans(0).getScope().getName());
    assertEquals("0.9", written.getScopeSpans(0).getScope().getVersion());
    Span span = written.getScopeSpans(0).getSpans(0);
    HexFormat hex = HexFormat.of();
    assertArrayEquals(hex.parseHex(TRACE_ID), span.getTraceId().toByteArray());
    assertArrayEquals(hex.parseHex(SPAN_ID), span.getSpanId().toByteArray());
    assertArrayEquals(hex.parseHex(PARENT_SPAN_ID), span.getParentSpanId().toByteArray());
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.getKind());
    assertEquals(1_700_000_000_000_000_000L, span.getStartTimeUnixNano());
    assertEquals(1_700_000_000_250_000_000L, span.getEndTimeUnixNano());
    assertEquals(
        List.of(
            attribute("http.request.method", AnyValue.newBuilder().setStringValue("GET")),
            attribute("retries", AnyValue.newBuilder().setIntValue(3)),
            attribute("ratio", AnyValue.newBuilder().setDoubleValue(0.5))),
        span.getAttributesList());
    // The unknown fields were dropped, not kept as protobuf unknown fields.
    assertTrue(span.getUnknownFields().asMap().isEmpty());
  }

  @Test
  void aGzipProtobufRequestIsAcceptedAndWritten() throws Exception {
    ExportTraceServiceRequest request = SampleRequests.traces("gzip-protobuf");

    HttpResponse<byte[]> response =
        post("/v1/traces", PROTOBUF, SampleRequests.gzip(request.toByteArray()), true);

    assertEquals(200, response.statusCode());
    assertEquals(PROTOBUF, mediaType(response));
    assertFalse(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess());
    ResourceSpans written = awaitResourceSpans("gzip-protobuf");
    assertEquals(request.getResourceSpans(0), written, "written exactly as sent");
  }

  @Test
  void aGzipJsonRequestIsAcceptedAndWritten() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/traces", JSON, SampleRequests.gzip(utf8(traceJson("gzip-json"))), true);

    assertEquals(200, response.statusCode());
    assertEquals(JSON, mediaType(response));
    assertEquals("{}", new String(response.body(), StandardCharsets.UTF_8));
    Span span = awaitResourceSpans("gzip-json").getScopeSpans(0).getSpans(0);
    assertArrayEquals(HexFormat.of().parseHex(TRACE_ID), span.getTraceId().toByteArray());
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.getKind());
  }

  @Test
  void aJsonMetricsRequestIsAcceptedAndWritten() throws Exception {
    String json =
        """
        {"resourceMetrics": [{
          "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "json-metrics"}}]},
          "scopeMetrics": [{
            "scope": {"name": "json-meter"},
            "metrics": [
              {"name": "json.requests", "unit": "1",
               "sum": {"aggregationTemporality": "AGGREGATION_TEMPORALITY_CUMULATIVE",
                       "isMonotonic": true,
                       "dataPoints": [{
                         "asInt": "42",
                         "startTimeUnixNano": "1700000000000000000",
                         "timeUnixNano": "1700000010000000000",
                         "attributes": [{"key": "route", "value": {"stringValue": "/cart"}}]}]}},
              {"name": "json.temperature", "unit": "Cel",
               "gauge": {"dataPoints": [{"asDouble": 21.5,
                                         "timeUnixNano": "1700000010000000000"}]}}]
          }]
        }]}
        """;

    HttpResponse<byte[]> response = post("/v1/metrics", JSON, utf8(json), false);

    assertEquals(200, response.statusCode());
    assertEquals(JSON, mediaType(response));
    assertEquals("{}", new String(response.body(), StandardCharsets.UTF_8));
    Metric requests = awaitMetric("json.requests");
    assertTrue(requests.getSum().getIsMonotonic());
    assertEquals(42, requests.getSum().getDataPoints(0).getAsInt());
    assertEquals(1_700_000_010_000_000_000L, requests.getSum().getDataPoints(0).getTimeUnixNano());
    assertEquals(
        List.of(attribute("route", AnyValue.newBuilder().setStringValue("/cart"))),
        requests.getSum().getDataPoints(0).getAttributesList());
    assertEquals(21.5, awaitMetric("json.temperature").getGauge().getDataPoints(0).getAsDouble());
  }

  @Test
  void aJsonLogsRequestIsAcceptedAndWritten() throws Exception {
    String json =
        """
        {"resourceLogs": [{
          "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "json-logs"}}]},
          "scopeLogs": [{
            "scope": {"name": "json-logger"},
            "logRecords": [{
              "timeUnixNano": "1700000000000000000",
              "severityNumber": 13,
              "severityText": "WARN",
              "body": {"stringValue": "payment declined"},
              "traceId": "%s",
              "spanId": "%s",
              "attributes": [{"key": "order.id", "value": {"stringValue": "o-7"}}]
            }]
          }]
        }]}
        """
            .formatted(TRACE_ID, SPAN_ID);

    HttpResponse<byte[]> response = post("/v1/logs", JSON, utf8(json), false);

    assertEquals(200, response.statusCode());
    assertEquals(JSON, mediaType(response));
    assertEquals("{}", new String(response.body(), StandardCharsets.UTF_8));
    LogRecord record = awaitLogRecord("payment declined");
    assertEquals(13, record.getSeverityNumberValue());
    assertEquals("WARN", record.getSeverityText());
    assertArrayEquals(HexFormat.of().parseHex(TRACE_ID), record.getTraceId().toByteArray());
    assertArrayEquals(HexFormat.of().parseHex(SPAN_ID), record.getSpanId().toByteArray());
    assertEquals(
        List.of(attribute("order.id", AnyValue.newBuilder().setStringValue("o-7"))),
        record.getAttributesList());
  }

  /** The resource whose (only) span has the given name, once the debug output has written it. */
  @SuppressWarnings("unchecked")
  private static ResourceSpans awaitResourceSpans(String spanName) {
    return awaitWritten(
        Signal.TRACES,
        requests ->
            ((List<ExportTraceServiceRequest>) requests)
                .stream()
                    .flatMap(r -> r.getResourceSpansList().stream())
                    .filter(
                        r ->
                            r.getScopeSpansList().stream()
                                .flatMap(s -> s.getSpansList().stream())
                                .anyMatch(s -> s.getName().equals(spanName)))
                    .findFirst());
  }

  @SuppressWarnings("unchecked")
  private static Metric awaitMetric(String name) {
    return awaitWritten(
        Signal.METRICS,
        requests ->
            ((List<ExportMetricsServiceRequest>) requests)
                .stream()
                    .flatMap(r -> r.getResourceMetricsList().stream())
                    .flatMap(r -> r.getScopeMetricsList().stream())
                    .flatMap(s -> s.getMetricsList().stream())
                    .filter(m -> m.getName().equals(name))
                    .findFirst());
  }

  @SuppressWarnings("unchecked")
  private static LogRecord awaitLogRecord(String body) {
    return awaitWritten(
        Signal.LOGS,
        requests ->
            ((List<ExportLogsServiceRequest>) requests)
                .stream()
                    .flatMap(r -> r.getResourceLogsList().stream())
                    .flatMap(r -> r.getScopeLogsList().stream())
                    .flatMap(s -> s.getLogRecordsList().stream())
                    .filter(l -> l.getBody().getStringValue().equals(body))
                    .findFirst());
  }

  private interface Finder<T> {
    Optional<T> find(List<? extends Message> requests);
  }

  private static <T> T awaitWritten(Signal signal, Finder<T> finder) {
    AtomicReference<T> found = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Optional<T> item = finder.find(node.written(signal));
              assertTrue(item.isPresent(), "not written to the " + signal.id() + " output yet");
              found.set(item.get());
            });
    return found.get();
  }

  private static KeyValue attribute(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static HttpResponse<byte[]> post(
      String path, String contentType, byte[] body, boolean gzip) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(node.httpEndpoint() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(BodyPublishers.ofByteArray(body));
    if (gzip) request.header("Content-Encoding", "gzip");
    return client.send(request.build(), BodyHandlers.ofByteArray());
  }

  private static String mediaType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
