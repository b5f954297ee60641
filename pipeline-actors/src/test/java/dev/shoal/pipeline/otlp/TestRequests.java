package dev.shoal.pipeline.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;

/**
 * Real OTLP export requests for tests, wrapped as the receivers wrap them. Spans and log records
 * are named {@code <service>-<index>}, so a test can tell every request apart in an output.
 */
public final class TestRequests {
  private TestRequests() {}

  /** An {@code ExportTraceServiceRequest} of one resource with {@code spans} spans. */
  public static ExportRequest traces(String service, int spans) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    for (int i = 0; i < spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(id(16, service.hashCode()))
              .setSpanId(id(8, i + 1))
              .setName(service + "-" + i)
              .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setEndTimeUnixNano(1_700_000_000_001_000_000L + i));
    }
    ExportTraceServiceRequest message =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().setResource(resource(service)).addScopeSpans(scope))
            .build();
    return ExportRequest.of(Signal.TRACES, message);
  }

  /** An {@code ExportLogsServiceRequest} of one resource with {@code records} log records. */
  public static ExportRequest logs(String service, int records) {
    ScopeLogs.Builder scope =
        ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    for (int i = 0; i < records; i++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setBody(AnyValue.newBuilder().setStringValue(service + "-" + i)));
    }
    ExportLogsServiceRequest message =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder().setResource(resource(service)).addScopeLogs(scope))
            .build();
    return ExportRequest.of(Signal.LOGS, message);
  }

  private static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service)))
        .build();
  }

  /** A non-zero id of {@code length} bytes derived from {@code seed}. */
  private static ByteString id(int length, int seed) {
    ByteBuffer bytes = ByteBuffer.allocate(length);
    while (bytes.remaining() >= Integer.BYTES) bytes.putInt(seed | 1);
    return ByteString.copyFrom(bytes.array());
  }
}
