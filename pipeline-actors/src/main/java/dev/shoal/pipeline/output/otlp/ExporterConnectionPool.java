package dev.shoal.pipeline.output.otlp;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.http.scaladsl.Http;
import org.apache.pekko.http.scaladsl.HttpExt;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import scala.Tuple2;
import scala.util.Try;

/**
 * The HTTP connections of one exporter to its host: a pool of its own (not one shared by every
 * client of the same host), fed through a bounded queue, and shut down with the exporter. One
 * pipeline's hung requests can so never hold another pipeline's connections.
 *
 * <p>It is built with pekko-http's Scala API: the Java API's {@code newHostConnectionPool} uses TLS
 * even for a plaintext {@code ConnectHttp} (pekko-http 1.3.0).
 */
final class ExporterConnectionPool {
  private final BoundedSourceQueue<
          Tuple2<org.apache.pekko.http.scaladsl.model.HttpRequest, CompletableFuture<HttpResponse>>>
      queue;
  private final Http.HostConnectionPool pool;

  /**
   * @param https the TLS context, or empty for plaintext
   * @param queued requests that may wait for a connection; more are refused
   */
  ExporterConnectionPool(
      String host,
      int port,
      Optional<HttpsConnectionContext> https,
      ConnectionPoolSettings settings,
      int queued,
      ActorSystem<?> system) {
    Materializer materializer = Materializer.matFromSystem(system);
    HttpExt http = (HttpExt) Http.get(system.classicSystem());
    LoggingAdapter log = Logging.getLogger(system.classicSystem(), ExporterConnectionPool.class);
    var scalaSettings = (org.apache.pekko.http.scaladsl.settings.ConnectionPoolSettings) settings;
    org.apache.pekko.stream.scaladsl.Flow<
            Tuple2<
                org.apache.pekko.http.scaladsl.model.HttpRequest, CompletableFuture<HttpResponse>>,
            Tuple2<
                Try<org.apache.pekko.http.scaladsl.model.HttpResponse>,
                CompletableFuture<HttpResponse>>,
            Http.HostConnectionPool>
        connections =
            https.isPresent()
                ? http.newHostConnectionPoolHttps(
                    host,
                    port,
                    (org.apache.pekko.http.scaladsl.HttpsConnectionContext) https.get(),
                    scalaSettings,
                    log,
                    materializer)
                : http.newHostConnectionPool(host, port, scalaSettings, log, materializer);
    Pair<
            BoundedSourceQueue<
                Tuple2<
                    org.apache.pekko.http.scaladsl.model.HttpRequest,
                    CompletableFuture<HttpResponse>>>,
            Http.HostConnectionPool>
        materialized =
            Source
                .<Tuple2<
                        org.apache.pekko.http.scaladsl.model.HttpRequest,
                        CompletableFuture<HttpResponse>>>
                    queue(queued)
                .viaMat(Flow.fromGraph(connections), Keep.both())
                .to(Sink.foreach(answered -> complete(answered._2(), answered._1())))
                .run(materializer);
    this.queue = materialized.first();
    this.pool = materialized.second();
  }

  private static void complete(
      CompletableFuture<HttpResponse> caller,
      Try<org.apache.pekko.http.scaladsl.model.HttpResponse> answer) {
    if (answer.isSuccess()) caller.complete(answer.get());
    else caller.completeExceptionally(answer.failed().get());
  }

  /**
   * Sends a request on one of the pool's connections. Fails with {@link RetryableExportException}
   * when too many requests wait already or the pool is shut down.
   */
  CompletionStage<HttpResponse> send(HttpRequest request) {
    CompletableFuture<HttpResponse> response = new CompletableFuture<>();
    QueueOfferResult offered =
        queue.offer(
            new Tuple2<>((org.apache.pekko.http.scaladsl.model.HttpRequest) request, response));
    if (offered != QueueOfferResult.enqueued()) {
      response.completeExceptionally(
          new RetryableExportException(
              "the HTTP client has too many requests waiting, or is shut down", null));
    }
    return response;
  }

  void shutdown() {
    queue.complete();
    pool.shutdown();
  }
}
