package dev.shoal.pipeline.prometheus;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** What the scrape tests share: clients, a target, one scrape, reading the result. */
final class ScrapeTesting {
  private ScrapeTesting() {}

  static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(2);
  static final ScrapeClients CLIENTS = new ScrapeClients(EXECUTOR, Duration.ofSeconds(2));

  static ScrapeTarget target(URI url) {
    return ScrapeTarget.staticTarget(url.toString(), Set.of("metrics"), Duration.ofSeconds(30));
  }

  static ScrapeTarget target(
      URI url, Duration timeout, long bodyLimit, int sampleLimit, boolean insecure, String ca) {
    return new ScrapeTarget(
        url.toString(),
        url.toString(),
        "static",
        Set.of("metrics"),
        Duration.ofSeconds(30),
        timeout,
        insecure,
        ca,
        bodyLimit,
        sampleLimit);
  }

  static ScrapeResult scrape(TargetScraper scraper) throws Exception {
    return scraper
        .scrape(System.currentTimeMillis() * 1_000_000L)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  static ExportMetricsServiceRequest series(ScrapeResult result) {
    return (ExportMetricsServiceRequest) result.series().decode();
  }

  /** Metrics by name; the first of a name when there are several. */
  static Map<String, Metric> byName(ExportMetricsServiceRequest request) {
    Map<String, Metric> metrics = new TreeMap<>();
    request.getResourceMetricsList().stream()
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .forEach(m -> metrics.putIfAbsent(m.getName(), m));
    return metrics;
  }

  static String attr(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) return kv.getValue().getStringValue();
    }
    return null;
  }

  /** The body the target serves now, read as the scraper would, and parsed. */
  static ExpositionParser.Exposition served(URI url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(url).header("Accept", ExpositionFormat.ACCEPT).build(),
                HttpResponse.BodyHandlers.ofString());
    ExpositionFormat format =
        ExpositionFormat.ofContentType(r.headers().firstValue("content-type").orElse(null));
    return new ExpositionParser(format, 1_000_000).parse(r.body());
  }

  static MetricFamily family(ExpositionParser.Exposition e, String name) {
    return e.families().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }
}
