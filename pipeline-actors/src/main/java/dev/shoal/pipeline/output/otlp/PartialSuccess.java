package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.Message;
import dev.shoal.pipeline.output.ExportResult;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * Reads an export response's {@code partial_success}: the items the backend refused for good. They
 * are not retried (the OTLP specification forbids it) and are counted as dropped.
 */
final class PartialSuccess {
  private PartialSuccess() {}

  static ExportResult of(Message response) {
    if (response instanceof ExportTraceServiceResponse r && r.hasPartialSuccess()) {
      return result(
          r.getPartialSuccess().getRejectedSpans(), r.getPartialSuccess().getErrorMessage());
    }
    if (response instanceof ExportMetricsServiceResponse r && r.hasPartialSuccess()) {
      return result(
          r.getPartialSuccess().getRejectedDataPoints(), r.getPartialSuccess().getErrorMessage());
    }
    if (response instanceof ExportLogsServiceResponse r && r.hasPartialSuccess()) {
      return result(
          r.getPartialSuccess().getRejectedLogRecords(), r.getPartialSuccess().getErrorMessage());
    }
    return ExportResult.DELIVERED;
  }

  private static ExportResult result(long rejected, String message) {
    if (rejected <= 0 && message.isEmpty()) return ExportResult.DELIVERED;
    return new ExportResult(Math.max(0, rejected), message);
  }
}
