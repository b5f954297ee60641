package dev.shoal.bench.sink;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.javadsl.Tcp;

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

  /** How the sink takes its connections. */
  public enum Connections {
    /** Its HTTP servers listen themselves; mode {@code drop} is refused. For measurements. */
    DIRECT,
    /**
     * Relayed, so that mode {@code drop} can cut them ({@link DroppableConnections}). The relay
     * costs the sink CPU: a few milliseconds per megabyte received.
     */
    DROPPABLE
  }

  private final SinkState state;
  private final Side grpc;
  private final Side http;

  private SinkBackend(SinkState state, Side grpc, Side http) {
    this.state = state;
    this.grpc = grpc;
    this.http = http;
  }

  /**
   * One side of the sink: its HTTP server and, if its connections are droppable, the socket clients
   * connect to, which relays their connections to the server.
   */
  private record Side(ServerBinding server, Optional<Tcp.ServerBinding> relay) {
    InetSocketAddress address() {
      return relay.map(Tcp.ServerBinding::localAddress).orElseGet(server::localAddress);
    }

    String endpoint() {
      return "http://" + address().getHostString() + ":" + address().getPort();
    }

    CompletableFuture<Void> terminate(Duration deadline) {
      // No new connections first; closing the server's connections then ends their relays.
      CompletionStage<?> unbound =
          relay.<CompletionStage<?>>map(Tcp.ServerBinding::unbind).orElse(completedFuture(null));
      return unbound
          .thenCompose(done -> server.terminate(deadline))
          .toCompletableFuture()
          .thenApply(terminated -> null);
    }
  }

  /**
   * Binds the sink on {@code host}; a port of 0 takes a free one. Returns once both are bound, or
   * fails with the reason (nothing stays bound then). Its connections are droppable only when it
   * starts in mode {@code drop}.
   */
  public static SinkBackend start(
      ActorSystem<?> system, String host, int grpcPort, int httpPort, SinkMode mode) {
    Connections connections =
        mode.kind() == SinkMode.Kind.DROP ? Connections.DROPPABLE : Connections.DIRECT;
    return start(system, host, grpcPort, httpPort, mode, connections);
  }

  /**
   * Binds the sink on {@code host}; a port of 0 takes a free one. Returns once both are bound, or
   * fails with the reason (nothing stays bound then).
   */
  public static SinkBackend start(
      ActorSystem<?> system,
      String host,
      int grpcPort,
      int httpPort,
      SinkMode mode,
      Connections connections) {
    org.apache.pekko.actor.ActorSystem classic = system.classicSystem();
    boolean droppable = connections == Connections.DROPPABLE;
    SinkState state = new SinkState(mode, droppable, classic);
    long max = DEFAULT_MAX_REQUEST_BYTES;
    DroppableConnections grpcConnections = new DroppableConnections(classic);
    DroppableConnections httpConnections = new DroppableConnections(classic);
    CompletableFuture<Side> grpc =
        side(
            system,
            host,
            grpcPort,
            true,
            droppable ? Optional.of(grpcConnections) : Optional.empty(),
            new GrpcSink(state, grpcConnections, max, READ_TIMEOUT, classic));
    CompletableFuture<Side> http =
        side(
            system,
            host,
            httpPort,
            false,
            droppable ? Optional.of(httpConnections) : Optional.empty(),
            new HttpSink(state, httpConnections, max, READ_TIMEOUT, classic));
    try {
      return new SinkBackend(state, grpc.get(30, TimeUnit.SECONDS), http.get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      grpc.thenAccept(side -> side.terminate(Duration.ZERO));
      http.thenAccept(side -> side.terminate(Duration.ZERO));
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

  /**
   * The server on {@code host:port}; or, with {@code relayed}, the server on a free loopback port
   * and the relay on {@code host:port} (if that cannot listen, the server is unbound again).
   */
  private static CompletableFuture<Side> side(
      ActorSystem<?> system,
      String host,
      int port,
      boolean http2,
      Optional<DroppableConnections> relayed,
      Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    CompletionStage<ServerBinding> server =
        Http.get(system)
            .newServerAt(
                relayed.isPresent() ? InetAddress.getLoopbackAddress().getHostAddress() : host,
                relayed.isPresent() ? 0 : port)
            .adaptSettings(
                s ->
                    s.withEnableHttp2(http2)
                        // A handler finds its relayed connection by the address it comes from.
                        .withRemoteAddressAttribute(relayed.isPresent())
                        .withParserSettings(
                            s.getParserSettings()
                                .withMaxContentLength(DEFAULT_MAX_REQUEST_BYTES + 5)))
            .bind(handler);
    if (relayed.isEmpty()) {
      return server.thenApply(bound -> new Side(bound, Optional.empty())).toCompletableFuture();
    }
    return server
        .thenCompose(
            bound ->
                relayed
                    .get()
                    .listen(host, port, bound.localAddress())
                    .<Side>handle(
                        (relay, failure) -> {
                          if (failure == null) return new Side(bound, Optional.of(relay));
                          bound.unbind();
                          throw new CompletionException(failure);
                        }))
        .toCompletableFuture();
  }

  public int grpcPort() {
    return grpc.address().getPort();
  }

  public int httpPort() {
    return http.address().getPort();
  }

  /** {@code http://HOST:PORT} of the gRPC side, as exporters take it. */
  public String grpcEndpoint() {
    return grpc.endpoint();
  }

  /** {@code http://HOST:PORT} of the HTTP side, without a path. */
  public String httpEndpoint() {
    return http.endpoint();
  }

  public SinkCounts counts() {
    return state.snapshot();
  }

  public SinkMode mode() {
    return state.mode();
  }

  /**
   * @throws IllegalArgumentException for mode drop when the sink's connections are {@link
   *     Connections#DIRECT}
   */
  public void setMode(SinkMode mode) {
    state.setMode(mode);
  }

  /** Stops listening and closes the connections, giving requests in flight a second to finish. */
  public void stop() {
    CompletableFuture.allOf(
            grpc.terminate(Duration.ofSeconds(1)), http.terminate(Duration.ofSeconds(1)))
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }

  @Override
  public void close() {
    stop();
  }
}
