package dev.shoal.bench.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Random;

/**
 * Builds export requests that look like what an instrumented service sends: one resource with
 * {@code service.name} and the usual SDK and Kubernetes attributes, one instrumentation scope, and
 * spans in traces of a few spans each (a server span and its children) with random ids, 5 to 10
 * attributes following the semantic conventions, and an error now and then.
 */
final class SyntheticSpans {
  private static final String[] ROUTES = {
    "/api/orders/{id}", "/api/cart", "/api/products", "/api/users/{id}", "/health", "/api/checkout"
  };
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final String[] CHILDREN = {
    "SELECT orders", "redis GET", "HTTP GET inventory", "kafka publish", "render", "auth.verify"
  };

  /** What a padding attribute costs on the wire beyond its value: its tags, lengths and key. */
  private static final int PADDING_OVERHEAD = 24;

  private final Random random;
  private final int spanBytes;

  /**
   * @param seed makes the requests reproducible
   * @param spanBytes when above a span's natural size, pad each span to about this many bytes
   */
  SyntheticSpans(long seed, int spanBytes) {
    this.random = new Random(seed);
    this.spanBytes = spanBytes;
  }

  /** One request of {@code spans} spans from the service numbered {@code service}. */
  ExportTraceServiceRequest request(int spans, int service, long startNanos) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(
                InstrumentationScope.newBuilder()
                    .setName("io.opentelemetry.servlet-5.0")
                    .setVersion("2.10.0-alpha"));
    byte[] traceId = new byte[16];
    byte[] rootId = new byte[8];
    int left = 0;
    for (int i = 0; i < spans; i++) {
      boolean root = left == 0;
      if (root) {
        random.nextBytes(traceId);
        random.nextBytes(rootId);
        left = 3 + random.nextInt(8);
      }
      left--;
      scope.addSpans(pad(span(traceId, rootId, root, startNanos + i * 1_000_000L)));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource(service))
                .addScopeSpans(scope)
                .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"))
        .build();
  }

  private Span span(byte[] traceId, byte[] rootId, boolean root, long start) {
    byte[] spanId = root ? rootId : randomBytes(8);
    int route = random.nextInt(ROUTES.length);
    long duration = 200_000L + random.nextInt(50_000_000);
    boolean error = random.nextInt(50) == 0;
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(spanId))
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(start + duration)
            .setFlags(0x101);
    if (root) {
      String method = METHODS[random.nextInt(METHODS.length)];
      span.setName(method + " " + ROUTES[route])
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .addAttributes(string("http.request.method", method))
          .addAttributes(string("http.route", ROUTES[route]))
          .addAttributes(
              string("url.path", ROUTES[route].replace("{id}", "" + random.nextInt(1_000_000))))
          .addAttributes(string("url.scheme", "http"))
          .addAttributes(integer("http.response.status_code", error ? 500 : 200))
          .addAttributes(string("server.address", "shop.example.com"))
          .addAttributes(integer("server.port", 8080))
          .addAttributes(string("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) bench/1.0"))
          .addAttributes(
              string("client.address", "10.0." + random.nextInt(256) + "." + random.nextInt(256)));
    } else {
      span.setParentSpanId(ByteString.copyFrom(rootId))
          .setName(CHILDREN[random.nextInt(CHILDREN.length)])
          .setKind(
              random.nextBoolean()
                  ? Span.SpanKind.SPAN_KIND_CLIENT
                  : Span.SpanKind.SPAN_KIND_INTERNAL)
          .addAttributes(string("db.system", "postgresql"))
          .addAttributes(string("db.operation.name", "SELECT"))
          .addAttributes(string("server.address", "db-" + random.nextInt(4) + ".shop.svc"))
          .addAttributes(integer("server.port", 5432))
          .addAttributes(string("thread.name", "http-nio-8080-exec-" + random.nextInt(200)));
      for (int extra = random.nextInt(6); extra > 0; extra--) {
        span.addAttributes(integer("bench.attr." + extra, random.nextInt(100_000)));
      }
    }
    if (error) {
      span.setStatus(
          Status.newBuilder()
              .setCode(Status.StatusCode.STATUS_CODE_ERROR)
              .setMessage("upstream failed"));
    }
    return span.build();
  }

  private Span pad(Span span) {
    int missing = spanBytes - span.getSerializedSize() - PADDING_OVERHEAD;
    if (missing <= 0) return span;
    return span.toBuilder().addAttributes(string("bench.padding", "x".repeat(missing))).build();
  }

  private Resource resource(int service) {
    return Resource.newBuilder()
        .addAttributes(string("service.name", "bench-service-" + service))
        .addAttributes(string("service.namespace", "shop"))
        .addAttributes(string("service.version", "1.4." + service))
        .addAttributes(
            string(
                "service.instance.id",
                "instance-" + service + "-" + Long.toHexString(random.nextLong())))
        .addAttributes(string("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(string("telemetry.sdk.language", "java"))
        .addAttributes(string("telemetry.sdk.version", "1.67.0"))
        .addAttributes(string("host.name", "node-" + service % 3))
        .addAttributes(string("k8s.namespace.name", "shop"))
        .addAttributes(
            string(
                "k8s.pod.name",
                "bench-service-" + service + "-7d9f8c6b5-" + random.nextInt(100_000)))
        .build();
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
