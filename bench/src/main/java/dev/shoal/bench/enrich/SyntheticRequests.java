package dev.shoal.bench.enrich;

import com.google.protobuf.ByteString;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;
import java.util.Random;

/**
 * Trace requests as an SDK on a pod sends them: one resource with the SDK's attributes ({@code
 * service.name} unknown, as with no service configured) plus the given ones, and spans of about 300
 * bytes with eight attributes each.
 */
final class SyntheticRequests {
  private SyntheticRequests() {}

  static ExportRequest traces(int spans, Map<String, String> resourceAttributes) {
    Random random = new Random(7);
    Resource.Builder resource =
        Resource.newBuilder()
            .addAttributes(string("service.name", "unknown_service:java"))
            .addAttributes(string("telemetry.sdk.name", "opentelemetry"))
            .addAttributes(string("telemetry.sdk.language", "java"))
            .addAttributes(string("telemetry.sdk.version", "1.67.0"))
            .addAttributes(string("host.name", "service-5-backend-7d9f8c6b5-x2x9q"))
            .addAttributes(string("process.runtime.name", "OpenJDK Runtime Environment"));
    resourceAttributes.forEach((k, v) -> resource.addAttributes(string(k, v)));
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.servlet-5.0"));
    for (int i = 0; i < spans; i++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(id))
              .setSpanId(ByteString.copyFrom(id, 0, 8))
              .setParentSpanId(ByteString.copyFrom(id, 8, 8))
              .setName("GET /api/orders/{id}")
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setEndTimeUnixNano(1_700_000_000_020_000_000L + i)
              .addAttributes(string("http.request.method", "GET"))
              .addAttributes(string("http.route", "/api/orders/{id}"))
              .addAttributes(string("url.path", "/api/orders/" + random.nextInt(100_000)))
              .addAttributes(string("url.scheme", "http"))
              .addAttributes(string("server.address", "orders.shop.svc.cluster.local"))
              .addAttributes(string("network.protocol.version", "1.1"))
              .addAttributes(string("user_agent.original", "okhttp/4.12.0"))
              .addAttributes(string("http.response.status_code", "200")));
    }
    return ExportRequest.of(
        Signal.TRACES,
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
            .build());
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
