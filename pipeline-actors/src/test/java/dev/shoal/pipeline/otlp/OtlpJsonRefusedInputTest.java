package dev.shoal.pipeline.otlp;

import static dev.shoal.pipeline.otlp.OtlpJsonFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Input that {@code OtlpJson.merge} refuses, and what it leaves behind. */
class OtlpJsonRefusedInputTest {

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
}
