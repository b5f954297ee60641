package dev.shoal.pipeline.prometheus;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Scrapes one target: GETs its exposition (negotiating OpenMetrics or text 0.0.4, gzip), bounded in
 * time and bytes, parses it and converts it to OTLP. Parsing and conversion run on the clients'
 * executor, never on the caller's thread.
 *
 * <p>State: the target's {@link ScrapeConverter} (start times, the last scrape's series). The
 * caller starts a scrape only after the previous one completed.
 */
public final class TargetScraper {
  private final ScrapeTarget target;
  private final ScrapeClients clients;
  private final ScrapeConverter converter;

  public TargetScraper(ScrapeTarget target, ScrapeClients clients) {
    this.target = target;
    this.clients = clients;
    this.converter = new ScrapeConverter(target.identity());
  }

  public ScrapeTarget target() {
    return target;
  }

  /** Scrapes now; {@code scrapeNanos} is the scheduled instant, the points' time. */
  public CompletionStage<ScrapeResult> scrape(long scrapeNanos) {
    long started = System.nanoTime();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(target.url()))
            .GET()
            .timeout(target.timeout())
            .header("Accept", ExpositionFormat.ACCEPT)
            .header("Accept-Encoding", "gzip")
            .header("User-Agent", clients.userAgent())
            .header(
                "X-Prometheus-Scrape-Timeout-Seconds",
                String.valueOf(target.timeout().toMillis() / 1000.0))
            .build();
    CompletableFuture<ScrapeResult> result;
    try {
      result =
          clients
              .forTarget(target)
              .sendAsync(request, BoundedBody.handler(target.bodyLimitBytes()))
              .orTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS)
              .thenApplyAsync(
                  response -> convert(response, scrapeNanos, started), clients.executor());
    } catch (IllegalArgumentException badTls) {
      result = CompletableFuture.failedFuture(badTls);
    }
    return result.exceptionally(failure -> failed(reason(failure), scrapeNanos, started, 0));
  }

  private ScrapeResult convert(HttpResponse<byte[]> response, long scrapeNanos, long started) {
    if (response.statusCode() != 200) {
      return failed("HTTP status " + response.statusCode(), scrapeNanos, started, 0);
    }
    byte[] body = response.body();
    if (body == null) {
      return failed(
          "the body is larger than the body-size limit of " + target.bodyLimitBytes() + " bytes",
          scrapeNanos,
          started,
          0);
    }
    try {
      if (response.headers().firstValue("content-encoding").orElse("").equalsIgnoreCase("gzip")) {
        body = BoundedBody.gunzip(body, target.bodyLimitBytes());
      }
    } catch (java.io.IOException e) {
      return failed(e.getMessage(), scrapeNanos, started, 0);
    }
    ExpositionFormat format =
        ExpositionFormat.ofContentType(response.headers().firstValue("content-type").orElse(null));
    ExpositionParser.Exposition exposition;
    try {
      exposition =
          new ExpositionParser(format, target.sampleLimit())
              .parse(new String(body, StandardCharsets.UTF_8));
    } catch (ExpositionException e) {
      return failed(
          (e.sampleLimitExceeded() ? "sample limit: " : "invalid " + format + ": ")
              + e.getMessage(),
          scrapeNanos,
          started,
          body.length);
    }
    ScrapeConverter.Converted converted = converter.convert(exposition, scrapeNanos);
    long duration = System.nanoTime() - started;
    return new ScrapeResult(
        ExportRequest.of(Signal.METRICS, converted.request()),
        ExportRequest.of(
            Signal.METRICS,
            converter.diagnostics(
                true, duration / 1e9, exposition.samples(), body.length, scrapeNanos)),
        null,
        exposition.samples(),
        converted.duplicates(),
        converted.invalid(),
        body.length,
        duration);
  }

  private ScrapeResult failed(String reason, long scrapeNanos, long started, long bodyBytes) {
    ScrapeConverter.Converted stale = converter.failed(scrapeNanos);
    long duration = System.nanoTime() - started;
    return new ScrapeResult(
        ExportRequest.of(Signal.METRICS, stale.request()),
        ExportRequest.of(
            Signal.METRICS,
            converter.diagnostics(false, duration / 1e9, 0, bodyBytes, scrapeNanos)),
        reason,
        0,
        0,
        0,
        bodyBytes,
        duration);
  }

  private String reason(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
      return "no complete answer within the timeout of " + target.timeout().toMillis() + " ms";
    }
    if (t instanceof BoundedBody.TooLargeException) return t.getMessage();
    if (t instanceof java.net.ConnectException) return "connection refused or unreachable";
    if (t instanceof javax.net.ssl.SSLException) return "TLS: " + t.getMessage();
    return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
  }
}
