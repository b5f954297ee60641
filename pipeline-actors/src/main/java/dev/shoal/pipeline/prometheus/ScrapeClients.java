package dev.shoal.pipeline.prometheus;

import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.output.otlp.ClientTls;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The HTTP clients of a member's scrapes, shared by its targets: one per kind of TLS (the JVM's
 * CAs, no verification, or a given CA), since each client owns a selector thread and a connection
 * pool. Clients for given CAs are kept for the last few distinct CAs only.
 */
public final class ScrapeClients {
  private static final int MAX_CA_CLIENTS = 16;

  private final Executor executor;
  private final Duration connectTimeout;
  private final String userAgent;
  private final HttpClient standard;
  private HttpClient insecure;
  private final Map<String, HttpClient> byCa =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
          return size() > MAX_CA_CLIENTS;
        }
      };

  /**
   * @param executor runs the clients' callbacks and the parsing and conversion of bodies
   * @param connectTimeout how long a connection may take to open
   */
  public ScrapeClients(Executor executor, Duration connectTimeout) {
    this(executor, connectTimeout, "shoal");
  }

  /**
   * @param userAgent the {@code User-Agent} of every scrape: naming the member lets a target's
   *     access log tell which member scraped it
   */
  public ScrapeClients(Executor executor, Duration connectTimeout, String userAgent) {
    this.executor = executor;
    this.connectTimeout = connectTimeout;
    this.userAgent = userAgent;
    this.standard = build(null);
  }

  Executor executor() {
    return executor;
  }

  String userAgent() {
    return userAgent;
  }

  /** The client for a target's TLS settings; fails naming the field when the CA is not valid. */
  synchronized HttpClient forTarget(ScrapeTarget target) {
    if (target.insecureSkipVerify()) {
      if (insecure == null) {
        insecure =
            build(new Tls(false, true, Optional.empty(), Optional.empty(), Optional.empty()));
      }
      return insecure;
    }
    if (target.caPem() == null || target.caPem().isBlank()) return standard;
    HttpClient client = byCa.get(target.caPem());
    if (client == null) {
      client =
          build(
              new Tls(
                  false, false, Optional.of(target.caPem()), Optional.empty(), Optional.empty()));
      byCa.put(target.caPem(), client);
    }
    return client;
  }

  private HttpClient build(Tls tls) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(connectTimeout)
            .executor(executor);
    if (tls != null) b.sslContext(ClientTls.sslContext(tls));
    return b.build();
  }
}
