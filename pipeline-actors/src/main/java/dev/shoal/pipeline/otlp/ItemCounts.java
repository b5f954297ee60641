package dev.shoal.pipeline.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * Counts the items of export requests the way the OpenTelemetry Collector does: spans, metric data
 * points and log records. Walks the decoded message without allocating.
 */
final class ItemCounts {
  private ItemCounts() {}

  static int spans(ExportTraceServiceRequest request) {
    int n = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  static int logRecords(ExportLogsServiceRequest request) {
    int n = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        n += sl.getLogRecordsCount();
      }
    }
    return n;
  }

  static int dataPoints(ExportMetricsServiceRequest request) {
    int n = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += dataPoints(m);
        }
      }
    }
    return n;
  }

  private static int dataPoints(Metric m) {
    switch (m.getDataCase()) {
      case GAUGE:
        return m.getGauge().getDataPointsCount();
      case SUM:
        return m.getSum().getDataPointsCount();
      case HISTOGRAM:
        return m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM:
        return m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY:
        return m.getSummary().getDataPointsCount();
      default:
        return 0;
    }
  }
}
