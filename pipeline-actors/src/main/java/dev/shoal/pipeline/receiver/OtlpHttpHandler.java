package dev.shoal.pipeline.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import dev.shoal.pipeline.metrics.ShoalMetrics;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.Admission;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP: {@code POST /v1/traces}, {@code /v1/metrics} and {@code /v1/logs} with binary protobuf
 * or JSON bodies, optionally gzip-compressed. Answers in the request's encoding; errors carry a
 * {@code google.rpc.Status} body.
 */
final class OtlpHttpHandler implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  static final String RECEIVER = "OTLP/HTTP receiver";
  private static final Logger log = LoggerFactory.getLogger(OtlpHttpHandler.class);

  private final SignalRouter router;
  private final ReceiverSettings settings;
  private final Materializer mat;
  private final BadRequestLog badRequests = new BadRequestLog(log);
  private final ShoalMetrics metrics;

  OtlpHttpHandler(
      SignalRouter router, ReceiverSettings settings, Materializer mat, ShoalMetrics metrics) {
    this.router = router;
    this.settings = settings;
    this.mat = mat;
    this.metrics = metrics;
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    Signal signal = Signal.forHttpPath(request.getUri().path());
    String signalLabel = signal == null ? "none" : signal.id();
    return handle(request, signal)
        .thenApply(
            response -> {
              metrics.requestAnswered(
                  "http", signalLabel, String.valueOf(response.status().intValue()));
              return response;
            });
  }

  private CompletionStage<HttpResponse> handle(HttpRequest request, Signal signal) {
    if (signal == null) {
      return reject(
          request,
          StatusCodes.NOT_FOUND,
          Code.NOT_FOUND,
          "no OTLP endpoint at "
              + request.getUri().path()
              + "; use /v1/traces, /v1/metrics or /v1/logs",
          HttpBodyFormat.JSON);
    }
    if (request.method() != HttpMethods.POST) {
      return reject(
              request,
              StatusCodes.METHOD_NOT_ALLOWED,
              Code.UNIMPLEMENTED,
              request.method().name() + " is not supported on " + signal.httpPath() + "; use POST",
              HttpBodyFormat.JSON)
          .thenApply(r -> r.addHeader(Allow.create(HttpMethods.POST)));
    }
    HttpBodyFormat format = HttpBodyFormat.of(request.entity().getContentType().mediaType());
    if (format == null) {
      return reject(
          request,
          StatusCodes.UNSUPPORTED_MEDIA_TYPE,
          Code.INVALID_ARGUMENT,
          "unsupported Content-Type "
              + request.entity().getContentType()
              + "; use application/x-protobuf or application/json",
          HttpBodyFormat.JSON);
    }
    Optional<String> encoding = contentEncoding(request);
    if (encoding.isPresent()) {
      return reject(
          request,
          StatusCodes.UNSUPPORTED_MEDIA_TYPE,
          Code.INVALID_ARGUMENT,
          "unsupported Content-Encoding " + encoding.get() + "; use gzip or none",
          format);
    }
    OptionalLong declared = request.entity().getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > settings.maxRequestBytes()) {
      return reject(
          request,
          StatusCodes.PAYLOAD_TOO_LARGE,
          Code.RESOURCE_EXHAUSTED,
          new RequestTooLargeException(settings.maxRequestBytes(), false).getMessage(),
          format);
    }
    boolean gzip = isGzip(request);
    return RequestBodies.read(
            request.entity(), settings.maxRequestBytes(), settings.readTimeout().toMillis(), mat)
        .thenCompose(body -> ingest(signal, format, gzip, body, PeerAddress.of(request)))
        .exceptionally(failure -> failed(failure, format));
  }

  private CompletionStage<HttpResponse> ingest(
      Signal signal, HttpBodyFormat format, boolean gzip, ByteString body, InetAddress peer) {
    ExportRequest export;
    try {
      byte[] bytes =
          gzip ? RequestBodies.gunzip(body, settings.maxRequestBytes()) : body.toArrayUnsafe();
      export = format.read(signal, bytes);
    } catch (IOException e) {
      throw new BadRequest(e);
    }
    return router
        .offerAcknowledged(export, peer)
        .thenApply(admission -> answer(signal, format, admission));
  }

  private HttpResponse answer(Signal signal, HttpBodyFormat format, Admission admission) {
    if (admission == Admission.ACCEPTED) {
      return HttpResponse.create()
          .withStatus(StatusCodes.OK)
          .withEntity(format.contentType(), format.encode(signal.emptyResponse()));
    }
    // Full pipelines ask the client to slow down (429); a node that is shutting down is not
    // available (503), and the client does better to retry against another member.
    boolean closing = admission == Admission.CLOSED;
    return error(
            closing ? StatusCodes.SERVICE_UNAVAILABLE : StatusCodes.TOO_MANY_REQUESTS,
            closing ? Code.UNAVAILABLE : Code.RESOURCE_EXHAUSTED,
            Refusals.reason(signal, admission),
            format)
        .addHeader(RetryAfter.create(settings.retryAfterSeconds()));
  }

  private HttpResponse failed(Throwable failure, HttpBodyFormat format) {
    Throwable t = GrpcErrors.unwrap(failure);
    if (RequestBodies.hasCause(t, RequestTooLargeException.class)) {
      return rejected(
          StatusCodes.PAYLOAD_TOO_LARGE, Code.RESOURCE_EXHAUSTED, t.getMessage(), format);
    }
    InvalidProtocolBufferException invalid =
        RequestBodies.cause(t, InvalidProtocolBufferException.class);
    if (invalid != null) {
      return rejected(
          StatusCodes.BAD_REQUEST,
          Code.INVALID_ARGUMENT,
          "request body is not a valid OTLP "
              + (format == HttpBodyFormat.JSON ? "JSON" : "protobuf")
              + " message: "
              + invalid.getMessage(),
          format);
    }
    if (RequestBodies.hasCause(t, IOException.class)) {
      return rejected(
          StatusCodes.BAD_REQUEST,
          Code.INVALID_ARGUMENT,
          "request body is not valid gzip: "
              + RequestBodies.cause(t, IOException.class).getMessage(),
          format);
    }
    if (RequestBodies.hasCause(t, TimeoutException.class)) {
      return rejected(
          StatusCodes.REQUEST_TIMEOUT,
          Code.DEADLINE_EXCEEDED,
          "request body did not arrive within " + settings.readTimeout(),
          format);
    }
    log.error("{} failed on a request", RECEIVER, t);
    return error(StatusCodes.INTERNAL_SERVER_ERROR, Code.INTERNAL, "internal error", format);
  }

  private CompletionStage<HttpResponse> reject(
      HttpRequest request, StatusCode status, Code code, String message, HttpBodyFormat format) {
    request.discardEntityBytes(mat);
    return CompletableFuture.completedFuture(rejected(status, code, message, format));
  }

  private HttpResponse rejected(
      StatusCode status, Code code, String message, HttpBodyFormat format) {
    badRequests.rejected(RECEIVER, status.intValue() + " " + status.reason(), message);
    return error(status, code, message, format);
  }

  private static HttpResponse error(
      StatusCode status, Code code, String message, HttpBodyFormat format) {
    com.google.rpc.Status body =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(format.contentType(), format.encode(body));
  }

  /** The request's Content-Encoding when it is one this receiver cannot read. */
  private static Optional<String> contentEncoding(HttpRequest request) {
    return request
        .getHeader("Content-Encoding")
        .map(h -> h.value().trim().toLowerCase(java.util.Locale.ROOT))
        .filter(v -> !v.isEmpty() && !v.equals("gzip") && !v.equals("identity"));
  }

  private static boolean isGzip(HttpRequest request) {
    return request
        .getHeader("Content-Encoding")
        .map(h -> h.value().trim().equalsIgnoreCase("gzip"))
        .orElse(false);
  }

  /** A body that could not be read as what it claims to be. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(IOException cause) {
      super(cause);
    }
  }
}
