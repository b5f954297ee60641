package dev.shoal.node.ops;

import dev.shoal.pipeline.metrics.ShoalMetrics;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /metrics} on the Pekko Management port: the node's own counters in the Prometheus text
 * format. Registered in {@code management.conf}; Pekko Management creates it.
 */
public final class MetricsRoutes extends AllDirectives implements ManagementRouteProvider {
  private final ShoalMetrics metrics;

  public MetricsRoutes(ExtendedActorSystem system) {
    this.metrics = ShoalMetrics.get(Adapter.toTyped(system));
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    complete(
                        HttpEntities.create(
                            ContentTypes.parse(ShoalMetrics.CONTENT_TYPE), metrics.scrape()))));
  }
}
