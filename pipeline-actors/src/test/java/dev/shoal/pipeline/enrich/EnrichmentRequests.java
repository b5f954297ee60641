package dev.shoal.pipeline.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.LinkedHashMap;
import java.util.Map;

/** Requests to enrich, and what enrichment made of them, for the enrichment tests. */
final class EnrichmentRequests {
  private EnrichmentRequests() {}

  static Resource resource(String... keyValues) {
    Resource.Builder r = Resource.newBuilder().setDroppedAttributesCount(3);
    for (int i = 0; i < keyValues.length; i += 2) {
      r.addAttributes(
          KeyValue.newBuilder()
              .setKey(keyValues[i])
              .setValue(AnyValue.newBuilder().setStringValue(keyValues[i + 1])));
    }
    return r.build();
  }

  static ExportRequest traces(Resource resource) {
    return ExportRequest.of(
        Signal.TRACES,
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resourceSpans(resource, 2))
            .build());
  }

  static ResourceSpans resourceSpans(Resource resource, int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) scope.addSpans(span(i));
    return ResourceSpans.newBuilder()
        .setResource(resource)
        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
        .addScopeSpans(scope)
        .build();
  }

  static Span span(int i) {
    return Span.newBuilder().setName("span-" + i).setStartTimeUnixNano(1000L + i).build();
  }

  /** The attributes of the request's resource at {@code index}, in order. */
  static Map<String, String> attributes(ExportRequest request, int index) {
    Resource r = resourceAt(request, index);
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : r.getAttributesList()) map.put(kv.getKey(), kv.getValue().getStringValue());
    return map;
  }

  static int count(ExportRequest request, int index, String key) {
    return (int)
        resourceAt(request, index).getAttributesList().stream()
            .filter(kv -> kv.getKey().equals(key))
            .count();
  }

  static Resource resourceAt(ExportRequest request, int index) {
    return switch (request.signal()) {
      case TRACES ->
          ((ExportTraceServiceRequest) request.decode()).getResourceSpans(index).getResource();
      case METRICS ->
          ((ExportMetricsServiceRequest) request.decode()).getResourceMetrics(index).getResource();
      case LOGS ->
          ((ExportLogsServiceRequest) request.decode()).getResourceLogs(index).getResource();
    };
  }

  static String attr(Resource r, String key) {
    return r.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse(null);
  }

  /** Everything but the resources' attributes is as it was. */
  static void assertSameItems(ExportRequest in, ExportRequest out) {
    ExportTraceServiceRequest a = (ExportTraceServiceRequest) in.decode();
    ExportTraceServiceRequest b = (ExportTraceServiceRequest) out.decode();
    assertEquals(a.getResourceSpansCount(), b.getResourceSpansCount());
    for (int i = 0; i < a.getResourceSpansCount(); i++) {
      assertEquals(
          a.getResourceSpans(i).toBuilder().clearResource().build(),
          b.getResourceSpans(i).toBuilder().clearResource().build());
    }
  }
}
