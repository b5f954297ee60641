package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with a pipelines folder whose MetricPipeline names a real Prometheus Pushgateway (Debian's
 * {@code prometheus-pushgateway}, installed by {@code .ci/run}) as a static target: the pushed
 * histogram, summary and counter arrive converted at an OTLP/HTTP backend, with {@code up}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PrometheusScrapeIT {
  private static final String PUSHED =
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
      jobs_done_total 42
      """;

  @TempDir Path workDir;
  private Process gateway;
  private int gatewayPort;
  private HttpServer backend;
  private final List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path binary = Path.of("/usr/bin/prometheus-pushgateway");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(binary + " is missing; run `bash .ci/run` (it installs it)");
    }
    gatewayPort = NodeProcess.freePort();
    gateway =
        new ProcessBuilder(
                binary.toString(),
                "--web.listen-address=127.0.0.1:" + gatewayPort,
                // Debian's default persists pushed metrics under /var/lib/prometheus.
                "--persistence.file=")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("pushgateway.log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    URI push = URI.create("http://127.0.0.1:" + gatewayPort + "/metrics/job/e2e");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(push)
                                .PUT(HttpRequest.BodyPublishers.ofString(PUSHED))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);

    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/v1/metrics",
        exchange -> {
          InputStream in = exchange.getRequestBody();
          if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
          }
          received.add(ExportMetricsServiceRequest.parseFrom(in.readAllBytes()));
          byte[] answer = new byte[0];
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    backend.start();
  }

  @AfterEach
  void stop() throws Exception {
    backend.stop(0);
    gateway.destroy();
    if (!gateway.waitFor(10, TimeUnit.SECONDS)) gateway.destroyForcibly();
  }

  @Test
  void staticTargetIsScrapedIntoTheMetricPipeline() throws Exception {
    Path pipelines = Files.createDirectories(workDir.resolve("pipelines"));
    String target = "http://127.0.0.1:" + gatewayPort + "/metrics";
    Files.writeString(
        pipelines.resolve("scraped.yaml"),
        """
        apiVersion: telemetry.shoal.dev/v1beta1
        kind: MetricPipeline
        metadata:
          name: scraped
        spec:
          input:
            otlp:
              enabled: false
            prometheus:
              enabled: true
              interval: 2s
              diagnosticMetrics:
                enabled: true
              staticTargets:
                - %s
          output:
            otlp:
              protocol: http
              endpoint:
                value: http://127.0.0.1:%d
        """
            .formatted(target, backend.getAddress().getPort()));
    try (NodeProcess node =
        NodeProcess.start(
            workDir,
            Map.of(),
            "--pipelines",
            pipelines.toString(),
            "--data-dir",
            workDir.resolve("data").toString())) {
      node.awaitReady(Duration.ofSeconds(60));
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> metric("req_latency_seconds").isPresent() && metric("up").isPresent());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("nothing scraped arrived; the node said:\n" + node.output(), e);
      }

      HistogramDataPoint h = metric("req_latency_seconds").get().getHistogram().getDataPoints(0);
      assertEquals(List.of(0.1, 1.0), h.getExplicitBoundsList());
      assertEquals(List.of(3L, 4L, 2L), h.getBucketCountsList());
      assertEquals(5.5, h.getSum());
      SummaryDataPoint s = metric("rpc_time_seconds").get().getSummary().getDataPoints(0);
      assertEquals(40, s.getCount());
      assertEquals(42.0, metric("jobs_done_total").get().getSum().getDataPoints(0).getAsDouble());
      assertEquals(1.0, metric("up").get().getGauge().getDataPoints(0).getAsDouble());
      String service =
          received.get(0).getResourceMetrics(0).getResource().getAttributesList().stream()
              .filter(kv -> kv.getKey().equals("service.instance.id"))
              .findFirst()
              .orElseThrow()
              .getValue()
              .getStringValue();
      assertEquals("127.0.0.1:" + gatewayPort, service);

      String shards = node.getManagement("/cluster/shards/ScrapeTarget").body();
      assertTrue(shards.contains("\"numEntities\":1"), shards);
      String metrics = node.getManagement("/metrics").body();
      assertTrue(metrics.contains("shoal_scrape_targets 1.0"), metrics);
      assertTrue(metrics.contains("shoal_scrapes_total{outcome=\"up\"}"), metrics);

      node.process().destroy(); // SIGTERM
      assertEquals(0, node.awaitExit(Duration.ofSeconds(60)), node.output());
    }
  }

  private Optional<Metric> metric(String name) {
    return received.stream()
        .flatMap(r -> r.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals(name))
        .findFirst();
  }
}
