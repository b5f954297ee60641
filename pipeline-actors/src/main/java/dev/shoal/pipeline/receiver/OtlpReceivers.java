package dev.shoal.pipeline.receiver;

import dev.shoal.pipeline.metrics.ShoalMetrics;
import dev.shoal.pipeline.route.SignalRouter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;

/** Binds the OTLP/gRPC and OTLP/HTTP receivers, both feeding one {@link SignalRouter}. */
public final class OtlpReceivers {
  private OtlpReceivers() {}

  /**
   * Binds both receivers. Fails with {@link BindFailedException}, which names the port and the
   * setting that changes it, when a port cannot be bound; then nothing stays bound.
   */
  public static CompletionStage<Bindings> bind(
      ReceiverSettings settings, SignalRouter router, ActorSystem<?> system) {
    org.apache.pekko.actor.ActorSystem classic = system.classicSystem();
    ShoalMetrics metrics = ShoalMetrics.get(system);
    Function<HttpRequest, CompletionStage<HttpResponse>> grpc =
        new OtlpGrpcHandler(router, settings, classic, metrics);
    Function<HttpRequest, CompletionStage<HttpResponse>> http =
        new OtlpHttpHandler(router, settings, Materializer.matFromSystem(system), metrics);

    CompletableFuture<ServerBinding> grpcBinding =
        bindOne(
                system,
                settings,
                settings.grpcPort(),
                ReceiverSettings.CONFIG_PATH + ".grpc.port",
                "OTLP/gRPC",
                true,
                grpc)
            .toCompletableFuture();
    CompletableFuture<ServerBinding> httpBinding =
        bindOne(
                system,
                settings,
                settings.httpPort(),
                ReceiverSettings.CONFIG_PATH + ".http.port",
                "OTLP/HTTP",
                false,
                http)
            .toCompletableFuture();
    return CompletableFuture.allOf(grpcBinding, httpBinding)
        .handle(
            (ok, failure) -> {
              if (failure == null) return new Bindings(grpcBinding.join(), httpBinding.join());
              // Leave nothing half-bound behind.
              grpcBinding.thenAccept(ServerBinding::unbind);
              httpBinding.thenAccept(ServerBinding::unbind);
              throw GrpcErrors.unwrap(failure) instanceof BindFailedException b
                  ? b
                  : new IllegalStateException(failure);
            });
  }

  private static CompletionStage<ServerBinding> bindOne(
      ActorSystem<?> system,
      ReceiverSettings settings,
      int port,
      String portKey,
      String what,
      boolean http2,
      Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    return Http.get(system)
        .newServerAt(settings.bindAddress(), port)
        .adaptSettings(s -> tuned(s, settings, http2))
        .bind(handler)
        .exceptionally(
            failure -> {
              throw new BindFailedException(what, settings.bindAddress(), port, portKey, failure);
            });
  }

  private static ServerSettings tuned(ServerSettings s, ReceiverSettings settings, boolean http2) {
    // gRPC needs HTTP/2 (cleartext, prior knowledge). OTLP/HTTP stays on HTTP/1.1: clients such
    // as Java's HttpClient ask for an h2c upgrade, which is better declined than half-served.
    // Bodies are bounded by the receivers themselves (RequestBodies), so the parser's own limit
    // only needs to let them pass.
    // HTTP/2 requests whose body arrives within the first 48 KiB are handed over whole, as strict
    // entities, so that reading them takes no stream; the connection's buffer is raised so that
    // every allowed concurrent stream can hold that much (as Pekko HTTP requires).
    var h2 = s.getHttp2Settings();
    long connectionBuffer =
        Math.max(
            h2.getIncomingConnectionLevelBufferSize(),
            (long) STRICT_ENTITY_BYTES * h2.getMaxConcurrentStreams());
    // Each request carries its connection's peer address: enrichment associates data with the
    // pod that sent it when the data does not say which pod it is from.
    return s.withEnableHttp2(http2)
        .withRemoteAddressAttribute(true)
        .withHttp2Settings(
            h2.withIncomingConnectionLevelBufferSize(Math.toIntExact(connectionBuffer))
                .withIncomingStreamLevelBufferSize(
                    Math.max(STRICT_ENTITY_BYTES, h2.getIncomingStreamLevelBufferSize()))
                .withMinCollectStrictEntitySize(STRICT_ENTITY_BYTES))
        .withParserSettings(
            s.getParserSettings().withMaxContentLength(settings.maxRequestBytes() + 5));
  }

  /**
   * HTTP/2 request bodies up to this size are collected before the request is handled. It must stay
   * below HTTP/2's initial flow-control window (65,535 bytes): a client sends no more until the
   * server reads, so a larger threshold would wait forever for bodies just above the window.
   */
  static final int STRICT_ENTITY_BYTES = 48 * 1024;

  /** The two bound receivers. */
  public record Bindings(ServerBinding grpc, ServerBinding http) {
    public InetSocketAddress grpcAddress() {
      return grpc.localAddress();
    }

    public InetSocketAddress httpAddress() {
      return http.localAddress();
    }

    /** Stops accepting new connections; requests on open connections continue. */
    public CompletionStage<Done> unbind() {
      return grpc.unbind().thenCombine(http.unbind(), (a, b) -> Done.getInstance());
    }

    /** Lets requests in flight finish for at most {@code deadline}, then closes all connections. */
    public CompletionStage<Done> terminate(Duration deadline) {
      return grpc.terminate(deadline)
          .thenCombine(http.terminate(deadline), (a, b) -> Done.getInstance());
    }
  }

  /** A receiver could not listen on its port. */
  public static final class BindFailedException extends RuntimeException {
    public BindFailedException(
        String what, String address, int port, String portKey, Throwable cause) {
      super(
          String.format(
              "cannot listen for %s on %s:%d (%s). Free the port, or choose another with %s"
                  + " (or --config FILE)",
              what, address, port, GrpcErrors.unwrap(cause).getMessage(), portKey),
          cause);
    }
  }
}
