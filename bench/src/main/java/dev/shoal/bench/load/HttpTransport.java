package dev.shoal.bench.load;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * OTLP/HTTP with binary protobuf through a Pekko HTTP host connection pool of {@code connections}
 * HTTP/1.1 connections. The requests themselves, entity included, are built once per pooled
 * payload.
 */
final class HttpTransport implements Transport {
  private static final ContentType PROTOBUF =
      MediaTypes.applicationBinary("x-protobuf", false).toContentType();

  private final Http http;
  private final HttpRequest[] requests;
  private final ConnectionPoolSettings poolSettings;
  private final HttpsConnectionContext unusedTls;
  private final LoggingAdapter log;
  private final Materializer mat;
  private final Executor dispatcher;
  private final Duration timeout;
  private final int maxInFlight;

  HttpTransport(LoadSettings settings, RequestPool pool, ActorSystem<?> system) {
    String path = settings.target().getRawPath();
    String uri =
        "http://"
            + settings.target().getHost()
            + ":"
            + settings.target().getPort()
            + (path == null || path.isEmpty() || path.equals("/") ? "/v1/traces" : path);
    List<RequestPool.Payload> payloads = pool.payloads();
    requests = new HttpRequest[payloads.size()];
    for (RequestPool.Payload p : payloads) {
      requests[p.index()] =
          HttpRequest.POST(uri)
              .withEntity(HttpEntities.create(PROTOBUF, ByteString.fromArrayUnsafe(p.protobuf())));
    }
    http = Http.get(system);
    // HTTP/1.1 without pipelining: one request per connection at a time.
    maxInFlight = settings.connections();
    poolSettings =
        ConnectionPoolSettings.create(system.classicSystem())
            .withMaxConnections(settings.connections())
            .withMaxOpenRequests(powerOfTwoAtLeast(2 * maxInFlight))
            .withPipeliningLimit(1)
            .withMaxRetries(0);
    unusedTls = http.defaultClientHttpsContext();
    log = system.classicSystem().log();
    mat = Materializer.matFromSystem(system);
    dispatcher = system.executionContext();
    timeout = settings.timeout();
  }

  @Override
  public CompletionStage<Outcome> send(RequestPool.Payload payload) {
    // Continued on the dispatcher: a stage Pekko returns runs a plain thenCompose on the JDK's
    // async pool, which on a machine with two cores or fewer starts a thread for every call.
    return http.singleRequest(requests[payload.index()], unusedTls, poolSettings, log)
        .thenComposeAsync(this::outcome, dispatcher)
        .toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(HttpTransport::failed);
  }

  private CompletionStage<Outcome> outcome(HttpResponse response) {
    int status = response.status().intValue();
    if (status == 200) {
      return response
          .entity()
          .toStrict(timeout.toMillis(), mat)
          .thenApplyAsync(
              body -> {
                long rejected = rejectedSpans(body.getData());
                return rejected == 0
                    ? Outcome.ACKNOWLEDGED
                    : new Outcome(Result.ACKNOWLEDGED, rejected, "partial success");
              },
              dispatcher);
    }
    response.discardEntityBytes(mat);
    String detail = "HTTP " + status;
    return CompletableFuture.completedFuture(
        status == 429 || status == 503 ? Outcome.refused(detail) : Outcome.failed(detail));
  }

  private static long rejectedSpans(ByteString body) {
    if (body.isEmpty()) return 0;
    try {
      return ExportTraceServiceResponse.parseFrom(body.toArrayUnsafe())
          .getPartialSuccess()
          .getRejectedSpans();
    } catch (Exception e) {
      return 0; // a JSON or unreadable acknowledgement still acknowledges the whole request
    }
  }

  private static Outcome failed(Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return Outcome.failed(t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  private static int powerOfTwoAtLeast(int n) {
    return Math.max(32, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
  }

  @Override
  public int maxInFlight() {
    return maxInFlight;
  }

  @Override
  public void close() {
    http.shutdownAllConnectionPools()
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
