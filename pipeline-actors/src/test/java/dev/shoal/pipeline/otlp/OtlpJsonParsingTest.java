package dev.shoal.pipeline.otlp;

import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.LINKED_SPAN_ID;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.LINKED_TRACE_ID;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.LOGS;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.METRICS;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.PARENT_SPAN_ID;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.SPAN_ID;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.TRACES;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.TRACE_ID;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading OTLP/JSON for each signal: hex ids, field names, unknown fields. */
class OtlpJsonParsingTest {

  @Test
  void readsTraceIdsAsHexAndEverythingElseAsProtobufJson() throws Exception {
    ExportTraceServiceRequest request =
        OtlpJson.merge(utf8(TRACES), ExportTraceServiceRequest.newBuilder()).build();

    List<KeyValue> resource = request.getResourceSpans(0).getResource().getAttributesList();
    assertEquals("checkout", resource.get(0).getValue().getStringValue());
    assertEquals(8, resource.get(1).getValue().getIntValue());
    assertEquals("my.library", request.getResourceSpans(0).getScopeSpans(0).getScope().getName());

    List<Span> spans = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
    Span span = spans.get(0);
    assertArrayEquals(TRACE_ID, span.getTraceId().toByteArray());
    assertArrayEquals(SPAN_ID, span.getSpanId().toByteArray());
    assertArrayEquals(PARENT_SPAN_ID, span.getParentSpanId().toByteArray());
    assertEquals("GET /cart", span.getName());
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.getKind());
    assertEquals(1544712660000000000L, span.getStartTimeUnixNano());
    assertEquals(1544712661000000001L, span.getEndTimeUnixNano());
    assertEquals(257, span.getFlags());
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getCode());
    assertEquals("boom", span.getStatus().getMessage());
    assertEquals("exception", span.getEvents(0).getName());
    assertEquals(1544712660500000000L, span.getEvents(0).getTimeUnixNano());
    assertEquals("IOError", span.getEvents(0).getAttributes(0).getValue().getStringValue());
    assertArrayEquals(LINKED_TRACE_ID, span.getLinks(0).getTraceId().toByteArray());
    assertArrayEquals(LINKED_SPAN_ID, span.getLinks(0).getSpanId().toByteArray());
    assertTrue(span.getLinks(0).getAttributes(0).getValue().getBoolValue());

    Span root = spans.get(1);
    assertArrayEquals(TRACE_ID, root.getTraceId().toByteArray());
    assertArrayEquals(LINKED_SPAN_ID, root.getSpanId().toByteArray());
    assertTrue(root.getParentSpanId().isEmpty());
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, root.getKind());
    assertEquals(Status.StatusCode.STATUS_CODE_OK, root.getStatus().getCode());
  }

  @Test
  void readsProtoFieldNamesAsWellAsJsonNames() throws Exception {
    String json =
        """
        {"resource_spans": [{"scope_spans": [{"spans": [{
          "trace_id": "5b8efff798038103d269b633813fc60c",
          "span_id": "eee19b7ec3c1b174",
          "parent_span_id": "eee19b7ec3c1b173",
          "start_time_unix_nano": "1544712660000000000"
        }]}]}]}
        """;

    Span span =
        OtlpJson.merge(utf8(json), ExportTraceServiceRequest.newBuilder())
            .build()
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);

    assertArrayEquals(TRACE_ID, span.getTraceId().toByteArray());
    assertArrayEquals(SPAN_ID, span.getSpanId().toByteArray());
    assertArrayEquals(PARENT_SPAN_ID, span.getParentSpanId().toByteArray());
    assertEquals(1544712660000000000L, span.getStartTimeUnixNano());
  }

  @Test
  void readsMetricsWithExemplarIdsAsHex() throws Exception {
    ExportMetricsServiceRequest request =
        OtlpJson.merge(utf8(METRICS), ExportMetricsServiceRequest.newBuilder()).build();

    List<Metric> metrics = request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
    NumberDataPoint gaugePoint = metrics.get(0).getGauge().getDataPoints(0);
    assertEquals(21.5, gaugePoint.getAsDouble());
    assertEquals(1544712660300000000L, gaugePoint.getTimeUnixNano());

    NumberDataPoint sumPoint = metrics.get(1).getSum().getDataPoints(0);
    assertEquals(9007199254740993L, sumPoint.getAsInt(), "64-bit value read without rounding");
    assertEquals(1544712660000000000L, sumPoint.getStartTimeUnixNano());
    assertEquals(200, sumPoint.getAttributes(0).getValue().getIntValue());
    assertTrue(metrics.get(1).getSum().getIsMonotonic());
    assertEquals(
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        metrics.get(1).getSum().getAggregationTemporality());

    HistogramDataPoint histogramPoint = metrics.get(2).getHistogram().getDataPoints(0);
    assertEquals(
        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
        metrics.get(2).getHistogram().getAggregationTemporality());
    assertEquals(6, histogramPoint.getCount());
    assertEquals(12.5, histogramPoint.getSum());
    assertEquals(List.of(1L, 2L, 3L), histogramPoint.getBucketCountsList());
    assertEquals(List.of(1.0, 5.0), histogramPoint.getExplicitBoundsList());
    Exemplar exemplar = histogramPoint.getExemplars(0);
    assertEquals(4.2, exemplar.getAsDouble());
    assertArrayEquals(TRACE_ID, exemplar.getTraceId().toByteArray());
    assertArrayEquals(SPAN_ID, exemplar.getSpanId().toByteArray());
    assertEquals("u1", exemplar.getFilteredAttributes(0).getValue().getStringValue());
  }

  @Test
  void readsLogsWithHexIdsAndBase64Bytes() throws Exception {
    ExportLogsServiceRequest request =
        OtlpJson.merge(utf8(LOGS), ExportLogsServiceRequest.newBuilder()).build();

    List<LogRecord> records = request.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    LogRecord record = records.get(0);
    assertEquals(1544712660300000000L, record.getTimeUnixNano());
    assertEquals(1544712660300000001L, record.getObservedTimeUnixNano());
    assertEquals(SeverityNumber.SEVERITY_NUMBER_INFO, record.getSeverityNumber());
    assertEquals("Information", record.getSeverityText());
    assertArrayEquals(TRACE_ID, record.getTraceId().toByteArray());
    assertArrayEquals(SPAN_ID, record.getSpanId().toByteArray());
    assertEquals("cart checked out", record.getBody().getStringValue());
    assertArrayEquals(
        new byte[] {1, 2, 3}, record.getAttributes(0).getValue().getBytesValue().toByteArray());

    LogRecord untraced = records.get(1);
    assertEquals(SeverityNumber.SEVERITY_NUMBER_ERROR, untraced.getSeverityNumber());
    assertTrue(untraced.getTraceId().isEmpty());
    assertTrue(untraced.getSpanId().isEmpty());
  }

  @Test
  void readsProfileLinkIdsAsHex() throws Exception {
    String json =
        """
        {"dictionary": {"linkTable": [
          {},
          {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174"}
        ]}}
        """;

    ExportProfilesServiceRequest request =
        OtlpJson.merge(utf8(json), ExportProfilesServiceRequest.newBuilder()).build();

    assertArrayEquals(TRACE_ID, request.getDictionary().getLinkTable(1).getTraceId().toByteArray());
    assertArrayEquals(SPAN_ID, request.getDictionary().getLinkTable(1).getSpanId().toByteArray());
    assertEquals(
        request,
        OtlpJson.merge(utf8(OtlpJson.print(request)), request.newBuilderForType()).build());
  }

  @Test
  void ignoresUnknownFieldsAtEveryLevel() throws Exception {
    String json =
        """
        {
          "futureTopLevel": {"traceId": "not hex, and not ours to check"},
          "resourceSpans": [{
            "resource": {"attributes": [], "entityRefs2": [1, 2]},
            "futureResourceField": null,
            "scopeSpans": [{
              "scope": {"name": "lib", "futureScopeField": true},
              "spans": [{
                "traceId": "5b8efff798038103d269b633813fc60c",
                "spanId": "eee19b7ec3c1b174",
                "futureSpanField": {"nested": [{"deeper": "x"}]},
                "status": {"code": 1, "futureStatusField": 3.5},
                "links": [{"spanId": "eee19b7ec3c1b173", "futureLinkField": "y"}]
              }]
            }]
          }]
        }
        """;

    Span span =
        OtlpJson.merge(utf8(json), ExportTraceServiceRequest.newBuilder())
            .build()
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);

    assertArrayEquals(TRACE_ID, span.getTraceId().toByteArray());
    assertEquals(Status.StatusCode.STATUS_CODE_OK, span.getStatus().getCode());
    assertArrayEquals(PARENT_SPAN_ID, span.getLinks(0).getSpanId().toByteArray());
  }
}
