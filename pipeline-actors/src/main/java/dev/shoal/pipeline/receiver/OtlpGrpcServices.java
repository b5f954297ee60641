package dev.shoal.pipeline.receiver;

import com.google.protobuf.Message;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.Admission;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsService;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The three OTLP gRPC services. A request is acknowledged only once the router has put it into the
 * queue of a pipeline; otherwise the client is told to retry.
 */
final class OtlpGrpcServices implements TraceService, MetricsService, LogsService {
  private final SignalRouter router;
  private final Duration retryAfter;

  OtlpGrpcServices(SignalRouter router, Duration retryAfter) {
    this.router = router;
    this.retryAfter = retryAfter;
  }

  @Override
  public CompletionStage<ExportTraceServiceResponse> export(ExportTraceServiceRequest in) {
    return admit(Signal.TRACES, in, ExportTraceServiceResponse.getDefaultInstance());
  }

  @Override
  public CompletionStage<ExportMetricsServiceResponse> export(ExportMetricsServiceRequest in) {
    return admit(Signal.METRICS, in, ExportMetricsServiceResponse.getDefaultInstance());
  }

  @Override
  public CompletionStage<ExportLogsServiceResponse> export(ExportLogsServiceRequest in) {
    return admit(Signal.LOGS, in, ExportLogsServiceResponse.getDefaultInstance());
  }

  private <R> CompletionStage<R> admit(Signal signal, Message request, R acknowledgement) {
    Admission admission =
        router.offer(ExportRequest.of(signal, request, request.getSerializedSize()));
    if (admission == Admission.ACCEPTED) return CompletableFuture.completedFuture(acknowledgement);
    return CompletableFuture.failedFuture(
        GrpcErrors.refused(Refusals.reason(signal, admission), retryAfter));
  }
}
