package dev.shoal.pipeline.otlp;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.function.Predicate;

/**
 * Keeps the resources of an export request that pass a test, sharing the kept messages. Returns the
 * request itself when every resource passes, and null when none does.
 */
public final class ResourceFilter {
  private ResourceFilter() {}

  /** The value of a string resource attribute, or null when the resource lacks it. */
  public static String attribute(Resource resource, String key) {
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals(key)) return kv.getValue().getStringValue();
    }
    return null;
  }

  public static ExportRequest keep(ExportRequest request, Predicate<Resource> test) {
    Message filtered =
        switch (request.signal()) {
          case TRACES -> traces((ExportTraceServiceRequest) request.message(), test);
          case METRICS -> metrics((ExportMetricsServiceRequest) request.message(), test);
          case LOGS -> logs((ExportLogsServiceRequest) request.message(), test);
        };
    if (filtered == request.message()) return request;
    if (filtered == null) return null;
    return ExportRequest.of(request.signal(), filtered, filtered.getSerializedSize());
  }

  private static Message traces(ExportTraceServiceRequest r, Predicate<Resource> test) {
    int kept = 0;
    for (ResourceSpans rs : r.getResourceSpansList()) if (test.test(rs.getResource())) kept++;
    if (kept == r.getResourceSpansCount()) return r;
    if (kept == 0) return null;
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans rs : r.getResourceSpansList()) {
      if (test.test(rs.getResource())) b.addResourceSpans(rs);
    }
    return b.build();
  }

  private static Message metrics(ExportMetricsServiceRequest r, Predicate<Resource> test) {
    int kept = 0;
    for (ResourceMetrics rm : r.getResourceMetricsList()) if (test.test(rm.getResource())) kept++;
    if (kept == r.getResourceMetricsCount()) return r;
    if (kept == 0) return null;
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    for (ResourceMetrics rm : r.getResourceMetricsList()) {
      if (test.test(rm.getResource())) b.addResourceMetrics(rm);
    }
    return b.build();
  }

  private static Message logs(ExportLogsServiceRequest r, Predicate<Resource> test) {
    int kept = 0;
    for (ResourceLogs rl : r.getResourceLogsList()) if (test.test(rl.getResource())) kept++;
    if (kept == r.getResourceLogsCount()) return r;
    if (kept == 0) return null;
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    for (ResourceLogs rl : r.getResourceLogsList()) {
      if (test.test(rl.getResource())) b.addResourceLogs(rl);
    }
    return b.build();
  }
}
