package dev.shoal.bench.sink;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import dev.shoal.pipeline.otlp.OtlpWire;
import dev.shoal.pipeline.otlp.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * The sink's HTTP side: OTLP/HTTP ({@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs};
 * binary protobuf or JSON, optionally gzip) and its control endpoints: {@code GET /counts} (JSON)
 * and {@code POST /mode?m=MODE} ({@code GET /mode} reads it).
 *
 * <p>Binary protobuf bodies are counted on the wire ({@link OtlpWire}); JSON bodies, which a
 * benchmark does not send, are decoded.
 */
final class HttpSink implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  private static final ContentType PROTOBUF =
      MediaTypes.applicationBinary("x-protobuf", false).toContentType();
  private static final ByteString EMPTY_JSON = ByteString.fromString("{}");

  private final SinkState state;
  private final DroppableConnections connections;
  private final long maxRequestBytes;
  private final Duration readTimeout;
  private final Materializer mat;
  private final Executor dispatcher;

  HttpSink(
      SinkState state,
      DroppableConnections connections,
      long maxRequestBytes,
      Duration readTimeout,
      ActorSystem system) {
    this.state = state;
    this.connections = connections;
    this.maxRequestBytes = maxRequestBytes;
    this.readTimeout = readTimeout;
    this.mat = Materializer.matFromSystem(system);
    this.dispatcher = system.dispatcher();
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    String path = request.getUri().path();
    if (path.equals("/counts")) return control(request, state.snapshot().toJson());
    if (path.equals("/mode")) return mode(request);
    Signal signal = Signal.forHttpPath(path);
    if (signal == null) return answer(request, StatusCodes.NOT_FOUND, "no endpoint at " + path);
    if (request.method() != HttpMethods.POST) {
      return answer(request, StatusCodes.METHOD_NOT_ALLOWED, "use POST on " + path);
    }
    boolean json = mediaType(request).equals("application/json");
    if (!json && !mediaType(request).equals("application/x-protobuf")) {
      return answer(
          request,
          StatusCodes.UNSUPPORTED_MEDIA_TYPE,
          "use application/x-protobuf or application/json");
    }
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
        return refuse(request, StatusCodes.SERVICE_UNAVAILABLE, Code.UNAVAILABLE, mode, json);
      case THROTTLE_429:
        state.refused(signal);
        return refuse(request, StatusCodes.TOO_MANY_REQUESTS, Code.UNAVAILABLE, mode, json)
            .thenApply(r -> r.addHeader(RetryAfter.create(1L)));
      case REJECT_400:
        state.refused(signal);
        return refuse(request, StatusCodes.BAD_REQUEST, Code.INVALID_ARGUMENT, mode, json);
      default:
        return accept(signal, request, json, mode);
    }
  }

  private CompletionStage<HttpResponse> accept(
      Signal signal, HttpRequest request, boolean json, SinkMode mode) {
    boolean gzip =
        request.getHeader("Content-Encoding").map(h -> h.value().equals("gzip")).orElse(false);
    return request
        .entity()
        .withSizeLimit(maxRequestBytes)
        .toStrict(readTimeout.toMillis(), mat)
        // On the dispatcher, not the JDK's async pool: see GrpcSink.accept.
        .thenApplyAsync(strict -> countItems(signal, strict.getData(), json, gzip), dispatcher)
        .thenCompose(items -> state.afterDelay(mode, items))
        .thenApply(
            items -> {
              state.accepted(signal, items);
              return HttpResponse.create()
                  .withEntity(
                      json ? ContentTypes.APPLICATION_JSON : PROTOBUF,
                      json ? EMPTY_JSON : ByteString.emptyByteString());
            })
        .exceptionally(failure -> failed(failure, json));
  }

  private long countItems(Signal signal, ByteString body, boolean json, boolean gzip) {
    try {
      byte[] bytes =
          gzip ? BoundedGzip.inflate(body.asInputStream(), maxRequestBytes) : body.toArrayUnsafe();
      return json ? signal.countItems(signal.parseJson(bytes)) : OtlpWire.countItems(signal, bytes);
    } catch (IOException e) {
      state.invalid(signal);
      throw new CompletionException(e);
    }
  }

  private static HttpResponse failed(Throwable failure, boolean json) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof BoundedGzip.TooLarge || t instanceof EntityStreamSizeException) {
      return error(
          StatusCodes.CONTENT_TOO_LARGE, Code.RESOURCE_EXHAUSTED, "request too large", json);
    }
    if (t instanceof InvalidProtocolBufferException || t instanceof IOException) {
      return error(
          StatusCodes.BAD_REQUEST,
          Code.INVALID_ARGUMENT,
          "unreadable body: " + t.getMessage(),
          json);
    }
    return error(StatusCodes.INTERNAL_SERVER_ERROR, Code.INTERNAL, String.valueOf(t), json);
  }

  private CompletionStage<HttpResponse> refuse(
      HttpRequest request, StatusCode status, Code code, SinkMode mode, boolean json) {
    request.discardEntityBytes(mat);
    return CompletableFuture.completedFuture(error(status, code, "sink mode " + mode, json));
  }

  /** An OTLP/HTTP error: a {@code google.rpc.Status} in the request's encoding. */
  private static HttpResponse error(StatusCode status, Code code, String message, boolean json) {
    com.google.rpc.Status body =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    ByteString bytes =
        json
            ? ByteString.fromString(
                "{\"code\":" + code.getNumber() + ",\"message\":" + quoted(message) + "}")
            : ByteString.fromArrayUnsafe(body.toByteArray());
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(json ? ContentTypes.APPLICATION_JSON : PROTOBUF, bytes);
  }

  private CompletionStage<HttpResponse> mode(HttpRequest request) {
    if (request.method() == HttpMethods.GET) return control(request, "\"" + state.mode() + "\"");
    if (request.method() != HttpMethods.POST) {
      return answer(request, StatusCodes.METHOD_NOT_ALLOWED, "use GET or POST on /mode");
    }
    Optional<String> m = request.getUri().query().get("m");
    if (m.isEmpty())
      return answer(request, StatusCodes.BAD_REQUEST, "POST /mode?m=" + SinkMode.CHOICES);
    try {
      state.setMode(SinkMode.parse(m.get()));
    } catch (IllegalArgumentException e) {
      return answer(request, StatusCodes.BAD_REQUEST, e.getMessage());
    }
    return control(request, "\"" + state.mode() + "\"");
  }

  private CompletionStage<HttpResponse> control(HttpRequest request, String json) {
    request.discardEntityBytes(mat);
    return CompletableFuture.completedFuture(
        HttpResponse.create()
            .withEntity(ContentTypes.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8)));
  }

  private CompletionStage<HttpResponse> answer(
      HttpRequest request, StatusCode status, String message) {
    request.discardEntityBytes(mat);
    return CompletableFuture.completedFuture(
        HttpResponse.create().withStatus(status).withEntity(message + "\n"));
  }

  private static String mediaType(HttpRequest request) {
    return request.entity().getContentType().mediaType().toString();
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
