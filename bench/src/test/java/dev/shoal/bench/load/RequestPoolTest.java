package dev.shoal.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestPoolTest {

  @Test
  void requestsAreDistinctRealisticAndHoldTheirSpans() throws Exception {
    RequestPool pool = RequestPool.build(8, 100, 0, 1);
    assertEquals(8, pool.size());
    Set<String> spanIds = new HashSet<>();
    for (RequestPool.Payload p : pool.payloads()) {
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(p.protobuf());
      List<Span> spans = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
      assertEquals(100, p.spans());
      assertEquals(100, spans.size());
      assertTrue(
          request.getResourceSpans(0).getResource().getAttributesList().stream()
              .map(KeyValue::getKey)
              .anyMatch("service.name"::equals));
      for (Span span : spans) {
        assertEquals(16, span.getTraceId().size());
        assertEquals(8, span.getSpanId().size());
        assertTrue(
            span.getAttributesCount() >= 5 && span.getAttributesCount() <= 10, span.toString());
        assertTrue(span.getEndTimeUnixNano() > span.getStartTimeUnixNano());
        spanIds.add(span.getSpanId().toStringUtf8() + span.getTraceId().toStringUtf8());
      }
    }
    assertTrue(spanIds.size() > 790, "span ids repeat: " + spanIds.size());
    assertNotEquals(
        ExportTraceServiceRequest.parseFrom(pool.payloads().get(0).protobuf()),
        ExportTraceServiceRequest.parseFrom(pool.payloads().get(1).protobuf()));
  }

  @Test
  void spansArePaddedToAboutTheAskedSize() {
    RequestPool pool = RequestPool.build(4, 50, 1000, 1);
    double perSpan = (double) pool.bytes() / (4 * 50);
    assertEquals(1000, perSpan, 100, "bytes per span");
  }

  @Test
  void thePoolIsBoundedInBytes() {
    // 200 requests of 100 spans of ~1 KB would be ~20 MB.
    RequestPool pool = RequestPool.build(200, 100, 1000, 1, 1024 * 1024);
    assertTrue(pool.bytes() <= 1024 * 1024);
    assertTrue(pool.size() >= 9 && pool.size() <= 10, "requests: " + pool.size());
  }

  @Test
  void requestsAreHandedOutInTurn() {
    RequestPool pool = RequestPool.build(3, 1, 0, 1);
    assertEquals(0, pool.next().index());
    assertEquals(1, pool.next().index());
    assertEquals(2, pool.next().index());
    assertEquals(0, pool.next().index());
  }
}
