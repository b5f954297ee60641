package dev.shoal.pipeline.receiver;

import dev.shoal.pipeline.metrics.ShoalMetrics;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.grpc.GrpcProtocol;
import org.apache.pekko.grpc.internal.GrpcProtocolNative;
import org.apache.pekko.grpc.internal.Identity$;
import org.apache.pekko.grpc.javadsl.GrpcExceptionHandler;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * Sits in front of the generated gRPC handlers and bounds what a request may cost before it is
 * decoded: the body is read up to the size limit only, and a gzip-compressed message is inflated
 * here, up to the same limit. pekko-grpc would inflate a compressed message without bound.
 */
final class GrpcRequestGuard implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  private static final int FRAME_HEADER = 5;
  private static final String ENCODING = "grpc-encoding";

  private final Function<HttpRequest, CompletionStage<HttpResponse>> services;
  private final long maxMessageBytes;
  private final long readTimeoutMillis;
  private final ActorSystem system;
  private final Materializer mat;
  private final ShoalMetrics metrics;
  private final GrpcProtocol.GrpcProtocolWriter errorWriter =
      GrpcProtocolNative.newWriter(Identity$.MODULE$);

  GrpcRequestGuard(
      Function<HttpRequest, CompletionStage<HttpResponse>> services,
      ReceiverSettings settings,
      ActorSystem system,
      ShoalMetrics metrics) {
    this.services = services;
    this.metrics = metrics;
    this.maxMessageBytes = settings.maxRequestBytes();
    this.readTimeoutMillis = settings.readTimeout().toMillis();
    this.system = system;
    this.mat = Materializer.matFromSystem(system);
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    return RequestBodies.read(
            request.entity(), maxMessageBytes + FRAME_HEADER, readTimeoutMillis, mat)
        .thenCompose(body -> handle(request, body))
        .thenApply(response -> counted(request, response))
        .exceptionally(
            failure -> rejected(request, withConfiguredLimit(GrpcErrors.unwrap(failure))));
  }

  private HttpResponse rejected(HttpRequest request, Throwable failure) {
    return counted(
        request, GrpcExceptionHandler.standard(failure, GrpcErrors.mapper(), errorWriter, system));
  }

  /**
   * Counts an answer by its gRPC status: a failure is answered "trailers-only", with {@code
   * grpc-status} among the headers; a success carries it in the trailers after the message.
   */
  private HttpResponse counted(HttpRequest request, HttpResponse response) {
    String status =
        response
            .getHeader("grpc-status")
            .map(h -> statusName(h.value()))
            .orElse(response.status().isSuccess() ? "OK" : "HTTP_" + response.status().intValue());
    metrics.requestAnswered("grpc", signalOf(request.getUri().path()), status);
    return response;
  }

  private static String statusName(String code) {
    try {
      return io.grpc.Status.fromCodeValue(Integer.parseInt(code.trim())).getCode().name();
    } catch (NumberFormatException e) {
      return "UNKNOWN";
    }
  }

  /** The signal label of a gRPC method path, e.g. {@code traces} for the TraceService. */
  private static String signalOf(String path) {
    if (path.contains(".trace.v1.")) return "traces";
    if (path.contains(".metrics.v1.")) return "metrics";
    if (path.contains(".logs.v1.")) return "logs";
    return "none";
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

  private CompletionStage<HttpResponse> handle(HttpRequest request, ByteString body) {
    try {
      return services.apply(withPlainMessage(request, body));
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** The request with its body in memory and its message, when gzip-compressed, inflated. */
  private HttpRequest withPlainMessage(HttpRequest request, ByteString body) throws Exception {
    Optional<HttpHeader> encoding = request.getHeader(ENCODING);
    if (isGrpc(request)) checkFrame(body, encoding);
    boolean compressed = body.size() >= FRAME_HEADER && body.apply(0) == 1;
    if (compressed && encoding.isPresent() && encoding.get().value().equals("gzip")) {
      byte[] message = RequestBodies.gunzip(body.drop(FRAME_HEADER), maxMessageBytes);
      ByteString frame =
          ByteString.fromArray(
                  new byte[] {
                    0,
                    (byte) (message.length >>> 24),
                    (byte) (message.length >>> 16),
                    (byte) (message.length >>> 8),
                    (byte) message.length
                  })
              .concat(ByteString.fromArrayUnsafe(message));
      return request
          .removeHeader(ENCODING)
          .withEntity(HttpEntities.create(request.entity().getContentType(), frame));
    }
    return request.withEntity(HttpEntities.create(request.entity().getContentType(), body));
  }

  private static boolean isGrpc(HttpRequest request) {
    return request.entity().getContentType().mediaType().toString().startsWith("application/grpc");
  }

  /**
   * A unary call carries exactly one message: a 5-byte prefix (compressed flag, big-endian length)
   * and that many bytes. Anything else is the client's error, answered as INVALID_ARGUMENT here
   * rather than as an internal error deeper down.
   */
  private static void checkFrame(ByteString body, Optional<HttpHeader> encoding) {
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
    if (flag > 1 || flag < 0) {
      throw new MalformedFrameException("gRPC frame has an unknown compressed flag " + flag);
    }
    if (flag == 1 && encoding.isEmpty()) {
      throw new MalformedFrameException(
          "gRPC message is marked compressed but the request has no grpc-encoding header");
    }
  }
}
