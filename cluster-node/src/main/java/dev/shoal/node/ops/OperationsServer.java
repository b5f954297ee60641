package dev.shoal.node.ops;

import dev.shoal.pipeline.metrics.ShoalMetrics;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The node's operations HTTP port (8558 by default): {@code GET /metrics} in the Prometheus text
 * format. It stays up while the node drains, so the drain can be watched.
 */
public final class OperationsServer {
  private OperationsServer() {}

  public static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system, String address, int port) {
    ShoalMetrics metrics = ShoalMetrics.get(system);
    return Http.get(system)
        .newServerAt(address, port)
        .bindSync(request -> handle(request, metrics));
  }

  private static HttpResponse handle(HttpRequest request, ShoalMetrics metrics) {
    String path = request.getUri().path();
    if (!path.equals("/metrics")) {
      return HttpResponse.create()
          .withStatus(StatusCodes.NOT_FOUND)
          .withEntity("not found: " + path + " (this port serves /metrics)\n");
    }
    if (request.method() != HttpMethods.GET) {
      return HttpResponse.create()
          .withStatus(StatusCodes.METHOD_NOT_ALLOWED)
          .withEntity("use GET /metrics\n");
    }
    return HttpResponse.create()
        .withEntity(ContentTypes.parse(ShoalMetrics.CONTENT_TYPE), metrics.scrape());
  }
}
