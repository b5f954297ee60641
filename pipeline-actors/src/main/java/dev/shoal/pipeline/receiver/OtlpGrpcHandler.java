package dev.shoal.pipeline.receiver;

import dev.shoal.pipeline.metrics.ShoalMetrics;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.OtlpGrpcExport;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.Admission;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.grpc.GrpcProtocol;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.GrpcExceptionHandler;
import org.apache.pekko.grpc.javadsl.GrpcMarshalling;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * OTLP/gRPC: the unary {@code Export} method of TraceService, MetricsService and LogsService.
 *
 * <p>It speaks gRPC through pekko-grpc's own marshalling (protocol negotiation, response framing,
 * status trailers) but does not decode the request into messages: it reads the body up to the size
 * limit, checks that it is exactly one message frame, inflates a gzip-compressed message up to the
 * same limit, and hands the message's bytes to the router, which counts and routes them on the wire
 * ({@link ExportRequest#parse}). The request is acknowledged only once the router has put it into
 * the queue of a pipeline; otherwise the client is told to retry.
 */
final class OtlpGrpcHandler implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  private static final int FRAME_HEADER = 5;
  private static final String ENCODING = "grpc-encoding";

  private final SignalRouter router;
  private final long maxMessageBytes;
  private final long readTimeoutMillis;
  private final Duration retryAfter;
  private final ActorSystem system;
  private final Materializer mat;
  private final ShoalMetrics metrics;

  @SuppressWarnings("deprecation")
  private final org.apache.pekko.japi.Function<
          ActorSystem, org.apache.pekko.japi.Function<Throwable, org.apache.pekko.grpc.Trailers>>
      errors = GrpcErrors.mapper();

  OtlpGrpcHandler(
      SignalRouter router, ReceiverSettings settings, ActorSystem system, ShoalMetrics metrics) {
    this.router = router;
    this.metrics = metrics;
    this.maxMessageBytes = settings.maxRequestBytes();
    this.readTimeoutMillis = settings.readTimeout().toMillis();
    this.retryAfter = settings.retryAfter();
    this.system = system;
    this.mat = Materializer.matFromSystem(system);
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    Signal signal = OtlpGrpcExport.signalAt(request.getUri().path());
    Optional<CompletionStage<HttpResponse>> negotiated =
        GrpcMarshalling.negotiated(request, (reader, writer) -> handle(signal, request, writer));
    return negotiated
        .orElseGet(
            () -> {
              request.discardEntityBytes(mat);
              return CompletableFuture.completedFuture(
                  HttpResponse.create().withStatus(StatusCodes.UNSUPPORTED_MEDIA_TYPE));
            })
        .thenApply(response -> counted(signal, response));
  }

  private CompletionStage<HttpResponse> handle(
      Signal signal, HttpRequest request, GrpcProtocol.GrpcProtocolWriter writer) {
    if (signal == null) {
      request.discardEntityBytes(mat);
      return CompletableFuture.completedFuture(
          failed(
              writer,
              new GrpcServiceException(
                  Status.UNIMPLEMENTED.withDescription(
                      "no such method "
                          + request.getUri().path()
                          + "; OTLP/gRPC serves the Export method of TraceService,"
                          + " MetricsService and LogsService"))));
    }
    return RequestBodies.read(
            request.entity(), maxMessageBytes + FRAME_HEADER, readTimeoutMillis, mat)
        .thenCompose(body -> admit(signal, request, body, writer))
        .exceptionally(failure -> failed(writer, withConfiguredLimit(GrpcErrors.unwrap(failure))));
  }

  private CompletionStage<HttpResponse> admit(
      Signal signal, HttpRequest request, ByteString body, GrpcProtocol.GrpcProtocolWriter writer) {
    byte[] message;
    ExportRequest export;
    try {
      message = message(request, body);
      export = ExportRequest.parse(signal, message);
    } catch (Exception e) {
      throw new CompletionException(e);
    }
    return router
        .offerAcknowledged(export, PeerAddress.of(request))
        .thenApply(
            admission -> {
              if (admission != Admission.ACCEPTED) {
                throw GrpcErrors.refused(Refusals.reason(signal, admission), retryAfter);
              }
              return GrpcMarshalling.marshal(
                  OtlpGrpcExport.ACKNOWLEDGEMENT, OtlpGrpcExport.ENCODED, writer, system, errors);
            });
  }

  private HttpResponse failed(GrpcProtocol.GrpcProtocolWriter writer, Throwable failure) {
    return GrpcExceptionHandler.standard(failure, errors, writer, system);
  }

  /**
   * Counts an answer by its gRPC status: a failure is answered "trailers-only", with {@code
   * grpc-status} among the headers; a success carries it in the trailers after the message.
   */
  private HttpResponse counted(Signal signal, HttpResponse response) {
    String status =
        response
            .getHeader("grpc-status")
            .map(h -> statusName(h.value()))
            .orElse(response.status().isSuccess() ? "OK" : "HTTP_" + response.status().intValue());
    metrics.requestAnswered("grpc", signal == null ? "none" : signal.id(), status);
    return response;
  }

  private static String statusName(String code) {
    try {
      return Status.fromCodeValue(Integer.parseInt(code.trim())).getCode().name();
    } catch (NumberFormatException e) {
      return "UNKNOWN";
    }
  }

  /**
   * The body was read with room for the frame header; the client is told the configured message
   * limit, the number it can look up under max-request-bytes.
   */
  private Throwable withConfiguredLimit(Throwable failure) {
    return failure instanceof RequestTooLargeException e && !e.inflated()
        ? new RequestTooLargeException(maxMessageBytes, false)
        : failure;
  }

  /**
   * The one message of a unary call: a 5-byte prefix (compressed flag, big-endian length) and that
   * many bytes, inflated when compressed with gzip. Anything else is the client's error, answered
   * as INVALID_ARGUMENT (or UNIMPLEMENTED for an unknown compression).
   */
  private byte[] message(HttpRequest request, ByteString body) throws Exception {
    if (body.size() < FRAME_HEADER) {
      throw new MalformedFrameException("request holds no complete gRPC message frame");
    }
    long declared =
        ((body.apply(1) & 0xFFL) << 24)
            | ((body.apply(2) & 0xFFL) << 16)
            | ((body.apply(3) & 0xFFL) << 8)
            | (body.apply(4) & 0xFFL);
    long received = body.size() - FRAME_HEADER;
    if (declared != received) {
      throw new MalformedFrameException(
          "gRPC frame announces "
              + declared
              + " bytes but "
              + received
              + " followed; a unary call carries exactly one message");
    }
    byte flag = body.apply(0);
    if (flag == 0) return body.drop(FRAME_HEADER).toArrayUnsafe();
    if (flag != 1) {
      throw new MalformedFrameException("gRPC frame has an unknown compressed flag " + flag);
    }
    String encoding = request.getHeader(ENCODING).map(HttpHeader::value).orElse(null);
    if (encoding == null) {
      throw new MalformedFrameException(
          "gRPC message is marked compressed but the request has no grpc-encoding header");
    }
    if (!encoding.equals("gzip")) {
      throw new GrpcServiceException(
          Status.UNIMPLEMENTED.withDescription(
              "unsupported grpc-encoding " + encoding + "; use gzip or identity"));
    }
    return RequestBodies.gunzip(body.drop(FRAME_HEADER), maxMessageBytes);
  }
}
