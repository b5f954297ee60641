package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.Message;
import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsService;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceHandlerFactory;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceHandlerFactory;
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
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;

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

  private final Deque<BackendAnswer> script = new ArrayDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Pending> arrivedGrpc = new ArrayDeque<>();
  private final ServerBinding binding;
  private final ConnectionDropper dropper;
  private final boolean tls;

  private record Pending(
      long atNanos, Map<String, String> headers, byte[] body, BackendAnswer answer) {}

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
  synchronized void script(BackendAnswer... answers) {
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

  private synchronized BackendAnswer nextAnswer() {
    BackendAnswer next = script.poll();
    return next == null ? new BackendAnswer.Accept() : next;
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
                  BackendAnswer answer = nextAnswer();
                  received.add(new Received(at, headers, body, decoded));
                  if (answer instanceof BackendAnswer.Drop) dropper.dropAll();
                  return answer.http(signal);
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
      return answerGrpc(Signal.TRACES, in);
    }

    @Override
    public CompletionStage<ExportMetricsServiceResponse> export(ExportMetricsServiceRequest in) {
      return answerGrpc(Signal.METRICS, in);
    }

    @Override
    public CompletionStage<ExportLogsServiceResponse> export(ExportLogsServiceRequest in) {
      return answerGrpc(Signal.LOGS, in);
    }
  }

  private <R extends Message> CompletionStage<R> answerGrpc(Signal signal, Message request) {
    Pending pending;
    synchronized (this) {
      pending = arrivedGrpc.poll();
    }
    if (pending == null) throw new IllegalStateException("a gRPC message without its request");
    received.add(new Received(pending.atNanos(), pending.headers(), pending.body(), request));
    BackendAnswer answer = pending.answer();
    if (answer instanceof BackendAnswer.Drop) dropper.dropAll();
    return answer.grpc(signal);
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
