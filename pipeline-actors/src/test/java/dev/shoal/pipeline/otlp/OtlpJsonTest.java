package dev.shoal.pipeline.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

  private static final byte[] TRACE_ID = {
    0x5b,
    (byte) 0x8e,
    (byte) 0xff,
    (byte) 0xf7,
    (byte) 0x98,
    0x03,
    (byte) 0x81,
    0x03,
    (byte) 0xd2,
    0x69,
    (byte) 0xb6,
    0x33,
    (byte) 0x81,
    0x3f,
    (byte) 0xc6,
    0x0c
  };
  private static final byte[] SPAN_ID = {
    (byte) 0xee, (byte) 0xe1, (byte) 0x9b, 0x7e, (byte) 0xc3, (byte) 0xc1, (byte) 0xb1, 0x74
  };
  private static final byte[] PARENT_SPAN_ID = {
    (byte) 0xee, (byte) 0xe1, (byte) 0x9b, 0x7e, (byte) 0xc3, (byte) 0xc1, (byte) 0xb1, 0x73
  };
  private static final byte[] LINKED_TRACE_ID = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, (byte) 0xff
  };
  private static final byte[] LINKED_SPAN_ID = {(byte) 0xa0, 1, 2, 3, 4, 5, 6, (byte) 0xb7};

  /** Modelled on the example in the OTLP specification, with ids in upper and lower case. */
  private static final String TRACES =
      """
      {
        "resourceSpans": [{
          "resource": {
            "attributes": [
              {"key": "service.name", "value": {"stringValue": "checkout"}},
              {"key": "host.cpus", "value": {"intValue": "8"}}
            ]
          },
          "scopeSpans": [{
            "scope": {"name": "my.library", "version": "1.0.0"},
            "spans": [
              {
                "traceId": "5B8EFFF798038103D269B633813FC60C",
                "spanId": "eee19b7ec3c1b174",
                "parentSpanId": "EEE19B7EC3C1B173",
                "name": "GET /cart",
                "kind": 2,
                "startTimeUnixNano": "1544712660000000000",
                "endTimeUnixNano": 1544712661000000001,
                "flags": 257,
                "status": {"code": 2, "message": "boom"},
                "events": [{
                  "timeUnixNano": "1544712660500000000",
                  "name": "exception",
                  "attributes": [{"key": "exception.type", "value": {"stringValue": "IOError"}}]
                }],
                "links": [{
                  "traceId": "000102030405060708090a0b0c0d0eff",
                  "spanId": "a0010203040506b7",
                  "attributes": [{"key": "why", "value": {"boolValue": true}}]
                }]
              },
              {
                "traceId": "5b8efff798038103d269b633813fc60c",
                "spanId": "a0010203040506b7",
                "parentSpanId": "",
                "name": "root",
                "kind": "SPAN_KIND_SERVER",
                "status": {"code": "STATUS_CODE_OK"}
              }
            ]
          }]
        }]
      }
      """;

  private static final String METRICS =
      """
      {
        "resourceMetrics": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "s"}}]},
          "scopeMetrics": [{
            "scope": {"name": "meter"},
            "metrics": [
              {
                "name": "temperature",
                "unit": "Cel",
                "gauge": {"dataPoints": [{"asDouble": 21.5, "timeUnixNano": "1544712660300000000"}]}
              },
              {
                "name": "requests",
                "sum": {
                  "aggregationTemporality": 2,
                  "isMonotonic": true,
                  "dataPoints": [{
                    "asInt": "9007199254740993",
                    "startTimeUnixNano": 1544712660000000000,
                    "timeUnixNano": "1544712660300000000",
                    "attributes": [{"key": "code", "value": {"intValue": 200}}]
                  }]
                }
              },
              {
                "name": "latency",
                "histogram": {
                  "aggregationTemporality": "AGGREGATION_TEMPORALITY_DELTA",
                  "dataPoints": [{
                    "count": "6",
                    "sum": 12.5,
                    "bucketCounts": ["1", 2, "3"],
                    "explicitBounds": [1, 5],
                    "timeUnixNano": "1544712660300000000",
                    "exemplars": [{
                      "asDouble": 4.2,
                      "timeUnixNano": "1544712660200000000",
                      "spanId": "EEE19B7EC3C1B174",
                      "traceId": "5b8efff798038103d269b633813fc60c",
                      "filteredAttributes": [{"key": "user", "value": {"stringValue": "u1"}}]
                    }]
                  }]
                }
              }
            ]
          }]
        }]
      }
      """;

  private static final String LOGS =
      """
      {
        "resourceLogs": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "s"}}]},
          "scopeLogs": [{
            "scope": {"name": "logger"},
            "logRecords": [
              {
                "timeUnixNano": "1544712660300000000",
                "observedTimeUnixNano": 1544712660300000001,
                "severityNumber": "SEVERITY_NUMBER_INFO",
                "severityText": "Information",
                "traceId": "5b8efff798038103d269b633813fc60c",
                "spanId": "eee19b7ec3c1b174",
                "body": {"stringValue": "cart checked out"},
                "attributes": [{"key": "payload", "value": {"bytesValue": "AQID"}}]
              },
              {"severityNumber": 17, "body": {"stringValue": "no trace context"}}
            ]
          }]
        }]
      }
      """;

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

  @Test
  void printThenMergeGivesBackEachSignal() throws Exception {
    assertRoundTrips(OtlpJson.merge(utf8(TRACES), ExportTraceServiceRequest.newBuilder()).build());
    assertRoundTrips(
        OtlpJson.merge(utf8(METRICS), ExportMetricsServiceRequest.newBuilder()).build());
    assertRoundTrips(OtlpJson.merge(utf8(LOGS), ExportLogsServiceRequest.newBuilder()).build());
  }

  @Test
  void printWritesLowercaseHexIdsOnOneLine() throws Exception {
    ExportTraceServiceRequest request =
        OtlpJson.merge(utf8(TRACES), ExportTraceServiceRequest.newBuilder()).build();

    String json = OtlpJson.print(request);

    assertFalse(json.contains("\n"), json);
    assertTrue(json.contains("\"traceId\":\"5b8efff798038103d269b633813fc60c\""), json);
    assertTrue(json.contains("\"spanId\":\"eee19b7ec3c1b174\""), json);
    assertTrue(json.contains("\"parentSpanId\":\"eee19b7ec3c1b173\""), json);
    assertTrue(json.contains("\"traceId\":\"000102030405060708090a0b0c0d0eff\""), json);
    assertTrue(json.contains("\"spanId\":\"a0010203040506b7\""), json);
    assertFalse(json.contains(Base64.getEncoder().encodeToString(TRACE_ID)), json);
    assertFalse(json.contains(Base64.getEncoder().encodeToString(SPAN_ID)), json);
    assertTrue(json.contains("\"kind\":2"), json);
    assertTrue(json.contains("\"startTimeUnixNano\":\"1544712660000000000\""), json);
    assertEquals(
        1, occurrences(json, "parentSpanId"), "the empty parent id of the root is left out");
  }

  @Test
  void printKeepsOtherBytesAsBase64() throws Exception {
    String json =
        OtlpJson.print(OtlpJson.merge(utf8(LOGS), ExportLogsServiceRequest.newBuilder()).build());

    assertTrue(json.contains("\"bytesValue\":\"AQID\""), json);
    assertTrue(json.contains("\"severityNumber\":9"), json);
  }

  @Test
  void printAcceptsBuildersAndMessagesWithoutIds() throws Exception {
    Span.Builder builder =
        Span.newBuilder().setName("no ids").setTraceId(ByteString.copyFrom(TRACE_ID));

    assertEquals(
        "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"name\":\"no ids\"}",
        OtlpJson.print(builder));
    assertEquals("{}", OtlpJson.print(ExportTraceServiceRequest.getDefaultInstance()));
  }

  @Test
  void printRefusesIdsOfTheWrongLength() {
    Span span = Span.newBuilder().setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})).build();

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> OtlpJson.print(span));

    assertTrue(error.getMessage().contains("span_id"), error.getMessage());
  }

  @Test
  void refusesMalformedJson() {
    assertRefused("{\"resourceSpans\": [", "line 1");
    assertRefused("{\"resourceSpans\": [],}", "line 1");
    assertRefused("{resourceSpans: []}", "malformed JSON");
    assertRefused("{} {}", "after the top-level value");
    assertRefused("[]", "must be an object");
    assertRefused("", "End of input");
  }

  @Test
  void refusesBodiesThatAreNotUtf8() {
    byte[] latin1 = "{\"x\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

    InvalidProtocolBufferException error =
        assertThrows(
            InvalidProtocolBufferException.class,
            () -> OtlpJson.merge(latin1, ExportTraceServiceRequest.newBuilder()));

    assertTrue(error.getMessage().contains("UTF-8"), error.getMessage());
  }

  @Test
  void refusesIdsThatAreNotHex() {
    assertRefused(spanWith("\"traceId\": \"5b8efff798038103d269b633813fc6zz\""), "Span.traceId");
    assertRefused(
        spanWith("\"traceId\": \"5b8efff798038103d269b633813fc6zz\""),
        "5b8efff798038103d269b633813fc6zz");
    assertRefused(spanWith("\"span_id\": \"W47/95gDgQ==\""), "Span.span_id");
    assertRefused(spanWith("\"parentSpanId\": 42"), "Span.parentSpanId must be a hex string");
  }

  @Test
  void refusesIdsOfTheWrongLength() {
    assertRefused(
        spanWith("\"traceId\": \"5b8efff798038103d269b633813fc6\""),
        "Span.traceId must be 32 hex digits, found \"5b8efff798038103d269b633813fc6\"");
    assertRefused(spanWith("\"spanId\": \"eee19b7ec3c1b17\""), "Span.spanId must be 16 hex digits");
    String link = "\"links\": [{\"traceId\": \"eee19b7ec3c1b174\"}]";
    assertRefused(spanWith(link), "Link.traceId must be 32 hex digits");
  }

  @Test
  void refusesFieldsOfTheWrongType() {
    assertRefused("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": \"x\"}]}]}", "spans");
    assertRefused(spanWith("\"startTimeUnixNano\": \"yesterday\""), "yesterday");
    assertRefused(spanWith("\"name\": {\"first\": 1}"), "expected type: STRING");
  }

  @Test
  void leavesTheBuilderUntouchedWhenAnIdIsBad() {
    ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
    byte[] json = utf8(spanWith("\"name\": \"n\", \"traceId\": \"nothex\""));

    assertThrows(InvalidProtocolBufferException.class, () -> OtlpJson.merge(json, builder));

    assertEquals(ExportTraceServiceRequest.getDefaultInstance(), builder.build());
  }

  private static String spanWith(String fields) {
    return "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{" + fields + "}]}]}]}";
  }

  private static void assertRefused(String json, String expectedInMessage) {
    InvalidProtocolBufferException error =
        assertThrows(
            InvalidProtocolBufferException.class,
            () -> OtlpJson.merge(utf8(json), ExportTraceServiceRequest.newBuilder()),
            json);
    assertTrue(
        error.getMessage().contains(expectedInMessage),
        "expected \"" + expectedInMessage + "\" in: " + error.getMessage());
  }

  private static void assertRoundTrips(Message original) throws Exception {
    String printed = OtlpJson.print(original);
    assertEquals(
        original, OtlpJson.merge(utf8(printed), original.newBuilderForType()).build(), printed);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static int occurrences(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
