package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import dev.shoal.pipeline.otlp.Signal;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsService;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceHandlerFactory;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceHandlerFactory;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceHandlerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * An OTLP backend on 127.0.0.1 for exporter tests, over HTTP or gRPC, plaintext or TLS. It records
 * every request it receives (headers, body as sent, decoded request) and answers each as the test
 * scripted: {@link #script} queues answers for the next requests, and once they are used up it
 * accepts everything. It sits behind a {@link ConnectionDropper}, so that it can also cut a
 * connection in the middle of a request.
 *
 * <p>The gRPC side pairs the headers and the message bytes it sees with the message the service
 * then receives in arrival order, so tests send one request at a time.
 */
final class OtlpBackend implements AutoCloseable {

  /** How the backend answers one request. */
  sealed interface Answer {}

  /** Accepts everything. */
  record Accept() implements Answer {}

  /** Accepts, but says that {@code rejected} items were refused. */
  record PartialSuccess(long rejected, String message) implements Answer {}

  /** HTTP 429 with {@code Retry-After}; gRPC {@code RESOURCE_EXHAUSTED} with {@code RetryInfo}. */
  record Throttle(Duration retryAfter) implements Answer {}

  /** HTTP 503; gRPC {@code UNAVAILABLE}. */
  record Unavailable() implements Answer {}

  /** HTTP 400 with a {@code google.rpc.Status} body; gRPC {@code INVALID_ARGUMENT}. */
  record BadRequest(String message) implements Answer {}

  /** gRPC {@code RESOURCE_EXHAUSTED} without {@code RetryInfo} (HTTP 413). */
  record TooLarge() implements Answer {}

  /** Never answers. */
  record Hang() implements Answer {}

  /** Resets the connection the request came on, without an answer. */
  record Drop() implements Answer {}

  /**
   * One request as the backend saw it.
   *
   * @param atNanos {@link System#nanoTime()} when it arrived
   * @param headers lower-case names
   * @param body the HTTP body as sent (possibly gzip); for gRPC the one message as sent (possibly
   *     gzip), without the frame's five-byte prefix
   * @param request the decoded export request
   */
  record Received(long atNanos, Map<String, String> headers, byte[] body, Message request) {}

  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Pending> arrivedGrpc = new ArrayDeque<>();
  private final ServerBinding binding;
  private final ConnectionDropper dropper;
  private final boolean tls;

  private record Pending(long atNanos, Map<String, String> headers, byte[] body, Answer answer) {}

  private OtlpBackend(ActorSystem<?> system, Optional<HttpsConnectionContext> https, boolean grpc) {
    this.tls = https.isPresent();
    Function<HttpRequest, CompletionStage<HttpResponse>> handler =
        grpc ? grpcHandler(system) : httpHandler(Materializer.matFromSystem(system));
    ServerBuilder server =
        Http.get(system).newServerAt("127.0.0.1", 0).adaptSettings(s -> s.withEnableHttp2(grpc));
    if (https.isPresent()) server = server.enableHttps(https.get());
    binding = server.bind(handler).toCompletableFuture().join();
    dropper = new ConnectionDropper(system, binding.localAddress().getPort());
  }

  static OtlpBackend http(ActorSystem<?> system) {
    return new OtlpBackend(system, Optional.empty(), false);
  }

  static OtlpBackend grpc(ActorSystem<?> system) {
    return new OtlpBackend(system, Optional.empty(), true);
  }

  static OtlpBackend http(ActorSystem<?> system, HttpsConnectionContext https) {
    return new OtlpBackend(system, Optional.of(https), false);
  }

  static OtlpBackend grpc(ActorSystem<?> system, HttpsConnectionContext https) {
    return new OtlpBackend(system, Optional.of(https), true);
  }

  /** The endpoint exporters are configured with. */
  String endpoint() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + dropper.port();
  }

  /** The next requests get these answers, in order; the ones after them are accepted. */
  synchronized void script(Answer... answers) {
    script.addAll(Arrays.asList(answers));
  }

  /** While true, every new connection is closed at once, as if nothing listened. */
  void refuseConnections(boolean refuse) {
    dropper.refuseConnections(refuse);
  }

  /** Connections closed at once because the backend refused them. */
  int refusedConnections() {
    return dropper.refusedConnections();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private synchronized Answer nextAnswer() {
    Answer next = script.poll();
    return next == null ? new Accept() : next;
  }

  // ---- OTLP/HTTP ----

  private Function<HttpRequest, CompletionStage<HttpResponse>> httpHandler(Materializer mat) {
    return request ->
        request
            .entity()
            .toStrict(10_000, mat)
            .thenCompose(
                strict -> {
                  long at = System.nanoTime();
                  Map<String, String> headers = headers(request);
                  headers.put("content-type", strict.getContentType().toString());
                  byte[] body = strict.getData().toArray();
                  Signal signal = Signal.forHttpPath(request.getUri().path());
                  Message decoded =
                      decode(signal, body, "gzip".equals(headers.get("content-encoding")));
                  Answer answer = nextAnswer();
                  received.add(new Received(at, headers, body, decoded));
                  return httpAnswer(answer, signal);
                });
  }

  private static Message decode(Signal signal, byte[] body, boolean gzip) {
    if (signal == null) return null;
    try {
      byte[] bytes =
          gzip ? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body;
      return signal.parseProtobuf(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private CompletionStage<HttpResponse> httpAnswer(Answer answer, Signal signal) {
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
    if (answer instanceof Drop) dropper.dropAll();
    return new CompletableFuture<>(); // Hang, or Drop: the connection is gone
  }

  private static CompletionStage<HttpResponse> protobuf(int status, byte[] body) {
    return CompletableFuture.completedFuture(
        HttpResponse.create()
            .withStatus(status)
            .withEntity(HttpEntities.create(OtlpHttpExporter.PROTOBUF, body)));
  }

  // ---- OTLP/gRPC ----

  private Function<HttpRequest, CompletionStage<HttpResponse>> grpcHandler(ActorSystem<?> system) {
    GrpcServices services = new GrpcServices();
    @SuppressWarnings("unchecked")
    Function<HttpRequest, CompletionStage<HttpResponse>> grpc =
        ServiceHandler.concatOrNotFound(
            TraceServiceHandlerFactory.partial(services, TraceService.name, system),
            MetricsServiceHandlerFactory.partial(services, MetricsService.name, system),
            LogsServiceHandlerFactory.partial(services, LogsService.name, system));
    Materializer mat = Materializer.matFromSystem(system);
    return request -> {
      long at = System.nanoTime();
      return request
          .entity()
          .toStrict(10_000, mat)
          .thenCompose(
              strict -> {
                byte[] body = grpcMessage(strict.getData().toArray());
                synchronized (this) {
                  arrivedGrpc.add(new Pending(at, headers(request), body, nextAnswer()));
                }
                try {
                  return grpc.apply(request.withEntity(strict));
                } catch (Exception e) {
                  return CompletableFuture.failedFuture(e);
                }
              });
    };
  }

  /** The message of a gRPC body that holds one: what follows the compressed flag and length. */
  private static byte[] grpcMessage(byte[] body) {
    if (body.length < 5) return body;
    int length = ByteBuffer.wrap(body, 1, 4).getInt();
    return Arrays.copyOfRange(body, 5, Math.min(body.length, 5 + length));
  }

  private final class GrpcServices implements TraceService, MetricsService, LogsService {
    @Override
    public CompletionStage<ExportTraceServiceResponse> export(ExportTraceServiceRequest in) {
      return grpcAnswer(Signal.TRACES, in);
    }

    @Override
    public CompletionStage<ExportMetricsServiceResponse> export(ExportMetricsServiceRequest in) {
      return grpcAnswer(Signal.METRICS, in);
    }

    @Override
    public CompletionStage<ExportLogsServiceResponse> export(ExportLogsServiceRequest in) {
      return grpcAnswer(Signal.LOGS, in);
    }
  }

  @SuppressWarnings("unchecked")
  private <R extends Message> CompletionStage<R> grpcAnswer(Signal signal, Message request) {
    Pending pending;
    synchronized (this) {
      pending = arrivedGrpc.poll();
    }
    if (pending == null) throw new IllegalStateException("a gRPC message without its request");
    received.add(new Received(pending.atNanos(), pending.headers(), pending.body(), request));
    Answer answer = pending.answer();
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
    if (answer instanceof Drop) dropper.dropAll();
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

  // ---- both ----

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

  private static Map<String, String> headers(HttpRequest request) {
    Map<String, String> headers = new TreeMap<>();
    for (HttpHeader h : request.getHeaders()) {
      headers.put(h.name().toLowerCase(Locale.ROOT), h.value());
    }
    return headers;
  }

  @Override
  public void close() {
    dropper.close();
    binding.terminate(Duration.ofSeconds(1)).toCompletableFuture().join();
  }

  static byte[] gunzip(byte[] body) {
    try {
      return new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
