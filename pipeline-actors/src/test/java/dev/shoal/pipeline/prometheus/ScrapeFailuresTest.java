package dev.shoal.pipeline.prometheus;

import static dev.shoal.pipeline.prometheus.ScrapeTesting.byName;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.scrape;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.series;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A scrape against a loopback server that answers as told: gzip, OpenMetrics, and each way a scrape
 * fails with its reason.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScrapeFailuresTest {
  private HttpServer server;
  private final AtomicReference<Answer> answer = new AtomicReference<>();
  private final AtomicReference<String> accept = new AtomicReference<>();

  record Answer(int status, String contentType, byte[] body, boolean gzip, long delayMillis) {
    static Answer text(String body) {
      return new Answer(
          200, "text/plain; version=0.0.4", body.getBytes(StandardCharsets.UTF_8), false, 0);
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          accept.set(exchange.getRequestHeaders().getFirst("Accept"));
          Answer a = answer.get();
          try {
            Thread.sleep(a.delayMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = a.body();
          if (a.gzip()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
              gz.write(body);
            }
            body = out.toByteArray();
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
          }
          exchange.getResponseHeaders().set("Content-Type", a.contentType());
          exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          } catch (java.io.IOException clientGone) {
            // the scraper gave up (limit, timeout)
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  private ScrapeResult scrapeWith(Duration timeout, long bodyLimit, int sampleLimit)
      throws Exception {
    return scrape(
        new TargetScraper(
            target(url(), timeout, bodyLimit, sampleLimit, false, null), ScrapeTesting.CLIENTS));
  }

  @Test
  void gzipOpenMetricsIsNegotiatedAndRead() throws Exception {
    answer.set(
        new Answer(
            200,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            "# TYPE a counter\na_total 3\n# EOF\n".getBytes(StandardCharsets.UTF_8),
            true,
            0));
    ScrapeResult r = scrapeWith(Duration.ofSeconds(5), 1 << 20, 100);
    assertNull(r.failure());
    assertTrue(accept.get().startsWith("application/openmetrics-text"), accept.get());
    assertEquals(3.0, byName(series(r)).get("a_total").getSum().getDataPoints(0).getAsDouble());
    var up = byName((ExportMetricsServiceRequest) r.diagnostics().decode()).get("up");
    assertEquals(1.0, up.getGauge().getDataPoints(0).getAsDouble());
  }

  @Test
  void truncatedOpenMetricsBodyFailsAndMarksSeriesVanished() throws Exception {
    answer.set(Answer.text("g 1\n"));
    TargetScraper scraper =
        new TargetScraper(
            target(url(), Duration.ofSeconds(5), 1 << 20, 100, false, null), ScrapeTesting.CLIENTS);
    assertNull(scrape(scraper).failure());
    answer.set(
        new Answer(
            200, "application/openmetrics-text; version=1.0.0", "g 1\n".getBytes(), false, 0));
    ScrapeResult r = scrape(scraper);
    assertTrue(r.failure().contains("# EOF"), r.failure());
    Metric g = byName(series(r)).get("g");
    assertEquals(1, g.getGauge().getDataPoints(0).getFlags(), "NoRecordedValue");
    var up = byName((ExportMetricsServiceRequest) r.diagnostics().decode()).get("up");
    assertEquals(0.0, up.getGauge().getDataPoints(0).getAsDouble());
  }

  @Test
  void bodyLimitFailsTheScrape() throws Exception {
    answer.set(Answer.text("g 1\n".repeat(1000)));
    ScrapeResult r = scrapeWith(Duration.ofSeconds(5), 1000, 100_000);
    assertTrue(r.failure().contains("body-size limit of 1000 bytes"), r.failure());
  }

  @Test
  void bodyLimitAppliesAfterDecompression() throws Exception {
    answer.set(new Answer(200, "text/plain", "g 1\n".repeat(10_000).getBytes(), true, 0));
    ScrapeResult r = scrapeWith(Duration.ofSeconds(5), 5000, 100_000);
    assertTrue(r.failure().contains("decompressed body"), r.failure());
  }

  @Test
  void sampleLimitFailsTheScrape() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 50; i++) body.append("g{i=\"").append(i).append("\"} 1\n");
    answer.set(Answer.text(body.toString()));
    ScrapeResult r = scrapeWith(Duration.ofSeconds(5), 1 << 20, 20);
    assertTrue(r.failure().startsWith("sample limit"), r.failure());
  }

  @Test
  void slowTargetTimesOut() throws Exception {
    answer.set(new Answer(200, "text/plain", "g 1\n".getBytes(), false, 3000));
    ScrapeResult r = scrapeWith(Duration.ofMillis(500), 1 << 20, 100);
    assertTrue(r.failure().contains("timeout"), r.failure());
    assertTrue(r.durationNanos() < Duration.ofSeconds(2).toNanos());
  }

  @Test
  void errorStatusAndRefusedConnectionFail() throws Exception {
    answer.set(new Answer(500, "text/plain", "oops".getBytes(), false, 0));
    assertEquals("HTTP status 500", scrapeWith(Duration.ofSeconds(5), 1 << 20, 100).failure());
    URI closed = URI.create("http://127.0.0.1:" + ExporterProcess.freePort() + "/metrics");
    ScrapeResult r =
        scrape(
            new TargetScraper(
                target(closed, Duration.ofSeconds(5), 1 << 20, 100, false, null),
                ScrapeTesting.CLIENTS));
    assertFalse(r.up());
    assertTrue(r.failure().contains("connect") || r.failure().contains("Connect"), r.failure());
  }
}
