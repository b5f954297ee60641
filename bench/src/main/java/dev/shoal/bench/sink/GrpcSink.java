package dev.shoal.bench.sink;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.shoal.pipeline.otlp.OtlpGrpcExport;
import dev.shoal.pipeline.otlp.OtlpWire;
import dev.shoal.pipeline.otlp.Signal;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.grpc.GrpcProtocol;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.Trailers;
import org.apache.pekko.grpc.javadsl.GrpcExceptionHandler;
import org.apache.pekko.grpc.javadsl.GrpcMarshalling;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * The sink's OTLP/gRPC side: the Export method of TraceService, MetricsService and LogsService.
 *
 * <p>It speaks gRPC through pekko-grpc's own marshalling (protocol negotiation, response framing,
 * status trailers), as the generated handlers do, but it does not decode the request into messages:
 * it reads the one length-prefixed message of the unary call and counts its items on the wire
 * ({@link OtlpWire}). A benchmark's sink shares the machine with the collector under test, and
 * decoding every span would take CPU from it.
 */
final class GrpcSink implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  private static final int FRAME_HEADER = 5;

  private final SinkState state;
  private final DroppableConnections connections;
  private final long maxRequestBytes;
  private final Duration readTimeout;
  private final ActorSystem system;
  private final Materializer mat;

  /** pekko-grpc's error mapper; its API still takes the deprecated japi.Function. */
  @SuppressWarnings("deprecation")
  private final org.apache.pekko.japi.Function<
          ActorSystem, org.apache.pekko.japi.Function<Throwable, Trailers>>
      errors;

  @SuppressWarnings("deprecation")
  GrpcSink(
      SinkState state,
      DroppableConnections connections,
      long maxRequestBytes,
      Duration readTimeout,
      ActorSystem system) {
    this.state = state;
    this.connections = connections;
    this.maxRequestBytes = maxRequestBytes;
    this.readTimeout = readTimeout;
    this.system = system;
    this.mat = Materializer.matFromSystem(system);
    this.errors = sys -> GrpcSink::trailers;
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    Signal signal = OtlpGrpcExport.signalAt(request.getUri().path());
    Optional<CompletionStage<HttpResponse>> negotiated =
        GrpcMarshalling.negotiated(
            request,
            (reader, writer) -> {
              if (signal == null) {
                return refuse(
                    request, writer, Status.UNIMPLEMENTED.withDescription("no such method"));
              }
              return handle(signal, request, writer);
            });
    return negotiated.orElseGet(
        () -> {
          request.discardEntityBytes(mat);
          return CompletableFuture.completedFuture(
              HttpResponse.create().withStatus(StatusCodes.UNSUPPORTED_MEDIA_TYPE));
        });
  }

  private CompletionStage<HttpResponse> handle(
      Signal signal, HttpRequest request, GrpcProtocol.GrpcProtocolWriter writer) {
    SinkMode mode = state.mode();
    switch (mode.kind()) {
      case HANG:
        state.refused(signal);
        request.discardEntityBytes(mat);
        return new CompletableFuture<>();
      case DROP:
        state.dropped(signal);
        request.discardEntityBytes(mat);
        connections.drop(request);
        // Never answered: the connection is gone before an answer could be sent.
        return new CompletableFuture<>();
      case FAIL_503:
        state.refused(signal);
        return refuse(request, writer, Status.UNAVAILABLE.withDescription("sink mode " + mode));
      case THROTTLE_429:
        state.refused(signal);
        return refuse(request, writer, throttled(mode));
      case REJECT_400:
        state.refused(signal);
        return refuse(
            request, writer, Status.INVALID_ARGUMENT.withDescription("sink mode " + mode));
      default:
        return accept(signal, request, writer, mode);
    }
  }

  private CompletionStage<HttpResponse> accept(
      Signal signal, HttpRequest request, GrpcProtocol.GrpcProtocolWriter writer, SinkMode mode) {
    return request
        .entity()
        .withSizeLimit(maxRequestBytes + FRAME_HEADER)
        .toStrict(readTimeout.toMillis(), mat)
        // On the dispatcher: a stage Pekko returns runs a plain thenApply on the JDK's async pool,
        // which on a machine with two cores or fewer starts a new thread for every call.
        .thenApplyAsync(
            strict -> countItems(signal, request, strict.getData()), system.dispatcher())
        .thenCompose(items -> state.afterDelay(mode, items))
        .thenApply(
            items -> {
              state.accepted(signal, items);
              return GrpcMarshalling.marshal(
                  OtlpGrpcExport.ACKNOWLEDGEMENT, OtlpGrpcExport.ENCODED, writer, system, errors);
            })
        .exceptionally(failure -> GrpcExceptionHandler.standard(failure, errors, writer, system));
  }

  /** The items of the single message of a unary call; a malformed call is counted and refused. */
  private long countItems(Signal signal, HttpRequest request, ByteString body) {
    byte[] bytes = body.toArrayUnsafe();
    try {
      if (bytes.length < FRAME_HEADER)
        throw invalid("the body is shorter than a gRPC frame header");
      int length =
          ((bytes[1] & 0xff) << 24)
              | ((bytes[2] & 0xff) << 16)
              | ((bytes[3] & 0xff) << 8)
              | (bytes[4] & 0xff);
      if (length != bytes.length - FRAME_HEADER) {
        throw invalid("a unary call carries exactly one message");
      }
      if (bytes[0] == 0) return OtlpWire.countItems(signal, bytes, FRAME_HEADER, length);
      String encoding = request.getHeader("grpc-encoding").map(HttpHeader::value).orElse("");
      if (!encoding.equals("gzip")) {
        throw invalid("compressed message with unsupported grpc-encoding '" + encoding + "'");
      }
      byte[] message =
          BoundedGzip.inflate(
              new ByteArrayInputStream(bytes, FRAME_HEADER, length), maxRequestBytes);
      return OtlpWire.countItems(signal, message);
    } catch (GrpcServiceException e) {
      state.invalid(signal);
      throw e;
    } catch (BoundedGzip.TooLarge e) {
      state.invalid(signal);
      throw new GrpcServiceException(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()));
    } catch (IOException e) {
      state.invalid(signal);
      throw invalid("not a valid OTLP message: " + e.getMessage());
    }
  }

  private static GrpcServiceException invalid(String why) {
    return new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(why));
  }

  /** Throttling carries a RetryInfo of one second, the counterpart of {@code Retry-After: 1}. */
  private static GrpcServiceException throttled(SinkMode mode) {
    Status status = Status.RESOURCE_EXHAUSTED.withDescription("sink mode " + mode);
    return new GrpcServiceException(status, retryAfterOneSecond(status));
  }

  private CompletionStage<HttpResponse> refuse(
      HttpRequest request, GrpcProtocol.GrpcProtocolWriter writer, Status status) {
    return refuse(request, writer, new GrpcServiceException(status));
  }

  private CompletionStage<HttpResponse> refuse(
      HttpRequest request, GrpcProtocol.GrpcProtocolWriter writer, GrpcServiceException e) {
    request.discardEntityBytes(mat);
    return CompletableFuture.completedFuture(
        GrpcExceptionHandler.standard(e, errors, writer, system));
  }

  /** The status (and details) a failure is answered with. */
  private static Trailers trailers(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof GrpcServiceException e) return new Trailers(e.status(), e.getMetadata());
    if (t instanceof EntityStreamSizeException) {
      return new Trailers(Status.RESOURCE_EXHAUSTED.withDescription("request too large"));
    }
    return new Trailers(Status.INTERNAL.withDescription(String.valueOf(t.getMessage())));
  }

  private static org.apache.pekko.grpc.javadsl.Metadata retryAfterOneSecond(Status status) {
    com.google.rpc.Status details =
        com.google.rpc.Status.newBuilder()
            .setCode(status.getCode().value())
            .setMessage(status.getDescription())
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                        .build()))
            .build();
    return new MetadataBuilder()
        .addBinary("grpc-status-details-bin", ByteString.fromArrayUnsafe(details.toByteArray()))
        .build();
  }
}
