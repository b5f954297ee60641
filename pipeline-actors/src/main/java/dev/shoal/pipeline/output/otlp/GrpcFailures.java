package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Sorts a failed OTLP/gRPC call, per the OTLP specification: {@code UNAVAILABLE}, {@code
 * DEADLINE_EXCEEDED}, {@code CANCELLED}, {@code ABORTED}, {@code OUT_OF_RANGE}, {@code DATA_LOSS}
 * are retried, {@code RESOURCE_EXHAUSTED} only when the server sent a {@code RetryInfo} (it is
 * recovering and says when); any other status rejects the batch. A {@code RetryInfo} delay is
 * honoured whatever the status.
 */
final class GrpcFailures {
  private static final Set<Status.Code> RETRYABLE =
      Set.of(
          Status.Code.CANCELLED,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.ABORTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private GrpcFailures() {}

  /**
   * The exception {@link RetryingExporter} acts on, for a call that failed with {@code failure}. A
   * failure without a gRPC status did not come from the call (a bug, e.g. in encoding) and is
   * passed on as it is.
   */
  static RuntimeException classify(Throwable failure, String target) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (!(t instanceof StatusRuntimeException) && !(t instanceof StatusException)) {
      return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
    Status status = Status.fromThrowable(t);
    Optional<Duration> retryDelay = retryDelay(t);
    String message =
        "gRPC "
            + status.getCode()
            + " from "
            + target
            + (status.getDescription() == null ? "" : ": " + firstLine(status.getDescription()))
            + cause(status.getCause() != null ? status.getCause() : t.getCause());
    boolean retryable =
        RETRYABLE.contains(status.getCode())
            || (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && retryDelay.isPresent());
    if (retryable) return new RetryableExportException(message, retryDelay, t);
    return new ExportFailedException(DropReason.REJECTED, message, t);
  }

  /** grpc-java appends the Netty pipeline to some descriptions, on further lines. */
  private static String firstLine(String description) {
    int end = description.indexOf('\n');
    return end < 0 ? description : description.substring(0, end);
  }

  /**
   * Why the client failed the call itself, e.g. a TLS handshake: the status only says "io
   * exception".
   */
  private static String cause(Throwable cause) {
    if (cause == null) return "";
    return " ("
        + (cause.getMessage() == null ? cause.toString() : firstLine(cause.getMessage()))
        + ")";
  }

  /** The delay of a {@code RetryInfo} in the status details ({@code grpc-status-details-bin}). */
  static Optional<Duration> retryDelay(Throwable t) {
    com.google.rpc.Status details = StatusProto.fromThrowable(t);
    if (details == null) return Optional.empty();
    for (Any detail : details.getDetailsList()) {
      if (!detail.is(RetryInfo.class)) continue;
      try {
        com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
        return Optional.of(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
      } catch (InvalidProtocolBufferException broken) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
