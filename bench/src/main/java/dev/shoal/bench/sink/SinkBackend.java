package dev.shoal.bench.sink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/**
 * An OTLP backend for benchmarks and tests: it accepts OTLP/gRPC and OTLP/HTTP export requests,
 * counts the requests and items it accepted per signal, and answers according to a {@link SinkMode}
 * that can change at any time ({@link #setMode}, or {@code POST /mode?m=...}).
 *
 * <p>Nothing received is kept: memory stays bounded by the requests in flight, each at most {@code
 * maxRequestBytes}.
 */
public final class SinkBackend implements AutoCloseable {
  /** Largest request taken, before and after gzip; a node's batch is at most 8 MiB by default. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final SinkState state;
  private final ServerBinding grpc;
  private final ServerBinding http;

  private SinkBackend(SinkState state, ServerBinding grpc, ServerBinding http) {
    this.state = state;
    this.grpc = grpc;
    this.http = http;
  }

  /**
   * Binds the sink on {@code host}; a port of 0 takes a free one. Returns once both are bound, or
   * fails with the reason (nothing stays bound then).
   */
  public static SinkBackend start(
      ActorSystem<?> system, String host, int grpcPort, int httpPort, SinkMode mode) {
    org.apache.pekko.actor.ActorSystem classic = system.classicSystem();
    SinkState state = new SinkState(mode, classic);
    long max = DEFAULT_MAX_REQUEST_BYTES;
    CompletableFuture<ServerBinding> grpc =
        bind(system, host, grpcPort, true, new GrpcSink(state, max, READ_TIMEOUT, classic));
    CompletableFuture<ServerBinding> http =
        bind(system, host, httpPort, false, new HttpSink(state, max, READ_TIMEOUT, classic));
    try {
      return new SinkBackend(state, grpc.get(30, TimeUnit.SECONDS), http.get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      grpc.thenAccept(ServerBinding::unbind);
      http.thenAccept(ServerBinding::unbind);
      throw new IllegalStateException(
          "sink cannot listen on "
              + host
              + " (gRPC "
              + grpcPort
              + ", HTTP "
              + httpPort
              + "): "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          e);
    }
  }

  private static CompletableFuture<ServerBinding> bind(
      ActorSystem<?> system,
      String host,
      int port,
      boolean http2,
      Function<HttpRequest, java.util.concurrent.CompletionStage<HttpResponse>> handler) {
    return Http.get(system)
        .newServerAt(host, port)
        .adaptSettings(
            s ->
                s.withEnableHttp2(http2)
                    .withParserSettings(
                        s.getParserSettings().withMaxContentLength(DEFAULT_MAX_REQUEST_BYTES + 5)))
        .bind(handler)
        .toCompletableFuture();
  }

  public int grpcPort() {
    return grpc.localAddress().getPort();
  }

  public int httpPort() {
    return http.localAddress().getPort();
  }

  /** {@code http://HOST:PORT} of the gRPC side, as exporters take it. */
  public String grpcEndpoint() {
    return "http://" + grpc.localAddress().getHostString() + ":" + grpcPort();
  }

  /** {@code http://HOST:PORT} of the HTTP side, without a path. */
  public String httpEndpoint() {
    return "http://" + http.localAddress().getHostString() + ":" + httpPort();
  }

  public SinkCounts counts() {
    return state.snapshot();
  }

  public SinkMode mode() {
    return state.mode();
  }

  public void setMode(SinkMode mode) {
    state.setMode(mode);
  }

  /** Stops listening and closes the connections, giving requests in flight a second to finish. */
  public void stop() {
    CompletableFuture.allOf(
            grpc.terminate(Duration.ofSeconds(1)).toCompletableFuture(),
            http.terminate(Duration.ofSeconds(1)).toCompletableFuture())
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }

  @Override
  public void close() {
    stop();
  }
}
