package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.stream.Batch;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Batches and OTLP output settings for exporter tests. */
final class TestOutputs {
  /** Short waits, so that retry tests take a second or two. */
  static final Retry FAST_RETRY =
      new Retry(true, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(3));

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
  static final Map<String, String> HEADERS =
      Map.of("Authorization", "Basic dXNlcjpwYXNz", "X-Tenant", "acme");

  private TestOutputs() {}

  static OtlpOutputSettings settings(Protocol protocol, String endpoint) {
    return settings(protocol, endpoint, Tls.DEFAULT, Compression.NONE, REQUEST_TIMEOUT, FAST_RETRY);
  }

  static OtlpOutputSettings settings(
      Protocol protocol,
      String endpoint,
      Tls tls,
      Compression compression,
      Duration requestTimeout,
      Retry retry) {
    return new OtlpOutputSettings(
        protocol,
        URI.create(endpoint),
        protocol == Protocol.HTTP ? "/v1/traces" : "",
        HEADERS,
        tls,
        compression,
        requestTimeout,
        retry);
  }

  /** The same settings, with the OTLP/HTTP path of {@code signal}. */
  static OtlpOutputSettings forSignal(OtlpOutputSettings s, Signal signal) {
    return new OtlpOutputSettings(
        s.protocol(),
        s.endpoint(),
        s.protocol() == Protocol.HTTP ? signal.httpPath() : "",
        s.headers(),
        s.tls(),
        s.compression(),
        s.requestTimeout(),
        s.retry());
  }

  /** A batch of two requests of the signal, with {@code itemsEach} items each. */
  static Batch batch(Signal signal, int itemsEach) {
    List<ExportRequest> requests = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Message m = request(signal, "service-" + r, itemsEach);
      requests.add(ExportRequest.of(signal, m));
    }
    return new Batch(
        "pipeline-" + signal.id(),
        signal,
        requests,
        requests.stream().mapToInt(ExportRequest::items).sum(),
        requests.stream().mapToLong(ExportRequest::bytes).sum());
  }

  static Batch traces() {
    return batch(Signal.TRACES, 5);
  }

  /**
   * A batch of one trace request whose encoding has its fields out of the canonical order, as
   * another encoder or requests concatenated as bytes may have them: a {@code ResourceSpans} with a
   * second {@code scope_spans} after its {@code schema_url}, and a field unknown to this schema.
   * Decoding and encoding it again would move that {@code scope_spans} before the {@code
   * schema_url}, so only bytes passed on untouched arrive as they were.
   */
  static Batch tracesOutOfCanonicalOrder() {
    ScopeSpans late =
        ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("late span")).build();
    UnknownFieldSet afterSchemaUrl =
        UnknownFieldSet.newBuilder()
            .addField(
                2,
                UnknownFieldSet.Field.newBuilder().addLengthDelimited(late.toByteString()).build())
            .addField(1000, UnknownFieldSet.Field.newBuilder().addVarint(42).build())
            .build();
    ExportTraceServiceRequest traces = (ExportTraceServiceRequest) request(Signal.TRACES, "s", 2);
    ResourceSpans resource =
        traces.getResourceSpans(0).toBuilder()
            .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
            .setUnknownFields(afterSchemaUrl)
            .build();
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder().addResourceSpans(resource).build();
    ExportRequest only = ExportRequest.of(Signal.TRACES, request);
    return new Batch("pipeline-traces", Signal.TRACES, List.of(only), only.items(), only.bytes());
  }

  private static Message request(Signal signal, String service, int items) {
    Resource resource =
        Resource.newBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue(service)))
            .build();
    return switch (signal) {
      case TRACES -> {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < items; i++) {
          scope.addSpans(
              Span.newBuilder()
                  .setName("span-" + i)
                  .setTraceId(ByteString.copyFrom(new byte[16]))
                  .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i})));
        }
        yield ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
            .build();
      }
      case METRICS -> {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < items; i++)
          gauge.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i));
        yield ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(resource)
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(Metric.newBuilder().setName("queue.size").setGauge(gauge))))
            .build();
      }
      case LOGS -> {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < items; i++) {
          scope.addLogRecords(
              LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("line " + i)));
        }
        yield ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
            .build();
      }
    };
  }
}
