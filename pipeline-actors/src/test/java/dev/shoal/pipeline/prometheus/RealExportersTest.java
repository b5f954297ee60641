package dev.shoal.pipeline.prometheus;

import static dev.shoal.pipeline.prometheus.ScrapeTesting.attr;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.byName;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.family;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.scrape;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.series;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.served;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes real exporters from Debian, started on loopback, and compares with what they serve. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealExportersTest {

  static final String PUSHED =
      """
      # TYPE req_latency_seconds histogram
      req_latency_seconds_bucket{le="0.1"} 3
      req_latency_seconds_bucket{le="1"} 7
      req_latency_seconds_bucket{le="+Inf"} 9
      req_latency_seconds_sum 5.5
      req_latency_seconds_count 9
      # TYPE rpc_time_seconds summary
      rpc_time_seconds{quantile="0.5"} 0.2
      rpc_time_seconds{quantile="0.99"} 0.9
      rpc_time_seconds_sum 12.5
      rpc_time_seconds_count 40
      # TYPE jobs_done_total counter
      jobs_done_total{kind="batch"} 42
      # HELP room_temperature Temperature with a "quoted" \\\\ backslash.
      # TYPE room_temperature gauge
      room_temperature{room="a\\"b"} -3.5
      """;

  @Test
  void pushgatewayServesWhatWasPushedAndTheScrapeConvertsIt() throws Exception {
    // Debian's default persists pushed metrics under /var/lib/prometheus: memory only here.
    try (ExporterProcess gateway =
        ExporterProcess.start("prometheus-pushgateway", "--persistence.file=")) {
      HttpResponse<String> pushed =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(gateway.uri("/metrics/job/testjob"))
                      .PUT(HttpRequest.BodyPublishers.ofString(PUSHED))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, pushed.statusCode(), pushed.body());

      ScrapeResult result =
          scrape(new TargetScraper(target(gateway.uri("/metrics")), ScrapeTesting.CLIENTS));
      assertNull(result.failure());
      ExpositionParser.Exposition served = served(gateway.uri("/metrics"));
      assertEquals(served.samples(), result.samples(), "as many samples as the gateway serves");
      Map<String, Metric> metrics = byName(series(result));

      HistogramDataPoint h = metrics.get("req_latency_seconds").getHistogram().getDataPoints(0);
      assertEquals(List.of(0.1, 1.0), h.getExplicitBoundsList());
      assertEquals(List.of(3L, 4L, 2L), h.getBucketCountsList());
      assertEquals(9, h.getCount());
      assertEquals(5.5, h.getSum());
      assertEquals("testjob", attr(h.getAttributesList(), "exported_job"));
      MetricFamily servedHistogram = family(served, "req_latency_seconds");
      assertEquals(MetricType.HISTOGRAM, servedHistogram.type());

      SummaryDataPoint s = metrics.get("rpc_time_seconds").getSummary().getDataPoints(0);
      assertEquals(40, s.getCount());
      assertEquals(12.5, s.getSum());
      assertEquals(0.9, s.getQuantileValues(1).getValue());

      NumberDataPoint c = metrics.get("jobs_done_total").getSum().getDataPoints(0);
      assertTrue(metrics.get("jobs_done_total").getSum().getIsMonotonic());
      assertEquals(42.0, c.getAsDouble());
      assertEquals("batch", attr(c.getAttributesList(), "kind"));

      Metric g = metrics.get("room_temperature");
      assertEquals("a\"b", attr(g.getGauge().getDataPoints(0).getAttributesList(), "room"));
      assertEquals(-3.5, g.getGauge().getDataPoints(0).getAsDouble());
      assertEquals(family(served, "room_temperature").help(), g.getDescription());
    }
  }

  @Test
  void nodeExporterStableSeriesMatchWhatItServes() throws Exception {
    try (ExporterProcess node = ExporterProcess.start("prometheus-node-exporter")) {
      ScrapeResult result =
          scrape(new TargetScraper(target(node.uri("/metrics")), ScrapeTesting.CLIENTS));
      assertNull(result.failure());
      ExpositionParser.Exposition served = served(node.uri("/metrics"));
      Map<String, Metric> metrics = byName(series(result));

      MetricFamily uname = family(served, "node_uname_info");
      NumberDataPoint info = metrics.get("node_uname_info").getGauge().getDataPoints(0);
      assertEquals(
          uname.samples().get(0).label("release"), attr(info.getAttributesList(), "release"));
      assertEquals(
          uname.samples().get(0).label("nodename"), attr(info.getAttributesList(), "nodename"));

      assertEquals(
          family(served, "node_cpu_seconds_total").samples().size(),
          metrics.get("node_cpu_seconds_total").getSum().getDataPointsCount(),
          "one point per CPU and mode");
      assertEquals(
          served.families().stream()
              .map(MetricFamily::name)
              .filter(n -> n.startsWith("node_"))
              .sorted()
              .toList(),
          metrics.keySet().stream().filter(n -> n.startsWith("node_")).sorted().toList(),
          "the same node_ metrics");
    }
  }

  @Test
  void prometheusServersOwnMetrics(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "scrape_configs: []\n");
    try (ExporterProcess prometheus =
        ExporterProcess.start(
            "prometheus",
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("data"))) {
      ScrapeResult result =
          scrape(new TargetScraper(target(prometheus.uri("/metrics")), ScrapeTesting.CLIENTS));
      assertNull(result.failure());
      ExpositionParser.Exposition served = served(prometheus.uri("/metrics"));
      Map<String, Metric> metrics = byName(series(result));
      NumberDataPoint build = metrics.get("prometheus_build_info").getGauge().getDataPoints(0);
      assertEquals(
          family(served, "prometheus_build_info").samples().get(0).label("version"),
          attr(build.getAttributesList(), "version"));
      SummaryDataPoint gc = metrics.get("go_gc_duration_seconds").getSummary().getDataPoints(0);
      assertEquals(5, gc.getQuantileValuesCount(), "quantiles 0, 0.25, 0.5, 0.75, 1");
      Metric requests = metrics.get("prometheus_http_request_duration_seconds");
      assertTrue(requests.hasHistogram());
      assertTrue(
          Math.abs(served.samples() - result.samples()) < served.samples() / 10,
          "about as many samples as Prometheus serves: "
              + served.samples()
              + " vs "
              + result.samples());
    }
  }
}
