package dev.shoal.pipeline.receiver;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.Trailers;
import org.apache.pekko.grpc.javadsl.GrpcExceptionHandler;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.Function;
import org.apache.pekko.util.ByteString;
import org.slf4j.LoggerFactory;

/**
 * The gRPC statuses the OTLP receiver answers with, per the OTLP specification: a refusal is {@code
 * UNAVAILABLE} with a {@code RetryInfo} detail (the client keeps the data and retries), bad input
 * is {@code INVALID_ARGUMENT}, an oversized request {@code RESOURCE_EXHAUSTED} without {@code
 * RetryInfo} (retrying the same request cannot help).
 */
final class GrpcErrors {
  static final String RECEIVER = "OTLP/gRPC receiver";
  private static final BadRequestLog badRequests =
      new BadRequestLog(LoggerFactory.getLogger(GrpcErrors.class));

  private GrpcErrors() {}

  /** The exception that refuses a request the pipelines have no room for. */
  static GrpcServiceException refused(String why, Duration retryAfter) {
    com.google.rpc.Status details =
        com.google.rpc.Status.newBuilder()
            .setCode(com.google.rpc.Code.UNAVAILABLE_VALUE)
            .setMessage(why)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(retryAfter.toSeconds())
                                .setNanos(retryAfter.toNanosPart()))
                        .build()))
            .build();
    return new GrpcServiceException(
        Status.UNAVAILABLE.withDescription(why),
        new MetadataBuilder()
            .addBinary("grpc-status-details-bin", ByteString.fromArray(details.toByteArray()))
            .build());
  }

  /** Maps what went wrong with a request to the status the client gets, and logs bad input. */
  static Function<ActorSystem, Function<Throwable, Trailers>> mapper() {
    Function<ActorSystem, Function<Throwable, Trailers>> standard =
        GrpcExceptionHandler.defaultMapper();
    return system ->
        failure -> {
          Throwable t = unwrap(failure);
          if (t instanceof GrpcServiceException) return standard.apply(system).apply(t);
          Status status = statusOf(t);
          if (status == null) return standard.apply(system).apply(t);
          badRequests.rejected(RECEIVER, status.getCode().name(), status.getDescription());
          return new Trailers(status);
        };
  }

  /** The status a failed request gets, or null when it is not the client's fault. */
  static Status statusOf(Throwable t) {
    RequestTooLargeException tooLarge = RequestBodies.cause(t, RequestTooLargeException.class);
    if (tooLarge != null) return Status.RESOURCE_EXHAUSTED.withDescription(tooLarge.getMessage());
    if (RequestBodies.hasCause(t, EntityStreamSizeException.class)) {
      return Status.RESOURCE_EXHAUSTED.withDescription("request body exceeds the limit");
    }
    MalformedFrameException frame = RequestBodies.cause(t, MalformedFrameException.class);
    if (frame != null) return Status.INVALID_ARGUMENT.withDescription(frame.getMessage());
    InvalidProtocolBufferException bad =
        RequestBodies.cause(t, InvalidProtocolBufferException.class);
    if (bad != null) {
      return Status.INVALID_ARGUMENT.withDescription(
          "request is not a valid OTLP protobuf message: " + bad.getMessage());
    }
    if (RequestBodies.hasCause(t, java.util.zip.ZipException.class)
        || RequestBodies.hasCause(t, java.io.EOFException.class)) {
      return Status.INVALID_ARGUMENT.withDescription("request is not valid gzip");
    }
    return null;
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    return c;
  }
}
