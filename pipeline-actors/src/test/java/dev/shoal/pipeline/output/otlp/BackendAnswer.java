package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import dev.shoal.pipeline.otlp.Signal;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * How {@link OtlpBackend} answers one request, scripted by a test, and what each answer looks like
 * on OTLP/HTTP and on OTLP/gRPC.
 */
sealed interface BackendAnswer {

  /** Accepts everything. */
  record Accept() implements BackendAnswer {}

  /** Accepts, but says that {@code rejected} items were refused. */
  record PartialSuccess(long rejected, String message) implements BackendAnswer {}

  /** HTTP 429 with {@code Retry-After}; gRPC {@code RESOURCE_EXHAUSTED} with {@code RetryInfo}. */
  record Throttle(Duration retryAfter) implements BackendAnswer {}

  /** HTTP 503; gRPC {@code UNAVAILABLE}. */
  record Unavailable() implements BackendAnswer {}

  /** HTTP 400 with a {@code google.rpc.Status} body; gRPC {@code INVALID_ARGUMENT}. */
  record BadRequest(String message) implements BackendAnswer {}

  /** gRPC {@code RESOURCE_EXHAUSTED} without {@code RetryInfo} (HTTP 413). */
  record TooLarge() implements BackendAnswer {}

  /** Never answers. */
  record Hang() implements BackendAnswer {}

  /** Resets the connection the request came on, without an answer. */
  record Drop() implements BackendAnswer {}

  /**
   * The answer over OTLP/HTTP; one that never completes for {@link Hang} and {@link Drop} (the
   * backend cuts the connection of a drop itself).
   */
  default CompletionStage<HttpResponse> http(Signal signal) {
    BackendAnswer answer = this;
    if (answer instanceof Accept) return protobuf(200, signal.emptyResponse().toByteArray());
    if (answer instanceof PartialSuccess p) {
      return protobuf(200, partialResponse(signal, p).toByteArray());
    }
    if (answer instanceof Throttle t) {
      return CompletableFuture.completedFuture(
          HttpResponse.create()
              .withStatus(StatusCodes.TOO_MANY_REQUESTS)
              .addHeader(
                  RawHeader.create("Retry-After", Long.toString(t.retryAfter().toSeconds()))));
    }
    if (answer instanceof Unavailable) {
      return CompletableFuture.completedFuture(
          HttpResponse.create()
              .withStatus(StatusCodes.SERVICE_UNAVAILABLE)
              .withEntity(ContentTypes.TEXT_PLAIN_UTF8, "try later"));
    }
    if (answer instanceof BadRequest b) {
      return protobuf(
          400,
          com.google.rpc.Status.newBuilder()
              .setCode(com.google.rpc.Code.INVALID_ARGUMENT_VALUE)
              .setMessage(b.message())
              .build()
              .toByteArray());
    }
    if (answer instanceof TooLarge) {
      return CompletableFuture.completedFuture(
          HttpResponse.create().withStatus(StatusCodes.CONTENT_TOO_LARGE));
    }
    return new CompletableFuture<>(); // Hang, or Drop: the connection is gone
  }

  private static CompletionStage<HttpResponse> protobuf(int status, byte[] body) {
    return CompletableFuture.completedFuture(
        HttpResponse.create()
            .withStatus(status)
            .withEntity(HttpEntities.create(OtlpHttpExporter.PROTOBUF, body)));
  }

  /** The answer over OTLP/gRPC: the response, or the failure the service answers with. */
  @SuppressWarnings("unchecked")
  default <R extends Message> CompletionStage<R> grpc(Signal signal) {
    BackendAnswer answer = this;
    if (answer instanceof Accept) {
      return CompletableFuture.completedFuture((R) signal.emptyResponse());
    }
    if (answer instanceof PartialSuccess p) {
      return CompletableFuture.completedFuture((R) partialResponse(signal, p));
    }
    if (answer instanceof Throttle t) {
      return CompletableFuture.failedFuture(
          withRetryInfo(Status.RESOURCE_EXHAUSTED.withDescription("slow down"), t.retryAfter()));
    }
    if (answer instanceof Unavailable) {
      return CompletableFuture.failedFuture(
          new GrpcServiceException(Status.UNAVAILABLE.withDescription("try later")));
    }
    if (answer instanceof BadRequest b) {
      return CompletableFuture.failedFuture(
          new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(b.message())));
    }
    if (answer instanceof TooLarge) {
      return CompletableFuture.failedFuture(
          new GrpcServiceException(Status.RESOURCE_EXHAUSTED.withDescription("too large")));
    }
    return new CompletableFuture<>(); // Hang, or Drop: the connection is gone
  }

  private static GrpcServiceException withRetryInfo(Status status, Duration delay) {
    com.google.rpc.Status details =
        com.google.rpc.Status.newBuilder()
            .setCode(status.getCode().value())
            .setMessage(status.getDescription())
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(delay.toSeconds())
                                .setNanos(delay.toNanosPart()))
                        .build()))
            .build();
    return new GrpcServiceException(
        status,
        new MetadataBuilder()
            .addBinary("grpc-status-details-bin", ByteString.fromArray(details.toByteArray()))
            .build());
  }

  private static Message partialResponse(Signal signal, PartialSuccess p) {
    return switch (signal) {
      case TRACES ->
          ExportTraceServiceResponse.newBuilder()
              .setPartialSuccess(
                  ExportTracePartialSuccess.newBuilder()
                      .setRejectedSpans(p.rejected())
                      .setErrorMessage(p.message()))
              .build();
      case METRICS ->
          ExportMetricsServiceResponse.newBuilder()
              .setPartialSuccess(
                  ExportMetricsPartialSuccess.newBuilder()
                      .setRejectedDataPoints(p.rejected())
                      .setErrorMessage(p.message()))
              .build();
      case LOGS ->
          ExportLogsServiceResponse.newBuilder()
              .setPartialSuccess(
                  ExportLogsPartialSuccess.newBuilder()
                      .setRejectedLogRecords(p.rejected())
                      .setErrorMessage(p.message()))
              .build();
    };
  }
}
