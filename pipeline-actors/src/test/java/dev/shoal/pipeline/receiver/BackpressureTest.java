package dev.shoal.pipeline.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tiny queue in front of a slow output: the receivers refuse with retryable answers, the SDK's
 * own retries get every span through, and nothing acknowledged is missing from the output.
 */
class BackpressureTest {
  @TempDir Path debugDir;

  private static final String TINY_QUEUE_SLOW_OUTPUT =
      "shoal.pipeline.pipeline-defaults { queue-bytes = 3KiB, batch.timeout = 20ms }\n"
          + "shoal.pipeline.debug-output.delay-per-batch = 150ms";

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void refusalsAreRetriedByTheSdkAndNothingAcknowledgedIsLost(String protocol) throws Exception {
    try (ReceiverHarness node = new ReceiverHarness(debugDir, TINY_QUEUE_SLOW_OUTPUT)) {
      RetryPolicy patientRetries =
          RetryPolicy.builder()
              .setMaxAttempts(5)
              .setInitialBackoff(Duration.ofMillis(200))
              .setMaxBackoff(Duration.ofSeconds(2))
              .build();
      SpanExporter sdkExporter =
          protocol.equals("grpc")
              ? OtlpGrpcSpanExporter.builder()
                  .setEndpoint(node.grpcEndpoint())
                  .setRetryPolicy(patientRetries)
                  .build()
              : OtlpHttpSpanExporter.builder()
                  .setEndpoint(node.httpEndpoint() + "/v1/traces")
                  .setRetryPolicy(patientRetries)
                  .build();
      AcknowledgementRecorder recorder = new AcknowledgementRecorder(sdkExporter);
      SdkTracerProvider tracing =
          SdkTracerProvider.builder()
              .addSpanProcessor(
                  BatchSpanProcessor.builder(recorder)
                      .setMaxExportBatchSize(10)
                      .setScheduleDelay(Duration.ofMillis(5))
                      .setMaxQueueSize(10_000)
                      .build())
              .build();
      var tracer = tracing.get("backpressure");
      int total = 150;
      for (int i = 0; i < total; i++) {
        tracer.spanBuilder("span-" + i).setAttribute("padding", "x".repeat(40)).startSpan().end();
      }
      CompletableResultCode flushed = tracing.forceFlush();
      flushed.join(60, TimeUnit.SECONDS);
      tracing.shutdown().join(10, TimeUnit.SECONDS);

      long refused = node.pipeline(Signal.TRACES).queue().counters().snapshot().refused();
      assertTrue(refused > 0, "the tiny queue never refused, so nothing was tested");
      assertEquals(total, recorder.acknowledged.size(), "the SDK gave up on some spans");

      node.drain();
      Set<String> written =
          node.written(Signal.TRACES).stream()
              .map(ExportTraceServiceRequest.class::cast)
              .flatMap(r -> r.getResourceSpansList().stream())
              .map(ResourceSpans::getScopeSpansList)
              .flatMap(Collection::stream)
              .map(ScopeSpans::getSpansList)
              .flatMap(Collection::stream)
              .map(Span::getName)
              .collect(Collectors.toSet());
      Set<String> missing = new java.util.TreeSet<>(recorder.acknowledged);
      missing.removeAll(written);
      assertTrue(missing.isEmpty(), "acknowledged but not written: " + missing);
    }
  }

  /** Remembers the spans whose export the collector acknowledged. */
  private static final class AcknowledgementRecorder implements SpanExporter {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final SpanExporter delegate;

    AcknowledgementRecorder(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = delegate.export(spans);
      result.whenComplete(
          () -> {
            if (result.isSuccess()) spans.forEach(s -> acknowledged.add(s.getName()));
          });
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
