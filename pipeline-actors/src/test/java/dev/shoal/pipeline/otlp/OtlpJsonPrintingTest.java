package dev.shoal.pipeline.otlp;

import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.LOGS;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.METRICS;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.SPAN_ID;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.TRACES;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.TRACE_ID;
import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Base64;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Writing OTLP/JSON, and print-then-merge round trips. */
class OtlpJsonPrintingTest {

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

  private static void assertRoundTrips(Message original) throws Exception {
    String printed = OtlpJson.print(original);
    assertEquals(
        original, OtlpJson.merge(utf8(printed), original.newBuilderForType()).build(), printed);
  }

  private static int occurrences(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
